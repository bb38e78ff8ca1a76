"""Recorded history (format v2): hand-worked cases of each rule.

Shared world (``world()``): period 2023-2025; GHA hosts (emissions 100,000 t a year,
no NDC unless given), CHE and SWE buy (50,000 t a year each, multi-year budgets
2023-2025 of 150,000 t, met without any purchase); authorisation ``A1`` by GHA for
NDC use on 2023-03-01; one Verra block of 1,000 t, vintage 2023, issued 2023-06-01
into GHA's registry, serials 500001-501000.
"""
from __future__ import annotations

import datetime

import pytest

import a6sim
from helpers import budget_ndc, cell, col, ledger, party
from a6sim.scenario import ScenarioError

D = datetime.date.fromisoformat
SERIAL = "1001-{}-{}-VCS-VCU-263-VER-GH-1-77-01012023-31122023-0"


def world(transactions=(), *, auth=None, issuances=None, **extra) -> dict:
    data = {
        "a6sim": 2, "name": "history test", "period": {"start": 2023, "end": 2025},
        "parties": {"GHA": party(100_000), "CHE": party(50_000, budget_ndc(2023, 2025, 150_000)),
                    "SWE": party(50_000, budget_ndc(2023, 2025, 150_000))},
        "authorisations": {"A1": auth or {"host": "GHA", "date": D("2023-03-01"), "purpose": "NDC"}},
        "issuances": issuances or [{"date": D("2023-06-01"), "host": "GHA", "programme": "VCS", "project": "77",
                                    "vintage": 2023, "quantity": 1000, "serials": SERIAL.format(500001, 501000),
                                    "authorisation": "A1", "holder": "GHA"}],
        "transactions": list(transactions),
    }
    data.update(extra)
    return data


def tx(date, action, quantity, **kw) -> dict:
    t = {"date": D(date), "action": action, "quantity": quantity}
    if "from_" in kw:
        t["from"] = kw.pop("from_")
    t.update(kw)
    if "select" not in t and "serials" not in t:
        t["select"] = {"project": "77"}
    return t


def run(data) -> a6sim.Results:
    return a6sim.simulate(a6sim.scenario_from_dict(data))


def problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        a6sim.scenario_from_dict(data)
    return [f"{'.'.join(str(p) for p in i.path)}: {i.message}" for i in err.value.issues]


def test_v1_file_stays_v1_and_history_needs_v2():
    data = world()
    data["a6sim"] = 1
    assert problems(data) == ["authorisations: recorded history needs format version 2 (a6sim: 2)"]


