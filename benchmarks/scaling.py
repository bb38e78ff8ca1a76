"""How a6sim's cost grows with the size of the world and the number of years.

    python benchmarks/scaling.py [--sizes 1,2,4,8,16] [--years 15,30,50] [--json FILE]

A world of size k is :func:`synthetic.synthetic_world` with k x (150 parties, 3,000
activities, 1,500 agreements), 15 years; the years series runs the 1x world over 15,
30 and 50 years. Each point runs in a fresh Python subprocess (one after the other,
never in parallel), which measures, in CPU seconds of the process
(``time.process_time``: on a shared machine the wall time also counts waiting for a
core):

* ``engine``: :func:`a6sim.engine.run_world` (the simpy run, invariants checked);
* ``summary``: :class:`a6sim.Results` and ``results.summary`` (what a sweep reads),
  with the garbage collector paused as :func:`a6sim.simulate` does;
* ``tables``: building every table (balances ... holdings, structured summary);
* ``holdings``: the holdings table alone (part of ``tables``);
* ``write``: writing the CSV files of a result folder (tables already built);
* ``peak_mib``: the process's peak resident memory, ``resource.getrusage(RUSAGE_SELF)
  .ru_maxrss`` at its end (interpreter, imports, scenario and run), and
  ``base_mib``, the same after the imports, before the world is generated.

It prints one line per point and the ratios the README's performance targets are
about: engine time of the 16x world against the 1x world (target: within 18x),
engine and holdings time of 50 years against 15 (linear: about 50/15 = 3.3x).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _child(k: int, years: int) -> dict:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import a6sim
    from a6sim.engine import run_world
    from a6sim.engine.simulate import paused_gc
    from a6sim.results import Results
    from synthetic import synthetic_world
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    world = synthetic_world(150 * k, 3000 * k, 1500 * k, years)
    scenario = a6sim.scenario_from_dict(world, f"synthetic {k}x {years} years")
    del world
    out: dict = {"size": k, "years": years}
    clock = time.process_time
    t = clock()
    w = run_world(scenario)
    out["engine"] = clock() - t
    t = clock()
    with paused_gc():   # as a6sim.simulate does
        r = Results(scenario, w)
        _ = r.summary
    out["summary"] = clock() - t
    t = clock()
    h = r.holdings
    out["holdings"] = clock() - t
    for name in ("balances", "attainment", "ledger", "flows", "integrity", "structured_summary"):
        getattr(r, name)
    out["tables"] = clock() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = clock()
        r.write(Path(tmp) / "out")
        out["write"] = clock() - t
    out["ledger_rows"] = len(w.registry.ledger)
    out["holdings_rows"] = len(h)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["base_mib"] = base / 1024
    return out


def _point(k: int, years: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", f"{k},{years}"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"size {k}, {years} years failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1,2,4,8,16", help="world sizes (multiples of the 1x world)")
    p.add_argument("--years", default="15,30,50", help="years for the 1x world")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        k, years = (int(x) for x in args.child.split(","))
        print(json.dumps(_child(k, years)))
        return 0
    sizes = [int(x) for x in args.sizes.split(",") if x]
    year_list = [int(x) for x in args.years.split(",") if x]
    points = []
    head = f"{'size':>4} {'years':>5} {'engine':>7} {'summary':>7} {'tables':>7} {'holdings':>8} {'write':>6} " \
           f"{'ledger rows':>11} {'holdings rows':>13} {'peak MiB':>8}"
    print(head)
    plan = [(k, 15) for k in sizes] + [(1, y) for y in year_list if y != 15 or 1 not in sizes]
    for k, years in plan:
        r = _point(k, years)
        points.append(r)
        print(f"{k:>4} {years:>5} {r['engine']:>7.2f} {r['summary']:>7.2f} {r['tables']:>7.2f} {r['holdings']:>8.2f} "
              f"{r['write']:>6.2f} {r['ledger_rows']:>11,} {r['holdings_rows']:>13,} {r['peak_mib']:>8.0f}", flush=True)
    by = {(r["size"], r["years"]): r for r in points}
    base = by.get((1, 15))
    if base:
        for (k, y), r in sorted(by.items()):
            if (k, y) == (1, 15):
                continue
            scale = k if y == 15 else y / 15
            print(f"{k}x {y} years against 1x 15 years (x{scale:g}): engine x{r['engine'] / base['engine']:.1f}, "
                  f"summary x{r['summary'] / base['summary']:.1f}, holdings x{r['holdings'] / base['holdings']:.1f}, "
                  f"write x{r['write'] / base['write']:.1f}, peak memory x{r['peak_mib'] / base['peak_mib']:.1f} "
                  f"(run part x{(r['peak_mib'] - r['base_mib']) / (base['peak_mib'] - base['base_mib']):.1f})")
    if args.json:
        Path(args.json).write_text(json.dumps(points, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
