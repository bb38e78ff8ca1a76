"""The facilitator's page (``/room``): make a room, hand out the codes, run the rounds,
inject events, download the room's scenario and results.

The facilitator's room and code live in the tab's session storage (``room-fac``), so a
reload is back on the same room; every action sends the code and the server checks it.
"""
from __future__ import annotations

import time

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

import a6sim
from a6sim.resources import EXAMPLES_DIR

from ..bundled import UploadError, bundled_scenarios, decode_upload
from ..components import page_title, records_table
from . import actions as ra
from . import scenario as rs
from .common import clock_data, clock_line, done, poller, refused
from .service import create_room, perform

__all__ = ["layout", "register", "ROOM_SCENARIOS"]

ROOM_SCENARIOS = EXAMPLES_DIR / "rooms"


def _choices(library) -> list[dict]:
    rooms = [{"label": f"Room: {e['name']}", "value": f"rooms/{e['file']}"} for e in bundled_scenarios(ROOM_SCENARIOS)]
    files = [{"label": f"{e['name']} (its agreements are left out)", "value": e["file"]} for e in library.entries()]
    return rooms + files


def _text(library, choice: str) -> str:
    if choice.startswith("rooms/"):
        name = choice.split("/", 1)[1]
        if name not in {e["file"] for e in bundled_scenarios(ROOM_SCENARIOS)}:
            raise FileNotFoundError(choice)
        return (ROOM_SCENARIOS / name).read_text(encoding="utf-8")
    return library.text(choice)


def layout(library) -> html.Div:
    choices = _choices(library)
    return html.Div([
        dcc.Store(id="room-fac", storage_type="session"),
        *poller(None, "fac"),
        page_title("Workshop room", "Delegations negotiate Article 6 deals on their laptops; the big screen "
                                    "shows every party's NDC account respond."),
        html.Div(id="room-fac-setup", children=dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader("Make a room"), dbc.CardBody([
                dbc.Label("Scenario", html_for="room-pick"),
                dcc.Dropdown(id="room-pick", options=choices, value=choices[0]["value"], clearable=False),
                dcc.Upload(html.Div(["or drop a scenario file here (YAML)"]), id="room-upload",
                           className="a6-upload mt-2", accept=".yaml,.yml"),
                html.Div(id="room-upload-name", className="a6-subtitle"),
                dbc.Label("Minutes per round", html_for="room-minutes", className="mt-2"),
                dbc.Input(id="room-minutes", type="number", min=1, max=240, value=10),
                dbc.Button("Make the room", id="room-create", color="primary", size="lg", className="mt-3"),
            ])]), lg=6, className="mb-3"),
            dbc.Col(dbc.Card([dbc.CardHeader("Open a room I run"), dbc.CardBody([
                dbc.Label("Room code", html_for="room-open-code"),
                dbc.Input(id="room-open-code", placeholder="e.g. KXRTA", autocomplete="off"),
                dbc.Label("Facilitator code", html_for="room-open-secret", className="mt-2"),
                dbc.Input(id="room-open-secret", type="password", autocomplete="off"),
                dbc.Button("Open", id="room-open", color="secondary", size="lg", className="mt-3"),
            ])]), lg=6, className="mb-3"),
        ])),
        html.Div(id="room-fac-msg"),
        clock_line("fac"),
        html.Div(id="room-fac-body"),
        _event_card(),
        dcc.Download(id="room-download"),
    ], className="a6-room")


