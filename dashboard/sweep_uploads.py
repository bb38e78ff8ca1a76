"""Sweep files a user uploads on the Explore page, checked as ``a6sim sweep`` checks them.

Each browser session gets a folder of its own (a random name) inside one temporary folder
that the dashboard creates and removes when it stops; nothing is written anywhere else.
A session uploads a sweep file (``a6sim-sweep: 1``) and, when its ``scenario:`` is not a
bundled example, the scenario file it names, in one go or one after the other.

A sweep is checked with the same code and the same located messages as ``a6sim sweep``
(``file:line: field.path: what was expected``), with two differences made for a server:

* ``scenario:`` must be a bare file name: one uploaded to the same session, or a bundled
  example. A path (``../x.yaml``, ``/home/...``) is refused, so an upload can never make
  the server read one of its own files.
* Messages name the uploaded files by their names, not by the server's folder of them.

A sweep is named on the page as ``upload:<session>/<file>``; :meth:`SweepUploads.path`
accepts only names of that form that point into the session's folder.
"""
from __future__ import annotations

import atexit
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from math import prod
from pathlib import Path

from a6sim.experiments import SweepError, SweepSpec, load_sweep, prepare
from a6sim.experiments.sampling import draws_per_point
from a6sim.scenario.errors import Issue
from a6sim.scenario.yamlread import line_of, parse_yaml

from .bundled import MAX_UPLOAD_BYTES, UploadError, decode_upload

__all__ = ["SweepUploads", "Checked", "PREFIX", "MAX_FILES"]

PREFIX = "upload:"
MAX_FILES = 20          # files kept per session (a later upload of the same name replaces it)
_TOKEN = re.compile(r"[0-9a-f]{32}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,99}\.ya?ml")


@dataclass(frozen=True)
class Checked:
    """One uploaded sweep file after its check: ``spec`` when it is valid, else ``error``
    (the report ``a6sim sweep`` prints); ``total`` is its grid points x runs."""
    name: str
    value: str
    spec: SweepSpec | None = None
    error: str = ""
    total: int = 0


