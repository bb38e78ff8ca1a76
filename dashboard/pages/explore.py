"""Explore page: run a bundled sweep or a sweep file of one's own (in the background, with
progress) or load a sweep's result folder, and see the spread of outcomes: probability of
meeting per grid point, fan charts of each party's emissions balance, the distribution of
each gap, and what moves an outcome (tornado, or SALib's indices).

An uploaded sweep (and the scenario it names, when that is not a bundled example) is
kept in the dashboard's own temporary folder (:mod:`..sweep_uploads`), checked with the
messages of ``a6sim sweep``, and then offered in the Sweep menu like a bundled one."""
from __future__ import annotations

from math import prod

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from a6sim.experiments import SweepError
from a6sim.experiments.executors import default_workers
from a6sim.experiments.spec import with_runs
from a6sim.resources import SWEEP_DIR
from a6sim.scenario.errors import Issue

from ..components import graph, page_title
from ..explore_store import LoadError, MAX_DASHBOARD_RUNS, bundled_sweeps, get_sweep, load_zip, run_sweep, sweep_spec
from ..runs import RunStore
from ..sweep_uploads import PREFIX, SweepUploads
from .scenario import PROGRESS_HIDDEN, PROGRESS_SHOWN
from ..views import explore as ev

__all__ = ["layout", "register", "sensitivity_options", "sweep_options", "upload_report"]

_METHODS = (("none (Monte Carlo)", "none"), ("Sobol", "sobol"), ("Morris", "morris"))


def sensitivity_options(spec) -> list[dict]:
    """The Sensitivity choices for a sweep: Sobol and Morris rank the drawn inputs, so a sweep
    that draws none (``buffer_adequacy``: a hazard only) offers them disabled, with the reason."""
    drawn = bool(spec.model.uncertain)
    return [{"label": label if drawn or value == "none" else f"{label} (no uncertain input to rank)",
             "value": value, "disabled": not drawn and value != "none"} for label, value in _METHODS]

GRAPHS = ("explore-probability", "explore-fan", "explore-gaps", "explore-drivers")


def sweep_options(uploaded: list | None = None) -> list[dict]:
    """The Sweep menu: the bundled sweeps, then the session's uploaded sweeps that are valid."""
    options = [{"label": p.stem.replace("_", " "), "value": p.name} for p in bundled_sweeps()]
    return options + [{"label": f"yours: {c.name}", "value": c.value} for c in uploaded or [] if c.spec is not None]


def upload_report(checked: list, problems: list[str], kept: list[str]) -> list:
    """What the page says after an upload: every refused file, every sweep's report (as
    ``a6sim sweep`` prints it), for a valid sweep its size (as ``a6sim validate`` does), and
    the other files ``kept`` (scenarios for a sweep to name)."""
    out = [_error(p) for p in problems]
    for c in checked:
        if c.spec is None or c.error:
            out.append(_error(c.error))
        if c.spec is not None:
            m = c.spec.model
            points = prod(len(v) for v in m.levers.values())
            size = (f"sweep {m.name!r} of scenario {c.spec.scenario.name!r}, {points:,} grid point"
                    f"{'s' if points != 1 else ''} x {c.total // points:,} runs = {c.total:,} runs")
            out.append(dbc.Alert(
                f"{c.name}: ok: {size}; chosen in the Sweep menu above: Run sweep runs it" if not c.error else
                f"{c.name}: otherwise valid: {size}; in the Sweep menu above, to run with fewer runs per grid point",
                color="success" if not c.error else "warning", className="a6-status"))
    if kept:
        out.append(dbc.Alert(f"Kept {', '.join(kept)} for a sweep to name in `scenario:`"
                             + ("" if checked else "; now upload the sweep file") + ".",
                             color="info", className="a6-status"))
    return out


