"""The guides shipped inside the package, readable offline from any folder.

The guides are the repository's ``docs/*.md`` (how a6sim counts, the economics,
lessons), package data of ``a6sim.docs``, found with ``importlib.resources`` as the
bundled examples are (:mod:`a6sim.resources`); the README is the installed
distribution's own description (its metadata), so it is the README of the version
installed. ``a6sim docs`` lists them, ``a6sim docs NAME`` prints one, and the
dashboard shows them at ``/docs/NAME``.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

__all__ = ["GUIDE_DIR", "README", "Guide", "guides", "find_guide", "readme_text"]

GUIDE_DIR = Path(str(files("a6sim.docs")))
README = "readme"   # the README's guide name


@dataclass(frozen=True)
class Guide:
    """One guide: its name (``economics``), title (its first heading) and where it is read from."""
    name: str
    title: str
    path: Path | None = None   # None: the README, read from the package metadata

    def text(self) -> str:
        """The guide's markdown."""
        if self.path is None:
            return readme_text() or ""
        return self.path.read_text(encoding="utf-8")

    @property
    def where(self) -> str:
        """Where the guide is, for a reader who wants the file."""
        if self.path is not None:
            return str(self.path)
        beside = GUIDE_DIR.parent / "README.md"
        return str(beside) if beside.is_file() else "the installed package's description (README.md)"


def readme_text() -> str | None:
    """The README: in a clone the repository's README.md beside ``docs/``; installed, the
    distribution's long description (the README it was built from). None without either."""
    beside = GUIDE_DIR.parent / "README.md"
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    from importlib.metadata import PackageNotFoundError, metadata
    try:
        meta = metadata("a6sim")
    except PackageNotFoundError:
        return None
    body = meta.get_payload() if hasattr(meta, "get_payload") else None
    return body or meta.get("Description") or None


def _title(text: str, name: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return name


def guides() -> list[Guide]:
    """Every guide: the README first (when the package metadata holds it), then ``docs/*.md`` by name."""
    out = []
    readme = readme_text()
    if readme:
        out.append(Guide(README, "README: commands, file formats, result files"))
    for path in sorted(GUIDE_DIR.glob("*.md")):
        out.append(Guide(path.stem, _title(path.read_text(encoding="utf-8"), path.stem), path))
    return out


def find_guide(name: str) -> Guide | None:
    """A guide by name: ``economics``, ``economics.md``, ``docs/economics.md``; ``readme`` or
    ``README.md`` for the README. None if there is no such guide."""
    key = name.strip().removeprefix("docs/").removesuffix(".md")
    if "/" in key or "\\" in key:
        return None
    for guide in guides():
        if key == guide.name or (guide.name == README and key.lower() == README):
            return guide
    return None
