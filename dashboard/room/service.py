"""The room's actions against its store: apply an action, simulate when the deals or
events changed, write both, or refuse with the action's message and write nothing.
"""
from __future__ import annotations

import time
from typing import Optional

import a6sim

from . import actions as ra
from . import scenario as rs
from .store import RoomStore

__all__ = ["create_room", "perform", "SIMULATED"]

#: actions after which the room's scenario is simulated again (deals, events, round ends)
SIMULATED = {"respond", "inject", "end_round"}


def create_room(store: RoomStore, text: str, source: str, minutes: float = 10, ttl_hours: float = 48,
                now: Optional[float] = None) -> dict:
    """A new room stored with its first outcome (the scenario without deals). Raises
    ``a6sim.ScenarioError`` or :class:`~.actions.Refused`."""
    now = time.time() if now is None else now
    for _ in range(20):
        state = ra.new_room(text, source, now, minutes, ttl_hours)
        try:
            store.create(state, rs.room_outcome(state), now)
            return state
        except KeyError:      # the room code is taken: draw another
            continue
    raise ra.Refused("no free room code: try again")


def perform(store: RoomStore, room: str, name: str, now: Optional[float] = None, **fields) -> tuple[int, dict, dict]:
    """Apply the action ``name`` of :mod:`.actions` to the room coded ``room``.

    Raises :class:`~.actions.Refused` (nothing stored) or ``LookupError`` for an
    unknown or expired room."""
    now = time.time() if now is None else now
    fn = getattr(ra, name)

    def step(state, outcome):
        if name == "end_round":
            new = fn(state, now, outcome=rs.room_outcome(state), **fields)
        else:
            new = fn(state, now, **fields)
        if name in SIMULATED:
            try:
                outcome = rs.room_outcome(new)
            except a6sim.ScenarioError as exc:      # checked by the action already; never stored
                raise ra.Refused("the room's scenario would not be valid: "
                                 + "; ".join(i.message for i in exc.issues)) from None
        return new, outcome

    return store.apply(room, step, now)
