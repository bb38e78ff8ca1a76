"""docs/how-a6sim-counts.md, NDCs in a non-GHG metric (2/CMA.3 annex paras 9-10): a
party whose NDC is measured in MWh of renewable power, hectares or another metric
applies its corresponding adjustments in that metric, converting ITMOs (tCO2e) with
the conversion factor it states (`tco2e_per_unit`), and with the signs of the
metric: a first transfer *subtracts* q / tco2e_per_unit from the indicator, a use
*adds* it. The target is a floor (at least so much): gap = target - balance.
The modelled activities move the indicator the same way (1 t cut = 1 /
tco2e_per_unit more of the metric). Integrity figures stay in tonnes.
"""
from fractions import Fraction

import pytest

import a6sim
from helpers import agreement, cell, col, rows, run, two_party

# Vintage 2021 (1,000 t) delivered GHA -> CHE on 2022-01-31.


def mwh_budget(budget, conversion=0.5):
    return {"type": "multi-year", "period": [2021, 2023], "budget": budget, "metric": "MWh",
            "tco2e_per_unit": conversion, "indicator": {2021: 10_000}}


def test_a_non_ghg_host_subtracts_its_first_transfers_in_its_metric():
    # GHA: 10,000 MWh a year before the activity; 0.5 tCO2e per MWh. The 1,000 t cut
    # in 2021 is 2,000 MWh more: indicator 12,000. The first transfer of 1,000 t
    # subtracts 2,000 MWh: balance 10,000. Budget 30,000 MWh over 2021-2023 (a floor):
    # 10,000 x 3 = 30,000, gap 0, met; budget 30,001: gap 1, missed.
    r = run(two_party(gha_ndc=mwh_budget(30_000)))
    assert col(r.balances, "inventory", party="GHA") == {2021: 12_000, 2022: 10_000, 2023: 10_000}
    assert col(r.balances, "ca", party="GHA") == {2021: -2_000, 2022: 0, 2023: 0}
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 10_000, 2022: 10_000, 2023: 10_000}
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}   # ITMOs, t
    assert cell(r.balances, "metric", party="GHA", year=2021) == "MWh"
    [a] = rows(r.attainment, party="GHA")
    assert (a["metric"], a["balance"], a["target"], a["gap"], a["met"]) == ("MWh", 30_000, 30_000, 0, True)
    assert cell(run(two_party(gha_ndc=mwh_budget(30_001))).attainment, "gap", party="GHA") == 1
    # integrity in tonnes: +1,000 (GHA, 2021), -1,000 (CHE's use, 2022)
    assert col(r.integrity, "net_ca") == {2021: 1_000, 2022: -1_000, 2023: 0}


def test_the_conversion_stays_exact():
    # 0.3 tCO2e per MWh: 1,000 t = 10,000/3 MWh; indicator 2021 = 10,000 + 10,000/3,
    # ca -10,000/3, balance 10,000 exactly
    r = run(two_party(gha_ndc=mwh_budget(30_000, conversion=0.3)))
    assert cell(r.balances, "inventory", party="GHA", year=2021) == pytest.approx(float(Fraction(40_000, 3)))
    assert cell(r.balances, "ca", party="GHA", year=2021) == pytest.approx(float(Fraction(-10_000, 3)))
    assert cell(r.balances, "emissions_balance", party="GHA", year=2021) == 10_000
    assert cell(r.attainment, "gap", party="GHA") == 0


def ha_ndc(**kw):
    return {"period": [2021, 2023], "metric": "ha", "tco2e_per_unit": 2, "indicator": {2021: 100}, **kw}


def test_a_non_ghg_buyer_adds_its_uses_and_trues_up_in_tonnes():
    # CHE: 100 ha a year, 2 tCO2e per ha, budget 310 ha (at least). As-needed: on
    # 2023-12-31 the balances sum to 300 ha, 10 short: 10 x 2 = 20 t used, which add
    # 10 ha to 2023: 310, gap 0. The rest (980 t) stays held.
    r = run(two_party(che_ndc=ha_ndc(type="multi-year", budget=310), deal=agreement(policy="as-needed")))
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 20}
    assert col(r.balances, "ca", party="CHE") == {2021: 0, 2022: 0, 2023: 10}
    [a] = rows(r.attainment, party="CHE")
    assert (a["balance"], a["gap"], a["met"]) == (310, 0, True)
    assert col(r.integrity, "net_ca") == {2021: 1_000, 2022: 0, 2023: -20}


def test_a_single_year_non_ghg_target_is_a_floor():
    # trajectory 100 -> 150 ha, target 150 ha in 2023. On receipt: 1,000 t used in 2022
    # add 500 ha to 2022, nothing to 2023: 2023 balance 100, gap 150 - 100 = 50, missed.
    # As-needed: 50 ha x 2 = 100 t used on 2023-12-31: balance 150, gap 0.
    ndc = ha_ndc(type="single-year", target_year=2023, target=150, method="trajectory",
                 trajectory={2021: 100, 2023: 150})
    r = run(two_party(che_ndc=ndc))
    assert cell(r.balances, "emissions_balance", party="CHE", year=2022) == 600
    assert (cell(r.attainment, "gap", party="CHE"), cell(r.attainment, "met", party="CHE")) == (50, False)
    r = run(two_party(che_ndc=ndc, deal=agreement(policy="as-needed")))
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 100}
    assert cell(r.attainment, "gap", party="CHE") == 0


def test_a_non_ghg_ndc_needs_its_conversion_and_indicator():
    bad = {"type": "multi-year", "period": [2021, 2023], "budget": 1, "metric": "MWh"}
    with pytest.raises(a6sim.ScenarioError) as err:
        a6sim.scenario_from_dict(two_party(che_ndc=bad))
    assert "parties.CHE.ndc.tco2e_per_unit: required for an NDC in MWh" in str(err.value)
    assert "parties.CHE.ndc.indicator: required" in str(err.value)
    ghg = {"type": "multi-year", "period": [2021, 2023], "budget": 1, "tco2e_per_unit": 1}
    with pytest.raises(a6sim.ScenarioError, match=r"parties\.CHE\.ndc\.tco2e_per_unit: only for an NDC in a non-GHG"):
        a6sim.scenario_from_dict(two_party(che_ndc=ghg))


def test_the_economics_refuse_a_non_ghg_ndc():
    # compliance costs are computed against tonnes; a non-GHG NDC with a cost curve is refused
    d = two_party(che_ndc=ha_ndc(type="multi-year", budget=310))
    d["parties"]["CHE"]["abatement_cost"] = {2021: {"a": 10, "b": 0.1}}
    with pytest.raises(a6sim.ScenarioError, match=r"parties\.CHE\.abatement_cost: the economics"):
        a6sim.scenario_from_dict(d)


def test_the_dashboard_shows_a_non_ghg_ndc_in_its_metric():
    from a6sim.dashboard.views.ndc import attainment_records, ndc_figure
    r = run(two_party(gha_ndc=mwh_budget(30_001)))
    [rec] = attainment_records(r.attainment, "GHA")
    assert (rec["target"], rec["balance"], rec["gap"]) == ("30,001 MWh", "30,000 MWh", "1 MWh")
    fig = ndc_figure(r.balances, "GHA")
    assert [t.name for t in fig.data][:2] == ["Indicator (MWh)", "Corresponding adjustment (MWh)"]
    assert list(fig.data[1].y) == [-2_000, 0, 0]
