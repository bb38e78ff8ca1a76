"""Results pages: NDC accounts, integrity, units, money and the network of parties."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from ..components import figure_cards, graph, headline_strip, need_run, page_title, records_table
from ..runs import RunStore, RunTables
from ..views.headline import headline
from ..views.integrity import integrity_figure, integrity_totals
from ..views.money import money_figure, money_table
from ..views.ndc import attainment_records, ndc_explanation, ndc_figure
from ..views.network import network_figure, party_graph
from ..views.style import quantity, unit_label
from ..views.units import sankey_figure, unit_destinations

__all__ = ["PAGES", "register", "strip", "year_records"]

MAX_NDC_CHARTS = 4   # without a party filter, charts for the first parties only


def _for(party: str | None, tables: RunTables) -> str:
    return f" · {tables.names.get(party, party)}" if party else ""


YEAR_COLUMNS = ("year", "inventory", "first_transferred", "used", "ca", "emissions_balance", "target", "trajectory")
YEAR_HEADERS = {"first_transferred": "first transferred", "ca": "adjustment", "emissions_balance": "emissions balance"}


def year_records(balances, party: str, units: str = "tCO2e") -> list[dict]:
    """One party's balance rows, formatted in the scenario's units (empty where a year has no figure)."""
    rows = balances[balances["party"] == party]
    return [{c: (r[c] if c == "year" else quantity(r[c], units, signed=(c == "ca")))
             for c in YEAR_COLUMNS if c in r} for r in rows.to_dict("records")]


def strip(tables: RunTables):
    """The headline strip of a run (every results page)."""
    return headline_strip(headline(tables.balances, tables.attainment, tables.summary, _units(tables),
                                   getattr(tables, "adjusts", None)))


def _units(tables) -> str:
    return getattr(tables, "units", "tCO2e") or "tCO2e"


def ndc_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    with_ndc = tables.attainment["party"].tolist()
    shown = [party] if party else (with_ndc or tables.parties)[:MAX_NDC_CHARTS]
    more = [] if party or len(with_ndc) <= MAX_NDC_CHARTS else [dbc.Alert(
        f"Charts for the first {MAX_NDC_CHARTS} of {len(with_ndc)} parties with an NDC; pick a party in the "
        "filter at the top to see another.", color="secondary")]
    units = _units(tables)
    adjusts = getattr(tables, "adjusts", None) or {}
    blocks = [dbc.Card(dbc.CardBody([
        graph(ndc_figure(tables.balances, p, units, adjusts.get(p, True), tables.names.get(p)), height=520),
        html.P(ndc_explanation(tables.balances, p, units, adjusts.get(p, True)), className="a6-explain"),
        records_table(year_records(tables.balances, p, units), numeric=YEAR_COLUMNS[1:], headers=YEAR_HEADERS),
    ]), className="mb-3") for p in shown]
    return html.Div([
        page_title("NDC accounts" + _for(party, tables),
                   f"Inventory and emissions balance against the target and trajectory (top), and the "
                   f"corresponding adjustment that moves the balance (bottom), year by year ({unit_label(units)})."),
        strip(tables),
        html.H4("Attainment"),
        records_table(attainment_records(tables.attainment, party, units), numeric=("target", "balance", "gap")),
        *more, *blocks])


def integrity_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    violations = tables.summary.get("violations", [])
    shortfalls = tables.summary.get("shortfalls", [])
    units = _units(tables)
    return html.Div([
        page_title("Integrity", f"Whole-run figures: corresponding adjustments, double claims, OMGE and the "
                                f"Adaptation Fund ({unit_label(units)})."),
        strip(tables),
        figure_cards(integrity_totals(tables.summary, tables.currency, units)),
        html.P(["Sign of the net corresponding adjustments: positive when the hosts added back more than the "
                "buyers subtracted (units first transferred and not yet used), negative when more was subtracted "
                "than added that year. Claimed twice counts units used that no host added back, and the tonnes "
                "by which the adjustments of the single-year NDCs judged on a target year fall below zero "
                "(2/CMA.3 annex para 7; guide: ", dcc.Link("How a6sim counts", href="/docs/how-a6sim-counts"),
                ")."], className="a6-explain", id="integrity-signs"),
        graph(integrity_figure(tables.integrity, units, tables.summary.get("target_years")), height=620),
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
    units = _units(tables)
    return html.Div([
        page_title("Units" + _for(host, tables),
                   f"Share of proceeds, OMGE, buffer, transferred, used and still held ({unit_label(units)})."),
        strip(tables),
        note, graph(sankey_figure(dest, title=title, units=units), height=560),
        records_table([{"where": r.category, "quantity": quantity(r.quantity, units)} for r in dest.itertuples()],
                      numeric=("quantity",)),
    ])


def money_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    flows = tables.flows
    if party:
        flows = flows[(flows["from_party"] == party) | (flows["to_party"] == party)]
    table = money_table(flows, tables.sop_value_shares)
    records = [{"year": r.year, "agreement": r.agreement, "seller": r.from_party, "buyer": r.to_party,
                "quantity": quantity(r.quantity, _units(tables)), "value": f"{r.value:,.0f}", "share of proceeds": f"{r.sop_value:,.0f}"}
               for r in table.itertuples()]
    return html.Div([
        page_title("Money" + _for(party, tables),
                   f"Value paid per agreement and year, and the share of proceeds in money ({tables.currency})."),
        strip(tables),
        figure_cards([{"label": f"value paid ({tables.currency})", "value": f"{table['value'].sum():,.0f}"},
                      {"label": f"share of proceeds ({tables.currency})",
                       "value": f"{table['sop_value'].sum():,.0f}"}]),
        graph(money_figure(table, tables.currency), height=480),
        records_table(records, numeric=("quantity", "value", "share of proceeds")),
    ])


def network_page(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    g = party_graph(tables.flows, tables.names)
    return html.Div([
        page_title("Network", "Parties and agreements: arrows run from seller to buyer, labelled with the quantity "
                              "delivered; edge width grows with it. Click a party to filter the other views to it "
                              "(clear the filter at the top)."),
        strip(tables),
        graph(network_figure(g, selected=party, currency=tables.currency, units=_units(tables)),
              id="network-graph", height=640),
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
