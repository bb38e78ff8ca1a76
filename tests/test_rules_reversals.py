"""docs/how-a6sim-counts.md, "Removals, buffer and reversals".

* a removal puts floor(buffer_share x gross) of each issuance in the buffer pool
  (`A6.4:buffer` for 6.4, `{host}:buffer` for 6.2);
* a reversal of R tonnes adds R to the host's inventory in the year it occurs (in-scope
  activities) and cancels R units from the pool; what the pool lacks is a shortfall;
* unavoidable: that is all; avoidable: the participant puts R units of the activity
  back, from its free units, at once or by the deadline; what is missing then is a
  violation.
"""
from helpers import activity, agreement, col, day, held, ledger, run, two_party

# Removal "act" hosted by GHA: 1,000 t of vintage 2021, issued 2022-01-31, buffer
# share 0.1 -> floor(100) = 100 to the buffer, 900 net.


def removal(buffer_share=0.1, **kw):
    return activity(kind="removal", buffer_share=buffer_share, **kw)


def reversal(date, quantity, avoidable=False, **extra):
    return {"date": day(date), "type": "reversal", "activity": "act", "quantity": quantity,
            "avoidable": avoidable, **extra}


def scenario(events=(), act=None, deal=None):
    data = two_party(act=act or removal(), deal=deal or agreement(policy="never"))
    data["events"] = list(events)
    return data


def moves(r, action):
    return [(x["date"], x["quantity"], x["from_account"], x["to_account"]) for x in ledger(r, action=action)]


def test_buffer_share_of_a_62_removal_goes_to_the_hosts_pool():
    # 1,000 issued: 100 to GHA:buffer, 900 authorised and delivered
    r = run(scenario())
    assert moves(r, "buffer") == [("2022-01-31", 100, "GHA:activity:act", "GHA:buffer")]
    assert moves(r, "first-transfer")[0][1] == 900
    assert r.summary["buffer"] == 100
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 900, 2022: 0, 2023: 0}


def test_buffer_of_a_64_removal_is_on_the_gross_issuance_too():
    # 10,000 issued: SOP 500, OMGE 200, buffer floor(10,000 * 0.1) = 1,000, net 8,300
    r = run(scenario(act=removal(mechanism="6.4", outcome=10_000)))
    assert [(x["action"], x["quantity"], x["to_account"]) for x in ledger(r)][:5] == [
        ("issuance", 10_000, "A6.4:activity:act"), ("adaptation-fund", 500, "A6.4:adaptation-fund"),
        ("cancellation", 200, "A6.4:omge-cancellation"), ("buffer", 1_000, "A6.4:buffer"),
        ("authorization", 8_300, "A6.4:activity:act")]
    assert r.summary["buffer"] == 1_000


def test_no_buffer_share_no_buffer():
    r = run(scenario(act=removal(buffer_share=0.0)))
    assert moves(r, "buffer") == []
    assert moves(r, "first-transfer")[0][1] == 1_000


def test_unavoidable_reversal_reenters_the_inventory_and_cancels_from_the_buffer():
    # R = 50 on 2022-07-01: GHA inventory 2022 = 100,000 + 50 = 100,050 (2021 keeps the
    # outcome: 100,000 - 1,000 = 99,000); 50 cancelled from GHA:buffer; 50 left in it;
    # nothing to replenish, no violation, no shortfall
    r = run(scenario([reversal("2022-07-01", 50)]))
    assert col(r.balances, "inventory", party="GHA") == {2021: 99_000, 2022: 100_050, 2023: 100_000}
    assert moves(r, "reversal") == [("2022-07-01", 50, "GHA:buffer", "GHA:reversal-cancellation")]
    assert moves(r, "replenishment") == []
    assert r.summary["buffer"] == 50 and r.summary["reversal_cancelled"] == 50
    assert r.violations == [] and r.summary["shortfalls"] == []


def test_reversal_larger_than_the_buffer_is_a_shortfall():
    # R = 150, the pool holds 100: 100 cancelled, 50 reported in shortfalls; the whole
    # 150 re-enters the inventory (100,000 + 150)
    r = run(scenario([reversal("2022-07-01", 150)]))
    assert moves(r, "reversal") == [("2022-07-01", 100, "GHA:buffer", "GHA:reversal-cancellation")]
    [s] = r.summary["shortfalls"]
    assert (s["kind"], s["quantity"], s["activity"]) == ("buffer", 50, "act")
    assert col(r.balances, "inventory", party="GHA")[2022] == 100_150


def test_avoidable_reversal_replenished_at_once_from_free_units():
    # share 0.5: tranche floor(0.5 * 900) = 450 delivered, 450 free in the activity's
    # account. Avoidable R = 50: 50 cancelled from the buffer and, the same day, 50 of
    # the free units put back: buffer 100 again, 400 free left; no violation.
    r = run(scenario([reversal("2022-07-01", 50, avoidable=True)], deal=agreement(share=0.5, policy="never")))
    assert moves(r, "reversal") == [("2022-07-01", 50, "GHA:buffer", "GHA:reversal-cancellation")]
    assert moves(r, "replenishment") == [("2022-07-01", 50, "GHA:activity:act", "GHA:buffer")]
    assert r.summary["buffer"] == 100
    assert held(r, "GHA:activity:act") == 400
    assert r.violations == []


