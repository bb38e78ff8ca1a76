"""A delegation's page (``/room/<code>``): join with the secret code, offer ITMOs (hosts),
answer offers (accept, decline, counter), see what an offer would do before signing,
and the private panel: the NDC account year by year, attainment, money in and out.

The tab's session storage keeps ``{'room', 'delegation', 'code'}`` (``room-me``), so a
reload is back where it was; every action sends the code and the server checks it.
Nothing on this page shows another delegation's code.
"""
from __future__ import annotations

import time

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

from ..components import records_table
from . import actions as ra
from .account import account_table
from . import scenario as rs
from .common import clock_data, clock_line, done, poller, refused
from .figures import FACTORS, UNIT_SHORT, amount, gap_words, money_words, round_label
from .service import perform

__all__ = ["layout", "register"]

FORM_FIELDS = ["to", "activity", "first", "last", "mode", "amount", "price", "sop-units", "sop-value", "omge",
               "purpose", "ft"]


def layout(code: str, rooms) -> html.Div:
    loaded = rooms.load(code)
    if loaded is None:
        return dbc.Alert([f"No room {code} (it may have expired). ", dcc.Link("Rooms", href="/room")],
                         color="warning")
    _, state, _ = loaded
    options = [{"label": f"{d['name']} ({k})", "value": k} for k, d in state["delegations"].items()]
    return html.Div([
        dcc.Store(id="room-me", storage_type="session"),
        dcc.Store(id="room-counter"),        # the offer being countered, or None
        *poller(state["code"], "del"),
        html.Div(id="room-head", children=html.H2(f"Room {state['code']}", className="a6-page-title")),
        clock_line("del"),
        html.Div(dbc.Card([dbc.CardHeader("Join as a delegation"), dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Delegation", html_for="room-join-who"),
                     dcc.Dropdown(id="room-join-who", options=options, clearable=False)], md=5),
            dbc.Col([dbc.Label("Your delegation's code", html_for="room-join-code"),
                     dbc.Input(id="room-join-code", type="password", autocomplete="off")], md=4),
            dbc.Col(dbc.Button("Join", id="room-join", color="primary", size="lg", className="mt-4"), md=3),
        ]))]), id="room-join-card"),
        html.Div(id="room-msg"),
        html.Div(id="room-form-card", style={"display": "none"}, children=_form(state, None)),
        html.Div(id="room-preview"),
        html.Div(id="room-body"),
    ], className="a6-room")


def _form(state: dict, me: str | None) -> dbc.Card:
    """The offer form (hosts), also used for a counter (any delegation)."""
    data = rs.base_data(state["scenario_text"])
    acts = {a: v for a, v in data.get("activities", {}).items() if me and v["host"] == me}
    units = state["units"]
    rnd = state["rounds"][state["round"]]
    first_act = next(iter(acts.values()), None)
    to = [{"label": "Every delegation", "value": "*"}] + [
        {"label": f"{d['name']} ({k})", "value": k} for k, d in state["delegations"].items() if k != me]
    purposes = [{"label": p, "value": p} for p in ra.PURPOSES]
    fts = sorted({f for v in ra.FIRST_TRANSFERS.values() for f in v})

    def field(label, component, md=3, help_text=None):
        return dbc.Col([dbc.Label(label, html_for=component.id), component,
                        dbc.FormText(help_text) if help_text else None], md=md, className="mb-2")

    return dbc.Card([dbc.CardHeader(html.Span("Offer ITMOs", id="room-form-title")), dbc.CardBody([
        dbc.Row([
            field("To", dcc.Dropdown(id="room-f-to", options=to, value="*", clearable=False), md=4),
            field("Activity", dcc.Dropdown(id="room-f-activity", options=[{"label": a, "value": a} for a in acts],
                                           value=next(iter(acts), None), clearable=False), md=4),
            field("First vintage", dbc.Input(id="room-f-first", type="number",
                                             value=max(rnd["first"], first_act["vintages"][0]) if first_act else None), md=2),
            field("Last vintage", dbc.Input(id="room-f-last", type="number",
                                            value=first_act["vintages"][1] if first_act else None), md=2),
        ]),
        dbc.Row([
            field("Sold as", dbc.RadioItems(id="room-f-mode", value="quantity", inline=True, options=[
                {"label": f"quantity ({UNIT_SHORT[units]})", "value": "quantity"},
                {"label": "share of each issuance", "value": "share"}]), md=4),
            field("Quantity or share", dbc.Input(id="room-f-amount", type="number", value=1), md=2,
                  help_text=f"{units}, or 0-1"),
            field(f"Price ({state['currency']}/t)", dbc.Input(id="room-f-price", type="number", value=20, min=0), md=2),
            field("Purpose", dcc.Dropdown(id="room-f-purpose", options=purposes, value="NDC", clearable=False), md=2),
            field("First transfer", dcc.Dropdown(id="room-f-ft", options=[{"label": f, "value": f} for f in fts],
                                                 value="international-transfer", clearable=False), md=2),
        ]),
        dbc.Row([
            field("Share of proceeds, units (%)", dbc.Input(id="room-f-sop-units", type="number", value=0, min=0,
                                                            max=100), md=3, help_text="to the Adaptation Fund"),
            field("Share of proceeds, value (%)", dbc.Input(id="room-f-sop-value", type="number", value=0, min=0,
                                                            max=100), md=3, help_text="of the money paid"),
            field("OMGE cancelled (%)", dbc.Input(id="room-f-omge", type="number", value=0, min=0, max=100), md=3,
                  help_text="of each tranche, never used"),
            dbc.Col(html.Div([
                dbc.Button("What would it do to me?", id="room-f-preview", color="info", className="me-2 mb-2"),
                dbc.Button("Send", id="room-f-send", color="primary", size="lg", className="me-2 mb-2"),
                dbc.Button("Cancel counter", id="room-f-cancel", color="secondary", className="mb-2",
                           style={"display": "none"}),
            ]), md=3, className="d-flex align-items-end flex-wrap"),
        ]),
    ])], className="mb-3")


