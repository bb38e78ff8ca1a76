"""Semantic checks of the economics fields: abatement cost curves (docs/economics.md).

A curve is a marginal abatement cost (the file's currency per tCO2e) as a function of
the quantity abated below the reference emissions in a year. It must be written in
one form (``a`` and ``b``, or ``points``), never fall, never be negative, and a
piecewise-linear curve must start at quantity 0 with quantities increasing.
"""
from __future__ import annotations

from .model import AbatementCurve, ScenarioModel

__all__ = ["economics_issues"]


def economics_issues(m: ScenarioModel) -> list[tuple[tuple, str]]:
    """Every problem of the parties' ``abatement_cost`` curves, as ``(path, message)``."""
    out: list[tuple[tuple, str]] = []
    for pid, party in m.parties.items():
        curves = party.abatement_cost
        if curves is None:
            continue
        path = ("parties", pid, "abatement_cost")
        if not curves:
            out.append((path, "give a curve for at least one year, e.g. {2021: {a: 10, b: 2}}"))
        for year, curve in curves.items():
            _check_curve(out, path + (year,), curve)
    return out


def _check_curve(out, path, c: AbatementCurve) -> None:
    linear = c.a is not None or c.b is not None
    if c.points is not None and (linear or c.max is not None):
        out.append((path, "give either a and b (a + b*q) or points (piecewise-linear), not both; "
                          "a piecewise curve ends at its last point (max is for a + b*q)"))
        return
    if c.points is None:
        if c.a is None or c.b is None:
            missing = "a" if c.a is None else "b"
            out.append((path + (missing,), "required for a linear curve a + b*q "
                                           "(or give points: [[0, cost], [q, cost], ...])"))
            return
        if c.a < 0:
            out.append((path + ("a",), f"a marginal cost may not be negative, got {c.a:g}"))
        if c.b < 0:
            out.append((path + ("b",), f"the curve may not decrease (b >= 0), got {c.b:g}"))
        return
    pts = c.points
    if pts[0][0] != 0:
        out.append((path + ("points", 0), f"the first point must be at quantity 0, got {pts[0][0]:g}"))
    for i, (q, cost) in enumerate(pts):
        if cost < 0:
            out.append((path + ("points", i), f"a marginal cost may not be negative, got {cost:g}"))
        if i and q <= pts[i - 1][0]:
            out.append((path + ("points", i), f"quantities must increase: {q:g} after {pts[i - 1][0]:g}"))
        if i and cost < pts[i - 1][1]:
            out.append((path + ("points", i), f"the curve may not decrease: cost {cost:g} after "
                                              f"{pts[i - 1][1]:g}"))
