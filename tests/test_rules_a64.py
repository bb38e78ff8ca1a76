"""docs/how-a6sim-counts.md (Art. 6.4, 3/CMA.3): the issuance waterfall.

5% to the Adaptation Fund, 2% cancelled for OMGE (settings a64_sop_share,
a64_omge_share), each on the gross issuance and rounded down on its own; the host's
corresponding adjustment applies to what is first transferred after the deductions.
"""
import pytest

import a6sim
from helpers import activity, agreement, cell, col, held, ledger, run, two_party


def a64(outcome=10_000, vintages=(2021, 2021), **extra):
    return activity(mechanism="6.4", outcome=outcome, vintages=vintages, **extra)


def issuance_day_rows(r, vintage=2021):
    return [(x["action"], x["quantity"], x["to_account"]) for x in ledger(r, vintage=vintage)]


def test_waterfall_10000_gives_500_200_and_9300():
    # gross 10,000: SOP floor(10,000 * 0.05) = 500, OMGE floor(10,000 * 0.02) = 200,
    # net 10,000 - 500 - 200 = 9,300, authorised and first transferred to CHE.
    r = run(two_party(act=a64(10_000), deal=agreement(policy="never")))
    assert issuance_day_rows(r) == [
        ("issuance", 10_000, "A6.4:activity:act"),
        ("adaptation-fund", 500, "A6.4:adaptation-fund"),
        ("cancellation", 200, "A6.4:omge-cancellation"),
        ("authorization", 9_300, "A6.4:activity:act"),
        ("first-transfer", 9_300, "CHE:holding"),
    ]
    assert r.summary["adaptation_fund_units"] == 500
    assert r.summary["omge_cancelled"] == 200
    # the host adds only the 9,300 first transferred (vintage 2021), not the 10,000 issued
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 9_300
    assert cell(r.balances, "ca", party="GHA", year=2021) == 9_300


def test_waterfall_333_rounds_each_deduction_down_on_its_own():
    # 333 * 0.05 = 16.65 -> 16; 333 * 0.02 = 6.66 -> 6; 333 - 16 - 6 = 311
    # (not 333 - floor(333 * 0.07) = 333 - 23 = 310)
    r = run(two_party(act=a64(333), deal=agreement(policy="never")))
    assert issuance_day_rows(r) == [
        ("issuance", 333, "A6.4:activity:act"),
        ("adaptation-fund", 16, "A6.4:adaptation-fund"),
        ("cancellation", 6, "A6.4:omge-cancellation"),
        ("authorization", 311, "A6.4:activity:act"),
        ("first-transfer", 311, "CHE:holding"),
    ]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 311


def test_omge_rounding_up_never_cancels_below_the_share():
    # settings.a64_omge_rounding: up ("at least 2 per cent" to the tonne). 333 issued:
    # SOP floor(16.65) = 16 (rounded down as before), OMGE ceil(6.66) = 7 (not 6, which
    # is 1.8%), 333 - 16 - 7 = 310 first transferred. A removal with a 10% buffer, 333
    # issued: buffer floor(33.3) = 33, 333 - 16 - 7 - 33 = 277. 10,000 issued: 2% is
    # whole, 200 either way.
    r = run(two_party(act=a64(333), deal=agreement(policy="never"), settings={"a64_omge_rounding": "up"}))
    assert issuance_day_rows(r) == [
        ("issuance", 333, "A6.4:activity:act"),
        ("adaptation-fund", 16, "A6.4:adaptation-fund"),
        ("cancellation", 7, "A6.4:omge-cancellation"),
        ("authorization", 310, "A6.4:activity:act"),
        ("first-transfer", 310, "CHE:holding"),
    ]
    assert (r.summary["omge_cancelled"], r.summary["first_transferred"]) == (7, 310)
    r = run(two_party(act=a64(333, kind="removal", buffer_share=0.1), deal=agreement(policy="never"),
                      settings={"a64_omge_rounding": "up"}))
    assert [q for _a, q, _t in issuance_day_rows(r)[:5]] == [333, 16, 7, 33, 277]
    r = run(two_party(act=a64(10_000), deal=agreement(policy="never"), settings={"a64_omge_rounding": "up"}))
    assert r.summary["omge_cancelled"] == 200


def test_omge_share_is_a_setting_above_its_floor():
    # a64_omge_share 0.05 (the share of proceeds stays at its fixed 5%):
    # 10,000 -> 500 + 500, 9,000 left; 333 -> floor(16.65) = 16 + floor(16.65) = 16, 301 left
    settings = {"a64_omge_share": 0.05}
    r = run(two_party(act=a64(10_000), settings=settings))
    assert issuance_day_rows(r)[1:4] == [("adaptation-fund", 500, "A6.4:adaptation-fund"),
                                         ("cancellation", 500, "A6.4:omge-cancellation"),
                                         ("authorization", 9_000, "A6.4:activity:act")]
    r = run(two_party(act=a64(333), settings=settings))
    assert issuance_day_rows(r)[1:4] == [("adaptation-fund", 16, "A6.4:adaptation-fund"),
                                         ("cancellation", 16, "A6.4:omge-cancellation"),
                                         ("authorization", 301, "A6.4:activity:act")]