def _terms(values: dict) -> dict:
    """The offer's terms as the form gives them (percentages to shares); checked by the action."""
    def pct(x):
        try:
            return float(x) / 100
        except (TypeError, ValueError):
            return x
    mode = values["mode"]
    return {"activity": values["activity"], "vintages": [values["first"], values["last"]], "mode": mode,
            "share": values["amount"] if mode == "share" else None,
            "quantity": values["amount"] if mode == "quantity" else None, "price": values["price"],
            "sop_units": pct(values["sop-units"]), "sop_value": pct(values["sop-value"]), "omge": pct(values["omge"]),
            "purpose": values["purpose"], "first_transfer": values["ft"]}


def _offer_words(state: dict, o: dict) -> str:
    t = o["terms"]
    units = state["units"]
    size = f"{t['share']:.0%} of each issuance" if t["mode"] == "share" else \
        amount(t["quantity"] * FACTORS[units], units)
    extras = [f"purpose {t['purpose']}", f"first transfer: {t['first_transfer']}"]
    if t["sop_units"] or t["sop_value"]:
        extras.append(f"share of proceeds {t['sop_units']:.0%} of units, {t['sop_value']:.0%} of value")
    if t["omge"]:
        extras.append(f"OMGE {t['omge']:.0%}")
    return (f"{size} of {t['activity']}, vintages {t['vintages'][0]}-{t['vintages'][1]}, at "
            f"{state['currency']} {t['price']:g}/t · " + " · ".join(extras))


def _offers(state: dict, me: str) -> html.Div:
    names = state["delegations"]
    cards = []
    for o in sorted(ra.visible_offers(state, me), key=lambda o: -o["at"]):
        mine = o["from"] == me
        who = (f"You → {names[o['to']]['name'] if o['to'] else 'every delegation'}" if mine
               else f"{names[o['from']]['name']} → {'you' if o['to'] == me else 'every delegation'}")
        buttons = []
        if o["status"] == "open" and o["round"] == state["round"]:
            if mine:
                buttons = [dbc.Button("Withdraw", id={"type": "room-act", "offer": o["id"], "do": "withdraw"},
                                      color="secondary", size="sm")]
            else:
                buttons = [dbc.Button(label, id={"type": "room-act", "offer": o["id"], "do": do}, color=colour,
                                      className="me-2")
                           for label, do, colour in (("What would it do to me?", "preview", "info"),
                                                     ("Accept and sign", "accept", "success"),
                                                     ("Counter", "counter", "warning"), ("Decline", "decline", "danger"))]
        cards.append(dbc.Card(dbc.CardBody([
            html.Div([html.Strong(who), html.Span(f" · {o['status']}", className="a6-subtitle"),
                      html.Span(" · counter-offer" if o["counter_of"] else "", className="a6-subtitle")]),
            html.Div(_offer_words(state, o), className="a6-room-offer"),
            html.Div(buttons, className="mt-2 d-flex flex-wrap gap-1") if buttons else None,
        ]), className=f"mb-2 a6-offer a6-offer-{o['status']}", id=f"room-offer-{o['id']}"))
    return html.Div(cards or [html.P("No offer yet.", className="a6-subtitle")])


