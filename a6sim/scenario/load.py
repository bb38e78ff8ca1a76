"""Load a scenario: safe YAML with lines -> strict schema -> semantic checks."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .checks import semantic_issues
from .errors import Issue, ScenarioError, SweepFileError
from .limits import tonnes_issues
from .model import Quantity, ScenarioModel
from .scenario import UNIT_FACTORS
from .pydantic_errors import issues_from_validation
from .scenario import Scenario
from .yamlread import line_of, parse_yaml, read_yaml

__all__ = ["load_scenario", "scenario_from_dict", "scenario_from_text", "scenario_for_run"]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file, or a bundled example by its name
    (``"two_party_basic"``; a file of that name in the working folder wins, as on the command
    line). Raises :class:`ScenarioError` listing every problem."""
    from ..resources import resolve_scenario
    path = resolve_scenario(str(path))
    if not Path(path).exists() and Path(str(path)).name == str(path):   # a bare name: say what it is
        raise ScenarioError([Issue(str(path), None, (), _unknown_name(str(path)))])
    data, lines = read_yaml(path)
    return _validate(data, lines, str(path))


def _unknown_name(name: str) -> str:
    """Why a bare name is no scenario: no such file here and no bundled scenario (or a sweep's name)."""
    from ..resources import example_scenarios, find_sweep
    if find_sweep(name):
        what = f"is a bundled sweep, not a scenario: run it with `a6sim sweep {name} --out DIR`"
    else:
        what = "no scenario file of that name and no bundled scenario"
    names = ", ".join(p.stem for p in example_scenarios())
    return f"{what} (bundled scenarios: {names}; see: a6sim examples)"


def scenario_from_text(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario YAML given as text (e.g. an upload)."""
    data, lines = parse_yaml(text, source)
    return _validate(data, lines, source)


def scenario_from_dict(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario given as plain data (as a notebook or a generator builds it)."""
    return _validate(data, {}, source)


def scenario_for_run(data: dict, source: str, changed: list[tuple]) -> Scenario:
    """:func:`scenario_from_dict` for a sweep's run: ``data`` is a scenario already
    validated with the values at the paths ``changed`` replaced. Every check runs, but
    the bound in tonnes reads only the changed items (all of them if ``units`` changed)."""
    within = None if any(p[:1] == ("units",) for p in changed) else changed
    return _validate(data, {}, source, within)


def _validate(data, lines, source: str, within=None) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError([Issue(source, line_of(lines, ()), (), "expected a mapping starting with 'a6sim: 1'")])
    if "a6sim-sweep" in data and "a6sim" not in data:   # a sweep file: say so, not 10 unknown fields
        raise SweepFileError(source, line_of(lines, ("a6sim-sweep",)))
    if data.get("a6sim") not in (1, 2, None):
        raise ScenarioError([Issue(source, line_of(lines, ("a6sim",)), ("a6sim",),
                                   f"format version {data.get('a6sim')!r} is not supported; this a6sim reads versions 1 and 2")])
    try:
        model = ScenarioModel.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(issues_from_validation(exc, data, lines, source, ScenarioModel)) from None
    problems = tonnes_issues(model, Quantity, UNIT_FACTORS[model.units], within)
    if problems:   # the other checks compute with the quantities: bounded ones only
        raise ScenarioError([Issue(source, line_of(lines, p), p, msg) for p, msg in problems])
    problems = semantic_issues(model)
    if problems:
        raise ScenarioError([Issue(source, line_of(lines, p), p, msg) for p, msg in problems])
    return Scenario(model, source, lines)
