"""Economics: cost curves with each party's abatement and the price, costs with and
without the deals, who gains what (docs/economics.md). Pure figure and table builders."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .style import SEQUENCE, money, new_figure, no_data_figure

__all__ = ["short_money", "curve_figure", "cost_figure", "gains_figure", "party_records", "economics_cards",
           "price_figure", "key_year", "curve_points", "cost_differences"]

MT = 1_000_000


def short_money(x, currency: str) -> str:
    """``108855109417.7`` -> ``USD 108.86 bn``; millions as ``M``; smaller sums in full."""
    x = float(x)
    for size, word in ((1e9, "bn"), (1e6, "M")):
        if abs(x) >= size:
            return f"{currency} {x / size:,.2f} {word}".replace("-", "\u2212")
    return money(x, currency)


def key_year(table: pd.DataFrame) -> int | None:
    """The year to draw curves for: where the parties together abate the most beyond the activities."""
    if table is None or table.empty:
        return None
    per = table.groupby("year")[["abatement_needed", "abatement_needed_no_deals"]].sum().sum(axis=1)
    return int(per.idxmax()) if per.max() > 0 else int(table["year"].max())


def curve_points(curve, upto: float) -> tuple[list[float], list[float]]:
    """Breakpoints of a curve up to ``upto`` tonnes (or its capacity), in Mt and currency per t."""
    end = min(curve.capacity, upto) if math.isfinite(curve.capacity) else upto
    qs = [q for q in curve.qs if q <= end]
    if not qs or qs[-1] < end:
        qs.append(end)
    return [q / MT for q in qs], [curve.mac(q) for q in qs]


def curve_figure(curves: dict, table: pd.DataFrame, year: int, currency: str, parties: list | None = None,
                 names: dict | None = None) -> go.Figure:
    """Each party's marginal abatement cost curve in ``year``, its abatement with the deals
    (filled marker) and without them (open marker), and the ITMO price (dashed line)."""
    title = f"Marginal abatement cost curves, {year} ({currency} per tCO2e)"
    if not curves or table is None or table.empty:
        return no_data_figure(title, "econ-curves")
    rows = table[table["year"] == year].set_index("party")
    shown = [p for p in (parties or list(curves)) if p in curves and p in rows.index]
    if not shown:
        return no_data_figure(title, "econ-curves")
    fig = new_figure(title, "Abated below reference emissions (MtCO2e)", f"Marginal cost ({currency}/tCO2e)",
                     uirevision="econ-curves")
    names = names or {}
    reach = max(max(rows.loc[p, "abatement"], rows.loc[p, "abatement_activities"] +
                    rows.loc[p, "abatement_needed_no_deals"]) for p in shown)
    reach = max(reach * 1.4, 1.0)
    prices, marks = set(), []
    for i, p in enumerate(shown):
        colour = SEQUENCE[i % len(SEQUENCE)]
        c = curves[p][year]
        x, y = curve_points(c, reach)
        label = names.get(p, p)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=dict(color=colour, width=3),
                                 hovertemplate=f"{label}: %{{x:,.2f}} Mt at %{{y:,.2f}}<extra></extra>"))
        r = rows.loc[p]
        with_q, without_q = r["abatement"], r["abatement_activities"] + r["abatement_needed_no_deals"]
        fig.add_trace(go.Scatter(
            x=[with_q / MT], y=[c.mac(with_q)], mode="markers", name=f"{p}: with the deals",
            marker=dict(color=colour, size=14, symbol="circle"), showlegend=False,
            hovertemplate=f"{label} with the deals: %{{x:,.2f}} Mt, marginal cost %{{y:,.2f}}<extra></extra>"))
        fig.add_trace(go.Scatter(
            x=[without_q / MT], y=[c.mac(without_q)], mode="markers", name=f"{p}: no deals",
            marker=dict(color="white", size=14, symbol="circle", line=dict(color=colour, width=3)),
            showlegend=False,
            hovertemplate=f"{label} with no deals: %{{x:,.2f}} Mt, marginal cost %{{y:,.2f}}<extra></extra>"))
        marks += [c.mac(with_q), c.mac(without_q)]
        if pd.notna(r["price"]):
            prices.add(round(float(r["price"]), 6))
    for price in sorted(prices):
        fig.add_hline(y=price, line_dash="dash", line_color="#444",
                      annotation_text=f"ITMO price {money(price, currency)}", annotation_position="top right")
    top = max(marks + list(prices) + [1.0])
    fig.update_yaxes(range=[0, top * 1.6])      # steep curves would flatten the rest
    return fig


def cost_figure(summary: dict, currency: str, names: dict | None = None) -> go.Figure:
    """Net compliance cost per party with the deals and with none (whole run)."""
    title = f"Cost of meeting the NDC, with and without the deals ({currency})"
    parties = (summary or {}).get("parties") or {}
    if not parties:
        return no_data_figure(title, "econ-costs")
    names = names or {}
    labels = [names.get(p, p) for p in parties]
    fig = new_figure(title, "", f"Net cost ({currency})", uirevision="econ-costs", barmode="group")
    for key, label, colour in (("net_cost_no_deals", "No deals", "#9aa5b1"), ("net_cost", "With the deals", SEQUENCE[0])):
        values = [parties[p][key] for p in parties]
        fig.add_trace(go.Bar(x=labels, y=values, name=label, marker_color=colour,
                             customdata=[money(v, currency) for v in values],
                             hovertemplate=f"{label}: %{{customdata}}<extra></extra>"))
    fig.update_yaxes(tickformat=",")
    return fig


def gains_figure(summary: dict, currency: str, names: dict | None = None) -> go.Figure:
    """Who gains what: each party's saving, split for hosts into revenue and what their
    adjustments cost them at home."""
    title = f"Who gains what ({currency})"
    parties = (summary or {}).get("parties") or {}
    if not parties:
        return no_data_figure(title, "econ-gains")
    names = names or {}
    labels = [names.get(p, p) for p in parties]
    saving = [parties[p]["saving"] for p in parties]
    fig = new_figure(title, "", currency, uirevision="econ-gains", barmode="group",
                     legend=dict(orientation="h", yanchor="top", y=-0.25, xanchor="left", x=0))
    fig.add_trace(go.Bar(x=labels, y=saving, name="Saving (no deals − with)",
                         marker_color=["#2e7d32" if v >= 0 else "#c62828" for v in saving],
                         customdata=[money(v, currency) for v in saving],
                         hovertemplate="Saving: %{customdata}<extra></extra>"))
    revenue = [parties[p]["itmo_revenue"] for p in parties]
    cost = [parties[p]["adjustment_cost"] if parties[p]["itmo_transferred"] > 0 else 0.0 for p in parties]
    if any(revenue):
        fig.add_trace(go.Bar(x=labels, y=revenue, name="ITMO revenue", marker_color="#1565c0",
                             customdata=[money(v, currency) for v in revenue],
                             hovertemplate="Revenue: %{customdata}<extra></extra>"))
        fig.add_trace(go.Bar(x=labels, y=[-c for c in cost], name="Cost of the host's adjustments",
                             marker_color="#ef6c00", customdata=[money(c, currency) for c in cost],
                             hovertemplate="Extra abatement for adjustments: %{customdata}<extra></extra>"))
    fig.update_yaxes(tickformat=",")
    return fig


def price_figure(summary: dict, currency: str) -> go.Figure | None:
    """The market mode's clearing price per year (None outside the market mode)."""
    market = (summary or {}).get("market")
    if not market:
        return None
    years = sorted(int(y) for y, v in market["years"].items() if v["price"] is not None)
    fig = new_figure(f"Market clearing price ({currency} per tCO2e)", "Year", f"{currency}/tCO2e",
                     uirevision="econ-price")
    fig.add_trace(go.Scatter(x=years, y=[market["years"][str(y)]["price"] for y in years], mode="lines+markers",
                             name="Price", line=dict(color=SEQUENCE[0], width=3), marker=dict(size=10)))
    fig.update_xaxes(tickmode="linear", dtick=1, tickformat="d")
    return fig