def _panel(state: dict, outcome: dict, me: str) -> html.Div:
    units, currency = state["units"], state["currency"]
    mine = outcome["parties"].get(me)
    if mine is None:
        return html.Div()
    rows, columns, note = account_table(mine, units)
    deals = [d for d in state["deals"].values() if me in (d["seller"], d["buyer"])]
    deal_rows = [{"Deal": d["number"], "With": state["delegations"][d["buyer"] if d["seller"] == me else d["seller"]]["name"],
                  "I": "sell" if d["seller"] == me else "buy", "Delivered so far (whole run)":
                  amount(outcome["deals"].get(d["agreement_id"], {}).get("delivered", 0), units),
                  "Value": money_words(outcome["deals"].get(d["agreement_id"], {}).get("value", 0), currency)}
                 for d in deals]
    att = mine["attainment"]
    return html.Div([
        html.H3("My account (private)", className="mt-3"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("NDC", className="a6-card-label"),
                                           html.Div(gap_words(att, units), className="a6-card-value",
                                                    id="room-my-attainment")])), md=4),
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("Money in (sales)", className="a6-card-label"),
                                           html.Div(money_words(mine["money_in"], currency), className="a6-card-value",
                                                    id="room-my-in")])), md=4),
            dbc.Col(dbc.Card(dbc.CardBody([html.Div("Money out (purchases)", className="a6-card-label"),
                                           html.Div(money_words(mine["money_out"], currency), className="a6-card-value",
                                                    id="room-my-out")])), md=4),
        ], className="g-3 mb-3"),
        html.H4("My deals"), records_table(deal_rows, id="room-my-deals"),
        html.H4(f"NDC account, year by year, in {UNIT_SHORT[units]} (whole period, as simulated now)"),
        records_table(rows, columns, numeric=tuple(columns[1:]), id="room-my-account"),
        html.P(note, className="a6-subtitle small", id="room-my-budget") if note else None,
    ])


def _preview_card(p: dict, state: dict, title: str) -> dbc.Card:
    units, currency = state["units"], state["currency"]
    if not p:
        return dbc.Alert("Nothing to show for this delegation.", color="info")
    lines = [html.Li(["NDC: ", html.Strong(gap_words(p["now"]["attainment"], units)), " → ",
                      html.Strong(gap_words(p["with"]["attainment"], units))]),
             html.Li(["Money: ", html.Strong(("+" if p["money_change"] >= 0 else "") +
                                             money_words(p["money_change"], currency))])]
    if p["years"]:
        lines.append(html.Li("Balance: " + "; ".join(f"{y['year']}: {amount(y['now'], units)} → "
                                                     f"{amount(y['with'], units)}" for y in p["years"])))
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(html.Ul(lines, className="mb-0 a6-room-preview"))],
                    color="info", outline=True, className="mb-3", id="room-preview-card")