class SweepUploads:
    """The dashboard's folder of uploaded sweep and scenario files (one subfolder per session)."""

    def __init__(self, root: str | Path | None = None):
        if root is None:
            root = tempfile.mkdtemp(prefix="a6sim-sweep-uploads-")
            atexit.register(shutil.rmtree, root, True)   # created here: removed when the dashboard stops
        self.root = Path(root)

    # --- where files are ---------------------------------------------------------------------
    def folder(self, token: str | None) -> Path | None:
        return self.root / token if token and _TOKEN.fullmatch(token) else None

    def path(self, value: str) -> Path | None:
        """The file a page value ``upload:<session>/<file>`` names, or None when it names none."""
        if not value or not value.startswith(PREFIX):
            return None
        token, _, name = value[len(PREFIX):].partition("/")
        folder = self.folder(token)
        if folder is None or not _NAME.fullmatch(name):
            return None
        path = folder / name
        return path if path.is_file() else None

    # --- uploads -----------------------------------------------------------------------------
    def add(self, token: str | None, files: list[tuple[str, str]]) -> tuple[str, list[str]]:
        """Keep the uploaded ``(filename, data URL)`` pairs in the session's folder (a new one
        when ``token`` names none); return ``(token, problems)``, one problem per file refused."""
        folder = self.folder(token)
        if folder is None:
            token = secrets.token_hex(16)
            folder = self.root / token
        folder.mkdir(parents=True, exist_ok=True)
        problems = []
        for filename, contents in files:
            name = Path(str(filename or "upload.yaml").replace("\\", "/")).name
            if not _NAME.fullmatch(name):
                problems.append(f"{name}: expected a sweep or scenario file ending in .yaml or .yml "
                                f"(letters, digits, '.', '_', '-' and spaces in its name)")
                continue
            try:
                text = decode_upload(contents, name)
            except UploadError as exc:
                problems.append(str(exc))
                continue
            if not (folder / name).exists() and len(list(folder.iterdir())) >= MAX_FILES:
                problems.append(f"{name}: this session keeps at most {MAX_FILES} files; reload the page for a new one")
                continue
            tmp = folder / f".{name}.part"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(folder / name)
        return token, problems

    def sweeps(self, token: str | None) -> list[Path]:
        """The session's uploaded files that are sweep files (``a6sim-sweep:`` at the top)."""
        folder = self.folder(token)
        if folder is None or not folder.is_dir():
            return []
        return [p for p in sorted(folder.glob("*.y*ml")) if _NAME.fullmatch(p.name) and _is_sweep(p)]

    def check(self, path: Path, max_runs: int) -> Checked:
        """Check one uploaded sweep as ``a6sim sweep`` does before any run (nothing is run).

        More than ``max_runs`` grid points x runs is refused as ``a6sim sweep`` refuses more
        than its maximum without ``--force``, at the line of ``runs`` (the sweep is kept: a
        smaller "Runs per grid point" on the page runs it). The size is reckoned before any
        design is drawn, as ``a6sim validate`` does, so a huge ``runs`` costs nothing."""
        value = f"{PREFIX}{path.parent.name}/{path.name}"
        try:
            spec = self.load(path)
            m = spec.model
            points = prod(len(v) for v in m.levers.values())
            total = points * draws_per_point(m.runs, len(m.uncertain), m.sensitivity)
            if total <= max_runs:
                total = prepare(spec).total
        except SweepError as exc:
            return Checked(path.name, value, error=self.shown(exc))
        except ValueError as exc:
            return Checked(path.name, value, error=f"{path.name}: {exc}")
        if total > max_runs:
            issue = Issue(path.name, spec.line("runs"), ("runs",),
                          f"{points:,} grid point{'s' if points != 1 else ''} x {total // points:,} runs = "
                          f"{total:,} runs, more than the dashboard's maximum of {max_runs:,}; lower "
                          f"'Runs per grid point' here, or run it with `a6sim sweep {path.name} --out DIR`")
            return Checked(path.name, value, spec, str(SweepError([issue])), total)
        return Checked(path.name, value, spec, "", total)

    def load(self, path: Path) -> SweepSpec:
        """The uploaded sweep at ``path``, its scenario found in the same folder or bundled.
        Raises :class:`SweepError`, as :func:`a6sim.experiments.load_sweep` does."""
        text = path.read_text(encoding="utf-8")
        try:
            data, lines = parse_yaml(text, path.name)
        except Exception:   # load_sweep below gives the located message of the YAML error
            data, lines = None, {}
        if isinstance(data, dict) and isinstance(data.get("scenario"), str):
            name = data["scenario"]
            if Path(name.replace("\\", "/")).name != name or name.startswith("."):
                raise SweepError([Issue(path.name, line_of(lines, ("scenario",)), ("scenario",),
                                        f"{name!r}: on the dashboard, name a bundled scenario or upload the "
                                        f"scenario file with the sweep and give its file name (no folder)")])
        try:
            spec = load_sweep(path)
        except SweepError as exc:   # the uploaded files by the names the user gave them
            strip = lambda text: str(text).replace(f"{path.parent}/", "")   # noqa: E731
            raise SweepError([Issue(strip(i.file), i.line, i.path, strip(i.message)) for i in exc.issues]) from None
        return SweepSpec(spec.model, path.name, spec.scenario, spec.scenario_text, spec.lines, spec.file_runs)

    def shown(self, exc: Exception) -> str:
        """A sweep's report as the page shows it, with a hint when its scenario is missing."""
        text = str(exc).replace(f"{self.root}/", "")
        if "no scenario file" in text:
            text += "\n(upload the scenario file together with the sweep, or name a bundled scenario)"
        return text


def _is_sweep(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:MAX_UPLOAD_BYTES]
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^a6sim-sweep\s*:", head, re.MULTILINE) is not None
