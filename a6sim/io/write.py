"""Write a run's result files atomically (see the README).

Files go to a hidden folder beside the destination, with a manifest listing them, and
are put in place when complete (:mod:`a6sim.io.replace`): an interrupted run never
leaves half a result behind, a folder that is not exactly an a6sim result is never
replaced, and ``DIR`` always holds a complete result. Numbers that JSON cannot hold
(NaN, infinity) are refused, never written.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING


from .replace import MANIFEST, OutputError, check_destination, new_partial, put_in_place, write_manifest

if TYPE_CHECKING:   # pandas is imported by the functions that build DataFrames
    import pandas as pd

__all__ = ["write_results", "OutputError", "TABLES", "FORMATS", "csv_text", "check_destination", "MANIFEST"]

TABLES = ("balances", "attainment", "ledger", "holdings", "flows", "integrity", "structured_summary")
_MONEY = {"value"}
# economics.csv (docs/economics.md): written only when a party has an abatement cost curve
_ECON_MONEY = {"price", "marginal_cost", "abatement_cost", "itmo_paid", "sop_paid", "itmo_revenue",
               "sop_received", "net_cost", "abatement_cost_no_deals", "net_cost_no_deals", "saving",
               "adjustment_cost"}


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


FORMATS = ("csv", "parquet", "xlsx")


def write_results(results, out, format: str = "csv", processes: int = 1) -> Path:
    """Write every table and ``summary.json`` into ``out``; return the folder.

    ``format``: ``csv`` or ``parquet`` (one file per table) or ``xlsx`` (one workbook,
    ``results.xlsx``, a sheet per table: :mod:`a6sim.io.xlsx`). Every format also
    writes ``iamc.csv`` (:mod:`a6sim.io.iamc`) and ``scenario.yaml``, the scenario as
    run (:mod:`a6sim.io.scenario_copy`). ``processes``: 2 writes the CSV ledger pass in a
    forked child, on a second core (:mod:`a6sim.io.forked`; only for a single-threaded
    caller such as ``a6sim run``); the files are the same.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (csv | parquet | xlsx)")
    from .scenario_copy import scenario_text
    out = Path(out)
    check_destination(out)
    from .. import __version__
    tmp = new_partial(out)

    def run_files():
        """``scenario.yaml`` and ``summary.json`` (NaN or infinity refused: nothing is put in place)."""
        summary = json.dumps(results.summary, indent=2, default=str, allow_nan=False) + "\n"
        (tmp / "scenario.yaml").write_text(scenario_text(results.scenario), encoding="utf-8")
        (tmp / "summary.json").write_text(summary, encoding="utf-8")

    try:
        if format == "csv":      # straight from the run's rows (:mod:`a6sim.io.csvtables`)
            from .csvtables import write_csv_tables
            write_csv_tables(results, tmp, frozenset(_MONEY), frozenset(_ECON_MONEY), processes, also=run_files)
        else:
            _write_frames(results, tmp, format)
            run_files()
        write_manifest(tmp, __version__)
        put_in_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _write_frames(results, folder: Path, format: str) -> None:
    """The tables of a Parquet or xlsx result, from the DataFrames of ``results``."""
    from .aef import write_aef
    from .csvcells import CsvFile
    from .iamc import IAMC_COLUMNS, iamc_columns, iamc_frame
    sheets = {}
    for name in TABLES:
        df = getattr(results, name)
        if format == "xlsx":
            sheets[name] = df
        else:
            df.to_parquet(folder / f"{name}.parquet", index=False)
    econ = results.economics
    if not econ.empty:
        if format == "xlsx":
            sheets["economics"] = econ
        else:
            econ.to_parquet(folder / "economics.parquet", index=False)
    with CsvFile(folder / "iamc.csv", IAMC_COLUMNS) as f:
        f.write(iamc_columns(results))
    if format == "xlsx":
        from .xlsx import write_xlsx
        sheets["iamc"] = iamc_frame(results)
        write_xlsx(folder / "results.xlsx", sheets, results.summary, results.scenario.model.currency)
    write_aef(results, folder / "aef", "parquet" if format == "parquet" else "csv")   # the AEF tables (aef.py)
