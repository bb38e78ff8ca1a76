"""Realised and credited outcomes of every activity vintage (whole tonnes).

* realised: the planned outcome, times ``max(0, 1 + variability * z)`` with ``z`` a
  standard normal draw from the scenario's seed when ``outcome_variability > 0``;
  this is what lowers the host's inventory;
* leakage: the activity's quantified leakage for the vintage (tonnes, ``leakage``);
* credited: ``floor(max(0, realised - leakage) * (1 - baseline_decline) ** (vintage -
  first_vintage))``, what is issued. Quantified leakage is deducted from the
  reductions before crediting (the leakage pillar of the Art. 6.4 mechanism,
  A6.4-STAN-METH-005); the uncredited part stays with the host (6.4 baseline rules).
"""
from __future__ import annotations

import hashlib

import numpy as np


__all__ = ["Outcomes", "outcomes"]


class Outcomes:
    """``realised``, ``credited`` and ``leakage`` by ``(activity, vintage)``, tonnes."""

    __slots__ = ("realised", "credited", "leakage")

    def __init__(self, realised: dict, credited: dict, leakage: dict | None = None):
        self.realised, self.credited = realised, credited
        self.leakage = leakage or {}


def _stream(seed: int, activity: str) -> np.random.Generator:
    """An independent stream per activity: adding an activity never shifts another's draws."""
    key = int.from_bytes(hashlib.sha256(activity.encode()).digest()[:8], "little")
    return np.random.default_rng(np.random.SeedSequence([seed, key]))


def outcomes(scenario) -> Outcomes:
    realised, credited, leaked = {}, {}, {}
    seed = scenario.seed
    for act_id, act in scenario.model.activities.items():
        plan = scenario.planned_outcome(act_id)
        decline = scenario.baseline_decline(act_id)
        keep = 1 - decline
        keep_num, keep_den = keep.numerator, keep.denominator
        rng = _stream(seed, act_id) if act.outcome_variability > 0 else None
        sigma = float(act.outcome_variability)
        leakage = act.leakage
        planned = None
        vintages = sorted(plan)
        # one draw per vintage, in vintage order: an array of draws is the same numbers
        # as as many single draws from the stream (tests/test_outcomes_draws.py)
        draws = rng.standard_normal(len(vintages)).tolist() if rng is not None else None
        # keep ** (v - first vintage): the plan has every vintage from the first on
        kept_num = kept_den = 1
        for i, v in enumerate(vintages):
            if plan[v] is not planned:   # a yearly outcome is one value for every vintage
                planned = plan[v]
                pn, pd = planned.numerator, planned.denominator
                plain = (2 * pn + pd) // (2 * pd)   # round half up, exact
            if draws is None:
                real = plain
            else:
                fn, fd = max(0.0, 1.0 + sigma * draws[i]).as_integer_ratio()
                real = (2 * pn * fn + pd * fd) // (2 * pd * fd)   # round half up, exact
            realised[(act_id, v)] = real
            leak = _leakage(scenario, leakage, v) if leakage else 0
            if leak:
                leaked[(act_id, v)] = leak
            net = max(0, real - leak)
            if decline:
                credited[(act_id, v)] = net * kept_num // kept_den
                kept_num, kept_den = kept_num * keep_num, kept_den * keep_den
            else:
                credited[(act_id, v)] = net
    return Outcomes(realised, credited, leaked)


def _leakage(scenario, leakage, vintage: int) -> int:
    """Quantified leakage of one vintage (``leakage``: the activity's field), whole tonnes
    (0 where none is given)."""
    value = leakage.get(vintage, 0) if isinstance(leakage, dict) else leakage
    return scenario.tonnes(value) if value else 0
