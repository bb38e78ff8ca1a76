"""The recorded history as a simpy process of a run (one registry, one ledger).

Each step happens on its day, in the order of :class:`~a6sim.history.book.Book`,
in the same registry as the modelled activities and agreements. The history was
replayed once already by the checks, so a failure here is a bug in a6sim.
"""
from __future__ import annotations

from ..registry import RegistryError
from .book import Book
from .replay import HistoryError, Replayer

__all__ = ["HistoryActor"]


class HistoryActor:
    """Replays a scenario's recorded history inside a :class:`~a6sim.engine.world.World`."""

    def __init__(self, world):
        m = world.model
        self.world = world
        self.book = Book(m)

        def ndc_use(party, year, q):
            world.used[(party, year)] += q

        def violation(kind, reason, date, **where):
            world.violation(kind, reason, date=date, **where)

        self.replayer = Replayer(self.book, world.registry, ndc_and_oimp=m.settings.ndc_and_oimp_first_transfer,
                                 on_first_transfer=lambda h, v, q, oimp: world.record_first_transfer(h, v, q, oimp),
                                 on_ndc_use=ndc_use, on_violation=violation)
        if self.book.steps:
            world.env.process(self.run())

    def run(self):
        env, last = self.world.env, self.world.cal.last_day
        for day, rank, ref in self.book.steps:
            if day > last:
                return
            if day > env.now:
                yield env.timeout(day - env.now)
            try:
                self.replayer.step(day, rank, ref)
            except HistoryError as exc:
                raise RegistryError(f"recorded history passed the checks but failed in the run: {exc.message}") from None
