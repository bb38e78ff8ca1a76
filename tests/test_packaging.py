"""The package layout: one top-level import, every package folder listed for the wheel.

The source keeps the architecture's folders (``dashboard/``, ``scenarios/``) and
pyproject maps them to ``a6sim.dashboard`` and ``a6sim.examples``; a package folder
missing from pyproject's list would silently be left out of the wheel.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from a6sim.resources import LESSON_DIR, SCENARIO_DIR, example_scenarios, find_scenario, resolve_scenario

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_the_wheel():
    cfg = _pyproject()
    mapping = cfg["package-dir"]
    expected = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            if "__pycache__" in rel.parts:
                continue
            name = ".".join((package, *rel.parts))
            # a folder mapped elsewhere (a6sim.dashboard inside a6sim/) is not under a6sim/
            expected.add(name)
    assert expected == set(cfg["packages"])


def test_one_top_level_import():
    tops = {p.split(".")[0] for p in _pyproject()["packages"]}
    assert tops == {"a6sim"}


def test_bundled_examples_are_found_by_name_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = [p.stem for p in example_scenarios()]
    assert "two_party_basic" in names and len(names) >= 10
    assert find_scenario("two_party_basic") == SCENARIO_DIR / "two_party_basic.yaml"
    assert find_scenario("two_party_basic.yaml") == SCENARIO_DIR / "two_party_basic.yaml"
    assert find_scenario("../two_party_basic") is None
    assert (LESSON_DIR / "one_tonne_two_claims.yaml").is_file()
    # from Python too, as the README's Python API shows: a name loads (and runs) the bundled example
    import a6sim
    assert a6sim.load_scenario("two_party_basic").source == str(SCENARIO_DIR / "two_party_basic.yaml")
    assert a6sim.simulate("two_party_basic").summary["issued"] == 10_000_000
    # a user's own file of the same name wins over the bundled example
    (tmp_path / "two_party_basic").write_text("a6sim: 1\n")
    assert resolve_scenario("two_party_basic") == "two_party_basic"
    with pytest.raises(a6sim.ScenarioError, match="two_party_basic:"):
        a6sim.load_scenario("two_party_basic")     # the user's (broken) file, not the example


def test_examples_copy_never_overwrites(tmp_path, capsys):
    from a6sim.cli import main
    dest = tmp_path / "mine"
    assert main(["examples", "copy", str(dest)]) == 0
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*.yaml"))
    assert "two_party_basic.yaml" in copied and "lessons/one_tonne_two_claims.yaml" in copied
    # the block tables the README's import example uses: an installed package has no scenarios/ folder
    tables = sorted(p.name for p in (dest / "registry").glob("*.csv"))
    assert tables == ["blocks.csv", "detailed_credit_data.csv", "parties.csv"]
    assert main(["import", "blocks", str(dest / "registry" / "blocks.csv"), "--out", str(tmp_path / "b.yaml"),
                 "--parties", str(dest / "registry" / "parties.csv")]) == 0
    own = dest / "two_party_basic.yaml"
    own.write_text("my edits\n")
    before = sorted(dest.rglob("*"))
    assert main(["examples", "copy", str(dest)]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert own.read_text() == "my edits\n" and sorted(dest.rglob("*")) == before
    assert main(["examples"]) == 0
    assert "two_party_basic" in capsys.readouterr().out
