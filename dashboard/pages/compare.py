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
from ..views.compare import SUMMARY_FIGURES  # noqa: F401
from ..views.style import is_missing, quantity, unit_label
from ..views.style import money as fmt_money

__all__ = ["layout", "register", "comparison", "changed_party"]


def _cell(x, units="tCO2e"):
    if is_missing(x):
        return ""
    if isinstance(x, bool):
        return "met" if x else "missed"
    if isinstance(x, (int, float)):
        return quantity(x, units)
    return str(x)


_FIGURE_LABELS = {"issued": "Issued", "first_transferred": "First transferred", "used": "Used",
                  "omge_cancelled": "Cancelled for OMGE", "adaptation_fund_units": "To the Adaptation Fund",
                  "double_claimed": "Claimed twice (no host addition)", "net_ca_total": "Net corresponding adjustments",
                  "sop_value": "Share of proceeds (money)", "value_paid": "Value paid", "buffer": "In buffer pools"}


def _records(df: pd.DataFrame, units: str = "tCO2e", money: tuple = (), currency: str = "") -> list[dict]:
    """Display rows: tonnes in ``units``; the rows whose ``figure`` is in ``money`` as amounts in
    ``currency``; figure names in plain words."""
    out = []
    for r in df.to_dict("records"):
        if r.get("figure") in money:
            row = {k: ("" if is_missing(v) else fmt_money(v, currency)) for k, v in r.items() if k != "figure"}
        else:
            row = {k: _cell(v, units) for k, v in r.items() if k != "figure"}
        if "figure" in r:
            row = {"figure": _FIGURE_LABELS.get(r["figure"], r["figure"]), **row}
        out.append(row)
    return out


_SHOWN = ("party", "balance_a", "balance_b", "balance_diff", "gap_diff", "met_a", "met_b",
          "first_transferred_diff", "used_diff", "ca_diff")
_HEADERS = {"ca_diff": "adjustment diff"}


def changed_party(diff: pd.DataFrame) -> str | None:
    """The first party whose figures differ between the two runs (balance, gap, met,
    first transferred, used or adjustment), or None when none does."""
    cols = [c for c in diff.columns if c.endswith("_diff")]
    for row in diff.to_dict("records"):
        if any(not is_missing(row[c]) and row[c] != 0 for c in cols) or \
                (not is_missing(row.get("met_a")) and not is_missing(row.get("met_b")) and row["met_a"] != row["met_b"]):
            return row["party"]
    return None


def comparison(store: RunStore, key_a: str | None, key_b: str | None, party: str | None):
    """Both runs side by side, then the differences (b - a) per party and for the whole run.
    The charts show the filtered party, else the first party that changed, else the first one."""
    a, b = store.get(key_a), store.get(key_b)
    if a is None or b is None:
        return dbc.Alert("Pick two runs of this session (they may have been cleared from the cache: "
                         "run them again).", color="info")
    diff = party_differences(a.balances, a.attainment, b.balances, b.attainment)
    shown = party or changed_party(diff)
    columns = []
    for label, t in (("A", a), ("B", b)):
        units = getattr(t, "units", "tCO2e") or "tCO2e"
        adjusts = getattr(t, "adjusts", None) or {}
        parties = [shown] if shown in t.parties else t.attainment["party"].tolist()[:1] or t.parties[:1]
        columns.append(dbc.Col(dbc.Card([dbc.CardHeader(f"{label}: {t.name} · seed {t.seed}"), dbc.CardBody([
            records_table(attainment_records(t.attainment, party if party in t.parties else None, units),
                          columns=["party", "method", "target", "balance", "gap", "met"],
                          numeric=("target", "balance", "gap")),
            *[graph(ndc_figure(t.balances, p, units, adjusts.get(p, True)), height=480) for p in parties],
        ])]), lg=6))
    if party:
        diff = diff[diff["party"] == party]
    # the columns that fit a 1280-pixel screen: both balances, then the differences
    diff = diff[[c for c in _SHOWN if c in diff.columns]]
    numeric = tuple(c for c in diff.columns if c != "party" and not c.startswith("met"))
    units = getattr(a, "units", "tCO2e") or "tCO2e"
    return html.Div([
        dbc.Row(columns, className="g-3 mb-3"),
        html.H4(f"Differences per party (B − A, {unit_label(units)})"),
        records_table(_records(diff, units), numeric=numeric, headers=_HEADERS, id="compare-party-table"),
        html.H4("Whole-run figures", className="mt-3"),
        records_table(_records(summary_differences(a.summary, b.summary), units, ("sop_value", "value_paid"),
                               b.currency),
                      numeric=("a", "b", "diff"), id="compare-summary-table"),
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
