"""The bundled examples: scenarios, lessons and sweeps shipped inside the package.

One finder for every command and the dashboard. The files are package data of
``a6sim.examples`` (the repository's ``scenarios/`` folder), found with
``importlib.resources`` so they are there from any working directory, in a clone
(editable install) and in an installed wheel alike.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["EXAMPLES_DIR", "SCENARIO_DIR", "LESSON_DIR", "SWEEP_DIR", "example_scenarios", "find_scenario",
           "resolve_scenario", "example_sweeps", "find_sweep"]

EXAMPLES_DIR = Path(str(files("a6sim.examples")))
SCENARIO_DIR = EXAMPLES_DIR          # the example scenarios: *.yaml at the top
LESSON_DIR = EXAMPLES_DIR / "lessons"
SWEEP_DIR = EXAMPLES_DIR / "sweeps"


def example_scenarios(directory: Path = SCENARIO_DIR) -> list[Path]:
    """The bundled scenario files, in name order."""
    return sorted(directory.glob("*.yaml"))


def find_scenario(name: str) -> Path | None:
    """A bundled scenario by name (``two_party_basic`` or ``two_party_basic.yaml``), or None."""
    if Path(name).name != name:
        return None
    for path in example_scenarios():
        if name in (path.stem, path.name):
            return path
    return None


def resolve_scenario(name: str) -> str | Path:
    """A path the user typed when it exists, else the bundled scenario of that name, else the name.

    A file in the working directory always wins over a bundled example of the same name,
    so a user's own ``two_party_basic.yaml`` is never shadowed.
    """
    if Path(name).exists():
        return name
    return find_scenario(name) or name


def example_sweeps() -> list[Path]:
    """The bundled sweep files, in name order."""
    return sorted(SWEEP_DIR.glob("*.yaml")) if SWEEP_DIR.is_dir() else []


def find_sweep(name: str) -> Path | None:
    """A bundled sweep by name (``delivery_risk`` or ``delivery_risk.yaml``), or None."""
    if Path(name).name != name:
        return None
    for path in example_sweeps():
        if name in (path.stem, path.name):
            return path
    return None
