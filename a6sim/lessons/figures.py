"""Questions' figures: read a number off a run's result tables (docs/lessons.md).

A figure is the sum of one numeric column over the rows of a table that match every
filter given. Tonnes are returned in the lesson file's units, money in its currency.
"""
from __future__ import annotations

import math
from typing import Optional

from .model import TABLES, Figure

__all__ = ["figure_value", "unit_of", "describe", "fmt"]


def figure_value(results, figure: Figure) -> Optional[float]:
    """The figure's value in the file's units; None when no row matches (or the figure is empty)."""
    kind = TABLES[figure.table][figure.column]
    if figure.table == "summary":
        raw = results.summary.get(figure.column)
    else:
        table = getattr(results, figure.table)
        if figure.table == "ledger":
            table = table.assign(year=table["date"].dt.year)
        mask = None
        for key, value in figure.filters().items():
            hit = table[key] == value
            mask = hit if mask is None else (mask & hit)
        rows = table if mask is None else table[mask]
        values = rows[figure.column].dropna()
        if rows.empty or values.empty:
            return None
        raw = values.astype(float).sum()
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    value = float(raw)
    return value / results.scenario.factor if kind == "tonnes" else value


def unit_of(scenario, figure: Figure) -> str:
    """The unit a figure is asked in: the file's units for tonnes, its currency for money."""
    return scenario.model.units if TABLES[figure.table][figure.column] == "tonnes" else scenario.model.currency


def describe(figure: Figure) -> str:
    """``balances.emissions_balance [party=TRJ, year=2030]``."""
    filters = ", ".join(f"{k}={v}" for k, v in figure.filters().items())
    return f"{figure.table}.{figure.column}" + (f" [{filters}]" if filters else "")


def fmt(x: Optional[float], digits: int = 3) -> str:
    """A figure for people: thousands separators, at most ``digits`` decimals, no trailing zeros."""
    if x is None:
        return "-"
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
