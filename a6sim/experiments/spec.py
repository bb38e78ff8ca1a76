"""The sweep file, format version 1: every field declared once (README, "Sweeps").

``load_sweep`` reads it with the scenario reader (line of every key), checks the
fields strictly, loads the base scenario and checks every path, distribution,
lever value and hazard against it: every problem in one report, each located as
``file:line: field.path: what was expected``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..resources import example_sweeps, find_sweep
from ..scenario import Scenario, ScenarioError, load_scenario
from ..scenario.errors import Issue
from ..scenario.pydantic_errors import issues_from_validation
from ..scenario.yamlread import line_of, parse_yaml, read_yaml
from .distributions import Distribution
from .hazards import Hazard
from .outcomes import DEFAULT_OUTCOMES

__all__ = ["SweepModel", "SweepSpec", "SweepError", "load_sweep", "sweep_from_text", "sweep_from_dict",
           "find_sweep", "with_runs", "MAX_RUNS", "RUNS_LIMIT"]

MAX_RUNS = 100_000   # grid points x runs above which a sweep needs --force
RUNS_LIMIT = 10_000_000   # the largest ``runs`` a sweep file (or --runs) may ask for

_TAGS = {"uncertain": ("dist", ("normal", "lognormal", "uniform", "triangular", "choice")),
         "hazards": ("event", ("reversal", "revocation"))}


class SweepModel(BaseModel):
    """A sweep file."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)
    a6sim_sweep: Literal[1] = Field(alias="a6sim-sweep", description="format version")
    name: str = Field(description="short title")
    description: str = Field("", description="free text")
    scenario: str = Field(description="base scenario: a file relative to the sweep file, or a bundled name")
    runs: Annotated[int, Field(ge=1, le=RUNS_LIMIT)] = Field(
        100, description="Monte Carlo draws per grid point (with sensitivity: SALib's base sample size N)")
    seed: Annotated[int, Field(ge=0)] = Field(0, description="one seed makes the whole sweep reproducible")
    sampling: Literal["latin-hypercube", "random"] = Field("latin-hypercube", description="latin-hypercube | random")
    levers: dict[str, Annotated[list[Any], Field(min_length=1)]] = Field(
        default_factory=dict, description="field path -> values; every combination is a grid point")
    uncertain: dict[str, Distribution] = Field(default_factory=dict, description="field path -> distribution")
    hazards: list[Hazard] = Field(default_factory=list, description="reversal and revocation hazards")
    outcomes: Annotated[list[str], Field(min_length=1)] = Field(
        default_factory=lambda: list(DEFAULT_OUTCOMES), description="what each run reports")
    sensitivity: Optional[Literal["sobol", "morris"]] = Field(
        None, description="sobol | morris: sample the uncertain inputs for SALib's indices")


class SweepError(ScenarioError):
    """A sweep file was refused; ``issues`` lists every problem found (sweep and scenario)."""

    def __init__(self, issues: list[Issue]):
        super().__init__(issues)
        n = len(self.issues)
        self.args = (f"{n} problem{'s' if n != 1 else ''} in sweep:\n" + "\n".join(f"  {i}" for i in self.issues),)


