"""``a6sim sweep SWEEP --out DIR``: run a sweep file (README, "Sweeps").

Exit status: 0 done (failed runs are recorded in runs.parquet, not an error); 2 bad
input (the sweep file, its scenario, an unusable --out folder, too many runs without
--force), with nothing written; 1 an unexpected failure; 130 interrupted (the runs
finished so far are kept: continue with --resume).
"""
from __future__ import annotations

import sys
import time

__all__ = ["add_sweep_parser", "sweep_command", "bundled_sweep", "validate_sweep"]


def add_sweep_parser(sub) -> None:
    s = sub.add_parser(
        "sweep", help="run a scenario many times: levers on a grid, uncertain inputs, hazards",
        description="Run a sweep file: its base scenario with the levers on a grid, uncertain inputs drawn "
                    "from distributions and hazards adding reversals and revocations; write runs.parquet, "
                    "summary.csv, sensitivity.csv (with --sensitivity), sweep.yaml, scenario.yaml and "
                    "manifest.json into --out. The same sweep gives the same runs on any executor and "
                    "number of workers.")
    s.add_argument("sweep", metavar="SWEEP", help="sweep YAML file, or a bundled sweep's name (a6sim examples)")
    s.add_argument("--out", required=True, metavar="DIR",
                   help="result folder (created; an earlier sweep there is replaced at the end)")
    s.add_argument("--workers", type=int, metavar="N", help="worker processes (default: the CPU count)")
    s.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local process pool (default) or dask.distributed")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: join this scheduler (tcp://HOST:PORT); default: a LocalCluster")
    s.add_argument("--resume", action="store_true",
                   help="continue an interrupted sweep in DIR, running only what is missing")
    s.add_argument("--sensitivity", choices=("sobol", "morris"),
                   help="sample for SALib's Sobol or Morris indices and write sensitivity.csv")
    s.add_argument("--runs", type=int, metavar="N",
                   help="N draws per grid point instead of the file's runs (try a sweep small; grid points x N "
                        "still obey --max-runs and --force; recorded in manifest.json)")
    s.add_argument("--force", action="store_true",
                   help="run even when grid points x runs exceed the maximum (--max-runs)")
    s.add_argument("--max-runs", type=int, metavar="N", help="the maximum without --force (default 100,000)")
    s.add_argument("--quiet", action="store_true", help="no progress bar and no summary on success")


def sweep_command(args) -> int:
    from .experiments import MAX_RUNS, SweepError, prepare
    from .experiments.spec import RUNS_LIMIT
    from .experiments.executors import ExecutorError
    from .experiments.sweeper import sweep
    from .io.write import OutputError
    problems = []
    if args.workers is not None and args.workers < 1:
        problems.append(f"--workers {args.workers}: expected at least 1")
    if args.runs is not None and not 1 <= args.runs <= RUNS_LIMIT:
        problems.append(f"--runs {args.runs}: expected 1 to {RUNS_LIMIT:,}")
    if args.max_runs is not None and args.max_runs < 1:
        problems.append(f"--max-runs {args.max_runs}: expected at least 1")
    if args.scheduler and args.executor != "dask":
        problems.append("--scheduler needs --executor dask")
    if problems:
        for p in problems:
            print(f"a6sim: {p}", file=sys.stderr)
        return 2
    max_runs = args.max_runs or MAX_RUNS
    try:
        plan = prepare(args.sweep, args.sensitivity, args.force, max_runs, runs=args.runs)
    except SweepError as exc:
        print(exc, file=sys.stderr)
        return 2
    bar = not args.quiet and sys.stderr.isatty()
    started = time.perf_counter()
    try:
        res = sweep(plan.spec, args.out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                    resume=args.resume, force=args.force, sensitivity=args.sensitivity, max_runs=max_runs, bar=bar)
    except SweepError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (OutputError, ExecutorError) as exc:
        print(f"a6sim: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"a6sim: interrupted; the runs finished so far are kept in {args.out}/; "
              f"continue with: a6sim sweep {args.sweep} --out {args.out}"
              f"{f' --runs {args.runs}' if args.runs else ''} --resume", file=sys.stderr)
        return 130
    if not args.quiet:
        print(render_summary(res))
        m = res.manifest
        failed = f", {m['runs_failed']} failed (see the error column)" if m["runs_failed"] else ""
        print(f"\n{m['runs_done']:,} runs{failed} in {time.perf_counter() - started:.1f} s; results in {args.out}/")
    return 0


def bundled_sweep(name: str):
    """The bundled sweep ``name`` stands for, when it is neither a file nor a bundled scenario."""
    from pathlib import Path

    from .resources import find_scenario
    if Path(name).exists() or find_scenario(name) is not None:
        return None   # decided without importing the sweep machinery (a run of a scenario never needs it)
    from .experiments.spec import find_sweep
    return find_sweep(name)


def validate_sweep(name: str) -> int:
    """``a6sim validate`` given a sweep file (or a bundled sweep's name): check it as
    ``a6sim sweep`` does before any run, with its base scenario; print one summary line
    (0) or every problem (2). Nothing is run."""
    from math import prod

    from .experiments import MAX_RUNS, SweepError, load_sweep, prepare
    from .experiments.sampling import draws_per_point
    from .experiments.sweeper import size_text
    try:
        spec = load_sweep(name)
        m = spec.model
        total = prod(len(v) for v in m.levers.values()) * draws_per_point(m.runs, len(m.uncertain), m.sensitivity)
        if total <= MAX_RUNS:   # plan it as the sweep would (a huge design is not drawn just to check)
            total = prepare(spec).total
    except SweepError as exc:
        print(exc, file=sys.stderr)
        return 2
    points = prod(len(v) for v in m.levers.values())
    draws = total // points
    note = (f"; more than the maximum of {MAX_RUNS:,}: a6sim sweep needs --force (or a smaller --runs N)"
            if total > MAX_RUNS else "")
    print(f"{name}: ok: sweep {m.name!r} of scenario {spec.scenario.name!r}, {size_text(points, draws, total)}"
          f"{note}; run it with `a6sim sweep {name} --out DIR`")
    return 0


def render_summary(res) -> str:
    """Probability of meeting each NDC (and of the buffer running dry) per grid point, as text."""
    s = res.summary
    flags = s[s["probability"].notna()]
    m = res.manifest
    design = ""
    if m.get("sensitivity") and m["runs_per_grid_point"] != m["runs"]:   # SALib's N, not the run count
        design = f": {m['sensitivity'].capitalize()} design of N = {m['runs']:,}"
    lines = [f"{res.spec.name} ({m['runs_per_grid_point']:,} runs per grid point{design}, seed {m['seed']})"]
    if flags.empty:
        return "\n".join(lines)
    # a lever set to one value (buffer_adequacy's `events: [[]]`) is part of the base, not a column
    levers = [c for c in s.columns if c.startswith("lever:") and s[c].map(_show).nunique() > 1]
    outcomes = list(dict.fromkeys(flags["outcome"]))
    head = [c[len("lever:"):].rsplit(".", 1)[-1] for c in levers] + [o.replace("parties.", "") for o in outcomes]
    rows = [head]
    for grid, g in flags.groupby("grid", sort=True):
        row = [_show(g[c].iloc[0]) for c in levers]
        by = dict(zip(g["outcome"], g["probability"]))
        row += [f"{by[o]:.1%}" if o in by else "-" for o in outcomes]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines.append("probability (share of runs)")
    for j, r in enumerate(rows):
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths)))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _show(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "none"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
