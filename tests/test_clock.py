"""The run's clock (a6sim/engine/clock.py): calls on simpy's queue keep the order that
timeouts made at the same moments would have."""
from __future__ import annotations

import pytest
import simpy

from a6sim.engine.clock import Clock


def _story(env, use_calls: bool) -> list:
    """A process and chains of calls (or of timeouts with callbacks) acting on the same days."""
    seen = []

    def later(delay, what):
        if use_calls:
            env.call_in(delay, lambda: seen.append((env.now, what)))
        else:
            env.timeout(delay).callbacks.append(lambda _e: seen.append((env.now, what)))

    def process():
        for day in range(3):
            seen.append((env.now, f"process {day}"))
            later(1, f"from process {day}")
            later(0, f"now from process {day}")
            yield env.timeout(1)

    def chain(name, left):
        seen.append((env.now, name))
        if left:
            if use_calls:
                env.call_in(1, lambda: chain(name, left - 1))
            else:
                env.timeout(1).callbacks.append(lambda _e: chain(name, left - 1))

    env.process(process())
    later(0, "first")
    if use_calls:
        env.call_in(0, lambda: chain("chain", 2))
    else:
        env.timeout(0).callbacks.append(lambda _e: chain("chain", 2))
    later(2, "day 2")
    env.run(until=5)
    return seen


def test_calls_run_in_the_order_timeouts_would():
    # The same story told with simpy timeouts and with clock calls gives the same
    # sequence, event for event. Worked by hand: the process starts first (its
    # Initialize is URGENT); then, on each day, what was queued earlier goes first
    # (the event id breaks ties): "first" and the chain's first link were queued before
    # anything the process queues; "day 2" was queued at the start, so it leads day 2.
    with_timeouts = _story(simpy.Environment(), use_calls=False)
    with_calls = _story(Clock(), use_calls=True)
    assert with_calls == with_timeouts == [
        (0, "process 0"), (0, "first"), (0, "chain"), (0, "now from process 0"),
        (1, "from process 0"), (1, "process 1"), (1, "chain"), (1, "now from process 1"),
        (2, "day 2"), (2, "from process 1"), (2, "process 2"), (2, "chain"), (2, "now from process 2"),
        (3, "from process 2")]


def test_the_clock_stops_at_until_and_refuses_the_past():
    env = Clock()
    seen = []
    env.call_in(3, lambda: seen.append(env.now))
    env.call_in(7, lambda: seen.append(env.now))   # after until: never called
    env.run(until=5)
    assert seen == [3] and env.now == 5
    with pytest.raises(ValueError):
        env.call_in(-1, lambda: None)
    with pytest.raises(ValueError):
        env.run(until=4)


def test_a_failing_process_crashes_the_run_as_in_simpy():
    env = Clock()

    def broken():
        yield env.timeout(1)
        raise RuntimeError("broken actor")

    env.process(broken())
    with pytest.raises(RuntimeError, match="broken actor"):
        env.run(until=3)


def test_an_urgent_call_starts_where_a_process_would():
    # At time 0: a timeout queued first, then a process started, then an urgent call.
    # simpy runs the process's first step (urgent Initialize) before the timeout, and the
    # urgent call after the process's first step (queued later, same priority) but still
    # before the timeout: process, urgent call, timeout.
    from simpy.events import URGENT
    env = Clock()
    seen = []
    env.timeout(0).callbacks.append(lambda _e: seen.append("timeout"))

    def process():
        seen.append("process")
        yield env.timeout(1)

    env.process(process())
    env.call_in(0, lambda: seen.append("urgent call"), URGENT)
    env.run(until=2)
    assert seen == ["process", "urgent call", "timeout"]
