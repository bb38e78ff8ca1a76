"""docs/how-a6sim-counts.md, leakage (the fourth pillar of the Art. 6.4 mechanism,
A6.4-STAN-METH-005: identify, minimise, then quantify unavoidable leakage and deduct
it from the reductions): an activity's `leakage` (tonnes per vintage) is deducted
before crediting, `credited = floor(max(0, outcome - leakage) x (1 - decline)^k)`, and
the leaked emissions raise the inventory of the party where they occur (`leakage_in`,
default the host) for the vintage year.
"""
import pytest

import a6sim
from helpers import activity, cell, col, ledger, run, two_party


def issued(r):
    return [(x["vintage"], x["quantity"]) for x in ledger(r, action="issuance")]


def test_leakage_is_deducted_from_what_is_credited_and_raises_the_host_inventory():
    # 1,000 t reduced, 100 t leaked in GHA: 900 issued and first transferred;
    # GHA inventory 2021 = 100,000 - 1,000 + 100 = 99,100; balance 99,100 + 900 = 100,000
    r = run(two_party(act=activity(leakage=100)))
    assert issued(r) == [(2021, 900)]
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 99_100
    assert cell(r.balances, "emissions_balance", party="GHA", year=2021) == 100_000
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 900, 2023: 0}


def test_without_leakage_nothing_changes():
    r = run(two_party())
    assert issued(r) == [(2021, 1_000)]
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 99_000


def test_leakage_in_another_party_raises_that_partys_inventory():
    # the logging moves across the border: CHE's inventory 2021 = 50,000 + 100
    r = run(two_party(act=activity(leakage=100, leakage_in="CHE")))
    assert issued(r) == [(2021, 900)]
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 99_000
    assert cell(r.balances, "inventory", party="CHE", year=2021) == 50_100


def test_leakage_by_vintage_before_the_64_waterfall_and_the_baseline_decline():
    # 6.4, 10,000 t a year, leakage {2021: 1,000, 2022: 500}, decline 1%:
    #   2021: 10,000 - 1,000 = 9,000 credited; SOP 450, OMGE 180, 8,370 left
    #   2022: (10,000 - 500) x 0.99 = 9,405 credited
    act = activity(mechanism="6.4", outcome=10_000, vintages=(2021, 2022), leakage={2021: 1_000, 2022: 500})
    r = run(two_party(act=act))
    assert issued(r) == [(2021, 9_000), (2022, 9_405)]
    assert [x["quantity"] for x in ledger(r, vintage=2021, action="adaptation-fund")] == [450]
    assert [x["quantity"] for x in ledger(r, vintage=2021, action="cancellation")] == [180]
    assert col(r.balances, "inventory", party="GHA") == {2021: 91_000, 2022: 90_500, 2023: 100_000}


def test_leakage_larger_than_the_outcome_credits_nothing():
    # 1,000 reduced, 1,200 leaked: nothing issued; GHA 2021 = 100,000 - 1,000 + 1,200
    r = run(two_party(act=activity(leakage=1_200)))
    assert issued(r) == []
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 100_200


def test_leakage_in_an_unknown_party_or_outside_the_vintages_is_refused():
    with pytest.raises(a6sim.ScenarioError, match=r"activities\.act\.leakage_in: unknown party 'XXX'"):
        a6sim.scenario_from_dict(two_party(act=activity(leakage=1, leakage_in="XXX")))
    with pytest.raises(a6sim.ScenarioError, match=r"activities\.act\.leakage: vintages outside 2021-2021: \[2022\]"):
        a6sim.scenario_from_dict(two_party(act=activity(leakage={2022: 5})))
