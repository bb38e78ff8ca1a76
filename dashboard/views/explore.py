"""Figures of a sweep (the Explore page): pure functions of its tables.

Inputs are the tables of :class:`a6sim.experiments.SweepResults` (``runs``,
``summary``, ``sensitivity``) and, for the fan chart, the base run's balances table
(the target line). Quantities in tCO2e.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .style import COLOURS, FONT_SIZE, is_missing, new_figure, no_data_figure, tonnes

__all__ = ["grid_labels", "flag_outcomes", "probability_figure", "fan_chart", "gap_histogram", "tornado_figure",
           "sobol_figure", "drivers", "BALANCE_BANDS"]

BALANCE_BANDS = ((5, 95), (25, 75))


def _legend_below(fig: go.Figure) -> go.Figure:
    """Legends under the plot, below the x-axis title: at the top they would cover the titles
    in a half-width column. Anchored to the bottom of the figure (``yref="container"``), not
    at a share of the plotting area: plotly grows the bottom margin for a legend of several
    rows, the plotting area shrinks, and a legend placed at a share of it rose into the
    x-axis title (seen at 1280x720 in the fan chart and the gap histogram)."""
    fig.update_layout(legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0),
                      margin=dict(t=60, b=40))
    return fig


_HAZARD_FIGURES = {"tonnes": "tonnes reversed", "events": "events", "year": "year revoked"}


def _short(path: str) -> str:
    """``lever:agreements.che-gha.price`` -> ``che-gha price``; ``hazard.0.tonnes`` (the
    first hazard of the sweep file) -> ``hazard 1: tonnes reversed``."""
    path = path.split(":", 1)[-1]
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "hazard" and parts[1].isdigit():
        return f"hazard {int(parts[1]) + 1}: {_HAZARD_FIGURES.get(parts[2], parts[2])}"
    return " ".join(parts[1:]) if len(parts) > 2 else path


def _value(v) -> str:
    if is_missing(v):
        return "none"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def lever_columns(summary: pd.DataFrame) -> list[str]:
    """The levers that take more than one value (a lever set once is part of the base).

    Values are compared as shown (``None`` as ``none``): a lever ``cap: [null, 8]`` takes
    two values, though pandas counts a missing value as none."""
    return [c for c in summary.columns if c.startswith("lever:") and summary[c].map(_value).nunique() > 1]


def grid_labels(summary: pd.DataFrame) -> dict[int, str]:
    """``{grid: 'che-gha price 10 · che-gha cap none'}`` (``'all runs'`` without levers)."""
    levers = lever_columns(summary)
    out = {}
    for grid, g in summary.groupby("grid", sort=True):
        row = g.iloc[0]
        out[int(grid)] = " · ".join(f"{_short(c)} {_value(row[c])}" for c in levers) or "all runs"
    return out


def flag_outcomes(summary: pd.DataFrame) -> list[str]:
    """The true/false outcomes (probabilities): ``parties.ID.met``, ``buffer_dry``."""
    return list(dict.fromkeys(summary.loc[summary["probability"].notna(), "outcome"]))


def _outcome_words(outcome: str) -> str:
    """``parties.CHE.gap`` -> ``CHE gap``."""
    return " ".join(outcome.split(".")[1:]) if outcome.startswith("parties.") else outcome.replace("_", " ")


def _label(outcome: str) -> str:
    if outcome.startswith("parties.") and outcome.endswith(".met"):
        return f"{outcome.split('.')[1]} meets its NDC"
    return {"buffer_dry": "the buffer pool runs dry"}.get(outcome, outcome)


def probability_figure(summary: pd.DataFrame, outcome: str) -> go.Figure:
    """Probability of ``outcome`` per grid point: a heat map over the first lever (x) and the
    other levers' combinations (y); bars with one lever or none."""
    title = f"Probability that {_label(outcome)}"
    rev = f"prob-{outcome}"
    s = summary[summary["outcome"] == outcome]
    if s.empty:
        return no_data_figure(title, rev)
    levers = lever_columns(s)
    text = [f"{p:.0%}" if not is_missing(p) else "" for p in s["probability"]]
    if len(levers) <= 1:
        x = [_value(v) for v in s[levers[0]]] if levers else ["all runs"]
        fig = new_figure(title, _short(levers[0]) if levers else None, "Probability", uirevision=rev)
        fig.add_trace(go.Bar(x=x, y=s["probability"], text=text, textposition="outside",
                             marker_color=COLOURS["balance"], hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
        fig.update_yaxes(range=[0, 1.1], tickformat=".0%")
        fig.update_xaxes(type="category")
        return fig
    first, rest = levers[0], levers[1:]
    xs = list(dict.fromkeys(_value(v) for v in s[first]))
    ylab = s[rest].apply(lambda r: " · ".join(f"{_short(c)} {_value(r[c])}" for c in rest), axis=1)
    ys = list(dict.fromkeys(ylab))
    z = np.full((len(ys), len(xs)), np.nan)
    for (xv, yv, p) in zip((_value(v) for v in s[first]), ylab, s["probability"]):
        z[ys.index(yv), xs.index(xv)] = p
    fig = new_figure(title, _short(first), None, uirevision=rev)
    fig.add_trace(go.Heatmap(z=z, x=xs, y=ys, zmin=0, zmax=1, colorscale="RdYlGn",
                             text=[[f"{v:.0%}" if not np.isnan(v) else "" for v in row] for row in z],
                             texttemplate="%{text}", textfont=dict(size=FONT_SIZE),
                             colorbar=dict(title="P", tickformat=".0%"),
                             hovertemplate="%{x} · %{y}: %{z:.1%}<extra></extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return fig


def _balance_columns(runs: pd.DataFrame, party: str) -> list[tuple[int, str]]:
    prefix = f"parties.{party}.balance."
    return sorted((int(c[len(prefix):]), c) for c in runs.columns
                  if c.startswith(prefix) and c[len(prefix):].isdigit())


def fan_chart(runs: pd.DataFrame, party: str, grid: int, targets: pd.DataFrame | None = None) -> go.Figure:
    """``party``'s emissions balance per year across the runs of a grid point: bands of the
    5-95 and 25-75 percentiles, the median, and the target (or trajectory) of the base run."""
    title = f"{party}: emissions balance, all runs"
    rev = f"fan-{party}"
    cols = _balance_columns(runs, party)
    df = runs[(runs["grid"] == grid) & runs["error"].isna()]
    if not cols or df.empty:
        return no_data_figure(title, rev, "Add parties.*.balances to the sweep's outcomes")
    years = [y for y, _ in cols]
    values = df[[c for _, c in cols]].to_numpy(dtype=float)
    fig = new_figure(title, "Year", "Emissions balance (tCO2e)", uirevision=rev, hovermode="x unified")
    for (lo, hi), alpha in zip(BALANCE_BANDS, (0.18, 0.35)):
        low, high = np.nanpercentile(values, lo, axis=0), np.nanpercentile(values, hi, axis=0)
        fig.add_trace(go.Scatter(x=years, y=high, mode="lines", line=dict(width=0), showlegend=False,
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=years, y=low, mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor=f"rgba(26,61,124,{alpha})", name=f"{lo}-{hi}th percentile",
                                 customdata=[f"{tonnes(a)} to {tonnes(b)}" for a, b in zip(low, high)],
                                 hovertemplate=f"{lo}-{hi}%: %{{customdata}}<extra></extra>"))
    median = np.nanpercentile(values, 50, axis=0)
    fig.add_trace(go.Scatter(x=years, y=median, name="Median", line=dict(color=COLOURS["balance"], width=3),
                             customdata=[tonnes(v) for v in median],
                             hovertemplate="median: %{customdata}<extra></extra>"))
    if targets is not None and not targets.empty:
        t = targets[targets["party"] == party].sort_values("year")
        for col, name, dash in (("target", "Target", None), ("trajectory", "Trajectory", "dash"),
                                ("average", "Budget ÷ years", "dot")):
            if col in t and t[col].notna().any():
                y = [None if is_missing(v) else float(v) for v in t[col]]
                fig.add_trace(go.Scatter(x=[int(v) for v in t["year"]], y=y, name=name, mode="lines+markers",
                                         line=dict(color=COLOURS["target"], dash=dash),
                                         customdata=[tonnes(v) for v in y],
                                         hovertemplate=f"{name.lower()}: %{{customdata}}<extra></extra>"))
    return _legend_below(fig)


def gap_histogram(runs: pd.DataFrame, parties: list[str], grid: int) -> go.Figure:
    """The distribution of each party's gap (balance - target; > 0 missed) at a grid point."""
    title = "Gap to each NDC across the runs"
    rev = "gaps"
    df = runs[(runs["grid"] == grid) & runs["error"].isna()]
    cols = [(p, f"parties.{p}.gap") for p in parties if f"parties.{p}.gap" in runs.columns]
    if df.empty or not cols:
        return no_data_figure(title, rev)
    fig = new_figure(title, "Gap: balance - target (tCO2e; > 0 missed)", "Runs", uirevision=rev, barmode="overlay")
    for i, (party, col) in enumerate(cols):
        x = df[col].dropna()
        missed = float((x > 0).mean()) if len(x) else 0.0
        fig.add_trace(go.Histogram(x=x, name=f"{party} (missed in {missed:.0%})", opacity=0.65, nbinsx=40,
                                   hovertemplate=f"{party}: %{{x}}: %{{y}} runs<extra></extra>"))
    fig.add_vline(x=0, line=dict(color=COLOURS["target"], width=2, dash="dash"))
    return _legend_below(fig)


def drivers(runs: pd.DataFrame) -> list[str]:
    """Columns that vary between runs and may drive an outcome: drawn inputs and hazard figures."""
    out = []
    for c in runs.columns:
        if (c.startswith("input:") or (c.startswith("hazard.") and not c.endswith(".year"))) and \
                pd.api.types.is_numeric_dtype(runs[c]) and runs[c].nunique(dropna=True) > 1:
            out.append(c)
    return out


def tornado_figure(runs: pd.DataFrame, outcome: str, grid: int) -> go.Figure:
    """For each driver: the outcome's mean over the runs in its lowest and highest fifth,
    as bars from the overall mean (longest first)."""
    title = f"What moves {_outcome_words(outcome)}"
    rev = f"tornado-{outcome}"
    df = runs[(runs["grid"] == grid) & runs["error"].isna()]
    if outcome not in df or df.empty:
        return no_data_figure(title, rev)
    y = df[outcome].astype(float)
    base = float(y.mean())
    bars = []
    for col in drivers(df):
        x = df[col].astype(float)
        lo_cut, hi_cut = x.quantile(0.2), x.quantile(0.8)
        low, high = y[x <= lo_cut].mean(), y[x >= hi_cut].mean()
        if np.isnan(low) or np.isnan(high):
            continue
        bars.append((abs(high - low), col, low - base, high - base))
    if not bars:
        return no_data_figure(title, rev, "No drawn input varies")
    bars.sort()
    names = [_short(c) for _, c, _, _ in bars]
    # two short lines: one long line is cut off at both ends in a half-width column
    fig = new_figure(title, f"change of the mean ({base:,.0f}) when an input<br>is in its lowest / highest fifth",
                     None, uirevision=rev, barmode="overlay")
    fig.add_trace(go.Bar(y=names, x=[b[2] for b in bars], base=0, orientation="h", name="lowest fifth",
                         marker_color=COLOURS["subtractions"], hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(y=names, x=[b[3] for b in bars], base=0, orientation="h", name="highest fifth",
                         marker_color=COLOURS["additions"], hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    return _legend_below(fig)


def sobol_figure(sensitivity: pd.DataFrame, outcome: str, grid: int) -> go.Figure:
    """SALib's indices of ``outcome`` at a grid point: Sobol S1 and ST, or Morris mu* and sigma."""
    rev = f"sens-{outcome}"
    s = sensitivity[(sensitivity["outcome"] == outcome) & (sensitivity["grid"] == grid)]
    if s.empty:
        return no_data_figure(f"Sensitivity of {outcome}", rev)
    method = s["method"].iloc[0]
    cols = (("S1", "S1_conf", "first order"), ("ST", "ST_conf", "total")) if method == "sobol" else \
        (("mu_star", "mu_star_conf", "mu* (mean |effect|)"), ("sigma", None, "sigma (spread)"))
    title = f"{'Sobol indices' if method == 'sobol' else 'Morris effects'}: {_outcome_words(outcome)}"
    fig = new_figure(title, "Index" if method == "sobol" else "Effect per unit of quantile", None,
                     uirevision=rev, barmode="group")
    names = [_short(i) for i in s["input"]]
    for (col, conf, label), colour in zip(cols, (COLOURS["balance"], COLOURS["additions"])):
        err = dict(type="data", array=s[conf].tolist()) if conf else None
        fig.add_trace(go.Bar(y=names, x=s[col], orientation="h", name=label, marker_color=colour, error_x=err,
                             hovertemplate="%{y}: %{x:.3g}<extra></extra>"))
    return _legend_below(fig)
