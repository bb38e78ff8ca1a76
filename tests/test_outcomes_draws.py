"""Realised and credited outcomes (a6sim/engine/outcomes.py), vintage by vintage.

The engine draws an activity's variability for all its vintages at once and carries
the baseline decline from one vintage to the next; these tests recompute both the
slow way (one draw at a time, the power of the kept share per vintage) and by hand.
"""
from __future__ import annotations

import hashlib
from fractions import Fraction

import numpy as np

import a6sim
from a6sim.engine.outcomes import outcomes
from helpers import activity, two_party


def test_baseline_decline_compounds_vintage_by_vintage():
    # 6.4, 1,000 t a year over 2021-2025, baseline decline 10% a year:
    # credited = floor(1,000 * 0.9 ** (v - 2021)):
    # 2021: 1,000; 2022: 900; 2023: 810; 2024: 729; 2025: floor(656.1) = 656.
    data = two_party(act=activity(mechanism="6.4", vintages=(2021, 2025), outcome=1000, baseline_decline=0.1),
                     period=(2021, 2025))
    out = outcomes(a6sim.scenario_from_dict(data))
    assert [out.credited[("act", v)] for v in range(2021, 2026)] == [1000, 900, 810, 729, 656]
    assert [out.realised[("act", v)] for v in range(2021, 2026)] == [1000] * 5


def test_decline_and_leakage_on_yearly_outcomes():
    # outcomes 2,000 / 1,000 / 3,000 t; leakage 100 t a year; decline 50% a year:
    # net 1,900 / 900 / 2,900; credited 1,900 * 1 = 1,900; 900 * 1/2 = 450;
    # 2,900 * 1/4 = 725.
    act = activity(mechanism="6.4", vintages=(2021, 2023), outcome={2021: 2000, 2022: 1000, 2023: 3000},
                   baseline_decline=0.5, leakage=100)
    out = outcomes(a6sim.scenario_from_dict(two_party(act=act)))
    assert [out.credited[("act", v)] for v in (2021, 2022, 2023)] == [1900, 450, 725]
    assert [out.leakage[("act", v)] for v in (2021, 2022, 2023)] == [100, 100, 100]


def test_variability_is_one_draw_a_vintage_from_the_activity_stream():
    # The stream of activity "act" under seed 7: SeedSequence([7, first 8 bytes of
    # sha256("act"), little-endian]). Realised outcome of vintage v: the planned
    # 10,000 t times max(0, 1 + 0.3 z_v), rounded half up, z_v the v-th single draw.
    act = activity(vintages=(2021, 2028), outcome=10_000, outcome_variability=0.3)
    data = two_party(act=act, period=(2021, 2028))
    data["seed"] = 7
    out = outcomes(a6sim.scenario_from_dict(data))
    key = int.from_bytes(hashlib.sha256(b"act").digest()[:8], "little")
    rng = np.random.default_rng(np.random.SeedSequence([7, key]))
    expected = []
    for _ in range(2021, 2029):
        factor = Fraction(max(0.0, 1.0 + 0.3 * float(rng.standard_normal())))
        expected.append(int(10_000 * factor + Fraction(1, 2)))   # half up: floor(x + 1/2)
    got = [out.realised[("act", v)] for v in range(2021, 2029)]
    assert got == expected
    assert len(set(got)) > 1 and all(g >= 0 for g in got)   # the draws do vary the outcome
