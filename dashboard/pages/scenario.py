"""Scenario page: pick or upload a scenario, edit its levers, run it, download it."""
from __future__ import annotations

import time
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

import a6sim
from a6sim.scenario.errors import SweepFileError

from .. import levers as lv
from ..bundled import Library, UploadError, decode_upload, validate_text
from ..components import graph, records_table
from ..runs import RunStore
from ..views.ndc import attainment_records, ndc_figure
from ..views.style import quantity

__all__ = ["layout", "register", "session_base", "edited_scenario", "page_overrides", "run_inputs", "PROGRESS_SHOWN",
           "PROGRESS_HIDDEN"]
MAX_RUNS = 12   # runs remembered per session (for the compare page)
MAX_GROUPS = 40  # lever groups drawn per section: a 1,500-agreement world would freeze the browser
# a run's progress bar: shown while the run goes on, hidden before and after (an empty grey bar
# left on the page after a run read as a run that never started)
PROGRESS_SHOWN = {"height": "1.4rem"}
PROGRESS_HIDDEN = {"height": "1.4rem", "display": "none"}


def session_base(base: dict | None, library: Library) -> dict:
    """The session's scenario text; a new session starts on the library's default."""
    if base and base.get("text"):
        return base
    return {"file": library.default, "origin": "bundled", "text": library.text(library.default)}


def edited_scenario(base: dict, overrides: dict | None, seed=None,
                    validate=validate_text) -> tuple[str, a6sim.Scenario]:
    """The edited text and its validated scenario; raises ``a6sim.ScenarioError`` as validate does."""
    overrides = overrides or {}
    text = lv.edited_text(base["text"], overrides, base["file"])
    source = base["file"] if not overrides else f"{Path(base['file']).stem}-edited.yaml"
    scenario = validate(text, source)
    if seed is not None and seed != scenario.seed:
        scenario = scenario.with_seed(int(seed))
    return text, scenario


def page_overrides(levers: list, previous: dict | None, ids: list, values: list) -> dict:
    """The overrides the levers on the page say: ``previous`` kept for levers not on the
    page (a section drawn only in part), the page's values for the rest (only those
    that differ from the file)."""
    known = {lever.id for lever in levers}
    overrides = {k: v for k, v in (previous or {}).items() if k in known and k not in ids}
    overrides.update(lv.changed_overrides(levers, dict(zip(ids, values))))
    return overrides


def run_inputs(base: dict, overrides: dict | None, seed, pick, ids: list, values: list,
               library: Library) -> tuple[dict, dict, object]:
    """What a click on Run runs: ``(base, overrides, seed)`` as the page shows them.

    The stores ``base`` and ``overrides`` are written by callbacks of their own, a
    round trip behind the page. A click that comes first must not run what the page
    showed before: a bundled file picked whose scenario has not loaded yet is run as
    the file (no edits, its own seed), and a lever typed into and not yet confirmed
    (the click on Run is what took the focus off it) is run with its new value."""
    base = session_base(base, library)
    if pick and (base["origin"] != "bundled" or base["file"] != pick):
        return {"file": pick, "origin": "bundled", "text": library.text(pick)}, {}, None
    if not ids:   # no lever on the page: nothing can be pending
        return base, overrides or {}, seed
    levers = lv.levers_of(library.validate(base["text"], base["file"]))
    return base, page_overrides(levers, overrides, ids, values), seed


# --- layout -------------------------------------------------------------------------------------
def _lever_widget(lever: lv.Lever, value):
    wid = {"type": "lever", "id": lever.id}
    if lever.kind == "switch":
        widget = dbc.Switch(id=wid, value=bool(value), label="on")
    elif lever.kind == "choice":
        options = ([{"label": lv.DEFAULT_CHOICE, "value": lv.DEFAULT_CHOICE}] if lever.optional else []) + [
            {"label": o, "value": o} for o in lever.options]
        widget = dbc.Select(id=wid, options=options, value=lv.DEFAULT_CHOICE if value is None else value)
    else:
        placeholder = "none" if lever.field == "cap" else ("by year, as in the file" if lever.optional else "")
        step = 0.01 if lever.maximum == 1 else "any"
        widget = dbc.Input(id=wid, type="number", value=value, min=lever.minimum, max=lever.maximum,
                           step=step, placeholder=placeholder, debounce=True)
    label_id = f"lever-label-{lever.id.replace('/', '-')}"
    return dbc.Row([
        dbc.Label(html.Span([lever.label, html.Span(f" ({lever.unit})", className="a6-lever-unit")
                             if lever.unit else None], title=f"{lever.field} in the file", id=label_id),
                  width=5, className="a6-lever-label"),
        dbc.Col([widget, dbc.FormText(lever.help, className="a6-lever-help")], width=7),
    ], className="mb-2")


