"""Resale agreements (a secondary market): hand-worked cases.

Shared world (``world()``): period 2021-2023. HST hosts ``act`` (Art. 6.2, vintage
2021, 1,000 t, issued 2022-01-31); reference emissions 100,000 t a year, no NDC.
B1 and B2 buy (50,000 t a year each; multi-year budgets 2021-2023 of 150,000 t, met
without any purchase). ``deal``: HST -> B1, all of ``act``, authorised for NDC use on
2021-01-01, delivered on the day of issuance (2022-01-31). ``resale``: B1 -> B2,
delivered from B1's holdings on 30 June (``delivery_day: 06-30``) of each year its
``quantity`` names, used by B2 on receipt.
"""
from __future__ import annotations

import datetime

import pytest
import yaml

import a6sim
from a6sim.cli import main
from a6sim.scenario import ScenarioError
from helpers import agreement, activity, budget_ndc, cell, col, held, ledger, party, run, scenario

D = datetime.date.fromisoformat


def resale(quantity, seller="B1", buyer="B2", activities=("act",), **extra) -> dict:
    g = {"seller": seller, "buyer": buyer, "activities": list(activities), "quantity": quantity,
         "delivery_day": "06-30", "use": {"policy": "on-receipt"}}
    g.update(extra)
    return g


def world(deal=None, sale=None, entities=None, events=None, **agreements) -> dict:
    return scenario(
        parties={"HST": party(100_000), "B1": party(50_000, budget_ndc(2021, 2023, 150_000)),
                 "B2": party(50_000, budget_ndc(2021, 2023, 150_000))},
        activities={"act": activity(host="HST")},
        agreements={"deal": deal or agreement(seller="HST", buyer="B1", policy="year-end"),
                    "resale": sale or resale({2022: 400}), **agreements},
        entities=entities, events=events)


def movements(r) -> list[tuple]:
    return [(x["date"], x["action"], x["quantity"], x["from_account"], x["to_account"], x["agreement"],
             x["first_transfer"]) for x in ledger(r, acquisitions=True)]


def problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        a6sim.scenario_from_dict(data)
    return [f"{'.'.join(str(p) for p in i.path)}: {i.message}" for i in err.value.issues]


def test_resale_of_first_transferred_units_adds_nothing_for_anyone():
    # HST -> B1 1,000 t on 2022-01-31: the first international transfer, HST adds 1,000
    # for vintage 2021 (para 2, 8(a)). B1 -> B2 400 t on 2022-06-30: already first-
    # transferred, so a plain transfer: no addition for anyone. B2 uses the 400 on
    # receipt (-400 in 2022). B1 uses the 600 it kept on 31 December 2022 (year-end:
    # the rest of the lot it received, whose first 400 serials it sold): -600 in 2022.
    # Net over the parties: +1,000 - 400 - 600 = 0.
    r = run(world(sale=resale({2022: 400}, price=12, sop={"value": 0.05})))
    assert movements(r) == [
        ("2022-01-31", "issuance", 1000, None, "HST:activity:act", None, False),
        ("2022-01-31", "authorization", 1000, "HST:activity:act", "HST:activity:act", "deal", False),
        ("2022-01-31", "first-transfer", 1000, "HST:activity:act", "B1:holding", "deal", True),
        ("2022-01-31", "acquisition", 1000, "B1:holding", "B1:holding", "deal", False),
        ("2022-06-30", "transfer", 400, "B1:holding", "B2:holding", "deal", False),
        ("2022-06-30", "acquisition", 400, "B2:holding", "B2:holding", "deal", False),
        ("2022-06-30", "use", 400, "B2:holding", "B2:ndc-use", "deal", False),
        ("2022-12-31", "use", 600, "B1:holding", "B1:ndc-use", "deal", False),
    ]
    b = r.balances
    assert col(b, "ca", party="HST") == {2021: 1000, 2022: 0, 2023: 0}
    assert col(b, "ca", party="B1") == {2021: 0, 2022: -600, 2023: 0}   # nothing for the 400 it resold
    assert col(b, "ca", party="B2") == {2021: 0, 2022: -400, 2023: 0}
    assert r.summary["first_transferred"] == 1000 and r.summary["used"] == 1000
    assert r.summary["net_ca_total"] == 0 and r.summary["double_claimed"] == 0
    # Table 4: HST's first transfer in the year it happened (2022); one first transfer only
    ss = r.structured_summary
    assert cell(ss, "first_transferred_ndc", party="HST", year=2022) == 1000
    assert cell(ss, "first_transferred", party="B1", year=2022) == 0
    # conservation: 1,000 issued = 600 used by B1 + 400 used by B2, nothing held
    assert held(r, "B1:ndc-use") == 600 and held(r, "B2:ndc-use") == 400 and r.summary["held"] == 0
    # the flows: the host's deal at price 0, the resale 400 x 12 = 4,800
    flows = {(x["agreement"], x["from_party"], x["to_party"]): (x["quantity"], x["value"]) for x in
             r.flows.to_dict("records")}
    assert flows == {("deal", "HST", "B1"): (1000, 0.0), ("resale", "B1", "B2"): (400, 4800.0)}
    assert r.summary["shortfalls"] == []
    assert r.summary["sop_value"] == 240.0   # 5% of the 4,800 paid for the resale (sop.value)


