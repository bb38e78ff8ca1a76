"""Scenario errors: every problem of a file, with its location, in one report."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Issue", "ScenarioError", "format_path"]


def format_path(path: tuple) -> str:
    """``('agreements', 'che-gha', 'cap')`` -> ``agreements.che-gha.cap``; list items as ``[i]``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not 1000 <= part <= 9999:   # a list index; years read as keys
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
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
