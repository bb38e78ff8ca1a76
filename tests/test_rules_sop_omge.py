"""docs/how-a6sim-counts.md (Art. 6.2, 2/CMA.3 ch. VII): voluntary share of proceeds
and OMGE per agreement.

SOP in units (`sop.units`, to the Adaptation Fund or the host's adaptation account)
and in money (`sop.value` of the value paid); OMGE as a share of units cancelled
`at: issuance` or `at: first-transfer`. Each is floor(share x tranche).
"""
from helpers import activity, agreement, cell, col, ledger, run, two_party

# vintage 2021, issued 2021-12-31 + 31 days = 2022-01-31; transfer lag 30 days:
# delivered 2022-01-31 + 30 = 2022-03-02 (February has 28 days).


def deal(**kw):
    kw.setdefault("lag", 30)
    kw.setdefault("price", 20)
    kw.setdefault("policy", "never")
    return agreement(**kw)


def moves(r, action):
    return [(x["date"], x["quantity"], x["to_account"]) for x in ledger(r, action=action)]


def test_sop_units_to_the_adaptation_fund():
    # tranche 1,000: floor(1,000 * 0.05) = 50 to A6.4:adaptation-fund at authorisation
    # (2022-01-31); 950 delivered 2022-03-02 and first transferred: GHA adds 950.
    r = run(two_party(deal=deal(sop={"units": 0.05, "to": "adaptation-fund"})))
    assert moves(r, "adaptation-fund") == [("2022-01-31", 50, "A6.4:adaptation-fund")]
    assert moves(r, "first-transfer") == [("2022-03-02", 950, "CHE:holding")]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 950
    assert r.summary["adaptation_fund_units"] == 50
    assert r.summary["host_adaptation_units"] == 0
    assert col(r.integrity, "adaptation_fund_units") == {2021: 0, 2022: 50, 2023: 0}


def test_sop_units_to_the_host_adaptation_account():
    # the same 50 go to GHA:host-adaptation; they are not Adaptation Fund units
    r = run(two_party(deal=deal(sop={"units": 0.05, "to": "host-adaptation"})))
    assert moves(r, "adaptation-fund") == [("2022-01-31", 50, "GHA:host-adaptation")]
    assert r.summary["host_adaptation_units"] == 50
    assert r.summary["adaptation_fund_units"] == 0
    assert col(r.integrity, "adaptation_fund_units") == {2021: 0, 2022: 0, 2023: 0}
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 950


def test_sop_value_is_a_share_of_the_value_paid():
    # 1,000 delivered at 20 = 20,000 paid; SOP value 5% = 1,000; no units deducted
    r = run(two_party(deal=deal(sop={"value": 0.05})))
    assert cell(r.flows, "value", year=2022) == 20_000.0
    assert r.summary["sop_value"] == 1_000.0
    assert r.summary["adaptation_fund_units"] == 0 and r.summary["host_adaptation_units"] == 0
    assert moves(r, "first-transfer") == [("2022-03-02", 1_000, "CHE:holding")]


def test_sop_units_and_value_together():
    # 50 units to the fund, 950 delivered at 20 = 19,000 paid; 5% of it = 950
    r = run(two_party(deal=deal(sop={"units": 0.05, "value": 0.05})))
    assert cell(r.flows, "value", year=2022) == 19_000.0
    assert r.summary["value_paid"] == 19_000.0
    assert r.summary["sop_value"] == 950.0


def test_sop_and_omge_round_down_on_their_own():
    # tranche 333: SOP floor(16.65) = 16, OMGE floor(6.66) = 6, delivered 311
    r = run(two_party(act=activity(outcome=333),
                      deal=deal(sop={"units": 0.05}, omge={"units": 0.02, "at": "issuance"})))
    assert moves(r, "adaptation-fund") == [("2022-01-31", 16, "A6.4:adaptation-fund")]
    assert moves(r, "cancellation") == [("2022-01-31", 6, "GHA:omge-cancellation")]
    assert moves(r, "first-transfer") == [("2022-03-02", 311, "CHE:holding")]


def test_omge_at_issuance_cancels_when_the_tranche_is_authorised():
    # floor(1,000 * 0.02) = 20 cancelled in GHA:omge-cancellation on 2022-01-31,
    # 980 delivered 2022-03-02; the host adds 980 (OMGE is not first transferred)
    r = run(two_party(deal=deal(omge={"units": 0.02, "at": "issuance"})))
    assert moves(r, "cancellation") == [("2022-01-31", 20, "GHA:omge-cancellation")]
    assert moves(r, "first-transfer") == [("2022-03-02", 980, "CHE:holding")]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 980
    assert r.summary["omge_cancelled"] == 20


def test_omge_at_first_transfer_cancels_on_delivery():
    # same 20, but on the delivery date 2022-03-02, just before the 980 move
    r = run(two_party(deal=deal(omge={"units": 0.02, "at": "first-transfer"})))
    assert moves(r, "cancellation") == [("2022-03-02", 20, "GHA:omge-cancellation")]
    assert moves(r, "first-transfer") == [("2022-03-02", 980, "CHE:holding")]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 980


def test_omge_timing_decides_the_year_of_the_cancellation():
    # issuance 2021-12-31 + 300 days = 2022-10-27; delivery + 100 days = 2023-02-04.
    # at: issuance -> integrity omge 2022 = 20; at: first-transfer -> 2023 = 20.
    act = activity(lag=300)
    at_issuance = run(two_party(act=act, deal=deal(lag=100, omge={"units": 0.02, "at": "issuance"})))
    at_transfer = run(two_party(act=act, deal=deal(lag=100, omge={"units": 0.02, "at": "first-transfer"})))
    assert moves(at_issuance, "cancellation") == [("2022-10-27", 20, "GHA:omge-cancellation")]
    assert moves(at_transfer, "cancellation") == [("2023-02-04", 20, "GHA:omge-cancellation")]
    assert col(at_issuance.integrity, "omge_cancelled") == {2021: 0, 2022: 20, 2023: 0}
    assert col(at_transfer.integrity, "omge_cancelled") == {2021: 0, 2022: 0, 2023: 20}


def test_omge_at_issuance_of_units_waiting_for_the_authorisation():
    # how-a6sim-counts: the tranche's OMGE (at: issuance) is cancelled on authorisation;
    # units issued 2022-01-31 wait for the authorisation of 2022-05-01.
    r = run(two_party(deal=deal(auth="2022-05-01", omge={"units": 0.02, "at": "issuance"})))
    assert moves(r, "cancellation") == [("2022-05-01", 20, "GHA:omge-cancellation")]
