"""Read a lesson file: the scenario part is checked like any scenario, the ``lesson:``
block against :class:`~a6sim.lessons.model.LessonModel`, and every name the lesson
uses against the scenario. Errors name the file, line and field (``lesson.steps[2].date``).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..scenario import Scenario, ScenarioError
from ..scenario.errors import Issue
from ..scenario.load import _validate
from ..scenario.pydantic_errors import issues_from_validation
from ..scenario.yamlread import line_of, parse_yaml, read_yaml
from .model import LessonModel

__all__ = ["Lesson", "load_lesson", "lesson_from_text", "apply_settings"]


@dataclass(frozen=True, eq=False)
class Lesson:
    """A validated lesson: its scenario, the ``lesson:`` block, and where it came from."""
    name: str
    source: str
    model: LessonModel
    scenario: Scenario
    data: dict = field(repr=False)            # the scenario part as plain data (for the what-if rerun)
    lines: dict = field(repr=False)

    @property
    def title(self) -> str:
        return self.model.title

    def what_if_scenario(self) -> Scenario:
        """The lesson's scenario with the what-if lever's fields set."""
        data = apply_settings(self.data, self.model.what_if.set)
        return _validate(data, {}, f"{self.source} (what if: {self.model.what_if.label})")

    def line(self, *path) -> int | None:
        """The line of a field of the file (``line('lesson', 'steps', 0)``)."""
        return line_of(self.lines, path)


def load_lesson(path: str | Path) -> Lesson:
    """Read and check a lesson file. Raises :class:`~a6sim.ScenarioError` listing every problem."""
    data, lines = read_yaml(path)
    return _lesson(data, lines, str(path), Path(path).stem)


def lesson_from_text(text: str, source: str = "<lesson>", name: str = "lesson") -> Lesson:
    """Check lesson YAML given as text."""
    data, lines = parse_yaml(text, source)
    return _lesson(data, lines, source, name)


def _lesson(data, lines, source: str, name: str) -> Lesson:
    if not isinstance(data, dict) or "lesson" not in data:
        raise ScenarioError([Issue(source, line_of(lines, ()), ("lesson",),
                                   "a lesson file is a scenario with a 'lesson:' block (guide: a6sim docs lessons)")])
    block = data["lesson"]
    scenario_data = {k: v for k, v in data.items() if k != "lesson"}
    issues: list[Issue] = []
    scenario = None
    try:
        scenario = _validate(scenario_data, lines, source)
    except ScenarioError as exc:
        issues += exc.issues
    model = None
    sub = {p[1:]: n for p, n in lines.items() if p[:1] == ("lesson",)}
    try:
        model = LessonModel.model_validate(block)
    except ValidationError as exc:
        issues += [Issue(i.file, i.line, ("lesson",) + tuple(i.path), i.message)
                   for i in issues_from_validation(exc, block, sub, source, LessonModel)]
    if model is not None and scenario is not None:
        issues += [Issue(source, line_of(lines, p), p, msg) for p, msg in _reference_issues(model, scenario)]
        if not issues:
            issues += _what_if_issues(model, scenario_data, lines, source)
    if issues:
        raise ScenarioError(issues)
    return Lesson(name, source, model, scenario, scenario_data, dict(lines))


def _reference_issues(model: LessonModel, scenario: Scenario):
    """Names used by the lesson that the scenario does not have."""
    m = scenario.model
    known = {"party": set(m.parties), "host": set(m.parties), "agreement": set(m.agreements),
             "activity": set(m.activities),
             "from_party": set(m.parties) | {"mechanism"}, "to_party": set(m.parties) | {"mechanism"}}
    years = range(m.period.start, m.period.end + 1)
    for i, step in enumerate(model.steps):
        where = ("lesson", "steps", i)
        if step.date is not None and step.date.year not in years:
            yield where + ("date",), f"{step.date} is outside the simulated period {years[0]}-{years[-1]}"
        if step.event is not None:
            for key in ("agreement", "activity", "host"):
                value = getattr(step.event, key)
                if value is not None and value not in known[key]:
                    yield where + ("event", key), f"unknown {key} {value!r}"
    seen = set()
    for i, q in enumerate(model.questions):
        where = ("lesson", "questions", i)
        if q.id in seen:
            yield where + ("id",), f"question id {q.id!r} is used twice"
        seen.add(q.id)
        if q.step is not None and q.step > len(model.steps):
            yield where + ("step",), f"step {q.step}: the lesson has {len(model.steps)} steps"
        for key, value in q.figure.filters().items():
            if key in known and value not in known[key]:
                yield where + ("figure", key), f"unknown {key.replace('_', ' ')} {value!r}"
            if key in ("year", "vintage") and value not in years:
                yield where + ("figure", key), f"{value} is outside the simulated period {years[0]}-{years[-1]}"


def _what_if_issues(model: LessonModel, scenario_data: dict, lines, source: str) -> list[Issue]:
    where = ("lesson", "what_if", "set")
    out = []
    for key in model.what_if.set:
        try:
            apply_settings(scenario_data, {key: None})
        except KeyError as exc:
            out.append(Issue(source, line_of(lines, where + (key,)), where + (key,), exc.args[0]))
    if out:
        return out
    try:
        _validate(apply_settings(scenario_data, model.what_if.set), {}, source)
    except ScenarioError as exc:
        out += [Issue(source, line_of(lines, where), where, f"the what-if scenario is not valid: "
                      f"{'.'.join(map(str, i.path))}: {i.message}") for i in exc.issues]
    return out


def apply_settings(data: dict, settings: dict) -> dict:
    """A deep copy of ``data`` with each dotted field path set to its value.

    Path parts are matched against the keys present (an id may contain dots; a year
    key may be written as digits); in a list (``events``) a part is an item's index
    from 0. The last part may be a new key of an existing mapping
    (``agreements.deal.cap`` where the file gives no cap). Raises ``KeyError`` with a
    readable message when a path leads nowhere.
    """
    out = copy.deepcopy(data)
    for dotted, value in settings.items():
        parts = str(dotted).split(".")
        node, walked = out, []
        while True:
            if isinstance(node, list):
                index = parts[0]
                if not (index.isdigit() and int(index) < len(node)):
                    raise KeyError(f"{'.'.join(walked + [index])}: the list has {len(node)} item"
                                   f"{'s' if len(node) != 1 else ''} (0 to {len(node) - 1})")
                key = int(index)
            elif isinstance(node, dict):
                key = _match(node, parts) if len(parts) > 1 else None
                if len(parts) == 1:
                    key = next((k for k in node if str(k) == parts[0]),
                               int(parts[0]) if parts[0].isdigit() else parts[0])
                elif key is None:
                    raise KeyError(f"{'.'.join(walked + parts)}: no field {parts[0]!r} in "
                                   f"{'.'.join(walked) or 'the scenario'}")
            else:
                raise KeyError(f"{'.'.join(walked)} is not a mapping of fields")
            consumed = len(str(key).split(".")) if isinstance(node, dict) else 1
            if consumed == len(parts):
                node[key] = copy.deepcopy(value)
                break
            walked.append(str(key))
            parts = parts[consumed:]
            node = node[key]
    return out


def _match(node: dict, parts: list[str]):
    """The key of ``node`` spelled by the longest prefix of ``parts`` (ids may contain dots)."""
    for n in range(len(parts) - 1, 0, -1):
        spelled = ".".join(parts[:n])
        for k in node:
            if str(k) == spelled:
                return k
    return None
