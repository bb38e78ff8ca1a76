"""Results pages: NDC accounts, integrity, units, money and the network of parties."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from ..components import figure_cards, graph, need_run, page_title, records_table
from ..runs import RunStore, RunTables
from ..views.integrity import integrity_figure, integrity_totals
from ..views.money import money_figure, money_table
from ..views.ndc import attainment_records, ndc_figure
from ..views.network import network_figure, party_graph
from ..views.style import tonnes
from ..views.units import sankey_figure, unit_destinations

__all__ = ["PAGES", "register"]

MAX_NDC_CHARTS = 4   # without a party filter, charts for the first parties only


def _for(party: str | None, tables: RunTables) -> str:
    return f" · {tables.names.get(party, party)}" if party else ""


YEAR_COLUMNS = ("year", "inventory", "first_transferred", "used", "ca", "emissions_balance", "target", "trajectory")


def year_records(balances, party: str) -> list[dict]:
    """One party's balance rows, formatted (tCO2e; empty where a year has no figure)."""
    rows = balances[balances["party"] == party]
    return [{c: (r[c] if c == "year" else tonnes(r[c]))
             for c in YEAR_COLUMNS} for r in rows.to_dict("records")]


def ndc_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    with_ndc = tables.attainment["party"].tolist()
    shown = [party] if party else (with_ndc or tables.parties)[:MAX_NDC_CHARTS]
    more = [] if party or len(with_ndc) <= MAX_NDC_CHARTS else [dbc.Alert(
        f"Charts for the first {MAX_NDC_CHARTS} of {len(with_ndc)} parties with an NDC; pick a party in the "
        "filter at the top to see another.", color="secondary")]
    blocks = [dbc.Card(dbc.CardBody([
        graph(ndc_figure(tables.balances, p), height=420),
        records_table(year_records(tables.balances, p), numeric=YEAR_COLUMNS[1:]),
    ]), className="mb-3") for p in shown]
    return html.Div([
        page_title("NDC accounts" + _for(party, tables),
                   "Inventory, additions for first transfers, subtractions for use, and the emissions balance "
                   "against the target and trajectory, year by year (tCO2e)."),
        html.H4("Attainment"),
        records_table(attainment_records(tables.attainment, party), numeric=("target", "balance", "gap")),
        *more, *blocks])


def integrity_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    violations = tables.summary.get("violations", [])
    shortfalls = tables.summary.get("shortfalls", [])
    return html.Div([
        page_title("Integrity", "Whole-run figures: corresponding adjustments, double claims, OMGE and the "
                                "Adaptation Fund (tCO2e)."),
        figure_cards(integrity_totals(tables.summary, tables.currency)),
        graph(integrity_figure(tables.integrity), height=620),
        html.H4(f"Refused actions ({len(violations)})", className="mt-3"),
        records_table(violations),
        html.H4(f"Shortfalls ({len(shortfalls)})", className="mt-3") if shortfalls else None,
        records_table(shortfalls) if shortfalls else None,
    ])


def units_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    hosts = set(tables.ledger["host"].unique())
    host = party if party in hosts else None
    note = (dbc.Alert(f"{tables.names.get(party, party)} hosts no activities; showing every issued unit.",
                      color="secondary") if party and host is None else None)
    dest = unit_destinations(tables.ledger, host)
    title = "Where every issued tonne went" + (f" (hosted by {host})" if host else "")
    return html.Div([
        page_title("Units" + _for(host, tables),
                   "Share of proceeds, OMGE, buffer, transferred, used and still held (tCO2e)."),
        note, graph(sankey_figure(dest, title=title), height=560),
        records_table([{"where": r.category, "tonnes": tonnes(r.quantity)} for r in dest.itertuples()],
                      numeric=("tonnes",)),
    ])


def money_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    flows = tables.flows
    if party:
        flows = flows[(flows["from_party"] == party) | (flows["to_party"] == party)]
    table = money_table(flows, tables.sop_value_shares)
    records = [{"year": r.year, "agreement": r.agreement, "seller": r.from_party, "buyer": r.to_party,
                "tonnes": tonnes(r.quantity), "value": f"{r.value:,.0f}", "share of proceeds": f"{r.sop_value:,.0f}"}
               for r in table.itertuples()]
    return html.Div([
        page_title("Money" + _for(party, tables),
                   f"Value paid per agreement and year, and the share of proceeds in money ({tables.currency})."),
        figure_cards([{"label": f"value paid ({tables.currency})", "value": f"{table['value'].sum():,.0f}"},
                      {"label": f"share of proceeds ({tables.currency})",
                       "value": f"{table['sop_value'].sum():,.0f}"}]),
        graph(money_figure(table, tables.currency), height=480),
        records_table(records, numeric=("tonnes", "value", "share of proceeds")),
    ])


def network_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    g = party_graph(tables.flows, tables.names)
    return html.Div([
        page_title("Network", "Parties and agreements; edge width is tonnes transferred. Click a party to filter "
                              "the other views to it (clear the filter at the top)."),
        graph(network_figure(g, selected=party), id="network-graph", height=640),
    ])


PAGES = {"/ndc": ndc_page, "/integrity": integrity_page, "/units": units_page, "/money": money_page,
         "/network": network_page}


def register(app: dash.Dash, store: RunStore) -> None:
    @app.callback(Output("party-filter", "value", allow_duplicate=True),
                  Input("network-graph", "clickData"), prevent_initial_call=True)
    def _click_party(click):
        try:
            return click["points"][0]["customdata"]
        except (TypeError, KeyError, IndexError):
            raise dash.exceptions.PreventUpdate
