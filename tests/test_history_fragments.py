"""A recorded block cut into many lots: the lots a transaction takes, found by the
index of the holder's lots (a6sim/registry/lot_index.py), and the serials a use
finds first-transferred (``_Added`` in a6sim/accounting/ledger_figures.py).

Hand-worked cases; the scaling itself is measured by benchmarks/history_fragments.py.
"""
from __future__ import annotations

import pytest

import a6sim
from helpers import ledger
from test_history import SERIAL, D, run, tx, world

from a6sim.accounting.ledger_figures import _Added
from a6sim.registry import Registry
from a6sim.registry.blocks import Status
from a6sim.registry.lot_index import LotIndex
from a6sim.scenario.errors import ScenarioError, format_path


def test_serials_across_several_lots_and_a_select_through_them():
    # The block is internal serials 1..1000 (external 500001-501000), held by GHA.
    # GHA sends 2 and 4 to CHE (two first transfers); CHE sends 2 back (an onward
    # transfer: no second addition). GHA then holds four lots: [1], [2], [3], [5..1000].
    # GHA -> SWE serials 500001-500003: the three lots [1], [2], [3], one row each:
    # 1 and 3 are first transfers, 2 was first-transferred already ("transfer").
    # GHA -> SWE serials 500007-500009: inside [5..1000]; 5-6 are split off in place
    # (no row) and 7..9 move (a first transfer of 3).
    # SWE uses 4 by select, oldest (lowest serial) first: [1], [2], [3] and 7 of [7..9].
    r = run(world([tx("2024-02-01", "transfer", 1, from_="GHA", to="CHE", serials=SERIAL.format(500002, 500002)),
                   tx("2024-02-01", "transfer", 1, from_="GHA", to="CHE", serials=SERIAL.format(500004, 500004)),
                   tx("2024-03-01", "transfer", 1, from_="CHE", to="GHA", serials=SERIAL.format(500002, 500002)),
                   tx("2024-04-01", "transfer", 3, from_="GHA", to="SWE", serials=SERIAL.format(500001, 500003)),
                   tx("2024-05-01", "transfer", 3, from_="GHA", to="SWE", serials=SERIAL.format(500007, 500009)),
                   tx("2024-06-01", "use", 4, holder="SWE")]))
    rows = [(x["date"], x["action"], x["quantity"], x["block"].removeprefix("GHA-VCS-77-2023-"),
             x["from_account"], x["to_account"]) for x in ledger(r) if x["date"] >= "2024-04-01"]
    assert rows == [
        ("2024-04-01", "first-transfer", 1, "1:1", "GHA:holding", "SWE:holding"),
        ("2024-04-01", "transfer", 1, "2:2", "GHA:holding", "SWE:holding"),
        ("2024-04-01", "first-transfer", 1, "3:3", "GHA:holding", "SWE:holding"),
        ("2024-05-01", "first-transfer", 3, "7:9", "GHA:holding", "SWE:holding"),
        ("2024-06-01", "use", 1, "1:1", "SWE:holding", "SWE:ndc-use"),
        ("2024-06-01", "use", 1, "2:2", "SWE:holding", "SWE:ndc-use"),
        ("2024-06-01", "use", 1, "3:3", "SWE:holding", "SWE:ndc-use"),
        ("2024-06-01", "use", 1, "7:7", "SWE:holding", "SWE:ndc-use"),
    ]
    # GHA added 2 + 1 + 1 + 3 = 7 for vintage 2023; SWE used 4 in 2024; nothing is a
    # double claim (every used serial was first-transferred); 1,000 - 4 are held.
    integrity = r.integrity.set_index("year")
    assert integrity.loc[2023, "net_ca"] == 7
    assert integrity.loc[2024, "net_ca"] == -4
    assert integrity["double_claimed"].sum() == 0
    assert r.summary["held"] == 996


def _issuance(date, programme, project, vintage, quantity, authorisation=None) -> dict:
    out = {"date": D(date), "host": "GHA", "programme": programme, "project": project, "vintage": vintage,
           "quantity": quantity, "holder": "GHA"}
    if authorisation:
        out["authorisation"] = authorisation
    return out


