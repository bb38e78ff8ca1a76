"""Scenario errors: every problem of a file, with its location, in one report."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Issue", "ScenarioError", "SweepFileError", "format_path", "listed"]


def listed(names, limit: int = 12) -> str:
    """Known ids as a message lists them: the first ``limit``, then how many more (a file with
    10,000 parties gets a line, not a page, per unknown id)."""
    names = list(names)
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f", ... ({more:,} more)" if more > 0 else "")


# the lists of a scenario that can run to thousands of items: an item's index there is
# never a year, whatever its value
_LONG_LISTS = frozenset({"transactions", "issuances", "events"})


def format_path(path: tuple) -> str:
    """``('agreements', 'che-gha', 'cap')`` -> ``agreements.che-gha.cap``; list items as ``[i]``.

    A whole number of four digits elsewhere is a year used as a key (``emissions.2023``)."""
    out, prev = "", None
    for part in path:
        if isinstance(part, int) and (prev in _LONG_LISTS or not 1000 <= part <= 9999):   # a list index
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
        prev = part
    return out or "(top level)"


@dataclass(frozen=True)
class Issue:
    """One problem: where it is and what was expected."""
    file: str
    line: int | None
    path: tuple
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {format_path(self.path)}: {self.message}"


class ScenarioError(ValueError):
    """A scenario file was refused; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, format_path(i.path)))
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in scenario"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in self.issues))


class SweepFileError(ScenarioError):
    """A sweep file (``a6sim-sweep: 1``) was given where a scenario file was expected.

    One issue, at the ``a6sim-sweep`` key, saying what the file is and which commands
    take it (instead of a list of unknown and missing scenario fields).
    """

    def __init__(self, file: str, line: int | None):
        self.file, self.line = file, line
        super().__init__([Issue(file, line, ("a6sim-sweep",), self.advice(file))])
        self.args = (str(self.issues[0]),)

    @staticmethod
    def advice(name: str) -> str:
        """What to do with the sweep file ``name``."""
        return (f"this is a sweep file (a6sim-sweep: 1), not a scenario: run it with "
                f"`a6sim sweep {name} --out DIR`; `a6sim validate {name}` checks it")

    def told_as(self, name: str) -> str:
        """The message, naming the file as the user gave it (a path or a bundled sweep's name)."""
        return str(Issue(name, self.line, ("a6sim-sweep",), self.advice(name)))