def levers_panel(scenario: a6sim.Scenario, overrides: dict) -> html.Div:
    """The lever widgets of a scenario, grouped per agreement, party and setting."""
    groups: dict[tuple, list] = {}
    for lever in lv.levers_of(scenario):
        groups.setdefault((lever.group, lever.owner), []).append(lever)
    titles = {"agreements": "Agreement", "parties": "Party", "settings": "Settings"}
    model = scenario.model
    items = []
    drawn: dict[str, int] = {}
    for (group, owner), members in groups.items():
        drawn[group] = drawn.get(group, 0) + 1
        if drawn[group] > MAX_GROUPS:
            continue
        if group == "agreements":
            ag = model.agreements[owner]
            title = f"Agreement {owner}: {ag.seller} → {ag.buyer}"
        elif group == "parties":
            title = f"Party {owner}: {model.parties[owner].name}"
        else:
            title = titles[group]
        widgets = [_lever_widget(l, overrides.get(l.id, l.value)) for l in members]
        items.append(dbc.AccordionItem(widgets, title=title, item_id=f"{group}/{owner}"))
    # a small scenario opens every group; a big one opens the first
    opened = [i.item_id for i in items] if len(items) <= 6 else [items[0].item_id]
    hidden = {g: n - MAX_GROUPS for g, n in drawn.items() if n > MAX_GROUPS}
    note = [dbc.Alert("Levers shown for the first " + " and ".join(
        f"{MAX_GROUPS} {g}" for g in hidden) + " of this scenario; edit the file for the others ("
        + ", ".join(f"{n} more {g}" for g, n in hidden.items()) + ").", color="secondary")] if hidden else []
    return html.Div([*note, dbc.Accordion(items, always_open=True, active_item=opened, flush=True)])


def _pick_options(library: Library) -> list[dict]:
    return [{"label": f"{s['name']} ({s['file']})", "value": s["file"]} for s in library.entries()]


def layout(library: Library, base, overrides, runs, tables) -> html.Div:
    base = session_base(base, library)
    overrides = overrides or {}
    try:
        _, sc = edited_scenario(base, {}, validate=library.validate)
        panel = levers_panel(sc, overrides)
        description = sc.model.description
        seed = sc.seed
    except a6sim.ScenarioError as exc:   # an upload that failed after a6sim changed: say so
        panel, description, seed = dbc.Alert(html.Pre(str(exc)), color="danger"), "", 0
    pick = base["file"] if base["origin"] == "bundled" else None
    return html.Div([
        dbc.Row([
            dbc.Col([
                dbc.Card([dbc.CardHeader("1 · Scenario"), dbc.CardBody([
                    dbc.Label("Bundled example", html_for="scenario-pick"),
                    dcc.Dropdown(id="scenario-pick", options=_pick_options(library), value=pick, clearable=False,
                                 placeholder=f"uploaded: {base['file']}" if pick is None else None),
                    dcc.Upload(id="scenario-upload", children=html.Div(
                        ["or drop a scenario YAML here, or ", html.A("choose a file"), " (at most 1 MB)"]),
                        className="a6-upload mt-3", multiple=False),
                    html.Div(id="upload-error", className="mt-2"),
                    html.P(description, id="scenario-description", className="a6-description mt-3"),
                ])], className="mb-3"),
                dbc.Card([dbc.CardHeader("3 · Run"), dbc.CardBody([
                    dbc.Row([dbc.Label("Seed", width=4, html_for="seed"),
                             dbc.Col(dbc.Input(id="seed", type="number", min=0, step=1, value=seed), width=8)],
                            className="mb-3"),
                    dbc.Button("Run scenario", id="run-button", color="primary", size="lg", className="w-100"),
                    # shown only while a run goes on (see ``running`` of the run callback)
                    dbc.Progress(id="run-progress", value=0, className="mt-3", style=PROGRESS_HIDDEN),
                    html.Div(id="edit-status", className="mt-3"),
                    dbc.Button("Download edited scenario (YAML)", id="download-yaml-button", color="secondary",
                               outline=True, className="w-100 mt-2"),
                    dcc.Download(id="download-yaml"),
                ])], className="mb-3"),
            ], lg=4),
            dbc.Col([
                dbc.Card([dbc.CardHeader("2 · Levers"), dbc.CardBody(html.Div(panel, id="levers"))],
                         className="mb-3"),
            ], lg=8),
        ]),
        html.Div(run_panel(tables, runs), id="run-result"),
    ])


