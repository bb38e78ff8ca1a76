"""Buyers: parties and entities that receive units and use them.

Use policies (see the README): ``on-receipt``, ``year-end`` (31 December, all
received that year), ``as-needed`` (31 December of the NDC period's last year and on
every later receipt, the true-up: just enough to meet the target), ``never``.

A use towards an NDC must be of units authorised for NDC use with a vintage inside
the NDC period; an OIMP use needs an OIMP authorisation (docs/how-a6sim-counts.md).
Anything else is refused and recorded as a violation; the units stay held.
"""
from __future__ import annotations

from ..accounting.ndc import use_needed
from .world import World

__all__ = ["HolderActor"]

YEAR_END = 0.5   # fraction of a day: after every movement of 31 December


class HolderActor:
    """A party or entity holding units: a simpy process for its year-end uses."""

    def __init__(self, world: World, holder_id: str):
        self.world = world
        self.id = holder_id
        self.entity = world.model.entities.get(holder_id)
        self.ndc = None if self.entity else world.ndc[holder_id]
        self.holding = world.holding(holder_id)
        self.year_end_keys: list[tuple] = []
        self.refused: set[tuple] = set()
        self.as_needed: set[str] = set()
        self.period_over = False
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
            if self.ndc is not None and year == self.ndc.last:
                self.period_over = True   # from now on every as-needed receipt is a true-up
                if self.as_needed:
                    self.true_up()

    def receive(self, agreement, key: tuple) -> None:
        policy = agreement.policy
        if policy == "on-receipt":
            self.use(agreement, key)
        elif policy == "year-end":
            self.year_end_keys.append((agreement, key))
        elif policy == "as-needed":
            self.as_needed.add(agreement.id)
            if self.period_over:
                self.true_up()

    # --- uses -----------------------------------------------------------------
    def refusal(self, agreement, lot) -> str | None:
        """Why this use is refused, or None if it is allowed."""
        s, b = lot.status, lot.block
        if self.voluntary:
            return None   # a voluntary cancellation claims nothing against any NDC
        if agreement.purpose == "NDC":
            if s.purpose not in ("NDC", "NDC and OIMP"):
                return self._not_authorised(agreement, s, "use towards an NDC")
            if not self.ndc.first <= b.vintage <= self.ndc.last:
                return f"vintage {b.vintage} is outside {self.id}'s NDC period {self.ndc.first}-{self.ndc.last}"
            return None
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
        status = s._replace(first_transferred=True) if ft else s
        reg.move(w.day, lot, self.holding, self.accounts[kind], q,
                 "voluntary-cancellation" if voluntary else "use", status=status,
                 purpose="voluntary" if voluntary else agreement.purpose, first_transfer=ft)
        if ft:
            w.record_first_transfer(b.host, b.vintage, q, oimp=True)
        if kind == "ndc-use":
            year = min(w.cal.year_of(w.day), self.ndc.last)
            w.used[(self.id, year)] += q
        return q

    def true_up(self) -> None:
        """As-needed: use just enough of the held units to meet the NDC target."""
        w = self.world
        p = self.id
        years = range(self.ndc.first, self.ndc.last + 1)
        ft = {y: w.ft[(p, y)] for y in years if (p, y) in w.ft}
        ft_oimp = {y: w.ft_oimp[(p, y)] for y in years if (p, y) in w.ft_oimp}
        used = {y: w.used[(p, y)] for y in years if (p, y) in w.used}
        need = use_needed(self.ndc, w.inventory[p], ft, ft_oimp, used)
        if need <= 0:
            return
        lots = w.registry.lots_in(self.holding, lambda lot: lot.status.agreement in self.as_needed)
        for lot in lots:
            if need <= 0:
                break
            b = lot.block
            need -= self.use(w.agreements[lot.status.agreement], (b.activity, b.vintage, b.first), need)