def test_avoidable_reversal_without_free_units_is_a_shortfall_at_the_deadline():
    # share 1.0: all 900 delivered, nothing free. Avoidable R = 50, 30 days to replenish:
    # on 2022-07-31 50 are still missing -> recorded as a replenishment shortfall
    r = run(scenario([reversal("2022-07-01", 50, avoidable=True, replenish_within_days=30)]))
    assert moves(r, "replenishment") == []
    assert r.violations == []
    [v] = r.summary["shortfalls"]
    assert (v["kind"], v["date"], v["quantity"]) == ("replenishment", "2022-07-31", 50)
    assert r.summary["buffer"] == 50


def test_unavoidable_reversal_needs_no_replenishment_even_with_free_units():
    r = run(scenario([reversal("2022-07-01", 50)], deal=agreement(share=0.5, policy="never")))
    assert moves(r, "replenishment") == []
    assert held(r, "GHA:activity:act") == 450


def test_avoidable_reversal_replenished_by_the_deadline_from_later_units():
    # vintages 2021-2022, the agreement takes vintage 2021 only. Avoidable R = 50 on
    # 2022-07-01, nothing free then. Vintage 2022 (issued 2023-01-31: 100 buffer, 900
    # free) arrives before the deadline 2022-07-01 + 365 days = 2023-07-01, when 50 of it
    # go to the buffer. No violation. Buffer: 100 - 50 + 100 + 50 = 200.
    r = run(scenario([reversal("2022-07-01", 50, avoidable=True)], act=removal(vintages=(2021, 2022)),
                     deal=agreement(vintages=[2021, 2021], policy="never")))
    assert [(d, q) for d, q, _, _ in moves(r, "replenishment")] == [("2023-07-01", 50)]
    assert r.violations == []
    assert r.summary["buffer"] == 200
    assert held(r, "GHA:activity:act") == 850


def test_out_of_scope_removal_changes_no_inventory():
    # in_ndc_scope false: neither the outcome nor the reversal touch GHA's inventory;
    # the buffer still covers the reversal
    r = run(scenario([reversal("2022-07-01", 50)], act=removal(in_ndc_scope=False)))
    assert col(r.balances, "inventory", party="GHA") == {2021: 100_000, 2022: 100_000, 2023: 100_000}
    assert moves(r, "reversal")[0][1] == 50


def test_64_reversal_uses_the_mechanism_pool():
    # 6.4 removal, 10,000 issued: 1,000 in A6.4:buffer; R = 300 cancelled from it;
    # GHA inventory 2022 = 100,000 + 300
    r = run(scenario([reversal("2022-07-01", 300)], act=removal(mechanism="6.4", outcome=10_000)))
    assert moves(r, "reversal") == [("2022-07-01", 300, "A6.4:buffer", "A6.4:reversal-cancellation")]
    assert r.summary["buffer"] == 700
    assert col(r.balances, "inventory", party="GHA")[2022] == 100_300


def test_reversal_quantity_in_the_scenario_units():
    # units ktCO2e: everything x 1,000. Removal 1 kt -> 100 t buffer; reversal 0.05 kt = 50 t
    data = scenario([reversal("2022-07-01", 0.05)])
    data["units"] = "ktCO2e"
    data["parties"]["GHA"]["emissions"] = {2021: 100}
    data["parties"]["CHE"]["emissions"] = {2021: 50}
    data["parties"]["CHE"]["ndc"]["budget"] = 150
    data["activities"]["act"]["outcome"] = 1
    r = run(data)
    assert moves(r, "reversal")[0][1] == 50
    assert col(r.balances, "inventory", party="GHA") == {2021: 99_000, 2022: 100_050, 2023: 100_000}


def test_buffer_pool_is_shared_by_the_activities_of_a_registry():
    # two 6.2 removals hosted by GHA, 1,000 t each, buffer 0.1: GHA:buffer holds 100 + 100.
    # A reversal of 150 at "act" is covered by the pool: 100 units of act, then 50 of
    # act2 (oldest vintage, then activity, first); no shortfall.
    data = scenario([reversal("2022-07-01", 150)])
    data["activities"]["act2"] = removal()
    r = run(data)
    assert [(x["activity"], x["quantity"]) for x in ledger(r, action="reversal")] == [("act", 100), ("act2", 50)]
    assert r.summary["shortfalls"] == []
    assert r.summary["buffer"] == 50


def test_replenishment_deadline_after_the_simulated_period_is_not_yet_a_violation():
    # avoidable R = 50 on 2023-07-01, nothing free; the deadline 2023-07-01 + 365 days =
    # 2024-06-30 is after the end of the run (2023-12-31): the participant still has
    # time, so nothing is missing "then" within the simulation: no violation.
    # (the engine lists the 50 still due among the shortfalls instead)
    r = run(scenario([reversal("2023-07-01", 50, avoidable=True)]))
    assert moves(r, "replenishment") == []
    assert r.violations == []
    assert [(s["activity"], s["quantity"]) for s in r.summary["shortfalls"]] == [("act", 50)]


def test_replenishment_never_takes_units_promised_to_an_agreement():
    # share 1.0, transfer lag 300: the 900 authorised units wait in the activity's
    # account for their delivery on 2022-01-31 + 300 = 2022-11-27. They are not free:
    # the avoidable reversal of 50 on 2022-07-01 cannot use them; 30 days later 50 are
    # missing (a shortfall) and all 900 are still delivered.
    r = run(scenario([reversal("2022-07-01", 50, avoidable=True, replenish_within_days=30)],
                     deal=agreement(lag=300, policy="never")))
    assert moves(r, "replenishment") == []
    assert [(v["kind"], v["quantity"]) for v in r.summary["shortfalls"]] == [("replenishment", 50)]
    assert moves(r, "first-transfer") == [("2022-11-27", 900, "GHA:activity:act", "CHE:holding")]
