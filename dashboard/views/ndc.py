"""One party's NDC: year-by-year balance figure and the attainment table."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import COLOURS, is_missing, new_figure, no_data_figure, tonnes

__all__ = ["ndc_figure", "attainment_records"]

_Y = "Emissions (tCO2e)"
_HOVER = "%{fullData.name}: %{customdata}<extra></extra>"


def _bar(years, values, name: str, colour: str, sign: int = 1) -> go.Bar:
    return go.Bar(x=years, y=[sign * v for v in values], name=name, marker_color=colour,
                  customdata=[tonnes(sign * v) for v in values], hovertemplate=_HOVER)


def _line(years, values, name: str, colour: str, **kw) -> go.Scatter:
    return go.Scatter(x=years, y=values, name=name, line_color=colour,
                      customdata=[tonnes(v) for v in values], hovertemplate=_HOVER, **kw)


def ndc_figure(balances: pd.DataFrame, party: str) -> go.Figure:
    """Year by year for ``party``: bars for inventory, additions (first transfers) and
    subtractions (uses, drawn below zero); lines for the emissions balance, the target
    (markers, years with a target only) and the trajectory (dashed, where given).

    The bars stack relative to zero: inventory + first transferred above, -used below.
    ``emissions_balance`` is ``inventory + ca``; ``ca`` is first transferred - used,
    except with averaging (the average) or with corresponding adjustments switched off.
    """
    title = f"{party}: emissions balance with corresponding adjustments"
    rev = f"ndc-{party}"
    if balances is None or balances.empty or "party" not in balances:
        return no_data_figure(title, rev)
    df = balances[balances["party"] == party].sort_values("year")
    if df.empty:
        return no_data_figure(title, rev)
    years = [int(y) for y in df["year"]]

    def values(col):
        return [None if is_missing(v) else v for v in df[col]]

    metrics = sorted(set(df["metric"].dropna()) - {"tCO2e"}) if "metric" in df else []
    if metrics:   # a non-GHG NDC (2/CMA.3 annex para 10): the indicator and the adjustment in its metric
        unit = ", ".join(str(m) for m in metrics)
        fig = new_figure(f"{party}: NDC indicator ({unit}) with corresponding adjustments", "Year", unit,
                         uirevision=rev, barmode="relative", hovermode="x unified")
        fig.add_trace(_bar(years, values("inventory"), f"Indicator ({unit})", COLOURS["inventory"]))
        fig.add_trace(_bar(years, values("ca"), f"Corresponding adjustment ({unit})", COLOURS["additions"]))
    else:
        fig = new_figure(title, "Year", _Y, uirevision=rev, barmode="relative", hovermode="x unified")
        fig.add_trace(_bar(years, values("inventory"), "Inventory", COLOURS["inventory"]))
        fig.add_trace(_bar(years, values("first_transferred"), "Added: first transferred", COLOURS["additions"]))
        fig.add_trace(_bar(years, values("used"), "Subtracted: used", COLOURS["subtractions"], sign=-1))
    fig.add_trace(_line(years, values("emissions_balance"), "Emissions balance", COLOURS["balance"],
                        mode="lines+markers", line_width=4, marker_size=8))
    for col, name, kw in (("target", "Target", dict(mode="markers", marker=dict(size=16, symbol="diamond"))),
                          ("trajectory", "Trajectory", dict(mode="lines", line=dict(dash="dash", width=3)))):
        if col not in df:
            continue
        present = [(y, v) for y, v in zip(years, values(col)) if v is not None]
        if present:
            fig.add_trace(_line([y for y, _ in present], [v for _, v in present], name, COLOURS[col], **kw))
    fig.update_xaxes(tickmode="linear", dtick=1, tickformat="d")
    fig.update_yaxes(tickformat=",")
    return fig


def _period(row) -> str:
    start, end = row.get("period_start"), row.get("period_end")
    if is_missing(start) or is_missing(end):
        return ""
    return f"{int(start)}-{int(end)}"


def _text(x) -> str:
    return "" if is_missing(x) else str(x)


def attainment_records(attainment: pd.DataFrame, party: str | None = None) -> list[dict]:
    """Rows for the attainment table, numbers as display strings.

    Keys: party, ndc_type, method, period ("2021-2030"), target_year, target, balance,
    gap (positive: missed; in the NDC's metric for a non-GHG NDC), met ("met" / "missed" / "" when not known,
    e.g. an NDC period running past the simulation).
    """
    if attainment is None or attainment.empty:
        return []
    df = attainment if party is None else attainment[attainment["party"] == party]
    rows = []
    for row in df.to_dict("records"):
        met = row.get("met")
        metric = row.get("metric")
        unit = "t" if is_missing(metric) or metric == "tCO2e" else str(metric)   # a non-GHG NDC's metric
        rows.append({
            "party": _text(row.get("party")),
            "ndc_type": _text(row.get("ndc_type")),
            "method": _text(row.get("method")),
            "period": _period(row),
            "target_year": "" if is_missing(row.get("target_year")) else str(int(row["target_year"])),
            "target": tonnes(row.get("target"), unit),
            "balance": tonnes(row.get("balance"), unit),
            "gap": tonnes(row.get("gap"), unit),
            "met": "" if is_missing(met) else ("met" if bool(met) else "missed"),
        })
    return rows
