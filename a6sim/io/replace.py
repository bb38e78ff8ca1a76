"""Put a finished result folder in place of an earlier one, losing no file and leaving no gap.

A result folder that a6sim wrote holds a manifest, ``.a6sim-manifest.json``, listing
exactly its files with their sizes and SHA-256 digests. A folder is replaced only when
what it holds is exactly what its manifest lists, unchanged (or it is empty); any other
content is refused (:class:`OutputError`), before anything is simulated or removed.

The new result is written into a hidden sibling folder ``.DIR.partial-PID-XXXX`` and
then exchanged with ``DIR`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``, macOS
``renamex_np(RENAME_SWAP)``): at every instant ``DIR`` is the complete old or the
complete new result, a real folder either way. Where the system has no exchange (or
the file system refuses it) the old folder is renamed aside and the new one renamed
in, which leaves ``DIR`` missing for the moment between the two renames; nothing is
lost then either. A run that is killed leaves its hidden sibling behind: the next run
into the same ``DIR`` removes the siblings of runs that no longer exist, when they hold
only result files.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

__all__ = ["OutputError", "MANIFEST", "check_destination", "new_partial", "write_manifest",
           "put_in_place", "clean_leftovers", "exchange", "check_writable"]

MANIFEST = ".a6sim-manifest.json"
_RESULT_FILE = re.compile(r"^(?:[a-z_]+\.(?:csv|parquet)|summary\.json|\.a6sim-manifest\.json)$")


class OutputError(OSError):
    """The output folder cannot be written (exists and is not an a6sim result, ...)."""


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entries(folder: Path) -> list[str]:
    """Every entry of a result folder but its (real) subfolders, as relative paths
    (``aef/actions.csv``), sorted: results keep their tables one folder deep at most."""
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_dir() and not p.is_symlink():
            out += [f"{p.name}/{q.name}" for q in sorted(p.iterdir())]
        else:
            out.append(p.name)
    return out


def write_manifest(folder: Path, version: str) -> None:
    """List every file of ``folder`` (size and SHA-256) in its manifest, written last."""
    files = {name: {"bytes": (folder / name).stat().st_size, "sha256": _digest(folder / name)}
             for name in _entries(folder) if name != MANIFEST}
    (folder / MANIFEST).write_text(json.dumps({"a6sim": version, "files": files}, indent=1) + "\n",
                                   encoding="utf-8")


def _manifest_problem(folder: Path) -> str | None:
    """Why ``folder`` is not exactly an unchanged a6sim result (None: it is)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        assert isinstance(files, dict)
    except FileNotFoundError:
        return "does not hold a6sim results (no a6sim manifest)"
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return "has an a6sim manifest that cannot be read"
    present = set(_entries(folder)) - {MANIFEST}
    extra, missing = sorted(present - set(files)), sorted(set(files) - present)
    if extra:
        return f"holds files a6sim did not write ({', '.join(extra[:5])})"
    if missing:
        return f"misses files of its a6sim result ({', '.join(missing[:5])})"
    for name, meta in files.items():
        path = folder / name
        if path.is_symlink() or not path.is_file():
            return f"holds {name}, which is not a plain file"
        if path.stat().st_size != meta.get("bytes") or _digest(path) != meta.get("sha256"):
            return f"holds {name}, changed since a6sim wrote it"
    return None


def _nearest_existing(path: Path) -> Path:
    for candidate in [path, *path.parents]:
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or ".")


def check_writable(parent: Path, what: Path) -> None:
    """Refuse a destination whose folder cannot be created or written in, found by trying."""
    existing = _nearest_existing(parent)
    if not existing.is_dir():
        raise OutputError(f"{what}: {existing} is not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".a6sim-probe-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{what}: cannot write in {existing} ({exc.strerror or exc})") from None


def check_destination(out: Path) -> None:
    """Refuse, before anything is simulated, a destination that a result may not replace
    or cannot be written: exists and is neither an empty folder nor an unchanged a6sim
    result, or its folder is not writable."""
    out = Path(out)
    if out.is_symlink():
        raise OutputError(f"{out} is a symbolic link; give the folder itself as --out")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        if any(out.iterdir()):
            problem = _manifest_problem(out)
            if problem is not None:
                raise OutputError(f"{out} {problem}; nothing was replaced: choose another --out folder")
    check_writable(out.parent, out)


def new_partial(out: Path) -> Path:
    """A new hidden folder beside ``out`` to write a result into, with the permissions of
    any folder the user makes (the umask), not mkdtemp's owner-only 0700."""
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(partial, 0o777 & ~umask)
    return partial


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def clean_leftovers(out: Path) -> list[Path]:
    """Remove the hidden siblings of ``out`` left by runs that were killed (their process is
    gone) when they hold nothing but result files; return what was removed."""
    removed = []
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:partial|old)-(\d+)-[A-Za-z0-9_]+$")
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        m = pattern.match(path.name)
        if not m or _alive(int(m.group(1))) or path.is_symlink() or not path.is_dir():
            continue
        try:
            entries = [path / name for name in _entries(path)]
            if all(p.is_file() and not p.is_symlink() and _RESULT_FILE.match(p.name) for p in entries):
                shutil.rmtree(path)
                removed.append(path)
        except OSError:
            pass
    return removed


def _fsync_folder(folder: Path) -> None:
    for f in folder.iterdir():
        if f.is_dir() and not f.is_symlink():
            _fsync_folder(f)
            continue
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot."""
    libc = _libc()
    if libc is None:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        fn = libc.renameat2
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        ok = fn(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0      # AT_FDCWD, RENAME_EXCHANGE
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        fn = libc.renamex_np
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        ok = fn(os.fsencode(a), os.fsencode(b), 2) == 0                  # RENAME_SWAP
    else:
        return False
    return bool(ok)


def put_in_place(partial: Path, out: Path) -> None:
    """Move the finished ``partial`` folder to ``out`` (see the module's docstring)."""
    _fsync_folder(partial)
    if not os.path.lexists(out):
        os.rename(partial, out)
        return
    check_destination(out)           # again, right before anything is removed
    if exchange(partial, out):
        old = partial                # the exchange left the old result there
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
        try:
            os.rename(partial, out)
        except BaseException:
            os.rename(old, out)
            raise
    if any(old.iterdir()) and _manifest_problem(old) is not None:   # changed in the meantime: keep it
        kept = Path(tempfile.mkdtemp(prefix=f"{out.name}.kept-", dir=out.parent))
        os.rmdir(kept)
        os.rename(old, kept)
        raise OutputError(f"{out} was changed while the result was written; the new result is in {out}, "
                          f"the earlier folder kept as {kept}")
    shutil.rmtree(old, ignore_errors=True)