def party_records(summary: dict, currency: str, names: dict | None = None) -> list[dict]:
    """One row per party: costs with and without the deals and the host's dilemma (whole run)."""
    names = names or {}
    out = []
    for p, v in ((summary or {}).get("parties") or {}).items():
        out.append({
            "party": names.get(p, p),
            "abatement needed with deals (Mt)": f"{v['abatement_needed'] / MT:,.2f}",
            "abatement needed no deals (Mt)": f"{v['abatement_needed_no_deals'] / MT:,.2f}",
            "ITMOs bought (Mt)": f"{v['itmo_acquired'] / MT:,.2f}",
            "ITMOs sold (Mt)": f"{v['itmo_transferred'] / MT:,.2f}",
            "net cost": short_money(v["net_cost"], currency),
            "net cost no deals": short_money(v["net_cost_no_deals"], currency),
            "saving": short_money(v["saving"], currency),
            "extra abatement for adjustments (Mt)": f"{max(v['adjustment_abatement'], 0) / MT:,.2f}",
            "its cost": short_money(max(v["adjustment_cost"], 0), currency),
        })
    return out


def economics_cards(summary: dict, currency: str) -> list[dict]:
    """Headline cards: mode, cost with and without the deals, the saving (and the market's price)."""
    total = summary["total"]
    market = summary["mode"] == "market"
    cards = [
        {"label": "Mode", "value": summary["mode"]},
        {"label": "Net cost, each alone" if market else "Net cost, no deals",
         "value": short_money(total["net_cost_no_deals"], currency)},
        {"label": "Net cost, trading in the market" if market else "Net cost, with the deals",
         "value": short_money(total["net_cost"], currency)},
        {"label": "Saving", "value": short_money(total["saving"], currency)},
    ]
    if total["net_cost_no_deals"]:
        cards.append({"label": "Saving, share of no-deal cost",
                      "value": f"{total['saving'] / total['net_cost_no_deals']:.0%}"})
    return cards


def cost_differences(a_summary: dict, b_summary: dict, currency: str, names: dict | None = None) -> list[dict]:
    """Per party with a curve in either run: net cost and saving in A and B, and B − A
    (for the Compare page; empty when neither run has an economics part)."""
    pa = ((a_summary or {}).get("economics") or {}).get("parties") or {}
    pb = ((b_summary or {}).get("economics") or {}).get("parties") or {}
    names = names or {}
    out = []
    for p in list(dict.fromkeys([*pa, *pb])):
        row = {"party": names.get(p, p)}
        for key, label in (("net_cost", "net cost"), ("saving", "saving")):
            a, b = pa.get(p, {}).get(key), pb.get(p, {}).get(key)
            row[f"{label} A"] = "" if a is None else short_money(a, currency)
            row[f"{label} B"] = "" if b is None else short_money(b, currency)
            row[f"{label} B − A"] = "" if a is None or b is None else short_money(b - a, currency)
        out.append(row)
    return out
