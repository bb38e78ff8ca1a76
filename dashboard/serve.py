"""Serve the dashboard with waitress (pure Python; also on Windows laptops)."""
from __future__ import annotations

import shutil
import sys
import tempfile

from .app import create_app

__all__ = ["serve", "RoomsDbError"]


class RoomsDbError(ValueError):
    """The rooms database cannot be opened (``FILE: why``)."""


def serve(host: str = "127.0.0.1", port: int = 8050, threads: int = 16, cache_dir: str | None = None,
          scenario_dir: str | None = None, lesson_dir: str | None = None, rooms_db: str | None = None) -> None:
    """Serve until interrupted. Results are cached in ``cache_dir`` (a temporary folder, removed at exit);
    workshop rooms are kept in ``rooms_db`` (default: ``rooms.sqlite`` in a given ``cache_dir``, else
    :func:`~a6sim.dashboard.room.store.default_rooms_db`)."""
    import sqlite3
    from pathlib import Path

    from .room.store import RoomStore, default_rooms_db
    from waitress import create_server

    own_cache = cache_dir is None
    db = Path(rooms_db) if rooms_db else (Path(cache_dir) / "rooms.sqlite" if cache_dir else default_rooms_db())
    try:
        rooms = RoomStore(db)
    except (sqlite3.Error, OSError) as exc:
        raise RoomsDbError(f"{db}: cannot be used as the rooms database ({exc})") from None
    cache_dir = cache_dir or tempfile.mkdtemp(prefix="a6sim-dashboard-")
    folders = {**({"scenario_dir": scenario_dir} if scenario_dir else {}),
               **({"lesson_dir": lesson_dir} if lesson_dir else {})}
    app = create_app(cache_dir, rooms=rooms, **folders)
    app.job_manager.start()
    from .hosts import browser_url, everywhere, listen_host, network_warning
    server = create_server(app.server, host=listen_host(host), port=port, threads=threads, ident="a6sim",
                           connection_limit=200, channel_timeout=120)
    bound, bound_port = server.effective_host, server.effective_port
    print(f"a6sim dashboard on {browser_url(bound, bound_port)} (Ctrl+C to stop)", flush=True)
    print(f"workshop rooms: {browser_url(bound, bound_port, '/room')} (kept in {db})", flush=True)
    if everywhere(bound):
        print(network_warning(bound, bound_port), file=sys.stderr, flush=True)
    stopped = _stop_on_signals()   # SIGTERM and SIGHUP stop it as Ctrl+C does: the cache folder goes
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stopped()
        server.close()
        if own_cache:
            shutil.rmtree(cache_dir, ignore_errors=True)


def _stop_on_signals():
    """Make SIGTERM and SIGHUP interrupt the server like Ctrl+C; return what restores them."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt
    saved = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                saved[sig] = signal.signal(sig, interrupt)
            except ValueError:   # not the main thread
                pass

    def restore():
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return restore
