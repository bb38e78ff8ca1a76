"""``a6sim.sweep(spec)``: run a sweep and give back its tables (and, with ``out``, its files).

>>> import a6sim
>>> res = a6sim.sweep("delivery_risk", workers=2)        # a bundled sweep, or a file
>>> res.summary[res.summary.outcome == "parties.CHE.met"]
"""
from __future__ import annotations

import datetime
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pandas as pd
import pyarrow as pa
import yaml

from .. import __version__
from .executors import default_workers, execute
from .outcomes import expand_outcomes, ndc_parties
from .paths import file_data, full_data
from .runner import Payload
from .sampling import Plan
from .sensitivity import sensitivity_table
from .spec import MAX_RUNS, SweepError, SweepSpec, load_sweep, sweep_from_dict, with_runs
from .statistics import summarise
from .store import SweepFolder
from .table import rows_table, runs_schema
from ..scenario.errors import Issue

__all__ = ["SweepResults", "sweep", "prepare", "size_text", "read_sweep", "FLUSH_SECONDS"]

FLUSH_SECONDS = 3.0      # finished runs are kept on disk at least this often
FLUSH_ROWS = 20_000


@dataclass
class SweepResults:
    """The tables of a sweep (see the README, "Sweeps")."""
    spec: SweepSpec
    plan: Plan
    runs: pd.DataFrame            # one row per run, sorted by run
    summary: pd.DataFrame         # per grid point and outcome
    sensitivity: Optional[pd.DataFrame]
    manifest: dict
    out: Optional[Path] = None

    @property
    def outcomes(self) -> list[str]:
        return list(self.manifest["outcomes"])

    @property
    def failed(self) -> pd.DataFrame:
        """The runs that failed, with their inputs and error."""
        return self.runs[self.runs["error"].notna()]

    def __repr__(self) -> str:
        return (f"<SweepResults {self.spec.name!r}: {len(self.runs)} runs, "
                f"{self.manifest['runs_failed']} failed>")


def _as_spec(spec) -> SweepSpec:
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, dict):
        return sweep_from_dict(spec)
    return load_sweep(spec)


def size_text(points: int, draws: int, total: int) -> str:
    """``6 grid points x 400 runs = 2,400 runs`` (one in the singular: ``1 grid point x 1 run = 1 run``)."""
    return (f"{points:,} grid point{'s' if points != 1 else ''} x {draws:,} run{'s' if draws != 1 else ''} "
            f"= {total:,} run{'s' if total != 1 else ''}")


def prepare(spec, sensitivity: str | None = None, force: bool = False, max_runs: int = MAX_RUNS,
            runs: int | None = None) -> Plan:
    """Check a sweep and plan its runs; refuse more than ``max_runs`` unless ``force``.

    ``runs``: draws per grid point instead of the file's ``runs`` (:func:`~.spec.with_runs`)."""
    spec = with_runs(_as_spec(spec), runs)
    plan = Plan(spec, sensitivity)
    issues = []
    if plan.sensitivity and not plan.input_paths:
        given = f"--sensitivity {sensitivity}: " if sensitivity else ""
        issues.append(Issue(spec.source, spec.line("uncertain"), ("sensitivity",),
                            f"{given}needs at least one uncertain input, and this sweep draws none (SALib ranks "
                            f"the inputs under `uncertain:`); add some, or run it without "
                            f"{'--sensitivity' if sensitivity else 'sensitivity'}"))
    if plan.total > max_runs and not force:
        given = f" (runs {spec.model.runs:,} from --runs)" if spec.file_runs is not None else ""
        issues.append(Issue(spec.source, spec.line("runs"), ("runs",),
                            f"{size_text(len(plan.grid), plan.draws, plan.total)}{given}, more "
                            f"than the maximum of {max_runs:,}; lower runs (or give --runs N) or levers, "
                            f"or add --force"))
    if issues:
        raise SweepError(issues)
    return plan