def test_first_transfer_then_onward_transfer_adds_nothing_more():
    # GHA -> CHE 1,000 on 2024-02-01: the first international transfer, GHA adds 1,000
    # for vintage 2023 (para 2, 8(a)). CHE -> SWE 400 on 2024-05-01: an onward transfer,
    # no addition. CHE uses 600 (2024), SWE 400 (2025). Each transfer between registries
    # gives an acquisition row for the receiving side.
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2024-05-01", "transfer", 400, from_="CHE", to="SWE"),
                   tx("2024-06-01", "use", 600, holder="CHE"),
                   tx("2025-01-15", "use", 400, holder="SWE")]))
    acts = [(x["action"], x["quantity"], x["from_account"], x["to_account"]) for x in ledger(r, acquisitions=True)]
    assert acts == [("issuance", 1000, None, "GHA:holding"),
                    ("authorization", 1000, "GHA:holding", "GHA:holding"),
                    ("first-transfer", 1000, "GHA:holding", "CHE:holding"),
                    ("acquisition", 1000, "CHE:holding", "CHE:holding"),
                    ("transfer", 400, "CHE:holding", "SWE:holding"),
                    ("acquisition", 400, "SWE:holding", "SWE:holding"),
                    ("use", 600, "CHE:holding", "CHE:ndc-use"),
                    ("use", 400, "SWE:holding", "SWE:ndc-use")]
    assert col(r.balances, "first_transferred", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert col(r.balances, "used", party="CHE") == {2023: 0, 2024: 600, 2025: 0}
    assert col(r.balances, "used", party="SWE") == {2023: 0, 2024: 0, 2025: 400}
    # net over the world: +1,000 - 600 - 400 = 0; nothing claimed twice
    assert r.summary["double_claimed"] == 0 and r.summary["net_ca_total"] == 0
    # the onward transfer kept its block's serials: 501001-... no; CHE sent the first 400
    aef = r.aef["actions"]
    moved = aef[aef["Action type"] == "transfer"].iloc[0]
    assert moved["Unique identifier (serial range)"] == SERIAL.format(500001, 500400)


def test_aef_acquisition_rows_name_the_transferring_party(tmp_path):
    # GHA -> CHE 1,000 (the first transfer), CHE -> SWE 400 (onward): each transfer and the
    # acquisition the receiving Party records of it name both Parties (6/CMA.4, AEF
    # actions: transferring and acquiring participating Party), in the DataFrame and in
    # the CSV written from the ledger a chunk at a time
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2024-05-01", "transfer", 400, from_="CHE", to="SWE")]))
    cols = ["Action type", "Transferring participating Party", "Acquiring participating Party", "Quantity (tCO2e)"]
    expected = [["issuance", "", "", 1000], ["authorization", "", "", 1000],
                ["first-transfer", "GHA", "CHE", 1000], ["acquisition", "GHA", "CHE", 1000],
                ["transfer", "CHE", "SWE", 400], ["acquisition", "CHE", "SWE", 400]]
    assert r.aef["actions"][cols].values.tolist() == expected
    import csv
    r.write(tmp_path / "out")
    with open(tmp_path / "out" / "aef" / "actions.csv", newline="") as fh:
        rows = [[x[c] for c in cols] for x in csv.DictReader(fh)]
    assert rows == [[str(v) for v in e] for e in expected]


def test_aef_first_and_last_serial_are_the_programmes_numbers(tmp_path):
    # the block was recorded as Verra units 500001-501000; GHA -> CHE 400 takes 500001-500400.
    # The AEF's unique identifier and its first and last ID give the programme's numbers
    # (they gave a6sim's own numbering, 1-1000 and 1-400, beside the programme's range);
    # the ledger keeps a6sim's block ids.
    r = run(world([tx("2024-02-01", "transfer", 400, from_="GHA", to="CHE")]))
    cols = ["Action type", "Unique identifier (serial range)", "First serial", "Last serial"]
    expected = [["issuance", SERIAL.format(500001, 501000), 500001, 501000],
                ["authorization", SERIAL.format(500001, 501000), 500001, 501000],
                ["first-transfer", SERIAL.format(500001, 500400), 500001, 500400],
                ["acquisition", SERIAL.format(500001, 500400), 500001, 500400]]
    assert r.aef["actions"][cols].values.tolist() == expected
    import csv
    r.write(tmp_path / "out")
    with open(tmp_path / "out" / "aef" / "actions.csv", newline="") as fh:
        assert [[x[c] for c in cols] for x in csv.DictReader(fh)] == [[str(v) for v in e] for e in expected]
    assert [x["block"] for x in ledger(r, acquisitions=True)][:3] == ["GHA-VCS-77-2023-1:1000"] * 2 + [
        "GHA-VCS-77-2023-1:400"]


def test_use_year_decides_the_year_of_the_use():
    # CHE uses 1,000 on 2025-02-01 for the year 2024 (use_year): counted in 2024
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2025-02-01", "use", 1000, holder="CHE", use_year=2024)]))
    assert col(r.balances, "used", party="CHE") == {2023: 0, 2024: 1000, 2025: 0}
    assert cell(r.structured_summary, "used", party="CHE", year=2024) == 1000


def test_serial_selection_splits_a_block_in_the_middle():
    # CHE sends serials 500301-500500 (200 t) on: the block splits in three
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2024-03-01", "transfer", 200, from_="CHE", to="SWE", serials=SERIAL.format(500301, 500500))]))
    row = [x for x in ledger(r) if x["action"] == "transfer"][0]
    assert (row["block"], row["quantity"]) == ("GHA-VCS-77-2023-301:500", 200)
    assert r.summary["held"] == 1000


def test_authorisation_after_issuance_and_year_only_dates():
    # authorised "2024" only: 1 July 2024. A transfer before it moves unauthorised units
    # (no addition); the second transfer (back and forth) after it is the first transfer.
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2024-03-01", "transfer", 1000, from_="CHE", to="GHA"),
                   tx("2024-08-01", "transfer", 1000, from_="GHA", to="CHE")],
                  auth={"host": "GHA", "date": 2024, "purpose": "NDC"}))
    acts = [(x["date"], x["action"], x["unit_type"]) for x in ledger(r)]
    assert acts == [("2023-06-01", "issuance", "MO"), ("2024-02-01", "transfer", "MO"),
                    ("2024-03-01", "transfer", "MO"), ("2024-07-01", "authorization", "ITMO"),
                    ("2024-08-01", "first-transfer", "ITMO")]
    auth = r.aef["authorisations"].iloc[0]
    assert (str(auth["Date of authorization"]), auth["Date precision"]) == ("2024", "year only")


