"""The lessons the classroom page offers, and their runs (small, so kept in memory).

A lesson run depends only on the lesson file and the what-if switch; runs are shared
by every session and rebuilt when the file changes.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from a6sim import ScenarioError
from a6sim.lessons import LESSON_DIR, LessonRun, lesson_files, load_lesson, teach

__all__ = ["LessonShelf"]


class LessonShelf:
    """The lesson files of a folder, with their runs remembered (at most ``remembered``)."""

    def __init__(self, directory: str | Path = LESSON_DIR, remembered: int = 24):
        self.directory = Path(directory)
        self._remembered = remembered
        self._runs: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        return [f.stem for f in lesson_files(self.directory)]

    def entries(self) -> list[dict]:
        """``[{'name', 'title'}]``; a file that does not load has its first error as title."""
        out = []
        for name in self.names():
            try:
                title = self.run(name).lesson.title
            except ScenarioError as exc:
                title = f"cannot be used: {exc.issues[0]}"
            out.append({"name": name, "title": title})
        return out

    def run(self, name: str, what_if: bool = False) -> LessonRun:
        """The lesson run (as written, or with its what-if lever). Raises ``KeyError`` for an
        unknown name and :class:`~a6sim.ScenarioError` for a broken lesson."""
        if name not in self.names():
            raise KeyError(name)
        path = self.directory / f"{name}.yaml"
        stat = path.stat()
        key = (name, bool(what_if), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
                return self._runs[key]
        run = teach(load_lesson(path), what_if=what_if)
        with self._lock:
            self._runs[key] = run
            while len(self._runs) > self._remembered:
                self._runs.popitem(last=False)
        return run
