"""docs/how-a6sim-counts.md, "Quantities and time".

Quantities are whole tonnes, converted once from the file's units exactly as written
(rounding half-tonnes up); series are linear between given years and flat outside,
each year rounded to whole tonnes.
"""
from fractions import Fraction

import a6sim
from helpers import activity, agreement, budget_ndc, cell, col, ledger, party, run, scenario, targets_ndc, \
    trajectory_ndc, two_party


def test_mtco2e_converts_exactly_as_written():
    # 1.2 MtCO2e = 12/10 * 1,000,000 = 1,200,000 t exactly.
    # 8.2 MtCO2e: the binary float 8.2 * 1e6 is 8,199,999.999999999 (int() would give
    # 8,199,999); written 8.2 means 8,200,000 t.
    sc = a6sim.scenario_from_dict(scenario({"GHA": party(40)}, units="MtCO2e"))
    assert sc.tonnes(1.2) == 1_200_000
    assert sc.tonnes(8.2) == 8_200_000
    assert sc.tonnes(0.000001) == 1


def test_ktco2e_and_tco2e_factors():
    # 1.005 ktCO2e = 1,005 t (the float product 1.005 * 1000 is 1004.9999999999999)
    kt = a6sim.scenario_from_dict(scenario({"GHA": party(40)}, units="ktCO2e"))
    assert kt.tonnes(1.005) == 1_005
    assert kt.tonnes(2.5) == 2_500
    t = a6sim.scenario_from_dict(scenario({"GHA": party(40)}))          # tCO2e is the default
    assert t.tonnes(7) == 7


def test_half_tonnes_round_up_and_less_rounds_down():
    # 0.0005 kt = 0.5 t -> 1 t; 0.0004 kt = 0.4 t -> 0 t; 2.5 t -> 3 t; 2.4 t -> 2 t
    kt = a6sim.scenario_from_dict(scenario({"GHA": party(40)}, units="ktCO2e"))
    assert kt.tonnes(0.0005) == 1
    assert kt.tonnes(0.0004) == 0
    t = a6sim.scenario_from_dict(scenario({"GHA": party(40)}))
    assert t.tonnes(2.5) == 3
    assert t.tonnes(2.4) == 2


def test_simulation_in_mtco2e_issues_and_lowers_inventory_in_whole_tonnes():
    # units MtCO2e: GHA emissions 40 Mt, activity outcome 1.2 Mt (vintage 2021),
    # 6.2 (no baseline decline): issued 1,200,000 t; inventory 2021 = 40,000,000 -
    # 1,200,000 = 38,800,000; 2022 (no vintage) = 40,000,000.
    # CHE budget 130 Mt over 2021-2023; 45 Mt a year = 135 Mt; it uses the 1.2 Mt on
    # receipt in 2022: balance 2022 = 45,000,000 - 1,200,000 = 43,800,000.
    data = scenario(
        parties={"GHA": party(40), "CHE": party(45, budget_ndc(2021, 2023, 130))},
        activities={"act": activity(outcome=1.2)},
        agreements={"deal": agreement()}, units="MtCO2e")
    r = run(data)
    [issuance] = ledger(r, action="issuance")
    assert issuance["quantity"] == 1_200_000
    assert col(r.balances, "inventory", party="GHA") == {2021: 38_800_000, 2022: 40_000_000, 2023: 40_000_000}
    assert cell(r.balances, "emissions_balance", party="CHE", year=2022) == 43_800_000
    # attainment: 45 + 43.8 + 45 = 133.8 Mt against 130 Mt: gap 3,800,000 t
    assert cell(r.attainment, "gap", party="CHE") == 3_800_000


def test_mt_series_interpolate_exactly_then_round():
    # emissions {2021: 40, 2030: 48} Mt: 2022 = 40 + 8/9 Mt = 40,888,888.9 t -> 40,888,889;
    # 2023 = 40 + 16/9 = 41,777,777.8 -> 41,777,778
    sc = a6sim.scenario_from_dict(scenario({"GHA": party({2021: 40, 2030: 48})}, units="MtCO2e",
                                           period=(2021, 2030)))
    e = sc.emissions("GHA")
    assert e[2021] == 40_000_000
    assert e[2022] == 40_888_889
    assert e[2023] == 41_777_778
    assert e[2030] == 48_000_000


def test_emissions_linear_between_given_years_and_flat_outside():
    # emissions {2022: 100, 2026: 110} t, simulated 2021-2027:
    # 2021 flat before = 100; 2023 = 102.5 -> 103 (half up); 2024 = 105;
    # 2025 = 107.5 -> 108; 2027 flat after = 110.
    r = run(scenario({"GHA": party({2022: 100, 2026: 110})}, period=(2021, 2027)))
    assert col(r.balances, "inventory", party="GHA") == {
        2021: 100, 2022: 100, 2023: 103, 2024: 105, 2025: 108, 2026: 110, 2027: 110}


def test_trajectory_and_targets_are_interpolated_series():
    # trajectory {2021: 50,000, 2023: 49,001}: 2022 = 49,500.5 -> 49,501
    che = party(50_000, trajectory_ndc(2021, 2023, 2023, 49_001, {2021: 50_000, 2023: 49_001}))
    r = run(scenario({"CHE": che}))
    assert col(r.balances, "trajectory", party="CHE") == {2021: 50_000, 2022: 49_501, 2023: 49_001}
    # per-year targets {2021: 100, 2023: 97}: 2022 = 98.5 -> 99
    r = run(scenario({"CHE": party(100, targets_ndc(2021, 2023, {2021: 100, 2023: 97}))}))
    assert col(r.balances, "target", party="CHE") == {2021: 100, 2022: 99, 2023: 97}


def test_price_map_is_linear_in_the_delivery_year():
    # price {2021: 10, 2023: 20}: delivery 2022-01-31 (vintage 2021 issued 31 days after
    # 31 Dec) pays the 2022 price 15: 1,000 t * 15 = 15,000
    r = run(two_party(deal=agreement(price={2021: 10, 2023: 20})))
    assert cell(r.flows, "value", year=2022) == 15_000.0
    assert cell(r.flows, "quantity", year=2022) == 1_000


def test_cap_is_converted_like_every_quantity():
    # ktCO2e: outcome 1 kt = 1,000 t, cap 0.6 kt = 600 t -> 600 delivered
    data = scenario(
        parties={"GHA": party(100), "CHE": party(50, budget_ndc(2021, 2023, 150))},
        activities={"act": activity(outcome=1)},
        agreements={"deal": agreement(cap=0.6)}, units="ktCO2e")
    r = run(data)
    assert [x["quantity"] for x in ledger(r, action="first-transfer")] == [600]
    # the inventory is lowered by the whole realised outcome, 1,000 t: 100,000 - 1,000
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 99_000
    assert Fraction(r.scenario.planned_outcome("act")[2021]) == 1_000
