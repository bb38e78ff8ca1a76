"""The room's pages by path, and their callbacks (registered once by the app)."""
from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import dcc

from . import delegation, facilitator, screen
from .common import register_common
from .store import RoomStore

__all__ = ["is_room_path", "layout", "register"]

_PATH = re.compile(r"^/room(?:/(?P<code>[A-Za-z]{1,12})(?P<screen>/screen)?)?/?$")


def is_room_path(path) -> bool:
    return isinstance(path, str) and (path == "/room" or path.startswith("/room/"))


def layout(path: str, rooms: RoomStore | None, library):
    """The page at ``path``: the facilitator's, a delegation's, or the big screen."""
    m = _PATH.match(path or "")
    if m is None:
        return dbc.Alert([f"No page at {path}. ", dcc.Link("Rooms", href="/room")], color="warning")
    code = (m.group("code") or "").upper()
    if not code:
        return facilitator.layout(library)
    if rooms is None:
        return dbc.Alert("This dashboard keeps no rooms.", color="warning")
    if m.group("screen"):
        return screen.layout(code, rooms)
    return delegation.layout(code, rooms)


def register(app, rooms: RoomStore, library) -> None:
    register_common(app, rooms)
    facilitator.register(app, rooms, library)
    delegation.register(app, rooms)
    screen.register(app, rooms)
