"""The run's clock: simpy's environment, with calls at a time as a cheaper kind of event.

Most of what happens in a run is a plain call at a later day (an issuance, a delivery):
no process waits for it and nothing else listens. A :class:`simpy.events.Timeout` with
a callback does that at the price of an event object, its callback list and a method
call per step. :meth:`Clock.call_in` puts the call itself on simpy's queue, in the
same place a timeout made at that moment would take: same time, same priority
(``NORMAL``, or ``URGENT`` for a call that starts as a process would), the next event
id. So calls and events of one day keep exactly the order they would have as timeouts.
:meth:`Clock.run` steps through the queue as :meth:`simpy.Environment.run` does, and
calls a queued call instead of processing it as an event.
"""
from __future__ import annotations

from functools import partial
from heapq import heappop, heappush
from types import FunctionType, MethodType

import simpy
from simpy.core import EmptySchedule
from simpy.events import NORMAL, URGENT, Event

__all__ = ["Clock"]

_CALLS = frozenset((FunctionType, MethodType, partial))   # what call_in queues (no simpy event)


class Clock(simpy.Environment):
    """A simpy environment whose queue may also hold plain calls (see the module)."""

    def call_in(self, delay, call, priority=NORMAL) -> None:
        """Call ``call()`` after ``delay``, ordered as a timeout made now would be; with
        ``priority=URGENT`` and no delay, where a process started now takes its first step
        (simpy's :class:`~simpy.events.Initialize` is urgent)."""
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        if type(call) not in _CALLS:
            call = partial(call)
        heappush(self._queue, (self._now + delay, priority, next(self._eid), call))

    def run(self, until=None):
        """Run until the time ``until`` (a number), as :meth:`simpy.Environment.run` does."""
        if until is None or isinstance(until, Event):
            return super().run(until)
        at = until if isinstance(until, int) else float(until)
        if at <= self._now:
            raise ValueError(f"until ({at}) must be greater than the current simulation time")
        stop = Event(self)   # simpy's own stop: urgent, at ``until``
        stop._ok, stop._value = True, None
        self.schedule(stop, URGENT, at - self._now)
        queue, calls = self._queue, _CALLS
        while queue:
            self._now, _, _, event = heappop(queue)
            if event is stop:
                return None
            if type(event) in calls:
                event()
                continue
            callbacks, event.callbacks = event.callbacks, None
            for callback in callbacks:
                callback(event)
            if not event._ok and not hasattr(event, "_defused"):
                exc = type(event._value)(*event._value.args)   # a failed event crashes the run, as in simpy
                exc.__cause__ = event._value
                raise exc
        raise RuntimeError(f"No scheduled events left but 'until' ({at}) was not reached") from EmptySchedule()
