"""The Economics page: cost curves, costs with and without the deals, who gains what.

Shown for a run whose scenario gives parties an ``abatement_cost`` curve
(the economics guide, ``a6sim docs economics``). The figures come from :mod:`..views.economics`; the mode is the
scenario's ``settings.economics`` (a lever on the scenario page).
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from .results import strip
from ..components import figure_cards, graph, need_run, page_title, records_table
from ..runs import RunStore, RunTables
from ..views.economics import (cost_figure, curve_figure, economics_cards, gains_figure, key_year,
                               party_records, price_figure)

__all__ = ["layout", "register"]

EXAMPLES = ("china_ccer_costs", "singapore_mongolia_costs", "gcam_world_market")
GUIDE = "/docs/economics"   # the guide shipped with the package (a6sim docs economics)


def _summary(tables: RunTables) -> dict | None:
    return tables.summary.get("economics")


def layout(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    summary = _summary(tables)
    if not summary:
        return html.Div([
            page_title("Economics", "What meeting each NDC costs, with the deals and without them."),
            dbc.Alert(["No party of this scenario has an abatement cost curve (abatement_cost; see the guide ",
                       dcc.Link("The economics of a deal", href=GUIDE), ", also a6sim docs economics). "
                       "Bundled examples with curves: ", ", ".join(EXAMPLES), "."],
                      color="info")])
    table, currency, names = tables.economics, tables.currency, tables.names
    shown = [party] if party in (tables.curves or {}) else None
    year = key_year(table)
    years = sorted(int(y) for y in table["year"].unique())
    messages = summary.get("messages") or []
    return html.Div([
        page_title("Economics" + (f" · {names.get(party, party)}" if shown else ""),
                   f"Cost of meeting each NDC with the deals and with none, the host's adjustments priced, "
                   f"and who gains ({currency}; mode: {summary['mode']})."),
        html.P(["How these figures are worked out: the guide ", dcc.Link("The economics of a deal", href=GUIDE),
                " (also a6sim docs economics)."], className="a6-explain", id="economics-guide"),
        strip(tables),
        figure_cards(economics_cards(summary, currency)),
        *[dbc.Alert(m, color="warning") for m in messages],
        dbc.Row([
            dbc.Col(html.Label("Curves in year", htmlFor="econ-year", className="a6-card-label"), width="auto"),
            dbc.Col(dcc.Dropdown(id="econ-year", options=[{"label": str(y), "value": y} for y in years],
                                 value=year, clearable=False, style={"minWidth": "8rem"}), width="auto"),
        ], className="align-items-center mb-2 g-2"),
        graph(curve_figure(tables.curves, table, year, currency, shown, names), id="econ-curves", height=480),
        html.P("Filled marker: abatement with the deals; open marker: with no deals; dashed line: the ITMO price.",
               className="text-muted"),
        dbc.Row([
            dbc.Col(graph(cost_figure(summary, currency, names), height=420), lg=6),
            dbc.Col(graph(gains_figure(summary, currency, names), height=420), lg=6),
        ]),
        *([graph(price_figure(summary, currency), height=360)] if summary.get("market") else []),
        html.H4("Per party, whole run", className="mt-3"),
        records_table(party_records(summary, currency, names),
                      numeric=("abatement needed with deals (Mt)", "abatement needed no deals (Mt)", "ITMOs bought (Mt)",
                               "ITMOs sold (Mt)", "net cost", "net cost no deals", "saving",
                               "extra abatement for adjustments (Mt)", "its cost")),
    ])


def register(app: dash.Dash, store: RunStore) -> None:
    @app.callback(Output("econ-curves", "figure"), Input("econ-year", "value"),
                  State("current", "data"), State("party", "data"), prevent_initial_call=True)
    def _year(year, current, party):
        tables = store.get(current)
        if tables is None or year is None or tables.economics is None:
            raise dash.exceptions.PreventUpdate
        shown = [party] if party in (tables.curves or {}) else None
        return curve_figure(tables.curves, tables.economics, int(year), tables.currency, shown, tables.names)