def test_authorisation_finds_its_waiting_lots_in_every_holding_and_selects_by_programme_and_vintage():
    # Three blocks in GHA's registry: VCS 77 vintage 2023 (600 t, under A1), VCS 88
    # vintage 2022 (300 t, under A1), GS 77 vintage 2022 (100 t, not authorised).
    # 2023-06-01 GHA -> a domestic developer 200 of project "77" (both programmes): the
    #   oldest vintage first, GS-77 2022 1:100, then VCS-77 2023 1:100 (mitigation
    #   outcomes, "transfer": no registry boundary, nothing authorised yet).
    # 2023-09-01 A1 takes effect: the lots issued under it still waiting, account by
    #   account as opened (GHA's holding, then the developer's), each in lot order:
    #   VCS-88 2022 1:300 and VCS-77 2023 101:600 in GHA, VCS-77 2023 1:100 at the
    #   developer. GS-77 is not A1's: it stays a mitigation outcome.
    # 2023-10-01 GHA -> CHE 50 of programme VCS: oldest vintage, VCS-88 2022 1:50 (a
    #   first transfer). 2023-11-01 developer -> CHE 100 of vintage 2023: VCS-77 1:100
    #   (a first transfer; the 2022 GS units are passed over). 2023-12-01 CHE uses 80 of
    #   vintage 2023: VCS-77 1:80. Held: 1,000 - 80 = 920.
    r = run(world([tx("2023-06-01", "transfer", 200, from_="GHA", to="gha-dev", select={"project": "77"}),
                   tx("2023-10-01", "transfer", 50, from_="GHA", to="CHE", select={"programme": "VCS"}),
                   tx("2023-11-01", "transfer", 100, from_="gha-dev", to="CHE", select={"vintage": 2023}),
                   tx("2023-12-01", "use", 80, holder="CHE", select={"vintage": 2023})],
                  auth={"host": "GHA", "date": D("2023-09-01"), "purpose": "NDC"},
                  issuances=[_issuance("2023-02-01", "VCS", "77", 2023, 600, "A1"),
                             _issuance("2023-04-01", "VCS", "88", 2022, 300, "A1"),
                             _issuance("2023-05-01", "GS", "77", 2022, 100)],
                  entities={"gha-dev": {"name": "Developer", "kind": "voluntary-buyer", "country": "GHA"}}))
    rows = [(x["date"], x["action"], x["quantity"], x["block"].removeprefix("GHA-"), x["unit_type"],
             x["from_account"], x["to_account"]) for x in ledger(r) if x["action"] != "issuance"]
    dev = "GHA:entity:gha-dev"
    assert rows == [
        ("2023-06-01", "transfer", 100, "GS-77-2022-1:100", "MO", "GHA:holding", dev),
        ("2023-06-01", "transfer", 100, "VCS-77-2023-1:100", "MO", "GHA:holding", dev),
        ("2023-09-01", "authorization", 300, "VCS-88-2022-1:300", "ITMO", "GHA:holding", "GHA:holding"),
        ("2023-09-01", "authorization", 500, "VCS-77-2023-101:600", "ITMO", "GHA:holding", "GHA:holding"),
        ("2023-09-01", "authorization", 100, "VCS-77-2023-1:100", "ITMO", dev, dev),
        ("2023-10-01", "first-transfer", 50, "VCS-88-2022-1:50", "ITMO", "GHA:holding", "CHE:holding"),
        ("2023-11-01", "first-transfer", 100, "VCS-77-2023-1:100", "ITMO", dev, "CHE:holding"),
        ("2023-12-01", "use", 80, "VCS-77-2023-1:80", "ITMO", "CHE:holding", "CHE:ndc-use"),
    ]
    assert r.summary["held"] == 920


