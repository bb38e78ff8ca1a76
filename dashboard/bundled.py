"""The example scenarios shipped with a6sim (``a6sim.resources``), and reading an upload."""
from __future__ import annotations

import base64
import binascii
import threading
from collections import OrderedDict
from pathlib import Path

import a6sim
from a6sim.resources import SCENARIO_DIR

__all__ = ["SCENARIO_DIR", "MAX_UPLOAD_BYTES", "UploadError", "Library", "bundled_scenarios", "bundled_text",
           "decode_upload", "validate_text"]

MAX_UPLOAD_BYTES = 1_000_000


class UploadError(ValueError):
    """An upload that is not a scenario text at all (too big, not UTF-8)."""


def bundled_scenarios(directory: Path = SCENARIO_DIR) -> list[dict]:
    """``[{'file': 'two_party_basic.yaml', 'name': ...}]`` for a dropdown, by file name."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            name = a6sim.load_scenario(path).name
        except a6sim.ScenarioError:
            continue
        out.append({"file": path.name, "name": name})
    return out


def bundled_text(file: str, directory: Path = SCENARIO_DIR) -> str:
    """The text of a bundled scenario; only plain names of files in the folder are accepted."""
    path = directory / file
    if Path(file).name != file or path.suffix != ".yaml" or not path.is_file():
        raise FileNotFoundError(f"no bundled scenario named {file!r}")
    return path.read_text(encoding="utf-8")


class Library:
    """The scenarios a dashboard offers in its list: a folder of YAML files (read-only)."""

    def __init__(self, directory: str | Path = SCENARIO_DIR, remembered: int = 8):
        self.directory = Path(directory)
        self._validated: "OrderedDict[tuple, a6sim.Scenario]" = OrderedDict()
        self._remembered = remembered
        self._lock = threading.Lock()
        self._entries = bundled_scenarios(self.directory)
        if not self._entries:
            raise FileNotFoundError(f"{self.directory}: no valid scenario files (*.yaml)")

    def __getstate__(self):
        """A job process gets the folder and the list, not the remembered scenarios or the lock."""
        return {"directory": self.directory, "remembered": self._remembered, "entries": self._entries}

    def __setstate__(self, state):
        self.directory, self._remembered, self._entries = state["directory"], state["remembered"], state["entries"]
        self._validated = OrderedDict()
        self._lock = threading.Lock()

    def entries(self) -> list[dict]:
        return list(self._entries)

    @property
    def default(self) -> str:
        """The first scenario a new session sees: the two-party example when present."""
        files = [e["file"] for e in self._entries]
        return "two_party_basic.yaml" if "two_party_basic.yaml" in files else files[0]

    def text(self, file: str) -> str:
        return bundled_text(file, self.directory)

    def validate(self, text: str, source: str) -> a6sim.Scenario:
        """:func:`validate_text`, remembered for the last few texts: the page, the edit and the
        run callbacks of one session validate the same text (seconds for a big world).
        Scenarios are immutable, so sharing them is safe; errors are not remembered."""
        key = (source, text)
        with self._lock:
            if key in self._validated:
                self._validated.move_to_end(key)
                return self._validated[key]
        scenario = validate_text(text, source)
        with self._lock:
            self._validated[key] = scenario
            while len(self._validated) > self._remembered:
                self._validated.popitem(last=False)
        return scenario


def decode_upload(contents: str, filename: str) -> str:
    """The text of a ``dcc.Upload`` data URL; refuses files over 1 MB and non-UTF-8 bytes."""
    try:
        payload = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        raise UploadError(f"{filename}: the upload could not be read") from None
    if len(payload) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{filename}: {len(payload):,} bytes; scenario files are limited to "
                          f"{MAX_UPLOAD_BYTES:,} bytes (1 MB)")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{filename}: not UTF-8 text (byte {exc.start})") from None


def validate_text(text: str, source: str) -> a6sim.Scenario:
    """Validate scenario text exactly as ``a6sim validate`` does; raises ``a6sim.ScenarioError``.
    Text above :data:`MAX_UPLOAD_BYTES` (an upload, or an edit sent straight to a callback) is
    refused first; alias and nesting limits apply as to every file (:mod:`a6sim.scenario.yamlread`)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_UPLOAD_BYTES:
        from a6sim.scenario.errors import Issue
        raise a6sim.ScenarioError([Issue(source, 1, (), f"{size:,} bytes of scenario text; the dashboard accepts "
                                                        f"at most {MAX_UPLOAD_BYTES:,} (1 MB): run larger files "
                                                        "with a6sim run")])
    return a6sim.scenario_from_text(text, source=source)
