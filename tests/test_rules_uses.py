"""docs/how-a6sim-counts.md, "Uses" (and the README's use policies).

* on-receipt: used on delivery; year-end: on 31 December, everything received that
  year; as-needed: on 31 December of the NDC period's last year and on every later
  receipt, the fewest units that bring the NDC to its target (averaging: each unit
  lowers the average by 1/divisor); never: held;
* a use towards an NDC needs units authorised for NDC use with a vintage inside the
  NDC period; an OIMP use needs an OIMP authorisation; anything else is refused,
  recorded in violations, and the units stay held (each refused lot tried once);
* a voluntary buyer cancels what it receives; that claims nothing.
"""
from helpers import activity, agreement, averaging_ndc, budget_ndc, cell, col, held, ledger, party, rows, run, \
    scenario, two_party


def uses(r):
    return [(x["date"], x["vintage"], x["quantity"]) for x in ledger(r, action="use")]


def attainment(r, p="CHE"):
    [a] = rows(r.attainment, party=p)
    return a


def with_airline(deal, kind="oimp-user", **kw):
    data = two_party(deal=deal, **kw)
    data["parties"]["SGP"] = party(60_000)
    data["entities"] = {"airline-x": {"name": "Air", "kind": kind, "country": "SGP"}}
    return data


# --- policies ---------------------------------------------------------------------------
def test_on_receipt_uses_on_the_delivery_day():
    # delivered 2022-01-31 + 30 = 2022-03-02, used the same day
    r = run(two_party(deal=agreement(lag=30, policy="on-receipt")))
    assert uses(r) == [("2022-03-02", 2021, 1_000)]
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0}


def test_year_end_uses_everything_received_that_year_on_31_december():
    # vintages 2021-2022 delivered 2022-03-02 and 2023-03-02: used 2022-12-31 and 2023-12-31
    r = run(two_party(act=activity(vintages=(2021, 2022)), deal=agreement(lag=30, policy="year-end")))
    assert uses(r) == [("2022-12-31", 2021, 1_000), ("2023-12-31", 2022, 1_000)]


def test_year_end_includes_a_delivery_made_on_31_december():
    # issuance lag 0 and transfer lag 0: issued and delivered 2021-12-31, used that day
    r = run(two_party(act=activity(lag=0), deal=agreement(policy="year-end")))
    assert uses(r) == [("2021-12-31", 2021, 1_000)]
    assert cell(r.balances, "used", party="CHE", year=2021) == 1_000


def test_never_holds_everything():
    r = run(two_party(act=activity(vintages=(2021, 2022)), deal=agreement(policy="never")))
    assert uses(r) == []
    assert held(r, "CHE:holding") == 2_000
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 0}


def test_as_needed_uses_just_enough_at_the_end_of_the_period():
    # budget 149,300 vs 3 x 50,000 = 150,000: gap 700. Received 1,000 (2022) and 1,000
    # (2023); on 2023-12-31 the true-up uses 700, oldest vintage first; 1,300 stay held.
    r = run(two_party(che_ndc=budget_ndc(2021, 2023, 149_300), act=activity(vintages=(2021, 2022)),
                      deal=agreement(policy="as-needed")))
    assert uses(r) == [("2023-12-31", 2021, 700)]
    assert held(r, "CHE:holding") == 1_300
    assert (attainment(r)["gap"], attainment(r)["met"]) == (0, True)


def test_as_needed_is_the_default_for_a_party_buying_for_its_ndc():
    # no policy given, party buyer, NDC purpose: as-needed, same 700 as above
    r = run(two_party(che_ndc=budget_ndc(2021, 2023, 149_300), act=activity(vintages=(2021, 2022)),
                      deal=agreement(policy=None)))
    assert uses(r) == [("2023-12-31", 2021, 700)]


def test_as_needed_uses_nothing_when_the_ndc_is_met():
    # budget 150,000 = the reference emissions: nothing needed, 2,000 held
    r = run(two_party(act=activity(vintages=(2021, 2022)), deal=agreement(policy="as-needed")))
    assert uses(r) == []
    assert held(r, "CHE:holding") == 2_000


def test_as_needed_for_averaging_needs_gap_times_divisor():
    # averaging 2021-2023, target 49,800: gap 50,000 - 49,800 = 200; each unit used
    # lowers the average by 1/3, so need = ceil(200 * 3) = 600; average -600/3 = -200,
    # target-year balance 49,800. 1,400 of the 2,000 received stay held.
    r = run(two_party(che_ndc=averaging_ndc(2021, 2023, 2023, 49_800), act=activity(vintages=(2021, 2022)),
                      deal=agreement(policy="as-needed")))
    assert uses(r) == [("2023-12-31", 2021, 600)]
    assert col(r.balances, "ca", party="CHE") == {2021: -200, 2022: -200, 2023: -200}
    assert (attainment(r)["balance"], attainment(r)["gap"]) == (49_800, 0)
    assert held(r, "CHE:holding") == 1_400


