"""Agreements (cooperative approaches): authorisation, deliveries, revocation.

docs/how-a6sim-counts.md: an agreement delivers only authorised units; units issued
before the authorisation date wait in the seller's account until it, then move;
deliveries stop once the cumulative cap is reached. The first international transfer
of units authorised for NDC use is the host's first transfer (2/CMA.3 annex para 2);
for OIMP the authorisation names the event. Voluntary share of proceeds and OMGE
(2/CMA.3 annex ch. VII) are taken from each authorised tranche, rounded down.
"""
from __future__ import annotations

from functools import partial

from ..registry import MECHANISM, Status
from ..scenario.series import ratio
from .activity import deduction
from .world import World, unauthorised_type

__all__ = ["AgreementActor"]


class AgreementActor:
    """One agreement: a simpy process for its authorisation, and the deliveries it schedules."""

    resale = False   # a host's agreement (a resale is a6sim/engine/resale.py)

    def __init__(self, world: World, agreement_id: str):
        self.world = world
        self.id = agreement_id
        self.spec = spec = world.model.agreements[agreement_id]
        m = world.model
        self.seller, self.buyer = spec.seller, spec.buyer
        self.buyer_is_party = spec.buyer in m.parties
        self.purpose, self.policy = spec.use.resolved(self.buyer_is_party)
        self.share = ratio(spec.share)
        self.sop_units, self.omge_units = ratio(spec.sop.units), ratio(spec.omge.units)
        self.sop_value = spec.sop.value
        self.prices: dict[int, float] = {}   # delivery year -> price, filled on first use
        self.to_account = world.holding(spec.buyer)
        self.omge_account = f"{spec.seller}:omge-cancellation"
        self.cap_left = world.scenario.tonnes(spec.cap) if spec.cap is not None else None
        acts = [m.activities[a] for a in spec.activities]
        self.vintages = tuple(spec.vintages) if spec.vintages else (
            min(a.vintages[0] for a in acts), max(a.vintages[1] for a in acts))
        self.auth = spec.authorisation
        self.first_transfer_rule = None
        self.auth_day = None
        self.authorised_now = False
        self.revoked: tuple[str, int] | None = None   # (scope, day)
        self.waiting: list[tuple[str, tuple, int]] = []  # tranches issued before the authorisation
        if self.auth is not None:
            self.first_transfer_rule = self.auth.first_transfer or "international-transfer"
            self.auth_day = self._effective_authorisation_day()
            world.env.process(self.run())

    def _effective_authorisation_day(self) -> int:
        """The authorisation date, or the seller's initial report if that is later (para 18)."""
        w = self.world
        day = w.cal.day_of(self.auth.date)
        report = w.model.parties[self.seller].initial_report
        if report is not None and report > self.auth.date:
            w.violation("authorisation-before-initial-report",
                        f"{self.seller} may not authorise before its initial report ({report}); "
                        f"the authorisation takes effect on {report} (2/CMA.3 annex para 18)",
                        date=self.auth.date, party=self.seller, agreement=self.id)
            day = w.cal.day_of(report)
        return max(day, 0)

    # --- the process ------------------------------------------------------------
    def run(self):
        env = self.world.env
        if self.auth_day > self.world.cal.last_day:
            return
        yield env.timeout(max(0, self.auth_day - env.now))
        if self.revoked is not None and self.revoked[0] == "not-first-transferred":
            return   # revoked before it took effect (scope unissued: units issued earlier keep it)
        self.authorised_now = True
        reg = self.world.registry
        for account, key, issue_day in self.waiting:
            lot = reg.lots[account].get(key)
            if lot is not None:
                self.authorise(lot, account, issue_day)
        self.waiting.clear()

    # --- tranches ---------------------------------------------------------------
    def tranche_size(self, net: int, vintage: int, day: int) -> int:
        """Units this agreement takes from a net issuance: ``floor(share * net)`` within the cap."""
        if not self.vintages[0] <= vintage <= self.vintages[1]:
            return 0
        if self.revoked is not None:
            scope, rev_day = self.revoked
            if scope == "not-first-transferred" or day >= rev_day:
                return 0
        q = net * self.share[0] // self.share[1]
        if self.cap_left is not None:
            q = min(q, self.cap_left)
            self.cap_left -= q
        return q

    def receive(self, lot, quantity: int, account: str) -> None:
        """The first ``quantity`` units of a lot just issued are this agreement's tranche."""
        w = self.world
        day = w.day
        if self.auth is not None and self.authorised_now:
            self.authorise(lot, account, day, quantity)
            return
        tranche = w.registry.move(day, lot, account, account, quantity, "earmark",
                                  status=lot.status.with_agreement(self.id), record=False)
        if self.auth is None:
            self.schedule(account, tranche, day + self.spec.transfer_lag_days, 0)
        else:
            b = tranche.block
            self.waiting.append((account, (b.activity, b.vintage, b.first), day))

    def authorise(self, lot, account: str, issue_day: int, quantity: int | None = None) -> None:
        """Authorise a tranche (the first ``quantity`` units of ``lot``, default all), take the
        voluntary SOP and OMGE, schedule the delivery.

        The units taken for share of proceeds and OMGE are authorised but never
        first-transferred: the host adjusts for what is first transferred after these
        deductions. With an OIMP first-transfer definition met at authorisation
        (``authorisation`` or ``issuance``), the rest is first-transferred here, and an
        OMGE share ``at: first-transfer`` is cancelled here too.
        """
        w, reg, day = self.world, self.world.registry, self.world.day
        spec, rule = self.spec, self.first_transfer_rule
        ft_now = rule in ("authorisation", "issuance")
        lots = reg.lots[account]
        b = lot.block
        q = lot.quantity if quantity is None else quantity
        sop_units = deduction(q, self.sop_units)
        omge_units = deduction(q, self.omge_units)
        omge_now = omge_units if (spec.omge.at == "issuance" or ft_now) else 0
        deducted = min(sop_units + omge_now, q)
        status = Status("ITMO", self.id, self.auth.purpose, rule, False)
        purpose = self.auth.purpose
        # one authorization row for the whole tranche, unless the rest is first-transferred now
        head = reg.move(day, lot, account, account, deducted if ft_now else q, "authorization",
                        status=status, purpose=purpose) if (deducted or not ft_now) else None
        if sop_units:
            to = f"{MECHANISM}:adaptation-fund" if spec.sop.to == "adaptation-fund" else f"{self.seller}:host-adaptation"
            reg.move(day, head, account, to, sop_units, "adaptation-fund", purpose="SOP")
            head = lots.get((b.activity, b.vintage, b.first + sop_units))
        if omge_now and deducted > sop_units:
            w.cancel_for_omge(head, account, self.omge_account, deducted - sop_units, True)
        rest = q - deducted
        if rest <= 0:
            return
        lot = lots[(b.activity, b.vintage, b.first + deducted)]
        if ft_now:
            lot = reg.move(day, lot, account, account, rest, "authorization",
                           status=status.as_first_transferred(), purpose=purpose, first_transfer=True)
            w.record_first_transfer(b.host, b.vintage, rest, oimp=True)
        self.schedule(account, lot, max(issue_day + spec.transfer_lag_days, day), min(omge_units - omge_now, rest))

    def schedule(self, account: str, lot, due: int, omge_units: int) -> None:
        """A delivery: a call on the clock (no process per transfer, a6sim/engine/clock.py)."""
        env = self.world.env
        if due > self.world.cal.last_day:
            return
        key = (lot.block.activity, lot.block.vintage, lot.block.first)
        env.call_in(max(0, due - env._now), partial(self.deliver, account, key, omge_units))

    def deliver(self, account: str, key: tuple, omge_units: int) -> None:
        """Move a tranche to the buyer (:meth:`World.transfer_to_buyer`), after the OMGE
        cancellation due at first transfer."""
        w, reg = self.world, self.world.registry
        lot = reg.lots[account].get(key)
        if lot is None:
            return
        if self.auth is not None and not lot.status.authorised:
            return   # revoked before delivery: it stays with the seller
        b = lot.block
        if omge_units:
            omge_units = min(omge_units, lot.quantity)
            w.cancel_for_omge(lot, account, self.omge_account, omge_units, True)
            lot = reg.lots[account].get((b.activity, b.vintage, b.first + omge_units))
            if lot is None:
                return
        w.transfer_to_buyer(self, lot, account, lot.quantity)

    # --- revocation ---------------------------------------------------------------
    def revoke(self, scope: str) -> None:
        """Revoke the authorisation (docs/how-a6sim-counts.md).

        ``not-first-transferred``: units of this agreement not yet first-transferred lose
        their authorisation, wherever they are, and nothing more is delivered;
        ``unissued``: only units issued from today on are not authorised.
        """
        w, reg, day = self.world, self.world.registry, self.world.day
        self.revoked = (scope, day)
        if scope != "not-first-transferred":
            return
        for account, key, _ in self.waiting:   # earmarked, never authorised: free them
            lot = reg.lots[account].get(key)
            if lot is not None:
                reg.move(day, lot, account, account, lot.quantity, "earmark",
                         status=lot.status.with_agreement(None), record=False)
        self.waiting.clear()
        acts = w.model.activities   # the unit type of free units, per activity of this agreement only
        base = {a: unauthorised_type(acts[a].mechanism, acts[a].authorised) for a in self.spec.activities}

        def affected(lot):
            s = lot.status
            return s.agreement == self.id and s.authorised and not s.first_transferred

        # Units of this agreement are earmarked or authorised in its activities' accounts
        # and, once delivered, held in the buyer's holding account (a use moves them to
        # a use account, where status no longer matters), or in the holdings a resale
        # carried them to: look only there.
        where = [w.activity_account(a) for a in self.spec.activities] + [self.to_account]
        where += [acc for g in w.agreements.values() if g.resale for acc in (g.from_account, g.to_account)]
        for account, lot in reg.find(affected, kinds=("activity", "holding"), among=where):
            free = reg.accounts[account].kind == "activity"
            status = Status(base[lot.block.activity], None if free else self.id)
            reg.move(day, lot, account, account, lot.quantity, "revocation", status=status,
                     agreement=self.id, purpose=lot.status.purpose)
