"""The wheel: what a user installs from it holds the examples, lessons, dashboard assets and
the licence, and exactly one top-level package.

Building the wheel needs setuptools >= 68 and the wheel package in this interpreter (the
build runs without isolation, offline and fast); without them the test is skipped with
the reason. ``A6SIM_WHEEL=path/to.whl`` checks a wheel built beforehand instead.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _can_build() -> str | None:
    """Why the wheel cannot be built here without a download (None: it can)."""
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError as exc:
        return f"no {exc.name} in this interpreter"
    if int(setuptools.__version__.split(".")[0]) < 68:
        return f"setuptools {setuptools.__version__} < 68"
    return None


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> list[str]:
    given = os.environ.get("A6SIM_WHEEL")
    if given:
        path = Path(given)
    else:
        reason = _can_build()
        if reason:
            pytest.skip(f"cannot build the wheel offline: {reason} (set A6SIM_WHEEL to check a built one)")
        out = tmp_path_factory.mktemp("wheel")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                        "-w", str(out), str(ROOT)], check=True, timeout=300)
        [path] = out.glob("a6sim-*.whl")
    with zipfile.ZipFile(path) as whl:
        global _METADATA
        [meta] = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
        _METADATA = whl.read(meta).decode("utf-8")
        return whl.namelist()


_METADATA = ""   # the wheel's METADATA, read with its names


def test_the_wheel_ships_the_examples_lessons_assets_and_licence(wheel_names):
    names = set(wheel_names)
    bundled = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert bundled and {f"a6sim/examples/{n}" for n in bundled} <= names
    lessons = sorted(p.name for p in (ROOT / "scenarios" / "lessons").glob("*.yaml"))
    assert lessons and {f"a6sim/examples/lessons/{n}" for n in lessons} <= names
    assets = sorted(p.name for p in (ROOT / "dashboard" / "assets").iterdir() if p.is_file())
    assert assets and {f"a6sim/dashboard/assets/{n}" for n in assets} <= names
    # the importer's country table and the registry example tables
    assert {"a6sim/importer/countries.csv", "a6sim/examples/registry/blocks.csv",
            "a6sim/examples/registry/detailed_credit_data.csv", "a6sim/examples/registry/parties.csv"} <= names
    assert any(n.endswith("dist-info/licenses/LICENSE") or n.endswith("dist-info/LICENSE") for n in names)


def test_the_wheel_has_one_top_level_package(wheel_names):
    tops = {n.split("/")[0] for n in wheel_names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"a6sim"}
    assert not any(n.startswith(("dashboard/", "scenarios/")) for n in wheel_names)


def test_the_wheel_ships_the_guides_the_commands_and_pages_name(wheel_names):
    # a6sim docs NAME and the dashboard's /docs/NAME read docs/*.md as package data a6sim.docs;
    # the README is the wheel's own description (METADATA); the screenshots are not shipped
    names = set(wheel_names)
    guides = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert guides == ["economics.md", "how-a6sim-counts.md", "lessons.md"]
    assert {f"a6sim/docs/{n}" for n in guides} | {"a6sim/docs/__init__.py", "a6sim/guides.py",
                                                   "a6sim/docs_command.py", "a6sim/dashboard/pages/guides.py"} <= names
    assert not any(n.startswith("a6sim/docs/images/") for n in names)
    body = _METADATA.split("\n\n", 1)[1]
    assert "Description-Content-Type: text/markdown" in _METADATA
    assert body.strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
