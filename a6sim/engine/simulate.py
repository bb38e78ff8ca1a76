"""Wire the actors of a scenario into one simpy environment and run it."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Optional

from ..accounting.inventory import inventories, scenario_reversals
from ..registry import RegistryError, check_invariants
from .activity import ActivityActor
from .agreement import AgreementActor
from .events import EventsActor
from .holder import HolderActor
from .outcomes import outcomes
from .resale import ResaleActor
from ..scenario.resale_checks import activity_hosts, is_resale
from .world import World

__all__ = ["paused_gc", "run_world", "SNAPSHOT"]

SNAPSHOT = 0.75   # fraction of a day: holdings are read after the year-end uses


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector: a run allocates many small tuples and makes no
    reference cycles worth collecting, and each collection would scan the whole ledger."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Move what the run allocated to the oldest generation without scanning it
        # (freeze + unfreeze), so re-enabling does not start a collection of it all.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def run_world(scenario, progress: Optional[Callable[[int, int], None]] = None) -> World:
    """Simulate a scenario; return the finished :class:`World` (invariants checked).

    ``progress(year, last_year)`` is called as each simulated year closes.
    """
    with paused_gc():
        return _run(scenario, progress)


def _run(scenario, progress) -> World:
    out = outcomes(scenario)
    world = World(scenario, out)
    world.inventory = inventories(scenario, out.realised, scenario_reversals(scenario), out.leakage)
    activities = {a: ActivityActor(world, a) for a in world.model.activities}
    hosts = activity_hosts(world.model)
    for g, spec in world.model.agreements.items():
        if is_resale(world.model, spec, hosts):   # a secondary market: sells from the seller's holdings
            world.agreements[g] = ResaleActor(world, g)
        else:
            actor = world.agreements[g] = AgreementActor(world, g)
            for a in dict.fromkeys(spec.activities):
                activities[a].takers.append(actor)
        if spec.buyer not in world.parties:
            world.parties[spec.buyer] = HolderActor(world, spec.buyer)
    EventsActor(world)
    if world.model.issuances or world.model.transactions or world.model.authorisations:
        from ..history.actor import HistoryActor
        world.history = HistoryActor(world)
    world.env.process(_year_ends(world, progress))
    world.env.run(until=world.cal.last_day + 1)
    world.held = check_invariants(world.registry)
    return world


def _year_ends(world: World, progress):
    """At every 31 December: check conservation and keep the holdings that changed.

    ``world.snapshots`` holds ``(day, {(account, unit_type, vintage): tonnes})`` with
    only the keys changed since the previous snapshot (0: emptied); the holdings as
    of a year end are the latest value of every key up to it (:mod:`a6sim.holdings`).
    """
    env, cal, reg = world.env, world.cal, world.registry
    totals, changed = reg.totals, reg.changed
    for year in range(cal.start_year, cal.end_year + 1):
        yield env.timeout(cal.year_end(year) + SNAPSHOT - env.now)
        held, issued = sum(totals.values()), sum(reg.issued.values())
        if held != issued:   # conservation at every year end, not only at the end of the run
            raise RegistryError(f"31 December {year}: issued {issued}, held+used+cancelled {held}")
        world.snapshots.append((cal.year_end(year), {k: totals.get(k, 0) for k in changed}))
        changed.clear()
        if progress is not None:
            progress(year, cal.end_year)
