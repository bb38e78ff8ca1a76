"""The state of one run: the clock, the registry, the accounts and running figures.

Actors (activities, agreements, parties, events) act on the world through the
methods here, so every movement goes through the registry and its ledger.
"""
from __future__ import annotations

from collections import defaultdict

from ..accounting.ndc import accounting_year, ndc_specs
from ..calendar import Calendar
from ..registry import MECHANISM, Registry, Status
from ..registry.first_transfer import first_transfer_due
from .clock import Clock

__all__ = ["World", "unauthorised_type"]


def unauthorised_type(mechanism: str, activity_authorised: bool) -> str:
    """Unit type of units that carry no authorisation."""
    if mechanism == "6.2":
        return "MO"
    return "A6.4ER" if activity_authorised else "MCU"


class World:
    """Everything one simulation run changes."""

    def __init__(self, scenario, outcomes):
        m = scenario.model
        self.scenario = scenario
        self.model = m
        self.outcomes = outcomes
        self.env = Clock()
        self.cal = Calendar(m.period.start, m.period.end)
        self.registry = Registry()
        self.ndcs = {p: ndc_specs(scenario, p) for p in m.parties}   # every NDC period, in order
        self.ndc = {p: (specs[0] if specs else None) for p, specs in self.ndcs.items()}   # the first
        self.attribution = m.settings.ca_attribution
        self.ndc_and_oimp = m.settings.ndc_and_oimp_first_transfer
        # running figures (the ledger is the truth; these serve decisions during the run
        # and are checked against the ledger at the end)
        self.ft = defaultdict(int)        # (host, attribution year) -> first transferred
        self.ft_oimp = defaultdict(int)
        self.used = defaultdict(int)      # (party, accounting year) -> used towards its NDC
        self.violations: list[dict] = []
        self.shortfalls: list[dict] = []
        self.flows: list[tuple] = []      # (day, seller, buyer, agreement, quantity, value)
        self.sop_value = 0.0
        self.snapshots: list[tuple[int, dict]] = []
        self.agreements: dict = {}        # id -> engine Agreement
        self.parties: dict = {}           # id -> engine PartyActor
        self.history = None               # the recorded history's actor (format v2), if any
        self.held: dict | None = None     # account -> units held at the end (the end-of-run check's count)
        self._open_accounts()

    # --- accounts -------------------------------------------------------------
    def _open_accounts(self) -> None:
        reg = self.registry
        for p in self.model.parties:
            for kind in ("holding", "ndc-use", "oimp-use", "voluntary-cancellation", "omge-cancellation",
                         "host-adaptation", "buffer", "reversal-cancellation"):
                reg.open(f"{p}:{kind}", p, p, kind)
        for kind in ("adaptation-fund", "omge-cancellation", "buffer", "reversal-cancellation"):
            reg.open(f"{MECHANISM}:{kind}", MECHANISM, MECHANISM, kind)
        for e, ent in self.model.entities.items():
            reg.open(self.holding(e), ent.country, e, "holding")
            for kind in ("oimp-use", "voluntary-cancellation"):
                reg.open(self.use_account(e, kind), ent.country, e, kind)
        for a in self.model.activities:
            reg.open(self.activity_account(a), self._registry_of(a), a, "activity")

    def holding(self, holder: str) -> str:
        """Holding account of a party or an entity."""
        ent = self.model.entities.get(holder)
        return f"{ent.country}:entity:{holder}" if ent else f"{holder}:holding"

    def use_account(self, holder: str, kind: str) -> str:
        ent = self.model.entities.get(holder)
        return f"{ent.country}:entity:{holder}:{kind}" if ent else f"{holder}:{kind}"

    def _registry_of(self, activity: str) -> str:
        """Where an activity's units are issued: the mechanism registry (6.4) or the host's."""
        act = self.model.activities[activity]
        return MECHANISM if act.mechanism == "6.4" else act.host

    def activity_account(self, activity: str) -> str:
        return f"{self._registry_of(activity)}:activity:{activity}"

    def pool(self, activity: str, kind: str) -> str:
        """Buffer, OMGE-cancellation or reversal-cancellation account for an activity's units."""
        return f"{self._registry_of(activity)}:{kind}"

    # --- pickling -------------------------------------------------------------
    # A finished world pickles without its simulation machinery: the simpy environment
    # and the actors (generators bound to it) only serve while the run goes on.
    _MACHINERY = ("env", "agreements", "parties")

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in self._MACHINERY}
        state["_now"] = self.day
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.env, self.agreements, self.parties = None, {}, {}

    def release(self) -> None:
        """Free a finished run at once (a sweep does, once it has read the outcomes).

        The actors and the simpy environment hold the world and each other in reference
        cycles, which only a full collection of the cyclic garbage collector frees: a
        worker running world after world grew by 70 MiB a run (the 1x synthetic world),
        and one full collection costs 0.8 s. Emptying the world and the environment's
        queue leaves the registry, the ledger and the actors to plain reference counting.
        The world is unusable afterwards."""
        env = self.__dict__.get("env")
        if env is not None:
            env._queue.clear()
        self.__dict__.clear()

    # --- time -----------------------------------------------------------------
    @property
    def day(self) -> int:
        env = self.env   # simpy's ``now`` is ``_now`` behind a property: read it directly (hot path)
        return int(env._now) if env is not None else self._now

    def date(self, day: int | None = None):
        return self.cal.date_of(self.day if day is None else day)

    # --- records --------------------------------------------------------------
    def record_first_transfer(self, host: str, vintage: int, quantity: int, oimp: bool) -> None:
        """Keep the running first-transfer figure of the host (para 8(a)); with
        ``first-transfer-year``, after the host's NDC period: its last year (as a use)."""
        year = vintage if self.attribution == "vintage" else \
            accounting_year(self.ndcs.get(host), self.cal.year_of(self.day))
        self.ft[(host, year)] += quantity
        if oimp:
            self.ft_oimp[(host, year)] += quantity

    def cancel_for_omge(self, lot, from_account: str, to_account: str, quantity: int, authorised: bool):
        """Cancel units for OMGE. With ``settings.omge_host_adjustment`` the host adjusts
        for the authorised ones (not MCUs): an addition for their vintage, read off the
        ``cancellation`` row with purpose OMGE (docs/how-a6sim-counts.md: the texts leave
        it open). It is no first transfer: the row's ``first_transfer`` stays false."""
        moved = self.registry.move(self.day, lot, from_account, to_account, quantity, "cancellation",
                                   purpose="OMGE")
        if authorised and self.model.settings.omge_host_adjustment:
            self.record_first_transfer(lot.block.host, lot.block.vintage, quantity, oimp=False)
        return moved

    def transfer_to_buyer(self, agreement, lot, from_account: str, quantity: int):
        """Deliver the first ``quantity`` units of ``lot`` to an agreement's buyer (a host's
        agreement or a resale); return the moved lot.

        The transfer is a first transfer only if it is the units' first international
        transfer and their authorisation makes it one (2/CMA.3 annex para 2); then the
        host adds them (para 8(a)). A transfer into another registry writes the
        acquiring side's ``acquisition`` row. The value paid is ``quantity`` times the
        agreement's price of the year, ``sop.value`` of it the voluntary share of
        proceeds; then the buyer receives the units under the agreement's use policy."""
        reg, day = self.registry, self.day
        to, b, status = agreement.to_account, lot.block, lot.status
        international = reg.accounts[to].registry not in (b.host, MECHANISM)
        ft = international and self.first_transfer_now(status, "international-transfer")
        if ft:
            status = status.as_first_transferred()
        moved = reg.move(day, lot, from_account, to, quantity, "first-transfer" if ft else "transfer",
                         status=status, purpose=status.purpose, first_transfer=ft)
        if ft:
            self.record_first_transfer(b.host, b.vintage, quantity, oimp=False)
        if reg.accounts[from_account].registry != reg.accounts[to].registry:   # the acquiring side's record
            reg.record(day, moved, to, "acquisition", purpose=status.purpose)
        year = self.cal.year_of(day)
        price = agreement.prices.get(year)
        if price is None:
            price = agreement.prices[year] = self.scenario.price(agreement.id, year)
        value = quantity * price
        self.flows.append((day, agreement.seller, agreement.buyer, agreement.id, quantity, value))
        self.sop_value += value * agreement.sop_value
        self.parties[agreement.buyer].receive(agreement, (b.activity, b.vintage, b.first))
        return moved

    def violation(self, kind: str, reason: str, quantity: int = 0, date=None, **where) -> None:
        """A refused action: recorded, never silently dropped (dated today unless ``date``)."""
        self.violations.append(self._record(kind, reason, quantity, date, where))

    def shortfall(self, kind: str, reason: str, quantity: int, date=None, **where) -> None:
        """Units that should be somewhere and are not (buffer, replenishment)."""
        self.shortfalls.append(self._record(kind, reason, quantity, date, where))

    def _record(self, kind, reason, quantity, date, where) -> dict:
        return {"date": (date or self.date()).isoformat(), "kind": kind, "quantity": quantity,
                **where, "reason": reason}

    def first_transfer_now(self, status: Status, trigger: str) -> bool:
        """Does ``trigger`` (authorisation | issuance | international-transfer |
        use-or-cancellation) first-transfer units of this status? 2/CMA.3 annex para 2."""
        return first_transfer_due(status, trigger, self.ndc_and_oimp)
