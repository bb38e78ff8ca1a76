"""The big screen (``/room/<code>/screen``, for the projector): the deals as a network
with tonnes and prices on the arrows, every party's balance against its target,
tonnes claimed twice, OMGE and adaptation finance, the round and its clock. When the
game is over: the debrief, replaying the rounds, and the room's scenario (YAML) and
results (zip) to rerun and analyse it like any scenario.

The screen needs no code and shows none: it is what the whole room sees.
"""
from __future__ import annotations

import time

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from ..components import graph, records_table
from . import scenario as rs
from .common import clock_data, clock_line, poller
from .figures import FACTORS, amount, balance_figure, glance_decimals, money_words, network_figure, short_gap

__all__ = ["layout", "register"]


def layout(code: str, rooms) -> html.Div:
    loaded = rooms.load(code)
    if loaded is None:
        return dbc.Alert(f"No room {code} (it may have expired).", color="warning")
    return html.Div([
        *poller(loaded[1]["code"], "scr"),
        dcc.Store(id="room-replay-round"),
        html.Div(id="room-screen-head"),
        clock_line("scr"),
        html.Div(id="room-screen-body"),
        html.Div(id="room-debrief"),
        dcc.Download(id="room-screen-download"),
    ], className="a6-room a6-room-screen")


def _cards(outcome: dict, state: dict) -> dbc.Row:
    units, currency = state["units"], state["currency"]
    items = [
        ("Tonnes claimed twice", amount(outcome["double_claimed"], units), "room-double",
         "a6-room-alarm" if outcome["double_claimed"] else ""),
        ("OMGE cancelled", amount(outcome["omge_cancelled"], units), "room-omge", ""),
        ("Adaptation finance", f"{money_words(outcome['sop_value'], currency)} · "
                               f"{amount(outcome['adaptation_fund_units'] + outcome['host_adaptation_units'], units)}",
         "room-adaptation", ""),
        ("Deals signed · money paid", f"{len(state['deals'])} · {money_words(outcome['value_paid'], currency)}",
         "room-deals", ""),
    ]
    return dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="a6-card-label"),
                                                   html.Div(value, className="a6-card-value", id=id_)]),
                                     className=cls), md=3, xs=6, className="mb-2")
                    for label, value, id_, cls in items], className="g-2")


def _story(state: dict, outcome: dict, deal_ids=None, suffix: str = "") -> html.Div:
    return html.Div([
        _cards(outcome, state),
        dbc.Row([
            dbc.Col(graph(network_figure(state, deal_ids, "Deals signed" + suffix), id=f"room-network{suffix and '-r'}",
                          height=520), lg=6),
            dbc.Col(graph(balance_figure(outcome, state, "Balance against target" + suffix),
                          id=f"room-balances{suffix and '-r'}", height=520), lg=6),
        ], className="g-2"),
    ])


def _log(state: dict) -> html.Div:
    lines = [html.Li(entry["text"]) for entry in state["log"][-5:]][::-1]
    return html.Ul(lines, className="a6-room-log", id="room-log")


def _debrief(state: dict) -> html.Div:
    snaps = state["snapshots"]
    parties = [p for p, v in (snaps[-1]["outcome"]["parties"] if snaps else {}).items() if v.get("attainment")]
    rows = []
    # every gap of the table at one precision
    d = glance_decimals([s["outcome"]["parties"][p]["attainment"]["gap"] for s in snaps for p in parties],
                        FACTORS[state["units"]])
    for s in snaps:
        o = s["outcome"]
        r = state["rounds"][s["round"]]
        row = {"Round": f"{s['round'] + 1} ({r['first']}-{r['last']})", "Deals": len(s["deals"]),
               "Claimed twice": amount(o["double_claimed"], state["units"])}
        for p in parties:
            a = o["parties"][p]["attainment"]
            row[p] = short_gap(a, state["units"], d)
        rows.append(row)
    return html.Div([
        html.H2("Debrief: the rounds again", className="a6-page-title mt-3"),
        records_table(rows, id="room-debrief-table"),
        html.Div([dbc.Button(f"Show round {s['round'] + 1}", id={"type": "room-replay", "round": s["round"]},
                             color="primary", outline=True, className="me-2 mb-2") for s in snaps]),
        html.Div(id="room-replay"),
        html.Div([dbc.Button("Room scenario (YAML)", id="room-screen-yaml", color="dark", className="me-2"),
                  dbc.Button("Room results (zip)", id="room-screen-zip", color="dark")], className="mt-2"),
    ])


def register(app, rooms) -> None:
    @app.callback(Output("room-screen-head", "children"), Output("room-screen-body", "children"),
                  Output("room-debrief", "children"), Output("room-clock-scr", "data", allow_duplicate=True),
                  Input("room-seen-scr", "data"), State("room-code-scr", "data"), prevent_initial_call="initial_duplicate")
    def _draw(_, code):
        loaded = rooms.load(code)
        if loaded is None:
            return dbc.Alert(f"No room {code}.", color="warning"), None, None, None
        version, state, outcome = loaded
        head = html.Div([html.H1(state["name"], className="a6-room-title"),
                         html.Div(f"Room {state['code']} · join at /room/{state['code']}", className="a6-subtitle")])
        body = html.Div([_story(state, outcome), _log(state)])
        debrief = _debrief(state) if state["phase"] == "ended" else None
        return head, body, debrief, clock_data(state, version, time.time())

    @app.callback(Output("room-replay", "children"), Input({"type": "room-replay", "round": dash.ALL}, "n_clicks"),
                  State("room-code-scr", "data"), prevent_initial_call=True)
    def _replay(_, code):
        t = dash.ctx.triggered_id
        loaded = rooms.load(code)
        if not t or not dash.ctx.triggered[0]["value"] or loaded is None:
            raise dash.exceptions.PreventUpdate
        state = loaded[1]
        snap = next((s for s in state["snapshots"] if s["round"] == t["round"]), None)
        if snap is None:
            raise dash.exceptions.PreventUpdate
        r = state["rounds"][snap["round"]]
        return _story(state, snap["outcome"], snap["deals"], f" · end of round {snap['round'] + 1} ({r['first']}-{r['last']})")

    @app.callback(Output("room-screen-download", "data"), Input("room-screen-yaml", "n_clicks"),
                  Input("room-screen-zip", "n_clicks"), State("room-code-scr", "data"), prevent_initial_call=True)
    def _download(a, b, code):
        loaded = rooms.load(code)
        if loaded is None or not dash.ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        state = loaded[1]
        if state["phase"] != "ended":
            raise dash.exceptions.PreventUpdate
        if dash.ctx.triggered_id == "room-screen-yaml":
            return dict(content=rs.scenario_yaml(state), filename=f"room-{state['code']}.yaml")
        return dcc.send_bytes(rs.results_zip(state), f"room-{state['code']}-results.zip")
