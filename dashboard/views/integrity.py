"""Integrity figures: per-year panels and the headline totals."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import COLOURS, finish, is_missing, money, no_data_figure, quantity, scale, unit_label

__all__ = ["integrity_figure", "integrity_totals", "TOTALS", "NOTHING", "ALERT_KEYS"]

NOTHING = "Nothing to show: 0 in every year"
#: Cards that turn red when above zero (tonnes claimed twice).
ALERT_KEYS = ("double_claimed", "target_year_double_claimed")

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
    ("double_claimed", "Claimed twice (no host addition)", "t"),
    ("target_year_double_claimed", "Claimed twice in a target year", "t"),
    ("omge_cancelled", "Cancelled for OMGE", "t"),
    ("adaptation_fund_units", "To the Adaptation Fund", "t"),
    ("host_adaptation_units", "To host adaptation", "t"),
    ("buffer", "In buffer pools", "t"),
    ("sop_value", "Share of proceeds (money)", "money"),
    ("issued", "Issued", "t"),
    ("first_transferred", "First transferred", "t"),
    ("used", "Used", "t"),
)


def integrity_figure(integrity: pd.DataFrame, units: str = "tCO2e", target_years: list | None = None) -> go.Figure:
    """2x2 panels per year, in the scenario's ``units``: net corresponding adjustments
    (sum over parties of the applied ``ca``; above zero: more added than subtracted,
    below zero: more subtracted than added), tonnes double claimed, OMGE cancelled,
    units to the Adaptation Fund. ``target_years`` (summary.json's list) adds the tonnes
    claimed twice in a target year to the second panel, as their own bars. A panel that is 0 in every year has no axes and says
    :data:`NOTHING` instead of drawing an empty -1..1 frame."""
    if integrity is None or integrity.empty or "year" not in integrity:
        return no_data_figure(_TITLE, "integrity")
    df = integrity.sort_values("year")
    years = [int(y) for y in df["year"]]
    factor = scale(units)[0]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[p[1] for p in _PANELS],
                        shared_xaxes=False, vertical_spacing=0.2, horizontal_spacing=0.12)
    empty = []
    for i, (col, name, colour) in enumerate(_PANELS):
        values = [0 if is_missing(v) else v for v in df[col]] if col in df else [0] * len(years)
        colours = colour
        if col == "net_ca":   # additions orange, net subtractions green
            colours = [COLOURS["additions"] if v >= 0 else COLOURS["subtractions"] for v in values]
        fig.add_trace(go.Bar(x=years, y=[v / factor for v in values], name=name, marker_color=colours,
                             showlegend=False, customdata=[quantity(v, units) for v in values],
                             hovertemplate=name + " %{x}: %{customdata}<extra></extra>"),
                      row=i // 2 + 1, col=i % 2 + 1)
        extra = []
        if col == "double_claimed" and target_years:
            by_year = {int(t["year"]): t.get("double_claimed") or 0 for t in target_years}
            extra = [by_year.get(y, 0) for y in years]
            fig.add_trace(go.Bar(x=years, y=[v / factor for v in extra], name="Claimed twice in a target year",
                                 marker_color=COLOURS["target_year"], showlegend=False,
                                 customdata=[quantity(v, units) for v in extra],
                                 hovertemplate="In a target year %{x}: %{customdata}<extra></extra>"), row=1, col=2)
        if not any(values) and not any(extra):
            empty.append(i)
    finish(fig, _TITLE, "integrity")
    fig.update_yaxes(title_text=unit_label(units), tickformat=",")
    fig.update_xaxes(tickformat="d", dtick=1 if len(years) <= 12 else 2)
    fig.update_xaxes(title_text="Year", row=2)
    fig.update_annotations(font_size=16)
    for i in empty:
        suffix = "" if i == 0 else str(i + 1)
        fig.layout[f"xaxis{suffix}"].visible = False
        fig.layout[f"yaxis{suffix}"].visible = False
        xd, yd = fig.layout[f"xaxis{suffix}"].domain, fig.layout[f"yaxis{suffix}"].domain
        fig.add_annotation(text=NOTHING, x=(xd[0] + xd[1]) / 2, y=(yd[0] + yd[1]) / 2, xref="paper",
                           yref="paper", xanchor="center", yanchor="middle", showarrow=False,
                           font=dict(size=16, color="#5f5f5f"))
    fig.update_layout(height=650, margin=dict(t=120, l=90), barmode="stack")
    return fig


def integrity_totals(summary: dict, currency: str | None = None, units: str = "tCO2e") -> list[dict]:
    """Headline cards: ``[{"key", "label", "value", "alert"}]`` with ``value`` a display
    string: tonnes in the scenario's ``units`` (``"1,234 t"``, ``"5 Mt"``), or money for
    ``sop_value`` (prefixed with ``currency`` when given); ``"n/a"`` when the summary
    lacks the key. ``alert``: a tonnes-claimed-twice card above zero (drawn red)."""
    summary = summary or {}
    cards = []
    for key, label, kind in TOTALS:
        raw = summary.get(key)
        if is_missing(raw):
            value = "n/a"
        else:
            value = money(raw, currency) if kind == "money" else quantity(raw, units)
        alert = key in ALERT_KEYS and not is_missing(raw) and raw > 0
        cards.append({"key": key, "label": label, "value": value, "alert": alert})
    return cards
