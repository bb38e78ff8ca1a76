"""Shared look of every dashboard figure: a projector-friendly plotly template, one
fixed colour per category, and number formatting.

Nothing here is mutated after import: :func:`new_figure` gives each figure its own
copy of the template.
"""
from __future__ import annotations

import math
from numbers import Number

import pandas as pd
import plotly.graph_objects as go

__all__ = ["COLOURS", "SEQUENCE", "TEMPLATE", "FONT_SIZE", "tonnes", "money", "is_missing",
           "new_figure", "no_data_figure", "finish", "UNITS", "scale", "quantity", "unit_label"]

FONT_SIZE = 16

#: One colour per category, used by every figure (and by the dashboard for legends).
COLOURS: dict[str, str] = {
    # NDC accounting
    "inventory": "#9e9e9e",            # grey
    "additions": "#e8710a",            # orange: first transfers added by the host
    "subtractions": "#2e9e44",         # green: uses subtracted by the buyer
    "balance": "#1a3d7c",              # dark blue: emissions balance
    "target": "#d62728",               # red
    "trajectory": "#d62728",           # red, dashed
    # integrity
    "net_ca": "#1a3d7c",
    "double_claimed": "#d62728",
    "target_year": "#8c1c13",          # dark red: claimed twice in a target year
    # where units end up
    "Issued": "#1a3d7c",
    "Transferred": "#e8710a",
    "Adaptation Fund": "#0f8b8d",
    "Host adaptation": "#6cc4c4",
    "OMGE cancelled": "#7b3fa0",
    "Buffer pool": "#8d6e63",
    "Reversal cancelled": "#4e342e",
    "Held at activity": "#9e9e9e",
    "Used for NDC": "#2e9e44",
    "Used for OIMP": "#9bc53d",
    "Voluntarily cancelled": "#e377c2",
    "Held by buyers": "#4a90d9",
    # money
    "value": "#1a3d7c",
    "sop_value": "#0f8b8d",
    # network
    "seller": "#e8710a",
    "buyer": "#2e9e44",
    "other": "#9e9e9e",
    "selected": "#d62728",
    "edge": "#7f8c9a",
}

#: Colours for series without a fixed category (agreements in the money figure).
SEQUENCE = ["#1a3d7c", "#e8710a", "#2e9e44", "#7b3fa0", "#17becf", "#8d6e63", "#e377c2",
            "#4a90d9", "#9bc53d", "#bcbd22", "#9e9e9e"]

_AXIS = dict(showgrid=True, gridcolor="#e3e3e3", zeroline=True, zerolinecolor="#9e9e9e",
             linecolor="#5f5f5f", showline=True, ticks="outside", automargin=True,
             title=dict(font=dict(size=FONT_SIZE)))

TEMPLATE = go.layout.Template(layout=dict(
    font=dict(family="Arial, Helvetica, sans-serif", size=FONT_SIZE, color="#222222"),
    title=dict(font=dict(size=FONT_SIZE + 4), x=0.01, xanchor="left"),
    paper_bgcolor="white",
    plot_bgcolor="white",
    colorway=SEQUENCE,
    xaxis=_AXIS,
    yaxis=_AXIS,
    legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=FONT_SIZE - 2)),
    hoverlabel=dict(font=dict(size=FONT_SIZE)),
    separators=".,",
    margin=dict(l=80, r=30, t=100, b=70),
))


def is_missing(x) -> bool:
    """True for None, pd.NA, NaN and NaT."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _number(x, decimals: int) -> str:
    if isinstance(x, bool) or not isinstance(x, Number):
        x = float(x)
    if float(x).is_integer():
        return f"{int(x):,}"
    text = f"{float(x):,.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def tonnes(x, unit: str = "t") -> str:
    """``1234567`` -> ``"1,234,567 t"``; fractional tonnes (averaging) keep up to 2
    decimals (``1,234.33 t``); missing values give ``""``."""
    if is_missing(x):
        return ""
    if isinstance(x, float) and math.isinf(x):
        return f"{'-' if x < 0 else ''}inf {unit}"
    return f"{_number(x, 2)} {unit}"


#: The scenario's unit (``units:`` of the file) -> (tonnes per unit, short suffix).
UNITS = {"tCO2e": (1, "t"), "ktCO2e": (1_000, "kt"), "MtCO2e": (1_000_000, "Mt")}


def scale(units: str | None) -> tuple[int, str]:
    """``(tonnes per unit, suffix)`` of a scenario unit; tCO2e for an unknown one."""
    return UNITS.get(units or "tCO2e", UNITS["tCO2e"])


def unit_label(units: str | None) -> str:
    """The unit as an axis title shows it: ``"MtCO2e"`` (tCO2e when unknown)."""
    return units if units in UNITS else "tCO2e"


def quantity(x, units: str | None = "tCO2e", signed: bool = False) -> str:
    """Tonnes shown in the scenario's unit: ``quantity(1_020_000, "MtCO2e")`` ->
    ``"1.02 Mt"``, ``quantity(1234, "tCO2e")`` -> ``"1,234 t"``; up to 3 decimals in kt
    and Mt, 2 in t; ``signed`` puts ``+`` before positive figures; ``""`` when missing."""
    if is_missing(x):
        return ""
    factor, suffix = scale(units)
    if isinstance(x, float) and math.isinf(x):
        return f"{'-' if x < 0 else ''}inf {suffix}"
    value = x / factor if factor != 1 else x
    text = _number(value, 3 if factor != 1 else 2)
    if signed and float(value) > 0 and text != "0":
        text = "+" + text
    return f"{text} {suffix}"


def money(x, currency: str | None = "USD") -> str:
    """``13230000.0`` -> ``"USD 13,230,000"`` (cents only when there are any; no
    prefix when ``currency`` is empty or None)."""
    if is_missing(x):
        return ""
    x = round(float(x), 2)
    text = f"{int(x):,}" if x.is_integer() else f"{x:,.2f}"
    return f"{currency} {text}" if currency else text


def new_figure(title: str, x_title: str | None = None, y_title: str | None = None,
               uirevision: str = "a6sim", **layout) -> go.Figure:
    """An empty figure with the shared template, a title, axis titles and uirevision."""
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title=dict(text=title), uirevision=uirevision, **layout)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def finish(fig: go.Figure, title: str, uirevision: str) -> go.Figure:
    """Apply the template, title and uirevision to a figure built elsewhere (subplots)."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title), uirevision=uirevision)
    return fig


def no_data_figure(title: str, uirevision: str = "a6sim", message: str = "No data") -> go.Figure:
    """A figure saying "No data" (axes hidden) instead of an error on empty input."""
    fig = new_figure(title, uirevision=uirevision)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=FONT_SIZE + 8, color="#5f5f5f"))
    return fig
