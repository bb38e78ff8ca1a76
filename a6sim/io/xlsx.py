"""``results.xlsx`` (``a6sim run --format xlsx``): one formatted sheet per table.

Each table of the result folder becomes a sheet of the same name (``balances``,
``attainment``, ``ledger``, ``holdings``, ``flows``, ``integrity``,
``structured_summary``, ``economics`` where a party has a cost curve, ``iamc``, whose
``unit`` column gives each row's unit) and a ``summary`` sheet holds the run totals of
``summary.json`` (``figure, number, unit``). Headers carry the unit,
e.g. ``inventory (tCO2e)``, ``value (USD)``, ``price (USD/tCO2e)``; the header row is
bold and frozen, with a filter; whole tonnes show with thousands separators, money
with cents, dates as dates. Excel holds at most 1,048,576 rows a sheet: a longer table
continues on ``NAME (2)``, ``NAME (3)``, ... Written with openpyxl in write-only mode.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

__all__ = ["write_xlsx", "header", "MAX_ROWS"]

MAX_ROWS = 1_048_576 - 1          # data rows under the header
_TONNES = {"inventory", "first_transferred", "first_transferred_ndc", "first_transferred_oimp",
           "first_transferred_by_vintage", "used", "ca", "emissions_balance",
           "target", "trajectory", "gap", "balance", "worst_year_gap", "quantity", "inventory_total",
           "balance_total", "net_ca", "omge_cancelled", "adaptation_fund_units", "double_claimed",
           "trajectory_or_budget", "net", "cumulative_net", "averaging_amount", "corresponding_adjustment",
           "abatement_needed", "abatement", "itmo_acquired", "itmo_transferred", "abatement_needed_no_deals",
           "adjustment_abatement", "unmet", "unmet_no_deals", "reference", "abatement_activities"}
_MONEY = {"value", "abatement_cost", "itmo_paid", "sop_paid", "itmo_revenue", "sop_received", "net_cost",
          "abatement_cost_no_deals", "net_cost_no_deals", "saving", "adjustment_cost"}
_PRICE = {"price", "marginal_cost"}


def header(column: str, currency: str, metric: bool = False) -> str:
    """The header of a column, with its unit (``metric``: the table has non-GHG NDC rows)."""
    if column in _TONNES:
        return f"{column} (tCO2e{' or the NDC metric' if metric and column in _IN_METRIC else ''})"
    if column in _MONEY:
        return f"{column} ({currency})"
    if column in _PRICE:
        return f"{column} ({currency}/tCO2e)"
    return column


_IN_METRIC = {"inventory", "ca", "emissions_balance", "target", "trajectory", "gap", "balance", "worst_year_gap"}


def _plain(x):
    """A cell value openpyxl writes: None for missing, Python numbers, datetimes."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if hasattr(x, "item") and not isinstance(x, pd.Timestamp):   # numpy scalars
        return x.item()
    if isinstance(x, pd.Timestamp):
        return x.to_pydatetime()
    return x


def _sheet(wb, name: str, df: pd.DataFrame, currency: str, styles: dict, units: bool = True) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    metric = "metric" in df.columns and bool((df["metric"].astype(str) != "tCO2e").any())
    heads = [header(str(c), currency, metric) if units else str(c) for c in df.columns]
    formats = [styles["date"] if df[c].dtype.kind == "M" else None if not units else
               styles["money"] if c in _MONEY or c in _PRICE else
               styles["tonnes"] if c in _TONNES else None for c in df.columns]
    columns = [list(map(_plain, df[c].tolist())) for c in df.columns]
    n = len(df)
    parts = max(1, math.ceil(n / MAX_ROWS))
    for part in range(parts):
        ws = wb.create_sheet(name if part == 0 else f"{name} ({part + 1})")
        for i, h in enumerate(heads, start=1):
            width = max(len(h), *(len(str(v)) for v in columns[i - 1][:200] if v is not None), 6) if n else len(h)
            ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
        ws.freeze_panes = "A2"
        last = get_column_letter(max(1, len(heads)))
        lo, hi = part * MAX_ROWS, min(n, (part + 1) * MAX_ROWS)
        ws.auto_filter.ref = f"A1:{last}{hi - lo + 1}"
        row = []
        for h in heads:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = styles["bold"]
            row.append(cell)
        ws.append(row)
        styled = [j for j, f in enumerate(formats) if f is not None]
        for k in range(lo, hi):
            values = [col[k] for col in columns]
            for j in styled:
                if values[j] is not None:
                    cell = WriteOnlyCell(ws, value=values[j])
                    cell.number_format = formats[j]
                    values[j] = cell
            ws.append(values)


def write_xlsx(path: str | Path, tables: dict[str, pd.DataFrame], summary: dict, currency: str) -> None:
    """Write ``tables`` (sheet name -> DataFrame) and the summary's run totals to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook(write_only=True)
    styles = {"bold": Font(bold=True), "tonnes": "#,##0", "money": "#,##0.00", "date": "yyyy-mm-dd"}
    for name, df in tables.items():   # the IAMC table has a unit column of its own
        _sheet(wb, name, df, currency, styles, units=name != "iamc")
    scalars = [(k, v) for k, v in summary.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
    units = {k: ("tCO2e" if k not in ("sop_value", "value_paid", "seed", "ledger_rows") else
                 currency if k in ("sop_value", "value_paid") else "") for k, _ in scalars}
    for k, v in scalars:
        if isinstance(v, str):
            units[k] = ""
    _sheet(wb, "summary", pd.DataFrame({"figure": [k for k, _ in scalars], "number": [v for _, v in scalars],
                                        "unit": [units[k] for k, _ in scalars]}), currency, styles, units=False)
    wb.save(str(path))