def run_panel(tables, runs) -> html.Div:
    """After a run: its attainment, a chart per party with an NDC, and where to look next."""
    if tables is None:
        return html.Div()
    with_ndc = [p for p in tables.attainment["party"].tolist()][:4]
    units = getattr(tables, "units", "tCO2e") or "tCO2e"
    adjusts = getattr(tables, "adjusts", None) or {}
    charts = [dbc.Col(graph(ndc_figure(tables.balances, p, units, adjusts.get(p, True)), height=460), lg=6)
              for p in with_ndc]
    s = tables.summary
    q = lambda key: quantity(s.get(key, 0), units)   # noqa: E731
    headline = (f"Issued {q('issued')} · first transferred {q('first_transferred')} · used {q('used')}"
                f" · OMGE {q('omge_cancelled')} · double claimed {q('double_claimed')}"
                + (f" · claimed twice in a target year {q('target_year_double_claimed')}"
                   if s.get("target_year_double_claimed") else ""))
    n_runs = len(runs or [])
    return dbc.Card([dbc.CardHeader(f"Results: {tables.name} (seed {tables.seed})"), dbc.CardBody([
        html.P(headline, className="a6-headline"),
        records_table(attainment_records(tables.attainment, units=units), numeric=("target", "balance", "gap"),
                      id="attainment-table"),
        dbc.Row(charts, className="g-3"),
        html.Div([dbc.Button(label, href=path, color="link") for path, label in (
            ("/ndc", "NDC accounts"), ("/integrity", "Integrity"), ("/units", "Units"), ("/money", "Money"),
            ("/network", "Network"), ("/ledger", "Ledger"))] + (
            [dbc.Button("Compare the last two runs", href="/compare", color="primary", outline=True)]
            if n_runs >= 2 else []), className="mt-2"),
    ])], className="mb-3")


