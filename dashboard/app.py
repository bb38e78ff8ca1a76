"""The Dash application: the shell (navigation, per-session stores) and the page router.

Everything a participant does lives in their browser tab (``dcc.Store`` in session
storage): the scenario text, their lever edits, their runs, the party they filter on.
The server keeps only results, shared by content hash (:mod:`dashboard.runs`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from a6sim.lessons import LESSON_DIR

from .bundled import SCENARIO_DIR, Library
from .jobs import ForkServerManager
from .pages import classroom, compare, explore, ledger, results, scenario
from .pages import economics as economics_page
from .pages import guides as guides_page
from .room import pages as room_pages
from .room.store import RoomStore
from .runs import RunStore
from .teaching import LessonShelf

__all__ = ["create_app", "PAGES", "render_page"]

ASSETS = Path(__file__).resolve().parent / "assets"

# path -> (navigation label, page module attribute that renders it)
PAGES = {
    "/": "Scenario",
    "/ndc": "NDC accounts",
    "/integrity": "Integrity",
    "/units": "Units",
    "/money": "Money",
    "/network": "Network",
    "/ledger": "Ledger",
    "/economics": "Economics",
    "/compare": "Compare",
    "/explore": "Explore",
    "/classroom": "Classroom",
    "/room": "Room",
    "/docs": "Guides",
}


def render_page(path: str, store: RunStore, library: Library, base, overrides, runs, current, party,
                shelf: LessonShelf | None = None, lesson_state: dict | None = None, rooms: RoomStore | None = None):
    """The layout of one page for one session's state (pure apart from reading the run cache)."""
    if room_pages.is_room_path(path):
        return room_pages.layout(path, rooms, library)
    if guides_page.is_guide_path(path):
        return guides_page.layout(path)
    if path == "/classroom":
        return classroom.layout(shelf or LessonShelf(), lesson_state)
    if path == "/explore":
        return explore.layout()
    tables = store.get(current)
    if path in ("/", "", None):
        return scenario.layout(library, base, overrides, runs, tables)
    if path == "/compare":
        return compare.layout(store, runs or [], party)
    if path == "/ledger":
        return ledger.layout(tables, party)
    if path == "/economics":
        return economics_page.layout(tables, party)
    if path in results.PAGES:
        return results.PAGES[path](tables, party)
    return dbc.Alert([f"No page at {path}. ", dcc.Link("Back to the scenario", href="/")], color="warning")


#: The pages of one run, grouped under one "Results" menu so the bar fits on one line at 1280 px.
RESULT_PAGES = ("/ndc", "/integrity", "/units", "/money", "/network", "/ledger", "/economics")


def _navbar() -> dbc.Navbar:
    links = []
    for path, label in PAGES.items():
        if path in RESULT_PAGES:
            if path == RESULT_PAGES[0]:
                links.append(dbc.DropdownMenu(
                    [dbc.DropdownMenuItem(PAGES[p], href=p) for p in RESULT_PAGES if p in PAGES],
                    label="Results", id="results-menu", nav=True, in_navbar=True))
            continue
        links.append(dbc.NavItem(dbc.NavLink(label, href=path, active="exact")))
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand("a6sim", href="/", className="a6-brand"),
        dbc.Nav(links, navbar=True, className="me-auto a6-nav"),
        html.Div([
            dcc.Dropdown(id="party-filter", placeholder="All parties", clearable=True,
                         className="a6-party-filter", persistence=False),
            dbc.Button("Results (zip)", id="download-zip-button", color="light", outline=True,
                       className="ms-2", disabled=True),
        ], className="d-flex align-items-center"),
    ], fluid=True), color="dark", dark=True, className="mb-3")


def shell() -> html.Div:
    """The page frame: stores, navigation, run label, page container."""
    return html.Div([
        dcc.Location(id="url"),
        dcc.Store(id="base", storage_type="session"),        # {'file', 'origin', 'text'}
        dcc.Store(id="overrides", storage_type="session"),   # {lever id: value}
        dcc.Store(id="runs", storage_type="session"),        # [{'key', 'label'}], oldest first
        dcc.Store(id="current", storage_type="session"),     # key of the run shown
        dcc.Store(id="party", storage_type="session"),       # party id filter, or None
        dcc.Store(id="run-request", storage_type="memory"),  # a click on Run (see pages/scenario.py)
        dcc.Store(id="classroom", storage_type="session"),   # lesson, step, switches, answers
        dcc.Download(id="download-zip"),
        _navbar(),
        dbc.Container([
            html.Div(id="run-label", className="a6-run-label"),
            dcc.Loading(html.Div(id="page"), type="circle", delay_show=400, target_components={"page": "children"},
                        overlay_style={"visibility": "visible", "opacity": 0.6}),
        ], fluid=True, className="pb-5"),
    ])


