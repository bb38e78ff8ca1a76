"""Write one text file atomically (a handout, a schema)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .replace import OutputError

__all__ = ["write_text_atomically", "check_text_destination", "OutputError"]


def check_text_destination(path: str | Path) -> None:
    """Refuse a file destination that cannot be written: its folder is missing or not
    writable, or the path is a folder (:class:`OutputError`)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {path.parent} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {path.parent} ({exc.strerror or exc})") from None


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then move it into place:
    an interrupted write never leaves half a file, and an earlier file stays whole.
    An unwritable destination raises :class:`OutputError` before anything is written."""
    path = Path(path)
    check_text_destination(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
