"""Sweeps for the Explore page: run a bundled sweep, or load a sweep's result folder (zip).

The tables of a sweep stay on the server, in the dashboard's disk cache keyed by the
sweep's hash and its number of runs; the browser keeps only that key. Every session
that runs the same sweep shares one result.
"""
from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

import a6sim
from a6sim.experiments import SweepSpec, load_sweep, sweep
from a6sim.experiments.outcomes import ndc_parties
from a6sim.resources import SWEEP_DIR, example_sweeps

__all__ = ["SweepTables", "bundled_sweeps", "sweep_spec", "run_sweep", "load_zip", "get_sweep", "MAX_DASHBOARD_RUNS",
           "LoadError"]

MAX_DASHBOARD_RUNS = 20_000    # grid points x runs one click may start
MAX_ZIP_BYTES = 50 * 2**20


class LoadError(ValueError):
    """An uploaded file is not a sweep's result folder."""


@dataclass(frozen=True)
class SweepTables:
    key: str
    name: str
    description: str
    manifest: dict
    runs: pd.DataFrame
    summary: pd.DataFrame
    sensitivity: Optional[pd.DataFrame]
    targets: pd.DataFrame        # the base run's balances: party, year, target, trajectory
    parties: list                # parties with an NDC


def bundled_sweeps() -> list[Path]:
    return example_sweeps()


def sweep_spec(name: str, runs: int | None = None) -> SweepSpec:
    """A bundled sweep, with another number of runs per grid point if given."""
    spec = load_sweep(SWEEP_DIR / Path(name).name)
    if runs and runs != spec.model.runs:
        spec = SweepSpec(spec.model.model_copy(update={"runs": int(runs)}), spec.source, spec.scenario,
                         spec.scenario_text, spec.lines)
    return spec


def _targets(scenario) -> pd.DataFrame:
    """Per party and year: the target or trajectory, and for a budget its yearly average."""
    res = a6sim.simulate(scenario)
    b = res.balances[["party", "year", "target", "trajectory"]].copy()
    b["average"] = float("nan")
    for r in res.attainment.itertuples(index=False):
        if r.method == "budget" and not pd.isna(r.target):
            years = (b["party"] == r.party) & b["year"].between(r.period_start, r.period_end)
            b.loc[years, "average"] = float(r.target) / (r.period_end - r.period_start + 1)
    return b


def run_sweep(cache, spec: SweepSpec, sensitivity: str | None, workers: int,
              progress: Optional[Callable[[int, int], None]] = None) -> str:
    """Run ``spec`` unless the same sweep is cached; return its key."""
    key = f"{spec.digest(sensitivity)[:24]}-{spec.model.runs}"
    if cache.get(("sweep", key)) is not None:
        return key
    res = sweep(spec, workers=workers, sensitivity=sensitivity, progress=progress, max_runs=MAX_DASHBOARD_RUNS)
    cache.set(("sweep", key), SweepTables(
        key=key, name=spec.name, description=spec.model.description, manifest=res.manifest, runs=res.runs,
        summary=res.summary, sensitivity=res.sensitivity, targets=_targets(spec.scenario),
        parties=ndc_parties(spec.scenario)))
    return key


def load_zip(cache, contents: str, filename: str) -> str:
    """Load a zip of a sweep's result folder (``runs.parquet``, ``summary.csv``, ``manifest.json``,
    ``scenario.yaml``, and ``sensitivity.csv`` if any); return its key. Raises :class:`LoadError`."""
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
    except (IndexError, ValueError):
        raise LoadError(f"{filename}: could not read the upload") from None
    if len(raw) > MAX_ZIP_BYTES:
        raise LoadError(f"{filename}: larger than {MAX_ZIP_BYTES // 2**20} MB")
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise LoadError(f"{filename}: not a zip file; zip the folder that 'a6sim sweep --out DIR' wrote") from None
    files = {Path(n).name: n for n in z.namelist() if not n.endswith("/")}
    missing = [f for f in ("runs.parquet", "summary.csv", "manifest.json", "scenario.yaml") if f not in files]
    if missing:
        raise LoadError(f"{filename}: not a sweep's result folder: missing {', '.join(missing)}")
    try:
        manifest = json.loads(z.read(files["manifest.json"]))
        if manifest.get("kind") != "a6sim-sweep":
            raise LoadError(f"{filename}: manifest.json is not an a6sim sweep's")
        runs = pd.read_parquet(io.BytesIO(z.read(files["runs.parquet"])))
        summary = pd.read_csv(io.BytesIO(z.read(files["summary.csv"])))
        sens = pd.read_csv(io.BytesIO(z.read(files["sensitivity.csv"]))) if "sensitivity.csv" in files else None
        scenario = a6sim.scenario_from_text(z.read(files["scenario.yaml"]).decode("utf-8"), "scenario.yaml")
    except LoadError:
        raise
    except a6sim.ScenarioError as exc:
        raise LoadError(f"{filename}: {exc}") from None
    except Exception as exc:   # a damaged table: say which file, never a traceback
        raise LoadError(f"{filename}: cannot read the sweep's files: {exc}") from None
    key = f"{manifest.get('sweep_sha256', 'loaded')[:24]}-{manifest.get('runs_done')}-zip"
    cache.set(("sweep", key), SweepTables(
        key=key, name=manifest.get("sweep", filename), description="", manifest=manifest, runs=runs,
        summary=summary, sensitivity=sens, targets=_targets(scenario), parties=ndc_parties(scenario)))
    return key


def get_sweep(cache, key: str | None) -> SweepTables | None:
    return cache.get(("sweep", key)) if key else None