def test_initial_report_delays_a_recorded_authorisation():
    # para 18: GHA's initial report is 2023-09-01; the authorisation of 2023-03-01 takes
    # effect then, and is listed as a violation
    data = world()
    data["parties"]["GHA"]["initial_report"] = D("2023-09-01")
    r = run(data)
    assert [x["date"] for x in ledger(r) if x["action"] == "authorization"] == ["2023-09-01"]
    assert [v["kind"] for v in r.violations] == ["authorisation-before-initial-report"]


def test_units_abroad_when_their_authorisation_takes_effect_are_first_transferred_then():
    # GHA's initial report is 2024-05-01, so its authorisation of 2023-03-01 takes effect
    # then (para 18). The 1,000 t crossed to CHE on 2024-02-01 as mitigation outcomes
    # (no addition). On 2024-05-01 they become ITMOs in CHE's registry: that
    # authorization row is their first international transfer (para 2), so GHA adds
    # 1,000 for vintage 2023 (para 8(a)), not under an OIMP definition. CHE uses 600 on
    # 2024-12-15 (-600 for 2024). Without the addition the 600 would be used with no
    # addition by anyone: double_claimed 600.
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                  tx("2024-12-15", "use", 600, holder="CHE")])
    data["parties"]["GHA"]["initial_report"] = D("2024-05-01")
    r = run(data)
    acts = [(x["date"], x["action"], x["unit_type"], x["first_transfer"]) for x in ledger(r)]
    assert acts == [("2023-06-01", "issuance", "MO", False), ("2024-02-01", "transfer", "MO", False),
                    ("2024-05-01", "authorization", "ITMO", True), ("2024-12-15", "use", "ITMO", False)]
    assert col(r.balances, "first_transferred", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert col(r.balances, "first_transferred_oimp", party="GHA") == {2023: 0, 2024: 0, 2025: 0}
    assert cell(r.structured_summary, "first_transferred_ndc", party="GHA", year=2024) == 1000
    assert cell(r.structured_summary, "first_transferred_oimp", party="GHA", year=2024) == 0
    assert (r.summary["first_transferred"], r.summary["used"], r.summary["double_claimed"]) == (1000, 600, 0)
    assert r.summary["net_ca_total"] == 400


def test_units_in_a_programme_registry_wait_for_their_first_transfer():
    # The same block held by VCS (a crediting programme's registry, not a party's) when
    # the authorisation takes effect: no first transfer then; it is the transfer to CHE.
    data = world([tx("2024-07-01", "transfer", 1000, from_="VCS", to="CHE")])
    data["issuances"][0]["holder"] = "VCS"
    data["parties"]["GHA"]["initial_report"] = D("2024-05-01")
    r = run(data)
    acts = [(x["date"], x["action"], x["first_transfer"]) for x in ledger(r)]
    assert acts == [("2023-06-01", "issuance", False), ("2024-05-01", "authorization", False),
                    ("2024-07-01", "first-transfer", True)]


def test_a_host_using_its_own_recorded_units_is_refused_at_its_row():
    # GHA holds its authorised block and records a use towards its own NDC: never first
    # transferred, its inventory already counts the mitigation (paras 1, 8(b)): bad input.
    data = world([tx("2024-12-15", "use", 600, holder="GHA")])
    data["parties"]["GHA"]["ndc"] = budget_ndc(2023, 2025, 300_000)
    msgs = problems(data)
    assert len(msgs) == 1 and msgs[0].startswith("transactions.0.purpose: units ")
    assert "GHA hosts these units and never first transferred them" in msgs[0]


def test_a_recorded_use_before_the_users_initial_report_is_listed():
    # CHE's initial report is 2025-01-01; its recorded use of 2024-12-15 (600 t) breaks
    # para 18. The record stands (used 600 for 2024), and the use is listed as a violation.
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                  tx("2024-12-15", "use", 600, holder="CHE")])
    data["parties"]["CHE"]["initial_report"] = D("2025-01-01")
    r = run(data)
    assert [(v["kind"], v["date"], v["quantity"], v["party"]) for v in r.violations] == [
        ("use-before-initial-report", "2024-12-15", 600, "CHE")]
    assert col(r.balances, "used", party="CHE") == {2023: 0, 2024: 600, 2025: 0}


