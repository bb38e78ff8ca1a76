"""Benchmark a6sim on a synthetic world.

    python benchmarks/run.py [--parties 150 --activities 3000 --agreements 1500 --years 15]
                             [--seed 1] [--repeat 3] [--json FILE] [--profile]

What is measured, and how
-------------------------
Each repeat runs in a fresh Python subprocess (this script with ``--child``), one
after the other (never in parallel: the figures would fight for the cores). The child
imports a6sim, generates the world with :func:`synthetic.synthetic_world`, validates it
with ``a6sim.scenario_from_dict``, calls ``gc.collect()`` and then times

* ``a6sim.simulate(scenario)`` -- the headline *wall time* (``time.perf_counter``;
  the garbage collector stays enabled, as in real use). Inside it, the time spent in
  ``simpy.Environment.run`` (the engine loop) is taken by wrapping that one method
  with a timer (a single extra call per run), and the time spent in the cyclic garbage
  collector with a ``gc.callbacks`` clock (one call per collection). The process CPU
  time (``time.process_time``) is reported beside the wall time: on a shared machine
  the wall time includes waiting for a core, the CPU time does not;
* ``results.summary`` (lazy in a6sim; where ``ledger_rows`` comes from) on its own.

The reported wall time is the median over the repeats.

*Peak memory* is the child's RSS high-water mark, ``resource.getrusage(RUSAGE_SELF)
.ru_maxrss`` read by the child at its end (KiB on Linux): the whole process --
interpreter, imports (pandas, numpy, pydantic), the generated scenario dict, the
validated scenario and the run. The parent cross-checks it with
``getrusage(RUSAGE_CHILDREN).ru_maxrss``. The RSS right after the imports is reported
too, so the part due to the run is visible. Not tracemalloc: that sees only Python
allocations and slows the run several-fold.

*Events* are the simpy events the run scheduled. simpy 4 numbers every scheduled event
with ``next(env._eid)`` (``env._eid = itertools.count()``); :func:`scheduled_events`
reads the counter's next value from its ``repr`` (``count(N)``), which does not advance
it. If a future simpy changes that private attribute, the helper raises and the child
counts instead with a wrapped ``Environment.schedule`` (:func:`counting_schedule`) in an
extra, untimed run. *Processed* events are the scheduled ones minus those still queued
at the end. Events per second = scheduled events / simulate wall time.

The *ratio* compares a6sim with a bare simpy loop that schedules the same number of
events (:func:`bare_simpy`): as many processes as a6sim starts (counted as the
``Initialize`` events queued when a6sim's ``env.run`` begins), each yielding
``env.timeout`` in a loop, spread evenly over the same simulated horizon (days), no
work per event; the number of timeouts is chosen so that the total scheduled count
(the timeouts plus simpy's own: an ``Initialize`` and a termination per process and the
``until`` event, counted in an untimed calibration run) equals a6sim's exactly, and this
is checked with the same counter. Its timed part is
creating the environment and the processes plus ``env.run`` -- like a6sim's, which
creates its actors and runs. It is measured the same way (fresh subprocess, median of
the repeats). This is a fair floor: a6sim's deliveries are timeouts with a callback
(cheaper than resuming a generator), so the bare loop does at least as much simpy work
per event. ``ratio = a6sim simulate wall / bare simpy wall``; the engine-loop-only ratio
(``env.run`` vs ``env.run``) is printed as well.

Targets (PASS/FAIL): wall < 10 s and peak RSS < 1 GiB at the target size
(150/3000/1500/15), ratio <= 5 at any size.

``--profile`` runs one more, in-process simulation under cProfile (after the timed
runs, so it does not disturb them) and prints the top 25 functions by cumulative and
by own time. cProfile slows the run; read its figures as proportions.

Exit status: 0 when every target that applies passes, 1 otherwise.
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synthetic import TARGET_SIZE, synthetic_world  # noqa: E402

TARGET_WALL_S = 10.0
TARGET_PEAK_BYTES = 1 << 30
TARGET_RATIO = 5.0


# --- simpy event counting ---------------------------------------------------------
def scheduled_events(env) -> int:
    """Events scheduled so far in a simpy ``Environment``, without disturbing it.

    Reads the next value of the private counter ``env._eid`` (an ``itertools.count``)
    from its repr, which does not advance it. Raises ``RuntimeError`` if the counter is
    not there or not in that form (a simpy other than 4.x).
    """
    eid = getattr(env, "_eid", None)
    if not isinstance(eid, itertools.count):
        raise RuntimeError("simpy Environment has no itertools.count _eid")
    m = re.fullmatch(r"count\((\d+)\)", repr(eid))
    if m is None:
        raise RuntimeError(f"unexpected repr of env._eid: {eid!r}")
    return int(m.group(1))


@contextmanager
def counting_schedule():
    """Count every ``Environment.schedule`` call, and every call queued on a6sim's clock
    (``Clock.call_in``, which takes an event id without an event), while the block runs
    (all environments).

    Yields a one-element list holding the count. Adds a Python call per event: use it
    for counting runs, never for timed ones.
    """
    import simpy.core
    from a6sim.engine.clock import Clock
    original, original_call = simpy.core.Environment.schedule, Clock.call_in
    box = [0]

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        box[0] += 1
        return original(self, event, priority, delay)

    def call_in(self, delay, call, priority=simpy.core.NORMAL):
        box[0] += 1
        return original_call(self, delay, call, priority)

    simpy.core.Environment.schedule, Clock.call_in = schedule, call_in
    try:
        yield box
    finally:
        simpy.core.Environment.schedule, Clock.call_in = original, original_call


@contextmanager
def timed_env_run(record: dict):
    """Wrap ``simpy.Environment.run`` with a timer; keep the env and its starting queue.

    ``record`` gets ``run_s`` (seconds in run), ``env`` and ``processes`` (the number of
    ``Initialize`` events queued when run starts: one per process started before it).
    """
    import simpy.core
    import simpy.events
    original = simpy.core.Environment.run

    def run(self, until=None):
        record["env"] = self
        record["processes"] = sum(isinstance(item[-1], simpy.events.Initialize) for item in self._queue)
        t0 = time.perf_counter()
        try:
            return original(self, until)
        finally:
            record["run_s"] = record.get("run_s", 0.0) + time.perf_counter() - t0

    simpy.core.Environment.run = run
    try:
        yield record
    finally:
        simpy.core.Environment.run = original


def _bare_env(processes: int, timeouts: int, horizon: float):
    """An environment with the bare loop's processes started (not yet run)."""
    import simpy
    base, extra = divmod(timeouts, processes)

    def actor(env, k, step, first):
        if k:
            yield env.timeout(first)
            for _ in range(k - 1):
                yield env.timeout(step)

    env = simpy.Environment()
    for i in range(processes):
        k = base + (1 if i < extra else 0)
        step = horizon / (k + 1)
        env.process(actor(env, k, step, step * (i + 1) / processes))
    return env


