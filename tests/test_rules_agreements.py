"""docs/how-a6sim-counts.md, "Agreements": share and cap of each
agreement, units issued before the authorisation waiting, transfer lag.

* the net issuance is split in file order, floor(share x net), within what is left
  of the cap (the cap counts the agreement's own SOP and OMGE);
* units issued before the authorisation wait in the activity's account until it;
* delivery transfer_lag_days after issuance, or on the authorisation date if later.
"""
import pytest

import a6sim
from helpers import activity, agreement, budget_ndc, cell, col, held, ledger, party, run, scenario, two_party


def delivered(r, agreement_id):
    return [(x["date"], x["vintage"], x["quantity"])
            for x in ledger(r, agreement=agreement_id) if x["action"] in ("first-transfer", "transfer")]


def test_two_agreements_share_one_activity_and_a_cap_stops_one():
    # 1,000 t a year, vintages 2021-2023, issued each 31 January of the next year
    # (2022, 2023, 2024). deal-a share 0.6 with cap 1,000; deal-b share 0.4, no cap.
    #   2022: a floor(600) = 600 (cap left 400), b 400, free 0
    #   2023: a min(600, 400) = 400 (cap reached), b 400, free 200
    #   2024: a 0, b 400, free 600
    data = scenario(
        parties={"GHA": party(100_000), "CHE": party(50_000, budget_ndc(2021, 2024, 200_000)),
                 "JPN": party(80_000, budget_ndc(2021, 2024, 320_000))},
        activities={"act": activity(vintages=(2021, 2023))},
        agreements={"deal-a": agreement(share=0.6, cap=1_000, policy="never"),
                    "deal-b": agreement(buyer="JPN", share=0.4, policy="never")},
        period=(2021, 2024))
    r = run(data)
    assert delivered(r, "deal-a") == [("2022-01-31", 2021, 600), ("2023-01-31", 2022, 400)]
    assert delivered(r, "deal-b") == [("2022-01-31", 2021, 400), ("2023-01-31", 2022, 400),
                                      ("2024-01-31", 2023, 400)]
    assert held(r, "GHA:activity:act") == 800
    assert held(r, "CHE:holding") == 1_000 and held(r, "JPN:holding") == 1_200
    # every tonne first transferred is added by GHA for its vintage
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 800, 2023: 400, 2024: 0}


def test_shares_of_one_activity_may_not_exceed_one():
    data = scenario(
        parties={"GHA": party(100_000), "CHE": party(50_000, budget_ndc(2021, 2023, 150_000))},
        activities={"act": activity()},
        agreements={"deal-a": agreement(share=0.6), "deal-b": agreement(share=0.5)})
    with pytest.raises(a6sim.ScenarioError, match="shares summing to 1.1"):
        a6sim.scenario_from_dict(data)


def test_cap_counts_the_agreements_own_sop_and_omge():
    # outcome 1,000 a year, cap 500: tranche min(1,000, 500) = 500 authorised;
    # SOP floor(500 * 0.1) = 50, OMGE floor(500 * 0.02) = 10, delivered 440.
    # Vintage 2022: cap used up, nothing more (1,000 free).
    r = run(two_party(act=activity(vintages=(2021, 2022)),
                      deal=agreement(cap=500, sop={"units": 0.1}, omge={"units": 0.02}, policy="never")))
    assert [(x["action"], x["quantity"]) for x in ledger(r, vintage=2021)] == [
        ("issuance", 1_000), ("authorization", 500), ("adaptation-fund", 50), ("cancellation", 10),
        ("first-transfer", 440)]
    assert [(x["action"], x["quantity"]) for x in ledger(r, vintage=2022)] == [("issuance", 1_000)]
    assert held(r, "GHA:activity:act") == 500 + 1_000


def test_units_issued_before_the_authorisation_wait_for_it():
    # issued 2022-01-31, authorised 2022-06-01; issuance + 30 days (2022-03-02) is
    # before the authorisation, so delivery is on 2022-06-01. Until then the units sit
    # unauthorised (MO) in GHA's activity account.
    r = run(two_party(deal=agreement(auth="2022-06-01", lag=30, policy="never")))
    assert [(x["date"], x["action"], x["unit_type"]) for x in ledger(r)] == [
        ("2022-01-31", "issuance", "MO"),
        ("2022-06-01", "authorization", "ITMO"),
        ("2022-06-01", "first-transfer", "ITMO")]


def test_transfer_lag_counts_from_issuance_when_the_authorisation_is_earlier():
    # authorised 2022-06-01 but lag 200: 2022-01-31 + 200 days = 2022-08-19
    r = run(two_party(deal=agreement(auth="2022-06-01", lag=200, policy="never")))
    assert delivered(r, "deal") == [("2022-08-19", 2021, 1_000)]
    # authorised 2021-01-01, lag 30: 2022-01-31 + 30 days = 2022-03-02
    r = run(two_party(deal=agreement(lag=30, policy="never")))
    assert delivered(r, "deal") == [("2022-03-02", 2021, 1_000)]
    # lag 0: the day of issuance
    r = run(two_party(deal=agreement(lag=0, policy="never")))
    assert delivered(r, "deal") == [("2022-01-31", 2021, 1_000)]


def test_delivery_after_the_simulated_period_does_not_happen():
    # 2022-01-31 + 800 days is in 2024, after the end (2023): authorised units stay
    # with GHA, nothing is first transferred
    r = run(two_party(deal=agreement(lag=800, policy="never")))
    assert delivered(r, "deal") == []
    assert held(r, "GHA:activity:act") == 1_000
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 0}


def test_agreement_vintages_limit_the_tranches():
    # activity vintages 2021-2022, agreement vintages [2022, 2022]: only vintage 2022
    # (issued 2023-01-31) is taken; the 1,000 of vintage 2021 stay free.
    r = run(two_party(act=activity(vintages=(2021, 2022)),
                      deal=agreement(vintages=[2022, 2022], policy="never")))
    assert delivered(r, "deal") == [("2023-01-31", 2022, 1_000)]
    assert held(r, "GHA:activity:act") == 1_000


def test_flows_give_quantity_and_value_per_year():
    # vintages 2021-2022 delivered 2022 and 2023 at price 12: 12,000 each year
    r = run(two_party(act=activity(vintages=(2021, 2022)), deal=agreement(price=12, policy="never")))
    assert col(r.flows, "quantity") == {2022: 1_000, 2023: 1_000}
    assert col(r.flows, "value") == {2022: 12_000.0, 2023: 12_000.0}
    assert cell(r.flows, "agreement", year=2022) == "deal"