def create_app(cache_dir: str | Path | None = None, scenario_dir: str | Path = SCENARIO_DIR,
               lesson_dir: str | Path = LESSON_DIR, rooms: RoomStore | None = None) -> dash.Dash:
    """A new dashboard app offering the scenarios of ``scenario_dir`` (the bundled examples by
    default) and the lessons of ``lesson_dir``; results are cached in ``cache_dir`` (a
    temporary folder by default); workshop rooms are kept in ``rooms`` (by default
    ``rooms.sqlite`` in the cache folder)."""
    library = Library(scenario_dir)
    shelf = LessonShelf(lesson_dir)
    if cache_dir is None:
        cache_dir = tempfile.mkdtemp(prefix="a6sim-dashboard-")
    store = RunStore(Path(cache_dir) / "runs")
    rooms = rooms if rooms is not None else RoomStore(Path(cache_dir) / "rooms.sqlite")
    manager = ForkServerManager(store.cache)
    app = dash.Dash(
        __name__, assets_folder=str(ASSETS), title="a6sim",
        external_stylesheets=[], serve_locally=True, suppress_callback_exceptions=True,
        background_callback_manager=manager, update_title=None)
    # no dev tools in a room; and never ask the internet for a newer Dash
    app.enable_dev_tools(debug=False, dev_tools_ui=False, dev_tools_props_check=False,
                         dev_tools_hot_reload=False, dev_tools_disable_version_check=True)
    from .security import secure
    secure(app)   # one request body limit for every endpoint, security headers
    app.layout = shell
    app.run_store = store
    app.job_manager = manager
    app.library = library
    app.lesson_shelf = shelf
    app.rooms = rooms

    @app.callback(Output("page", "children"),
                  Input("url", "pathname"), Input("current", "data"), Input("party", "data"),
                  State("base", "data"), State("overrides", "data"), State("runs", "data"),
                  State("classroom", "data"))
    def _route(path, current, party, base, overrides, runs, lesson_state):
        triggered = dash.ctx.triggered_prop_ids
        if (path in ("/", "", "/classroom", "/explore") or room_pages.is_room_path(path)) and triggered \
                and "url.pathname" not in triggered:
            raise dash.exceptions.PreventUpdate   # these pages update their own parts
        return render_page(path, store, library, base, overrides, runs, current, party, shelf, lesson_state, rooms)

    @app.callback(Output("run-label", "children"), Output("download-zip-button", "disabled"),
                  Output("party-filter", "options"), Output("party-filter", "value"),
                  Input("current", "data"), State("party", "data"))
    def _run_label(current, party):
        tables = store.get(current)
        if tables is None:
            return "", True, [], None
        options = [{"label": f"{tables.names.get(p, p)} ({p})", "value": p} for p in tables.names]
        party = party if party in tables.names else None
        return (f"Showing: {tables.name} · seed {tables.seed} · {tables.summary['ledger_rows']:,} ledger rows",
                False, options, party)

    @app.callback(Output("results-menu", "label"), Input("url", "pathname"))
    def _results_label(path):
        return f"Results: {PAGES[path]}" if path in RESULT_PAGES and path in PAGES else "Results"

    @app.callback(Output("party", "data"), Input("party-filter", "value"), prevent_initial_call=True)
    def _party(value):
        return value

    @app.callback(Output("download-zip", "data"), Input("download-zip-button", "n_clicks"),
                  State("current", "data"), prevent_initial_call=True)
    def _download_zip(_, current):
        tables = store.get(current)
        if tables is None:
            raise dash.exceptions.PreventUpdate
        stem = Path(tables.file).stem or "scenario"
        return dcc.send_bytes(tables.zip_bytes, f"{stem}-seed{tables.seed}-results.zip")

    scenario.register(app, store, library)
    results.register(app, store)
    ledger.register(app, store)
    compare.register(app, store)
    economics_page.register(app, store)
    classroom.register(app, shelf)
    explore.register(app, store)
    room_pages.register(app, rooms, library)
    return app