def bare_simpy(processes: int, events: int, horizon: float) -> dict:
    """The bare simpy loop: ``processes`` processes yielding timeouts, ``events`` scheduled.

    Process i yields ``env.timeout`` k_i times (the k_i differ by at most one), first a
    fraction (i+1)/processes of its step, then whole steps of ``horizon / (k_i + 1)``:
    the processes are not in lockstep and every timeout falls before ``horizon``. The
    events simpy schedules besides the timeouts (an ``Initialize`` and a termination per
    process, the ``until`` event, which simpy 4.1 schedules again when it stops the run)
    are counted in an untimed run of the same processes without timeouts, so the
    number of timeouts makes the total equal ``events`` exactly whatever the simpy
    version.
    """
    calib = _bare_env(processes, 0, horizon)
    calib.run(until=horizon)
    overhead = scheduled_events(calib)
    timeouts = events - overhead
    if processes < 1 or timeouts < 0:
        raise ValueError(f"cannot build {events} events from {processes} processes")
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    env = _bare_env(processes, timeouts, horizon)
    t1 = time.perf_counter()
    env.run(until=horizon)
    t2, c2 = time.perf_counter(), time.process_time()
    scheduled = scheduled_events(env)
    return {"wall_s": t2 - t0, "cpu_s": c2 - c0, "run_s": t2 - t1, "setup_s": t1 - t0, "events": scheduled,
            "processed": scheduled - len(env._queue), "processes": processes, "timeouts": timeouts}


