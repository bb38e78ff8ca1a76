"""The workshop room without a browser: its actions (pure functions over the room's
state), its store (SQLite) and what a deal does to each party's NDC account.

The small scenario below, in tonnes (worked by hand):

* period 2021-2024; host GHA emits 100,000 t a year, buyer CHE 50,000 t a year;
* activity ``act`` (GHA, Art. 6.2 reduction, in NDC scope): 1,000 t a year, vintages
  2021-2022, issued 31 days after 31 December (vintage 2021: 2022-01-31), delivered
  30 days later (every room deal: ``TRANSFER_LAG_DAYS``);
* GHA's NDC: budget 298,000 t over 2021-2023 = (100,000 - 1,000) x 2 + 100,000: met
  exactly without a deal (gap 0);
* CHE's NDC: budget 149,000 t over 2021-2023 against 150,000 t of emissions: it needs
  1,000 t of ITMOs (gap +1,000 without a deal).

A deal of half of each issuance (share 0.5) at USD 10/t: 500 t of each vintage go to
CHE (1,000 t, USD 10,000). GHA adds back 500 t for 2021 and 500 t for 2022 (2/CMA.3
annex para 8(a), vintage attribution): balances 99,500 t, total 299,000 t, gap +1,000
(missed). CHE uses the 1,000 t on 31 December 2023 (as-needed): 2023 balance 49,000 t,
total 149,000 t, gap 0 (met).
"""
from __future__ import annotations

import copy
import math

import pytest
import yaml

import a6sim
from a6sim.dashboard.room import actions as ra
from a6sim.dashboard.room import scenario as rs
from a6sim.dashboard.room.service import create_room, perform
from a6sim.dashboard.room.store import RoomStore

SCENARIO = {
    "a6sim": 1, "name": "Room test", "units": "tCO2e", "currency": "USD", "seed": 0,
    "period": {"start": 2021, "end": 2024},
    "parties": {
        "GHA": {"name": "Ghana", "emissions": {2021: 100000},
                "ndc": {"type": "multi-year", "period": [2021, 2023], "budget": 298000}},
        "CHE": {"name": "Switzerland", "emissions": {2021: 50000},
                "ndc": {"type": "multi-year", "period": [2021, 2023], "budget": 149000}},
        "SGP": {"name": "Singapore", "emissions": {2021: 10000}},
    },
    "activities": {"act": {"host": "GHA", "mechanism": "6.2", "vintages": [2021, 2022], "outcome": 1000,
                           "issuance_lag_days": 31}},
}
TEXT = yaml.safe_dump(SCENARIO, sort_keys=False)
NOW = 1_900_000_000.0
HALF = {"activity": "act", "vintages": [2021, 2022], "mode": "share", "share": 0.5, "price": 10,
        "purpose": "NDC"}


def room() -> dict:
    state = ra.new_room(TEXT, "room_test.yaml", NOW, minutes=10)
    return ra.start_round(state, NOW, state["facilitator_code"])


def code(state, d):
    return state["delegations"][d]["code"]


def signed(state, terms=HALF) -> dict:
    s = ra.make_offer(state, NOW + 1, "GHA", code(state, "GHA"), "CHE", terms)
    oid = next(o for o in s["offers"] if s["offers"][o]["status"] == "open")
    return ra.respond(s, NOW + 2, "CHE", code(s, "CHE"), oid, "accept")


def year(outcome, party, y):
    return next(r for r in outcome["parties"][party]["years"] if r["year"] == y)


# --- a room and its codes ------------------------------------------------------------------------
def test_new_room_has_codes_rounds_and_roles():
    state = ra.new_room(TEXT, "room_test.yaml", NOW)
    assert len(state["code"]) == 5 and state["code"].isupper()
    codes = {d["code"] for d in state["delegations"].values()} | {state["facilitator_code"]}
    assert len(codes) == 4, "every delegation and the facilitator have their own code"
    assert state["delegations"]["GHA"]["host"] and not state["delegations"]["CHE"]["host"]
    # period 2021-2024: one round of 2021-2024 (a last piece under 3 years joins the one before)
    assert state["rounds"] == [{"first": 2021, "last": 2024}]
    assert ra._rounds(2021, 2030) == [{"first": 2021, "last": 2025}, {"first": 2026, "last": 2030}]
    assert ra._rounds(2021, 2031) == [{"first": 2021, "last": 2025}, {"first": 2026, "last": 2031}]