def test_select_takes_oldest_vintage_then_activity_then_serial_from_the_index():
    # An account with lots of two activities and two vintages, watched: the index
    # orders them (vintage, activity, first serial) as Registry.lots_in does, and
    # keeps that order through a move out, a split in place and a move in.
    reg = Registry()
    reg.open("A", "GHA", "GHA", "holding")
    reg.open("B", "CHE", "CHE", "holding")
    mo = Status("MO")
    reg.issue(0, "GHA", "y", 2024, 10, "A", mo)          # y 2024 serials 1..10
    reg.issue(0, "GHA", "x", 2024, 10, "A", mo)          # x 2024 serials 1..10
    lot = reg.issue(0, "GHA", "y", 2023, 10, "A", mo)    # y 2023 serials 1..10
    idx = reg.watch("A")
    assert list(idx.in_order()) == [("y", 2023, 1), ("x", 2024, 1), ("y", 2024, 1)]
    moved = reg.move(1, lot, "A", "B", 4, "transfer")    # y 2023 1..4 leave; 5..10 stay
    assert list(idx.in_order()) == [("y", 2023, 5), ("x", 2024, 1), ("y", 2024, 1)]
    rest = reg.lots["A"][("y", 2023, 5)]
    reg.move(1, rest, "A", "A", 2, "split", record=False)   # 5..6 and 7..10, in place
    assert list(idx.in_order()) == [("y", 2023, 5), ("y", 2023, 7), ("x", 2024, 1), ("y", 2024, 1)]
    reg.move(2, moved, "B", "A", 4, "transfer")          # 1..4 come back
    assert list(idx.in_order()) == [("y", 2023, 1), ("y", 2023, 5), ("y", 2023, 7), ("x", 2024, 1),
                                    ("y", 2024, 1)]
    assert list(idx.in_order()) == [(b.activity, b.vintage, b.first) for b, _s in reg.lots_in("A")]
    # the lots of y 2023 holding any of serials 6..8: [5..6] (starts before 6) and [7..10]
    assert idx.covering(reg.lots["A"], "y", 2023, 6, 8) == [("y", 2023, 5), ("y", 2023, 7)]
    assert idx.covering(reg.lots["A"], "y", 2023, 11, 12) == []
    assert idx.covering(reg.lots["A"], "x", 2023, 1, 10) == []
    # some activities, one vintage: still in the registry's order
    assert list(idx.in_order(["y", "x"], 2024)) == [("x", 2024, 1), ("y", 2024, 1)]
    assert list(idx.in_order(["y"], 2023)) == [("y", 2023, 1), ("y", 2023, 5), ("y", 2023, 7)]
    assert list(idx.in_order(["z"])) == []
    assert reg.index_of("B") is None                      # only watched accounts are indexed
    # units per activity and vintage: y 2023 10 (all back), x 2024 10, y 2024 10
    assert idx.held(["y"]) == 20 and idx.held(vintage=2023) == 10 and idx.held() == 30


def test_an_index_counts_units_per_activity_and_vintage_and_refuses_a_key_it_does_not_hold():
    idx = LotIndex({})
    idx.add(("x", 2024, 1), 10)     # x 2024 serials 1..10
    idx.add(("x", 2023, 1), 5)      # x 2023 serials 1..5
    idx.add(("y", 2024, 1), 7)
    idx.leave(("x", 2024, 1), ("x", 2024, 5), 4)   # serials 1..4 leave, 5..10 stay: 6 left
    idx.split(("x", 2024, 5), ("x", 2024, 8))      # cut in place: still 6
    assert idx.held() == 6 + 5 + 7
    assert idx.held(["x"]) == 11
    assert idx.held(["x", "y"], 2024) == 13
    assert idx.held(["z"], 2024) == 0
    idx.leave(("y", 2024, 1), None, 7)
    assert idx.units == {("x", 2024): 6, ("x", 2023): 5}   # no zero kept
    assert list(idx.in_order()) == [("x", 2023, 1), ("x", 2024, 5), ("x", 2024, 8)]
    with pytest.raises(KeyError):
        idx.leave(("x", 2024, 2), None, 1)


def test_first_transferred_serials_counted_by_bisection_and_when_ranges_overlap():
    a = _Added()
    for first, last in [(10, 19), (1, 3), (30, 30), (5, 8)]:   # out of order: kept sorted
        a.add(first, last)
    assert (a.firsts, a.lasts, a.disjoint) == ([1, 5, 10, 30], [3, 8, 19, 30], True)
    # 2..12 holds 2-3 (2), 5-8 (4) and 10-12 (3): 9 of its 11 serials
    assert a.covered(2, 12) == 9
    assert a.covered(4, 4) == 0
    assert a.covered(20, 29) == 0
    assert a.covered(1, 100) == 3 + 4 + 10 + 1
    # an overlapping range (never made by the engine) is counted as a plain sum would,
    # though the ends are no longer sorted: with 2-25 added, 20..22 is in 2-25 only (3),
    # and 2..12 counts 2 (1-3) + 11 (2-25) + 4 (5-8) + 3 (10-19) = 20
    a.add(2, 25)
    assert a.disjoint is False
    assert a.covered(20, 22) == 3
    assert a.covered(2, 12) == 20


