"""Sweep benchmarks: many runs of one scenario with drawn inputs (README, "Performance").

    python benchmarks/sweep.py swiss [--runs 1000] [--workers 2]
    python benchmarks/sweep.py synthetic [--runs 100] [--workers 2] [--scale 1]

``swiss``: swiss_programme with its three programmes' outcomes drawn (normal around
the plan, 20% sd) and Ghana's price drawn; ``synthetic``: the synthetic world of
benchmarks/synthetic.py with five activities' outcomes and one agreement's price
drawn. Prints the runs, failures and the seconds of the sweep itself (the whole
process, imports included, is what an outside timer such as ``/usr/bin/time -v``
measures).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import a6sim  # noqa: E402
from a6sim.experiments import sweep, sweep_from_dict  # noqa: E402


def _drawn(path):
    return {path: {"dist": "normal", "mean": 1.0, "sd": 0.2, "scale": True, "min": 0}}


def swiss_spec(runs: int):
    uncertain = {}
    for a in ("gha-cookstoves", "per-solar", "tha-ebus"):
        uncertain.update(_drawn(f"activities.{a}.outcome"))
    uncertain["agreements.che-gha.price"] = {"dist": "uniform", "low": 10, "high": 40}
    return sweep_from_dict({"a6sim-sweep": 1, "name": "benchmark: swiss_programme", "scenario": "swiss_programme",
                            "runs": runs, "seed": 1, "uncertain": uncertain})


def synthetic_spec(runs: int, scale: int):
    from synthetic import TARGET_SIZE, synthetic_world
    size = {k: v * (scale if k != "years" else 1) for k, v in TARGET_SIZE.items()}
    scenario = a6sim.scenario_from_dict(synthetic_world(**size), "synthetic.yaml")
    uncertain = {}
    for a in list(scenario.model.activities)[:5]:
        uncertain.update(_drawn(f"activities.{a}.outcome"))
    first = next(g for g, ag in scenario.model.agreements.items() if not isinstance(ag.price, dict))
    uncertain[f"agreements.{first}.price"] = {"dist": "uniform", "low": 5, "high": 50}
    return sweep_from_dict({"a6sim-sweep": 1, "name": "benchmark: synthetic", "scenario": "synthetic.yaml",
                            "runs": runs, "seed": 1, "uncertain": uncertain,
                            "outcomes": ["parties.*.met", "double_claimed", "net_ca_total"]}, scenario=scenario)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("world", choices=("swiss", "synthetic"))
    p.add_argument("--runs", type=int)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--scale", type=int, default=1, help="synthetic world size (1 = 150 parties ...)")
    args = p.parse_args()
    started = time.perf_counter()
    spec = swiss_spec(args.runs or 1000) if args.world == "swiss" else synthetic_spec(args.runs or 100, args.scale)
    built = time.perf_counter()
    res = sweep(spec, workers=args.workers)
    done = time.perf_counter()
    print(f"{args.world}: {len(res.runs)} runs, {res.manifest['runs_failed']} failed, {args.workers} workers: "
          f"sweep {done - built:.2f} s ({len(res.runs) / (done - built):.0f} runs/s), "
          f"spec {built - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