def oimp_world(ndc_and_oimp: str | None = None, **kw):
    # "NDC and OIMP" with the OIMP event use-or-cancellation; GHA -> CHE, banked (never used)
    auth = {"host": "GHA", "date": D("2023-03-01"), "purpose": "NDC and OIMP", "first_transfer": "use-or-cancellation"}
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE")], auth=auth, **kw)
    if ndc_and_oimp:
        data["settings"] = {"ndc_and_oimp_first_transfer": ndc_and_oimp}
    return data


def test_ndc_and_oimp_first_transferred_at_the_international_transfer_by_default():
    # para 2: the international transfer comes before any use: GHA adds 1,000 (2023)
    r = run(oimp_world())
    assert col(r.balances, "first_transferred", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert cell(r.structured_summary, "first_transferred_ndc", party="GHA", year=2024) == 1000
    assert cell(r.structured_summary, "first_transferred_oimp", party="GHA", year=2024) == 0


def test_ndc_and_oimp_purely_oimp_event_reading():
    # setting oimp-event: only the use or cancellation first-transfers; banked abroad: 0
    r = run(oimp_world("oimp-event"))
    assert col(r.balances, "first_transferred", party="GHA") == {2023: 0, 2024: 0, 2025: 0}


def test_ndc_and_oimp_in_a_v1_agreement_both_readings():
    from helpers import activity, agreement, scenario
    deal = agreement(purpose="NDC and OIMP", first_transfer="use-or-cancellation", policy="never")
    base = scenario({"GHA": party(100_000), "CHE": party(50_000, budget_ndc(2021, 2023, 150_000))},
                    {"act": activity()}, {"deal": deal})
    # earliest (default): delivered 2022-01-31 to CHE, the first international transfer: +1,000 for 2021
    r = run(base)
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1000, 2022: 0, 2023: 0}
    assert [x["action"] for x in ledger(r, acquisitions=True)][-2:] == ["first-transfer", "acquisition"]
    base["settings"] = {"ndc_and_oimp_first_transfer": "oimp-event"}
    r = run(base)
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 0}