def test_a_wrong_or_missing_code_cannot_act():
    state = room()
    with pytest.raises(ra.Refused, match="code does not match"):
        ra.make_offer(state, NOW, "GHA", code(state, "CHE"), "CHE", HALF)   # another delegation's code
    with pytest.raises(ra.Refused, match="code does not match"):
        ra.make_offer(state, NOW, "GHA", None, "CHE", HALF)
    with pytest.raises(ra.Refused, match="code does not match"):
        ra.join(state, NOW, "XXX", "whatever")
    with pytest.raises(ra.Refused, match="facilitator code"):
        ra.pause(state, NOW, code(state, "GHA"))


# --- a deal and what it does ---------------------------------------------------------------------
def test_a_signed_deal_changes_both_accounts_as_worked_by_hand():
    state = room()
    before = rs.room_outcome(state)
    assert before["parties"]["GHA"]["attainment"]["gap"] == 0
    assert before["parties"]["CHE"]["attainment"]["gap"] == 1000
    after_state = signed(state)
    deal = next(iter(after_state["deals"].values()))
    assert deal["agreement"]["share"] == 0.5 and deal["agreement"]["buyer"] == "CHE"
    after = rs.room_outcome(after_state)
    gha, che = after["parties"]["GHA"], after["parties"]["CHE"]
    assert [year(after, "GHA", y)["balance"] for y in (2021, 2022, 2023)] == [99500, 99500, 100000]
    assert gha["attainment"] == {"type": "multi-year", "method": "budget", "target": 298000,
                                 "period": [2021, 2023], "balance": 299000, "gap": 1000, "met": False}
    assert year(after, "CHE", 2023)["used"] == 1000 and year(after, "CHE", 2023)["balance"] == 49000
    assert che["attainment"]["gap"] == 0 and che["attainment"]["met"] is True
    assert gha["money_in"] == 10000 and che["money_out"] == 10000      # 1,000 t x USD 10
    assert after["deals"][deal["agreement_id"]] == {"delivered": 1000, "value": 10000}


def test_preview_shows_what_an_offer_would_do_before_signing():
    state = room()
    offered = ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "CHE", HALF)
    offer = next(iter(offered["offers"].values()))
    p = rs.preview(offered, ra.offer_agreement(offered, offer, "CHE"), "CHE")
    assert (p["gap_now"], p["gap_with"], p["met_now"], p["met_with"]) == (1000, 0, False, True)
    assert p["money_change"] == -10000
    assert p["years"] == [{"year": 2023, "now": 50000, "with": 49000}]
    h = rs.preview(offered, ra.offer_agreement(offered, offer, "CHE"), "GHA")
    assert (h["gap_now"], h["gap_with"], h["money_change"]) == (0, 1000, 10000)
    assert offered["deals"] == {}, "a preview signs nothing"


def test_a_quantity_offer_takes_its_share_and_cap():
    # 600 t of vintages 2021-2022 (planned 2,000 t): share 0.3, cap 600; 300 t of each vintage
    state = signed(room(), {**HALF, "mode": "quantity", "quantity": 600, "share": None})
    deal = next(iter(state["deals"].values()))
    assert deal["agreement"]["share"] == 0.3 and deal["agreement"]["cap"] == 600
    out = rs.room_outcome(state)
    assert out["deals"][deal["agreement_id"]]["delivered"] == 600
    assert [year(out, "GHA", y)["added"] for y in (2021, 2022)] == [300, 300]


def test_an_offer_then_a_counter_then_a_signed_deal():
    state = room()
    s = ra.make_offer(state, NOW, "GHA", code(state, "GHA"), None, {**HALF, "price": 15})   # open to all
    first = next(iter(s["offers"]))
    s = ra.make_offer(s, NOW, "CHE", code(s, "CHE"), None, {**HALF, "price": 12}, counter_of=first)
    counter = [o for o in s["offers"].values() if o["counter_of"] == first][0]
    assert s["offers"][first]["status"] == "countered"
    assert (counter["from"], counter["to"], counter["seller"], counter["buyer"]) == ("CHE", "GHA", "GHA", "CHE")
    with pytest.raises(ra.Refused, match="your own offer"):
        ra.respond(s, NOW, "CHE", code(s, "CHE"), counter["id"], "accept")
    with pytest.raises(ra.Refused, match="no such offer"):
        ra.respond(s, NOW, "SGP", code(s, "SGP"), counter["id"], "accept")     # not addressed to SGP
    s = ra.respond(s, NOW, "GHA", code(s, "GHA"), counter["id"], "accept")
    deal = next(iter(s["deals"].values()))
    assert deal["agreement"]["price"] == 12 and deal["buyer"] == "CHE"
    with pytest.raises(ra.Refused, match="accepted"):
        ra.respond(s, NOW, "GHA", code(s, "GHA"), counter["id"], "accept")


