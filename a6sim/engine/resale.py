"""Resale agreements: a seller that is not the host sells units it holds (a secondary market).

docs/how-a6sim-counts.md, "Resale agreements". On the delivery day of each delivery
year the seller transfers up to ``quantity`` tonnes from its holding account: units
of the agreement's activities (modelled, or recorded projects ``{programme}-{project}``)
and of its vintages if it names them, that are authorised, oldest vintage and lowest
serial first (:meth:`Registry.find`).

* Only the host authorises (2/CMA.3 annex paras 1-2): a resale has no authorisation of
  its own. It delivers only units that carry one (authorised by the host for an
  earlier transfer, or by a recorded authorisation) and never changes it.
* Only a unit's first transfer triggers the host's addition (2/CMA.3 annex para 2).
  Units bought from the host were first-transferred then: their resale is a
  ``transfer`` and adds nothing for anyone. Units never first-transferred (held by an
  entity in the host's own registry, or OIMP units whose definition is
  ``use-or-cancellation``) follow the same rule as every transfer
  (:func:`a6sim.registry.first_transfer.first_transfer_due`): if the resale is their
  first international transfer and their authorisation makes that the first
  transfer, it is one, and the host adds them.
* A transfer into another registry writes the receiving side's ``acquisition`` row.
* A seller holding less than the year's quantity delivers what it holds; the rest is
  not carried over, and is listed in ``shortfalls`` (kind ``resale-delivery``).
* The value paid is ``quantity × price`` of the delivery year; ``sop.value`` of it is
  the voluntary share of proceeds in money. The buyer uses what it receives under the
  resale's own use policy and purpose.
"""
from __future__ import annotations

from ..scenario.resale_checks import delivery_date
from .world import World

__all__ = ["ResaleActor", "RESALE_TIME"]

RESALE_TIME = 0.25   # fraction of a day: after the day's issuances and deliveries, before year-end uses


class ResaleActor:
    """One resale agreement: a simpy process that delivers each delivery year."""

    resale = True
    auth = None          # no authorisation of its own (only the host authorises)
    revoked = None

    def __init__(self, world: World, agreement_id: str):
        self.world = world
        self.id = agreement_id
        self.spec = spec = world.model.agreements[agreement_id]
        m = world.model
        self.seller, self.buyer = spec.seller, spec.buyer
        self.purpose, self.policy = spec.use.resolved(spec.buyer in m.parties)
        self.sop_value = spec.sop.value
        self.prices: dict[int, float] = {}
        self.from_account = world.holding(spec.seller)
        self.to_account = world.holding(spec.buyer)
        self.activities = frozenset(spec.activities)
        self.vintages = tuple(spec.vintages) if spec.vintages else None
        self.cap_left = world.scenario.tonnes(spec.cap) if spec.cap is not None else None
        self.deliveries = self._deliveries()
        if self.deliveries:
            world.env.process(self.run())

    def _deliveries(self) -> list[tuple[int, int]]:
        """``(day, tonnes)`` of each delivery inside the simulated period, in date order."""
        w, q = self.world, self.spec.quantity
        cal = w.cal
        years = sorted(q) if isinstance(q, dict) else range(cal.start_year, cal.end_year + 1)
        out = []
        for year in years:
            tonnes = w.scenario.tonnes(q[year] if isinstance(q, dict) else q)
            day = cal.day_of(delivery_date(self.spec, year))
            if tonnes > 0 and 0 <= day <= cal.last_day:
                out.append((day, tonnes))
        return out

    def run(self):
        env = self.world.env
        for day, tonnes in self.deliveries:
            yield env.timeout(day + RESALE_TIME - env.now)
            self.deliver(tonnes)

    def wanted(self, lot) -> bool:
        """Units this resale may deliver: its activities and vintages, authorised."""
        b = lot.block
        if b.activity not in self.activities or not lot.status.authorised:
            return False
        return self.vintages is None or self.vintages[0] <= b.vintage <= self.vintages[1]

    def deliver(self, tonnes: int) -> int:
        """Deliver up to ``tonnes`` (within the cap) from the seller's holdings; return what moved."""
        w = self.world
        if self.cap_left is not None:
            tonnes = min(tonnes, self.cap_left)
        if tonnes <= 0:
            return 0
        left = tonnes
        for account, lot in w.registry.find(self.wanted, kinds=("holding",), among=(self.from_account,)):
            if left <= 0:
                break
            take = min(left, lot.quantity)
            self.transfer(lot, take)
            left -= take
        delivered = tonnes - left
        if self.cap_left is not None:
            self.cap_left -= delivered
        if left:
            w.shortfall("resale-delivery", f"{self.seller} held {delivered} of the {tonnes} tonnes resale "
                                           f"{self.id} delivers this year (authorised units of "
                                           f"{', '.join(sorted(self.activities))}); it delivered what it held",
                        left, agreement=self.id, party=self.seller)
        return delivered

    def transfer(self, lot, quantity: int) -> None:
        """Move the first ``quantity`` units of a held lot to the buyer (para 2: a first
        transfer only if this is the units' first transfer: :meth:`World.transfer_to_buyer`)."""
        w, b = self.world, lot.block
        w.transfer_to_buyer(self, lot, self.from_account, quantity)
        if quantity < lot.quantity:   # the rest stays with the seller under a new key
            seller = w.parties.get(self.seller)
            if seller is not None:
                seller.rekey((b.activity, b.vintage, b.first), (b.activity, b.vintage, b.first + quantity))