def _controls(state: dict, outcome: dict, version: int) -> html.Div:
    code = state["code"]
    phase = state["phase"]
    rows = [{"Delegation": f"{d['name']} ({k})", "Role": "host" if d["host"] else "buyer",
             "Join code": d["code"], "Joined": "yes" if d["joined"] else "not yet"}
            for k, d in state["delegations"].items()]
    deals = [{"Deal": d["number"], "Seller": d["seller"], "Buyer": d["buyer"], "Activity": d["terms"]["activity"],
              "Vintages": "-".join(map(str, d["terms"]["vintages"])), "Round": d["round"] + 1}
             for d in state["deals"].values()]
    return html.Div([
        dbc.Alert([html.Div(["Room code ", html.Strong(code, className="a6-room-code", id="room-fac-code"),
                             " · participants open ", html.Code(f"/room/{code}"),
                             " · the big screen: ", dcc.Link(f"/room/{code}/screen", href=f"/room/{code}/screen",
                                                             target="_blank")]),
                   html.Div(f"{state['name']} · {len(state['deals'])} deal{'' if len(state['deals']) == 1 else 's'} signed",
                            className="a6-subtitle")],
                  color="primary"),
        dbc.Card([dbc.CardHeader("Rounds"), dbc.CardBody([
            html.Div([
                dbc.Button("Start round 1" if phase == "setup" else "Start the next round", id="room-start",
                           color="success", size="lg", disabled=not (phase == "setup" or (
                               phase == "closed" and state["round"] + 1 < len(state["rounds"])))),
                dbc.Button("Pause", id="room-pause", color="warning", size="lg", disabled=phase != "open"),
                dbc.Button("Resume", id="room-resume", color="success", size="lg", disabled=phase != "paused"),
                dbc.Button("End the round and simulate", id="room-end", color="danger", size="lg",
                           disabled=phase not in ("open", "paused")),
                dbc.Button("Reopen the round", id="room-reopen", color="secondary", size="lg",
                           disabled=phase not in ("closed", "ended")),
                dbc.Button("+5 minutes", id="room-more", color="secondary", size="lg",
                           disabled=phase not in ("open", "paused")),
            ], className="d-flex flex-wrap gap-2"),
            html.P(" · ".join(f"round {i + 1}: {r['first']}-{r['last']}" for i, r in enumerate(state["rounds"])),
                   className="a6-subtitle mt-2 mb-0"),
        ])], className="mb-3"),
        dbc.Card([dbc.CardHeader("Delegations and their codes (hand each one its own)"),
                  dbc.CardBody(records_table(rows, id="room-codes"))], className="mb-3"),
        dbc.Card([dbc.CardHeader("Deals"), dbc.CardBody(records_table(deals))], className="mb-3"),
        html.Div([dbc.Button("Room scenario (YAML)", id="room-yaml", color="light", className="me-2"),
                  dbc.Button("Room results (zip)", id="room-zip", color="light", className="me-2"),
                  dbc.Button("Leave this room (make or open another)", id="room-leave", color="light")],
                 className="mb-3"),
    ])


def _event_card() -> html.Div:
    """The event form: drawn once (what is typed stays), its lists follow the room."""
    return html.Div(dbc.Card([dbc.CardHeader("Inject an event"), dbc.CardBody(dbc.Row([
        dbc.Col([dbc.Label("Event", html_for="room-ev-type"),
                 dcc.Dropdown(id="room-ev-type", options=[{"label": v, "value": k} for k, v in ra.EVENT_TYPES.items()],
                              value="wildfire", clearable=False)], md=4),
        dbc.Col([dbc.Label("Activity or deal", html_for="room-ev-target"),
                 dcc.Dropdown(id="room-ev-target", options=[])], md=4),
        dbc.Col([dbc.Label("Year", html_for="room-ev-year"), dbc.Input(id="room-ev-year", type="number")], md=2),
        dbc.Col([dbc.Label("Tonnes, share or factor", html_for="room-ev-size"),
                 dbc.Input(id="room-ev-size", type="number", value=0.3)], md=2),
        dbc.Col(html.P("Wildfire: tonnes reversed (scenario units) · shortfall: share of the outcome lost from "
                       "that vintage · price shock: factor on signed deals' prices from that year · "
                       "revocation: of a signed deal's authorisation", className="a6-subtitle mt-2 mb-0"), md=9),
        dbc.Col(dbc.Button("Inject", id="room-inject", color="danger", size="lg", className="mt-2"), md=3),
    ]))], className="mb-3"), id="room-fac-events", style={"display": "none"})


def _event_options(state: dict) -> list[dict]:
    acts = rs.base_data(state["scenario_text"]).get("activities", {})
    return ([{"label": f"activity {a}", "value": a} for a in acts]
            + [{"label": f"deal {d['agreement_id']}", "value": d["agreement_id"]} for d in state["deals"].values()])