# --- callbacks ----------------------------------------------------------------------------------
def register(app: dash.Dash, store: RunStore, library: Library) -> None:
    @app.callback(Output("base", "data"), Output("overrides", "data"), Output("upload-error", "children"),
                  Output("levers", "children"), Output("scenario-description", "children"),
                  Output("seed", "value"), Output("scenario-pick", "value"),
                  Input("scenario-pick", "value"), Input("scenario-upload", "contents"),
                  State("scenario-upload", "filename"), State("base", "data"), prevent_initial_call=True)
    def _choose(pick, contents, filename, base):
        base = session_base(base, library)
        if dash.ctx.triggered_id == "scenario-upload":
            if not contents:
                raise dash.exceptions.PreventUpdate
            filename = Path(filename or "upload.yaml").name
            try:
                text = decode_upload(contents, filename)
                sc = library.validate(text, filename)
            except UploadError as exc:
                return dash.no_update, dash.no_update, _error(str(exc)), *(dash.no_update,) * 4
            except a6sim.ScenarioError as exc:
                text = str(exc) + ("\n(here: upload it on the Explore page, which runs it)"
                                   if isinstance(exc, SweepFileError) else "")
                return dash.no_update, dash.no_update, _error(text), *(dash.no_update,) * 4
            new = {"file": filename, "origin": "upload", "text": text}
        else:
            if not pick or (pick == base["file"] and base["origin"] == "bundled"):
                raise dash.exceptions.PreventUpdate
            text = library.text(pick)
            sc = library.validate(text, pick)
            new = {"file": pick, "origin": "bundled", "text": text}
        pick = pick if new["origin"] == "bundled" else None
        return new, {}, None, levers_panel(sc, {}), sc.model.description, sc.seed, pick

    @app.callback(Output("overrides", "data", allow_duplicate=True), Output("edit-status", "children"),
                  Input({"type": "lever", "id": ALL}, "value"), State("base", "data"),
                  State("overrides", "data"), prevent_initial_call="initial_duplicate")
    def _edit(values, base, previous):
        base = session_base(base, library)
        ids = [i["id"]["id"] for i in dash.ctx.inputs_list[0]]
        levers = lv.levers_of(library.validate(base["text"], base["file"]))
        overrides = page_overrides(levers, previous, ids, values)
        try:
            if overrides:   # the file itself was validated just above
                edited_scenario(base, overrides, validate=library.validate)
        except a6sim.ScenarioError as exc:
            return overrides, _error(str(exc))
        label = lv.describe_overrides(overrides)
        return overrides, dbc.Alert(f"Valid · {label}", color="success", className="a6-status")

    @app.callback(Output("download-yaml", "data"), Input("download-yaml-button", "n_clicks"),
                  State("base", "data"), State("overrides", "data"), prevent_initial_call=True)
    def _download_yaml(_, base, overrides):
        base = session_base(base, library)
        text = lv.edited_text(base["text"], overrides or {}, base["file"])
        name = base["file"] if not overrides else f"{Path(base['file']).stem}-edited.yaml"
        return dcc.send_string(text, name)

    # A click becomes a run request in the shell. The run callback listens to the request,
    # not the button: Dash fires callbacks of a freshly inserted button even with
    # prevent_initial_call when their outputs sit outside the page, and opening the page
    # must not start a run.
    @app.callback(Output("run-request", "data"), Input("run-button", "n_clicks"), prevent_initial_call=True)
    def _request(n_clicks):
        if not n_clicks:
            raise dash.exceptions.PreventUpdate
        return {"clicks": n_clicks, "at": time.time()}

    @app.callback(Output("current", "data"), Output("runs", "data"), Output("run-result", "children"),
                  Input("run-request", "data"),
                  State("base", "data"), State("overrides", "data"), State("seed", "value"),
                  State("runs", "data"), State("scenario-pick", "value"),
                  State({"type": "lever", "id": ALL}, "id"), State({"type": "lever", "id": ALL}, "value"),
                  background=True, interval=250, prevent_initial_call=True,
                  running=[(Output("run-button", "disabled"), True, False),
                           (Output("run-button", "children"), "Running…", "Run scenario"),
                           (Output("run-progress", "style"), PROGRESS_SHOWN, PROGRESS_HIDDEN)],
                  progress=[Output("run-progress", "value"), Output("run-progress", "label")],
                  progress_default=[0, ""])
    def _run(set_progress, request, base, overrides, seed, runs, pick, lever_ids, lever_values):
        if not request:
            raise dash.exceptions.PreventUpdate
        try:
            base, overrides, seed = run_inputs(base, overrides, seed, pick, [i["id"] for i in lever_ids or []],
                                               lever_values or [], library)
            _, sc = edited_scenario(base, overrides, seed, validate=library.validate)
        except a6sim.ScenarioError as exc:
            return dash.no_update, dash.no_update, _error(str(exc))
        first = sc.model.period.start

        def progress(year, last):
            set_progress((round(100 * (year - first + 1) / (last - first + 1)), f"{year}"))

        try:
            tables = store.run(sc, progress)
        except Exception as exc:   # never silence: say what went wrong and what to do
            return dash.no_update, dash.no_update, run_failed(sc, exc)
        set_progress((100, "done"))
        label = f"{sc.name} · {lv.describe_overrides(overrides or {})} · seed {sc.seed}"
        runs = [r for r in (runs or []) if r["key"] != tables.key] + [{"key": tables.key, "label": label}]
        runs = runs[-MAX_RUNS:]
        return tables.key, runs, run_panel(tables, runs)


def run_failed(sc: a6sim.Scenario, exc: BaseException) -> dbc.Alert:
    """The page's message for a run that failed after its scenario validated."""
    return dbc.Alert([
        html.H5("The run failed", className="alert-heading"),
        html.P(f"{sc.name} (seed {sc.seed}) was valid, but simulating it stopped with an error:"),
        html.Pre(f"{type(exc).__name__}: {exc}", className="a6-error mb-2"),
        html.P("What to do: download the scenario (Download YAML), run it with `a6sim run FILE --out DIR` "
               "to see the whole report, change the lever you moved last, or report the file with this "
               "message to the maintainers.", className="mb-0"),
    ], color="danger", className="a6-error-box", id="run-error")


def _error(message: str) -> dbc.Alert:
    return dbc.Alert(html.Pre(message, className="a6-error mb-0"), color="danger", className="a6-error-box")
