"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 7: how each NDC applies its
corresponding adjustments, and attainment.

* multi-year (budget or per-year targets) and single-year trajectory:
  balance[y] = inventory[y] + ca[y];
* single-year averaging: avg = (sum of ca over the period years up to the last
  simulated year) / divisor (`elapsed` years, default, or all `period` years),
  applied in each elapsed year; the target-year balance is inventory + avg;
* a use after the NDC period (true-up) counts for its last year;
* an NDC period running past the simulation leaves attainment empty.
"""
from fractions import Fraction

from helpers import activity, agreement, averaging_ndc, budget_ndc, cell, col, rows, run, targets_ndc, \
    trajectory_ndc, two_party

# CHE: 50,000 t a year. It buys vintages 2021 and 2022 (1,000 t each), delivered
# 2022-01-31 and 2023-01-31 and used on receipt: used = {2021: 0, 2022: 1,000, 2023: 1,000}.


def che(ndc, period=(2021, 2023), **kw):
    return run(two_party(che_ndc=ndc, act=activity(vintages=(2021, 2022)), period=period, **kw))


def attainment(r):
    [a] = rows(r.attainment, party="CHE")
    return a


def test_multi_year_budget_met_at_the_limit():
    # balances 50,000, 49,000, 49,000; period sum 148,000 = budget 148,000: gap 0, met
    r = che(budget_ndc(2021, 2023, 148_000))
    assert col(r.balances, "ca", party="CHE") == {2021: 0, 2022: -1_000, 2023: -1_000}
    assert col(r.balances, "emissions_balance", party="CHE") == {2021: 50_000, 2022: 49_000, 2023: 49_000}
    a = attainment(r)
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (148_000, 148_000, 0, True)


def test_multi_year_budget_missed_by_one_tonne():
    # budget 147,999: gap 148,000 - 147,999 = 1, missed
    a = attainment(che(budget_ndc(2021, 2023, 147_999)))
    assert (a["gap"], a["met"]) == (1, False)


def test_multi_year_per_year_targets_met_every_year():
    # targets {2021: 50,000, 2023: 49,000}: 2022 interpolated 49,500.
    # balances 50,000 <= 50,000, 49,000 <= 49,500, 49,000 <= 49,000: met.
    # attainment shows period sums: balance 148,000, target 148,500; the gap is per
    # year (docs/how-a6sim-counts.md): yearly gaps 0, -500, 0, none missed, so the gap
    # is the tightest year's margin, max(0, -500, 0) = 0 (was the period sum -500).
    r = che(targets_ndc(2021, 2023, {2021: 50_000, 2023: 49_000}))
    assert col(r.balances, "target", party="CHE") == {2021: 50_000, 2022: 49_500, 2023: 49_000}
    assert col(r.balances, "gap", party="CHE") == {2021: 0, 2022: -500, 2023: 0}
    a = attainment(r)
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (148_000, 148_500, 0, True)


def test_multi_year_per_year_targets_missed_in_one_year_despite_the_sum():
    # targets {2021: 49,999, 2023: 49,000}: 2022 = 49,499.5 -> 49,500; sum 148,499.
    # sum of balances 148,000 is below it but 2021: 50,000 > 49,999: missed. Yearly gaps
    # +1, -500, 0: the gap is the sum of the shortfalls, 1 (was the period sum -499,
    # which contradicted met: false).
    a = attainment(che(targets_ndc(2021, 2023, {2021: 49_999, 2023: 49_000})))
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (148_000, 148_499, 1, False)
    assert a["worst_year_gap"] == 1


def test_single_year_trajectory_met_and_missed():
    # balances as under a budget; attainment = target-year (2023) balance 49,000 vs target
    traj = {2021: 50_000, 2023: 49_000}
    r = che(trajectory_ndc(2021, 2023, 2023, 49_000, traj))
    assert col(r.balances, "emissions_balance", party="CHE") == {2021: 50_000, 2022: 49_000, 2023: 49_000}
    assert col(r.balances, "trajectory", party="CHE") == {2021: 50_000, 2022: 49_500, 2023: 49_000}
    assert col(r.balances, "target", party="CHE") == {2021: None, 2022: None, 2023: 49_000}
    assert col(r.balances, "method", party="CHE") == {2021: "trajectory", 2022: "trajectory", 2023: "trajectory"}
    a = attainment(r)
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (49_000, 49_000, 0, True)
    a = attainment(che(trajectory_ndc(2021, 2023, 2023, 48_999, traj)))
    assert (a["balance"], a["gap"], a["met"]) == (49_000, 1, False)


def test_single_year_trajectory_target_year_inside_the_period():
    # target year 2022 of a 2021-2023 period: the 2022 balance (49,000) counts
    a = attainment(che(trajectory_ndc(2021, 2023, 2022, 49_000, {2021: 50_000, 2023: 49_000})))
    assert (a["target_year"], a["balance"], a["gap"], a["met"]) == (2022, 49_000, 0, True)


def test_single_year_averaging_elapsed_divisor():
    # net over 2021-2023 = 0 - 1,000 - 1,000 = -2,000; 3 elapsed years:
    # avg = -2,000/3 = -666.67, applied every year (sum -2,000 = cumulative net);
    # target-year balance = 50,000 - 2,000/3 = 148,000/3 = 49,333.33
    r = che(averaging_ndc(2021, 2023, 2023, 49_400))
    avg = float(Fraction(-2_000, 3))
    assert col(r.balances, "ca", party="CHE") == {2021: avg, 2022: avg, 2023: avg}
    assert cell(r.balances, "emissions_balance", party="CHE", year=2023) == float(Fraction(148_000, 3))
    assert cell(r.balances, "used", party="CHE", year=2023) == 1_000
    a = attainment(r)
    assert a["balance"] == float(Fraction(148_000, 3))
    assert a["gap"] == float(Fraction(148_000, 3) - 49_400)        # -66.67
    assert a["met"] is True
    # target 49,300: gap 148,000/3 - 49,300 = +33.33, missed
    a = attainment(che(averaging_ndc(2021, 2023, 2023, 49_300)))
    assert a["gap"] == float(Fraction(148_000, 3) - 49_300) and a["met"] is False


def test_averaging_divisor_period_equals_elapsed_when_the_period_is_over():
    # NDC 2021-2023 inside the simulation: all 3 period years have elapsed, -2,000/3 either way
    r = che(averaging_ndc(2021, 2023, 2023, 49_400, divisor="period"))
    assert cell(r.balances, "ca", party="CHE", year=2023) == float(Fraction(-2_000, 3))


def test_averaging_divisor_elapsed_vs_period_when_the_ndc_runs_past_the_simulation():
    # NDC 2021-2025, simulated 2021-2023: net to 2023 = -2,000.
    #   elapsed: -2,000 / 3 = -666.67;  period: -2,000 / 5 = -400.
    # Per-year averaging_amount of the structured summary (cumulative net to that year
    # over that year's divisor):
    #   elapsed: 2021 0/1 = 0, 2022 -1,000/2 = -500, 2023 -2,000/3
    #   period:  2021 0/5 = 0, 2022 -1,000/5 = -200, 2023 -2,000/5 = -400
    elapsed = che(averaging_ndc(2021, 2025, 2025, 49_000))
    period = che(averaging_ndc(2021, 2025, 2025, 49_000, divisor="period"))
    third = float(Fraction(-2_000, 3))
    assert col(elapsed.balances, "ca", party="CHE") == {2021: third, 2022: third, 2023: third}
    assert col(period.balances, "ca", party="CHE") == {2021: -400, 2022: -400, 2023: -400}
    assert col(period.balances, "emissions_balance", party="CHE") == {2021: 49_600, 2022: 49_600, 2023: 49_600}
    assert col(elapsed.structured_summary, "averaging_amount", party="CHE") == {2021: 0, 2022: -500, 2023: third}
    assert col(period.structured_summary, "averaging_amount", party="CHE") == {2021: 0, 2022: -200, 2023: -400}
    assert col(period.structured_summary, "cumulative_net", party="CHE") == {2021: 0, 2022: -1_000, 2023: -2_000}
    # the target year 2025 is not simulated: attainment left empty
    for r in (elapsed, period):
        a = attainment(r)
        assert (a["balance"], a["gap"], a["met"]) == (None, None, None)


def test_budget_ndc_running_past_the_simulation_is_not_assessed():
    a = attainment(che(budget_ndc(2021, 2025, 240_000)))
    assert (a["target"], a["balance"], a["gap"], a["met"]) == (240_000, None, None, None)


def test_use_after_the_period_counts_for_its_last_year():
    # NDC 2021-2022, simulated 2021-2023. Vintage 2021 used 2022-01-31, vintage 2022
    # used 2023-01-31 (after the period: the true-up) -> used[2022] = 2,000, used[2023] = 0.
    # balance 2022 = 50,000 - 2,000 = 48,000; budget 99,000 vs 50,000 + 48,000 = 98,000: gap -1,000
    r = che(budget_ndc(2021, 2022, 99_000))
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 2_000, 2023: 0}
    assert col(r.structured_summary, "used", party="CHE") == {2021: 0, 2022: 2_000}
    a = attainment(r)
    assert (a["balance"], a["gap"], a["met"]) == (98_000, -1_000, True)


def test_seller_balance_adds_its_first_transfers():
    # GHA budget NDC: inventory 99,000 (2021) and 99,000 (2022) after its in-scope
    # outcomes; + ft 1,000 each vintage -> balances 100,000 each year
    r = run(two_party(gha_ndc=budget_ndc(2021, 2023, 300_000), act=activity(vintages=(2021, 2022)),
                      deal=agreement(policy="never")))
    assert col(r.balances, "inventory", party="GHA") == {2021: 99_000, 2022: 99_000, 2023: 100_000}
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 100_000, 2022: 100_000, 2023: 100_000}
    a = rows(r.attainment, party="GHA")[0]
    assert (a["balance"], a["gap"], a["met"]) == (300_000, 0, True)