def register(app, rooms, library) -> None:
    def body_of(fac):
        if not fac:
            return None, None
        loaded = rooms.load(fac.get("room"))
        if loaded is None:
            return None, "This room is no longer there (expired or never made)."
        version, state, outcome = loaded
        try:
            ra.check_facilitator(state, fac.get("code"))
        except ra.Refused as exc:
            return None, str(exc)
        return (version, state, outcome), None

    @app.callback(Output("room-upload-name", "children"), Input("room-upload", "filename"),
                  prevent_initial_call=True)
    def _upload_name(name):
        return f"uploaded: {name}" if name else ""

    @app.callback(Output("room-fac", "data"), Output("room-fac-msg", "children"),
                  Input("room-create", "n_clicks"), State("room-pick", "value"), State("room-upload", "contents"),
                  State("room-upload", "filename"), State("room-minutes", "value"), prevent_initial_call=True)
    def _create(n, pick, contents, filename, minutes):
        if not n:
            raise dash.exceptions.PreventUpdate
        try:
            if contents:
                text, source = decode_upload(contents, filename or "upload.yaml"), filename or "upload.yaml"
            else:
                text, source = _text(library, pick), pick.split("/")[-1]
            state = create_room(rooms, text, source, minutes=float(minutes or 0))
        except (a6sim.ScenarioError, UploadError, ra.Refused, FileNotFoundError) as exc:
            return dash.no_update, dbc.Alert(html.Pre(str(exc), className="a6-error"), color="danger")
        return {"room": state["code"], "code": state["facilitator_code"]}, done(
            f"Room {state['code']} is ready: give each delegation its code, then start round 1.")

    @app.callback(Output("room-fac", "data", allow_duplicate=True), Output("room-fac-msg", "children", allow_duplicate=True),
                  Input("room-open", "n_clicks"), State("room-open-code", "value"), State("room-open-secret", "value"),
                  prevent_initial_call=True)
    def _open(n, code, secret):
        if not n:
            raise dash.exceptions.PreventUpdate
        fac = {"room": (code or "").strip().upper(), "code": (secret or "").strip()}
        _, problem = body_of(fac)
        if problem:
            return dash.no_update, refused(problem)
        return fac, done(f"Room {fac['room']} opened.")

    @app.callback(Output("room-code-fac", "data"), Input("room-fac", "data"))
    def _code(fac):
        return (fac or {}).get("room")

    @app.callback(Output("room-fac-body", "children"), Output("room-clock-fac", "data", allow_duplicate=True),
                  Output("room-fac-events", "style"), Output("room-ev-target", "options"),
                  Output("room-fac-setup", "style"),
                  Input("room-seen-fac", "data"), Input("room-fac", "data"), prevent_initial_call="initial_duplicate")
    def _draw(_, fac):
        found, problem = body_of(fac)
        if found is None:
            return (dbc.Alert(problem, color="warning") if problem else None), None, {"display": "none"}, [], {}
        version, state, outcome = found
        return (_controls(state, outcome, version), clock_data(state, version, time.time()), {},
                _event_options(state), {"display": "none"})

    @app.callback(Output("room-fac-msg", "children", allow_duplicate=True), Output("room-seen-fac", "data", allow_duplicate=True),
                  Input("room-start", "n_clicks"), Input("room-pause", "n_clicks"), Input("room-resume", "n_clicks"),
                  Input("room-end", "n_clicks"), Input("room-reopen", "n_clicks"), Input("room-more", "n_clicks"),
                  Input("room-inject", "n_clicks"),
                  State("room-fac", "data"), State("room-ev-type", "value"), State("room-ev-target", "value"),
                  State("room-ev-year", "value"), State("room-ev-size", "value"), prevent_initial_call=True)
    def _act(*args):
        fac, ev_type, target, year, size = args[-5:]
        trigger = dash.ctx.triggered_id
        if not trigger or not dash.ctx.triggered[0]["value"] or not fac:
            raise dash.exceptions.PreventUpdate
        name, fields = {"room-start": ("start_round", {}), "room-pause": ("pause", {}),
                        "room-resume": ("resume", {}), "room-end": ("end_round", {}),
                        "room-reopen": ("reopen", {"minutes": 5}), "room-more": ("add_time", {"minutes": 5}),
                        "room-inject": ("inject", {"event": _event(ev_type, target, year, size)})}[trigger]
        try:
            version, state, _ = perform(rooms, fac.get("room"), name, code=fac.get("code"), **fields)
        except ra.Refused as exc:
            return refused(str(exc)), dash.no_update
        except LookupError:
            return refused("This room is no longer there."), dash.no_update
        return done(state["log"][-1]["text"] if state["log"] else "done"), version

    @app.callback(Output("room-fac", "data", allow_duplicate=True), Input("room-leave", "n_clicks"),
                  prevent_initial_call=True)
    def _leave(n):
        if not n:
            raise dash.exceptions.PreventUpdate
        return None

    @app.callback(Output("room-download", "data"), Input("room-yaml", "n_clicks"), Input("room-zip", "n_clicks"),
                  State("room-fac", "data"), prevent_initial_call=True)
    def _download(a, b, fac):
        found, _ = body_of(fac)
        if found is None or not dash.ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        state = found[1]
        if dash.ctx.triggered_id == "room-yaml":
            return dict(content=rs.scenario_yaml(state), filename=f"room-{state['code']}.yaml")
        return dcc.send_bytes(rs.results_zip(state), f"room-{state['code']}-results.zip")


def _event(kind, target, year, size) -> dict:
    ev = {"type": kind, "year": year}
    if kind in ("wildfire", "shortfall"):
        ev["activity"] = target
        ev["quantity" if kind == "wildfire" else "share"] = size
    elif kind == "revocation":
        ev["agreement"] = target
    else:
        ev["factor"] = size
    return ev
