"""One party's NDC: year-by-year balance figure and the attainment table."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from plotly.subplots import make_subplots

from .style import COLOURS, FONT_SIZE, finish, is_missing, no_data_figure, quantity, scale, tonnes, unit_label

__all__ = ["ndc_figure", "ndc_title", "ndc_explanation", "attainment_records", "NO_ADJUSTMENT"]

_HOVER = "%{fullData.name}: %{customdata}<extra></extra>"
NO_ADJUSTMENT = "No corresponding adjustment in any year"


def _bar(years, values, name: str, colour: str, units: str, sign: int = 1, **kw) -> go.Bar:
    factor = scale(units)[0]
    return go.Bar(x=years, y=[None if v is None else sign * v / factor for v in values], name=name,
                  marker_color=colour, customdata=[quantity(None if v is None else sign * v, units, signed=True)
                                                   for v in values], hovertemplate=_HOVER, **kw)


def _line(years, values, name: str, colour: str, units: str, **kw) -> go.Scatter:
    factor = scale(units)[0]
    return go.Scatter(x=years, y=[None if v is None else v / factor for v in values], name=name, line_color=colour,
                      customdata=[quantity(v, units) for v in values], hovertemplate=_HOVER, **kw)


def _method(df) -> str:
    if "method" not in df:
        return ""
    methods = [m for m in df["method"] if isinstance(m, str) and m]
    return methods[0] if methods else ""


def ndc_title(party: str, method: str = "", adjusts: bool = True, name: str | None = None) -> str:
    """What the chart shows, truthfully: with (averaged) adjustments, or without additions."""
    who = f"{name} ({party})" if name and name != party else party
    if not adjusts:
        return f"{who}: emissions balance, first transfers not added"
    if method == "averaging":
        return f"{who}: emissions balance, averaged adjustments"
    return f"{who}: emissions balance with corresponding adjustments"


def ndc_explanation(balances: pd.DataFrame, party: str, units: str = "tCO2e", adjusts: bool = True) -> str:
    """One sentence under the chart: what moves this party's balance (scenario units)."""
    if balances is None or balances.empty or "party" not in balances:
        return ""
    df = balances[balances["party"] == party]
    if df.empty:
        return ""
    ft, used = df["first_transferred"].sum(), df["used"].sum()
    method = _method(df)
    parts = []
    if method == "averaging":
        n = int((df["ca"] != 0).sum()) or 1
        avg = df["ca"].iloc[-1]
        parts.append(f"Averaging (2/CMA.3 annex para 7(a)(ii)): the {quantity(used, units)} used and "
                     f"{quantity(ft, units)} first transferred over the period are spread over its elapsed "
                     f"years: {quantity(ft - used, units, signed=True)} / {n} = {quantity(avg, units, signed=True)} "
                     "in each year, and the target year counts inventory + that average. The bars show the "
                     "average, the amount that moves the balance.")
    elif not adjusts:
        parts.append(f"This party skips its corresponding adjustments (teaching switch): the "
                     f"{quantity(ft, units)} it first transferred are not added back, so the buyers' use of them "
                     "is claimed twice.")
    else:
        parts.append(f"Adjustment = first transferred − used (para 8): {quantity(ft, units)} added, "
                     f"{quantity(used, units)} subtracted.")
    parts.append("Positive adjustments raise the balance (a seller adds back what it sold), negative ones "
                 "lower it (a buyer subtracts what it used).")
    return " ".join(parts)


