"""Figures and words of the room, from its state and its simulated outcome (plain data).

Quantities come in tonnes and are shown in the scenario's units (``Mt`` for a
MtCO2e scenario); every figure uses the dashboard's projector template.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go

from ..views.style import COLOURS, FONT_SIZE, new_figure
from .labels import X_RANGE, Y_RANGE, arrowhead_boxes, node_boxes, place_labels

__all__ = ["amount", "decimals_for", "glance_decimals", "money_words", "network_figure", "balance_figure", "round_label", "gap_words", "short_gap",
           "UNIT_SHORT"]

UNIT_SHORT = {"tCO2e": "t", "ktCO2e": "kt", "MtCO2e": "Mt"}
FACTORS = {"tCO2e": 1, "ktCO2e": 1_000, "MtCO2e": 1_000_000}
MAX_DECIMALS = 3


def decimals_for(values, factor: int, at_least: int = 0) -> int:
    """The fewest decimals (0 to 3) that show every one of ``values`` (tonnes) in units of
    ``factor`` tonnes: 34,500,000 t in Mt -> 1 (``34.5``); 45,000,000 t -> 0; 825,000 t -> 3.

    A figure counts as shown when it is within 1% of a unit of the last decimal: a share of
    an issuance rounded to whole tonnes (3,979,992 t) is ``3.98``, not ``3.980``."""
    needed = at_least
    for v in values:
        if v is None:
            continue
        d = 0
        while d < MAX_DECIMALS and abs(v * 10 ** d / factor - round(v * 10 ** d / factor)) > 0.01:
            d += 1
        needed = max(needed, d)
    return min(needed, MAX_DECIMALS)


def glance_decimals(values, factor: int) -> int:
    """One precision for figures read at a glance side by side (the big screen's gaps): as
    :func:`decimals_for`, but no more than gives the smallest of them two significant
    digits. Gaps of 0.5, 9.92, 6.02 and 8.475 Mt -> 2 (``0.50``, ``9.92``, ``6.02``, ``8.48``);
    0.5, 13, 7.3 and 15 Mt -> 1."""
    shown = [abs(v) / factor for v in values if v]
    if not shown:
        return 0
    significant = max(0, 1 - math.floor(math.log10(min(shown))))
    return min(decimals_for(values, factor), significant)


def amount(tonnes, units: str) -> str:
    """Tonnes in the scenario's units: ``2500000`` in MtCO2e -> ``"2.5 Mt"``."""
    if tonnes is None:
        return "–"
    x = tonnes / FACTORS[units]
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3f}".rstrip("0").rstrip(".")
    return f"{text} {UNIT_SHORT[units]}"


def money_words(value: float, currency: str) -> str:
    """``250000000`` -> ``"USD 250 million"``; small sums in full."""
    a = abs(value)
    sign = "-" if value < 0 else ""
    if a >= 1e9:
        return f"{sign}{currency} {a / 1e9:,.2f} billion".replace(".00 ", " ")
    if a >= 1e6:
        return f"{sign}{currency} {a / 1e6:,.1f} million".replace(".0 ", " ")
    return f"{sign}{currency} {a:,.0f}"


def round_label(state: dict) -> str:
    r = state["rounds"][state["round"]]
    words = {"setup": "not started", "open": "open", "paused": "paused", "closed": "over", "ended": "game over"}
    return f"Round {state['round'] + 1} of {len(state['rounds'])} · {r['first']}-{r['last']} · {words[state['phase']]}"


def gap_words(attainment: dict | None, units: str) -> str:
    """``"met: 0.5 Mt under target"`` or ``"missed: 10 Mt over target"``."""
    if not attainment:
        return "no NDC target"
    gap = attainment["gap"]
    if attainment["met"]:
        return "met" + (f": {amount(-gap, units)} under target" if gap else ": exactly on target")
    return f"missed: {amount(gap, units)} over target"


def short_gap(attainment: dict, units: str, decimals: int | None = None) -> str:
    """``"missed by 7.3 Mt"`` or ``"met, 0.5 Mt to spare"``; with ``decimals``, at that many."""
    def q(tonnes):
        if decimals is None:
            return amount(tonnes, units)
        x = (Decimal(int(tonnes)) / FACTORS[units]).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        return f"{x:,.{decimals}f} {UNIT_SHORT[units]}"   # 8,475,000 t: 8.48 Mt (a float gives 8.47)
    if attainment["met"]:
        return f"met, {q(-attainment['gap'])} to spare" if attainment["gap"] else "met exactly"
    return f"missed by {q(attainment['gap'])}"