def test_a_row_past_the_thousandth_is_located_as_a_list_item_and_its_serials_found():
    # 1,001 single-serial first transfers GHA -> CHE (serials 500001-501000 and, one
    # too many, 500001 again at [1000]); [1001] asks GHA for 500002, which CHE holds.
    # Index 1000 and 1001 read as list items, not as years; the message says where
    # the serial is (found by bisection among CHE's 1,000 lots).
    rows = [tx("2024-02-01", "transfer", 1, from_="GHA", to="CHE", serials=SERIAL.format(500001 + i, 500001 + i))
            for i in range(1000)]
    rows.append(tx("2024-02-02", "transfer", 1, from_="GHA", to="CHE", serials=SERIAL.format(500001, 500001)))
    rows.append(tx("2024-02-02", "transfer", 1, from_="GHA", to="CHE", serials=SERIAL.format(500002, 500002)))
    with pytest.raises(ScenarioError) as err:
        a6sim.scenario_from_dict(world(rows))
    assert [f"{format_path(i.path)}: {i.message}" for i in err.value.issues] == [
        "transactions[1000].serials: GHA does not hold all these serials on 2024-02-02: 1 held by CHE (CHE:holding)",
        "transactions[1001].serials: GHA does not hold all these serials on 2024-02-02: 1 held by CHE (CHE:holding)",
    ]


def test_format_path_years_as_keys_and_long_lists_as_items():
    assert format_path(("parties", "GHA", "emissions", 2023)) == "parties.GHA.emissions.2023"
    assert format_path(("transactions", 2023, "serials")) == "transactions[2023].serials"
    assert format_path(("issuances", 7)) == "issuances[7]"
    assert format_path(("events", 1500, "date")) == "events[1500].date"


def test_too_few_units_is_the_same_message_by_count_and_by_walk():
    # GHA -> CHE 1,000 (block under A1), CHE uses 300: CHE holds 700, 300 used. Three
    # selects of 800 fail alike: by project and programme and by vintage (counted from
    # the index's units), by authorisation (the lots walked: the status decides).
    # A select naming another project matches nothing: held 0, used 0.
    data = world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                  tx("2024-03-01", "use", 300, holder="CHE"),
                  tx("2024-04-01", "transfer", 800, from_="CHE", to="SWE", select={"project": "77", "programme": "VCS"}),
                  tx("2024-04-01", "transfer", 800, from_="CHE", to="SWE", select={"vintage": 2023}),
                  tx("2024-04-01", "transfer", 800, from_="CHE", to="SWE", select={"authorisation": "A1"}),
                  tx("2024-04-01", "transfer", 1, from_="CHE", to="SWE", select={"project": "77", "programme": "GS"})])
    with pytest.raises(ScenarioError) as err:
        a6sim.scenario_from_dict(data)
    too_few = ("CHE holds 700 matching recorded units on 2024-04-01, the transaction asks for 800; "
               "300 matching units it held were used or cancelled earlier")
    assert [f"{format_path(i.path)}: {i.message}" for i in err.value.issues] == [
        f"transactions[2].quantity: {too_few}",
        f"transactions[3].quantity: {too_few}",
        f"transactions[4].quantity: {too_few}",
        "transactions[5].quantity: CHE holds 0 matching recorded units on 2024-04-01, the transaction asks for 1",
    ]