def ndc_figure(balances: pd.DataFrame, party: str, units: str = "tCO2e", adjusts: bool = True,
               name: str | None = None) -> go.Figure:
    """Year by year for ``party``, in the scenario's ``units``.

    Top panel (axis spanning the values, not from zero, so a 0.5 Mt adjustment on 40 Mt
    shows): lines for the inventory, the emissions balance (``inventory + ca``), the
    target (diamonds, years with a target only) and the trajectory (dashed, where given).
    Bottom panel: the corresponding adjustment that moves the balance, as bars:
    "Added: first transferred" above zero and "Subtracted: used" below it (stacked;
    ``ca`` = their sum), only the subtractions for a party that skips its additions
    (``adjusts`` false: ``ca = -used``), and for the averaging method the averaged
    adjustment that is applied ("Applied: average"), with the uses in the hover text.
    """
    method = ""
    title = ndc_title(party, method, adjusts, name)
    rev = f"ndc-{party}"
    if balances is None or balances.empty or "party" not in balances:
        return no_data_figure(title, rev)
    df = balances[balances["party"] == party].sort_values("year")
    if df.empty:
        return no_data_figure(title, rev)
    method = _method(df)
    title = ndc_title(party, method, adjusts, name)
    years = [int(y) for y in df["year"]]
    label = unit_label(units)

    def values(col):
        return [None if is_missing(v) else v for v in df[col]] if col in df else [None] * len(years)

    metrics = sorted(set(df["metric"].dropna()) - {"tCO2e"}) if "metric" in df else []
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.64, 0.36], vertical_spacing=0.07)
    if metrics:   # a non-GHG NDC (2/CMA.3 annex para 10): the indicator and the adjustment in its metric
        metric = ", ".join(str(m) for m in metrics)
        title = f"{party}: NDC indicator ({metric}) with corresponding adjustments"
        return _metric_figure(fig, df, years, values, metric, title, rev)
    fig.add_trace(_line(years, values("inventory"), "Inventory", COLOURS["inventory"], units,
                        mode="lines+markers", line_width=3, marker_size=6), row=1, col=1)
    fig.add_trace(_line(years, values("emissions_balance"), "Emissions balance", COLOURS["balance"], units,
                        mode="lines+markers", line_width=4, marker_size=8), row=1, col=1)
    for col, trace_name, kw in (
            ("target", "Target", dict(mode="markers", marker=dict(size=16, symbol="diamond"))),
            ("trajectory", "Trajectory", dict(mode="lines", line=dict(dash="dash", width=3)))):
        present = [(y, v) for y, v in zip(years, values(col)) if v is not None]
        if present:
            fig.add_trace(_line([y for y, _ in present], [v for _, v in present], trace_name, COLOURS[col], units,
                                **kw), row=1, col=1)
    if method == "averaging":
        used = values("used")
        bar = _bar(years, values("ca"), "Applied: average", COLOURS["net_ca"], units)
        bar.customdata = [f"{quantity(c, units, signed=True)} (used that year: {quantity(u or 0, units)})"
                          for c, u in zip(values("ca"), used)]
        fig.add_trace(bar, row=2, col=1)
    else:
        if adjusts:
            fig.add_trace(_bar(years, values("first_transferred"), "Added: first transferred",
                               COLOURS["additions"], units), row=2, col=1)
        fig.add_trace(_bar(years, values("used"), "Subtracted: used", COLOURS["subtractions"], units, sign=-1),
                      row=2, col=1)
    finish(fig, title, rev)
    # the legend goes under the chart (below the "Year" title): on a half-width chart (run panel,
    # compare) a legend above wraps into the title
    fig.update_layout(barmode="relative", hovermode="x unified", margin=dict(l=90, r=30, t=60, b=40),
                      legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0))
    shown = [v for t in fig.data if isinstance(t, go.Bar) for v in t.y if v]
    if not shown:   # no adjustment in any year: say so rather than draw an empty -1..1 frame
        fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=True, row=2, col=1)
        fig.add_annotation(text=NO_ADJUSTMENT, xref="x2 domain", yref="y2 domain", x=0.5, y=0.5,
                           showarrow=False, font=dict(size=FONT_SIZE, color="#5f5f5f"))
    fig.update_xaxes(tickmode="linear", dtick=1 if len(years) <= 12 else 2, tickformat="d")
    fig.update_xaxes(title_text="Year", row=2, col=1)
    fig.update_yaxes(title_text=f"Emissions ({label})", tickformat=",", row=1, col=1)
    fig.update_yaxes(title_text=f"Adjustment ({label})", tickformat=",", row=2, col=1,
                     title_font=dict(size=FONT_SIZE - 2))
    return fig


def _metric_figure(fig, df, years, values, metric: str, title: str, rev: str) -> go.Figure:
    """A non-GHG NDC: the indicator, balance and target in its metric (top), the adjustment below."""
    def line(vals, name, colour, **kw):
        return go.Scatter(x=years, y=vals, name=name, line_color=colour, hovertemplate=_HOVER,
                          customdata=[tonnes(v, metric) for v in vals], **kw)
    fig.add_trace(line(values("inventory"), f"Indicator ({metric})", COLOURS["inventory"], mode="lines+markers"),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=years, y=values("ca"), name=f"Corresponding adjustment ({metric})",
                         marker_color=COLOURS["additions"], hovertemplate=_HOVER,
                         customdata=[tonnes(v, metric) for v in values("ca")]), row=2, col=1)
    fig.add_trace(line(values("emissions_balance"), "Emissions balance", COLOURS["balance"], mode="lines+markers",
                       line_width=4), row=1, col=1)
    target = values("target")
    if any(v is not None for v in target):
        fig.add_trace(line(target, "Target", COLOURS["target"], mode="markers",
                           marker=dict(size=16, symbol="diamond")), row=1, col=1)
    finish(fig, title, rev)
    fig.update_layout(hovermode="x unified", margin=dict(l=90, r=30, t=60, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.16, xanchor="left", x=0))
    fig.update_xaxes(tickmode="linear", dtick=1 if len(years) <= 12 else 2, tickformat="d")
    fig.update_xaxes(title_text="Year", row=2, col=1)
    fig.update_yaxes(title_text=metric, row=1, col=1)
    fig.update_yaxes(title_text=f"Adjustment ({metric})", row=2, col=1)
    return fig


def _period(row) -> str:
    start, end = row.get("period_start"), row.get("period_end")
    if is_missing(start) or is_missing(end):
        return ""
    return f"{int(start)}-{int(end)}"


def _text(x) -> str:
    return "" if is_missing(x) else str(x)


def attainment_records(attainment: pd.DataFrame, party: str | None = None, units: str = "tCO2e") -> list[dict]:
    """Rows for the attainment table, numbers as display strings.

    Keys: party, ndc_type, method, period ("2021-2030"), target_year, target, balance,
    gap (balance - target; positive: missed), in the scenario's ``units`` (in the NDC's metric for a
    non-GHG NDC), met ("met" / "missed" / "" when not known,
    e.g. an NDC period running past the simulation).
    """
    if attainment is None or attainment.empty:
        return []
    df = attainment if party is None else attainment[attainment["party"] == party]
    rows = []
    for row in df.to_dict("records"):
        met = row.get("met")
        metric = row.get("metric")
        if is_missing(metric) or metric == "tCO2e":
            def show(x):
                return quantity(x, units)
        else:   # a non-GHG NDC's metric
            def show(x, m=str(metric)):
                return tonnes(x, m)
        rows.append({
            "party": _text(row.get("party")),
            "ndc_type": _text(row.get("ndc_type")),
            "method": _text(row.get("method")),
            "period": _period(row),
            "target_year": "" if is_missing(row.get("target_year")) else str(int(row["target_year"])),
            "target": show(row.get("target")),
            "balance": show(row.get("balance")),
            "gap": show(row.get("gap")),
            "met": "" if is_missing(met) else ("met" if bool(met) else "missed"),
        })
    return rows
