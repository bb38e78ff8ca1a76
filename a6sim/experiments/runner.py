"""One run of a sweep, in a worker: a record in, one row of outcomes out.

A worker gets the base scenario as plain data (the fields its file sets) and small
records (lever values, drawn values, hazard draws, the run's seed); it never gets or
returns a ledger. A run that fails (a drawn value the schema refuses, an engine
error) comes back as a row with its inputs and the error, so the sweep goes on.
"""
from __future__ import annotations

from ..scenario import ScenarioError
from ..scenario.load import scenario_for_run
from .checks import apply_value
from .paths import PathError, copy_for, resolve
from .hazards import hazard_events
from .outcomes import outcome_values

__all__ = ["Payload", "run_batch", "run_record"]


class Payload:
    """What every run of a sweep shares: base data, full data (defaults), field kinds, hazards, outcomes."""

    def __init__(self, data: dict, full: dict, kinds: dict, hazards: list, outcomes: list[str], source: str):
        self.data, self.full, self.kinds = data, full, kinds
        self.hazards, self.outcomes, self.source = hazards, outcomes, source


def run_record(payload: Payload, record: dict) -> dict:
    """The row of one run: ``run, grid, draw, seed``, hazard figures, outcomes and ``error``."""
    row = {"run": record["run"], "grid": record["grid"], "draw": record["draw"], "seed": record["seed"],
           "error": None}
    row.update({f"lever:{p}": v for p, v in record["levers"].items()})
    row.update({f"input:{p}": v for p, v in record["inputs"].items()})
    figures: list[dict] = [{} for _ in payload.hazards]
    try:
        data = copy_for(payload.data, list(record["levers"]) + list(record["inputs"]))
        for path, value in record["levers"].items():
            apply_value(data, path, value, None)
        for path, value in record["inputs"].items():
            apply_value(data, path, value, payload.kinds.get(path), record["scale"].get(path, False), payload.full)
        data["seed"] = record["seed"]
        source = f"{payload.source} (run {record['run']})"
        changed = _changed(data, list(record["levers"]) + list(record["inputs"]))
        scenario = scenario_for_run(data, source, changed)
        if payload.hazards:
            events = list(data.get("events") or [])
            for i, (h, draws) in enumerate(zip(payload.hazards, record["hazards"])):
                added, figures[i] = hazard_events(h, draws, scenario)
                events += added
            if len(events) != len(data.get("events") or []):
                data["events"] = sorted(events, key=lambda e: e["date"])
                scenario = scenario_for_run(data, source, changed + [("events",)])
        from ..results import simulate
        results = simulate(scenario)
        row.update(outcome_values(results, payload.outcomes))
        results.world.release()   # free the run now, not at the next full garbage collection
    except ScenarioError as exc:
        row["error"] = "; ".join(f"{'.'.join(map(str, i.path))}: {i.message}" for i in exc.issues)
    except Exception as exc:   # recorded with the run's inputs; the sweep goes on
        row["error"] = f"{type(exc).__name__}: {exc}"
    for i, (h, fig) in enumerate(zip(payload.hazards, figures)):
        row[f"hazard.{i}.events"] = fig.get("events")
        row[f"hazard.{i}.{'tonnes' if h.event == 'reversal' else 'year'}"] = \
            fig.get("tonnes" if h.event == "reversal" else "year")
    return row


def _changed(data: dict, paths: list[str]) -> list[tuple]:
    """The keys of the paths a run sets (all of ``units`` if one cannot be told: the
    whole scenario is then bounded in tonnes)."""
    try:
        return [resolve(data, p) for p in paths]
    except (PathError, KeyError, TypeError, ValueError):
        return [("units",)]


_SHARED: dict = {}


def set_shared(payload: Payload) -> None:
    """Process-pool initializer: keep the payload for every batch of this worker."""
    _SHARED["payload"] = payload


def run_batch(payload: Payload | None, records: list[dict]) -> list[dict]:
    """Rows of a batch of records (``payload`` None: the one set by :func:`set_shared`)."""
    payload = payload if payload is not None else _SHARED["payload"]
    return [run_record(payload, r) for r in records]
