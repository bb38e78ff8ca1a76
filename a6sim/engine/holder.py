"""Buyers: parties and entities that receive units and use them.

Use policies (see the README): ``on-receipt``, ``year-end`` (31 December, all
received that year), ``as-needed`` (31 December of the NDC period's last year and on
every later receipt, the true-up: just enough to meet the target), ``never``.

A use towards an NDC must be of units authorised for NDC use with a vintage inside
the NDC period it counts for (or, with ``other_period_vintages: allow``, inside
another of the buyer's NDC periods); an OIMP use needs an OIMP authorisation
(docs/how-a6sim-counts.md). Anything else is refused and recorded as a violation;
the units stay held. A party with several NDC periods trues up each at its end.

A party that gives an ``initial_report`` date uses nothing before it (2/CMA.3
annex para 18, the buyer's side of the gate): the use is recorded as a violation
and waits until the report date.
"""
from __future__ import annotations

from ..accounting.ndc import accounting_year, spec_of_year, use_needed
from ..registry.first_transfer import own_units_refusal
from .world import World

__all__ = ["HolderActor"]

YEAR_END = 0.5   # fraction of a day: after every movement of 31 December


class HolderActor:
    """A party or entity holding units: a simpy process for its year-end uses."""

    def __init__(self, world: World, holder_id: str):
        self.world = world
        self.id = holder_id
        self.entity = world.model.entities.get(holder_id)
        self.ndcs = () if self.entity else world.ndcs[holder_id]
        self.ndc = self.ndcs[0] if self.ndcs else None   # the first NDC period
        report = None if self.entity else world.model.parties[holder_id].initial_report
        self.report_day = world.cal.day_of(report) if report is not None else None
        self.allow_other_periods = world.model.settings.other_period_vintages == "allow"
        self.holding = world.holding(holder_id)
        self.year_end_keys: list[tuple] = []
        self.refused: set[tuple] = set()
        self.as_needed: set[str] = set()
        self.met: tuple | None = None   # (NDC, first transfers, OIMP first transfers, uses) of the last met true-up
        # serial ranges received through as-needed resales: (agreement, activity, vintage, first, last);
        # their status names the host's authorisation, not the resale (a6sim/engine/resale.py)
        self.resold: list[tuple[str, str, int, int, int]] = []
        self.voluntary = self.entity is not None and self.entity.kind == "voluntary-buyer"
        self.accounts = {kind: world.use_account(holder_id, kind)
                         for kind in ("ndc-use", "oimp-use", "voluntary-cancellation")}
        world.env.process(self.run())

    def run(self):
        w, env = self.world, self.world.env
        for year in range(w.cal.start_year, w.cal.end_year + 1):
            yield env.timeout(w.cal.year_end(year) + YEAR_END - env.now)
            keys, self.year_end_keys = self.year_end_keys, []
            for agreement, key in keys:
                self.use(agreement, key)
            ended = spec_of_year(self.ndcs, year)
            if ended is not None and year == ended.last and self.as_needed:
                self.true_up(ended)

    def receive(self, agreement, key: tuple) -> None:
        policy = agreement.policy
        if policy == "on-receipt":
            self.use(agreement, key)
        elif policy == "year-end":
            self.year_end_keys.append((agreement, key))
        elif policy == "as-needed":
            self.as_needed.add(agreement.id)
            if agreement.resale:
                b = self.world.registry.lots[self.holding][key].block
                self.resold.append((agreement.id, b.activity, b.vintage, b.first, b.last))
            spec = self.spec_now()
            if spec is not None and self.world.cal.year_of(self.world.day) > spec.last:
                self.true_up(spec)   # after the period's end (the true-up): use at once

    def rekey(self, key: tuple, rest: tuple) -> None:
        """A resale took the first serials of a held lot: its rest (now at ``rest``) keeps
        the year-end use and refusal the lot had."""
        self.year_end_keys = [(g, rest if k == key else k) for g, k in self.year_end_keys]
        if key in self.refused:
            self.refused.add(rest)

    def spec_now(self):
        """The NDC period a use today counts for (the one just ended, after its end)."""
        year = accounting_year(self.ndcs, self.world.cal.year_of(self.world.day))
        return spec_of_year(self.ndcs, year)

    # --- the initial-report gate (para 18) ------------------------------------
    def before_report(self) -> bool:
        return self.report_day is not None and self.world.day < self.report_day

    def postpone(self, quantity: int, agreement, block: str | None, retry) -> None:
        """A use before the initial report: a violation; ``retry`` runs on the report date."""
        w = self.world
        report = w.cal.date_of(self.report_day)
        w.violation("use-before-initial-report",
                    f"{self.id} may not use ITMOs before its initial report ({report}); the use waits until "
                    "then (2/CMA.3 annex para 18)", quantity, party=self.id, agreement=agreement.id, block=block)
        if self.report_day > w.cal.last_day:
            return
        w.env.call_in(self.report_day - w.env.now, retry)

    # --- uses -----------------------------------------------------------------
    def refusal(self, agreement, lot) -> str | None:
        """Why this use is refused, or None if it is allowed."""
        s, b = lot.status, lot.block
        if self.voluntary:
            return None   # a voluntary cancellation claims nothing against any NDC
        if agreement.purpose == "NDC":
            if s.purpose not in ("NDC", "NDC and OIMP"):
                return self._not_authorised(agreement, s, "use towards an NDC")
            if b.host == self.id and not s.first_transferred:
                return own_units_refusal(self.id)
            spec = self.spec_now()
            if spec is not None and spec.first <= b.vintage <= spec.last:
                return None
            other = spec_of_year(self.ndcs, b.vintage)
            if other is not None and spec is not None and self.allow_other_periods:
                return None
            shown = spec or self.ndc
            why = f"vintage {b.vintage} is outside {self.id}'s NDC period {shown.first}-{shown.last}"
            if other is not None and spec is not None:
                why += (f" (it belongs to its NDC period {other.first}-{other.last}; "
                        "settings.other_period_vintages: allow permits this)")
            return why
        if s.purpose not in ("OIMP", "NDC and OIMP"):
            return self._not_authorised(agreement, s, "other international mitigation purposes")
        return None

    @staticmethod
    def _not_authorised(agreement, status, what: str) -> str:
        if agreement.revoked is not None and agreement.auth is not None and not status.authorised:
            return f"the authorisation of {agreement.id} was revoked before these units were first transferred"
        if status.authorised:
            return f"units authorised for {status.purpose} only, not for {what}"
        return f"{status.unit_type} units carry no authorisation for {what} (2/CMA.3 annex paras 1-2)"

    def use(self, agreement, key: tuple, quantity: int | None = None) -> int:
        """Use (part of) a held lot for the agreement's purpose; return the tonnes used."""
        w, reg = self.world, self.world.registry
        lot = reg.lots[self.holding].get(key)
        if lot is None or key in self.refused:
            return 0
        if self.before_report() and not self.voluntary:
            self.postpone(lot.quantity if quantity is None else min(quantity, lot.quantity), agreement,
                          lot.block.id, lambda: self.use(agreement, key, quantity))
            return 0
        why = self.refusal(agreement, lot)
        if why is not None:
            self.refused.add(key)
            w.violation("use-refused", why, lot.quantity, party=self.id, agreement=agreement.id,
                        block=lot.block.id, purpose=agreement.purpose)
            return 0
        q = lot.quantity if quantity is None else min(quantity, lot.quantity)
        voluntary = self.voluntary
        kind = "voluntary-cancellation" if voluntary else ("ndc-use" if agreement.purpose == "NDC" else "oimp-use")
        s, b = lot.status, lot.block
        ft = w.first_transfer_now(s, "use-or-cancellation")
        status = s.as_first_transferred() if ft else s
        reg.move(w.day, lot, self.holding, self.accounts[kind], q,
                 "voluntary-cancellation" if voluntary else "use", status=status,
                 purpose="voluntary" if voluntary else agreement.purpose, first_transfer=ft)
        if ft:
            w.record_first_transfer(b.host, b.vintage, q, oimp=True)
        if kind == "ndc-use":
            year = accounting_year(self.ndcs, w.cal.year_of(w.day))   # a true-up: the period's last year
            w.used[(self.id, year)] += q
        return q

    def true_up(self, spec) -> None:
        """As-needed: use just enough of the held units to meet the target of NDC ``spec``."""
        w = self.world
        p = self.id
        years = spec.years
        ft = {y: w.ft[(p, y)] for y in years if (p, y) in w.ft}
        ft_oimp = {y: w.ft_oimp[(p, y)] for y in years if (p, y) in w.ft_oimp}
        used = {y: w.used[(p, y)] for y in years if (p, y) in w.used}
        figures = (spec, ft, ft_oimp, used)
        if figures == self.met:   # met with these very figures already (the inventory is fixed)
            return
        need = use_needed(spec, w.inventory[p], ft, ft_oimp, used)
        if need <= 0:
            self.met = figures
            return
        if self.before_report():
            first = sorted(self.as_needed)[0]
            self.postpone(need, w.agreements[first], None,
                          lambda: self.true_up(spec) if self.spec_now() is spec else None)
            return
        as_needed, via = self.as_needed, (self._via_resale if self.resold else None)
        refused = self.refused   # a refused lot stays refused (see use): not worth sorting again

        def usable(lot):
            b = lot.block
            return ((lot.status.agreement in as_needed or (via is not None and via(lot)))
                    and (b.activity, b.vintage, b.first) not in refused)
        lots = w.registry.lots_in(self.holding, usable)
        for lot in lots:
            if need <= 0:
                break
            b = lot.block
            g = (via(lot) if via is not None else None) or lot.status.agreement
            need -= self.use(w.agreements[g], (b.activity, b.vintage, b.first), need)

    def _via_resale(self, lot) -> str | None:
        """The as-needed resale a held lot came through, if any."""
        b = lot.block
        for g, activity, vintage, first, last in self.resold:
            if b.activity == activity and b.vintage == vintage and first <= b.first <= last:
                return g
        return None
