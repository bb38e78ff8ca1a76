"""The speed targets of the README's "Performance" section, measured against this
machine's speed of the day.

    python benchmarks/targets.py [--only run,swiss,sweep100] [--repeat 3] [--json FILE]

The targets were set with figures measured on one machine, on one day: ``a6sim run``
of the 1x world took 6.5 s of CPU with the code of commit 35cc3e6 (21 November 2026).
A shared machine is not that machine: the same code, the same file, can take three
times as long on another day, and 10-20% more from one minute to the next. So this
script measures the *reference*, that same code on that same file, here and now,
before and after each target's measurement, and reports each figure twice:

* **here**: as measured (the whole process, wall seconds, as a user would time it);
* **scaled**: times ``6.5 / reference``, the reference's seconds here (wall: it is
  one process, so its wall time is its CPU time plus any wait for a core; the mean of
  the runs before and after): the figure on a machine as fast as the one the targets
  were set on.

The reference code comes from this repository's history (``git worktree add`` of the
commit into a temporary folder, removed at the end): run it from a git clone.
Measured targets (``--only``):

* ``run``: ``a6sim run`` of the 1x world, the whole process (median of ``--repeat``);
  target under 2.5 s wall;
* ``swiss``: ``benchmarks/sweep.py swiss``, 1,000 runs of swiss_programme with drawn
  inputs on 2 workers, the whole process; target under 5 s;
* ``sweep100``: ``benchmarks/sweep.py synthetic --runs 100``, 100 runs of the 1x world
  with drawn inputs on 2 workers, the whole process; target under 2 minutes.

A scaled figure assumes the reference and the measured work slow down alike: both
are CPU-bound Python; the sweeps keep both cores busy while the reference keeps one,
so on a machine whose second core is shared with others the scaling is generous to
the sweeps. The scaled figure is an estimate; the figure here is a measurement.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:   # synthetic.py as a sibling module, appended: it shadows no package
    sys.path.append(str(HERE))

REFERENCE_COMMIT = "35cc3e6"   # the code the targets' figures were measured with
REFERENCE_CPU = 6.5            # s of CPU: its `a6sim run` of the 1x world on the targets' machine

TARGETS = {   # name: (what, limit in wall seconds)
    "run": ("a6sim run of the 1x world", 2.5),
    "swiss": ("1,000 runs of swiss_programme with drawn inputs, 2 cores", 5.0),
    "sweep100": ("100 runs of the 1x world with drawn inputs, 2 cores", 120.0),
}


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall s, CPU s of the child: user + system) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Bench:
    """A scratch folder with the 1x world, the reference code, and the commands."""

    def __init__(self, tmp: Path):
        import yaml
        from synthetic import synthetic_world
        self.tmp = tmp
        self.outputs = 0   # each run writes a new folder of the scratch folder (removed with it)
        self.world = tmp / "world1x.yaml"
        self.world.write_text(yaml.safe_dump(synthetic_world(), sort_keys=False))
        self.reference_code = tmp / "reference"
        proc = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(self.reference_code),
                               REFERENCE_COMMIT], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"cannot check out the reference code {REFERENCE_COMMIT} (run this from a git "
                             f"clone with its history): {proc.stderr.strip()}")

    def close(self) -> None:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(self.reference_code)],
                       capture_output=True)

    def _run_cmd(self) -> list[str]:
        self.outputs += 1
        out = self.tmp / f"out-{self.outputs}"
        return [sys.executable, "-m", "a6sim", "run", str(self.world), "--out", str(out), "--quiet"]

    def reference(self) -> tuple[float, float]:
        """(wall s, CPU s) of the reference code's ``a6sim run`` of the 1x world, here and now."""
        env = dict(os.environ, PYTHONPATH=str(self.reference_code))
        return _timed(self._run_cmd(), self.tmp, env)

    def measure(self, name: str, repeat: int) -> list[tuple[float, float]]:
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        if name == "run":
            return [_timed(self._run_cmd(), self.tmp, env) for _ in range(repeat)]
        args = ["swiss"] if name == "swiss" else ["synthetic", "--runs", "100"]
        return [_timed([sys.executable, str(HERE / "sweep.py"), *args], self.tmp, env)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(TARGETS), help="targets to measure, comma-separated")
    p.add_argument("--repeat", type=int, default=3, help="runs of `a6sim run` (its median is reported)")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in TARGETS]
    if unknown or args.repeat < 1:
        p.error(f"unknown target(s) {unknown}: expected some of {list(TARGETS)}" if unknown else "--repeat >= 1")
    rows = []
    with tempfile.TemporaryDirectory(prefix="a6sim-targets-") as tmp:
        bench = Bench(Path(tmp))
        try:
            ref = bench.reference()
            for name in names:
                got = bench.measure(name, args.repeat)
                after = bench.reference()
                wall = statistics.median(w for w, _ in got)
                cpu = statistics.median(c for _, c in got)
                factor = (ref[0] + after[0]) / 2 / REFERENCE_CPU
                what, limit = TARGETS[name]
                rows.append({"target": name, "what": what, "limit_s": limit, "wall_s": wall, "cpu_s": cpu,
                             "walls_s": [w for w, _ in got], "reference_wall_s": [ref[0], after[0]],
                             "reference_cpu_s": [ref[1], after[1]], "machine_factor": factor,
                             "scaled_wall_s": wall / factor})
                print(f"{name:9} {wall:7.1f} s wall here ({cpu:.1f} s CPU); reference {ref[0]:.1f} / {after[0]:.1f} s "
                      f"wall ({ref[1]:.1f} / {after[1]:.1f} s CPU): x{factor:.2f} the targets' machine; scaled "
                      f"{wall / factor:6.2f} s; target < {limit:g} s: here {'met' if wall < limit else 'NOT met'}, "
                      f"scaled {'met' if wall / factor < limit else 'NOT met'}", flush=True)
                ref = after
        finally:
            bench.close()
    if args.json:
        Path(args.json).write_text(json.dumps({"reference_commit": REFERENCE_COMMIT,
                                               "reference_cpu_s_on_targets_machine": REFERENCE_CPU,
                                               "targets": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