@pytest.mark.parametrize("share", [0.0, 0.1, 0.04])
def test_share_of_proceeds_other_than_five_percent_is_refused(share):
    # 3/CMA.3 annex para 67(a): 5% of A6.4ERs at issuance, fixed (not a floor like OMGE's 2%)
    with pytest.raises(a6sim.ScenarioError, match=r"settings\.a64_sop_share: must be 0\.05"):
        a6sim.scenario_from_dict(two_party(act=a64(), settings={"a64_sop_share": share}))


def test_share_of_proceeds_written_out_at_five_percent_is_accepted():
    r = run(two_party(act=a64(10_000), settings={"a64_sop_share": 0.05}))
    assert r.summary["adaptation_fund_units"] == 500


def test_omge_share_below_two_percent_is_refused():
    # 3/CMA.3: at least 2% cancelled for OMGE
    with pytest.raises(a6sim.ScenarioError, match="a64_omge_share"):
        a6sim.scenario_from_dict(two_party(act=a64(), settings={"a64_omge_share": 0.01}))


def test_host_adjusts_only_what_is_first_transferred():
    # share 0.5 of the net 9,300: floor(4,650) = 4,650 first transferred; the other
    # 4,650 stay, not authorised (A6.4ER), in the activity's account: no addition.
    # The inventory is still lowered by the whole realised outcome: 100,000 - 10,000.
    r = run(two_party(act=a64(10_000), deal=agreement(share=0.5)))
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 4_650
    assert cell(r.balances, "inventory", party="GHA", year=2021) == 90_000
    h = r.holdings
    end = h[(h["date"] == h["date"].max()) & (h["account"] == "A6.4:activity:act")]
    assert [(x.unit_type, x.quantity) for x in end.itertuples()] == [("A6.4ER", 4_650)]


def test_no_agreement_no_first_transfer_no_adjustment():
    # issued and deducted, but nothing leaves the mechanism registry: ft = 0, ca = 0;
    # 9,300 stay in the activity's account.
    data = two_party(act=a64(10_000))
    del data["agreements"]
    r = run(data)
    assert col(r.balances, "ca", party="GHA") == {2021: 0, 2022: 0, 2023: 0}
    assert held(r, "A6.4:activity:act") == 9_300
    assert r.summary["adaptation_fund_units"] == 500 and r.summary["omge_cancelled"] == 200


def test_default_baseline_decline_of_one_percent_a_year():
    # vintages 2021-2022, 10,000 realised each year. Credited: 2021 floor(10,000) = 10,000,
    # 2022 floor(10,000 * 0.99) = 9,900. Waterfall on 9,900: 495 + 198, 9,207 left.
    # The uncredited 100 stays with the host: the inventory falls by 10,000 both years.
    r = run(two_party(act=activity(mechanism="6.4", outcome=10_000, vintages=(2021, 2022))))
    assert issuance_day_rows(r, vintage=2022)[:4] == [
        ("issuance", 9_900, "A6.4:activity:act"),
        ("adaptation-fund", 495, "A6.4:adaptation-fund"),
        ("cancellation", 198, "A6.4:omge-cancellation"),
        ("authorization", 9_207, "A6.4:activity:act")]
    assert col(r.balances, "inventory", party="GHA") == {2021: 90_000, 2022: 90_000, 2023: 100_000}
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 9_300, 2022: 9_207, 2023: 0}


def test_art_62_has_no_waterfall_and_no_default_decline():
    # 6.2, vintages 2021-2022, 1,000 each: issued 1,000 and 1,000, all first transferred
    r = run(two_party(act=activity(vintages=(2021, 2022))))
    assert [x["quantity"] for x in ledger(r, action="issuance")] == [1_000, 1_000]
    assert ledger(r, action="adaptation-fund") == [] and ledger(r, action="cancellation") == []
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 1_000, 2023: 0}


def test_64_baseline_decline_below_one_percent_is_refused():
    # 6.4 requires at least 1% a year: 0.5% is refused at load time
    with pytest.raises(a6sim.ScenarioError, match="baseline_decline"):
        a6sim.scenario_from_dict(two_party(act=activity(mechanism="6.4", baseline_decline=0.005)))


def test_unit_types_a64er_then_itmo_and_mcu_when_not_authorised():
    # issued as A6.4ER (not yet authorised), ITMO from the authorisation on
    r = run(two_party(act=a64(10_000)))
    types = {x["action"]: x["unit_type"] for x in ledger(r)}
    assert types["issuance"] == "A6.4ER" and types["authorization"] == "ITMO"
    assert types["first-transfer"] == "ITMO"
    # authorised: false -> mitigation contribution units; an agreement without
    # authorisation moves them as MCU, a plain transfer, no first transfer, no addition
    data = two_party(act=a64(10_000, authorised=False), deal=agreement(auth=None, policy="never"))
    r = run(data)
    assert [(x["action"], x["unit_type"], x["quantity"]) for x in ledger(r)][-1] == ("transfer", "MCU", 9_300)
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 0


def test_mcu_activity_cannot_be_authorised_by_an_agreement():
    # authorised: false means the host authorises none of its units: an agreement with
    # an authorisation on it is refused at load time
    with pytest.raises(a6sim.ScenarioError, match="mitigation contribution"):
        a6sim.scenario_from_dict(two_party(act=a64(authorised=False)))