def test_seller_short_of_units_delivers_what_it_holds():
    # quantity 700 every year: 2021 B1 holds nothing yet (the deal delivers 2022-01-31):
    # 0 delivered, 700 short; 2022: 700 of 1,000; 2023: the 300 left, 400 short.
    # B1 keeps nothing (policy never): B2 uses 700 + 300 = 1,000.
    r = run(world(deal=agreement(seller="HST", buyer="B1", policy="never"), sale=resale(700)))
    assert [(x["date"], x["quantity"]) for x in ledger(r, action="transfer")] == [("2022-06-30", 700),
                                                                                 ("2023-06-30", 300)]
    assert [(s["date"], s["kind"], s["quantity"], s["agreement"], s["party"]) for s in r.summary["shortfalls"]] == [
        ("2021-06-30", "resale-delivery", 700, "resale", "B1"), ("2023-06-30", "resale-delivery", 400, "resale", "B1")]
    assert col(r.balances, "ca", party="B2") == {2021: 0, 2022: -700, 2023: -300}
    assert col(r.balances, "ca", party="HST") == {2021: 1000, 2022: 0, 2023: 0}


def test_cap_limits_the_resale_without_a_shortfall():
    # quantity 700 a year from 2022, cap 800: 700 in 2022, then the 100 the cap leaves; the
    # seller holds what the cap allows, so nothing is short.
    r = run(world(deal=agreement(seller="HST", buyer="B1", policy="never"),
                  sale=resale({2022: 700, 2023: 700}, cap=800)))
    assert [x["quantity"] for x in ledger(r, action="transfer")] == [700, 100]
    assert r.summary["shortfalls"] == []
    assert held(r, "B1:holding") == 200


def test_units_never_first_transferred_are_first_transferred_by_the_resale():
    # HST -> dev (an entity in HST's own registry) 1,000 t on 2022-01-31: no international
    # transfer, so no first transfer, no addition, no acquisition row (same registry).
    # dev -> B2 1,000 t on 2022-06-30 is the units' first international transfer: the
    # host adds 1,000 for vintage 2021 there (para 2), B2 uses them (-1,000).
    entities = {"dev": {"name": "developer", "kind": "oimp-user", "country": "HST"}}
    r = run(world(deal=agreement(seller="HST", buyer="dev", policy="never"),
                  sale=resale({2022: 1000}, seller="dev"), entities=entities))
    assert movements(r)[2:] == [
        ("2022-01-31", "transfer", 1000, "HST:activity:act", "HST:entity:dev", "deal", False),
        ("2022-06-30", "first-transfer", 1000, "HST:entity:dev", "B2:holding", "deal", True),
        ("2022-06-30", "acquisition", 1000, "B2:holding", "B2:holding", "deal", False),
        ("2022-06-30", "use", 1000, "B2:holding", "B2:ndc-use", "deal", False),
    ]
    assert col(r.balances, "ca", party="HST") == {2021: 1000, 2022: 0, 2023: 0}
    assert col(r.balances, "ca", party="B2") == {2021: 0, 2022: -1000, 2023: 0}
    assert cell(r.structured_summary, "first_transferred_ndc", party="HST", year=2022) == 1000
    assert r.summary["double_claimed"] == 0


