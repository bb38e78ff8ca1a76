"""The runs table: one row per run, its columns and their types (``runs.parquet``).

Layout (wide): ``run, grid, draw, seed``; ``lever:PATH`` for every lever;
``input:PATH`` for every uncertain input (the drawn value; with ``scale: true`` the
factor); ``hazard.I.events`` and ``hazard.I.tonnes`` (reversals) or
``hazard.I.year`` (revocations); one column per outcome (``parties.CHE.gap``, ...);
``error`` (empty when the run succeeded). The column types are fixed by the sweep,
not by the rows, so every chunk and every executor writes the same schema.
"""
from __future__ import annotations

import json

import pyarrow as pa

from .outcomes import is_boolean

__all__ = ["runs_schema", "rows_table", "lever_type", "plain"]


def lever_type(values: list) -> pa.DataType:
    """bool, int64 or float64 for numbers (None allowed), else string (JSON for lists and maps)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.int64() if all(isinstance(v, int) for v in present) else pa.float64()
    return pa.string()


def plain(value, kind: pa.DataType):
    """A lever or drawn value as stored in a column of type ``kind``."""
    if value is None:
        return None
    if kind == pa.string():
        return value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    if kind == pa.float64():
        return float(value)
    return value


def runs_schema(plan, outcomes: list[str]) -> pa.Schema:
    m = plan.spec.model
    fields = [("run", pa.int64()), ("grid", pa.int64()), ("draw", pa.int64()), ("seed", pa.int64())]
    fields += [(f"lever:{p}", lever_type(v)) for p, v in m.levers.items()]
    for p, d in m.uncertain.items():
        kind = lever_type(d.values) if d.dist == "choice" else (
            pa.int64() if plan.kinds.get(p) == "int" and not d.scale else pa.float64())
        fields.append((f"input:{p}", kind))
    for i, h in enumerate(m.hazards):
        fields += [(f"hazard.{i}.events", pa.int64()),
                   (f"hazard.{i}.tonnes", pa.int64()) if h.event == "reversal" else (f"hazard.{i}.year", pa.int64())]
    fields += [(name, pa.bool_() if is_boolean(name) else pa.float64()) for name in outcomes]
    fields.append(("error", pa.string()))
    return pa.schema(fields)


def rows_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """An arrow table of worker rows (see :func:`a6sim.experiments.runner.run_record`)."""
    columns: dict[str, list] = {f.name: [] for f in schema}
    types = {f.name: f.type for f in schema}
    for row in rows:
        for name in columns:
            columns[name].append(plain(row.get(name), types[name]))
    return pa.table(columns, schema=schema)