def _sweep_card() -> dbc.Card:
    options = sweep_options()
    first = options[0]["value"] if options else None
    return dbc.Card([dbc.CardHeader("Sweep"), dbc.CardBody([
        dcc.Store(id="explore-uploads", storage_type="session"),   # {'token': the session's upload folder}
        dbc.Label("Sweep", html_for="explore-pick"),
        dcc.Dropdown(id="explore-pick", options=options, value=first, clearable=False),
        html.P(id="explore-description", className="a6-subtitle mt-2 small"),
        dbc.Row([
            dbc.Col([dbc.Label("Runs per grid point", html_for="explore-runs"),
                     dbc.Input(id="explore-runs", type="number", min=1, max=MAX_DASHBOARD_RUNS, step=1)], xs=6),
            dbc.Col([dbc.Label("Sensitivity", html_for="explore-sensitivity"),
                     dcc.Dropdown(id="explore-sensitivity", clearable=False, value="none",
                                  options=[{"label": label, "value": value} for label, value in _METHODS])], xs=6),
        ], className="g-2"),
        html.Div(id="explore-size", className="small text-muted mt-1"),
        dbc.Button("Run sweep", id="explore-run", color="primary", className="mt-3"),
        dbc.Progress(id="explore-progress", value=0, className="mt-3", style=PROGRESS_HIDDEN),
        html.Hr(),
        dcc.Upload(id="explore-sweep-upload", children=html.Div([
            "Or run a sweep file of your own: ", html.A("choose its YAML"),
            " (with the scenario YAML it names, unless that is a bundled one)"]),
            className="a6-upload", multiple=True),
        html.Div(id="explore-sweep-status", className="mt-2 small"),
        dcc.Upload(id="explore-upload", children=html.Div(["Or load a sweep's result folder: ",
                                                           html.A("choose a .zip")]),
                   # no ``accept``: the upload component drops a refused file without a word,
                   # while load_zip says what it is and what to upload instead
                   className="a6-upload mt-2", multiple=False),
        html.Div(id="explore-status", className="mt-2"),
    ])], className="mb-3")


def _controls() -> dbc.Row:
    def pick(id_, label):
        return dbc.Col([dbc.Label(label, html_for=id_), dcc.Dropdown(id=id_, clearable=False)], md=3, xs=6)
    return dbc.Row([pick("explore-grid", "Grid point"), pick("explore-flag", "Probability of"),
                    pick("explore-party", "Party (fan chart)"), pick("explore-outcome", "What moves")],
                   className="g-2 mb-2")


def layout() -> html.Div:
    return html.Div([
        page_title("Explore", "One scenario run many times: levers on a grid, uncertain inputs drawn from "
                              "distributions, hazards. How likely is each party to meet its NDC?"),
        dcc.Store(id="explore-key", storage_type="session"),
        dbc.Row([
            dbc.Col(_sweep_card(), lg=4),
            dbc.Col([html.Div(id="explore-headline"), _controls(),
                     dbc.Row([dbc.Col(graph(ev.no_data_figure("Probability"), id="explore-probability",
                                            height=420), xl=6),
                              dbc.Col(graph(ev.no_data_figure("Fan chart"), id="explore-fan", height=420), xl=6)],
                             className="g-2"),
                     dbc.Row([dbc.Col(graph(ev.no_data_figure("Gaps"), id="explore-gaps", height=420), xl=6),
                              dbc.Col(graph(ev.no_data_figure("Drivers"), id="explore-drivers", height=420),
                                      xl=6)], className="g-2")],
                    lg=8, id="explore-results"),
        ], className="g-3"),
    ], className="a6-explore")


def _shown(exc: Exception) -> str:
    """A sweep's problems as the page shows them: a bundled sweep by its file name, not by the
    server's folder of it (where the package is installed is no business of the room)."""
    return str(exc).replace(f"{SWEEP_DIR}/", "")


def _error(message: str) -> dbc.Alert:
    return dbc.Alert(html.Pre(message, className="a6-error mb-0"), color="danger", className="a6-error-box")


def _headline(t) -> html.Div:
    m = t.manifest
    failed = f" · {m['runs_failed']:,} failed (see the error column)" if m["runs_failed"] else ""
    return html.Div([html.H4(t.name, className="mb-1"),
                     html.P(f"{m['runs_done']:,} runs · {m['grid_points']} grid point"
                            f"{'s' if m['grid_points'] != 1 else ''} x {m['runs_per_grid_point']:,} · seed "
                            f"{m['seed']} · {m['sampling']}" + (f" · {m['sensitivity']}" if m.get("sensitivity")
                                                               else "") + failed,
                            className="a6-subtitle", id="explore-summary-line")])


