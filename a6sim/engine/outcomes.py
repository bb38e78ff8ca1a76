"""Realised and credited outcomes of every activity vintage (whole tonnes).

* realised: the planned outcome, times ``max(0, 1 + variability * z)`` with ``z`` a
  standard normal draw from the scenario's seed when ``outcome_variability > 0``;
  this is what lowers the host's inventory;
* credited: ``floor(realised * (1 - baseline_decline) ** (vintage - first_vintage))``,
  what is issued. The uncredited part stays with the host (6.4 baseline rules).
"""
from __future__ import annotations

import hashlib
from fractions import Fraction

import numpy as np

from ..scenario.series import round_half_up

__all__ = ["Outcomes", "outcomes"]


class Outcomes:
    """``realised[(activity, vintage)]`` and ``credited[(activity, vintage)]``, tonnes."""

    __slots__ = ("realised", "credited")

    def __init__(self, realised: dict, credited: dict):
        self.realised, self.credited = realised, credited


def _stream(seed: int, activity: str) -> np.random.Generator:
    """An independent stream per activity: adding an activity never shifts another's draws."""
    key = int.from_bytes(hashlib.sha256(activity.encode()).digest()[:8], "little")
    return np.random.default_rng(np.random.SeedSequence([seed, key]))


def outcomes(scenario) -> Outcomes:
    realised, credited = {}, {}
    seed = scenario.seed
    for act_id, act in scenario.model.activities.items():
        plan = scenario.planned_outcome(act_id)
        decline = scenario.baseline_decline(act_id)
        rng = _stream(seed, act_id) if act.outcome_variability > 0 else None
        sigma = Fraction(act.outcome_variability).limit_denominator(10**6)
        first = act.vintages[0]
        for v in sorted(plan):
            value = plan[v]
            if rng is not None:
                factor = Fraction(float(1 + float(sigma) * rng.standard_normal())).limit_denominator(10**9)
                value = value * max(Fraction(0), factor)
            real = round_half_up(value)
            realised[(act_id, v)] = real
            credited[(act_id, v)] = int(real * (1 - decline) ** (v - first) // 1)
    return Outcomes(realised, credited)
