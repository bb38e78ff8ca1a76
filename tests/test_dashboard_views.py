"""The dashboard's pure figure and table builders (dashboard/views/).

Small cases are worked out by hand in the comments; property checks run on every
bundled scenario (simulated once per module).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import a6sim
from a6sim.results import COLUMNS
from a6sim.dashboard.views import compare, integrity, ledger, money, ndc, network, units
from a6sim.dashboard.views.style import TEMPLATE, new_figure, no_data_figure, tonnes

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
NAMES = [p.name for p in SCENARIOS]


@pytest.fixture(scope="module")
def runs() -> dict[str, a6sim.Results]:
    return {p.name: a6sim.simulate(p) for p in SCENARIOS}


@pytest.fixture(scope="module")
def sm(runs) -> a6sim.Results:
    return runs["singapore_mongolia.yaml"]


def trace(fig: go.Figure, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"{name!r} in {[t.name for t in fig.data]}"
    return found[0]


def is_no_data(fig: go.Figure) -> bool:
    return any(a.text == "No data" for a in fig.layout.annotations)


def ledger_rows(rows: list[tuple]) -> pd.DataFrame:
    """A ledger with the real columns from (action, quantity, from_account, to_account, host)."""
    out = []
    for seq, (action, q, src, dst, host) in enumerate(rows):
        out.append({"seq": seq, "date": pd.Timestamp("2027-06-29"), "action": action, "quantity": q,
                    "block": f"{host}-act-2026-1:{q}", "activity": "act", "vintage": 2026, "host": host,
                    "unit_type": "ITMO", "from_account": src, "to_account": dst,
                    "from_party": src.split(":")[0] if src else None, "to_party": dst.split(":")[0],
                    "agreement": "deal", "purpose": "NDC", "first_transfer": action == "first-transfer"})
    return pd.DataFrame(out, columns=COLUMNS["ledger"])


# --- style ------------------------------------------------------------------------------------
@pytest.mark.parametrize("x, text", [
    (1234567, "1,234,567 t"), (np.int64(-20000), "-20,000 t"), (0, "0 t"), (5.0, "5 t"),
    (2.5, "2.5 t"), (1000000 / 3, "333,333.33 t"), (pd.NA, ""), (None, ""), (float("nan"), ""),
])
def test_tonnes_formats_whole_and_fractional_tonnes(x, text):
    assert tonnes(x) == text


def test_figures_get_their_own_copy_of_the_template():
    fig = new_figure("t", "Year", "Emissions (tCO2e)", uirevision="k")
    fig.layout.template.layout.font.size = 40
    assert TEMPLATE.layout.font.size == 16
    assert fig.layout.uirevision == "k"
    assert fig.layout.plot_bgcolor == "white" or fig.layout.template.layout.plot_bgcolor == "white"
    assert is_no_data(no_data_figure("t")) and not is_no_data(fig)


def test_every_figure_builder_says_no_data_on_empty_input():
    empty_graph = network.party_graph(pd.DataFrame(columns=COLUMNS["flows"]), {})
    figs = [
        ndc.ndc_figure(pd.DataFrame(columns=COLUMNS["balances"]), "SGP"),
        integrity.integrity_figure(pd.DataFrame(columns=COLUMNS["integrity"])),
        units.sankey_figure(units.unit_destinations(pd.DataFrame(columns=COLUMNS["ledger"]))),
        money.money_figure(money.money_table(pd.DataFrame(columns=COLUMNS["flows"]), {})),
        network.network_figure(empty_graph),
    ]
    for fig in figs:
        assert is_no_data(fig), fig.layout.title.text
        assert fig.layout.title.text and fig.layout.uirevision


# --- NDC ----------------------------------------------------------------------------------------
def test_ndc_figure_for_the_seller(sm):
    fig = ndc.ndc_figure(sm.balances, "MNG")
    assert fig.layout.title.text.startswith("MNG")
    assert "tCO2e" in fig.layout.yaxis.title.text and fig.layout.xaxis2.title.text == "Year"
    assert fig.layout.yaxis2.title.text == "Adjustment (tCO2e)"
    assert fig.layout.uirevision == "ndc-MNG"
    years = list(range(2021, 2032))
    # 1 Mt a year of vintages 2026-2030 lowers the inventory from 40 Mt to 39 Mt in those years
    assert list(trace(fig, "Inventory").x) == years
    assert list(trace(fig, "Inventory").y) == [40_000_000] * 5 + [39_000_000] * 5 + [40_000_000]
    # 2% OMGE of each 1,000,000 t tranche: 980,000 t first transferred per vintage
    assert list(trace(fig, "Added: first transferred").y) == [0] * 5 + [980_000] * 5 + [0]
    # balance 2030 = 39,000,000 + 980,000
    assert trace(fig, "Emissions balance").y[9] == 39_980_000
    # single-year NDC: the only target is the 2030 one; the trajectory is flat 40 Mt every year
    assert list(trace(fig, "Target").x) == [2030] and list(trace(fig, "Target").y) == [40_000_000]
    assert trace(fig, "Trajectory").line.dash == "dash" and len(trace(fig, "Trajectory").x) == 11


def test_ndc_figure_draws_uses_below_zero(sm):
    fig = ndc.ndc_figure(sm.balances, "SGP")
    used = trace(fig, "Subtracted: used")
    # Singapore uses 2,000,000 t in 2030 (as-needed: 62 Mt -> its 60 Mt target)
    assert used.y[9] == -2_000_000 and sum(used.y) == -2_000_000
    assert trace(fig, "Emissions balance").y[9] == 60_000_000
    # trajectory 62 Mt to 2025, then linear to 60 Mt in 2030, flat after: 61.6 Mt in 2026
    assert trace(fig, "Trajectory").y[5] == 61_600_000
    assert fig.layout.barmode == "relative"


def test_ndc_figure_leaves_out_missing_targets_and_trajectories():
    balances = pd.DataFrame({"party": ["X", "X", "X"], "year": [2021, 2022, 2023],
                             "inventory": [100, 100, 100], "first_transferred": [0, 0, 0],
                             "first_transferred_oimp": [0, 0, 0], "used": [0, 10, 0], "ca": [0, -10, 0],
                             "emissions_balance": [100, 90, 100],
                             "target": pd.array([pd.NA, pd.NA, pd.NA], dtype="Int64"),
                             "trajectory": pd.array([pd.NA, 95, pd.NA], dtype="Int64"), "method": "budget"})
    fig = ndc.ndc_figure(balances, "X")
    assert not [t for t in fig.data if t.name == "Target"]
    assert list(trace(fig, "Trajectory").x) == [2022]
    assert is_no_data(ndc.ndc_figure(balances, "Y"))


def _bars_and_lines(fig):
    return ({t.name: t for t in fig.data if isinstance(t, go.Bar)},
            {t.name: t for t in fig.data if isinstance(t, go.Scatter)})


def test_ndc_figure_in_mt_spans_the_values_and_plots_the_adjustment(sm):
    # Mongolia, in the file's MtCO2e: inventory 40 -> 39 Mt, +0.98 Mt a year added 2026-2030.
    fig = ndc.ndc_figure(sm.balances, "MNG", "MtCO2e", True, "Mongolia")
    bars, lines = _bars_and_lines(fig)
    assert fig.layout.title.text == "Mongolia (MNG): emissions balance with corresponding adjustments"
    assert fig.layout.yaxis.title.text == "Emissions (MtCO2e)"
    # the lines sit on the top axis, which plotly autoranges around the values (no bar forces 0 there)
    assert {lines[n].yaxis for n in ("Inventory", "Emissions balance", "Target", "Trajectory")} == {"y"}
    assert lines["Inventory"].y[5] == 39 and lines["Emissions balance"].y[9] == pytest.approx(39.98)
    # the adjustment has its own panel: bars on y2
    assert bars["Added: first transferred"].yaxis == "y2"
    assert list(bars["Added: first transferred"].y)[5:10] == [pytest.approx(0.98)] * 5
    assert bars["Added: first transferred"].customdata[5] == "+0.98 Mt"
    assert lines["Inventory"].customdata[5] == "39 Mt"


def test_ndc_figure_party_skipping_its_adjustments_shows_no_additions(runs):
    # double_claiming: NOC (switch off) first transfers 5 x 1 Mt and adds none of it back.
    r = runs["double_claiming.yaml"]
    fig = ndc.ndc_figure(r.balances, "NOC", "MtCO2e", adjusts=False)
    bars, _ = _bars_and_lines(fig)
    assert "Added: first transferred" not in bars
    assert "not added" in fig.layout.title.text and "with corresponding adjustments" not in fig.layout.title.text
    text = ndc.ndc_explanation(r.balances, "NOC", "MtCO2e", adjusts=False)
    assert "5 Mt" in text and "claimed twice" in text


def test_ndc_figure_averaging_buyer_shows_the_average_that_moves_its_balance(runs):
    # averaging_pitfall: AVL uses 10 Mt in 2030; the average -10 / 10 = -1 Mt is applied in each year,
    # and the balance moves by 1 Mt (50 -> 49 Mt), not by 10.
    r = runs["averaging_pitfall.yaml"]
    fig = ndc.ndc_figure(r.balances, "AVL", "MtCO2e")
    bars, lines = _bars_and_lines(fig)
    assert set(bars) == {"Applied: average"}
    assert list(bars["Applied: average"].y) == [-1] * 10
    assert bars["Applied: average"].customdata[9] == "-1 Mt (used that year: 10 Mt)"
    assert lines["Emissions balance"].y[9] == 49 and lines["Inventory"].y[9] == 50
    assert "averaged" in fig.layout.title.text
    text = ndc.ndc_explanation(r.balances, "AVL", "MtCO2e")
    assert "10 Mt used" in text and "-10 Mt / 10 = -1 Mt" in text


def test_attainment_records(sm):
    rows = ndc.attainment_records(sm.attainment)
    assert rows == [
        {"party": "SGP", "ndc_type": "single-year", "method": "trajectory", "period": "2021-2030",
         "target_year": "2030", "target": "60,000,000 t", "balance": "60,000,000 t", "gap": "0 t", "met": "met"},
        # Mongolia: 39,980,000 - 40,000,000 = -20,000 (the 2% OMGE stays in its balance)
        {"party": "MNG", "ndc_type": "single-year", "method": "trajectory", "period": "2021-2030",
         "target_year": "2030", "target": "40,000,000 t", "balance": "39,980,000 t", "gap": "-20,000 t",
         "met": "met"},
    ]
    assert [r["party"] for r in ndc.attainment_records(sm.attainment, "MNG")] == ["MNG"]
    assert ndc.attainment_records(sm.attainment, "nobody") == []


def test_attainment_records_missed_and_unknown():
    att = pd.DataFrame({"party": ["A", "B"], "ndc_type": ["multi-year", "multi-year"], "method": ["budget", pd.NA],
                        "period_start": [2021, 2031], "period_end": [2030, 2035],
                        "target_year": pd.array([pd.NA, pd.NA], dtype="Int64"),
                        "target": [100, 100], "balance": [150.5, None], "gap": [50.5, None],
                        "met": pd.array([False, pd.NA], dtype="boolean")})
    a, b = ndc.attainment_records(att)
    assert (a["met"], a["gap"], a["target_year"], a["period"]) == ("missed", "50.5 t", "", "2021-2030")
    assert (b["met"], b["balance"], b["method"]) == ("", "", "")


# --- integrity ----------------------------------------------------------------------------------
def test_integrity_figure_panels(sm, runs):
    fig = integrity.integrity_figure(sm.integrity)
    assert len(fig.data) == 4 and all(isinstance(t, go.Bar) for t in fig.data)
    assert [a.text for a in fig.layout.annotations] == [
        "Net corresponding adjustments", "Tonnes claimed twice", "Cancelled for OMGE", "Units to the Adaptation Fund",
        integrity.NOTHING, integrity.NOTHING]   # no double claim, nothing to the Adaptation Fund
    assert fig.layout.yaxis.title.text == "tCO2e" and fig.layout.yaxis4.title.text == "tCO2e"
    assert fig.layout.uirevision == "integrity"
    net = trace(fig, "Net corresponding adjustments")
    # 2030: MNG adds 980,000, SGP subtracts its 2,000,000 use: -1,020,000
    assert list(net.x).index(2030) == 9 and net.y[9] == -1_020_000
    # 2026 (vintage 2026 sold): +980,000
    assert net.y[5] == 980_000
    # OMGE: 20,000 t at each issuance, 2027-2031
    assert list(trace(fig, "Cancelled for OMGE").y) == [0] * 6 + [20_000] * 5
    dc = integrity.integrity_figure(runs["double_claiming.yaml"].integrity)
    assert sum(trace(dc, "Tonnes claimed twice").y) == runs["double_claiming.yaml"].summary["double_claimed"]


def test_integrity_figure_says_nothing_to_show_for_empty_panels_and_counts_target_years(runs):
    # averaging_pitfall: no ledger double claim, no OMGE, no Adaptation Fund; 1 Mt claimed twice in 2030.
    r = runs["averaging_pitfall.yaml"]
    fig = integrity.integrity_figure(r.integrity, "MtCO2e", r.summary["target_years"])
    texts = [a.text for a in fig.layout.annotations]
    assert texts.count(integrity.NOTHING) == 2                       # OMGE and Adaptation Fund panels
    assert fig.layout.xaxis3.visible is False and fig.layout.yaxis4.visible is False
    assert fig.layout.yaxis.visible is not False and fig.layout.yaxis2.visible is not False
    target = trace(fig, "Claimed twice in a target year")
    assert list(target.y) == [0] * 9 + [1] and target.customdata[9] == "1 Mt"
    # net adjustments: +1 Mt a year 2021-2026 (TRJ +2, AVL -1), then -1 Mt (AVL alone)
    assert list(trace(fig, "Net corresponding adjustments").y) == [1] * 6 + [-1] * 4
    assert fig.layout.yaxis.title.text == "MtCO2e"
    plain = integrity.integrity_figure(r.integrity)                 # without target years: 3 empty panels
    assert [a.text for a in plain.layout.annotations].count(integrity.NOTHING) == 3


def test_integrity_totals_in_mt_and_alerts(runs):
    dc = {c["key"]: c for c in integrity.integrity_totals(runs["double_claiming.yaml"].summary, "USD", "MtCO2e")}
    assert dc["double_claimed"]["value"] == "5 Mt" and dc["double_claimed"]["alert"] is True
    assert dc["target_year_double_claimed"]["alert"] is False and dc["omge_cancelled"]["alert"] is False
    ap = {c["key"]: c for c in integrity.integrity_totals(runs["averaging_pitfall.yaml"].summary, "USD", "MtCO2e")}
    assert ap["target_year_double_claimed"]["value"] == "1 Mt" and ap["target_year_double_claimed"]["alert"]
    assert ap["double_claimed"]["value"] == "0 Mt" and not ap["double_claimed"]["alert"]


def test_integrity_totals(sm):
    cards = {c["key"]: c for c in integrity.integrity_totals(sm.summary, "SGD")}
    assert list(cards) == ["net_ca_total", "double_claimed", "target_year_double_claimed", "omge_cancelled",
                           "adaptation_fund_units",
                           "host_adaptation_units", "buffer", "sop_value", "issued", "first_transferred", "used"]
    # 5 x 980,000 first transferred - 2,000,000 used = 2,900,000
    assert cards["net_ca_total"]["value"] == "2,900,000 t"
    assert cards["omge_cancelled"]["value"] == "100,000 t"          # 5 x 20,000
    # 5% of 980,000 x (45 + 50 + 55 + 60 + 60) = 5% of 264,600,000
    assert cards["sop_value"]["value"] == "SGD 13,230,000"
    assert cards["issued"]["value"] == "5,000,000 t"
    assert all(c["label"] for c in cards.values())
    assert {c["key"]: c["value"] for c in integrity.integrity_totals({})}["used"] == "n/a"


# --- units --------------------------------------------------------------------------------------
@pytest.mark.parametrize("account, category", [
    ("CHE:holding", "Held by buyers"),
    ("CHE:ndc-use", "Used for NDC"),
    ("CHE:oimp-use", "Used for OIMP"),
    ("GHA:activity:gha-cookstoves", "Held at activity"),
    ("A6.4:activity:x", "Held at activity"),
    ("SGP:entity:airline-x", "Held by buyers"),
    ("SGP:entity:airline-x:oimp-use", "Used for OIMP"),
    ("SGP:entity:vol:voluntary-cancellation", "Voluntarily cancelled"),
    ("SGP:entity:buffer", "Held by buyers"),          # an entity called "buffer" is still a holder
    ("A6.4:adaptation-fund", "Adaptation Fund"),
    ("X:omge-cancellation", "OMGE cancelled"),
    ("A6.4:omge-cancellation", "OMGE cancelled"),
    ("X:buffer", "Buffer pool"),
    ("X:reversal-cancellation", "Reversal cancelled"),
    ("X:voluntary-cancellation", "Voluntarily cancelled"),
    ("X:host-adaptation", "Host adaptation"),
])
def test_account_category(account, category):
    assert units.account_category(account) == category


def test_account_category_refuses_unknown_kinds():
    with pytest.raises(ValueError):
        units.account_category("X:somewhere")


HAND_LEDGER = [  # issue 100; 5 to the Adaptation Fund; 2 OMGE; 93 first transferred; 60 used
    ("issuance", 100, None, "A6.4:activity:act", "HOS"),
    ("adaptation-fund", 5, "A6.4:activity:act", "A6.4:adaptation-fund", "HOS"),
    ("cancellation", 2, "A6.4:activity:act", "A6.4:omge-cancellation", "HOS"),
    ("first-transfer", 93, "A6.4:activity:act", "BUY:holding", "HOS"),
    ("use", 60, "BUY:holding", "BUY:ndc-use", "HOS"),
]


def test_unit_destinations_by_hand():
    dest = units.unit_destinations(ledger_rows(HAND_LEDGER))
    assert list(dest.columns) == ["category", "quantity"]
    got = dict(zip(dest["category"], dest["quantity"]))
    # the activity keeps 100 - 5 - 2 - 93 = 0; the buyer holds 93 - 60 = 33
    assert got == {"Adaptation Fund": 5, "Host adaptation": 0, "OMGE cancelled": 2, "Buffer pool": 0,
                   "Reversal cancelled": 0, "Held at activity": 0, "Used for NDC": 60, "Used for OIMP": 0,
                   "Voluntarily cancelled": 0, "Held by buyers": 33}


def test_unit_destinations_by_host():
    rows = HAND_LEDGER + [("issuance", 40, None, "OTH:activity:b", "OTH"),
                          ("authorization", 40, "OTH:activity:b", "OTH:activity:b", "OTH")]
    df = ledger_rows(rows)
    df.loc[5:, "activity"] = "b"
    assert units.unit_destinations(df)["quantity"].sum() == 140
    oth = units.unit_destinations(df, host="OTH")
    # an authorization moves units from the activity account to itself: still held there
    assert dict(zip(oth["category"], oth["quantity"]))["Held at activity"] == 40
    assert oth["quantity"].sum() == 40
    assert units.unit_destinations(df, host="NOBODY")["quantity"].sum() == 0


@pytest.mark.parametrize("name", NAMES)
def test_unit_destinations_conserve_every_issued_tonne(runs, name):
    r = runs[name]
    led = r.ledger
    issued = int(led.loc[led["action"] == "issuance", "quantity"].sum())
    dest = units.unit_destinations(led)
    assert int(dest["quantity"].sum()) == issued == r.summary["issued"]
    assert (dest["quantity"] >= 0).all()
    got = dict(zip(dest["category"], dest["quantity"]))
    s = r.summary
    assert got["Used for NDC"] == s["used"] and got["Used for OIMP"] == s["used_oimp"]
    assert got["OMGE cancelled"] == s["omge_cancelled"] and got["Buffer pool"] == s["buffer"]
    assert got["Adaptation Fund"] == s["adaptation_fund_units"]
    assert got["Reversal cancelled"] == s["reversal_cancelled"]
    held = got["Held at activity"] + got["Held by buyers"] + got["Adaptation Fund"] + got["Host adaptation"]
    assert held == s["held"]
    for host in sorted(set(led["host"])):
        part = led[led["host"] == host]
        assert int(units.unit_destinations(led, host)["quantity"].sum()) == \
            int(part.loc[part["action"] == "issuance", "quantity"].sum())


def test_sankey_by_hand():
    fig = units.sankey_figure(units.unit_destinations(ledger_rows(HAND_LEDGER)), title="Units")
    s = fig.data[0]
    labels = [label.split(": ")[0] for label in s.node.label]
    links = {(labels[a], labels[b]): v for a, b, v in zip(s.link.source, s.link.target, s.link.value)}
    # zero links (buffer, host adaptation, held at activity, OIMP, voluntary) are left out
    assert links == {("Issued", "Adaptation Fund"): 5, ("Issued", "OMGE cancelled"): 2,
                     ("Issued", "Transferred"): 93, ("Transferred", "Used for NDC"): 60,
                     ("Transferred", "Held by buyers"): 33}
    assert "Issued: 100 t" in s.node.label and "Transferred: 93 t" in s.node.label
    assert fig.layout.title.text == "Units" and fig.layout.uirevision


@pytest.mark.parametrize("name", NAMES)
def test_sankey_out_of_issued_is_everything_issued(runs, name):
    fig = units.sankey_figure(units.unit_destinations(runs[name].ledger))
    if runs[name].summary["issued"] == 0:      # a world with no activities (gcam_world_market)
        assert not fig.data
        return
    s = fig.data[0]
    issued = s.node.label.index(next(lbl for lbl in s.node.label if lbl.startswith("Issued: ")))
    assert sum(v for a, v in zip(s.link.source, s.link.value) if a == issued) == runs[name].summary["issued"]
    assert all(v > 0 for v in s.link.value)


# --- money --------------------------------------------------------------------------------------
def test_money_table_by_hand():
    flows = pd.DataFrame({"year": [2027, 2027, 2028], "from_party": ["MNG", "GHA", "MNG"],
                          "to_party": ["SGP", "CHE", "SGP"], "agreement": ["sgp-mng", "che-gha", "sgp-mng"],
                          "quantity": [980_000, 10, 980_000], "value": [44_100_000.0, 200.0, 49_000_000.0]})
    table = money.money_table(flows, {"sgp-mng": 0.05})
    assert list(table.columns) == ["year", "agreement", "from_party", "to_party", "quantity", "value", "sop_value"]
    # 5% of 44,100,000 = 2,205,000; 5% of 49,000,000 = 2,450,000; che-gha has no share: 0
    assert dict(zip(zip(table["year"], table["agreement"]), table["sop_value"])) == {
        (2027, "che-gha"): 0.0, (2027, "sgp-mng"): 2_205_000.0, (2028, "sgp-mng"): 2_450_000.0}


@pytest.mark.parametrize("name", NAMES)
def test_money_table_share_of_proceeds_matches_the_summary(runs, name):
    r = runs[name]
    shares = {a: g.sop.value for a, g in r.scenario.model.agreements.items()}
    table = money.money_table(r.flows, shares)
    assert abs(table["sop_value"].sum() - r.summary["sop_value"]) <= 0.01
    assert abs(table["value"].sum() - r.summary["value_paid"]) <= 0.01


def test_money_singapore_mongolia(sm):
    shares = {a: g.sop.value for a, g in sm.scenario.model.agreements.items()}
    assert shares == {"sgp-mng": 0.05}
    table = money.money_table(sm.flows, shares)
    assert table["sop_value"].sum() == pytest.approx(13_230_000, abs=0.01)
    fig = money.money_figure(table, "SGD")
    assert fig.layout.barmode == "stack" and "SGD" in fig.layout.yaxis.title.text
    assert list(trace(fig, "sgp-mng").y) == [44_100_000, 49_000_000, 53_900_000, 58_800_000, 58_800_000]
    sop = trace(fig, "Share of proceeds (money)")
    assert sop.y[0] == pytest.approx(2_205_000)       # 5% of 44,100,000 (2027)
    assert sum(sop.y) == pytest.approx(13_230_000)


def test_money_figure_groups_small_agreements():
    table = pd.DataFrame({"year": [2021] * 4, "agreement": ["a", "b", "c", "d"], "from_party": "S",
                          "to_party": "B", "quantity": 1, "value": [40.0, 30.0, 20.0, 10.0],
                          "sop_value": 0.0})
    fig = money.money_figure(table, max_agreements=2)
    assert [t.name for t in fig.data if isinstance(t, go.Bar)] == ["a", "b", "Other agreements"]
    assert trace(fig, "Other agreements").y[0] == 30.0      # c + d


# --- network ------------------------------------------------------------------------------------
def test_party_graph_by_hand():
    flows = pd.DataFrame({"year": [2021, 2022, 2022], "from_party": ["A", "A", "B"], "to_party": ["B", "B", "C"],
                          "agreement": ["y", "x", "x"], "quantity": [10, 5, 1], "value": [100.0, 50.0, 7.5]})
    g = network.party_graph(flows, {"A": "Alpha", "B": "Beta", "D": "Delta"})
    assert list(g.nodes) == ["A", "B", "D", "C"]             # D sells nothing but is listed
    assert g.nodes["C"]["name"] == "C" and g.nodes["A"]["name"] == "Alpha"
    assert g.edges["A", "B"] == {"tonnes": 15, "value": 150.0, "agreements": ["x", "y"]}
    assert g.edges["B", "C"]["tonnes"] == 1 and not g.has_edge("B", "A")
    assert isinstance(g.edges["A", "B"]["tonnes"], int)


@pytest.mark.parametrize("name", NAMES)
def test_party_graph_keeps_every_tonne(runs, name):
    r = runs[name]
    m = r.scenario.model
    names = {p: v.name for p, v in m.parties.items()} | {e: v.name for e, v in m.entities.items()}
    g = network.party_graph(r.flows, names)
    assert sum(t for *_, t in g.edges(data="tonnes")) == int(r.flows["quantity"].sum())
    assert set(names) <= set(g.nodes)
    fig = network.network_figure(g, selected=next(iter(names)))
    nodes = trace(fig, "parties")
    assert list(nodes.customdata) == list(g.nodes)


def test_network_figure_by_hand():
    flows = pd.DataFrame({"year": 2021, "from_party": ["A", "A", "C"], "to_party": ["B", "C", "B"],
                          "agreement": "x", "quantity": [1000, 10, 1], "value": 1.0})
    g = network.party_graph(flows, {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": "Delta"})
    fig = network.network_figure(g, selected="C", max_labels=2)
    nodes = trace(fig, "parties")
    assert list(nodes.customdata) == ["A", "B", "C", "D"]
    # totals sold + bought: A 1,010, B 1,001, C 11, D 0: the 2 biggest get labels, plus the selected C
    assert list(nodes.text) == ["Alpha", "Beta", "Gamma", ""]
    assert list(nodes.marker.line.width) == [1, 1, 4, 1]
    assert list(nodes.marker.opacity) == [1.0, 1.0, 1.0, 0.3]   # D is not linked to C
    assert "Sold: 1,010 t" in nodes.hovertext[0] and "Bought: 1,001 t" in nodes.hovertext[1]
    assert nodes.marker.size[0] > nodes.marker.size[2] > nodes.marker.size[3]
    sel = trace(fig, "selected edges")
    assert sum(v is None for v in sel.x) == 2                   # A->C and C->B
    assert fig.data[-1].name == "parties" and fig.layout.uirevision == "network"
    unselected = network.network_figure(g)
    assert not [t for t in unselected.data if t.name == "selected edges"]
    assert list(trace(unselected, "parties").text) == ["Alpha", "Beta", "Gamma", "Delta"]


def test_network_figure_big_graph_stays_a_handful_of_traces():
    rng = np.random.default_rng(1)
    ids = [f"P{i:03d}" for i in range(150)]
    pairs = set()
    while len(pairs) < 1500:
        a, b = rng.choice(150, 2, replace=False)
        pairs.add((ids[a], ids[b]))
    pairs = sorted(pairs)
    flows = pd.DataFrame({"year": 2025, "from_party": [a for a, _ in pairs], "to_party": [b for _, b in pairs],
                          "agreement": [f"ag-{i}" for i in range(1500)],
                          "quantity": rng.integers(1, 10_000_000, 1500), "value": 1.0})
    g = network.party_graph(flows, {i: f"Party {i}" for i in ids})
    assert (g.number_of_nodes(), g.number_of_edges()) == (150, 1500)
    fig = network.network_figure(g, selected="P007")
    edge_traces = [t for t in fig.data if t.name.startswith("edges")]
    assert 1 <= len(edge_traces) <= 5 and len(fig.data) <= 8
    # every edge drawn once: one None separator per edge over the width classes
    assert sum(sum(v is None for v in t.x) for t in edge_traces) == 1500
    nodes = trace(fig, "parties")
    assert len(nodes.customdata) == 150
    labelled = {n for n, t in zip(nodes.customdata, nodes.text) if t}
    assert "P007" in labelled and len(labelled - {"P007"}) == 40
    plain = trace(network.network_figure(g), "parties")
    assert sum(1 for t in plain.text if t) == 40
    json.dumps(fig.to_plotly_json(), cls=__import__("plotly").utils.PlotlyJSONEncoder)


def test_network_figure_arrows_quantities_and_legend():
    # A -> B 1,500,000 t, B -> A 20,000 t in an MtCO2e scenario: two arrows, labels 1.5 Mt and 0.02 Mt,
    # each a third of the way from its seller; a legend line for the node colours.
    flows = pd.DataFrame({"year": 2021, "from_party": ["A", "B"], "to_party": ["B", "A"], "agreement": "x",
                          "quantity": [1_500_000, 20_000], "value": 1.0})
    g = network.party_graph(flows, {"A": "Alpha", "B": "Beta"})
    fig = network.network_figure(g, units="MtCO2e")
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 2 and all(a.arrowhead for a in arrows)
    assert {(a.axref, a.ayref) for a in arrows} == {("x", "y")}
    labels = {a.text: a for a in fig.layout.annotations if not a.showarrow and a.xref == "x"}
    assert set(labels) == {"1.5 Mt", "0.02 Mt"}
    pos = {n: (x, y) for n, x, y in zip(trace(fig, "parties").customdata, trace(fig, "parties").x,
                                         trace(fig, "parties").y)}
    ab = labels["1.5 Mt"]
    assert ab.x == pytest.approx(pos["A"][0] + (pos["B"][0] - pos["A"][0]) / 3)
    legend = [a.text for a in fig.layout.annotations if a.xref == "paper"]
    assert any("mostly sells" in t and "mostly buys" in t for t in legend)
    assert "Sold: 1.5 Mt" in trace(fig, "parties").hovertext[0]


# --- compare -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_party_differences_of_a_run_with_itself_are_zero(runs, name):
    r = runs[name]
    d = compare.party_differences(r.balances, r.attainment, r.balances, r.attainment)
    assert list(d["party"]) == list(dict.fromkeys(r.balances["party"]))
    for fig in ("balance", "gap", "first_transferred", "used", "ca"):
        present = d[f"{fig}_a"].notna()
        assert (d.loc[present, f"{fig}_diff"] == 0).all(), fig
        assert d.loc[~present, f"{fig}_diff"].isna().all(), fig
    assert (d["met_a"].fillna(False) == d["met_b"].fillna(False)).all()
    s = compare.summary_differences(r.summary, r.summary)
    assert list(s["figure"]) == list(compare.SUMMARY_FIGURES)
    assert all(x == 0 for x in s["diff"])


def test_party_differences_switching_off_adjustments(sm):
    data = sm.scenario.to_dict()
    data["parties"]["MNG"]["corresponding_adjustments"] = False
    b = a6sim.simulate(a6sim.scenario_from_dict(data))
    d = compare.party_differences(sm.balances, sm.attainment, b.balances, b.attainment).set_index("party")
    # Mongolia no longer adds its 5 x 980,000 first transfers: ca 4,900,000 -> 0
    assert d.loc["MNG", "ca_a"] == 4_900_000 and d.loc["MNG", "ca_diff"] == -4_900_000
    # ... its 2030 balance loses the 980,000 of vintage 2030, and so does the gap
    assert d.loc["MNG", "balance_diff"] == -980_000 and d.loc["MNG", "gap_diff"] == -980_000
    # the facts do not change: first transferred and used stay, and Singapore is untouched
    assert d.loc["MNG", "first_transferred_diff"] == 0 and d.loc["MNG", "used_diff"] == 0
    assert (d.loc["SGP", ["balance_diff", "gap_diff", "ca_diff", "used_diff"]] == 0).all()
    s = compare.summary_differences(sm.summary, b.summary).set_index("figure")
    # the 2,000,000 t Singapore used from Mongolia are now claimed twice
    assert s.loc["double_claimed", "diff"] == 2_000_000
    assert s.loc["net_ca_total", "diff"] == -4_900_000 and s.loc["issued", "diff"] == 0


def test_party_differences_party_in_one_run_only():
    def bal(party, ft):
        return pd.DataFrame({"party": [party], "year": [2021], "inventory": [0], "first_transferred": [ft],
                             "first_transferred_oimp": [0], "used": [0], "ca": [ft], "emissions_balance": [ft],
                             "target": pd.array([pd.NA], dtype="Int64"), "trajectory": pd.array([pd.NA], dtype="Int64"),
                             "method": ["budget"]})
    att = pd.DataFrame({"party": ["A"], "ndc_type": ["multi-year"], "method": ["budget"], "period_start": [2021],
                        "period_end": [2021], "target_year": pd.array([pd.NA], dtype="Int64"), "target": [10],
                        "balance": [7], "gap": [-3], "met": [True]})
    a_bal = pd.concat([bal("A", 7), bal("B", 5)], ignore_index=True)
    d = compare.party_differences(a_bal, att, bal("A", 9), att.iloc[:0]).set_index("party")
    assert d.loc["A", "first_transferred_diff"] == 2                # 9 - 7
    assert pd.isna(d.loc["B", "first_transferred_b"]) and pd.isna(d.loc["B", "first_transferred_diff"])
    assert d.loc["A", "gap_a"] == -3 and pd.isna(d.loc["A", "gap_b"]) and pd.isna(d.loc["A", "gap_diff"])
    assert bool(d.loc["A", "met_a"]) is True
    assert pd.isna(d.loc["A", "met_b"])


def test_summary_differences_by_hand():
    s = compare.summary_differences({"issued": 100, "sop_value": 1.1, "buffer": 4},
                                    {"issued": 90, "sop_value": 3.3}).set_index("figure")
    assert s.loc["issued", "diff"] == -10 and isinstance(s.loc["issued", "diff"], int)
    assert s.loc["sop_value", "diff"] == 2.2                        # rounded to cents, no float noise
    assert s.loc["buffer", "a"] == 4 and s.loc["buffer", "b"] is None and s.loc["buffer", "diff"] is None


# --- ledger -----------------------------------------------------------------------------------
@pytest.fixture()
def small_ledger() -> pd.DataFrame:
    """Six rows: seq 0-5, dates 2027-01-01 .. 2027-06-01 (monthly)."""
    df = ledger_rows([
        ("issuance", 1000, None, "GHA:activity:act", "GHA"),                               # 0
        ("authorization", 1000, "GHA:activity:act", "GHA:activity:act", "GHA"),           # 1
        ("first-transfer", 600, "GHA:activity:act", "CHE:holding", "GHA"),                # 2
        ("first-transfer", 400, "GHA:activity:act", "SGP:entity:airline-x", "GHA"),       # 3
        ("use", 250, "CHE:holding", "CHE:ndc-use", "GHA"),                                # 4
        ("use", 400, "SGP:entity:airline-x", "SGP:entity:airline-x:oimp-use", "GHA"),     # 5
    ])
    df["date"] = pd.to_datetime([f"2027-0{m}-01" for m in range(1, 7)])
    df["vintage"] = [2021, 2022, 2023, 2024, 2025, 2026]
    df.loc[0, "agreement"] = None
    df["seq"] = df["seq"].astype("int64")
    return df


def seqs(df: pd.DataFrame) -> list[int]:
    return [int(s) for s in df["seq"]]


@pytest.mark.parametrize("model, expected", [
    ({"action": {"filterType": "text", "type": "contains", "filter": "TRANS"}}, [2, 3]),
    ({"action": {"filterType": "text", "type": "notContains", "filter": "trans"}}, [0, 1, 4, 5]),
    ({"action": {"filterType": "text", "type": "equals", "filter": "Use"}}, [4, 5]),
    ({"action": {"filterType": "text", "type": "notEqual", "filter": "use"}}, [0, 1, 2, 3]),
    ({"to_account": {"filterType": "text", "type": "startsWith", "filter": "che:"}}, [2, 4]),
    ({"to_account": {"filterType": "text", "type": "endsWith", "filter": "-USE"}}, [4, 5]),
    # agreement blank on the issuance row: it fails "contains" but passes "notContains", as in the grid
    ({"agreement": {"filterType": "text", "type": "contains", "filter": "deal"}}, [1, 2, 3, 4, 5]),
    ({"agreement": {"filterType": "text", "type": "notContains", "filter": "deal"}}, [0]),
    ({"first_transfer": {"filterType": "text", "type": "equals", "filter": "TRUE"}}, [2, 3]),
    ({"quantity": {"filterType": "number", "type": "equals", "filter": 400}}, [3, 5]),
    ({"quantity": {"filterType": "number", "type": "notEqual", "filter": 400}}, [0, 1, 2, 4]),
    ({"quantity": {"filterType": "number", "type": "greaterThan", "filter": 600}}, [0, 1]),
    ({"quantity": {"filterType": "number", "type": "greaterThanOrEqual", "filter": "600"}}, [0, 1, 2]),
    ({"quantity": {"filterType": "number", "type": "lessThan", "filter": 400}}, [4]),
    ({"quantity": {"filterType": "number", "type": "lessThanOrEqual", "filter": 400}}, [3, 4, 5]),
    ({"vintage": {"filterType": "number", "type": "inRange", "filter": 2022, "filterTo": 2024}}, [1, 2, 3]),
    ({"date": {"filterType": "date", "type": "equals", "dateFrom": "2027-03-01 00:00:00"}}, [2]),
    ({"date": {"filterType": "date", "type": "greaterThan", "dateFrom": "2027-04-01 00:00:00"}}, [4, 5]),
    ({"date": {"filterType": "date", "type": "lessThan", "dateFrom": "2027-02-01 00:00:00"}}, [0]),
    ({"date": {"filterType": "date", "type": "inRange", "dateFrom": "2027-02-01 00:00:00",
               "dateTo": "2027-04-01 00:00:00"}}, [1, 2, 3]),
    ({"action": {"filterType": "text", "operator": "OR", "conditions": [
        {"filterType": "text", "type": "equals", "filter": "issuance"},
        {"filterType": "text", "type": "equals", "filter": "use"}]}}, [0, 4, 5]),
    ({"quantity": {"filterType": "number", "operator": "AND", "conditions": [
        {"filterType": "number", "type": "greaterThan", "filter": 300},
        {"filterType": "number", "type": "lessThan", "filter": 1000}]}}, [2, 3, 5]),
    # two columns: both must hold
    ({"action": {"filterType": "text", "type": "equals", "filter": "use"},
      "quantity": {"filterType": "number", "type": "lessThan", "filter": 300}}, [4]),
    # ignored: unknown column, unknown filter type, unknown operation, empty value
    ({"nope": {"filterType": "text", "type": "contains", "filter": "x"},
      "action": {"filterType": "set", "values": ["use"]},
      "quantity": {"filterType": "number", "type": "between", "filter": 3},
      "host": {"filterType": "text", "type": "contains", "filter": ""}}, [0, 1, 2, 3, 4, 5]),
    (None, [0, 1, 2, 3, 4, 5]),
])
def test_filter_ledger(small_ledger, model, expected):
    assert seqs(ledger.filter_ledger(small_ledger, model)) == expected


def test_filter_ledger_by_party(small_ledger):
    assert seqs(ledger.filter_ledger(small_ledger, None, "GHA")) == [0, 1, 2, 3, 4, 5]   # host of all
    assert seqs(ledger.filter_ledger(small_ledger, None, "CHE")) == [2, 4]
    # the airline's accounts sit in Singapore's registry; its id (as in flows) finds them too
    assert seqs(ledger.filter_ledger(small_ledger, None, "SGP")) == [3, 5]
    assert seqs(ledger.filter_ledger(small_ledger, None, "airline-x")) == [3, 5]
    assert seqs(ledger.filter_ledger(small_ledger, None, "airline")) == []
    model = {"action": {"filterType": "text", "type": "equals", "filter": "use"}}
    assert seqs(ledger.filter_ledger(small_ledger, model, "CHE")) == [4]


def test_sort_ledger(small_ledger):
    shuffled = small_ledger.iloc[[3, 0, 5, 1, 4, 2]]
    assert seqs(ledger.sort_ledger(shuffled, None)) == [0, 1, 2, 3, 4, 5]
    assert seqs(ledger.sort_ledger(shuffled, [{"colId": "nope", "sort": "asc"}])) == [0, 1, 2, 3, 4, 5]
    # quantity descending, ties (1000: 0, 1; 400: 3, 5) keep the order they came in
    assert seqs(ledger.sort_ledger(shuffled, [{"colId": "quantity", "sort": "desc"}])) == [0, 1, 2, 3, 5, 4]
    assert seqs(ledger.sort_ledger(small_ledger.iloc[::-1], [{"colId": "quantity", "sort": "desc"}])) == \
        [1, 0, 2, 5, 3, 4]
    # action asc, then quantity asc
    assert seqs(ledger.sort_ledger(shuffled, [{"colId": "action", "sort": "asc"},
                                              {"colId": "quantity", "sort": "asc"}])) == [1, 3, 2, 0, 4, 5]
    # blank agreement first ascending, last descending
    assert seqs(ledger.sort_ledger(small_ledger, [{"colId": "agreement", "sort": "asc"}]))[0] == 0
    assert seqs(ledger.sort_ledger(small_ledger, [{"colId": "agreement", "sort": "desc"}]))[-1] == 0


def test_sort_ledger_is_stable_on_many_ties():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"seq": np.arange(500), "quantity": rng.integers(0, 3, 500)})
    out = ledger.sort_ledger(df, [{"colId": "quantity", "sort": "desc"}])
    assert list(out["quantity"]) == sorted(df["quantity"], reverse=True)
    for _, part in out.groupby("quantity"):
        assert list(part["seq"]) == sorted(part["seq"])      # ties keep their incoming order


def test_date_filter_compares_days(small_ledger):
    small_ledger.loc[2, "date"] = pd.Timestamp("2027-03-01 15:30")
    model = {"date": {"filterType": "date", "type": "equals", "dateFrom": "2027-03-01 00:00:00"}}
    assert seqs(ledger.filter_ledger(small_ledger, model)) == [2]


def test_ledger_block(small_ledger):
    request = {"startRow": 1, "endRow": 3, "sortModel": [{"colId": "quantity", "sort": "asc"}],
               "filterModel": {"action": {"filterType": "text", "type": "contains", "filter": "e"}}}
    # rows with an "e" in the action: issuance, first-transfer x2, use x2 (not authorization)
    # by quantity: 250 (4), 400 (3), 400 (5), 600 (2), 1000 (0); rows 1-2 of that: seq 3 and 5
    block = ledger.ledger_block(small_ledger, request)
    assert block["rowCount"] == 5
    assert [r["seq"] for r in block["rowData"]] == [3, 5]
    row = block["rowData"][0]
    assert row["date"] == "2027-04-01" and row["first_transfer"] is True and type(row["quantity"]) is int
    json.dumps(block)
    first = ledger.ledger_block(small_ledger, {"startRow": 0, "endRow": 100})
    assert first["rowCount"] == 6 and first["rowData"][0]["from_account"] is None
    assert first["rowData"][0]["agreement"] is None and first["rowData"][0]["from_party"] is None
    assert ledger.ledger_block(small_ledger, {"startRow": 0, "endRow": 2}, party="CHE")["rowCount"] == 2


def test_ledger_block_on_a_real_ledger(runs):
    led = runs["corsia_airline.yaml"].ledger
    block = ledger.ledger_block(led, {"startRow": 0, "endRow": 1000, "sortModel": [], "filterModel": {}})
    assert block["rowCount"] == len(led) and len(block["rowData"]) == len(led)
    assert set(block["rowData"][0]) == set(COLUMNS["ledger"])
    assert all(type(v) in (int, str, bool, type(None)) for r in block["rowData"] for v in r.values())
    json.dumps(block)
    # the airline's id from the flows finds its deliveries and uses
    airline = ledger.filter_ledger(led, None, "airline-x")
    assert len(airline) and airline["to_account"].str.contains("airline-x").all()


def test_ledger_columns():
    assert [c["field"] for c in ledger.LEDGER_COLUMNS] == COLUMNS["ledger"]
    cols = {c["field"]: c for c in ledger.LEDGER_COLUMNS}
    assert cols["quantity"]["type"] == "rightAligned" and cols["quantity"]["filter"] == "agNumberColumnFilter"
    assert cols["date"]["filter"] == "agDateColumnFilter" and cols["action"]["filter"] == "agTextColumnFilter"
    assert all(c["sortable"] and c["headerName"] for c in ledger.LEDGER_COLUMNS)


def test_ndc_figure_without_any_adjustment_says_so(runs):
    # averaging_pitfall, TRJ with its adjustments switched off: it uses nothing and adds nothing,
    # so the adjustment panel would be an empty -1..1 frame; it says so instead.
    r = runs["averaging_pitfall.yaml"]
    off = ndc.ndc_figure(r.balances, "TRJ", "MtCO2e", adjusts=False)
    assert [a.text for a in off.layout.annotations] == [ndc.NO_ADJUSTMENT]
    on = ndc.ndc_figure(r.balances, "TRJ", "MtCO2e", adjusts=True)   # +2 Mt a year 2021-2026
    assert not on.layout.annotations


def test_headline_strip_by_hand(runs):
    from a6sim.dashboard.views.headline import headline
    # averaging_pitfall (MtCO2e): AVL uses 10 Mt, average -10 / 10 = -1 Mt applied in 2030; TRJ adds its
    # 12 Mt (2 Mt a year 2021-2026); both met; every unit added back, but 2030's adjustments sum to -1 Mt.
    r = runs["averaging_pitfall.yaml"]
    h = headline(r.balances, r.attainment, r.summary, "MtCO2e", {"AVL": True, "TRJ": True})
    assert h["adjusted"] == ["AVL averaged: -1 Mt in 2030 (-10 Mt net over the period)", "TRJ added +12 Mt"]
    assert h["targets"] == [{"party": "AVL", "text": "AVL met (49 Mt against 49 Mt)", "met": True},
                            {"party": "TRJ", "text": "TRJ met (25 Mt against 26 Mt)", "met": True}]
    assert h["claimed"] == [
        {"text": "0 Mt used that no host added back", "alert": False},
        {"text": "1 Mt in the 2030 target year (adjustments of AVL, TRJ for 2030 sum to -1 Mt)", "alert": True}]
    # double_claiming: NOC skips its additions; 5 x 1 Mt used from it by BYR
    d = runs["double_claiming.yaml"]
    h = headline(d.balances, d.attainment, d.summary, "MtCO2e", {"NOC": False})
    assert "NOC added nothing for 5 Mt first transferred (adjustments off)" in h["adjusted"]
    assert "BYR subtracted 10 Mt used" in h["adjusted"]
    assert h["claimed"] == [{"text": "5 Mt used that no host added back", "alert": True}]
