"""Write one text file atomically (a handout, a schema)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .replace import OutputError

__all__ = ["write_text_atomically", "write_bytes_atomically", "check_text_destination", "OutputError"]


def check_text_destination(path: str | Path) -> None:
    """Refuse a file destination that cannot be written: its folder is missing or not
    writable, the path is a folder, or it names something that is not a regular file (a
    device such as /dev/null, a pipe: replacing it would destroy it) (:class:`OutputError`)."""
    path = _target(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} is not a regular file; give the name of a file to write")
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
    path = _target(path)
    check_text_destination(path)
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place (the
    permissions of any file the user makes). The caller has checked the destination."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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


def _target(path: str | Path) -> Path:
    """The file a write lands in: a symbolic link is followed, so the link itself is kept."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path