def test_oimp_authorisation_first_transfer_at_authorisation_and_table_4():
    # OIMP only, definition authorisation, entity airline-x: the 1,000 t are first
    # transferred on the authorization row (2023-06-01, the issuance, after the letter);
    # Table 4 puts them in the OIMP column with the entity, not in the NDC column.
    auth = {"host": "GHA", "date": D("2023-03-01"), "purpose": "OIMP", "first_transfer": "authorisation",
            "entities": ["airline-x"]}
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="airline-x"),
                  tx("2024-03-01", "use", 1000, holder="airline-x")], auth=auth,
                 entities={"airline-x": {"name": "Air", "kind": "oimp-user", "country": "SGP"}})
    r = run(data)
    ss = {k: cell(r.structured_summary, k, party="GHA", year=2023) for k in
          ("first_transferred_ndc", "first_transferred_oimp", "first_transferred", "oimp_authorised_entities")}
    assert ss == {"first_transferred_ndc": 0, "first_transferred_oimp": 1000, "first_transferred": 1000,
                  "oimp_authorised_entities": "airline-x"}
    assert r.summary["used_oimp"] == 1000 and r.summary["double_claimed"] == 0


def test_table_4_year_of_first_transfer_and_by_vintage_in_one_table():
    # vintage 2023 first transferred in 2024: the 2024 row has it as a first transfer,
    # the 2023 row as the addition for its vintage (para 8(a)) and as the applied adjustment
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE")]))
    ss = r.structured_summary
    assert col(ss, "first_transferred", party="GHA") == {2023: 0, 2024: 1000, 2025: 0}
    assert col(ss, "first_transferred_by_vintage", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert col(ss, "corresponding_adjustment", party="GHA") == {2023: 1000, 2024: 0, 2025: 0}
    assert col(ss, "cumulative_net", party="GHA") == {2023: 0, 2024: 1000, 2025: 1000}


def test_averaging_rows_state_the_divisor():
    # CHE with a single-year averaging NDC (target 2025): uses 900 in 2024.
    # elapsed divisor: 2023: 1, 2024: 2, 2025: 3; average in 2025: -900 / 3 = -300
    from helpers import averaging_ndc
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                  tx("2024-06-01", "use", 900, holder="CHE")])
    data["parties"]["CHE"]["ndc"] = averaging_ndc(2023, 2025, 2025, 50_000)
    r = run(data)
    assert col(r.structured_summary, "averaging_divisor", party="CHE") == {2023: 1, 2024: 2, 2025: 3}
    assert col(r.structured_summary, "averaging_amount", party="CHE") == {2023: 0, 2024: -450, 2025: -300}


def test_bad_history_every_location_in_one_report():
    # a serial range that does not hold the quantity, a transaction asking for more than
    # the holder has, a re-transfer of used units, an unknown holder, an NDC use by an
    # entity-less... all reported at once
    issuances = [{"date": D("2023-06-01"), "host": "GHA", "programme": "VCS", "project": "77", "vintage": 2023,
                  "quantity": 1000, "serials": SERIAL.format(500001, 501000), "authorisation": "A1",
                  "holder": "GHA"},
                 {"date": D("2023-07-01"), "host": "GHA", "programme": "VCS", "project": "78", "vintage": 2023,
                  "quantity": 10, "serials": SERIAL.format(1, 20), "holder": "GHA"}]
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                  tx("2024-03-01", "use", 600, holder="CHE"),
                  tx("2024-04-01", "transfer", 500, from_="CHE", to="SWE"),
                  tx("2024-05-01", "transfer", 100, from_="CHE", to="SWE", serials=SERIAL.format(500001, 500100)),
                  tx("2024-05-02", "transfer", 5, from_="CHE", to="XYZ")], issuances=issuances)
    assert problems(data) == [
        "issuances.1.serials: the range 1-20 holds 20 units; quantity is 10",
        "transactions.2.quantity: CHE holds 400 matching recorded units on 2024-04-01, the transaction asks for "
        "500; 600 matching units it held were used or cancelled earlier",
        "transactions.3.serials: CHE does not hold all these serials on 2024-05-01: 100 already used (CHE:ndc-use)",
        "transactions.4.to: unknown holder 'XYZ' (a party, an entity or a programme registry)",
    ]