def test_host_revocation_stops_the_resale_of_units_not_first_transferred():
    # as above, but HST revokes deal's authorisation on 2022-03-01 (not-first-transferred):
    # the 1,000 units at dev were never first-transferred and lose it. The resale delivers
    # only authorised units: nothing on 2022-06-30 (1,000 short); HST adds nothing.
    entities = {"dev": {"name": "developer", "kind": "oimp-user", "country": "HST"}}
    events = [{"date": D("2022-03-01"), "type": "revoke-authorisation", "agreement": "deal"}]
    r = run(world(deal=agreement(seller="HST", buyer="dev", policy="never"),
                  sale=resale({2022: 1000}, seller="dev"), entities=entities, events=events))
    assert [(x["action"], x["quantity"], x["to_account"]) for x in ledger(r, action="revocation")] == [
        ("revocation", 1000, "HST:entity:dev")]
    assert ledger(r, action="first-transfer") == [] and ledger(r, to_account="B2:holding") == []
    assert [(s["kind"], s["quantity"]) for s in r.summary["shortfalls"]] == [("resale-delivery", 1000)]
    assert col(r.balances, "ca", party="HST") == {2021: 0, 2022: 0, 2023: 0}


def test_host_revocation_leaves_first_transferred_units_with_the_reseller():
    # HST revokes on 2022-03-01, after B1's units were first-transferred (2022-01-31):
    # a revocation covers units not yet first-transferred, so B1's 1,000 keep their
    # authorisation; the resale delivers its 400 and HST's addition stays 1,000.
    events = [{"date": D("2022-03-01"), "type": "revoke-authorisation", "agreement": "deal"}]
    r = run(world(events=events))
    assert ledger(r, action="revocation") == []
    assert [x["quantity"] for x in ledger(r, action="transfer")] == [400]
    assert col(r.balances, "ca", party="HST") == {2021: 1000, 2022: 0, 2023: 0}
    assert col(r.balances, "ca", party="B2") == {2021: 0, 2022: -400, 2023: 0}


def test_vintages_of_the_resale_choose_the_units():
    # act now credits vintages 2021 and 2022 (1,000 t each, issued 2022-01-31 and
    # 2023-01-31); the resale names vintages [2022, 2022]: in 2022 B1 holds only vintage
    # 2021 (400 short), in 2023 it delivers 400 of vintage 2022.
    data = world(deal=agreement(seller="HST", buyer="B1", policy="never"),
                 sale=resale({2022: 400, 2023: 400}, vintages=[2022, 2022]))
    data["activities"]["act"] = activity(host="HST", vintages=(2021, 2022))
    r = run(data)
    assert [(x["date"], x["vintage"], x["quantity"]) for x in ledger(r, action="transfer")] == [
        ("2023-06-30", 2022, 400)]
    assert [(s["date"], s["quantity"]) for s in r.summary["shortfalls"]] == [("2022-06-30", 400)]


# --- a v2 scenario: units recorded, resold by a modelled agreement ------------------------
SERIAL = "1001-{}-{}-VCS-VCU-263-VER-GH-1-77-01012023-31122023-0"


def recorded(sale: dict, swe_budget=150_000) -> dict:
    # period 2023-2025; GHA authorises A1 (NDC) on 2023-03-01 and issues one VCS block of
    # 1,000 t (vintage 2023) to itself on 2023-06-01; the recorded transfer GHA -> CHE of
    # 2024-02-01 is its first transfer (GHA adds 1,000). CHE resells by a v1 agreement
    # naming the recorded project VCS-77.
    return {
        "a6sim": 2, "name": "resale of recorded units", "period": {"start": 2023, "end": 2025},
        "parties": {"GHA": party(100_000), "CHE": party(50_000, budget_ndc(2023, 2025, 150_000)),
                    "SWE": party(50_000, budget_ndc(2023, 2025, swe_budget))},
        "authorisations": {"A1": {"host": "GHA", "date": D("2023-03-01"), "purpose": "NDC"}},
        "issuances": [{"date": D("2023-06-01"), "host": "GHA", "programme": "VCS", "project": "77",
                       "vintage": 2023, "quantity": 1000, "serials": SERIAL.format(500001, 501000),
                       "authorisation": "A1", "holder": "GHA"}],
        "transactions": [{"date": D("2024-02-01"), "action": "transfer", "from": "GHA", "to": "CHE",
                          "quantity": 1000, "select": {"project": "77"}}],
        "agreements": {"resale": sale},
    }


