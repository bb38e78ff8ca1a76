"""Who sells to whom: the graph of deliveries and its figure."""
from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .style import COLOURS, money, new_figure, no_data_figure, quantity

__all__ = ["party_graph", "network_figure"]

_TITLE = "Who sells to whom (quantity delivered, seller → buyer)"
_ARROWS_UP_TO = 60     # edges drawn with an arrow head and a quantity label; more only as lines
LEGEND = ("<span style='color:{seller};font-size:22px'>●</span> mostly sells    "
          "<span style='color:{buyer};font-size:22px'>●</span> mostly buys    "
          "<span style='color:{other};font-size:22px'>●</span> no deliveries    "
          "node size: quantity sold + bought").format(**COLOURS)
_WIDTHS = (1.0, 2.0, 3.5, 5.5, 8.0)
_CIRCULAR_UP_TO = 12   # nodes; larger graphs get a spring layout


def party_graph(flows: pd.DataFrame, names: dict[str, str]) -> nx.DiGraph:
    """Directed graph seller -> buyer. Nodes: every id in ``names`` (attr ``name``) and
    every party or entity in ``flows``; edges aggregated over agreements and years with
    ``tonnes`` (int), ``value`` (float) and ``agreements`` (sorted list)."""
    g = nx.DiGraph()
    for node, name in (names or {}).items():
        g.add_node(node, name=name)
    if flows is None or flows.empty:
        return g
    for node in pd.unique(pd.concat([flows["from_party"], flows["to_party"]], ignore_index=True)):
        if node not in g:
            g.add_node(node, name=str(node))
    sums = flows.groupby(["from_party", "to_party"], sort=True)[["quantity", "value"]].sum()
    agreements: dict[tuple, set] = {}
    for key, agreement in zip(zip(flows["from_party"], flows["to_party"]), flows["agreement"]):
        agreements.setdefault(key, set()).add(str(agreement))
    for (seller, buyer), q, v in zip(sums.index, sums["quantity"], sums["value"]):
        g.add_edge(seller, buyer, tonnes=int(q), value=float(v), agreements=sorted(agreements[seller, buyer]))
    return g


def _layout(g: nx.DiGraph) -> dict:
    if g.number_of_nodes() <= _CIRCULAR_UP_TO:
        return nx.circular_layout(g)
    # spread wider than networkx's default k = 1/sqrt(n): labels of the busy middle overlap less
    return nx.spring_layout(g, seed=1, weight=None, k=2 / math.sqrt(g.number_of_nodes()), iterations=80)


