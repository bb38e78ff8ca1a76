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
        return whl.namelist()


def test_the_wheel_ships_the_examples_lessons_assets_and_licence(wheel_names):
    names = set(wheel_names)
    bundled = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert bundled and {f"a6sim/examples/{n}" for n in bundled} <= names
    lessons = sorted(p.name for p in (ROOT / "scenarios" / "lessons").glob("*.yaml"))
    assert lessons and {f"a6sim/examples/lessons/{n}" for n in lessons} <= names
    assets = sorted(p.name for p in (ROOT / "dashboard" / "assets").iterdir() if p.is_file())
    assert assets and {f"a6sim/dashboard/assets/{n}" for n in assets} <= names
    assert any(n.endswith("dist-info/licenses/LICENSE") or n.endswith("dist-info/LICENSE") for n in names)


def test_the_wheel_has_one_top_level_package(wheel_names):
    tops = {n.split("/")[0] for n in wheel_names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"a6sim"}
    assert not any(n.startswith(("dashboard/", "scenarios/")) for n in wheel_names)
