"""docs/how-a6sim-counts.md, OMGE: whether the host applies a corresponding
adjustment for the authorised units cancelled for OMGE is left open by the texts
(3/CMA.3 annex ch. VII; 2/CMA.3 annex ch. VII for 6.2). `settings.omge_host_adjustment`:
false (default) - the host adds only what it first transfers, so the cancelled units'
mitigation stays in its NDC accounts; true - the host adds them too (for their
vintage), so OMGE is mitigation no NDC counts. Mitigation contribution units (MCUs)
are never adjusted for.
"""
from helpers import activity, agreement, cell, ledger, run, two_party


def a64(outcome=10_000, **extra):
    return activity(mechanism="6.4", outcome=outcome, **extra)


def omge_rows(r):
    return [(x["quantity"], x["first_transfer"]) for x in ledger(r, action="cancellation")]


def test_default_the_host_does_not_adjust_for_omge():
    # 6.4, 10,000 issued: 500 SOP, 200 OMGE, 9,300 first transferred: GHA adds 9,300
    r = run(two_party(act=a64()))
    assert omge_rows(r) == [(200, False)]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 9_300


def test_setting_on_the_host_adds_the_omge_units_too():
    # same issuance: GHA adds 9,300 + 200 = 9,500 for vintage 2021 (not the SOP 500);
    # CHE uses 9,300: net_ca over the run +200 = the OMGE units, claimed by no NDC
    r = run(two_party(act=a64(), settings={"omge_host_adjustment": True}))
    assert omge_rows(r) == [(200, False)]   # an addition, but no first transfer (no ITMO moves)
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 9_500
    assert cell(r.balances, "first_transferred_oimp", party="GHA", year=2021) == 0
    assert r.summary["net_ca_total"] == 200
    assert r.summary["double_claimed"] == 0
    assert r.summary["omge_cancelled"] == 200


def test_mitigation_contribution_units_are_never_adjusted_for():
    # authorised: false: MCUs, an unauthorised agreement; OMGE 200 not added even with the setting on
    act = a64(authorised=False)
    r = run(two_party(act=act, deal=agreement(auth=None, policy="never"), settings={"omge_host_adjustment": True}))
    assert omge_rows(r) == [(200, False)]
    assert cell(r.balances, "first_transferred", party="GHA", year=2021) == 0


def test_a_62_agreements_omge_at_issuance_and_at_first_transfer():
    # 6.2, 1,000 t, omge.units 0.02: 20 cancelled, 980 first transferred.
    # Off: GHA adds 980; on: 980 + 20 = 1,000, at issuance or at first transfer alike.
    for at in ("issuance", "first-transfer"):
        deal = agreement(omge={"units": 0.02, "at": at})
        off = run(two_party(deal=deal))
        on = run(two_party(deal=deal, settings={"omge_host_adjustment": True}))
        assert omge_rows(off) == [(20, False)] and omge_rows(on) == [(20, False)], at
        assert cell(off.balances, "first_transferred", party="GHA", year=2021) == 980, at
        assert cell(on.balances, "first_transferred", party="GHA", year=2021) == 1_000, at
