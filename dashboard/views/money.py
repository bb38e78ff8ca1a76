"""Money: value paid per delivery and the share of proceeds in money."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import COLOURS, SEQUENCE, money, new_figure, no_data_figure

__all__ = ["money_table", "money_figure", "MONEY_COLUMNS"]

MONEY_COLUMNS = ["year", "agreement", "from_party", "to_party", "quantity", "value", "sop_value"]


def money_table(flows: pd.DataFrame, sop_value_shares: dict[str, float]) -> pd.DataFrame:
    """Flows with ``sop_value = value × sop.value`` of the agreement (0 if not given),
    ordered by year then agreement. ``sop_value_shares``: agreement id -> share, e.g.
    ``{a: m.agreements[a].sop.value for a in m.agreements}``."""
    if flows is None or flows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("value", "sop_value") else
                                          "int64" if c in ("year", "quantity") else object)
                             for c in MONEY_COLUMNS})
    shares = sop_value_shares or {}
    df = flows.copy()
    df["value"] = df["value"].astype("float64")
    df["sop_value"] = df["value"] * df["agreement"].map(lambda a: float(shares.get(a, 0.0) or 0.0)).astype("float64")
    return df.sort_values(["year", "agreement", "from_party", "to_party"], kind="stable")[MONEY_COLUMNS] \
        .reset_index(drop=True)


def money_figure(table: pd.DataFrame, currency: str = "USD", max_agreements: int = 10) -> go.Figure:
    """Stacked bars of the value paid per year by agreement (the ``max_agreements``
    largest by total value; the rest stacked as "Other agreements"), plus a line of the
    share of proceeds in money per year."""
    title = f"Value paid per year and share of proceeds ({currency})"
    if table is None or table.empty:
        return no_data_figure(title, "money")
    years = sorted(int(y) for y in table["year"].unique())
    totals = table.groupby("agreement")["value"].sum().sort_values(ascending=False, kind="stable")
    top = list(totals.index[:max_agreements])
    label = table["agreement"].where(table["agreement"].isin(top), "Other agreements")
    per = table.groupby([label, table["year"]])["value"].sum()
    fig = new_figure(title, "Year", f"Value ({currency})", uirevision="money", barmode="stack",
                     hovermode="x unified", legend_traceorder="normal")
    series = top + (["Other agreements"] if len(totals) > len(top) else [])
    for i, name in enumerate(series):
        values = [float(per.get((name, y), 0.0)) for y in years]
        fig.add_trace(go.Bar(x=years, y=values, name=name, marker_color=SEQUENCE[i % len(SEQUENCE)],
                             customdata=[money(v, currency) for v in values],
                             hovertemplate=f"{name}: %{{customdata}}<extra></extra>"))
    sop = table.groupby("year")["sop_value"].sum() if "sop_value" in table else pd.Series(dtype=float)
    sop_values = [float(sop.get(y, 0.0)) for y in years]
    fig.add_trace(go.Scatter(x=years, y=sop_values, name="Share of proceeds (money)", mode="lines+markers",
                             line=dict(color=COLOURS["sop_value"], width=4), marker=dict(size=10),
                             customdata=[money(v, currency) for v in sop_values],
                             hovertemplate="Share of proceeds: %{customdata}<extra></extra>"))
    fig.update_xaxes(tickmode="linear", dtick=1 if len(years) <= 12 else 2, tickformat="d")
    fig.update_yaxes(tickformat=",")
    if len(series) > 3:   # many agreements: legend on the right, not over the title
        fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.02,
                                      traceorder="normal"))
    return fig