def test_as_needed_trues_up_again_on_a_later_receipt():
    # NDC 2021-2022, budget 99,000: gap 1,000. Vintage 2021 (600 t) arrives 2022-01-31,
    # vintage 2022 (1,000 t) 2023-01-31. 2022-12-31: uses all 600 (gap 400 left);
    # 2023-01-31 receipt: uses 400, counted for 2022. used[2022] = 1,000, gap 0, 600 held.
    r = run(two_party(che_ndc=budget_ndc(2021, 2022, 99_000),
                      act=activity(vintages=(2021, 2022), outcome={2021: 600, 2022: 1_000}),
                      deal=agreement(policy="as-needed")))
    assert uses(r) == [("2022-12-31", 2021, 600), ("2023-01-31", 2022, 400)]
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0}
    assert (attainment(r)["gap"], attainment(r)["met"]) == (0, True)
    assert held(r, "CHE:holding") == 600


def test_as_needed_trues_up_when_the_first_receipt_comes_after_the_period():
    # NDC 2021-2022, budget 99,000 (gap 1,000). Only vintage 2022 is bought; it arrives
    # 2023-01-31, after the period. Nothing was held on 2022-12-31; the receipt of
    # 2023-01-31 is a later receipt, so the true-up uses 1,000, counted for 2022.
    r = run(two_party(che_ndc=budget_ndc(2021, 2022, 99_000), act=activity(vintages=(2022, 2022)),
                      deal=agreement(policy="as-needed")))
    assert uses(r) == [("2023-01-31", 2022, 1_000)]
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0}
    assert (attainment(r)["gap"], attainment(r)["met"]) == (0, True)


def test_aef_use_year_of_a_true_up_is_the_period_last_year():
    # As above: 600 used 2022-12-31, 400 used 2023-01-31 after the 2021-2022 period.
    # Para 8(b): the true-up counts for 2022, so the AEF action's "Use year" is 2022,
    # the year balances.csv and the structured summary count it for (not 2023, the
    # calendar year of the action).
    r = run(two_party(che_ndc=budget_ndc(2021, 2022, 99_000),
                      act=activity(vintages=(2021, 2022), outcome={2021: 600, 2022: 1_000}),
                      deal=agreement(policy="as-needed")))
    acts = r.aef["actions"]
    got = [(str(d), int(y), int(q)) for d, y, q in
           acts[acts["Action type"] == "use"][["Action date", "Use year", "Quantity (tCO2e)"]].itertuples(index=False)]
    assert got == [("2022-12-31", 2022, 600), ("2023-01-31", 2022, 400)]
    assert cell(r.structured_summary, "used", party="CHE", year=2022) == 1_000


def test_voluntary_buyer_cancels_and_claims_nothing():
    # unauthorised MO units to a voluntary buyer: cancelled on receipt, no violation,
    # no first transfer, nothing used, nothing double claimed
    r = run(with_airline(agreement(buyer="airline-x", auth=None), kind="voluntary-buyer"))
    assert [x["action"] for x in ledger(r)] == ["issuance", "transfer", "voluntary-cancellation"]
    assert r.violations == []
    assert r.summary["voluntarily_cancelled"] == 1_000
    assert r.summary["used"] == 0 and r.summary["used_oimp"] == 0 and r.summary["double_claimed"] == 0
    assert col(r.balances, "ca", party="GHA") == {2021: 0, 2022: 0, 2023: 0}


def test_oimp_use_by_an_entity():
    # OIMP units used by the airline: in its oimp-use account, not in any NDC's used
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="authorisation")))
    [u] = ledger(r, action="use")
    assert (u["to_account"], u["quantity"], u["purpose"]) == ("SGP:entity:airline-x:oimp-use", 1_000, "OIMP")
    assert r.summary["used_oimp"] == 1_000 and r.summary["used"] == 0


# --- refused uses -------------------------------------------------------------------------
def refused(r):
    return [(v["kind"], v["quantity"], v.get("party")) for v in r.violations]


def test_unauthorised_62_units_refused_for_an_ndc():
    # agreement without authorisation: MO units, a plain "transfer" (no first transfer);
    # CHE's use on receipt is refused; the 1,000 stay in CHE's holding, nothing used
    r = run(two_party(deal=agreement(auth=None)))
    assert [x["action"] for x in ledger(r)] == ["issuance", "transfer"]
    assert refused(r) == [("use-refused", 1_000, "CHE")]
    assert "MO" in r.violations[0]["reason"]
    assert held(r, "CHE:holding") == 1_000
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 0}
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 0}


def test_mitigation_contribution_units_refused_for_an_ndc():
    # 6.4 activity with authorised: false: 10,000 -> 500 + 200, 9,300 MCU delivered,
    # use refused
    r = run(two_party(act=activity(mechanism="6.4", outcome=10_000, authorised=False),
                      deal=agreement(auth=None)))
    assert refused(r) == [("use-refused", 9_300, "CHE")]
    assert "MCU" in r.violations[0]["reason"]
    assert held(r, "CHE:holding") == 9_300