# --- bad input: refused, nothing changed ---------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    ({"price": -5}, "price"),
    ({"price": float("nan")}, "price"),
    ({"price": "ten"}, "a number is expected"),
    ({"share": 1.5}, "share: 1.5 is not possible"),
    ({"share": 0}, "share: 0 is not possible"),
    ({"mode": "quantity", "quantity": 2500}, "above what is available: 2000"),
    ({"mode": "quantity", "quantity": -1}, "quantity"),
    ({"activity": "other"}, "not one of Ghana's activities"),
    ({"vintages": [2019, 2022]}, "vintages 2019-2022"),
    ({"vintages": [2022, 2021]}, "vintages 2022-2021"),
    ({"omge": 0.6, "sop_units": 0.5}, "take the whole tranche"),
    ({"purpose": "anything"}, "authorisation purpose"),
    ({"purpose": "NDC", "first_transfer": "issuance"}, "does not go with purpose NDC"),
    ({"mode": "neither"}, "share of each issuance or a quantity"),
])
def test_impossible_terms_are_refused(change, message):
    state = room()
    kept = copy.deepcopy(state)
    with pytest.raises(ra.Refused, match=message):
        ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "CHE", {**HALF, **change})
    assert state == kept


def test_a_quantity_above_what_is_left_after_a_deal_is_refused():
    state = signed(room())          # half of each issuance is sold: 1,000 t of 2,000 left
    with pytest.raises(ra.Refused, match="above what is available: 1000 tCO2e"):
        ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "SGP", {**HALF, "mode": "quantity", "quantity": 1001})
    with pytest.raises(ra.Refused, match="above what is left of act: 0.5"):
        ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "SGP", {**HALF, "share": 0.6})


def test_out_of_turn_actions_are_refused():
    state = ra.new_room(TEXT, "room_test.yaml", NOW)
    with pytest.raises(ra.Refused, match="has not started"):
        ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "CHE", HALF)
    state = ra.start_round(state, NOW, state["facilitator_code"], minutes=1)
    with pytest.raises(ra.Refused, match="hosts no activity"):
        ra.make_offer(state, NOW, "CHE", code(state, "CHE"), "GHA", {**HALF})
    with pytest.raises(ra.Refused, match="time is up"):
        ra.make_offer(state, NOW + 61, "GHA", code(state, "GHA"), "CHE", HALF)
    paused = ra.pause(state, NOW + 30, state["facilitator_code"])
    assert paused["clock"] == {"deadline": None, "remaining": 30}
    with pytest.raises(ra.Refused, match="paused"):
        ra.make_offer(paused, NOW + 31, "GHA", code(state, "GHA"), "CHE", HALF)
    resumed = ra.resume(paused, NOW + 100, state["facilitator_code"])
    assert ra.clock_left(resumed, NOW + 110) == 20
    offered = ra.make_offer(resumed, NOW + 101, "GHA", code(state, "GHA"), "CHE", HALF)
    ended = ra.end_round(offered, NOW + 102, state["facilitator_code"], outcome={})
    assert ended["phase"] == "ended" and all(o["status"] == "lapsed" for o in ended["offers"].values())
    with pytest.raises(ra.Refused, match="is over"):
        ra.respond(ended, NOW + 103, "CHE", code(state, "CHE"), next(iter(ended["offers"])), "accept")
    with pytest.raises(ra.Refused, match="tampered|answer an offer"):
        ra.respond(resumed, NOW + 103, "CHE", code(state, "CHE"), "o1", "steal")


