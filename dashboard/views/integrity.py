"""Integrity figures: per-year panels and the headline totals."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import COLOURS, finish, is_missing, money, no_data_figure, tonnes

__all__ = ["integrity_figure", "integrity_totals", "TOTALS"]

_TITLE = "Integrity: corresponding adjustments, double claiming, OMGE, Adaptation Fund"
_PANELS = (  # column, panel title, colour
    ("net_ca", "Net corresponding adjustments", COLOURS["net_ca"]),
    ("double_claimed", "Tonnes claimed twice", COLOURS["double_claimed"]),
    ("omge_cancelled", "Cancelled for OMGE", COLOURS["OMGE cancelled"]),
    ("adaptation_fund_units", "Units to the Adaptation Fund", COLOURS["Adaptation Fund"]),
)

#: Headline cards: summary key, label, kind ("t" tonnes or "money").
TOTALS = (
    ("net_ca_total", "Net corresponding adjustments", "t"),
    ("double_claimed", "Claimed twice", "t"),
    ("omge_cancelled", "Cancelled for OMGE", "t"),
    ("adaptation_fund_units", "To the Adaptation Fund", "t"),
    ("host_adaptation_units", "To host adaptation", "t"),
    ("buffer", "In buffer pools", "t"),
    ("sop_value", "Share of proceeds (money)", "money"),
    ("issued", "Issued", "t"),
    ("first_transferred", "First transferred", "t"),
    ("used", "Used", "t"),
)


def integrity_figure(integrity: pd.DataFrame) -> go.Figure:
    """2x2 panels per year: net corresponding adjustments (sum over parties of the
    applied ``ca``; below zero: more subtracted than added), tonnes double claimed,
    OMGE cancelled, units to the Adaptation Fund."""
    if integrity is None or integrity.empty or "year" not in integrity:
        return no_data_figure(_TITLE, "integrity")
    df = integrity.sort_values("year")
    years = [int(y) for y in df["year"]]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[p[1] for p in _PANELS],
                        shared_xaxes=True, vertical_spacing=0.14, horizontal_spacing=0.12)
    for i, (col, name, colour) in enumerate(_PANELS):
        values = [0 if is_missing(v) else v for v in df[col]] if col in df else [0] * len(years)
        colours = colour
        if col == "net_ca":   # additions orange, net subtractions green
            colours = [COLOURS["additions"] if v >= 0 else COLOURS["subtractions"] for v in values]
        fig.add_trace(go.Bar(x=years, y=values, name=name, marker_color=colours, showlegend=False,
                             customdata=[tonnes(v) for v in values],
                             hovertemplate=name + " %{x}: %{customdata}<extra></extra>"),
                      row=i // 2 + 1, col=i % 2 + 1)
    finish(fig, _TITLE, "integrity")
    fig.update_yaxes(title_text="tCO2e", tickformat=",")
    fig.update_xaxes(tickformat="d", dtick=1 if len(years) <= 12 else 2)
    fig.update_xaxes(title_text="Year", row=2)
    fig.update_annotations(font_size=16)
    fig.update_layout(height=650, margin=dict(t=120))
    return fig


def integrity_totals(summary: dict, currency: str | None = None) -> list[dict]:
    """Headline cards: ``[{"key", "label", "value"}]`` with ``value`` a display string:
    tonnes (``"1,234 t"``), or money for ``sop_value`` (prefixed with ``currency`` when
    given, e.g. the scenario's); ``"n/a"`` when the summary lacks the key."""
    summary = summary or {}
    cards = []
    for key, label, kind in TOTALS:
        raw = summary.get(key)
        if is_missing(raw):
            value = "n/a"
        else:
            value = money(raw, currency) if kind == "money" else tonnes(raw)
        cards.append({"key": key, "label": label, "value": value})
    return cards
