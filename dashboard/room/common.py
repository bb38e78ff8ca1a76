"""What the three room pages share: the poll of the version counter, the round clock,
and the dispatch from a path to its page.

Each page holds ``room-code-<page>`` (the room it shows), ``room-seen-<page>`` (the
version it last drew) and ``room-tick-<page>`` (an interval of :data:`POLL_MS`). The tick reads only the
version counter; when it changed, ``room-seen`` changes and the page draws itself
again. The clock counts down in the browser from what the last drawing said.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from .figures import round_label

__all__ = ["POLL_MS", "PAGES", "poller", "clock_data", "clock_line", "register_common", "refused", "done"]

POLL_MS = 1000          # a deal reaches every screen within the poll plus one drawing

CLOCK_JS = """
function(n, clock) {
    if (!clock) { return ""; }
    const key = clock.key;
    if (window.a6RoomClockKey !== key) { window.a6RoomClockKey = key; window.a6RoomClockT0 = Date.now(); }
    let left = clock.left;
    if (clock.running) { left = Math.max(0, left - (Date.now() - window.a6RoomClockT0) / 1000); }
    const m = Math.floor(left / 60), s = Math.floor(left % 60);
    const time = (clock.running && left <= 0) ? "time is up" : (m + ":" + String(s).padStart(2, "0") + " left");
    return clock.phase === "open" || clock.phase === "paused" ? clock.label + " · " + time : clock.label;
}
"""


PAGES = ("fac", "del", "scr")     # the facilitator's, a delegation's, the big screen


def poller(code: str | None, page: str) -> list:
    """The stores and the interval a room page carries (ids ending in ``-<page>``: a
    callback fires only where all its components are)."""
    return [dcc.Store(id=f"room-code-{page}", data=code), dcc.Store(id=f"room-seen-{page}"),
            dcc.Store(id=f"room-clock-{page}"), dcc.Interval(id=f"room-tick-{page}", interval=POLL_MS)]


def clock_data(state: dict, version: int, now: float) -> dict:
    from .actions import clock_left
    return {"key": f"{version}:{now}", "left": clock_left(state, now), "running": state["phase"] == "open",
            "phase": state["phase"], "label": round_label(state)}


def refused(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", className="a6-room-msg", id="room-refused")


def done(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="success", className="a6-room-msg", duration=6000)


def register_common(app, store) -> None:
    for page in PAGES:
        _register_page(app, store, page)


def _register_page(app, store, page: str) -> None:
    @app.callback(Output(f"room-seen-{page}", "data"), Input(f"room-tick-{page}", "n_intervals"),
                  Input(f"room-code-{page}", "data"), State(f"room-seen-{page}", "data"))
    def _poll(_, code, seen):
        version = (store.version(code) if code else None) or 0
        if version == seen:
            raise dash.exceptions.PreventUpdate
        return version

    app.clientside_callback(CLOCK_JS, Output(f"room-clock-text-{page}", "children"),
                            Input(f"room-tick-{page}", "n_intervals"), Input(f"room-clock-{page}", "data"))


def clock_line(page: str) -> html.Div:
    return html.Div(id=f"room-clock-text-{page}", className="a6-room-clock")
