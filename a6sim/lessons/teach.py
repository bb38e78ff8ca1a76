"""Run a lesson: simulate its scenario, find the steps on the timeline and compute the
answers. Everything the terminal, the handout and the classroom page show comes from
a :class:`LessonRun`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from ..results import Results, simulate
from ..scenario import ScenarioError
from ..scenario.errors import Issue
from .figures import figure_value, unit_of
from .load import Lesson
from .model import Question
from .timeline import movements, step_changes, stop_days

__all__ = ["LessonRun", "Answer", "teach", "check_answer", "parse_answer"]


@dataclass(frozen=True)
class Answer:
    """The engine's answer to a question, next to the lecturer's expected value."""
    question: Question
    value: Optional[float]          # in the file's units (or currency)
    unit: str

    @property
    def drift(self) -> bool:
        """The lecturer's expected value is not within the tolerance of the engine's figure."""
        return not self.accepts(self.question.expected)

    def accepts(self, given: float) -> bool:
        """Is ``given`` right (within the question's tolerance of the engine's figure)?"""
        return self.value is not None and abs(given - self.value) <= self.question.tolerance + 1e-9


@dataclass
class LessonRun:
    """A lesson run through the engine (as written, or with its what-if lever)."""
    lesson: Lesson
    results: Results
    days: list[int]
    what_if: bool = False
    _changes: dict = field(default_factory=dict, repr=False)   # step index -> its changes

    @property
    def steps(self):
        return self.lesson.model.steps

    def date_of(self, index: int):
        return self.results.world.cal.date_of(self.days[index])

    def movements(self, index: int):
        """Ledger rows of step ``index`` (0-based): after the previous stop, up to this one."""
        return movements(self.results, self.days[index - 1] if index else None, self.days[index])

    def changes(self, index: int) -> dict:
        """Balances before and after step ``index`` and the parts of the change (see timeline);
        computed once per step (the terminal, the handout and the classroom all ask again)."""
        if index not in self._changes:
            self._changes[index] = step_changes(self.results, self.days[index - 1] if index else None,
                                                self.days[index])
        return self._changes[index]

    @cached_property
    def answers(self) -> list[Answer]:
        sc = self.results.scenario
        return [Answer(q, figure_value(self.results, q.figure), unit_of(sc, q.figure))
                for q in self.lesson.model.questions]

    def questions_at(self, index: int) -> list[Answer]:
        """The questions asked after step ``index`` (0-based)."""
        last = len(self.steps)
        return [a for a in self.answers if (a.question.step or last) == index + 1]


def teach(lesson: Lesson, what_if: bool = False) -> LessonRun:
    """Simulate the lesson (or its what-if variant) and place its steps.

    Raises :class:`~a6sim.ScenarioError` naming the lesson's field when a step's event
    never happens, the steps are not in time order, or a question's figure matches no
    row of the run as written.
    """
    scenario = lesson.what_if_scenario() if what_if else lesson.scenario
    results = simulate(scenario)
    days = stop_days(results, lesson.model.steps)
    issues = []
    for i, (step, day) in enumerate(zip(lesson.model.steps, days)):
        where = ("lesson", "steps", i, "event" if step.event is not None else "date")
        if day is None:
            issues.append(Issue(lesson.source, lesson.line(*where), where,
                                f"no {step.event.action} movement matches (occurrence {step.event.occurrence})"
                                + (" in the what-if run" if what_if else "")))
        elif i and days[i - 1] is not None and day < days[i - 1]:
            issues.append(Issue(lesson.source, lesson.line(*where), where,
                                "steps must go forward in time: this one stops before the previous one"
                                + (" in the what-if run" if what_if else "")))
    run = LessonRun(lesson, results, days, what_if)
    if not what_if and not issues:
        for i, a in enumerate(run.answers):
            if a.value is None:
                where = ("lesson", "questions", i, "figure")
                issues.append(Issue(lesson.source, lesson.line(*where), where,
                                    "matches no row of the run (check the filters)"))
    if issues:
        raise ScenarioError(issues)
    return run


def parse_answer(text: str) -> float:
    """A number as people type it: ``5``, ``-1.5``, ``5,000,000``, ``5 000``. Raises ValueError."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        raise ValueError("empty answer")
    return float(cleaned)


def check_answer(answer: Answer, text: str) -> tuple[bool, str]:
    """``(right, feedback)`` for a typed answer; unreadable input is wrong with a hint."""
    try:
        given = parse_answer(text)
    except ValueError:
        return False, f"{text.strip()!r} is not a number; type digits, for example 5 or -1.5"
    if answer.accepts(given):
        return True, "Right."
    return False, "Not quite."
