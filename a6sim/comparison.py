"""Compare runs: differences per party and year, per NDC and in the run totals.

A run is a scenario (file or bundled name, run here) or a result folder written by
``a6sim run`` (its ``balances.csv`` or ``.parquet``, ``attainment``, ``summary.json``).
The first run is the base; every other is compared with it. The differences form one
long table (the CSV of ``a6sim compare --out``), one row per compared figure:

``against, table, party, year, period, field, base, value, difference``

* ``table`` ``balances``: per party and simulated year, ``field`` one of
  :data:`BALANCE_FIELDS` (tCO2e), ``period`` empty;
* ``table`` ``attainment``: per party NDC (``period`` ``first-last``), ``field``
  ``target``, ``balance``, ``gap`` (tCO2e; ``gap > 0`` missed) or ``met`` (1 met, 0
  missed); ``year`` the NDC's target year where it has one;
* ``table`` ``totals``: the run totals of ``summary.json`` (:data:`TOTAL_FIELDS`;
  tCO2e, ``sop_value`` and ``value_paid`` in the scenario's currency), party and
  year empty.

``difference = value - base``; a figure one run has and the other not (a party only in
one scenario, a year only one simulates) has an empty side and an empty difference.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Run", "CompareError", "load_run", "differences", "BALANCE_FIELDS", "TOTAL_FIELDS", "COLUMNS"]

BALANCE_FIELDS = ("inventory", "first_transferred", "first_transferred_oimp", "used", "ca", "emissions_balance",
                  "target")
ATTAINMENT_FIELDS = ("target", "balance", "gap", "met")
TOTAL_FIELDS = ("issued", "first_transferred", "first_transferred_oimp", "used", "used_oimp",
                "voluntarily_cancelled", "omge_cancelled", "adaptation_fund_units", "host_adaptation_units",
                "buffer", "reversal_cancelled", "held", "double_claimed", "net_ca_total", "sop_value",
                "value_paid", "violations")
COLUMNS = ["against", "table", "party", "year", "period", "field", "base", "value", "difference"]


class CompareError(ValueError):
    """An input that is neither a scenario nor an a6sim result folder (message names it)."""


@dataclass
class Run:
    """What a comparison needs of one run."""
    label: str
    balances: pd.DataFrame
    attainment: pd.DataFrame
    totals: dict


def _totals(summary: dict) -> dict:
    out = {k: summary.get(k) for k in TOTAL_FIELDS if k != "violations"}
    out["violations"] = len(summary.get("violations") or [])
    return out


_KEYS = {"balances": ("party", "year"), "attainment": ("party", "period_start", "period_end")}
"""The columns a compared table is keyed by: each must be there, the years whole numbers."""


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
    try:
        if csv.exists():
            return _checked(pd.read_csv(csv, keep_default_na=False, na_values=[""]), csv, name)
        if parquet.exists():
            return _checked(pd.read_parquet(parquet), parquet, name)
    except CompareError:
        raise
    except Exception as exc:   # a damaged file: say which
        raise CompareError(f"{csv if csv.exists() else parquet}: cannot be read: {exc}") from None
    if (folder / "results.xlsx").exists():   # written with --format xlsx: compare its scenario instead
        raise CompareError(f"{folder}: written with --format xlsx; compare reads CSV or Parquet result folders: "
                           f"compare the scenario it kept instead ({folder / 'scenario.yaml'}), or run it again "
                           f"with --format csv")
    raise CompareError(f"{folder}: no {name}.csv or {name}.parquet (not a complete a6sim result folder)")


_COMPARED = {"balances": BALANCE_FIELDS, "attainment": ATTAINMENT_FIELDS}
"""The columns whose figures are compared: each must be there, each cell empty or a number."""


def _checked(df: pd.DataFrame, path: Path, name: str) -> pd.DataFrame:
    """``df`` if it has its key and compared columns, whole-number years and numbers (or
    empty cells) where figures are compared; else :class:`CompareError` at the first bad
    row (``file:line: column: ...``, the header is line 1 of a CSV)."""
    missing = [c for c in _KEYS[name] if c not in df.columns]
    if missing:
        raise CompareError(f"{path}:1: expected the columns {', '.join(_KEYS[name])} of an a6sim {name} table "
                           f"(missing {', '.join(missing)})")
    missing = [c for c in _COMPARED[name] if c not in df.columns]
    if missing:
        raise CompareError(f"{path}:1: expected the columns {', '.join(_COMPARED[name])} of an a6sim {name} "
                           f"table, whose figures are compared (missing {', '.join(missing)})")

    def where(i):
        return f"{path}:{i + 2}" if path.suffix == ".csv" else f"{path}: row {i + 1}"
    for column in _KEYS[name][1:]:
        for i, x in enumerate(df[column].tolist()):
            v = _value(x)
            if not isinstance(v, int) or isinstance(v, bool) or not 1000 <= v <= 9999:
                raise CompareError(f"{where(i)}: {column}: expected a year, got {str(x)[:40]!r}")
    for column in _COMPARED[name]:
        for i, x in enumerate(df[column].tolist()):
            if _value(x) is None and not _empty(x):
                expected = "true or false" if column == "met" else "a number or an empty cell"
                raise CompareError(f"{where(i)}: {column}: expected {expected}, got {str(x)[:40]!r}")
    return df


def _empty(x) -> bool:
    """A missing cell: None, NaN, pandas' NA or blank text."""
    return x is None or x is pd.NA or (isinstance(x, float) and x != x) or (isinstance(x, str) and not x.strip())


