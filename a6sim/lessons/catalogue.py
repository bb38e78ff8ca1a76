"""Where lessons live: the bundled ``a6sim.examples.lessons`` (or a folder the user names)."""
from __future__ import annotations

from pathlib import Path

from ..resources import LESSON_DIR

__all__ = ["LESSON_DIR", "lesson_files", "find_lesson"]


def lesson_files(directory: str | Path = LESSON_DIR) -> list[Path]:
    """The lesson files of a folder, in name order."""
    return sorted(Path(directory).glob("*.yaml"))


def find_lesson(name: str, directory: str | Path = LESSON_DIR) -> Path:
    """A lesson by name (its file name without ``.yaml``) or by path.

    Raises ``FileNotFoundError`` listing the lessons there are.
    """
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    files = lesson_files(directory)
    for f in files:
        if name in (f.stem, f.name):
            return f
    names = ", ".join(f.stem for f in files) or "none"
    raise FileNotFoundError(f"no lesson {name!r} in {directory}; lessons: {names}")