def sweep(spec, out: str | Path | None = None, *, executor: str = "local", workers: int | None = None,
          scheduler: str | None = None, resume: bool = False, force: bool = False,
          sensitivity: str | None = None, max_runs: int = MAX_RUNS, runs: int | None = None,
          progress: Optional[Callable[[int, int], None]] = None, bar: bool = False) -> SweepResults:
    """Run a sweep (a file, a bundled sweep's name, a dict or a :class:`SweepSpec`).

    ``out``: write the result files there (atomically; finished runs are kept in chunks,
    so ``resume=True`` continues an interrupted sweep). ``runs``: draws per grid point
    instead of the file's ``runs`` (recorded in the manifest). ``progress(done, total)`` is
    called as batches finish; ``bar`` shows a tqdm bar on stderr. Raises
    :class:`SweepError` (bad sweep, before any run) or
    :class:`a6sim.io.write.OutputError` (an unusable ``out``).
    """
    plan = prepare(spec, sensitivity, force, max_runs, runs)
    spec = plan.spec
    sc = spec.scenario
    outcomes = expand_outcomes(spec.model.outcomes, ndc_parties(sc), sc.years)
    schema = runs_schema(plan, outcomes)
    digest = spec.digest(plan.sensitivity)
    folder = SweepFolder(out) if out is not None else None
    kept = None
    if folder is not None:
        folder.check(digest, resume)
        folder.start(digest, plan.total)
        kept = folder.kept(schema)
    done = set(kept.column("run").to_pylist()) if kept is not None else set()
    todo = [r for r in range(plan.total) if r not in done]
    workers = workers or default_workers()
    payload = Payload(file_data(sc), full_data(sc), plan.kinds, list(spec.model.hazards), outcomes, spec.source)
    size = max(1, min(200, math.ceil(len(todo) / (workers * 8)))) if todo else 1
    batches = [[plan.record(r) for r in todo[i:i + size]] for i in range(0, len(todo), size)]
    started = time.perf_counter()
    tables = [kept] if kept is not None else []
    pending: list[dict] = []
    last_flush = time.monotonic()
    count = len(done)
    ticker = _bar(plan.total, count) if bar else None
    if ticker is not None and todo:   # the pool or cluster takes a few seconds to start: say so
        where = "a Dask cluster" if executor == "dask" else f"{workers} worker process{'es' if workers != 1 else ''}"
        ticker.set_description(f"sweep (starting {where})")
    if progress:
        progress(count, plan.total)
    try:
        for rows in execute(payload, batches, executor, workers, scheduler):
            pending += rows
            count += len(rows)
            if ticker is not None:
                if ticker.desc != "sweep":
                    ticker.set_description("sweep", refresh=False)
                ticker.update(len(rows))
            if progress:
                progress(count, plan.total)
            if folder is not None and (time.monotonic() - last_flush > FLUSH_SECONDS or len(pending) >= FLUSH_ROWS):
                chunk = rows_table(pending, schema)
                folder.add_chunk(chunk)
                tables.append(chunk)
                pending, last_flush = [], time.monotonic()
    except BaseException:
        if folder is not None and count == 0:   # nothing ran: leave no unfinished sweep behind
            folder.abandon()
        raise
    finally:
        if pending and folder is not None:   # an interruption keeps what finished
            folder.add_chunk(rows_table(pending, schema))
        if ticker is not None:
            ticker.close()
    if pending:
        tables.append(rows_table(pending, schema))
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    table = table.sort_by("run")
    runs = table.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
    lever_cols = [f"lever:{p}" for p in plan.lever_paths]
    summary = summarise(runs, lever_cols, outcomes)
    sens = sensitivity_table(runs, plan, outcomes) if plan.sensitivity else None
    manifest = _manifest(spec, plan, outcomes, runs, executor, workers, time.perf_counter() - started, len(done))
    result = SweepResults(spec, plan, runs, summary, sens, manifest, Path(out) if out is not None else None)
    if folder is not None:
        texts = {"summary.csv": summary.to_csv(index=False, lineterminator="\n"),
                 "sweep.yaml": sweep_yaml(spec, plan), "scenario.yaml": _scenario_text(spec)}
        if sens is not None:
            texts["sensitivity.csv"] = sens.to_csv(index=False, lineterminator="\n")
        manifest["files"] = ["runs.parquet", *texts, "manifest.json"]
        folder.finish(table, texts, manifest)
    return result


def _bar(total: int, initial: int):
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="run", dynamic_ncols=True, smoothing=0.1,
                desc="sweep", leave=True)


def _scenario_text(spec: SweepSpec) -> str:
    if spec.scenario_text:
        return spec.scenario_text
    return yaml.safe_dump(spec.scenario.to_dict(), sort_keys=False, allow_unicode=True)


def sweep_yaml(spec: SweepSpec, plan: Plan) -> str:
    """The sweep as run: its fields (defaults filled in), pointing at the scenario kept beside it."""
    data = spec.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["scenario"] = "scenario.yaml"
    if plan.sensitivity:
        data["sensitivity"] = plan.sensitivity
    head = (f"# The sweep as run by a6sim {__version__} (from {Path(spec.source).name}; base scenario "
            f"{Path(spec.scenario.source).name}, kept here as scenario.yaml)\n")
    if spec.file_runs is not None:
        head += f"# runs: {spec.model.runs} given by --runs (the file says {spec.file_runs})\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _manifest(spec, plan, outcomes, runs, executor, workers, seconds, resumed) -> dict:
    return {
        "kind": "a6sim-sweep",
        "a6sim_version": __version__,
        "sweep": spec.name,
        "sweep_file": Path(spec.source).name,
        "sweep_sha256": spec.digest(plan.sensitivity),
        "scenario": spec.scenario.name,
        "scenario_file": Path(spec.scenario.source).name,
        "scenario_sha256": spec.scenario.digest,
        "seed": spec.model.seed,
        "sampling": spec.model.sampling,
        "sensitivity": plan.sensitivity,
        "grid_points": len(plan.grid),
        "runs": spec.model.runs,
        "runs_given_by": "--runs" if spec.file_runs is not None else "sweep file",
        "runs_in_file": spec.file_runs if spec.file_runs is not None else spec.model.runs,
        "runs_per_grid_point": plan.draws,
        "runs_planned": plan.total,
        "runs_done": int(len(runs)),
        "runs_failed": int(runs["error"].notna().sum()),
        "runs_resumed": resumed,
        "outcomes": outcomes,
        "levers": plan.lever_paths,
        "inputs": plan.input_paths,
        "executor": executor,
        "workers": workers,
        "seconds": round(seconds, 3),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "layout": "wide: one row per run; lever:PATH, input:PATH, hazard.I.*, one column per outcome, error",
    }


def read_sweep(out: str | Path) -> dict:
    """The manifest of a finished sweep folder (see :func:`load_results`)."""
    return json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