@dataclass
class SweepSpec:
    """A validated sweep: its model, where it came from, and its base scenario."""
    model: SweepModel
    source: str
    scenario: Scenario
    scenario_text: str
    lines: dict = field(default_factory=dict, repr=False)
    file_runs: Optional[int] = None   # the file's ``runs`` when --runs (:func:`with_runs`) replaced it

    @property
    def name(self) -> str:
        return self.model.name

    def line(self, *path) -> int | None:
        return line_of(self.lines, path)

    def digest(self, sensitivity: str | None = None) -> str:
        """Hash of what decides the runs: the sweep's fields and the base scenario's content."""
        spec = self.model.model_dump(mode="json", by_alias=True)
        spec.pop("name"), spec.pop("description")
        spec["scenario"] = self.scenario.digest
        spec["sensitivity"] = sensitivity or spec["sensitivity"]
        return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def with_runs(spec: SweepSpec, runs: int | None) -> SweepSpec:
    """``spec`` with ``runs`` draws per grid point instead of the file's (``a6sim sweep --runs N``).

    ``None`` gives ``spec`` back. The maximum of grid points x runs (and ``--force``) apply
    to the new count as to the file's; the file's own value is kept in ``file_runs``.
    Raises :class:`ValueError` outside 1 to :data:`RUNS_LIMIT`.
    """
    if runs is None:
        return spec
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= RUNS_LIMIT:
        raise ValueError(f"runs {runs!r}: expected a whole number from 1 to {RUNS_LIMIT:,}")
    file_runs = spec.file_runs if spec.file_runs is not None else spec.model.runs
    return replace(spec, model=spec.model.model_copy(update={"runs": runs}), file_runs=file_runs)


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and check a sweep file (or a bundled sweep's name). Raises :class:`SweepError`."""
    if not Path(path).exists() and find_sweep(str(path)):
        path = find_sweep(str(path))
    if not Path(path).exists() and Path(str(path)).name == str(path):   # a bare name: say what it is
        from ..resources import find_scenario
        sweeps = ", ".join(p.stem for p in example_sweeps())
        what = (f"is a bundled scenario, not a sweep: run it with `a6sim run {path} --out DIR`, or write a "
                f"sweep file that names it in `scenario:`" if find_scenario(str(path)) else
                "no sweep file of that name and no bundled sweep")
        raise SweepError([Issue(str(path), None, (), f"{what} (bundled sweeps: {sweeps}; see: a6sim examples)")])
    try:
        data, lines = read_yaml(path)
    except ScenarioError as exc:
        raise SweepError(_for_sweep(exc.issues)) from None
    return _check(data, lines, str(path), Path(path).parent)


def sweep_from_text(text: str, source: str = "<sweep>", base_dir: str | Path = ".") -> SweepSpec:
    """Check a sweep given as YAML text; ``scenario:`` is found relative to ``base_dir``."""
    try:
        data, lines = parse_yaml(text, source)
    except ScenarioError as exc:
        raise SweepError(_for_sweep(exc.issues)) from None
    return _check(data, lines, source, Path(base_dir))


def sweep_from_dict(data: dict, source: str = "<sweep>", base_dir: str | Path = ".",
                    scenario: Scenario | None = None) -> SweepSpec:
    """Check a sweep given as plain data; ``scenario`` may be given as an object instead of a file."""
    return _check(data, {}, source, Path(base_dir), scenario)


def _tag_issues(data: dict, lines, source) -> tuple[dict, list[Issue]]:
    """Entries without a known ``dist`` / ``event``: one clear issue each, and left out of the rest."""
    out, data = [], dict(data)
    for section, (tag, known) in _TAGS.items():
        entries = data.get(section)
        items = entries.items() if isinstance(entries, dict) else enumerate(entries) if isinstance(entries, list) else ()
        bad = []
        for key, entry in items:
            where = (section, key)
            if not isinstance(entry, dict):
                continue
            if tag not in entry:
                out.append(Issue(source, line_of(lines, where), where + (tag,),
                                 f"required field missing: {tag} ({' | '.join(known)})"))
                bad.append(key)
            elif entry[tag] not in known:
                out.append(Issue(source, line_of(lines, where + (tag,)), where + (tag,),
                                 f"expected {' | '.join(known)}, got {entry[tag]!r}"))
                bad.append(key)
        if bad and isinstance(entries, dict):
            data[section] = {k: v for k, v in entries.items() if k not in bad}
        elif bad:
            data[section] = [v for i, v in enumerate(entries) if i not in bad]
    return data, out


def _for_sweep(issues: list[Issue]) -> list[Issue]:
    """Issues of the YAML reader (shared with scenario files), worded for a sweep file."""
    return [Issue(i.file, i.line, i.path, i.message.replace("'a6sim: 1'", "'a6sim-sweep: 1'")) for i in issues]


def _check(data, lines, source: str, base_dir: Path, scenario: Scenario | None = None) -> SweepSpec:
    if not isinstance(data, dict):
        raise SweepError([Issue(source, line_of(lines, ()), (), "expected a mapping starting with 'a6sim-sweep: 1'")])
    if "a6sim" in data and "a6sim-sweep" not in data:
        raise SweepError([Issue(source, line_of(lines, ("a6sim",)), ("a6sim",),
                                "this is a scenario file, not a sweep; run it with `a6sim run`, or write a sweep "
                                "file starting with 'a6sim-sweep: 1' that names it in `scenario:`")])
    if data.get("a6sim-sweep") not in (1,) and "a6sim-sweep" in data:
        raise SweepError([Issue(source, line_of(lines, ("a6sim-sweep",)), ("a6sim-sweep",),
                                f"format version {data.get('a6sim-sweep')!r} is not supported; this a6sim reads version 1")])
    checked, issues = _tag_issues(data, lines, source)
    try:
        model = SweepModel.model_validate(checked)
    except ValidationError as exc:
        issues += issues_from_validation(exc, data, lines, source, SweepModel)
        raise SweepError(issues) from None
    if issues:
        raise SweepError(issues)
    text = ""
    if scenario is None:
        scenario, text, problems = _base_scenario(model.scenario, base_dir, source, line_of(lines, ("scenario",)))
        if problems:
            raise SweepError(problems)
    from .checks import sweep_issues
    problems = [Issue(source, line_of(lines, p), p, msg) for p, msg in sweep_issues(model, scenario)]
    if problems:
        raise SweepError(problems)
    return SweepSpec(model, source, scenario, text, dict(lines))


def _base_scenario(name: str, base_dir: Path, source: str, line) -> tuple[Scenario | None, str, list[Issue]]:
    from ..resources import find_scenario
    path = base_dir / name
    if not path.exists():
        bundled = find_scenario(name)
        if bundled is None:
            return None, "", [Issue(source, line, ("scenario",), f"no scenario file {str(path)!r} and no bundled "
                                                                 f"example named {name!r} (see: a6sim examples)")]
        path = bundled
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        return None, "", [Issue(source, line, ("scenario",), f"the scenario {name!r} is not valid (below)")] + exc.issues
    return scenario, path.read_text(encoding="utf-8"), []
