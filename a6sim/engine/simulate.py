"""Wire the actors of a scenario into one simpy environment and run it."""
from __future__ import annotations

import gc
from typing import Callable, Optional

from ..accounting.inventory import inventories, scenario_reversals
from ..registry import check_invariants
from .activity import ActivityActor
from .agreement import AgreementActor
from .events import EventsActor
from .holder import HolderActor
from .outcomes import outcomes
from .world import World

__all__ = ["run_world", "SNAPSHOT"]

SNAPSHOT = 0.75   # fraction of a day: holdings are read after the year-end uses


def run_world(scenario, progress: Optional[Callable[[int, int], None]] = None) -> World:
    """Simulate a scenario; return the finished :class:`World` (invariants checked).

    ``progress(year, last_year)`` is called as each simulated year closes. The cyclic
    garbage collector is paused during the run: the engine allocates many small tuples
    and creates no reference cycles worth collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(scenario, progress)
    finally:
        if enabled:
            gc.enable()


def _run(scenario, progress) -> World:
    out = outcomes(scenario)
    world = World(scenario, out)
    world.inventory = inventories(scenario, out.realised, scenario_reversals(scenario))
    activities = {a: ActivityActor(world, a) for a in world.model.activities}
    for g, spec in world.model.agreements.items():
        actor = AgreementActor(world, g)
        world.agreements[g] = actor
        for a in dict.fromkeys(spec.activities):
            activities[a].takers.append(actor)
        if spec.buyer not in world.parties:
            world.parties[spec.buyer] = HolderActor(world, spec.buyer)
    EventsActor(world)
    world.env.process(_year_ends(world, progress))
    world.env.run(until=world.cal.last_day + 1)
    check_invariants(world.registry)
    return world


def _year_ends(world: World, progress):
    env, cal, totals = world.env, world.cal, world.registry.totals
    for year in range(cal.start_year, cal.end_year + 1):
        yield env.timeout(cal.year_end(year) + SNAPSHOT - env.now)
        world.snapshots.append((cal.year_end(year), dict(totals)))
        if progress is not None:
            progress(year, cal.end_year)