def test_recorded_units_resold_by_a_v1_agreement():
    # CHE -> SWE 400 t on 2024-09-30 (a transfer: no second addition), SWE uses on receipt.
    r = run(recorded(resale({2024: 400}, seller="CHE", buyer="SWE", activities=["VCS-77"],
                            delivery_day="09-30")))
    assert [(x["date"], x["action"], x["quantity"], x["from_account"], x["to_account"], x["agreement"])
            for x in ledger(r, acquisitions=True)][3:] == [
        ("2024-02-01", "acquisition", 1000, "CHE:holding", "CHE:holding", "A1"),
        ("2024-09-30", "transfer", 400, "CHE:holding", "SWE:holding", "A1"),
        ("2024-09-30", "acquisition", 400, "SWE:holding", "SWE:holding", "A1"),
        ("2024-09-30", "use", 400, "SWE:holding", "SWE:ndc-use", "A1"),
    ]
    assert col(r.balances, "ca", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert col(r.balances, "ca", party="SWE") == {2023: 0, 2024: -400, 2025: 0}
    assert col(r.balances, "ca", party="CHE") == {2023: 0, 2024: 0, 2025: 0}
    assert held(r, "CHE:holding") == 600 and r.summary["first_transferred"] == 1000
    # the AEF: CHE transferred 400 in 2024 and acquired 1,000; only GHA first-transferred
    info = r.aef["annual_information"]
    che = info[(info["Party"] == "CHE") & (info["Year"] == 2024)].iloc[0]
    assert (che["Acquired"], che["Transferred"], che["First transferred"]) == (1000, 400, 0)


def test_as_needed_buyer_of_a_resale_trues_up_from_what_it_received():
    # SWE's budget is 300 t below its emissions (149,700 t for 150,000 t): at the true-up
    # on 31 December 2025 it uses 300 of the 400 the resale delivered (the units carry
    # A1's authorisation, not the resale's: the buyer finds them by what it received).
    r = run(recorded(resale({2024: 400}, seller="CHE", buyer="SWE", activities=["VCS-77"],
                            use={"policy": "as-needed"}), swe_budget=149_700))
    assert [(x["date"], x["quantity"]) for x in ledger(r, action="use")] == [("2025-12-31", 300)]
    assert cell(r.attainment, "gap", party="SWE") == 0
    assert held(r, "SWE:holding") == 100


# --- validation ---------------------------------------------------------------------------
def test_resale_refusals_each_at_its_field():
    entities = {"dev": {"name": "developer", "kind": "oimp-user", "country": "HST"}}
    data = world(
        sale=resale({2022: 400, 2030: 1}, share=0.5, transfer_lag_days=10, sop={"units": 0.1},
                    authorisation={"date": D("2021-01-01"), "purpose": "NDC"}, delivery_day="02-29"),
        entities=entities,
        events=[{"date": D("2022-03-01"), "type": "revoke-authorisation", "agreement": "resale"}],
        self_sale=resale({2022: 1}, seller="B2", buyer="B2"),
        never=resale({2022: 1}, seller="dev", buyer="B2"),
        nobody=resale({2022: 1}, seller="ZZZ", activities=["other"]),
        no_qty={"seller": "B1", "buyer": "B2", "activities": ["act"]},
        host_qty=agreement(seller="HST", buyer="B2", quantity=5, auth=None, share=0),
        mixed={"seller": "HST", "buyer": "B2", "activities": ["act", "other"], "share": 0})
    data["activities"]["other"] = activity(host="B1")
    found = problems(data)
    assert found == [
        "agreements.host_qty.quantity: only for a resale (a seller that is not the host of the activities); HST "
        "hosts them: its agreement delivers a share of each issuance",
        "agreements.mixed.activities.1: activity 'other' is hosted by B1, not by the seller HST (a resale names "
        "only activities its seller does not host)",
        "agreements.never.activities.0: dev can never hold units of 'act' (hosted by HST): no agreement or "
        "recorded transfer delivers them to it, and a resale sells only what the seller holds",
        "agreements.no_qty.quantity: required for a resale (the seller is not the host): tonnes delivered each "
        "year from its holdings, or a map {year: tonnes}",
        "agreements.nobody.seller: unknown party 'ZZZ' (parties: HST, B1, B2; entities: dev)",
        "agreements.resale.authorisation: a resale carries no authorisation of its own: only the host authorises "
        "its units (2/CMA.3 annex paras 1-2); B1 sells units under the authorisation they already carry",
        "agreements.resale.delivery_day: expected MM-DD, a day of every year (e.g. 06-30), got '02-29'",
        "agreements.resale.quantity: years outside the simulated period 2021-2023: [2030]",
        "agreements.resale.share: share of each issuance applies to the host's agreements; a resale delivers "
        "quantity tonnes a year from the seller's holdings",
        "agreements.resale.sop.units: share of proceeds in units is taken from a tranche when the host authorises "
        "it; a resale authorises nothing (sop.value, a share of the money paid, is allowed)",
        "agreements.resale.transfer_lag_days: days from issuance apply to the host's agreements; a resale "
        "delivers on its delivery_day",
        "agreements.self_sale.buyer: the buyer must differ from the seller",
        "events.0.agreement: agreement 'resale' is a resale by B1, which authorised nothing: only the host revokes "
        "its authorisation (2/CMA.3 annex paras 1-2); name the host's agreement that authorised the units",
    ]


def test_chained_resales_reach_their_sellers_and_a_cycle_does_not():
    # B1 -> B2 -> B3 is fine (B2 can hold act through the first resale); B4 <-> B5 sell
    # to each other but nothing ever reaches either.
    data = world(onward=resale({2023: 100}, seller="B2", buyer="B3"),
                 loop1=resale({2023: 1}, seller="B4", buyer="B5"), loop2=resale({2023: 1}, seller="B5", buyer="B4"))
    for p in ("B3", "B4", "B5"):
        data["parties"][p] = party(50_000, budget_ndc(2021, 2023, 150_000))
    data["agreements"]["resale"]["use"] = {"policy": "never"}
    assert [f.split(":")[0] for f in problems(data)] == ["agreements.loop1.activities.0",
                                                         "agreements.loop2.activities.0"]
    del data["agreements"]["loop1"], data["agreements"]["loop2"]
    r = run(data)
    # B2 holds the 400 (never uses); B3 gets 100 of them on 2023-06-30 and uses them
    assert [(x["from_account"], x["to_account"], x["quantity"]) for x in ledger(r, action="transfer")] == [
        ("B1:holding", "B2:holding", 400), ("B2:holding", "B3:holding", 100)]
    assert held(r, "B2:holding") == 300 and held(r, "B3:ndc-use") == 100
    assert col(r.balances, "ca", party="B3") == {2021: 0, 2022: 0, 2023: -100}


def test_cli_refuses_a_resale_with_file_line_field_exit_2_and_writes_nothing(tmp_path, capsys):
    data = world(sale=resale({2022: 400}, seller="B2", buyer="B2"))
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "resale:") + 2   # its buyer line
    assert lines[line - 1].strip() == "buyer: B2"
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"s.yaml:{line}: agreements.resale.buyer: the buyer must differ from the seller" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_oimp_units_stay_not_first_transferred_through_a_resale_until_used():
    # HST authorises act for OIMP with first transfer at use-or-cancellation. deal: HST ->
    # air-a (an airline registered in Singapore's registry) 1,000 t on 2022-01-31, held (never). resale:
    # air-a -> air-b (registered in France's) 600 t on 2022-06-30: an international transfer,
    # but not these units' first transfer (their definition is the use). air-b uses the
    # 600 for OIMP on receipt: that use is the first transfer, HST adds 600 (vintage 2021).
    entities = {"air-a": {"name": "airline A", "kind": "oimp-user", "country": "SGP"},
                "air-b": {"name": "airline B", "kind": "oimp-user", "country": "FRA"}}
    deal = agreement(seller="HST", buyer="air-a", purpose="OIMP", first_transfer="use-or-cancellation",
                     policy="never")
    r = run(world(deal=deal, sale=resale({2022: 600}, seller="air-a", buyer="air-b"), entities=entities))
    assert [(x["action"], x["quantity"], x["from_account"], x["to_account"], x["first_transfer"])
            for x in ledger(r, acquisitions=True)][2:] == [
        ("transfer", 1000, "HST:activity:act", "SGP:entity:air-a", False),
        ("acquisition", 1000, "SGP:entity:air-a", "SGP:entity:air-a", False),
        ("transfer", 600, "SGP:entity:air-a", "FRA:entity:air-b", False),
        ("acquisition", 600, "FRA:entity:air-b", "FRA:entity:air-b", False),
        ("use", 600, "FRA:entity:air-b", "FRA:entity:air-b:oimp-use", True),
    ]
    assert col(r.balances, "ca", party="HST") == {2021: 600, 2022: 0, 2023: 0}
    assert cell(r.structured_summary, "first_transferred_oimp", party="HST", year=2022) == 600


