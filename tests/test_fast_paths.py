"""The cheap paths give the same numbers as the full tables.

* ``results.summary`` (what a sweep reads) is computed from report rows without
  building a DataFrame; its per-party ``gap``/``met``/``balance``/``target`` and its
  totals must equal what the ``attainment``, ``balances`` and ``integrity`` tables say,
  for every bundled scenario and a small synthetic world;
* the holdings table is expanded from the changes kept at each 31 December; it must
  equal the full registry totals captured at every year end while the run goes on.
"""
from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import a6sim
from a6sim.registry import registry as registry_module

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import synthetic_world  # noqa: E402


def _small_world() -> a6sim.Scenario:
    return a6sim.scenario_from_dict(synthetic_world(12, 60, 40, 8, seed=3), "synthetic")


def _cases():
    return [pytest.param(p, id=p.stem) for p in SCENARIOS] + [pytest.param("synthetic", id="synthetic")]


def _scenario(case) -> a6sim.Scenario:
    return _small_world() if case == "synthetic" else a6sim.load_scenario(case)


def _num(x):
    return None if x is None or x != x else float(x)


@pytest.mark.parametrize("case", _cases())
def test_summary_equals_the_tables(case):
    sc = _scenario(case)
    fast = a6sim.simulate(sc)
    summary = fast.summary
    # nothing but the summary was asked for: no table was built (the economics of a
    # scenario with abatement cost curves reads the ledger table)
    assert fast.has_economics or not {"balances", "attainment", "ledger", "holdings", "flows", "integrity"} & set(vars(fast))
    full = a6sim.simulate(sc)
    att = full.attainment
    assert list(summary["parties"]) == list(dict.fromkeys(att["party"]))
    for party, rows in att.groupby("party", sort=False):
        entry = summary["parties"][party]
        periods = entry.get("ndcs", [entry])   # several NDC periods: one entry each, in order
        assert len(periods) == len(rows)
        for got, r in zip(periods, rows.itertuples(index=False)):
            assert _num(got["gap"]) == _num(r.gap) and _num(got["balance"]) == _num(r.balance)
            assert _num(got["target"]) == _num(r.target)
            assert (None if r.met is None or r.met != r.met else bool(r.met)) == got["met"]
            if got["gap"] is not None:   # gap = balance - target, exactly
                assert got["gap"] == got["balance"] - got["target"]
    integ = full.integrity
    assert summary["net_ca_total"] == pytest.approx(float(full.balances["ca"].sum()))
    assert summary["omge_cancelled"] == int(integ["omge_cancelled"].sum())
    assert summary["double_claimed"] == int(integ["double_claimed"].sum())
    assert summary["adaptation_fund_units"] == int(integ["adaptation_fund_units"].sum())
    led = full.ledger
    assert summary["ledger_rows"] == len(led)
    assert summary["issued"] == int(led.loc[led["action"] == "issuance", "quantity"].sum())
    assert summary["value_paid"] == pytest.approx(float(full.flows["value"].sum()), abs=0.01)
    assert full.summary == summary


@pytest.mark.parametrize("case", _cases())
def test_holdings_equal_the_registry_at_every_year_end(case, monkeypatch):
    sc = _scenario(case)
    registries = []
    original = registry_module.Registry.__init__

    def init(self):
        original(self)
        registries.append(self)

    monkeypatch.setattr(registry_module.Registry, "__init__", init)
    captured = []

    def progress(year, last):   # called right after the engine's snapshot of 31 December
        captured.append((pd.Timestamp(year, 12, 31), dict(registries[-1].totals)))

    r = a6sim.simulate(sc, progress=progress)
    accounts = r.world.registry.accounts
    rows = [(when, acc, accounts[acc].registry, utype, vintage, q)
            for when, totals in captured for (acc, utype, vintage), q in sorted(totals.items())]
    expected = pd.DataFrame(rows, columns=["date", "account", "party", "unit_type", "vintage", "quantity"])
    got = r.holdings
    assert len(got) == len(expected) and len(captured) == len(list(sc.years))
    assert [d.year for d in got["date"].drop_duplicates()] == \
        [w.year for w, t in captured if t]
    assert list(got["date"]) == list(expected["date"])
    for col in ("account", "party", "unit_type", "vintage", "quantity"):
        assert list(got[col]) == list(expected[col]), col
    assert str(got["date"].dtype) == "datetime64[s]" and got["quantity"].dtype == "int64"
    # the engine stored fewer values than the table lists (changes only)
    stored = sum(len(changes) for _day, changes in r.world.snapshots)
    assert stored <= len(got) + sum(1 for _d, ch in r.world.snapshots for q in ch.values() if q == 0)


def test_price_between_points_is_the_exact_interpolation():
    """Scenario.price interpolates in whole numbers; it must give the float of the exact
    (Fraction) interpolation, to the last bit."""
    import random
    from a6sim.scenario.scenario import _linear_price
    from a6sim.scenario.series import exact, interpolate

    def points(prices):
        return sorted((y, exact(p).numerator, exact(p).denominator) for y, p in prices.items())

    # 10 in 2025, 20 in 2030: 2027 is 10 + 10 * 2/5 = 14; flat outside the points
    p = points({2025: 10, 2030: 20})
    assert [_linear_price(p, y) for y in (2020, 2025, 2027, 2030, 2040)] == [10.0, 10.0, 14.0, 20.0, 20.0]
    # 0.1 and 0.7 are 1/10 and 7/10 exactly: 2022 is 1/10 + 6/10 * 1/3 = 3/10, the float nearest 0.3
    assert _linear_price(points({2021: 0.1, 2024: 0.7}), 2022) == float(Fraction(3, 10)) == 0.3
    rng = random.Random(7)
    for _ in range(2000):
        prices = {y: round(rng.uniform(0.01, 1e5), rng.randint(0, 6))
                  for y in rng.sample(range(2020, 2060), rng.randint(1, 5))}
        exact_points = {y: exact(v) for y, v in prices.items()}
        for year in range(2018, 2062, 3):
            assert _linear_price(points(prices), year) == float(interpolate(exact_points, year))
