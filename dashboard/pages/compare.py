"""Compare page: two runs of this session side by side, and their differences per party."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from ..components import graph, page_title, records_table
from ..runs import RunStore
from ..views.compare import party_differences, summary_differences
from ..views.ndc import attainment_records, ndc_figure
from ..views.style import is_missing, tonnes

__all__ = ["layout", "register", "comparison"]


def _cell(x):
    if is_missing(x):
        return ""
    if isinstance(x, bool):
        return "met" if x else "missed"
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.2f}"
    if isinstance(x, (int, float)):
        return tonnes(x)
    return str(x)


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _cell(v) for k, v in r.items()} for r in df.to_dict("records")]


def comparison(store: RunStore, key_a: str | None, key_b: str | None, party: str | None):
    """Both runs side by side, then the differences (b - a) per party and for the whole run."""
    a, b = store.get(key_a), store.get(key_b)
    if a is None or b is None:
        return dbc.Alert("Pick two runs of this session (they may have been cleared from the cache: "
                         "run them again).", color="info")
    columns = []
    for label, t in (("A", a), ("B", b)):
        parties = [party] if party in t.parties else t.attainment["party"].tolist()[:1] or t.parties[:1]
        columns.append(dbc.Col(dbc.Card([dbc.CardHeader(f"{label}: {t.name} · seed {t.seed}"), dbc.CardBody([
            records_table(attainment_records(t.attainment, party if party in t.parties else None),
                          columns=["party", "method", "target", "balance", "gap", "met"],
                          numeric=("target", "balance", "gap")),
            *[graph(ndc_figure(t.balances, p), height=360) for p in parties],
        ])]), lg=6))
    diff = party_differences(a.balances, a.attainment, b.balances, b.attainment)
    if party:
        diff = diff[diff["party"] == party]
    numeric = tuple(c for c in diff.columns if c != "party" and not c.startswith("met"))
    return html.Div([
        dbc.Row(columns, className="g-3 mb-3"),
        html.H4("Differences per party (B − A, tCO2e)"),
        records_table(_records(diff), numeric=numeric, id="compare-party-table"),
        html.H4("Whole-run figures", className="mt-3"),
        records_table(_records(summary_differences(a.summary, b.summary)), numeric=("a", "b", "diff"),
                      id="compare-summary-table"),
        *_costs(a, b),
    ])


def _costs(a, b) -> list:
    """Compliance costs per party (docs/economics.md), when either run prices its deals."""
    from ..views.economics import cost_differences
    rows = cost_differences(a.summary, b.summary, b.currency, b.names)
    if not rows:
        return []
    return [html.H4(f"Costs per party ({b.currency})", className="mt-3"),
            records_table(rows, numeric=tuple(k for k in rows[0] if k != "party"), id="compare-cost-table")]


def layout(store: RunStore, runs: list, party: str | None):
    options = [{"label": f"{i + 1}. {r['label']}", "value": r["key"]} for i, r in enumerate(runs)]
    if len(runs) < 2:
        return html.Div([page_title("Compare"), dbc.Alert([
            "Run at least two variants in this session (for example averaging against trajectory, with and "
            "without corresponding adjustments, or two share-of-proceeds levels). ",
            dcc.Link("Back to the scenario", href="/"), "."], color="info")])
    key_a, key_b = runs[-2]["key"], runs[-1]["key"]
    return html.Div([
        page_title("Compare", "Two runs of this session side by side."),
        dbc.Row([
            dbc.Col([dbc.Label("Run A"), dcc.Dropdown(id="compare-a", options=options, value=key_a,
                                                      clearable=False)], lg=6),
            dbc.Col([dbc.Label("Run B"), dcc.Dropdown(id="compare-b", options=options, value=key_b,
                                                      clearable=False)], lg=6),
        ], className="mb-3"),
        html.Div(comparison(store, key_a, key_b, party), id="compare-body"),
    ])


def register(app: dash.Dash, store: RunStore) -> None:
    @app.callback(Output("compare-body", "children"), Input("compare-a", "value"), Input("compare-b", "value"),
                  State("party", "data"), prevent_initial_call=True)
    def _compare(key_a, key_b, party):
        return comparison(store, key_a, key_b, party)