def register(app, rooms) -> None:
    def mine(me, code):
        """(version, state, outcome, delegation) for a session whose code matches, else None."""
        if not me or me.get("room") != code:
            return None
        loaded = rooms.load(code)
        if loaded is None:
            return None
        try:
            ra.check_delegation(loaded[1], me.get("delegation"), me.get("code"))
        except ra.Refused:
            return None
        return (*loaded, me["delegation"])

    @app.callback(Output("room-me", "data"), Output("room-msg", "children"), Input("room-join", "n_clicks"),
                  State("room-join-who", "value"), State("room-join-code", "value"), State("room-code-del", "data"),
                  prevent_initial_call=True)
    def _join(n, who, secret, code):
        if not n:
            raise dash.exceptions.PreventUpdate
        try:
            perform(rooms, code, "join", delegation=who, code=(secret or "").strip())
        except ra.Refused as exc:
            return dash.no_update, refused(str(exc))
        except LookupError:
            return dash.no_update, refused("This room is no longer there.")
        return {"room": code, "delegation": who, "code": (secret or "").strip()}, done("Joined.")

    @app.callback(Output("room-join-card", "style"), Output("room-form-card", "children"),
                  Output("room-form-card", "style"), Input("room-me", "data"), State("room-code-del", "data"))
    def _me(me, code):
        found = mine(me, code)
        if found is None:
            return {}, dash.no_update, {"display": "none"}
        _, state, _, who = found
        host = state["delegations"][who]["host"]
        return {"display": "none"}, _form(state, who), {} if host else {"display": "none"}

    @app.callback(Output("room-head", "children"), Output("room-body", "children"), Output("room-clock-del", "data", allow_duplicate=True),
                  Input("room-seen-del", "data"), Input("room-me", "data"), State("room-code-del", "data"),
                  prevent_initial_call="initial_duplicate")
    def _draw(_, me, code):
        found = mine(me, code)
        if found is None:
            loaded = rooms.load(code)
            title = f"Room {code}" + (f" · {loaded[1]['name']}" if loaded else "")
            return html.H2(title, className="a6-page-title"), None, None
        version, state, outcome, who = found
        d = state["delegations"][who]
        head = html.Div([html.H2(f"{d['name']} ({who})", className="a6-page-title", id="room-who"),
                         html.Div(f"Room {code} · {state['name']} · "
                                  f"{'host delegation' if d['host'] else 'buyer delegation'}", className="a6-subtitle")])
        body = html.Div([html.H3("Offers"), _offers(state, who), _panel(state, outcome, who)])
        return head, body, clock_data(state, version, time.time())

    form_states = [State(f"room-f-{f}", "value") for f in FORM_FIELDS]

    @app.callback(Output("room-msg", "children", allow_duplicate=True), Output("room-seen-del", "data", allow_duplicate=True),
                  Output("room-counter", "data", allow_duplicate=True),
                  Output("room-form-card", "style", allow_duplicate=True),
                  Input("room-f-send", "n_clicks"), State("room-me", "data"), State("room-code-del", "data"),
                  State("room-counter", "data"), *form_states, prevent_initial_call=True)
    def _send(n, me, code, counter, *values):
        if not n or not me:
            raise dash.exceptions.PreventUpdate
        v = dict(zip(FORM_FIELDS, values))
        to = None if v["to"] in (None, "*") else v["to"]
        try:
            version, state, _ = perform(rooms, code, "make_offer", delegation=me.get("delegation"),
                                        code=me.get("code"), to=to, terms=_terms(v), counter_of=counter)
        except ra.Refused as exc:
            return refused(str(exc)), dash.no_update, dash.no_update, dash.no_update
        except LookupError:
            return refused("This room is no longer there."), dash.no_update, dash.no_update, dash.no_update
        host = state["delegations"][me["delegation"]]["host"]
        return (done(state["log"][-1]["text"]), version, None,
                dash.no_update if host else {"display": "none"})

    @app.callback(Output("room-msg", "children", allow_duplicate=True), Output("room-seen-del", "data", allow_duplicate=True),
                  Input({"type": "room-act", "offer": ALL, "do": ALL}, "n_clicks"),
                  State("room-me", "data"), State("room-code-del", "data"), prevent_initial_call=True)
    def _answer(clicks, me, code):
        t = dash.ctx.triggered_id
        if not t or not dash.ctx.triggered[0]["value"] or not me or t["do"] not in ("accept", "decline", "withdraw"):
            raise dash.exceptions.PreventUpdate
        try:
            if t["do"] == "withdraw":
                version, state, _ = perform(rooms, code, "withdraw", delegation=me.get("delegation"),
                                            code=me.get("code"), offer_id=t["offer"])
            else:
                version, state, _ = perform(rooms, code, "respond", delegation=me.get("delegation"),
                                            code=me.get("code"), offer_id=t["offer"], answer=t["do"])
        except ra.Refused as exc:
            return refused(str(exc)), dash.no_update
        except LookupError:
            return refused("This room is no longer there."), dash.no_update
        return done(state["log"][-1]["text"]), version

    @app.callback(Output("room-preview", "children"),
                  Input({"type": "room-act", "offer": ALL, "do": "preview"}, "n_clicks"),
                  Input("room-f-preview", "n_clicks"), State("room-me", "data"), State("room-code-del", "data"),
                  State("room-counter", "data"), *form_states, prevent_initial_call=True)
    def _preview(clicks, form_click, me, code, counter, *values):
        t = dash.ctx.triggered_id
        found = mine(me, code)
        if not t or not dash.ctx.triggered[0]["value"] or found is None:
            raise dash.exceptions.PreventUpdate
        _, state, _, who = found
        try:
            if t == "room-f-preview":
                v = dict(zip(FORM_FIELDS, values))
                base = state["offers"].get(counter) if counter else None
                seller = base["seller"] if base else who
                buyer = (base["buyer"] or base["from"]) if base else (None if v["to"] in (None, "*") else v["to"])
                if base and seller == who:
                    buyer = base["from"] if base["from"] != who else base["buyer"]
                if base and seller != who:
                    buyer = who
                if buyer is None:
                    return dbc.Alert("Address the offer to a delegation to see what it does to you both; an offer "
                                     "to every delegation is shown for the one who signs it.", color="info")
                offer = {"seller": seller, "terms": _terms(v)}
                title = "If this offer is signed"
            else:
                offer = state["offers"].get(t["offer"])
                if offer is None or offer not in ra.visible_offers(state, who):
                    raise ra.Refused("no such offer for this delegation")
                buyer = offer["buyer"] or who
                title = f"If you sign this offer from {state['delegations'][offer['from']]['name']}"
            p = rs.preview(state, ra.offer_agreement(state, offer, buyer), who)
        except ra.Refused as exc:
            return refused(str(exc))
        return _preview_card(p, state, title + f" ({round_label(state)})")

    @app.callback(Output("room-counter", "data"), Output("room-form-card", "style", allow_duplicate=True),
                  Output("room-form-title", "children"), Output("room-f-cancel", "style"),
                  Output("room-f-activity", "options"),
                  *[Output(f"room-f-{f}", "value", allow_duplicate=True) for f in FORM_FIELDS],
                  Input({"type": "room-act", "offer": ALL, "do": "counter"}, "n_clicks"),
                  State("room-me", "data"), State("room-code-del", "data"), prevent_initial_call=True)
    def _counter(clicks, me, code):
        t = dash.ctx.triggered_id
        found = mine(me, code)
        if not t or not dash.ctx.triggered[0]["value"] or found is None:
            raise dash.exceptions.PreventUpdate
        _, state, _, who = found
        o = state["offers"].get(t["offer"])
        if o is None or o not in ra.visible_offers(state, who):
            raise dash.exceptions.PreventUpdate
        tm = o["terms"]
        values = [o["from"], tm["activity"], tm["vintages"][0], tm["vintages"][1], tm["mode"],
                  tm["share"] if tm["mode"] == "share" else tm["quantity"], tm["price"],
                  round(tm["sop_units"] * 100, 6), round(tm["sop_value"] * 100, 6), round(tm["omge"] * 100, 6),
                  tm["purpose"], tm["first_transfer"]]
        title = f"Counter the offer of {state['delegations'][o['from']]['name']} (change the terms, then Send)"
        activity = [{"label": tm["activity"], "value": tm["activity"]}]
        return (o["id"], {}, title, {}, activity, *values)

    @app.callback(Output("room-counter", "data", allow_duplicate=True),
                  Output("room-form-card", "style", allow_duplicate=True),
                  Output("room-form-title", "children", allow_duplicate=True),
                  Output("room-f-cancel", "style", allow_duplicate=True),
                  Input("room-f-cancel", "n_clicks"), State("room-me", "data"), State("room-code-del", "data"),
                  prevent_initial_call=True)
    def _cancel(n, me, code):
        found = mine(me, code)
        if not n or found is None:
            raise dash.exceptions.PreventUpdate
        host = found[1]["delegations"][found[3]]["host"]
        return None, {} if host else {"display": "none"}, "Offer ITMOs", {"display": "none"}