def _width_classes(values: np.ndarray) -> np.ndarray:
    """Class 0..4 per edge by log tonnes, at most 5 classes."""
    logs = np.log10(np.maximum(values, 1))
    lo, hi = logs.min(), logs.max()
    k = min(len(_WIDTHS), len(np.unique(logs)))
    if k <= 1 or hi == lo:
        return np.full(len(values), len(_WIDTHS) // 2)
    bounds = np.linspace(lo, hi, k + 1)[1:-1]
    cls = np.digitize(logs, bounds)                 # 0..k-1
    return np.round(cls * (len(_WIDTHS) - 1) / (k - 1)).astype(int)


def _segments(edges, pos):
    xs, ys = [], []
    for u, v in edges:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def network_figure(graph: nx.DiGraph, selected: str | None = None, max_labels: int = 40,
                   currency: str = "", units: str = "tCO2e") -> go.Figure:
    """Nodes sized by tonnes sold + bought (orange: mostly sells, green: mostly buys),
    edges as at most five line traces by width class, a hover point at each edge's
    middle, names on the ``max_labels`` biggest nodes. The node trace (the last one,
    named "parties") carries ``customdata`` = node id for click filtering. ``selected``:
    that node outlined in red, its edges red, unrelated nodes faded. ``currency``
    labels the value in the edge hover text. Up to 60 edges get an arrow head at the
    buyer and a label with the quantity delivered (scenario ``units``), placed a third of
    the way from the seller (two-way pairs keep apart); a legend line under the title
    says what the node colours mean."""
    if graph is None or graph.number_of_nodes() == 0:
        return no_data_figure(_TITLE, "network")
    pos = {n: (float(x), float(y)) for n, (x, y) in _layout(graph).items()}
    nodes = list(graph.nodes)
    sold = dict.fromkeys(nodes, 0)
    bought = dict.fromkeys(nodes, 0)
    edges = list(graph.edges(data="tonnes", default=0))
    for u, v, t in edges:
        sold[u] += int(t)
        bought[v] += int(t)
    fig = new_figure(_TITLE, uirevision="network", showlegend=False, hovermode="closest",
                     margin=dict(l=20, r=20, t=80, b=20))

    if edges:
        tonnage = np.array([t for *_, t in edges], dtype=float)
        classes = _width_classes(tonnage)
        for cls in sorted(set(classes.tolist())):
            xs, ys = _segments([(u, v) for (u, v, _), c in zip(edges, classes) if c == cls], pos)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name=f"edges {cls + 1}",
                                     line=dict(width=_WIDTHS[cls], color=COLOURS["edge"]), opacity=0.55))
        if selected is not None and selected in graph:
            mine = [(u, v) for u, v, _ in edges if selected in (u, v)]
            if mine:
                xs, ys = _segments(mine, pos)
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name="selected edges",
                                         line=dict(width=3, color=COLOURS["selected"])))
        mid_text = []
        for u, v, d in graph.edges(data=True):
            agreements = d.get("agreements", [])
            shown = ", ".join(agreements[:5]) + (f" and {len(agreements) - 5} more" if len(agreements) > 5 else "")
            mid_text.append(f"{graph.nodes[u].get('name', u)} -> {graph.nodes[v].get('name', v)}<br>"
                            f"{quantity(d.get('tonnes', 0), units)}, value {money(d.get('value', 0.0), currency).strip()}"
                            + (f"<br>{shown}" if shown else ""))
        fig.add_trace(go.Scatter(
            x=[(pos[u][0] + pos[v][0]) / 2 for u, v, _ in edges],
            y=[(pos[u][1] + pos[v][1]) / 2 for u, v, _ in edges],
            mode="markers", name="deliveries", marker=dict(size=8, color=COLOURS["edge"], opacity=0.15),
            hovertext=mid_text, hoverinfo="text"))

    total = {n: sold[n] + bought[n] for n in nodes}
    biggest = max(total.values()) or 1
    ranked = sorted(nodes, key=lambda n: (-total[n], str(n)))
    labelled = set(ranked[:max(0, max_labels)])
    if selected is not None:
        labelled.add(selected)
    near = set()
    if selected is not None and selected in graph:
        near = {selected, *graph.predecessors(selected), *graph.successors(selected)}

    def colour(n):
        if total[n] == 0:
            return COLOURS["other"]
        return COLOURS["seller"] if sold[n] >= bought[n] else COLOURS["buyer"]

    names = [str(graph.nodes[n].get("name", n)) for n in nodes]
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes],
        mode="markers+text", name="parties",
        customdata=nodes,
        text=[name if n in labelled else "" for n, name in zip(nodes, names)],
        textposition="top center", textfont=dict(size=14),
        hovertext=[f"<b>{name}</b> ({n})<br>Sold: {quantity(sold[n], units)}<br>Bought: {quantity(bought[n], units)}"
                   for n, name in zip(nodes, names)],
        hoverinfo="text",
        marker=dict(
            size=[10 + 40 * math.sqrt(total[n] / biggest) for n in nodes],   # as ``sizes`` below
            color=[colour(n) for n in nodes],
            opacity=[1.0 if not near or n in near else 0.3 for n in nodes],
            line=dict(width=[4 if n == selected else 1 for n in nodes],
                      color=[COLOURS["selected"] if n == selected else "white" for n in nodes]),
        ),
    ))
    sizes = {n: 10 + 40 * math.sqrt(total[n] / biggest) for n in nodes}
    if 0 < len(edges) <= _ARROWS_UP_TO:
        for u, v, t in edges:
            (x0, y0), (x1, y1) = pos[u], pos[v]
            colour = COLOURS["selected"] if selected in (u, v) else "#5f6b78"
            fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                               showarrow=True, arrowhead=3, arrowsize=1.6, arrowwidth=2, arrowcolor=colour,
                               standoff=sizes[v] / 2 + 2, startstandoff=sizes[u] / 2 + 2)
            fig.add_annotation(x=x0 + (x1 - x0) / 3, y=y0 + (y1 - y0) / 3, xref="x", yref="y",
                               text=quantity(t, units), showarrow=False, font=dict(size=14, color="#1b1f24"),
                               bgcolor="rgba(255,255,255,0.85)", borderpad=2)
    fig.add_annotation(text=LEGEND, xref="paper", yref="paper", x=0, y=1.0, xanchor="left", yanchor="bottom",
                       showarrow=False, font=dict(size=14), name="legend")
    xs = [p[0] for p in pos.values()]
    span = (max(xs) - min(xs)) or 1.0
    pad = 0.22 * span + 0.1           # room for the names written over the outermost nodes
    fig.update_xaxes(visible=False, range=[min(xs) - pad, max(xs) + pad])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return fig