def test_events_change_the_room_scenario():
    state = signed(room())
    fac = state["facilitator_code"]
    with pytest.raises(ra.Refused, match="not a removal activity"):
        ra.inject(state, NOW, fac, {"type": "wildfire", "activity": "act", "year": 2022, "quantity": 10})
    # a delivery shortfall of 40% from vintage 2022: 600 t issued, half of it (300 t) delivered
    s = ra.inject(state, NOW, fac, {"type": "shortfall", "activity": "act", "year": 2022, "share": 0.4})
    out = rs.room_outcome(s)
    deal = next(iter(s["deals"].values()))
    assert out["deals"][deal["agreement_id"]]["delivered"] == 800      # 500 + 300
    # a price shock x2 from 2023: both deliveries are in 2022 and 2023 (vintage 2022: 2023-03-02)
    p = ra.inject(state, NOW, fac, {"type": "price-shock", "year": 2023, "factor": 2})
    assert rs.room_outcome(p)["deals"][deal["agreement_id"]]["value"] == 500 * 10 + 500 * 20
    # a revocation in 2022 (1 July) of units not first transferred: vintage 2022 never goes
    r = ra.inject(state, NOW, fac, {"type": "revocation", "agreement": deal["agreement_id"], "year": 2022})
    assert rs.room_outcome(r)["deals"][deal["agreement_id"]]["delivered"] == 500
    # the YAML of the room reloads as a scenario with the deal and the event
    again = a6sim.scenario_from_text(rs.scenario_yaml(r), source="room.yaml")
    assert list(again.model.agreements) == [deal["agreement_id"]] and len(again.model.events) == 1


# --- the store -----------------------------------------------------------------------------------
def test_store_keeps_every_action_and_refuses_without_writing(tmp_path):
    db = tmp_path / "rooms.sqlite"
    store = RoomStore(db)
    state = create_room(store, TEXT, "room_test.yaml", now=NOW)
    c = state["code"]
    fac, gha, che = state["facilitator_code"], code(state, "GHA"), code(state, "CHE")
    assert store.version(c, NOW) == 1
    perform(store, c, "start_round", now=NOW, code=fac)
    perform(store, c, "make_offer", now=NOW, delegation="GHA", code=gha, to="CHE", terms=HALF)
    v = store.version(c, NOW)
    with pytest.raises(ra.Refused):
        perform(store, c, "make_offer", now=NOW, delegation="GHA", code=che, to="CHE", terms=HALF)
    assert store.version(c, NOW) == v, "a refused action writes nothing"
    # a second store on the same file (a restarted dashboard) sees the offer and signs the deal
    again = RoomStore(db)
    _, st, _ = again.load(c, NOW)
    oid = next(iter(st["offers"]))
    version, st, outcome = perform(again, c, "respond", now=NOW, delegation="CHE", code=che, offer_id=oid,
                                   answer="accept")
    assert version == v + 1 and outcome["parties"]["CHE"]["attainment"]["gap"] == 0
    assert RoomStore(db).load(c, NOW)[2]["parties"]["GHA"]["attainment"]["gap"] == 1000
    # rooms expire (48 h by default) and are deleted when a new room is made
    late = NOW + 49 * 3600
    assert store.load(c, late) is None and store.version(c, late) is None
    create_room(store, TEXT, "room_test.yaml", now=late)
    assert c not in store.codes()


def test_a_tampered_request_is_refused():
    state = room()
    s = ra.make_offer(state, NOW, "GHA", code(state, "GHA"), "CHE", HALF)
    for offer_id in (["o1"], {"id": "o1"}, "o999", None):
        with pytest.raises(ra.Refused, match="no such offer"):
            ra.respond(s, NOW, "CHE", code(s, "CHE"), offer_id, "accept")
    with pytest.raises(ra.Refused, match="could not be read"):
        ra.make_offer(s, NOW, "GHA", code(s, "GHA"), "CHE", ["not", "terms"])
    with pytest.raises(ra.Refused, match="another delegation"):
        ra.make_offer(s, NOW, "GHA", code(s, "GHA"), "GHA", HALF)          # to itself
    with pytest.raises(ra.Refused, match="only the delegation that made an offer"):
        ra.withdraw(s, NOW, "CHE", code(s, "CHE"), "o1")