def test_a_select_naming_no_project_takes_only_recorded_units():
    # CHE holds the recorded VCS-77 2023 block (1,000 t from 2024-02-01) and, from
    # 2024-07-28, 500 t of vintage 2023 delivered by the modelled activity AAA-solar,
    # which sorts before VCS-77. A recorded select of vintage 2023 on 2024-09-01 takes
    # 600 of the recorded block only: a select matches recorded projects, never modelled
    # activities' units.
    r = run(world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE"),
                   tx("2024-09-01", "transfer", 600, from_="CHE", to="SWE", select={"vintage": 2023})],
                  activities={"AAA-solar": {"host": "GHA", "mechanism": "6.2", "vintages": [2023, 2023],
                                            "outcome": 500}},
                  agreements={"gha-che": {"seller": "GHA", "buyer": "CHE", "activities": ["AAA-solar"],
                                          "authorisation": {"date": D("2023-01-01"), "purpose": "NDC"},
                                          "price": 30, "use": {"policy": "as-needed"}}}))
    rows = [(x["date"], x["action"], x["quantity"], x["block"]) for x in ledger(r)
            if x["date"] >= "2024-07-01" and x["date"] <= "2024-12-31"]
    assert rows == [("2024-07-28", "first-transfer", 500, "GHA-AAA-solar-2023-1:500"),
                    ("2024-09-01", "transfer", 600, "GHA-VCS-77-2023-1:600")]


def test_in_order_all_and_held_all_agree_with_the_merge_of_every_activity():
    # The index keeps, per vintage, its activities sorted by name and the units held: the
    # walk over every activity is the merge of one stream per activity, the same order,
    # through adds, splits and leaves. x 2024 1..10, y 2023 1..5, a 2024 1..7, a 2023 1..3
    idx = LotIndex({})
    for key, q in ((("x", 2024, 1), 10), (("y", 2023, 1), 5), (("a", 2024, 1), 7), (("a", 2023, 1), 3)):
        idx.add(key, q)
    idx.split(("x", 2024, 1), ("x", 2024, 6))          # x 2024: 1..5 and 6..10 in place
    want = [("a", 2023, 1), ("y", 2023, 1), ("a", 2024, 1), ("x", 2024, 1), ("x", 2024, 6)]
    assert list(idx.in_order_all()) == list(idx.in_order()) == want
    assert list(idx.in_order_all(2024)) == list(idx.in_order(None, 2024)) == want[2:]
    assert idx.held_all() == idx.held() == 25 and idx.held_all(2023) == 8 and idx.held_all(2030) == 0
    idx.leave(("a", 2024, 1), None, 7)                  # a leaves 2024: no longer listed there
    idx.leave(("y", 2023, 1), ("y", 2023, 3), 2)        # y 2023 1..2 leave, 3..5 stay
    assert idx.by_vintage == {2023: ["a", "y"], 2024: ["x"]}
    assert idx.vintage_units == {2023: 6, 2024: 10}
    assert list(idx.in_order_all()) == list(idx.in_order()) == [("a", 2023, 1), ("y", 2023, 3), ("x", 2024, 1),
                                                               ("x", 2024, 6)]
    assert list(LotIndex({}).in_order_all()) == [] and LotIndex({}).held_all() == 0


def test_selects_naming_no_project_do_not_walk_every_project_held(monkeypatch):
    # 300 projects of 10 t each held by GHA; 600 transfers of 5 t by vintage, by
    # authorisation, by the only programme and with an empty select. Each transaction
    # merged one stream per project GHA still held (LotIndex._stream called 180,600 times
    # for the vintage selects; 5x the time per doubling of the history: 124 s for 4,000
    # projects); now no stream is made. The same picks: every project emptied in turn.
    n = 300
    calls = []
    real = LotIndex._stream
    monkeypatch.setattr(LotIndex, "_stream", lambda self, a, v: (calls.append(1), real(self, a, v))[1])
    issuances = [{"date": D("2023-12-20"), "host": "GHA", "programme": "VCS", "project": f"P{i:03d}",
                  "vintage": 2023, "quantity": 10, "authorisation": "A1", "holder": "GHA"} for i in range(n)]
    for select in ({"vintage": 2023}, {"authorisation": "A1"}, {"programme": "VCS"}, {}):
        calls.clear()
        r = run(world([tx("2024-02-01", "transfer", 5, from_="GHA", to="CHE", select=select)
                       for _ in range(2 * n)], issuances=issuances))
        moved = [x["block"] for x in ledger(r) if x["action"] == "first-transfer"]
        assert len(moved) == 2 * n and moved[:3] == ["GHA-VCS-P000-2023-1:5", "GHA-VCS-P000-2023-6:10",
                                                     "GHA-VCS-P001-2023-1:5"]
        assert len(calls) < 2 * n, (select, len(calls))