def test_host_revocation_reaches_units_a_resale_carried_on():
    # As above, but air-b holds what it buys (never) and HST revokes deal's authorisation on
    # 2022-09-01 (not-first-transferred): the 400 left with air-a and the 600 air-b bought
    # were never first-transferred, and both lose it, in each holder's account.
    entities = {"air-a": {"name": "airline A", "kind": "oimp-user", "country": "SGP"},
                "air-b": {"name": "airline B", "kind": "oimp-user", "country": "FRA"}}
    deal = agreement(seller="HST", buyer="air-a", purpose="OIMP", first_transfer="use-or-cancellation",
                     policy="never")
    events = [{"date": D("2022-09-01"), "type": "revoke-authorisation", "agreement": "deal"}]
    r = run(world(deal=deal, sale=resale({2022: 600}, seller="air-a", buyer="air-b", use={"policy": "never"}),
                  entities=entities, events=events))
    assert sorted((x["quantity"], x["to_account"], x["unit_type"]) for x in ledger(r, action="revocation")) == [
        (400, "SGP:entity:air-a", "MO"), (600, "FRA:entity:air-b", "MO")]
    assert col(r.balances, "ca", party="HST") == {2021: 0, 2022: 0, 2023: 0}


def test_dashboard_offers_no_unit_levers_on_a_resale():
    # a resale takes no share of proceeds or OMGE in units: the dashboard offers only the
    # levers that stay valid (price, cap, sop.value, use policy)
    from a6sim.dashboard.levers import levers_of
    sc = a6sim.scenario_from_dict(world())
    fields = {lv.field for lv in levers_of(sc) if lv.owner == "resale"}
    assert fields == {"price", "cap", "sop.value", "use.policy"}
    assert {"sop.units", "omge.units"} <= {lv.field for lv in levers_of(sc) if lv.owner == "deal"}


