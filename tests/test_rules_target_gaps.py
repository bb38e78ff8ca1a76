"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 7(b): a multi-year NDC with a target
for every year is met only if every year's balance is within that year's target.

`balances.gap` is each year's balance - target (positive: missed); `attainment.gap`
agrees with `met` (met == gap <= 0): the sum of the yearly shortfalls when a year is
missed, else the tightest year's margin (the largest yearly gap). The other reading,
the worst year alone, is in `attainment.worst_year_gap`.
"""
from helpers import budget_ndc, cell, col, rows, run, targets_ndc, two_party

# CHE: 50,000 t a year; vintage 2021 (1,000 t) delivered 2022-01-31 and used on
# receipt: balances 50,000, 49,000, 50,000.


def che(targets):
    r = run(two_party(che_ndc=targets_ndc(2021, 2023, targets)))
    [a] = rows(r.attainment, party="CHE")
    return r, a


def test_one_year_missed_the_gap_is_its_shortfall():
    # targets 50,000, 49,500, 49,800: yearly gaps 0, -500, +200. Period sums 149,000
    # vs 149,300 (the old gap, -300, said "met"); now gap = 200, met false.
    r, a = che({2021: 50_000, 2022: 49_500, 2023: 49_800})
    assert col(r.balances, "gap", party="CHE") == {2021: 0, 2022: -500, 2023: 200}
    assert (a["balance"], a["target"]) == (149_000, 149_300)
    assert (a["gap"], a["met"], a["worst_year_gap"]) == (200, False, 200)
    assert r.summary["parties"]["CHE"]["gap"] == 200 and r.summary["parties"]["CHE"]["met"] is False


def test_several_years_missed_the_gap_is_the_sum_of_the_shortfalls():
    # targets 49,900, 49,000, 49,700: gaps +100, 0, +300 -> gap 400, worst year 300
    _, a = che({2021: 49_900, 2022: 49_000, 2023: 49_700})
    assert (a["gap"], a["met"], a["worst_year_gap"]) == (400, False, 300)


def test_every_year_met_the_gap_is_the_tightest_margin():
    # targets 50,100 each: gaps -100, -1,100, -100 -> gap -100, met
    r, a = che({2021: 50_100, 2023: 50_100})
    assert col(r.balances, "gap", party="CHE") == {2021: -100, 2022: -1_100, 2023: -100}
    assert (a["gap"], a["met"], a["worst_year_gap"]) == (-100, True, -100)


def test_budget_gap_is_still_balance_minus_budget():
    # budget 147,000: 149,000 - 147,000 = 2,000; no per-year targets, so no yearly gaps
    r = run(two_party(che_ndc=budget_ndc(2021, 2023, 147_000)))
    assert cell(r.attainment, "gap", party="CHE") == 2_000
    assert cell(r.attainment, "worst_year_gap", party="CHE") is None
    assert col(r.balances, "gap", party="CHE") == {2021: None, 2022: None, 2023: None}
