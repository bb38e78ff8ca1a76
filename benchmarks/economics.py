"""Benchmark the economics: clearing an ITMO market of many parties over many years.

    python benchmarks/economics.py [--parties 150 --years 15] [--mode market|least-cost|deals|none]
                                   [--activities 0 --agreements 0] [--seed 1] [--repeat 3]

The world is :func:`synthetic.synthetic_world` (its parties and NDCs: budgets, per-year
targets, single-year trajectory and averaging), by default with no activities or
agreements (the market mode does not use them), and every party gets an abatement
cost curve given for the first and the last simulated year (so every year between is
interpolated): half ``a + b*q``, half piecewise-linear with four points, drawn from
the seed. The script validates and simulates the world (not timed), then times
``a6sim.economics.economics(results, mode)`` with ``time.perf_counter`` ``--repeat``
times in the same process (a fresh ``Results`` each time, so nothing is cached) and
prints the median wall and CPU (``time.process_time``) time, the number of markets cleared and the brentq calls. ``--mode
none`` stops before the economics: timing the whole process with and without the
economics (``/usr/bin/time -v``, or any process timer) gives the same figure from
outside.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import a6sim  # noqa: E402
from a6sim.economics import economics  # noqa: E402
from synthetic import synthetic_world  # noqa: E402


def with_curves(world: dict, seed: int) -> dict:
    """Give every party an abatement cost curve for the first and last year (MtCO2e, USD)."""
    rng = random.Random(seed)
    first, last = world["period"]["start"], world["period"]["end"]
    for party in world["parties"].values():
        size = max(float(party["emissions"][min(party["emissions"])]), 0.1)
        curves = {}
        for year in (first, last):
            mac_at_5pc = rng.uniform(20, 200) * (1.3 if year == last else 1.0)
            if rng.random() < 0.5:
                curves[year] = {"a": round(rng.uniform(0, 15), 2), "b": round(mac_at_5pc / (0.05 * size), 4)}
            else:
                q = [0, 0.02 * size, 0.05 * size, 0.3 * size]
                m = [0, 0.4 * mac_at_5pc, mac_at_5pc, 6 * mac_at_5pc]
                curves[year] = {"points": [[round(x, 4), round(y, 2)] for x, y in zip(q, m)]}
        party["abatement_cost"] = curves
    return world


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parties", type=int, default=150)
    ap.add_argument("--years", type=int, default=15)
    ap.add_argument("--activities", type=int, default=0)
    ap.add_argument("--agreements", type=int, default=0)
    ap.add_argument("--mode", choices=("market", "least-cost", "deals", "none"), default="market")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    world = synthetic_world(args.parties, max(args.activities, 1), args.agreements, args.years, args.seed)
    if not args.activities:
        for key in ("activities", "agreements", "entities", "events"):
            world[key] = {} if key != "events" else []
    world = with_curves(world, args.seed)
    scenario = a6sim.scenario_from_dict(world, "synthetic")
    if args.mode == "none":
        a6sim.simulate(scenario)
        print("simulated; no economics")
        return 0
    times, cpu = [], []
    for _ in range(args.repeat):
        results = a6sim.simulate(scenario)
        t0, c0 = time.perf_counter(), time.process_time()
        econ = economics(results, args.mode)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    rows = len(econ.table)
    line = (f"economics {args.mode}: {args.parties} parties x {args.years} years, {rows} rows: "
            f"median {statistics.median(times):.3f} s wall, {statistics.median(cpu):.3f} s CPU over {args.repeat} "
            f"(wall min {min(times):.3f}, max {max(times):.3f})")
    if args.mode == "market":
        years = econ.summary["market"]["years"]
        statuses = {}
        for v in years.values():
            statuses[v["status"]] = statuses.get(v["status"], 0) + 1
        line += f"; {len(years)} yearly markets: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
