"""docs/how-a6sim-counts.md (integrity figures): tonnes claimed twice in a target year.

For each target year T of a single-year NDC (2/CMA.3 annex para 7(a)):
target_year_double_claimed[T] = max(0, -(sum of ca[p, T] over the single-year NDCs
judged on T)); multi-year NDCs are left out (judged on period sums).
"""
from fractions import Fraction

from helpers import activity, agreement, averaging_ndc, budget_ndc, party, run, scenario, trajectory_ndc

import a6sim
from a6sim.accounting.target_year import target_year_claims
from a6sim.resources import find_scenario


def _averaging_vs_trajectory(seller_ndc):
    # GHA sells 3,000 t of vintage 2021 (issued and delivered 2022-01-31); CHE (averaging,
    # elapsed divisor, period 2021-2023, target year 2023) uses them on receipt in 2022.
    return scenario(
        parties={"GHA": party(100_000, seller_ndc), "CHE": party(50_000, averaging_ndc(2021, 2023, 2023, 49_000))},
        activities={"act": activity(outcome=3_000)}, agreements={"deal": agreement()})


def test_averaging_buyer_against_trajectory_seller_claims_a_third_twice_in_the_target_year():
    # CHE: avg = -3,000 / 3 elapsed years = -1,000 in each year; 2023 balance 50,000 - 1,000 = 49,000 (met).
    # GHA (trajectory, target year 2023) adds its 3,000 for 2021, the vintage year: ca[GHA, 2023] = 0.
    # Judged on 2023: -1,000 + 0 = -1,000 -> 1,000 t claimed twice in the target year; whole-run
    # double_claimed stays 0 (GHA did add every unit).
    r = run(_averaging_vs_trajectory(trajectory_ndc(2021, 2023, 2023, 100_000, {2021: 100_000})))
    s = r.summary
    assert s["double_claimed"] == 0
    assert s["parties"]["CHE"]["met"] is True and s["parties"]["CHE"]["balance"] == 49_000
    assert s["target_year_double_claimed"] == 1_000
    assert s["target_years"] == [{"year": 2023, "parties": ["GHA", "CHE"], "net_ca": -1_000,
                                  "double_claimed": 1_000}]


def test_budget_seller_is_left_out_of_the_target_year_accounts():
    # GHA has a multi-year budget: its +3,000 (2021) counts in its period sum, not in a year.
    # Only CHE is judged on 2023: -1,000 -> 1,000 t.
    r = run(_averaging_vs_trajectory(budget_ndc(2021, 2023, 300_000)))
    assert r.summary["target_years"] == [{"year": 2023, "parties": ["CHE"], "net_ca": -1_000,
                                          "double_claimed": 1_000}]


def test_trajectory_pair_with_matching_years_claims_nothing_twice():
    # Both trajectory, target year 2021 = the vintage; CHE uses the 1,000 t vintage 2021 on receipt
    # in 2022: its use counts for 2022, not for 2021 -> ca[CHE, 2021] = 0; GHA +1,000 for 2021.
    # Judged on 2021: +1,000 -> nothing claimed twice.
    data = scenario(parties={"GHA": party(100_000, trajectory_ndc(2021, 2021, 2021, 100_000, {2021: 100_000})),
                             "CHE": party(50_000, budget_ndc(2021, 2023, 150_000))},
                    activities={"act": activity()}, agreements={"deal": agreement()})
    r = run(data)
    assert r.summary["target_year_double_claimed"] == 0
    assert r.summary["target_years"] == [{"year": 2021, "parties": ["GHA"], "net_ca": 1_000, "double_claimed": 0}]


def test_pure_function_keeps_fractions_and_skips_unsimulated_target_years():
    # AVL averaging: ca = -10/3 each year; TRJ: 0 in 2023. A 2030 target outside the rows is left out.
    balances = [{"party": "AVL", "year": 2023, "ca": Fraction(-10, 3)}, {"party": "TRJ", "year": 2023, "ca": 0}]
    attainment = [{"party": "AVL", "ndc_type": "single-year", "target_year": 2023},
                  {"party": "TRJ", "ndc_type": "single-year", "target_year": 2023},
                  {"party": "X", "ndc_type": "single-year", "target_year": 2030},
                  {"party": "B", "ndc_type": "multi-year", "target_year": None}]
    assert target_year_claims(balances, attainment) == [
        {"year": 2023, "parties": ["AVL", "TRJ"], "net_ca": Fraction(-10, 3), "tonnes": Fraction(10, 3)}]


def test_averaging_pitfall_example_counts_its_target_year_tonne():
    # scenarios/averaging_pitfall.yaml: AVL uses 10 Mt in 2030, avg -10 / 10 = -1 Mt; TRJ adds
    # its 12 Mt in 2021-2026 and nothing in 2030: 2030 accounts -1 Mt -> 1 Mt claimed twice.
    s = a6sim.simulate(find_scenario("averaging_pitfall")).summary
    assert s["double_claimed"] == 0
    assert s["target_year_double_claimed"] == 1_000_000
    assert s["target_years"][0]["net_ca"] == -1_000_000