def test_a_recorded_quantity_must_be_whole_tonnes():
    # 999.5 t issued as the 1,000 serials 500001-501000, and a transfer of 2.5 t by the three
    # serials 500001-500003, were rounded half up to 1,000 and 3 and accepted: a registry moves
    # whole units. In MtCO2e 0.001 (1,000 t) is whole; 0.0000005 Mt (0.5 t) is not.
    data = world([tx("2024-02-01", "transfer", 2.5, from_="GHA", to="CHE", serials=SERIAL.format(500001, 500003))])
    data["issuances"][0]["quantity"] = 999.5
    assert problems(data)[:2] == [
        "issuances.0.quantity: expected a positive number of whole tonnes, got 999.5",
        "transactions.0.quantity: expected a positive number of whole tonnes, got 2.5"]
    data = world([tx("2024-02-01", "transfer", 0.0000005, from_="GHA", to="CHE")], units="MtCO2e")
    data["issuances"][0]["quantity"] = 0.001
    for p in ("CHE", "SWE"):
        data["parties"][p] = party(0.05, budget_ndc(2023, 2025, 0.15))
    data["parties"]["GHA"] = party(0.1)
    assert problems(data) == ["transactions.0.quantity: expected a positive number of whole tonnes, got 5e-07 "
                              "MtCO2e"]

def test_use_of_units_not_authorised_for_ndc_is_refused_at_its_row():
    data = world([tx("2023-08-01", "use", 10, holder="GHA")])   # GHA has no NDC
    assert problems(data) == ["transactions.0.purpose: GHA has no ndc to use units towards"]
    data = world([tx("2023-08-01", "transfer", 10, from_="GHA", to="CHE"), tx("2023-09-01", "use", 10, holder="CHE")],
                 auth={"host": "GHA", "date": D("2023-12-01"), "purpose": "NDC"})
    assert problems(data) == ["transactions.1.purpose: units 1001-500001-500010-VCS-VCU-263-VER-GH-1-77-01012023-"
                              "31122023-0 are not authorised on 2023-09-01, not for use towards an NDC "
                              "(2/CMA.3 annex paras 1-2)"]


def test_cli_bad_history_exit_2_and_nothing_written(tmp_path, capsys):
    import yaml
    from a6sim.cli import main
    data = world([tx("2024-02-01", "transfer", 2000, from_="GHA", to="CHE")])
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "transactions[0].quantity: GHA holds 1,000 matching recorded units on 2024-02-01" in err
    assert not (tmp_path / "out").exists()


def test_aef_files_in_the_result_folder(tmp_path):
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE")]))
    out = r.write(tmp_path / "res")
    names = sorted(p.name for p in (out / "aef").iterdir())
    assert names == ["actions.csv", "annual_information.csv", "authorisations.csv", "holdings.csv"]
    info = r.aef["annual_information"]
    gha = info[(info["Party"] == "GHA") & (info["Year"] == 2024)].iloc[0]
    che = info[(info["Party"] == "CHE") & (info["Year"] == 2024)].iloc[0]
    assert (gha["First transferred"], gha["Transferred"], gha["Held on 31 December"]) == (1000, 1000, 0)
    assert (che["Acquired"], che["Held on 31 December"]) == (1000, 1000)


def test_a_changed_aef_file_stops_the_result_being_replaced(tmp_path):
    # the manifest lists aef/*.csv: editing one makes the folder the user's
    from a6sim.io.write import OutputError
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE")]))
    out = r.write(tmp_path / "res")
    r.write(out)                                           # unchanged: replaced
    (out / "aef" / "actions.csv").write_text("edited")
    with pytest.raises(OutputError, match="aef/actions.csv, changed since a6sim wrote it"):
        r.write(out)
    assert (out / "aef" / "actions.csv").read_text() == "edited"


def test_unicode_digits_in_serials_are_refused_at_their_row():
    # "²".isdigit() is True, int("²") raises: a serial range is ASCII digits only
    issuances = [{"date": D("2023-06-01"), "host": "GHA", "programme": "VCS", "project": "77", "vintage": 2023,
                  "quantity": 1000, "serials": "1001-²-³-VCS-VCU", "authorisation": "A1", "holder": "GHA"}]
    data = world([tx("2024-02-01", "transfer", 10, from_="GHA", to="CHE", serials="GS1-1-¹-١٠")], issuances=issuances)
    expected = ("expected a serial range ending in -FIRST-LAST (Gold Standard) or BATCH-FIRST-LAST-VCS-... (Verra)")
    assert problems(data) == [f"issuances.0.serials: {expected}", f"transactions.0.serials: {expected}"]