def network_figure(state: dict, deal_ids: list | None = None, title: str = "Deals signed") -> go.Figure:
    """Delegations on a circle; an arrow from seller to buyer per pair, with the tonnes
    contracted and the price (a share of each issuance is shown as that share)."""
    units, currency = state["units"], state["currency"]
    names = state["delegations"]
    ids = list(names)
    n = len(ids)
    pos = {d: (math.cos(math.pi / 2 - 2 * math.pi * i / n), math.sin(math.pi / 2 - 2 * math.pi * i / n))
           for i, d in enumerate(ids)}
    fig = new_figure(title, uirevision="room-network", title_font_size=FONT_SIZE + 10)
    deals = [state["deals"][k] for k in (deal_ids if deal_ids is not None else state["deals"])
             if k in state["deals"]]
    pairs: dict[tuple, list] = {}
    for d in deals:
        pairs.setdefault((d["seller"], d["buyer"]), []).append(d)
    marker_px, name_font = (34, FONT_SIZE + 6) if n <= 12 else (22, FONT_SIZE - 2)
    fonts = (FONT_SIZE + 4, FONT_SIZE + 2, FONT_SIZE, FONT_SIZE - 2) if n <= 12 else (FONT_SIZE - 2, FONT_SIZE - 4)
    arrows = []
    for (s, b), ds in pairs.items():
        (x0, y0), (x1, y1) = pos[s], pos[b]
        # stop the arrow short of the buyer's marker; offset both directions of a pair
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1
        ox, oy = -dy / length * 0.04, dx / length * 0.04
        start = (x0 + dx * 0.12 + ox, y0 + dy * 0.12 + oy)
        end = (x0 + dx * 0.86 + ox, y0 + dy * 0.86 + oy)
        arrows.append((start, end, [_deal_words(d, units, currency) for d in ds]))
    # every label on its arrow, clear of every name, marker, arrowhead and label (labels.py), all at one
    # font: the largest at which each finds a clear place
    font, boxes = place_labels(arrows, node_boxes(pos, marker_px, name_font) + arrowhead_boxes(arrows), fonts)
    # set at once: plotly's add_annotation copies every annotation so far at each call (30 deals: 4 s)
    fig.update_layout(annotations=[
        dict(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y", axref="x", ayref="y", text="",
             showarrow=True, arrowhead=3, arrowsize=1.4, arrowwidth=3, arrowcolor=COLOURS["edge"])
        for start, end, _ in arrows] + [
        dict(x=box.x, y=box.y, text="<br>".join(lines), showarrow=False, font=dict(size=font),
             bgcolor="rgba(255,255,255,0.9)", bordercolor="#7f8c9a")
        for (_, _, lines), box in zip(arrows, boxes)])
    colour = [COLOURS["seller"] if names[d]["host"] else COLOURS["buyer"] for d in ids]
    fig.add_trace(go.Scatter(
        x=[pos[d][0] for d in ids], y=[pos[d][1] for d in ids], mode="markers+text",
        marker=dict(size=34 if n <= 12 else 22, color=colour, line=dict(color="#1b1f24", width=2)),
        text=[f"<b>{d}</b>" for d in ids], textposition=["top center" if pos[d][1] >= 0 else "bottom center"
                                                          for d in ids],
        textfont=dict(size=FONT_SIZE + 6 if n <= 12 else FONT_SIZE - 2),
        hovertext=[names[d]["name"] for d in ids], hoverinfo="text", showlegend=False))
    for label, c in (("host (sells)", COLOURS["seller"]), ("buyer", COLOURS["buyer"])):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label,
                                 marker=dict(size=16, color=c, line=dict(color="#1b1f24", width=1))))
    fig.update_xaxes(visible=False, range=list(X_RANGE))
    fig.update_yaxes(visible=False, range=list(Y_RANGE), scaleanchor="x")
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=10), legend=dict(y=1.0, yanchor="bottom"))
    if not deals:
        fig.add_annotation(text="No deal signed yet", x=0, y=0, showarrow=False,
                           font=dict(size=FONT_SIZE + 6, color="#5f5f5f"))
    return fig


def _deal_words(deal: dict, units: str, currency: str) -> str:
    t = deal["terms"]
    size = f"{t['share']:.0%} of issuance" if t["mode"] == "share" else amount(t["quantity"] * FACTORS[units], units)
    return f"{size} @ {currency} {t['price']:g}"


def balance_figure(outcome: dict, state: dict, title: str = "Balance against target") -> go.Figure:
    """Each party's NDC balance minus its target (its gap) in the scenario's units:
    above zero it misses its target, at or below zero it meets it."""
    units = state["units"]
    factor = FACTORS[units]
    rows = [(p, v) for p, v in outcome["parties"].items() if v.get("attainment")]
    fig = new_figure(title, x_title=f"balance minus target ({UNIT_SHORT[units]}); right of 0: target missed",
                     uirevision="room-balance", title_font_size=FONT_SIZE + 10)
    if not rows:
        fig.add_annotation(text="No party has an NDC target", x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False, font=dict(size=FONT_SIZE + 6))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    gaps = [v["attainment"]["gap"] / factor for _, v in rows]
    # every bar's words at one precision (they were 0.5, 9.92, 6.02 and 8.475 Mt side by side)
    d = glance_decimals([v["attainment"]["gap"] for _, v in rows], factor)
    # a missed target's words go past the end of its bar (right of 0); a met one's right of the
    # zero line, where no met bar reaches: past the end of a bar to the left they ran into the
    # party codes of the axis ("PERmet, 13 Mt to spare" at 1280x720)
    fig.add_trace(go.Bar(
        y=[p for p, _ in rows], x=gaps, orientation="h",
        marker_color=[COLOURS["target"] if not v["attainment"]["met"] else COLOURS["subtractions"] for _, v in rows],
        text=[short_gap(v["attainment"], units, d) if not v["attainment"]["met"] else "" for _, v in rows],
        textposition="outside", cliponaxis=False, showlegend=False,
        textfont=dict(size=FONT_SIZE + 4), hovertext=[v["name"] for _, v in rows]))
    for p, v in rows:
        if v["attainment"]["met"]:
            fig.add_annotation(x=0, y=p, xref="x", yref="y", xanchor="left", xshift=8, showarrow=False,
                               text=short_gap(v["attainment"], units, d), font=dict(size=FONT_SIZE + 4))
    span = max(abs(g) for g in gaps) or 1
    fig.update_xaxes(range=[-span * 2.2, span * 2.2], zerolinewidth=3, zerolinecolor="#1b1f24",
                     tickfont=dict(size=FONT_SIZE + 2))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=FONT_SIZE + 6))
    fig.update_layout(margin=dict(l=70, r=30, t=70, b=70), bargap=0.35)
    return fig