# --- children -----------------------------------------------------------------------
def _rss_kib_now() -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def child_a6sim(size: dict, seed: int) -> dict:
    t0 = time.perf_counter()
    import a6sim
    import simpy
    t_import = time.perf_counter() - t0
    rss_imports = _rss_kib_now()
    t0 = time.perf_counter()
    world = synthetic_world(**size, seed=seed)
    t_generate = time.perf_counter() - t0
    t0 = time.perf_counter()
    scenario = a6sim.scenario_from_dict(world)
    t_validate = time.perf_counter() - t0
    gc.collect()
    rec: dict = {}
    gc_time = [0.0, 0.0, 0]   # seconds in cyclic GC, start of the current pass, passes

    def gc_clock(phase, info):
        if phase == "start":
            gc_time[1] = time.perf_counter()
        else:
            gc_time[0] += time.perf_counter() - gc_time[1]
            gc_time[2] += 1

    gc.callbacks.append(gc_clock)
    with timed_env_run(rec):
        c0, t0 = time.process_time(), time.perf_counter()
        results = a6sim.simulate(scenario)
        t_simulate, c_simulate = time.perf_counter() - t0, time.process_time() - c0
    gc.callbacks.remove(gc_clock)
    t0 = time.perf_counter()
    summary = results.summary
    t_summary = time.perf_counter() - t0
    env = results.world.env
    if rec.get("env") is not env:
        raise RuntimeError("a6sim did not run its environment through simpy.Environment.run")
    try:
        events, counted_by = scheduled_events(env), "env._eid"
        processed = events - len(env._queue)
    except RuntimeError:   # another simpy: count in a second, untimed run
        with counting_schedule() as box:
            a6sim.simulate(scenario)
        events, counted_by, processed = box[0], "wrapped Environment.schedule", None
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "import_s": t_import, "generate_s": t_generate, "validate_s": t_validate,
        "simulate_s": t_simulate, "simulate_cpu_s": c_simulate, "env_run_s": rec["run_s"],
        "summary_s": t_summary, "gc_s": gc_time[0], "gc_passes": gc_time[2],
        "events": events, "processed": processed, "events_counted_by": counted_by,
        "processes": rec["processes"], "horizon": results.world.cal.last_day + 1,
        "ledger_rows": summary["ledger_rows"], "violations": len(summary["violations"]),
        "shortfalls": len(summary["shortfalls"]),
        "issued": summary["issued"], "first_transferred": summary["first_transferred"],
        "used": summary["used"], "world": {k: len(world[k]) for k in
                                            ("parties", "entities", "activities", "agreements", "events")},
        "peak_rss_kib": peak_kib, "rss_after_imports_kib": rss_imports,
        "python": platform.python_version(), "simpy": simpy.__version__, "a6sim": a6sim.__version__,
    }