def test_use_year_outside_the_period_is_refused():
    # a use counting for 2022 (period 2023-2025) would be in no year's accounts: CHE's
    # 100 t would count nowhere
    data = world([tx("2024-02-01", "transfer", 100, from_="GHA", to="CHE"),
                  tx("2024-03-01", "use", 100, holder="CHE", use_year=2022),
                  tx("2024-03-02", "use", 100, holder="CHE", use_year=2026)])
    assert problems(data) == ["transactions.1.use_year: 2022 is outside the simulated period 2023-2025",
                              "transactions.2.use_year: 2026 is outside the simulated period 2023-2025"]


def test_a_recorded_use_of_another_periods_vintage_follows_other_period_vintages():
    # CHE has two NDCs, 2023-2024 and 2025-2026. GHA's vintage-2023 block crosses on
    # 2024-02-01; CHE uses 100 t on 2025-03-01: that use counts for 2025, the second period,
    # but the units are of the first period's vintage. Like a modelled use, it is refused by
    # default (the texts require a vintage consistent with the NDC used towards): a recorded
    # use is refused at its row. With other_period_vintages: allow it counts for 2025.
    # (Before, any vintage between 2023 and 2026 passed whatever the setting.)
    two = [budget_ndc(2023, 2024, 100_000), budget_ndc(2025, 2026, 100_000)]
    parties = {"GHA": party(100_000), "CHE": {"name": "CHE", "emissions": {2023: 50_000}, "ndcs": two}}
    txs = [tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"), tx("2025-03-01", "use", 100, holder="CHE")]
    data = world(txs, parties=parties, period={"start": 2023, "end": 2026})
    assert problems(data) == [
        "transactions.1.purpose: units 1001-500001-501000-VCS-VCU-263-VER-GH-1-77-01012023-31122023-0 have vintage "
        "2023, outside CHE's NDC period 2025-2026 that a use of 2025 counts for (the vintage belongs to its NDC "
        "period 2023-2024; settings.other_period_vintages: allow permits this)"]
    r = run(world(txs, parties=parties, period={"start": 2023, "end": 2026},
                  settings={"other_period_vintages": "allow"}))
    assert col(r.balances, "used", party="CHE") == {2023: 0, 2024: 0, 2025: 100, 2026: 0}
    # a use on 2024-12-31 counts for the first period: accepted under either setting
    ok = run(world([txs[0], tx("2024-12-31", "use", 100, holder="CHE")], parties=parties,
                   period={"start": 2023, "end": 2026}))
    assert col(ok.balances, "used", party="CHE") == {2023: 0, 2024: 100, 2025: 0, 2026: 0}


def test_authorised_entities_must_exist_once_each(tmp_path, capsys):
    import yaml
    from a6sim.cli import main
    data = world(auth={"host": "GHA", "date": D("2023-03-01"), "purpose": "OIMP", "first_transfer": "authorisation",
                       "entities": ["airline", "nobody", "airline"]},
                 entities={"airline": {"name": "Air", "kind": "oimp-user", "country": "CHE"}})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=200))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "").splitlines()
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "entities: [airline" in t)
    assert err == ["2 problems in scenario:",
                   f"  s.yaml:{line}: authorisations.A1.entities[1]: unknown entity 'nobody' (entities: airline)",
                   f"  s.yaml:{line}: authorisations.A1.entities[2]: 'airline' is listed twice"]


def test_the_history_package_imports_first():
    # a6sim.history.model needs a6sim.scenario.limits, whose package needs a6sim.history.model:
    # imported on its own (before a6sim.scenario) this was a circular ImportError
    import subprocess
    import sys
    for module in ("a6sim.history", "a6sim.history.checks"):
        done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