def load_run(spec: str, seed: int | None = None) -> Run:
    """A run from a result folder, a scenario file or a bundled scenario's name.

    Raises :class:`CompareError` for a path that is none of these, and
    :class:`~a6sim.scenario.ScenarioError` for a scenario with errors.
    """
    path = Path(spec)
    if path.is_dir():
        summary_file = path / "summary.json"
        if not summary_file.exists():
            raise CompareError(f"{path}: not an a6sim result folder (no summary.json)")
        try:
            summary = json.loads(summary_file.read_text(encoding="utf-8"))
        except (ValueError, OSError, RecursionError) as exc:   # RecursionError: nesting past the parser's depth
            raise CompareError(f"{summary_file}: cannot be read: {exc}") from None
        if not isinstance(summary, dict):
            raise CompareError(f"{summary_file}: expected a JSON object")
        return Run(path.name or str(path), _read_table(path, "balances"), _read_table(path, "attainment"),
                   _totals(summary))
    from .resources import resolve_scenario
    from .results import simulate
    from .scenario import load_scenario
    found = resolve_scenario(spec)
    if not Path(found).exists():
        raise CompareError(f"{spec}: no such file, result folder or bundled scenario")
    results = simulate(load_scenario(found), seed=seed)
    return Run(Path(found).stem, results.balances, results.attainment, _totals(results.summary))


def _value(x):
    if x is None or (isinstance(x, float) and x != x) or x is pd.NA:
        return None
    if isinstance(x, (bool,)) or str(x) in ("True", "False", "true", "false"):
        return 1 if str(x).lower() == "true" else 0
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    if f != f:
        return None
    return int(f) if f.is_integer() else f


def _diff(a, b):
    return None if a is None or b is None else (b - a if not isinstance(b - a, float) else round(b - a, 6))


def _balance_map(df: pd.DataFrame) -> dict:
    out = {}
    for r in df.to_dict("records"):
        out[(str(r["party"]), int(r["year"]))] = {f: _value(r.get(f)) for f in BALANCE_FIELDS}
    return out


def _attainment_map(df: pd.DataFrame) -> dict:
    out = {}
    for r in df.to_dict("records"):
        period = f"{int(r['period_start'])}-{int(r['period_end'])}"
        ty = _value(r.get("target_year"))
        out[(str(r["party"]), period)] = ({f: _value(r.get(f)) for f in ATTAINMENT_FIELDS}, ty)
    return out


def _merged_keys(a: dict, b: dict) -> list:
    return list(a) + [k for k in b if k not in a]


def differences(base: Run, other: Run) -> pd.DataFrame:
    """The long table of every compared figure of ``other`` against ``base``."""
    rows = []
    ba, bb = _balance_map(base.balances), _balance_map(other.balances)
    for key in sorted(_merged_keys(ba, bb)):
        x, y = ba.get(key, {}), bb.get(key, {})
        for f in BALANCE_FIELDS:
            a, b = x.get(f), y.get(f)
            if a is None and b is None:
                continue
            rows.append((other.label, "balances", key[0], key[1], None, f, a, b, _diff(a, b)))
    aa, ab = _attainment_map(base.attainment), _attainment_map(other.attainment)
    for key in _merged_keys(aa, ab):
        (x, ty1), (y, ty2) = aa.get(key, ({}, None)), ab.get(key, ({}, None))
        for f in ATTAINMENT_FIELDS:
            a, b = x.get(f), y.get(f)
            if a is None and b is None:
                continue
            rows.append((other.label, "attainment", key[0], ty1 if ty1 is not None else ty2, key[1], f, a, b,
                         _diff(a, b)))
    for f in TOTAL_FIELDS:
        a, b = _value(base.totals.get(f)), _value(other.totals.get(f))
        rows.append((other.label, "totals", None, None, None, f, a, b, _diff(a, b)))
    columns = list(zip(*rows)) if rows else [()] * len(COLUMNS)
    return pd.DataFrame({c: pd.Series(list(v), dtype=object) for c, v in zip(COLUMNS, columns)}, columns=COLUMNS)
