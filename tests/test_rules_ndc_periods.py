"""docs/how-a6sim-counts.md, successive NDCs: a party may give `ndcs:` (one NDC per
implementation period, e.g. 2021-2030 then 2031-2035) instead of `ndc:`. Each period
has its own type, method and target and is assessed on its own years; a use counts
for the period of its year (after a period and before the next, the true-up: the
period just ended). A use of units whose vintage lies in another of the buyer's
periods follows `settings.other_period_vintages`: refuse (default) or allow.
"""
import pytest

import a6sim
from helpers import activity, agreement, averaging_ndc, budget_ndc, col, ledger, party, rows, run, scenario

# Simulated 2021-2024. GHA hosts an activity of vintages 2021-2023, 1,000 t each,
# issued 31 January of the next year and delivered to CHE that day. CHE: 50,000 t a
# year, NDCs 2021-2022 and 2023-2024.
#   v2021 arrives 2022-01-31 (period 1, vintage in period 1)
#   v2022 arrives 2023-01-31 (period 2, vintage in period 1: another period's vintage)
#   v2023 arrives 2024-01-31 (period 2, vintage in period 2)


def data(ndcs, policy="on-receipt", settings=None):
    return scenario(
        parties={"GHA": party(100_000), "CHE": party(50_000, ndcs=ndcs)},
        activities={"act": activity(vintages=(2021, 2023))},
        agreements={"deal": agreement(policy=policy)},
        settings=settings, period=(2021, 2024))


TWO_BUDGETS = [budget_ndc(2021, 2022, 99_500), budget_ndc(2023, 2024, 98_000)]


def test_each_period_is_assessed_on_its_own_and_other_period_vintages_are_refused():
    # v2022 used in 2023 (period 2) is refused: CHE used 2022: 1,000 and 2024: 1,000.
    # Balances 50,000, 49,000, 50,000, 49,000.
    # Period 1: 99,000 vs 99,500 -> gap -500, met; period 2: 99,000 vs 98,000 -> gap 1,000.
    r = run(data(TWO_BUDGETS))
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0, 2024: 1_000}
    att = rows(r.attainment, party="CHE")
    assert [(a["period_start"], a["period_end"], a["balance"], a["gap"], a["met"]) for a in att] == [
        (2021, 2022, 99_000, -500, True), (2023, 2024, 99_000, 1_000, False)]
    [v] = r.violations
    assert v["kind"] == "use-refused" and v["date"] == "2023-01-31"
    assert "vintage 2022 is outside CHE's NDC period 2023-2024" in v["reason"]
    assert "other_period_vintages" in v["reason"]
    # summary.json: the last assessed period, and every period under "ndcs"
    che = r.summary["parties"]["CHE"]
    assert (che["gap"], che["met"]) == (1_000, False)
    assert [(p["period"], p["gap"]) for p in che["ndcs"]] == [([2021, 2022], -500), ([2023, 2024], 1_000)]


def test_other_period_vintages_allowed():
    # allow: v2022 used 2023-01-31 counts for 2023 (period 2): 98,000 vs 98,000, gap 0
    r = run(data(TWO_BUDGETS, settings={"other_period_vintages": "allow"}))
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 1_000, 2024: 1_000}
    assert [a["gap"] for a in rows(r.attainment, party="CHE")] == [-500, 0]
    assert r.violations == []


def test_periods_with_different_types_and_methods():
    # period 1: budget 100,000; period 2: single-year averaging, target year 2024,
    # target 49,500. Uses: 2022: 1,000 (period 1), 2024: 1,000 (v2023, period 2).
    # Period 2 average = (0 - 1,000) / 2 elapsed years = -500, applied to 2023 and 2024;
    # target-year balance 50,000 - 500 = 49,500: gap 0.
    r = run(data([budget_ndc(2021, 2022, 100_000), averaging_ndc(2023, 2024, 2024, 49_500)]))
    assert col(r.balances, "method", party="CHE") == {2021: "budget", 2022: "budget", 2023: "averaging",
                                                      2024: "averaging"}
    assert col(r.balances, "ca", party="CHE") == {2021: 0, 2022: -1_000, 2023: -500, 2024: -500}
    assert [(a["method"], a["balance"], a["gap"]) for a in rows(r.attainment, party="CHE")] == [
        ("budget", 99_000, -1_000), ("averaging", 49_500, 0)]
    # the structured summary's cumulative net starts again with each period
    assert col(r.structured_summary, "cumulative_net", party="CHE") == {2021: 0, 2022: -1_000, 2023: 0,
                                                                        2024: -1_000}


def test_as_needed_trues_up_each_period_at_its_end():
    # as-needed: period 1 budget 99,000 needs 1,000 at 2022-12-31 (v2021 held: used);
    # period 2 budget 99,000 needs 1,000 at 2024-12-31: v2023 is used (v2022 belongs to
    # period 1 and may not be). Both periods met at gap 0.
    r = run(data([budget_ndc(2021, 2022, 99_000), budget_ndc(2023, 2024, 99_000)], policy="as-needed"))
    assert [(x["date"], x["vintage"], x["quantity"]) for x in ledger(r, action="use")] == [
        ("2022-12-31", 2021, 1_000), ("2024-12-31", 2023, 1_000)]
    assert [a["gap"] for a in rows(r.attainment, party="CHE")] == [0, 0]


def test_a_single_ndc_file_is_unchanged():
    # the v1 form: ndc: one period; same figures as one entry of ndcs
    d = data(None)
    d["parties"]["CHE"] = party(50_000, budget_ndc(2021, 2024, 198_000))
    r = run(d)
    [a] = rows(r.attainment, party="CHE")
    assert (a["balance"], a["gap"]) == (197_000, -1_000)


def test_ndc_and_ndcs_together_or_overlapping_periods_are_refused():
    d = data(TWO_BUDGETS)
    d["parties"]["CHE"]["ndc"] = budget_ndc(2021, 2024, 1)
    with pytest.raises(a6sim.ScenarioError, match=r"parties\.CHE\.ndcs: give either ndc"):
        a6sim.scenario_from_dict(d)
    with pytest.raises(a6sim.ScenarioError, match=r"parties\.CHE\.ndcs\[1\]\.period: NDC period 2022-2024 overlaps"):
        a6sim.scenario_from_dict(data([budget_ndc(2021, 2022, 1), budget_ndc(2022, 2024, 1)]))
