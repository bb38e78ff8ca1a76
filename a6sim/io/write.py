"""Write a run's result files atomically (see the README).

Files go to a temporary folder beside the destination and are moved into place when
complete: an interrupted run never leaves half a result behind, and a folder that
does not hold a6sim results is never replaced.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_results", "OutputError", "TABLES", "csv_text"]

TABLES = ("balances", "attainment", "ledger", "holdings", "flows", "integrity", "structured_summary")
_MONEY = {"value"}
# economics.csv (docs/economics.md): written only when a party has an abatement cost curve
_ECON_MONEY = {"price", "marginal_cost", "abatement_cost", "itmo_paid", "sop_paid", "itmo_revenue",
               "sop_received", "net_cost", "abatement_cost_no_deals", "net_cost_no_deals", "saving",
               "adjustment_cost"}


class OutputError(OSError):
    """The output folder cannot be written (exists and is not an a6sim result, ...)."""


def _cell(x, money: bool):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        if money:
            return f"{x:.2f}"
        return str(int(x)) if x.is_integer() else f"{x:.1f}"
    if isinstance(x, bool):
        return "true" if x else "false"
    return x


def csv_text(df: pd.DataFrame, money: set | frozenset = frozenset(_MONEY)) -> str:
    """CSV with whole tonnes as integers, derived figures to one decimal, money to cents."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or out[col].dtype.kind in "fb":
            out[col] = [_cell(x, col in money) for x in out[col]]
        elif out[col].dtype.kind == "M":
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n")


def check_destination(out: Path) -> None:
    """Refuse a destination that exists and is not an (empty or a6sim result) folder."""
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / "summary.json").exists():
            raise OutputError(f"{out} exists and does not hold a6sim results; choose another --out folder")


def write_results(results, out, format: str = "csv") -> Path:
    """Write every table and ``summary.json`` into ``out``; return the folder."""
    if format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {format!r} (csv | parquet)")
    out = Path(out)
    check_destination(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        for name in TABLES:
            df = getattr(results, name)
            if format == "csv":
                (tmp / f"{name}.csv").write_text(csv_text(df), encoding="utf-8")
            else:
                df.to_parquet(tmp / f"{name}.parquet", index=False)
        econ = results.economics
        if not econ.empty:
            if format == "csv":
                (tmp / "economics.csv").write_text(csv_text(econ, _ECON_MONEY), encoding="utf-8")
            else:
                econ.to_parquet(tmp / "economics.parquet", index=False)
        (tmp / "summary.json").write_text(json.dumps(results.summary, indent=2, default=str) + "\n",
                                          encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap_into_place(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