def register(app: dash.Dash, store: RunStore, uploads: SweepUploads | None = None) -> None:
    cache = store.cache
    uploads = uploads or SweepUploads()
    app.sweep_uploads = uploads

    def spec_of(name: str, runs: int | None = None):
        """A bundled sweep, or the session's uploaded one (``upload:...``); raises SweepError."""
        if not name.startswith(PREFIX):
            return sweep_spec(name, runs)
        path = uploads.path(name)
        if path is None:
            raise SweepError([Issue(name[len(PREFIX):].rpartition("/")[2], None, (),
                                    "this upload is no longer on the server (the dashboard was restarted); "
                                    "upload it again")])
        return with_runs(uploads.load(path), int(runs) if runs else None)

    def _shown_upload(exc: Exception) -> str:
        return uploads.shown(_shown(exc))

    def checked_of(token):
        return [uploads.check(p, MAX_DASHBOARD_RUNS) for p in uploads.sweeps(token)]

    @app.callback(Output("explore-pick", "options"), Input("explore-uploads", "data"))
    def _options(data):
        return sweep_options(checked_of((data or {}).get("token")))

    @app.callback(Output("explore-uploads", "data"), Output("explore-sweep-status", "children"),
                  Output("explore-pick", "options", allow_duplicate=True), Output("explore-pick", "value"),
                  Input("explore-sweep-upload", "contents"), State("explore-sweep-upload", "filename"),
                  State("explore-uploads", "data"), prevent_initial_call=True)
    def _upload(contents, filenames, data):
        if not contents:
            raise dash.exceptions.PreventUpdate
        contents = contents if isinstance(contents, list) else [contents]
        filenames = filenames if isinstance(filenames, list) else [filenames] * len(contents)
        token, problems = uploads.add((data or {}).get("token"), list(zip(filenames, contents)))
        sweeps = {p.name for p in uploads.sweeps(token)}
        names = [str(f or "").replace("\\", "/").rsplit("/", 1)[-1] for f in filenames]
        checked = checked_of(token)
        # report the sweeps of this upload; when only a scenario came, every sweep kept (one may name it)
        now = [c for c in checked if c.name in names]
        if not now:   # scenarios only: the sweeps that name one, or whose report mentions one
            stems = set(names) | {n.rsplit(".", 1)[0] for n in names}
            now = [c for c in checked if (c.spec is not None and c.spec.model.scenario in stems)
                   or any(n in c.error for n in names)] or checked
        others = [n for n in names if n not in sweeps and not any(p.startswith(f"{n}:") for p in problems)]
        pick = next((c.value for c in reversed(now) if c.spec is not None), dash.no_update)
        data = {"token": token, "uploads": (data or {}).get("uploads", 0) + 1}
        return data, upload_report(now, problems, others), sweep_options(checked), pick

    @app.callback(Output("explore-description", "children"), Output("explore-runs", "value"),
                  Output("explore-sensitivity", "options"), Output("explore-sensitivity", "value"),
                  Input("explore-pick", "value"), State("explore-sensitivity", "value"))
    def _describe(name, sens):
        if not name:
            raise dash.exceptions.PreventUpdate
        try:
            spec = spec_of(name)
        except SweepError as exc:
            return _shown_upload(exc), dash.no_update, dash.no_update, dash.no_update
        options = sensitivity_options(spec)
        allowed = {o["value"] for o in options if not o["disabled"]}
        wanted = spec.model.sensitivity if name.startswith(PREFIX) and spec.model.sensitivity else sens
        return spec.model.description, spec.model.runs, options, wanted if wanted in allowed else "none"

    @app.callback(Output("explore-size", "children"), Input("explore-pick", "value"),
                  Input("explore-runs", "value"), Input("explore-sensitivity", "value"))
    def _size(name, runs, sens):
        if not name or not runs:
            return ""
        try:
            from a6sim.experiments import prepare
            plan = prepare(spec_of(name, int(runs)), None if sens == "none" else sens, force=True)
        except (SweepError, ValueError) as exc:
            return _shown_upload(exc)
        over = (f"; more than the dashboard's maximum of {MAX_DASHBOARD_RUNS:,}: lower the runs"
                if plan.total > MAX_DASHBOARD_RUNS else "")
        return f"{len(plan.grid)} grid points x {plan.draws:,} runs = {plan.total:,} runs{over}"

    @app.callback(Output("explore-key", "data"), Output("explore-status", "children"),
                  Input("explore-run", "n_clicks"),
                  State("explore-pick", "value"), State("explore-runs", "value"), State("explore-sensitivity", "value"),
                  background=True, interval=300, prevent_initial_call=True,
                  running=[(Output("explore-run", "disabled"), True, False),
                           (Output("explore-run", "children"), "Running…", "Run sweep"),
                           (Output("explore-progress", "style"), PROGRESS_SHOWN, PROGRESS_HIDDEN)],
                  progress=[Output("explore-progress", "value"), Output("explore-progress", "label")],
                  progress_default=[0, ""])
    def _run(set_progress, n_clicks, name, runs, sens):
        if not n_clicks or not name:
            raise dash.exceptions.PreventUpdate
        try:
            spec = spec_of(name, int(runs) if runs else None)

            def progress(done, total):
                set_progress((round(100 * done / total) if total else 100, f"{done:,} / {total:,} runs"))

            key = run_sweep(cache, spec, None if sens == "none" else sens, min(2, default_workers()), progress)
        except (SweepError, ValueError) as exc:
            text = _shown_upload(exc)
            if "more than the maximum" in text:
                text += f"\n(the dashboard runs at most {MAX_DASHBOARD_RUNS:,}; use a6sim sweep for more)"
            return dash.no_update, _error(text)
        set_progress((100, "done"))
        return key, None

    @app.callback(Output("explore-key", "data", allow_duplicate=True),
                  Output("explore-status", "children", allow_duplicate=True),
                  Input("explore-upload", "contents"), State("explore-upload", "filename"),
                  prevent_initial_call=True)
    def _load(contents, filename):
        if not contents:
            raise dash.exceptions.PreventUpdate
        try:
            return load_zip(cache, contents, filename or "upload.zip"), dbc.Alert(
                f"Loaded {filename}", color="success", className="a6-status")
        except LoadError as exc:
            return dash.no_update, _error(str(exc))

    @app.callback(Output("explore-headline", "children"),
                  Output("explore-grid", "options"), Output("explore-grid", "value"),
                  Output("explore-flag", "options"), Output("explore-flag", "value"),
                  Output("explore-party", "options"), Output("explore-party", "value"),
                  Output("explore-outcome", "options"), Output("explore-outcome", "value"),
                  Input("explore-key", "data"))
    def _choose(key):
        t = get_sweep(cache, key)
        if t is None:
            return (dbc.Alert("Run a bundled sweep or one of your own, or load a sweep's result folder.",
                              color="info"),
                    [], None, [], None, [], None, [], None)
        grids = [{"label": v, "value": k} for k, v in ev.grid_labels(t.summary).items()]
        flags = ev.flag_outcomes(t.summary)
        outcomes = [o for o in t.manifest["outcomes"] if ".balance." not in o]
        numeric = [o for o in outcomes if o not in flags]
        first_gap = next((o for o in numeric if o.endswith(".gap")), numeric[0] if numeric else None)
        return (_headline(t), grids, grids[0]["value"] if grids else None,
                [{"label": f, "value": f} for f in flags], flags[0] if flags else None,
                [{"label": p, "value": p} for p in t.parties], t.parties[0] if t.parties else None,
                [{"label": o, "value": o} for o in numeric], first_gap)

    @app.callback(*[Output(g, "figure") for g in GRAPHS],
                  Input("explore-key", "data"), Input("explore-grid", "value"), Input("explore-flag", "value"),
                  Input("explore-party", "value"), Input("explore-outcome", "value"))
    def _figures(key, grid, flag, party, outcome):
        t = get_sweep(cache, key)
        if t is None or grid is None:
            raise dash.exceptions.PreventUpdate
        prob = ev.probability_figure(t.summary, flag) if flag else ev.no_data_figure("Probability")
        fan = ev.fan_chart(t.runs, party, grid, t.targets) if party else ev.no_data_figure("Fan chart")
        gaps = ev.gap_histogram(t.runs, t.parties, grid)
        if outcome is None:
            drivers = ev.no_data_figure("What moves the outcomes")
        elif t.sensitivity is not None and not t.sensitivity.empty:
            drivers = ev.sobol_figure(t.sensitivity, outcome, grid)
        else:
            drivers = ev.tornado_figure(t.runs, outcome, grid)
        return prob, fan, gaps, drivers