def test_vintage_outside_the_ndc_period_refused():
    # CHE NDC 2022-2023; vintages 2021 and 2022 delivered and used on receipt:
    # vintage 2021 refused, vintage 2022 used. GHA first transferred both.
    r = run(two_party(che_ndc=budget_ndc(2022, 2023, 100_000), act=activity(vintages=(2021, 2022))))
    assert refused(r) == [("use-refused", 1_000, "CHE")]
    assert "vintage 2021" in r.violations[0]["reason"]
    assert uses(r) == [("2023-01-31", 2022, 1_000)]
    assert held(r, "CHE:holding") == 1_000
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 1_000, 2023: 0}


def test_oimp_units_refused_for_an_ndc():
    # authorised for OIMP only (first transfer at authorisation); CHE tries an NDC use
    r = run(two_party(deal=agreement(purpose="OIMP", first_transfer="authorisation")))
    assert refused(r) == [("use-refused", 1_000, "CHE")]
    assert "OIMP only" in r.violations[0]["reason"]
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 0}


def test_ndc_units_refused_for_oimp():
    # authorised for NDC only; the airline's OIMP use is refused
    r = run(with_airline(agreement(buyer="airline-x", purpose="NDC")))
    assert refused(r) == [("use-refused", 1_000, "airline-x")]
    assert r.summary["used_oimp"] == 0
    assert held(r, "SGP:entity:airline-x") == 1_000


def test_ndc_and_oimp_units_serve_both_uses():
    # NDC and OIMP: the airline's OIMP use (1,000) and CHE's NDC use (1,000) both pass
    r = run(with_airline(agreement(buyer="airline-x", purpose="NDC and OIMP")))
    assert r.violations == [] and r.summary["used_oimp"] == 1_000
    r = run(two_party(deal=agreement(purpose="NDC and OIMP")))
    assert r.violations == [] and r.summary["used"] == 1_000


def test_each_refused_lot_is_tried_once():
    # as-needed, NDC 2021-2022 with a gap; unauthorised lots arrive 2022-01-31 (v2021)
    # and 2023-01-31 (v2022). True-ups on 2022-12-31 and 2023-01-31 try each lot once:
    # two violations, not three.
    r = run(two_party(che_ndc=budget_ndc(2021, 2022, 99_000), act=activity(vintages=(2021, 2022)),
                      deal=agreement(auth=None, policy="as-needed")))
    assert [(v["date"], v["block"].split("-")[2]) for v in r.violations] == [
        ("2022-12-31", "2021"), ("2023-01-31", "2022")]


def host_buys_back(via: str) -> dict:
    """GHA's 1,000 t of vintage 2021 (authorised for NDC and OIMP) go to ``via``, which
    resells them to GHA in 2022; GHA uses them on receipt."""
    return scenario(
        parties={"GHA": party(100_000, budget_ndc(2021, 2023, 300_000)),
                 "CHE": party(50_000, budget_ndc(2021, 2023, 150_000))},
        entities={"dom": {"name": "Domestic buyer", "kind": "oimp-user", "country": "GHA"}},
        activities={"act": activity()},
        agreements={"deal": agreement(buyer=via, purpose="NDC and OIMP", policy="never"),
                    "back": {"seller": via, "buyer": "GHA", "activities": ["act"], "quantity": {2022: 1_000},
                             "use": {"policy": "on-receipt"}}})


def test_a_host_may_not_use_its_own_units_never_first_transferred():
    # The units went to an entity in GHA's own registry (no international transfer, so
    # never first transferred: GHA adds nothing) and back to GHA. GHA's inventory already
    # counts their 1,000 t (100,000 - 1,000 in 2021); a use towards its own NDC would
    # subtract them again (2/CMA.3 annex paras 1, 8(b)): refused, the units stay held,
    # nothing is double claimed.
    r = run(host_buys_back("dom"))
    assert uses(r) == []
    assert [v["kind"] for v in r.violations] == ["use-refused"]
    assert "never first transferred" in r.violations[0]["reason"]
    assert (r.summary["used"], r.summary["double_claimed"]) == (0, 0)
    assert held(r, "GHA:holding") == 1_000
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 99_000, 2022: 100_000, 2023: 100_000}


def test_a_host_may_use_its_units_bought_back_after_their_first_transfer():
    # Via CHE instead: the units were first transferred (GHA +1,000 for 2021) and bought
    # back; GHA's use is an ITMO it acquired (-1,000 for 2022): allowed, the two cancel.
    r = run(host_buys_back("CHE"))
    assert uses(r) == [("2022-12-31", 2021, 1_000)]
    assert col(r.balances, "ca", party="GHA") == {2021: 1_000, 2022: -1_000, 2023: 0}
    assert (r.violations, r.summary["double_claimed"]) == ([], 0)