def _spawn(args: list[str], timeout: float) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child failed ({' '.join(args)}), exit status {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the report -----------------------------------------------------------------------
def _fmt_bytes(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def profile(size: dict, seed: int, top: int = 25) -> str:
    import cProfile
    import io
    import pstats
    import a6sim
    scenario = a6sim.scenario_from_dict(synthetic_world(**size, seed=seed))
    gc.collect()
    prof = cProfile.Profile()
    prof.enable()
    results = a6sim.simulate(scenario)
    _ = results.summary
    prof.disable()
    out = io.StringIO()
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        out.write(f"\n--- cProfile: a6sim.simulate + summary, top {top} by {title} ---\n")
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats(key).print_stats(top)
    return out.getvalue()


def _git_commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "a6sim"], cwd=HERE.parent,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("+dirty(a6sim)" if dirty else "") if head else None
    except (OSError, subprocess.SubprocessError):
        return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark a6sim.simulate on a synthetic world.")
    ap.add_argument("--parties", type=int, default=TARGET_SIZE["parties"])
    ap.add_argument("--activities", type=int, default=TARGET_SIZE["activities"])
    ap.add_argument("--agreements", type=int, default=TARGET_SIZE["agreements"])
    ap.add_argument("--years", type=int, default=TARGET_SIZE["years"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs, each in a fresh subprocess (median reported)")
    ap.add_argument("--json", metavar="FILE", help="save the figures as JSON")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile top 25 (cumulative, own time)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed per child run")
    ap.add_argument("--child", choices=("a6sim", "simpy"), help=argparse.SUPPRESS)
    ap.add_argument("--processes", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--events", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--horizon", type=float, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    size = {"parties": a.parties, "activities": a.activities, "agreements": a.agreements, "years": a.years}

    if a.child == "a6sim":
        print(json.dumps(child_a6sim(size, a.seed)))
        return 0
    if a.child == "simpy":
        print(json.dumps(bare_simpy(a.processes, a.events, a.horizon)))
        return 0
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")

    common = [f"--{k}={v}" for k, v in size.items()] + [f"--seed={a.seed}"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None and load > 0.5 * (os.cpu_count() or 1):
        print(f"note: load average {load:.2f} on {os.cpu_count()} CPUs: other work may slow the timings",
              flush=True)
    print(f"a6sim benchmark: parties={a.parties} activities={a.activities} agreements={a.agreements} "
          f"years={a.years} seed={a.seed} repeat={a.repeat}", flush=True)
    runs = []
    for i in range(a.repeat):
        r = _spawn(["--child", "a6sim", *common], a.timeout)
        runs.append(r)
        print(f"  a6sim run {i + 1}/{a.repeat}: simulate {r['simulate_s']:.3f} s "
              f"(env.run {r['env_run_s']:.3f} s), peak RSS {_fmt_bytes(r['peak_rss_kib'])}", flush=True)
    children_peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    first = runs[0]
    for key in ("events", "ledger_rows", "processes", "issued"):
        if any(r[key] != first[key] for r in runs):
            raise SystemExit(f"runs disagree on {key}: {[r[key] for r in runs]} (not deterministic?)")
    bare = []
    for i in range(a.repeat):
        b = _spawn(["--child", "simpy", f"--processes={first['processes']}", f"--events={first['events']}",
                    f"--horizon={first['horizon']}"], a.timeout)
        if b["events"] != first["events"]:
            raise SystemExit(f"bare simpy loop scheduled {b['events']} events, a6sim {first['events']}")
        bare.append(b)
        print(f"  bare simpy run {i + 1}/{a.repeat}: {b['wall_s']:.4f} s", flush=True)

    med = lambda rows, k: statistics.median(r[k] for r in rows)  # noqa: E731
    wall, run_s = med(runs, "simulate_s"), med(runs, "env_run_s")
    bare_wall, bare_run = med(bare, "wall_s"), med(bare, "run_s")
    peak_kib = max(r["peak_rss_kib"] for r in runs)
    events = first["events"]
    ratio = wall / bare_wall
    loop_ratio = run_s / bare_run
    at_target = size == TARGET_SIZE
    checks = {
        "wall_s < 10": (wall < TARGET_WALL_S, at_target),
        "peak_rss < 1 GiB": (peak_kib * 1024 < TARGET_PEAK_BYTES, at_target),
        "ratio <= 5": (ratio <= TARGET_RATIO, True),
    }

    w = first["world"]
    print()
    print(f"world: {w['parties']} parties, {w['entities']} entities, {w['activities']} activities, "
          f"{w['agreements']} agreements, {w['events']} events; {a.years} years")
    print(f"python {first['python']}, simpy {first['simpy']}, a6sim {first['a6sim']} ({_git_commit()}), "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    print(f"per run (median of {a.repeat}): generate {med(runs, 'generate_s'):.3f} s, "
          f"validate {med(runs, 'validate_s'):.3f} s, summary {med(runs, 'summary_s'):.3f} s (not in wall time)")
    print(f"wall time a6sim.simulate  {wall:8.3f} s   (median; runs: "
          f"{', '.join(format(r['simulate_s'], '.3f') for r in runs)})")
    print(f"  of which env.run        {run_s:8.3f} s   (engine loop; the rest is setup, results, invariants)")
    print(f"  cyclic GC in simulate   {med(runs, 'gc_s'):8.3f} s   ({first['gc_passes']:,} collections, "
          f"timed with gc.callbacks)")
    print(f"  CPU time (process)      {med(runs, 'simulate_cpu_s'):8.3f} s   (median; close to the wall time "
          f"unless the machine is busy)")
    print(f"peak memory (RSS)         {_fmt_bytes(peak_kib):>12}   (child ru_maxrss, max of runs; "
          f"{_fmt_bytes(first['rss_after_imports_kib'] or 0)} after imports; "
          f"parent RUSAGE_CHILDREN {_fmt_bytes(children_peak_kib)})")
    print(f"ledger rows               {first['ledger_rows']:>12,}")
    print(f"simpy events scheduled    {events:>12,}   (processed {first['processed']:,}; "
          f"{first['processes']:,} processes; counted by {first['events_counted_by']})")
    print(f"events per second         {events / wall:>12,.0f}   (engine loop only: {events / run_s:,.0f}; "
          f"bare simpy: {events / bare_wall:,.0f})")
    print(f"bare simpy loop           {bare_wall:8.4f} s   (same {events:,} events, {first['processes']:,} "
          f"processes; env.run {bare_run:.4f} s; CPU {med(bare, 'cpu_s'):.4f} s)")
    print(f"ratio a6sim / bare simpy  {ratio:8.1f}     (engine loop only: {loop_ratio:.1f})")
    print(f"violations {first['violations']:,}, shortfalls {first['shortfalls']:,}, issued {first['issued']:,} t, "
          f"first transferred {first['first_transferred']:,} t, used {first['used']:,} t")
    print()
    for name, (ok, applies) in checks.items():
        note = "" if applies else "   (target size only; this run is another size: informative)"
        print(f"{_verdict(ok)}  {name}{note}")

    if a.json:
        doc = {
            "size": size, "seed": a.seed, "repeat": a.repeat, "commit": _git_commit(),
            "machine": {"python": first["python"], "simpy": first["simpy"], "platform": platform.platform(),
                        "cpus": os.cpu_count(), "load_average_at_start": load},
            "wall_s": wall, "cpu_s": med(runs, "simulate_cpu_s"), "env_run_s": run_s, "gc_s": med(runs, "gc_s"), "peak_rss_bytes": peak_kib * 1024,
            "ledger_rows": first["ledger_rows"], "events": events, "processed_events": first["processed"],
            "events_per_s": events / wall, "bare_simpy_wall_s": bare_wall, "bare_simpy_run_s": bare_run,
            "ratio": ratio, "engine_loop_ratio": loop_ratio,
            "targets": {name: {"pass": ok, "applies": applies} for name, (ok, applies) in checks.items()},
            "runs": runs, "bare_simpy_runs": bare,
            "method": {"wall": "perf_counter around a6sim.simulate, fresh subprocess per run, gc enabled, median",
                       "memory": "child resource.getrusage(RUSAGE_SELF).ru_maxrss (whole process), max of runs",
                       "events": "scheduled simpy events, read from env._eid (itertools.count repr)",
                       "ratio": "a6sim simulate wall / bare simpy loop (same processes and scheduled events)"},
        }
        Path(a.json).write_text(json.dumps(doc, indent=2) + "\n")
        print(f"\nfigures saved to {a.json}")

    if a.profile:
        print(profile(size, a.seed))
    return 0 if all(ok for ok, applies in checks.values() if applies) else 1


if __name__ == "__main__":
    sys.exit(main())