def test_resale_of_recorded_units_must_come_after_the_sellers_recorded_transactions():
    # The record says CHE uses all 1,000 on 2025-01-15; a resale taking 400 of them on
    # 2024-09-30 would make that recorded use impossible: refused at quantity. A
    # delivery after the record's last transaction by CHE on them is fine; CHE's recorded
    # transactions on other projects do not matter.
    sale = resale({2024: 400}, seller="CHE", buyer="SWE", activities=["VCS-77"], delivery_day="09-30")
    data = recorded(sale)
    data["transactions"].append({"date": D("2025-01-15"), "action": "use", "holder": "CHE", "quantity": 600,
                                 "select": {"project": "77"}})
    assert problems(data) == [
        "agreements.resale.quantity: its first delivery (2024-09-30) comes before CHE's recorded use of 2025-01-15 "
        "(transactions[1]), which may take units of 'VCS-77': a resale of recorded units starts after the "
        "seller's last recorded transaction on them: deliver after 2025-01-15 (quantity as a map of later years, "
        "or a later delivery_day)"]
    data["agreements"]["resale"]["quantity"] = {2025: 400}   # 2025-09-30: after the recorded use
    r = run(data)
    assert [(x["date"], x["action"], x["quantity"]) for x in ledger(r, from_account="CHE:holding")] == [
        ("2025-01-15", "use", 600), ("2025-09-30", "transfer", 400)]
    data["transactions"][1]["select"] = {"project": "other"}
    data["agreements"]["resale"]["quantity"] = {2024: 400}
    assert all("resale" not in p for p in problems(data))   # only the unknown project is refused
