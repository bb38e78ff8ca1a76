"""Monte Carlo speed: many runs of one scenario with drawn inputs, on a process pool.

    python benchmarks/montecarlo.py [--case swiss|world|both] [--workers 2] [--runs N]
                                    [--json FILE] [--write-sweeps DIR]

Two cases, each an ordinary sweep run with :func:`a6sim.sweep` (Latin hypercube,
the local process pool), timed from the call to the finished tables
(``time.perf_counter``; the pool's start-up, the draws, every run and the
statistics are inside):

* ``swiss``: 1,000 runs of the bundled ``swiss_programme`` (three activities, three
  agreements, 11 years) with three drawn inputs: the outcome of each activity,
  normal around its plan (sd 20 %, scaled), and the price of one agreement
  (uniform 10-40); outcomes: every party's gap and met, double claims, net
  corresponding adjustments, the SOP value. Target: under 5 s on 2 cores;
* ``world``: 100 runs of the 1x synthetic world (150 parties, 3,000 activities,
  1,500 agreements, 15 years; ``benchmarks/synthetic.py``), with the outcome of its
  first ten activities drawn the same way and a price; the default outcomes (one
  gap and one met column per party with an NDC). Target: under 2 minutes on 2 cores.

Each case runs in a fresh Python process (one after the other). ``--write-sweeps
DIR`` also writes the two sweep files (and the synthetic world's scenario file) so
the same work can be timed as a whole process with ``a6sim sweep FILE --out OUT
--workers 2``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def swiss_sweep(runs: int = 1000) -> dict:
    return {
        "a6sim-sweep": 1, "name": "swiss_programme under delivery and price risk (benchmark)",
        "scenario": "swiss_programme", "runs": runs, "seed": 11, "sampling": "latin-hypercube",
        "uncertain": {
            "activities.gha-cookstoves.outcome": {"dist": "normal", "mean": 1.0, "sd": 0.2, "scale": True, "min": 0},
            "activities.per-solar.outcome": {"dist": "normal", "mean": 1.0, "sd": 0.2, "scale": True, "min": 0},
            "agreements.che-per.price": {"dist": "uniform", "low": 10, "high": 40},
        },
        "outcomes": ["parties.*.gap", "parties.*.met", "double_claimed", "net_ca_total", "sop_value"],
    }


def world_sweep(scenario_file: str, runs: int = 100) -> dict:
    uncertain = {f"activities.act-{i:05d}.outcome": {"dist": "normal", "mean": 1.0, "sd": 0.2, "scale": True,
                                                       "min": 0} for i in range(10)}
    uncertain["agreements.ag-00000.price"] = {"dist": "uniform", "low": 5, "high": 40}
    return {"a6sim-sweep": 1, "name": "1x synthetic world under delivery risk (benchmark)",
            "scenario": scenario_file, "runs": runs, "seed": 5, "sampling": "latin-hypercube",
            "uncertain": uncertain}


def write_world(folder: Path) -> Path:
    import yaml
    from synthetic import synthetic_world
    path = folder / "synthetic_1x.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(synthetic_world(), Dumper=dumper, sort_keys=False), encoding="utf-8")
    return path


def _child(case: str, workers: int, runs: int | None) -> dict:
    import a6sim
    from a6sim.experiments import sweep_from_dict
    with tempfile.TemporaryDirectory() as tmp:
        if case == "swiss":
            data = swiss_sweep(runs or 1000)
        else:
            data = world_sweep(str(write_world(Path(tmp))), runs or 100)
        spec = sweep_from_dict(data, f"<{case} benchmark>")
        t = time.perf_counter()
        res = a6sim.sweep(spec, workers=workers)
        seconds = time.perf_counter() - t
    failed = int(res.runs["error"].notna().sum())
    return {"case": case, "runs": len(res.runs), "failed": failed, "workers": workers, "seconds": seconds,
            "runs_per_s": len(res.runs) / seconds}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--case", choices=("swiss", "world", "both"), default="both")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--runs", type=int, help="runs (default: 1,000 swiss, 100 world)")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--write-sweeps", metavar="DIR", help="write the sweep files (and the world) into DIR")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.workers, args.runs)))
        return 0
    if args.write_sweeps:
        import yaml
        folder = Path(args.write_sweeps)
        folder.mkdir(parents=True, exist_ok=True)
        world = write_world(folder)
        (folder / "swiss_mc.yaml").write_text(yaml.safe_dump(swiss_sweep(args.runs or 1000), sort_keys=False))
        (folder / "world_mc.yaml").write_text(yaml.safe_dump(world_sweep(world.name, args.runs or 100),
                                                            sort_keys=False))
        print(f"wrote {folder}/swiss_mc.yaml, world_mc.yaml, {world.name}")
        return 0
    cases = ["swiss", "world"] if args.case == "both" else [args.case]
    targets = {"swiss": 5.0, "world": 120.0}
    out = []
    for case in cases:
        cmd = [sys.executable, __file__, "--child", case, "--workers", str(args.workers)]
        if args.runs:
            cmd += ["--runs", str(args.runs)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{case} failed:\n{proc.stderr}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        out.append(r)
        print(f"{case}: {r['runs']:,} runs ({r['failed']} failed) on {r['workers']} workers in {r['seconds']:.2f} s "
              f"= {r['runs_per_s']:.1f} runs/s (target {targets[case]:g} s for the default run count)", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
