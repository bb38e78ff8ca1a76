"""What the three room pages share: the poll of the version counter, the round clock,
and the dispatch from a path to its page.

Each page holds ``room-code`` (the room it shows), ``room-seen`` (the version it last
drew) and ``room-tick`` (an interval of :data:`POLL_MS`). The tick reads only the
version counter; when it changed, ``room-seen`` changes and the page draws itself
again. The clock counts down in the browser from what the last drawing said.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from .figures import round_label

__all__ = ["POLL_MS", "poller", "clock_data", "register_common", "refused", "done"]

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


def poller(code: str | None) -> list:
    """The stores and the interval every room page carries."""
    return [dcc.Store(id="room-code", data=code), dcc.Store(id="room-seen"), dcc.Store(id="room-clock"),
            dcc.Interval(id="room-tick", interval=POLL_MS)]


def clock_data(state: dict, version: int, now: float) -> dict:
    from .actions import clock_left
    return {"key": f"{version}:{now}", "left": clock_left(state, now), "running": state["phase"] == "open",
            "phase": state["phase"], "label": round_label(state)}


def refused(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", className="a6-room-msg", id="room-refused")


def done(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="success", className="a6-room-msg", duration=6000)


def register_common(app, store) -> None:
    @app.callback(Output("room-seen", "data"), Input("room-tick", "n_intervals"), Input("room-code", "data"),
                  State("room-seen", "data"))
    def _poll(_, code, seen):
        version = (store.version(code) if code else None) or 0
        if version == seen:
            raise dash.exceptions.PreventUpdate
        return version

    app.clientside_callback(CLOCK_JS, Output("room-clock-text", "children"),
                            Input("room-tick", "n_intervals"), Input("room-clock", "data"))


def clock_line() -> html.Div:
    return html.Div(id="room-clock-text", className="a6-room-clock")
