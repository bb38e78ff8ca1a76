"""Rooms on disk: one SQLite database (standard library ``sqlite3``, WAL journal).

Every action is written before its page hears back, so a restarted dashboard loses
nothing. A room is one row: its state (JSON), its latest simulated outcome (JSON), a
version counter that every screen polls (a cheap read of two small columns), and its
expiry time; expired rooms are deleted when a new room is made.

An action is applied optimistically: read the state, compute the new state and its
outcome outside any lock (a simulation can take a moment), then write it only if
nobody wrote in between (else try again with the fresh state).
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Optional

__all__ = ["RoomStore", "default_rooms_db"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    expires REAL NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT
);
"""


def default_rooms_db() -> Path:
    """Where rooms are kept by default: ``$XDG_STATE_HOME/a6sim/rooms.sqlite`` (on Linux
    ``~/.local/state/a6sim/rooms.sqlite``; on Windows under ``%LOCALAPPDATA%``)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "a6sim" / "rooms.sqlite"


class RoomStore:
    """Rooms by code in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.path = state["path"]
        self._local = threading.local()

    # --- reading -------------------------------------------------------------------
    def version(self, code: str, now: Optional[float] = None) -> Optional[int]:
        """The room's version counter (None for no such room, or an expired one)."""
        row = self._connect().execute("SELECT version, expires FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or row[1] < (time.time() if now is None else now):
            return None
        return row[0]

    def load(self, code, now: Optional[float] = None) -> Optional[tuple[int, dict, Optional[dict]]]:
        """``(version, state, outcome)`` of a live room, or None."""
        if not isinstance(code, str):
            return None
        row = self._connect().execute("SELECT version, expires, state, outcome FROM rooms WHERE code = ?",
                                      (code.strip().upper(),)).fetchone()
        if row is None or row[1] < (time.time() if now is None else now):
            return None
        return row[0], json.loads(row[2]), (json.loads(row[3]) if row[3] else None)

    def codes(self) -> list[str]:
        return [r[0] for r in self._connect().execute("SELECT code FROM rooms ORDER BY code")]

    # --- writing -------------------------------------------------------------------
    def create(self, state: dict, outcome: Optional[dict], now: Optional[float] = None) -> None:
        """Store a new room; expired rooms are deleted first. Raises KeyError if the code is taken."""
        now = time.time() if now is None else now
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM rooms WHERE expires < ?", (now,))
            if db.execute("SELECT 1 FROM rooms WHERE code = ?", (state["code"],)).fetchone():
                raise KeyError(state["code"])
            db.execute("INSERT INTO rooms (code, version, expires, state, outcome) VALUES (?, 1, ?, ?, ?)",
                       (state["code"], state["expires"], json.dumps(state), json.dumps(outcome)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def apply(self, code: str, action: Callable[[dict, Optional[dict]], tuple[dict, Optional[dict]]],
              now: Optional[float] = None, attempts: int = 20) -> tuple[int, dict, Optional[dict]]:
        """Apply ``action(state, outcome) -> (new_state, new_outcome)`` and store the result.

        Whatever ``action`` raises propagates and nothing is stored. Returns the new
        ``(version, state, outcome)``."""
        for _ in range(attempts):
            loaded = self.load(code, now)
            if loaded is None:
                raise LookupError(code)
            version, state, outcome = loaded
            new_state, new_outcome = action(state, outcome)
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT version FROM rooms WHERE code = ?", (state["code"],)).fetchone()
                if row is None or row[0] != version:
                    db.execute("ROLLBACK")
                    continue
                db.execute("UPDATE rooms SET version = ?, expires = ?, state = ?, outcome = ? WHERE code = ?",
                           (version + 1, new_state["expires"], json.dumps(new_state), json.dumps(new_outcome),
                            state["code"]))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return version + 1, new_state, new_outcome
        raise RuntimeError(f"room {code}: too many writers at once; try again")
