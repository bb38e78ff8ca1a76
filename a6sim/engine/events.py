"""Scenario events: revocation of an authorisation, reversals at removal activities.

Reversals (docs/how-a6sim-counts.md, Art. 6.4 removals standard): R tonnes re-enter
the host's inventory in the year of the reversal (computed by
:func:`a6sim.accounting.inventory.inventories`); R units are cancelled from the
buffer pool. An avoidable reversal also obliges the activity participant to put R
units of that activity back into the buffer within the deadline; what it cannot is
recorded as a shortfall (``summary.json`` ``shortfalls``).
"""
from __future__ import annotations

import datetime
from functools import partial

from .world import World

__all__ = ["EventsActor"]


class EventsActor:
    """One simpy process that fires the scenario's events in date order."""

    def __init__(self, world: World):
        self.world = world
        world.env.process(self.run())

    def run(self):
        w, env = self.world, self.world.env
        for ev in sorted(w.model.events, key=lambda e: e.date):
            yield env.timeout(w.cal.day_of(ev.date) - env.now)
            if ev.type == "revoke-authorisation":
                w.agreements[ev.agreement].revoke(ev.scope)
            else:
                self.reversal(ev)

    def reversal(self, ev) -> None:
        w, reg, day = self.world, self.world.registry, self.world.day
        quantity = w.scenario.tonnes(ev.quantity)
        buffer = w.pool(ev.activity, "buffer")
        moved = reg.take(day, buffer, w.pool(ev.activity, "reversal-cancellation"), quantity, "reversal",
                         purpose="reversal")
        covered = sum(lot.quantity for lot in moved)
        if covered < quantity:
            w.shortfall("buffer", f"the buffer pool held {covered} of the {quantity} tonnes reversed",
                        quantity - covered, activity=ev.activity)
        if ev.avoidable:
            left = self.replenish(ev.activity, quantity)
            if left:
                due = ev.date + datetime.timedelta(days=ev.replenish_within_days)
                if w.cal.day_of(due) > w.cal.last_day:   # still time when the run ends: not yet a breach
                    w.shortfall("replenishment-due", f"{left} units still to be replenished by {due}", left,
                                activity=ev.activity)
                    return
                w.env.call_in(w.cal.day_of(due) - w.env.now, partial(self.deadline, ev, left))

    def replenish(self, activity: str, quantity: int) -> int:
        """Move up to ``quantity`` free units of the activity into the buffer; return what is missing."""
        w = self.world
        moved = w.registry.take(w.day, w.activity_account(activity), w.pool(activity, "buffer"), quantity,
                                "replenishment", where=lambda lot: lot.status.agreement is None,
                                purpose="replenishment")
        return quantity - sum(lot.quantity for lot in moved)

    def deadline(self, ev, left: int) -> None:
        missing = self.replenish(ev.activity, left)
        if missing:
            w = self.world
            w.shortfall("replenishment", f"avoidable reversal of {ev.date}: {missing} of "
                                         f"{w.scenario.tonnes(ev.quantity)} units not replenished within "
                                         f"{ev.replenish_within_days} days", missing, activity=ev.activity)