@pytest.mark.parametrize("kind", ["folder", "not a database"])
def test_an_unusable_rooms_database_is_refused(tmp_path, capsys, kind):
    from a6sim.cli import main
    target = tmp_path / "rooms"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_text("my notes\n")
    assert main(["dashboard", "--port", "0", "--rooms-db", str(target), "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert f"--rooms-db {target}: cannot be used as the rooms database" in err and "Traceback" not in err
    if kind != "folder":
        assert target.read_text() == "my notes\n", "the user's file is left as it was"


def test_the_benchmark_room_has_thirty_delegations():
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location(
        "a6sim_bench_room", Path(__file__).resolve().parents[1] / "benchmarks" / "room.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    state = ra.new_room(bench.scenario_text(30), "benchmark.yaml", NOW)
    assert len(state["delegations"]) == 30
    assert sum(d["host"] for d in state["delegations"].values()) == 15
    # a buyer is 5 Mt short: 40 Mt a year for 10 years against a budget of 395 Mt
    assert rs.room_outcome(state)["parties"]["B00"]["attainment"]["gap"] == 5_000_000


def test_the_big_screen_writes_a_met_target_right_of_the_zero_line():
    # after the deal of the test above: GHA misses by 1,000 t, CHE meets its budget exactly.
    # A missed target's words follow its bar (right of 0); a met one's are written right of the
    # zero line: left of a bar's end they ran into the party codes of the axis at 1280x720
    from a6sim.dashboard.room.figures import balance_figure
    state = signed(room())
    fig = balance_figure(rs.room_outcome(state), state)
    bar = fig.data[0]
    assert list(bar.y) == ["GHA", "CHE"] and list(bar.x) == [1000, 0]
    assert list(bar.text) == ["missed by 1,000 t", ""]
    [note] = fig.layout.annotations
    assert (note.text, note.x, note.y, note.xanchor) == ("met exactly", 0, "CHE", "left")


def test_the_facilitator_counts_deals_in_words():
    # "1 deals signed" read wrong on the facilitator's page
    from a6sim.dashboard.room.facilitator import _controls
    state = signed(room())
    text = str(_controls(state, rs.room_outcome(state), 1))
    assert "Room test · 1 deal signed" in text and "1 deals" not in text


def test_the_account_table_shows_one_precision_and_a_budget_over_its_period():
    # In tonnes (the room above, after the deal): every figure is whole, so no decimals; GHA's
    # budget of 298,000 t over 2021-2023 is on a row of its own, against the sum of the
    # balances 99,500 + 99,500 + 100,000 = 299,000 t (2024 is outside the period): emissions
    # 99,000 + 99,000 + 100,000 = 298,000 t (the activity's 1,000 t a year in 2021-2022) plus
    # the 500 + 500 t added back for the first transfers
    from a6sim.dashboard.room.account import account_table
    state = signed(room())
    rows, columns, note = account_table(rs.room_outcome(state)["parties"]["GHA"], "tCO2e")
    assert columns == ["Year", "Emissions", "Added (sold)", "Used (bought)", "Balance", "Budget"]
    assert [r["Balance"] for r in rows] == ["99,500", "99,500", "100,000", "100,000", "299,000"]
    assert rows[-1] == {"Year": "2021-2023 (budget)", "Emissions": "298,000", "Added (sold)": "1,000",
                        "Used (bought)": "0", "Balance": "299,000", "Budget": "298,000"}
    assert all(r["Budget"] is None for r in rows[:-1]), "no year of a budget has a target of its own"
    assert note.startswith("The NDC is a budget of 298,000 t over 2021-2023")


def test_the_account_table_of_the_workshop_shows_a_trajectory_at_the_tables_precision():
    # workshop_market (MtCO2e): Ghana emits 36 Mt in 2021 less its 1.5 Mt of cookstoves =
    # 34.5 Mt (one decimal needed), and its indicative trajectory runs from 36 to 44 Mt in
    # nine steps: 36 + 8/9 = 36.889 Mt in 2022, shown as 36.9 like every other cell (it
    # was "36.889 Mt" beside whole Mt); its 2030 target 44 Mt is "44.0"
    from a6sim.dashboard.room.account import account_table, decimals_for
    from a6sim.dashboard.room.facilitator import ROOM_SCENARIOS
    state = ra.new_room((ROOM_SCENARIOS / "workshop_market.yaml").read_text(), "workshop_market.yaml", NOW)
    outcome = rs.room_outcome(state)
    rows, columns, note = account_table(outcome["parties"]["GHA"], "MtCO2e")
    assert columns[-1] == "Target or path" and note == ""
    assert rows[0] == {"Year": "2021", "Emissions": "34.5", "Added (sold)": "0.0", "Used (bought)": "0.0",
                       "Balance": "34.5", "Target or path": "36.0"}
    assert [rows[1]["Target or path"], rows[-1]["Target or path"]] == ["36.9", "44.0"]
    # Switzerland: whole Mt, no decimals; its budget of 440 Mt against 10 x 45 = 450 Mt
    rows, columns, note = account_table(outcome["parties"]["CHE"], "MtCO2e")
    assert rows[0]["Emissions"] == "45" and rows[-1]["Balance"] == "450" and rows[-1]["Budget"] == "440"
    # the precision: the fewest decimals that show each figure exactly, at most 3
    assert [decimals_for([45_000_000], 1_000_000), decimals_for([34_500_000], 1_000_000),
            decimals_for([525_000], 1_000_000), decimals_for([36_888_889], 1_000_000),
            decimals_for([3_979_992], 1_000_000)] == [0, 1, 3, 3, 2]   # whole-tonne rounding: 3.98


@pytest.mark.parametrize("pairs", [1, 2, 3, 4])
def test_the_deal_labels_of_the_big_screen_keep_clear_of_each_other_and_of_the_names(pairs):
    # workshop_market: GHA, PER (hosts), CHE, SGP on a circle. Two deals on each of the first
    # `pairs` seller -> buyer pairs (GHA->CHE and PER->SGP cross in the middle). Every label,
    # as the figure places it, keeps CLEARANCE px from every other label, marker and name (by
    # the size its text takes at its font: labels.py). At 30% of the arrow from the seller the
    # PER->SGP label covered PER's marker, and GHA->CHE's came within a px of "PER"
    import itertools

    from a6sim.dashboard.room.facilitator import ROOM_SCENARIOS
    from a6sim.dashboard.room.figures import network_figure
    from a6sim.dashboard.room.labels import CLEARANCE, Box, _inside, clearance, label_box, node_boxes
    state = ra.new_room((ROOM_SCENARIOS / "workshop_market.yaml").read_text(), "workshop_market.yaml", NOW)
    terms = [{"mode": "share", "share": 0.2, "price": 20}, {"mode": "quantity", "quantity": 1.5, "price": 12.5}]
    chosen = [("GHA", "CHE"), ("PER", "SGP"), ("GHA", "SGP"), ("PER", "CHE")][:pairs]
    state["deals"] = {f"d{i}": {"id": f"d{i}", "number": i, "seller": s, "buyer": b, "terms": terms[i % 2]}
                      for i, (s, b) in enumerate((p for p in chosen for _ in range(2)), start=1)}
    fig = network_figure(state)
    labels = [label_box(a.x, a.y, a.text.split("<br>"), a.font.size) for a in fig.layout.annotations if a.text]
    assert len(labels) == pairs
    assert all("@ USD" in a.text for a in fig.layout.annotations if a.text)
    n = len(state["delegations"])
    pos = {d: (math.cos(math.pi / 2 - 2 * math.pi * i / n), math.sin(math.pi / 2 - 2 * math.pi * i / n))
           for i, d in enumerate(state["delegations"])}
    heads = [Box(a.x, a.y, 0, 0) for a in fig.layout.annotations if a.showarrow]   # where each arrow points
    names = node_boxes(pos, 34, 22) + heads
    for a, b in itertools.combinations(labels, 2):
        assert clearance(a, b) >= CLEARANCE - 1e-9
    for a in labels:
        assert _inside(a) >= CLEARANCE - 1e-9
        assert min(clearance(a, b) for b in names) >= CLEARANCE - 1e-9


def test_the_big_screen_writes_every_gap_at_one_precision():
    # gaps of 0.5, 9.92, 6.02 and 8.475 Mt were written "0.5", "9.92", "6.02" and "8.475" side
    # by side; at one precision (two significant digits of the smallest, 0.50) they are 0.50,
    # 9.92, 6.02 and 8.48 (8.475 rounded half up; a float rounds it to 8.47)
    from a6sim.dashboard.room.figures import balance_figure, glance_decimals
    parties = {p: {"name": p, "attainment": {"gap": g, "met": g <= 0}} for p, g in
               (("GHA", -500_000), ("PER", -9_920_008), ("CHE", 6_020_008), ("SGP", 8_475_000))}
    fig = balance_figure({"parties": parties}, {"units": "MtCO2e"})
    assert list(fig.data[0].text) == ["", "", "missed by 6.02 Mt", "missed by 8.48 Mt"]
    assert [a.text for a in fig.layout.annotations] == ["met, 0.50 Mt to spare", "met, 9.92 Mt to spare"]
    # whole Mt stay whole; 0.5 beside whole Mt gives one decimal
    assert glance_decimals([10_000_000, 15_000_000], 10**6) == 0
    assert glance_decimals([-500_000, -13_000_000, 7_300_000, 15_000_000], 10**6) == 1
