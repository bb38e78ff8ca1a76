"""Golden tests of the bundled example scenarios (scenarios/*.yaml).

Every file in scenarios/ is validated, run, and checked against invariants that are
computed here independently of the engine (a new file is covered automatically).
Then each scenario's key figures are asserted as exact numbers, each worked out by
hand from docs/how-a6sim-counts.md; the comment next to each number shows the
computation. Where a figure differs from what the engine gives, the hand-computed
value is the one asserted.

Dates used below: an issuance lands ``issuance_lag_days`` (180 unless said) after 31
December of the vintage year: vintage 2021 -> 2022-06-29, 2022 -> 2023-06-29, 2023 ->
2024-06-28 (leap year), 2024 -> 2025-06-29, 2025 -> 2026-06-29, 2026 -> 2027-06-29,
2027 -> 2028-06-28 (leap year), 2028 -> 2029-06-29, 2029 -> 2030-06-29, 2030 ->
2031-06-29. Delivery is ``transfer_lag_days`` later (30 unless said), so every
delivery falls in the year after the vintage.
"""
from __future__ import annotations

import datetime
import functools
from pathlib import Path

import pandas as pd
import pytest

import a6sim
from a6sim.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
SCENARIOS = sorted(SCENARIO_DIR.glob("*.yaml"))
MT = 1_000_000  # tonnes in one MtCO2e

REQUIRED = ["two_party_basic", "singapore_mongolia", "swiss_programme", "averaging_pitfall",
            "host_oversells", "article64_project", "forest_removal_reversal", "corsia_airline",
            "revocation"]


@functools.lru_cache(maxsize=None)
def run(name: str) -> a6sim.Results:
    return a6sim.simulate(SCENARIO_DIR / f"{name}.yaml")


def bal(r, party, year, column):
    rows = r.balances[(r.balances["party"] == party) & (r.balances["year"] == year)]
    assert len(rows) == 1, f"one balances row for {party} {year}"
    return rows.iloc[0][column]


def att(r, party) -> dict:
    rows = r.attainment[r.attainment["party"] == party]
    assert len(rows) == 1, f"one attainment row for {party}"
    return rows.iloc[0].to_dict()


def integ(r, year, column):
    rows = r.integrity[r.integrity["year"] == year]
    assert len(rows) == 1
    return rows.iloc[0][column]


def ledger_sum(r, **where) -> int:
    df = r.ledger
    for col, value in where.items():
        df = df[df[col] == value]
    return int(df["quantity"].sum())


def assert_attainment(r, party, *, balance, target, gap, met):
    row = att(r, party)
    assert (row["balance"], row["target"], row["gap"], bool(row["met"])) == (balance, target, gap, met), row


# --------------------------------------------------------------------------------------
# Every scenario file: validates, runs, and keeps invariants checked here independently
# --------------------------------------------------------------------------------------

def test_the_required_examples_exist():
    names = {p.stem for p in SCENARIOS}
    assert set(REQUIRED) <= names, sorted(set(REQUIRED) - names)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_validates(path, capsys):
    assert cli_main(["validate", str(path)]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_describes_real_and_stylised_facts(path):
    sc = a6sim.load_scenario(path)
    text = sc.model.description.lower()
    assert len(text) > 200, "each example says what it teaches"
    assert "stylised" in text and ("real" in text or "background" in text)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_runs_and_writes(path, tmp_path):
    out = tmp_path / "out"
    assert cli_main(["run", str(path), "--out", str(out), "--quiet"]) == 0
    for name in ("balances.csv", "attainment.csv", "ledger.csv", "holdings.csv", "flows.csv",
                 "integrity.csv", "structured_summary.csv", "summary.json"):
        assert (out / name).is_file(), name


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_invariants(path):
    r = run(path.stem)
    s = r.summary
    ledger = r.ledger
    # Units are created only by issuance and every issued tonne is somewhere:
    # issued = held + buffer + used (NDC, OIMP) + cancelled (voluntary, OMGE, reversal).
    assert s["issued"] == int(ledger.loc[ledger["action"] == "issuance", "quantity"].sum())
    assert s["issued"] == (s["held"] + s["buffer"] + s["used"] + s["used_oimp"] + s["voluntarily_cancelled"]
                           + s["omge_cancelled"] + s["reversal_cancelled"])
    # A unit is first-transferred at most once, and the summary counts exactly those rows.
    ft = ledger[ledger["first_transfer"].astype(bool)]
    assert s["first_transferred"] == int(ft["quantity"].sum())
    serials = ft["block"].str.rsplit("-", n=1, expand=True) if len(ft) else pd.DataFrame({0: [], 1: []})
    ranges = serials[1].str.split(":", expand=True).astype(int) if len(ft) else pd.DataFrame({0: [], 1: []})
    for _, group in ranges.groupby(serials[0]):
        spans = sorted(zip(group[0], group[1]))
        assert all(a_last < b_first for (_, a_last), (b_first, _) in zip(spans, spans[1:])), \
            "a serial first-transferred twice"
    # Nothing leaves a use or cancellation account.
    terminal = ledger["to_account"].str.endswith(("ndc-use", "oimp-use", "omge-cancellation",
                                                  "voluntary-cancellation", "reversal-cancellation"))
    assert not ledger["from_account"].isin(set(ledger.loc[terminal, "to_account"])).any()
    # The balances follow the rules of docs/how-a6sim-counts.md.
    parties = r.scenario.model.parties
    for _, row in r.balances.iterrows():
        ndc = parties[row["party"]].ndc
        if ndc is not None and ndc.method == "averaging":
            continue
        additions = row["first_transferred"] if parties[row["party"]].corresponding_adjustments else 0
        assert row["ca"] == additions - row["used"], row.to_dict()
        assert row["emissions_balance"] == row["inventory"] + row["ca"], row.to_dict()
    # Attainment: gap = balance - target, met when the gap is not positive.
    for _, row in r.attainment.iterrows():
        if pd.isna(row["balance"]):      # NDC period runs past the simulated period
            assert pd.isna(row["gap"]) and row["met"] is None
            continue
        assert row["gap"] == row["balance"] - row["target"]
        assert bool(row["met"]) == (row["gap"] <= 0)
    # Integrity: net_ca per year is the sum of the parties' ca; double claims only with the switch off.
    for _, row in r.integrity.iterrows():
        assert row["net_ca"] == r.balances.loc[r.balances["year"] == row["year"], "ca"].sum()
    if all(p.corresponding_adjustments for p in parties.values()):
        assert s["double_claimed"] == 0
        # Unless a party averages over the whole period, the applied adjustments add up to
        # first transfers (NDC and OIMP) minus NDC uses.
        if all(p.ndc is None or p.ndc.averaging_divisor == "elapsed" for p in parties.values()):
            assert s["net_ca_total"] == s["first_transferred"] - s["used"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_same_seed_same_results(path):
    a = a6sim.simulate(path).summary
    b = a6sim.simulate(path).summary
    assert a == b


# --------------------------------------------------------------------------------------
# 1. two_party_basic
# --------------------------------------------------------------------------------------

def test_two_party_basic():
    r = run("two_party_basic")
    s = r.summary
    # 1 Mt issued per vintage, vintages 2021-2030 (the 2030 vintage on 2031-06-29, inside
    # the simulated period): 10 x 1,000,000 = 10,000,000 issued, all sold (share 1, no cap).
    assert s["issued"] == 10 * MT
    assert s["first_transferred"] == 10 * MT
    # CHE: 45 Mt x 10 years = 450 Mt against a budget of 444: as-needed on 2030-12-31 uses
    # 450 - 444 = 6 Mt (it holds 9 Mt by then: vintages 2021-2029); the 2030 vintage
    # arrives 2031-07-29 when the budget is already met, so nothing more is used.
    assert s["used"] == 6 * MT
    assert bal(r, "CHE", 2030, "used") == 6 * MT
    assert bal(r, "CHE", 2030, "emissions_balance") == 45 * MT - 6 * MT      # 39 Mt
    assert_attainment(r, "CHE", balance=444 * MT, target=444 * MT, gap=0, met=True)
    # GHA: emissions 36 + (y - 2021) Mt; 2030: 45 - 1 (in-scope outcome) = 44 Mt inventory;
    # the 2030 vintage first transferred in 2031 is added for 2030 (vintage attribution):
    # balance 44 + 1 = 45 Mt <= 46 Mt target, gap -1 Mt.
    assert bal(r, "GHA", 2030, "inventory") == 44 * MT
    assert bal(r, "GHA", 2030, "first_transferred") == 1 * MT
    assert_attainment(r, "GHA", balance=45 * MT, target=46 * MT, gap=-1 * MT, met=True)
    # 2025: inventory 36 + 4 - 1 = 39 Mt, +1 Mt adjustment = 40 Mt; trajectory 37 + 4 = 41 Mt.
    assert bal(r, "GHA", 2025, "inventory") == 39 * MT
    assert bal(r, "GHA", 2025, "ca") == 1 * MT
    assert bal(r, "GHA", 2025, "emissions_balance") == 40 * MT
    assert bal(r, "GHA", 2025, "trajectory") == 41 * MT
    # net_ca: +1 Mt a year 2021-2029 (GHA only); 2030: +1 (GHA) - 6 (CHE) = -5 Mt.
    assert [integ(r, y, "net_ca") for y in range(2021, 2030)] == [1 * MT] * 9
    assert integ(r, 2030, "net_ca") == -5 * MT
    assert s["net_ca_total"] == 4 * MT                                        # 10 - 6
    # Value: 10,000,000 t x USD 20 = 200,000,000; no share of proceeds.
    assert s["value_paid"] == 200_000_000
    assert s["sop_value"] == 0
    # Left over: 4 Mt banked in CHE's holding (9 + 1 received - 6 used).
    assert s["held"] == 4 * MT
    assert s["violations"] == [] and s["omge_cancelled"] == 0 and s["double_claimed"] == 0


# --------------------------------------------------------------------------------------
# 2. singapore_mongolia
# --------------------------------------------------------------------------------------

def test_singapore_mongolia():
    r = run("singapore_mongolia")
    s = r.summary
    # 1,000,000 issued per vintage 2026-2030 (all issued by 2031-06-29): 5,000,000.
    assert s["issued"] == 5 * MT
    # OMGE 2% at issuance: floor(0.02 x 1,000,000) = 20,000 per vintage x 5 = 100,000,
    # cancelled in Mongolia's registry.
    assert s["omge_cancelled"] == 100_000
    assert ledger_sum(r, action="cancellation", to_account="MNG:omge-cancellation") == 100_000
    # Delivered (first transferred): 1,000,000 - 20,000 = 980,000 x 5 = 4,900,000.
    assert s["first_transferred"] == 4_900_000
    # Value paid at the delivery year's price: v2026 delivered 2027 (SGD 45), v2027 in 2028
    # (50), v2028 in 2029 (55, linear between 50 in 2028 and 60 in 2030), v2029 in 2030
    # (60), v2030 in 2031 (60, flat after 2030): 980,000 x (45+50+55+60+60) = 980,000 x 270
    # = 264,600,000 SGD; 5% of value to host adaptation = 13,230,000 SGD.
    assert s["value_paid"] == 264_600_000
    assert s["sop_value"] == 13_230_000
    flows = r.flows.set_index("year")
    assert int(flows.loc[2029, "value"]) == 980_000 * 55                    # 53,900,000
    # The share of proceeds is money only: no units to adaptation accounts.
    assert s["host_adaptation_units"] == 0 and s["adaptation_fund_units"] == 0
    # SGP: 62 Mt in 2030 against a 60 Mt target: as-needed uses 2,000,000 on 2030-12-31
    # (it holds 4 x 980,000 = 3,920,000); balance 60 Mt, gap 0.
    assert s["used"] == 2 * MT
    assert_attainment(r, "SGP", balance=60 * MT, target=60 * MT, gap=0, met=True)
    # MNG: inventory 40 - 1 = 39 Mt for 2026-2030, adds back 980,000 a year (not the
    # 20,000 cancelled): 2030 balance 39,980,000 against 40,000,000, gap -20,000.
    assert bal(r, "MNG", 2027, "emissions_balance") == 39_980_000
    assert_attainment(r, "MNG", balance=39_980_000, target=40 * MT, gap=-20_000, met=True)
    # net_ca 2030: +980,000 (MNG) - 2,000,000 (SGP) = -1,020,000; total 4,900,000 - 2,000,000.
    assert integ(r, 2030, "net_ca") == -1_020_000
    assert s["net_ca_total"] == 2_900_000
    # SGP keeps 3,920,000 - 2,000,000 + 980,000 (2031) = 2,900,000 units.
    assert s["held"] == 2_900_000
    # SGP trajectory: 62 Mt to 2025, then linear to 60 Mt in 2030: 2027 = 62 - 2 x 0.4 = 61.2 Mt.
    assert bal(r, "SGP", 2027, "trajectory") == 61_200_000
    assert s["violations"] == []


# --------------------------------------------------------------------------------------
# 3. swiss_programme
# --------------------------------------------------------------------------------------

def test_swiss_programme():
    r = run("swiss_programme")
    s = r.summary
    # Issued: GHA 0.5 Mt x 9 vintages (2022-2030) = 4,500,000; PER 1 Mt x 8 (2023-2030) =
    # 8,000,000; THA 0.2 Mt x 9 (2022-2030) = 1,800,000; total 14,300,000.
    assert s["issued"] == 14_300_000
    # Delivered: GHA up to the 3 Mt cap = vintages 2022-2027 (6 x 500,000); PER 60%:
    # 600,000 x 8 = 4,800,000; THA 200,000 x 9 = 1,800,000. Total 9,600,000.
    flows = r.flows.groupby("agreement")["quantity"].sum()
    assert flows.to_dict() == {"che-gha": 3_000_000, "che-per": 4_800_000, "che-tha": 1_800_000}
    assert s["first_transferred"] == 9_600_000
    # Value: 3,000,000 x 25 + 4,800,000 x 20 + 1,800,000 x 30 = 75 + 96 + 54 = 225,000,000 CHF.
    assert s["value_paid"] == 225_000_000
    # CHE: 450 Mt against 441: needs 9 Mt. By 2030-12-31 it holds 3.0 (GHA) + 4.2 (PER
    # v2023-2029) + 1.6 (THA v2022-2029) = 8.8 Mt and uses all of it; THA's 2030 vintage
    # arrives 2031-07-29 and 0.2 Mt of it is used (true-up, counted for 2030); PER's 2030
    # vintage arrives 2031-08-28 (60-day lag) when the budget is met and is banked.
    assert s["used"] == 9 * MT
    assert bal(r, "CHE", 2030, "used") == 9 * MT
    true_up = r.ledger[(r.ledger["action"] == "use") & (r.ledger["date"].dt.year == 2031)]
    assert int(true_up["quantity"].sum()) == 200_000
    assert set(true_up["activity"]) == {"tha-ebus"}
    assert_attainment(r, "CHE", balance=441 * MT, target=441 * MT, gap=0, met=True)
    # Hosts in 2030: GHA 40 - 0.5 = 39.5 Mt, nothing of vintage 2030 sold (cap): gap -0.5 Mt.
    # PER 60 - 1 + 0.6 = 59.6 Mt: gap -0.4 Mt. THA 50 - 0.2 + 0.2 = 50 Mt: gap 0.
    assert_attainment(r, "GHA", balance=39_500_000, target=40 * MT, gap=-500_000, met=True)
    assert_attainment(r, "PER", balance=59_600_000, target=60 * MT, gap=-400_000, met=True)
    assert_attainment(r, "THA", balance=50 * MT, target=50 * MT, gap=0, met=True)
    assert bal(r, "GHA", 2027, "first_transferred") == 500_000
    assert bal(r, "GHA", 2028, "first_transferred") == 0
    # Para 18: PER's authorisation (2023-03-01) predates its initial report (2024-09-01):
    # one violation, and the 2023 vintage (issued 2024-06-28) waits until 2024-09-01.
    assert [(v["kind"], v["agreement"], v["date"]) for v in s["violations"]] == \
        [("authorisation-before-initial-report", "che-per", "2023-03-01")]
    per_first = r.ledger[(r.ledger["agreement"] == "che-per") & r.ledger["first_transfer"].astype(bool)]
    assert per_first["date"].min() == datetime.datetime(2024, 9, 1)
    # Left: GHA 1,500,000 (v2028-2030) + PER 8 x 400,000 = 3,200,000 in the activity
    # accounts + 600,000 banked by CHE = 5,300,000 (14,300,000 issued - 9,000,000 used).
    assert s["held"] == 5_300_000
    # net_ca 2030: +0 (GHA) + 600,000 (PER) + 200,000 (THA) - 9,000,000 (CHE) = -8,200,000.
    assert integ(r, 2030, "net_ca") == -8_200_000
    assert s["net_ca_total"] == 600_000                                       # 9.6 - 9.0 Mt


# --------------------------------------------------------------------------------------
# 4. averaging_pitfall
# --------------------------------------------------------------------------------------

def test_averaging_pitfall():
    r = run("averaging_pitfall")
    s = r.summary
    # TRJ issues and sells 2 Mt a year, vintages 2021-2026: 12,000,000.
    assert s["first_transferred"] == 12 * MT
    # AVL (averaging, divisor 10 elapsed years): 2030 balance = 50 Mt + avg; each unit used
    # lowers avg by 1/10, so reaching 49 Mt takes 10 x 1 Mt = 10,000,000 units, used on
    # 2030-12-31; avg = -10,000,000 / 10 = -1,000,000.
    assert s["used"] == 10 * MT
    assert bal(r, "AVL", 2030, "used") == 10 * MT
    assert bal(r, "AVL", 2030, "ca") == -1 * MT
    assert bal(r, "AVL", 2021, "ca") == -1 * MT        # the average applies in every year
    assert bal(r, "AVL", 2030, "emissions_balance") == 49 * MT
    assert_attainment(r, "AVL", balance=49 * MT, target=49 * MT, gap=0, met=True)
    # Structured summary: cumulative net is 0 until 2029, -10 Mt in 2030; the average as
    # each year's report shows it: 0 in 2029, -10 Mt / 10 = -1 Mt in 2030.
    ss = r.structured_summary.set_index(["party", "year"])
    assert ss.loc[("AVL", 2030), "cumulative_net"] == -10 * MT
    assert ss.loc[("AVL", 2030), "averaging_amount"] == -1 * MT
    assert ss.loc[("AVL", 2029), "averaging_amount"] == 0
    # TRJ: emissions 34 - (y - 2021) Mt; 2030: 25 Mt, no outcome or adjustment in 2030:
    # balance 25 against 26, gap -1 Mt. 2023: 32 - 2 + 2 = 32 Mt.
    assert bal(r, "TRJ", 2023, "emissions_balance") == 32 * MT
    assert_attainment(r, "TRJ", balance=25 * MT, target=26 * MT, gap=-1 * MT, met=True)
    # The pitfall: net_ca = +2 (TRJ) - 1 (AVL) = +1 Mt in 2021-2026, -1 Mt in 2027-2030;
    # over the period +2 Mt (12 - 10), but -1 Mt in the target year.
    assert [integ(r, y, "net_ca") for y in range(2021, 2031)] == [1 * MT] * 6 + [-1 * MT] * 4
    assert integ(r, 2030, "net_ca") == -1 * MT
    assert s["net_ca_total"] == 2 * MT
    assert s["held"] == 2 * MT                                                # 12 - 10 banked
    assert s["violations"] == []


# --------------------------------------------------------------------------------------
# 5. host_oversells
# --------------------------------------------------------------------------------------

def test_host_oversells():
    r = run("host_oversells")
    s = r.summary
    # 2 Mt a year, vintages 2021-2030, all sold: 20,000,000 first transferred.
    assert s["first_transferred"] == 20 * MT
    # SLR: inventory 50 - 2 = 48 Mt a year, +2 Mt adjustment: balance 50 Mt every year;
    # 2030: 50 against 49 -> missed by 1 Mt (it had 1 Mt of headroom and sold 2).
    assert bal(r, "SLR", 2030, "inventory") == 48 * MT
    assert bal(r, "SLR", 2030, "emissions_balance") == 50 * MT
    assert_attainment(r, "SLR", balance=50 * MT, target=49 * MT, gap=1 * MT, met=False)
    # BYR uses at year end what it received that year: vintage y arrives in y+1, so 2 Mt
    # used in each of 2022-2029; 2030: 2 Mt (v2029) + 2 Mt used on 2031-12-31 (v2030, the
    # true-up, counted for 2030) = 4 Mt. Total 20 Mt.
    assert [bal(r, "BYR", y, "used") for y in range(2021, 2031)] == [0] + [2 * MT] * 8 + [4 * MT]
    assert s["used"] == 20 * MT
    # BYR: 30 Mt x 10 = 300 Mt - 20 Mt = 280 Mt against 285: gap -5 Mt.
    assert_attainment(r, "BYR", balance=280 * MT, target=285 * MT, gap=-5 * MT, met=True)
    # net_ca: 2021 +2 Mt (v2021 added, nothing used yet), 2022-2029 0, 2030 2 - 4 = -2 Mt.
    assert integ(r, 2021, "net_ca") == 2 * MT
    assert integ(r, 2025, "net_ca") == 0
    assert integ(r, 2030, "net_ca") == -2 * MT
    assert s["net_ca_total"] == 0
    assert s["value_paid"] == 20 * MT * 18                                   # 360,000,000
    assert s["held"] == 0 and s["violations"] == []


# --------------------------------------------------------------------------------------
# 6. article64_project
# --------------------------------------------------------------------------------------

def test_article64_project():
    r = run("article64_project")
    s = r.summary
    # Credited = floor(100,000 x 0.99^(v - 2026)): 100,000; 99,000; 98,010; 97,029
    # (97,029.9); 96,059 (96,059.601). Sum 490,098.
    issued = r.ledger[r.ledger["action"] == "issuance"].groupby("vintage")["quantity"].sum()
    assert issued.to_dict() == {2026: 100_000, 2027: 99_000, 2028: 98_010, 2029: 97_029, 2030: 96_059}
    assert s["issued"] == 490_098
    # Adaptation Fund 5%, each rounded down: 5,000; 4,950; 4,900 (4,900.5); 4,851 (4,851.45);
    # 4,802 (4,802.95) = 24,503.
    assert s["adaptation_fund_units"] == 24_503
    # OMGE 2%: 2,000; 1,980; 1,960 (1,960.2); 1,940 (1,940.58); 1,921 (1,921.18) = 9,801.
    assert s["omge_cancelled"] == 9_801
    assert ledger_sum(r, to_account="A6.4:omge-cancellation") == 9_801
    # Net: 93,000; 92,070; 91,150; 90,238; 89,336. Buyland's 80%: 74,400; 73,656;
    # 72,920; 72,190 (72,190.4); 71,468 (71,468.8) = 364,634 first transferred.
    assert s["first_transferred"] == 364_634
    assert bal(r, "HOS", 2029, "first_transferred") == 72_190
    # BUY: 100 Mt against 99.75 Mt: as-needed uses 250,000 on 2030-12-31.
    assert s["used"] == 250_000
    assert_attainment(r, "BUY", balance=99_750_000, target=99_750_000, gap=0, met=True)
    # HOS 2030: inventory 20,000,000 - 100,000 (realised, not credited) = 19,900,000;
    # + 71,468 first transferred = 19,971,468; gap -28,532 = 3,941 uncredited + 4,802 AF
    # + 1,921 OMGE + 17,868 unsold (all stay with the host).
    assert bal(r, "HOS", 2030, "inventory") == 19_900_000
    assert_attainment(r, "HOS", balance=19_971_468, target=20 * MT, gap=-28_532, met=True)
    # The unsold 20% stay in the mechanism registry as A6.4ERs: 18,600 + 18,414 + 18,230
    # + 18,048 + 17,868 = 91,160.
    end = r.holdings[r.holdings["date"] == r.holdings["date"].max()]
    at_activity = end[end["account"] == "A6.4:activity:hos-landfill-gas"]
    assert int(at_activity["quantity"].sum()) == 91_160
    assert set(at_activity["unit_type"]) == {"A6.4ER"}
    assert int(end.loc[end["account"] == "A6.4:adaptation-fund", "quantity"].sum()) == 24_503
    # Held: 91,160 (activity) + 24,503 (Adaptation Fund) + 114,634 (BUY: 364,634 - 250,000).
    assert s["held"] == 230_297
    assert s["value_paid"] == 364_634 * 12                                  # 4,375,608
    assert s["violations"] == []


# --------------------------------------------------------------------------------------
# 7. forest_removal_reversal
# --------------------------------------------------------------------------------------

def test_forest_removal_reversal():
    r = run("forest_removal_reversal")
    s = r.summary
    # 500,000 issued per vintage 2022-2028: 3,500,000; 4% buffer = 20,000 each; net 480,000;
    # Buyland's 75% = 360,000 each: 2,520,000 first transferred; 120,000 a vintage unsold.
    assert s["issued"] == 3_500_000
    assert s["first_transferred"] == 2_520_000
    assert ledger_sum(r, action="buffer") == 7 * 20_000                   # 140,000 at issuance
    # 2026-08-15, unavoidable 100,000: the pool holds 4 x 20,000 = 80,000 (v2022-2025),
    # all cancelled; 20,000 shortfall. 2027-09-01, avoidable 15,000: the pool holds
    # 20,000 (v2026), 15,000 cancelled, then 15,000 replenished from the unsold units.
    assert s["reversal_cancelled"] == 95_000
    assert ledger_sum(r, action="reversal") == 95_000
    assert ledger_sum(r, action="replenishment") == 15_000
    assert [(f["date"], f["activity"], f["quantity"]) for f in s["shortfalls"]] == \
        [("2026-08-15", "slv-forest", 20_000)]                             # 100,000 - 80,000
    assert s["violations"] == []
    # Pool at the end: 5,000 + 15,000 + 20,000 (v2027) + 20,000 (v2028) = 60,000.
    assert s["buffer"] == 60_000
    # Inventory: 10,000,000 - 500,000 in 2022-2028, + 100,000 in 2026, + 15,000 in 2027.
    assert bal(r, "SLV", 2026, "inventory") == 9_600_000
    assert bal(r, "SLV", 2027, "inventory") == 9_515_000
    assert bal(r, "SLV", 2028, "inventory") == 9_500_000
    # SLV: 3 x 10,000,000 + 7 x 9,500,000 + 115,000 = 96,615,000 + 2,520,000 adjustments =
    # 99,135,000 against 99,100,000: missed by 35,000 (it would have met it by 80,000
    # without the reversals).
    assert_attainment(r, "SLV", balance=99_135_000, target=99_100_000, gap=35_000, met=False)
    # BUY: 80 Mt against 78 Mt: uses 2,000,000 of its 2,520,000; gap 0.
    assert s["used"] == 2 * MT
    assert_attainment(r, "BUY", balance=78 * MT, target=78 * MT, gap=0, met=True)
    # Unsold units: 7 x 120,000 - 15,000 replenished = 825,000; held = 825,000 + 520,000.
    end = r.holdings[r.holdings["date"] == r.holdings["date"].max()]
    assert int(end.loc[end["account"] == "SLV:activity:slv-forest", "quantity"].sum()) == 825_000
    assert int(end.loc[end["account"] == "SLV:buffer", "quantity"].sum()) == 60_000
    assert s["held"] == 1_345_000


# --------------------------------------------------------------------------------------
# 8. corsia_airline
# --------------------------------------------------------------------------------------

def test_corsia_airline():
    r = run("corsia_airline")
    s = r.summary
    # Issued: 200,000 per vintage 2024-2029 (2030 would be issued in 2031): 1,200,000.
    assert s["issued"] == 1_200_000
    # Agreements cover vintages 2024-2026: Example Air 60% = 120,000, Sample Airways 40% =
    # 80,000 per vintage; all first transferred under an OIMP definition: 600,000.
    assert s["first_transferred"] == 600_000
    assert s["first_transferred_oimp"] == 600_000
    # No NDC use; the airlines use all 600,000 for OIMP (CORSIA).
    assert s["used"] == 0
    assert s["used_oimp"] == 600_000
    ft = r.ledger[r.ledger["first_transfer"].astype(bool)]
    by = ft.groupby(["agreement", "action"])["quantity"].sum().to_dict()
    # Example Air: first transfer on the authorisation row (3 x 120,000); Sample Airways:
    # on the use row, its year-end cancellation for CORSIA (3 x 80,000).
    assert by == {("vrd-airline-x", "authorization"): 360_000, ("vrd-airline-y", "use"): 240_000}
    # The 2024 vintage (issued 2025-06-29) waits for Example Air's letter of 2025-09-01
    # and is first transferred on that date.
    x = ft[ft["agreement"] == "vrd-airline-x"].sort_values("date")
    assert x["date"].iloc[0] == datetime.datetime(2025, 9, 1)
    # Sample Airways' 2024 vintage is delivered 2025-07-29 and first transferred at its
    # use on 2025-12-31.
    y = ft[ft["agreement"] == "vrd-airline-y"].sort_values("date")
    assert y["date"].iloc[0] == datetime.datetime(2025, 12, 31)
    # VRD adds 200,000 for each vintage 2024-2026 (vintage attribution), all OIMP.
    for year in (2024, 2025, 2026):
        assert bal(r, "VRD", year, "first_transferred") == 200_000
        assert bal(r, "VRD", year, "first_transferred_oimp") == 200_000
        assert bal(r, "VRD", year, "emissions_balance") == 20 * MT            # 19.8 + 0.2
    assert bal(r, "VRD", 2027, "first_transferred") == 0
    # 2030: the unsold 2030 outcome lowers the inventory (20,000,000 - 200,000) though it is
    # never issued in the run: 19,800,000 against 19,900,000, gap -100,000.
    assert_attainment(r, "VRD", balance=19_800_000, target=19_900_000, gap=-100_000, met=True)
    # SGP has no NDC in this file: only VRD has an attainment row.
    assert list(r.attainment["party"]) == ["VRD"]
    assert s["value_paid"] == 600_000 * 22                                   # 13,200,000
    # Unsold vintages 2027-2029 stay with the activity: 3 x 200,000.
    assert s["held"] == 600_000
    assert s["double_claimed"] == 0 and s["violations"] == []


# --------------------------------------------------------------------------------------
# 9. revocation
# --------------------------------------------------------------------------------------

def test_revocation():
    r = run("revocation")
    s = r.summary
    # 1 Mt issued per vintage 2022-2029 (2029 on 2030-06-29): 8,000,000.
    assert s["issued"] == 8 * MT
    # FlyAir (OIMP, first transfer at use): vintages 2022-2025 delivered (500,000 each);
    # 2022-2024 cancelled at year end 2023-2025 -> first transferred, 1,500,000. The 2025
    # vintage, delivered 2026-07-29, loses its authorisation on 2026-09-01; its year-end
    # use is refused (one violation) and it stays with FlyAir. Nothing more delivered.
    assert s["used_oimp"] == 1_500_000
    assert s["first_transferred_oimp"] == 1_500_000
    assert ledger_sum(r, action="revocation", agreement="hsl-air") == 500_000
    assert int(r.flows.loc[r.flows["agreement"] == "hsl-air", "quantity"].sum()) == 2 * MT  # 4 x 500,000
    assert [(v["date"], v["kind"], v["agreement"], v["quantity"]) for v in s["violations"]] == \
        [("2026-12-31", "use-refused", "hsl-air", 500_000)]
    end = r.holdings[r.holdings["date"] == r.holdings["date"].max()]
    fly = end[end["account"] == "BYR:entity:fly-air"]
    assert int(fly["quantity"].sum()) == 500_000
    assert set(fly["unit_type"]) == {"MO"}
    # Buyerland (NDC, scope unissued on 2027-08-01): vintages 2022-2026 (the 2026 vintage
    # issued 2027-06-29, before the revocation) are authorised and first transferred on
    # delivery: 5 x 500,000 = 2,500,000. Later vintages are not authorised.
    ndc_ft = r.ledger[(r.ledger["agreement"] == "hsl-byr") & r.ledger["first_transfer"].astype(bool)]
    assert int(ndc_ft["quantity"].sum()) == 2_500_000
    assert sorted(ndc_ft["vintage"].unique()) == [2022, 2023, 2024, 2025, 2026]
    assert s["first_transferred"] == 4 * MT                                 # 1.5 + 2.5 Mt
    # After the unissued-scope revocation nothing more is delivered under hsl-byr: its last
    # delivery is the 2026 vintage on 2027-09-27 (90-day lag). The activity account keeps
    # FlyAir's undelivered half of 2026 (500,000) and all of 2027-2029 (3 x 1,000,000).
    assert r.flows.loc[r.flows["agreement"] == "hsl-byr", "year"].max() == 2027
    assert int(end.loc[end["account"] == "HSL:activity:hsl-hydro", "quantity"].sum()) == 3_500_000
    # HSL adds: 2022-2024 1 Mt (both buyers), 2025 0.5 Mt (Buyerland only), 2026 0.5 Mt,
    # 2027-2029 nothing.
    assert [bal(r, "HSL", y, "first_transferred") for y in range(2022, 2030)] == \
        [MT, MT, MT, 500_000, 500_000, 0, 0, 0]
    # HSL budget: 30 x 2 (2021, 2030) + 29 x 8 = 292 Mt + 4 Mt adjustments = 296 Mt against
    # 297: gap -1 Mt (selling everything would have meant 300 Mt, a 3 Mt miss).
    assert_attainment(r, "HSL", balance=296 * MT, target=297 * MT, gap=-1 * MT, met=True)
    # BYR: 200 Mt against 198: uses 2,000,000 authorised units on 2030-12-31.
    assert s["used"] == 2 * MT
    assert_attainment(r, "BYR", balance=198 * MT, target=198 * MT, gap=0, met=True)


# --------------------------------------------------------------------------------------
# 10. double_claiming
# --------------------------------------------------------------------------------------

def test_double_claiming():
    r = run("double_claiming")
    s = r.summary
    # 1 Mt a year from each host, vintages 2022-2026: 10,000,000 delivered and used on
    # receipt (2 Mt a year, 2023-2027).
    assert s["used"] == 10 * MT
    assert [bal(r, "BYR", y, "used") for y in range(2023, 2028)] == [2 * MT] * 5
    # Units used from NOC (switch off): 5 x 1,000,000 = 5,000,000 double claimed,
    # 1,000,000 in each year of use 2023-2027.
    assert s["double_claimed"] == 5 * MT
    assert [integ(r, y, "double_claimed") for y in range(2023, 2028)] == [MT] * 5
    # CAD: 10 - 1 + 1 = 10 Mt in 2022-2026: 100 Mt, gap 0. NOC skips its additions:
    # 10 - 1 = 9 Mt in 2022-2026: 95 Mt, "beats" its budget by 5 Mt.
    assert bal(r, "NOC", 2024, "ca") == 0
    assert bal(r, "NOC", 2024, "emissions_balance") == 9 * MT
    assert_attainment(r, "CAD", balance=100 * MT, target=100 * MT, gap=0, met=True)
    assert_attainment(r, "NOC", balance=95 * MT, target=100 * MT, gap=-5 * MT, met=True)
    # BYR: 200 - 10 = 190 Mt, gap 0.
    assert_attainment(r, "BYR", balance=190 * MT, target=190 * MT, gap=0, met=True)
    # Sum of adjustments: +5 (CAD) - 10 (BYR) = -5 Mt = - double claimed. By year: 2022
    # +1 (CAD v2022), 2023-2026 +1 - 2 = -1, 2027 -2.
    assert s["net_ca_total"] == -5 * MT
    assert [integ(r, y, "net_ca") for y in range(2022, 2028)] == [MT, -MT, -MT, -MT, -MT, -2 * MT]
    # The world's balances understate its emissions by the double claim:
    # inventories 200 + 95 + 95 = 390 Mt, balances 190 + 100 + 95 = 385 Mt.
    total_inventory = int(r.integrity["inventory_total"].sum())
    total_balance = int(r.integrity["balance_total"].sum())
    assert (total_inventory, total_balance) == (390 * MT, 385 * MT)


# --------------------------------------------------------------------------------------
# Economics examples (docs/economics.md): costs in the file's currency
# --------------------------------------------------------------------------------------

def econ(r, party) -> dict:
    return r.summary["economics"]["parties"][party]


def test_china_ccer_costs():
    r = run("china_ccer_costs")
    t = r.economics.set_index(["party", "year"])
    # CHN, single-year trajectory NDC: only 2030 counts. No deals: inventory 11,500 - 10 =
    # 11,490 Mt against 11,450: cut 40 Mt more; with the 10 Mt activity, 50 Mt on the curve
    # [[0,0],[25,54.22],[50,93],[100,200]]: 25*54.22/2 + 25*(54.22+93)/2 = 677.75 + 1,840.25
    # = CNY 2,518 M. With the deals the 2030 vintage's 10 Mt is added back: 60 Mt,
    # MAC(60) = 93 + 10*107/50 = 114.4; the extra 10 Mt cost 10*(93+114.4)/2 = CNY 1,037 M.
    assert t.loc[("CHN", 2030), "abatement_cost_no_deals"] == pytest.approx(2_518e6)
    assert t.loc[("CHN", 2030), "marginal_cost"] == pytest.approx(114.4)
    assert econ(r, "CHN")["adjustment_abatement"] == pytest.approx(10e6)
    assert econ(r, "CHN")["adjustment_cost"] == pytest.approx(1_037e6)
    # Revenue: 6 vintages x 10 Mt x 70 = CNY 4,200 M; saving 4,200 - 1,037 = 3,163 M.
    assert econ(r, "CHN")["itmo_revenue"] == pytest.approx(4_200e6)
    assert econ(r, "CHN")["saving"] == pytest.approx(3_163e6)
    # BYL, budget 3,950 = 4,000 - 50 Mt: alone, 5 Mt a year on 60 + 10q: 300 + 125 = 425 M a
    # year, 4,250 M. With the deals it pays 60 Mt x 70 = 4,200 M (uses 50, banks 10): saves 50 M.
    assert econ(r, "BYL")["net_cost_no_deals"] == pytest.approx(4_250e6)
    assert econ(r, "BYL")["itmo_paid"] == pytest.approx(4_200e6)
    assert econ(r, "BYL")["saving"] == pytest.approx(50e6)


def test_singapore_mongolia_costs():
    r = run("singapore_mongolia_costs")
    assert r.summary["economics"]["mode"] == "least-cost"
    sgp, mng = econ(r, "SGP"), econ(r, "MNG")
    # Delivered 4.9 Mt for SGD 264.6 M, +5% share of proceeds: 277.83 M / 4.9 Mt = 56.7 per t.
    # SGP abates while 40 + 40q < 56.7: q = 0.4175 Mt, cost 40*0.4175 + 40*0.4175^2/2 =
    # 16.7 + 3.486125 = 20.186125 M; buys 2 - 0.4175 = 1.5825 Mt.
    assert sgp["abatement_needed"] == pytest.approx(417_500)
    assert sgp["abatement_cost"] == pytest.approx(20_186_125)
    assert sgp["itmo_acquired"] == pytest.approx(1_582_500)
    # It pays 1.5825/4.9 of the deliveries: 85.455 M + 4.27275 M share of proceeds; net
    # 109.913875 M against 160 M alone (40*2 + 40*4/2): saves 50.086125 M.
    assert sgp["itmo_paid"] == pytest.approx(85_455_000)
    assert sgp["net_cost_no_deals"] == pytest.approx(160e6)
    assert sgp["saving"] == pytest.approx(50_086_125)
    # MNG first transfers 0.98 x 0.32296 = 0.3165 Mt of its 2030 vintage: 39 + 0.3165 < 39.5,
    # so no extra cut; it earns 85.455 M (and 4.27275 M for adaptation).
    assert mng["adjustment_abatement"] == pytest.approx(0, abs=1e-6)
    assert mng["saving"] == pytest.approx(85_455_000)
    assert mng["sop_received"] == pytest.approx(4_272_750)
    # As the deals ran (all 4.9 Mt bought, 2 used), SGP would have paid 277.83 M: a loss of 117.83 M.
    from a6sim.economics import economics
    assert economics(r, "deals").summary["parties"]["SGP"]["saving"] == pytest.approx(-117_830_000)


def test_gcam_world_market():
    r = run("gcam_world_market")
    m = r.summary["economics"]
    # Cuts G (Mt): 1500, 700, 300, 1500, 500, 700, 2500 = 7,700; MAC = b*q, so at a price P
    # each cuts P/b: P = 7,700 / sum(1/b) = 7,700 / 281.2088 = 27.3818 USD/t.
    assert m["market"]["years"]["2030"]["price"] == pytest.approx(27.3818, abs=1e-4)
    # Alone: sum(b*G^2/2) = 78,750 + 49,000 + 27,000 + 14,625 + 2,500 + 4,900 + 37,500 =
    # USD 214,275 M. Trading: P^2 * sum(1/b) / 2 = 105,420 M. Saving 108,855 M = 50.8%.
    assert m["total"]["net_cost_no_deals"] == pytest.approx(214_275e6)
    assert m["total"]["saving"] == pytest.approx(108_855e6, rel=1e-4)
    assert m["total"]["saving"] / m["total"]["net_cost_no_deals"] == pytest.approx(0.508, abs=1e-3)
    # Japan (b = 0.6) buys 300 - 27.3818/0.6 = 254.36 Mt; India (b = 0.02) sells 1,369.09 - 500.
    t = r.economics.set_index("party")
    assert t.loc["JPN", "itmo_acquired"] == pytest.approx(254.3637e6, rel=1e-6)
    assert t.loc["IND", "itmo_transferred"] == pytest.approx(869.0895e6, rel=1e-6)
    # Every region gains.
    assert all(p["saving"] > 0 for p in m["parties"].values())


def test_recorded_history():
    # Format v2. Recorded: GHA-CHE-1 (NDC, 2023-06-01) covers VCS 2250 vintage 2023
    # (5,000 t, issued 2023-12-20) and vintage 2024 (4,000 t, 2024-08-01); GHA-OIMP-1
    # (OIMP, "2024" = 1 July, first transfer at authorisation) covers GS 11732 vintage
    # 2023 (1,000 t, issued 2024-03-10 into the GS registry).
    #   2024-02-01 GHA -> CHE 5,000 and 2024-09-01 4,000: first transfers (9,000 in 2024)
    #   2024-07-01 the GS block is authorised: first transferred (1,000, OIMP, 2024)
    #   2024-10-01 CHE -> SWE 1,000: onward, no addition
    #   CHE uses 3,000 (2024-12-15), SWE 1,000 (2025-03-01 for use_year 2024), the
    #   airline 1,000 for OIMP.
    # Modelled: gha-solar 2,000 t for vintages 2025-2029, issued 180 days after each
    # year end, delivered 30 days later (2026-2030): 5 x 2,000 first transferred.
    # GHA inventory 1,000,000 - 2,000 in 2025-2029. Additions by vintage: 2023 6,000,
    # 2024 4,000, 2025-2029 2,000 each. GHA balance sum: 1,006,000 + 1,004,000 + 6 x
    # 1,000,000 = 8,010,000 against 8,100,000 (gap -90,000).
    # CHE: 8 x 500,000 - 3,000 = 3,997,000; as-needed on 2030-12-31 uses 7,000 of the
    # solar units (only the agreement's units): 3,990,000 = budget, gap 0.
    # SWE: 8 x 300,000 - 1,000 = 2,399,000 = budget.
    r = run("recorded_history")
    s = r.summary
    assert (s["issued"], s["first_transferred"], s["used"], s["used_oimp"]) == (20_000, 20_000, 11_000, 1_000)
    assert s["double_claimed"] == 0 and s["held"] == 8_000   # 5,000 recorded + 3,000 solar left
    assert_attainment(r, "GHA", balance=8_010_000, target=8_100_000, gap=-90_000, met=True)
    assert_attainment(r, "CHE", balance=3_990_000, target=3_990_000, gap=0, met=True)
    assert_attainment(r, "SWE", balance=2_399_000, target=2_399_000, gap=0, met=True)
    ss = r.structured_summary.set_index(["party", "year"])
    assert ss.loc[("GHA", 2024), "first_transferred_ndc"] == 9_000
    assert ss.loc[("GHA", 2024), "first_transferred_oimp"] == 1_000
    assert ss.loc[("GHA", 2024), "oimp_authorised_entities"] == "airline-x"
    assert ss.loc[("GHA", 2023), "first_transferred_by_vintage"] == 6_000
    assert ss.loc[("GHA", 2030), "cumulative_net"] == 20_000
    assert ss.loc[("SWE", 2024), "used"] == 1_000
    assert ss.loc[("CHE", 2030), "used"] == 7_000
    assert (r.ledger["action"] == "acquisition").sum() == 4 + 5   # 4 recorded transfers, 5 deliveries


# --------------------------------------------------------------------------------------
# secondary_market
# --------------------------------------------------------------------------------------

def test_secondary_market():
    r = run("secondary_market")
    s = r.summary
    # 100,000 t a year, vintages 2021-2024, issued 180 days after each year (2022-06-29,
    # 2023-06-29, 2024-06-28, 2025-06-29), half to TRD, half to carbon-desk, delivered
    # 30 days later: 4 x 50,000 each.
    assert s["issued"] == 400_000
    # TRD's deliveries cross to its registry: first transfers, HST adds 50,000 each year
    # 2022-2025. carbon-desk is in HST's registry: its deliveries are plain transfers.
    ft = r.ledger[r.ledger["first_transfer"].astype(bool)]
    assert int(ft.loc[ft["to_account"] == "TRD:holding", "quantity"].sum()) == 200_000
    assert ledger_sum(r, action="transfer", to_account="HST:entity:carbon-desk") == 200_000
    # trd-byr, each 31 December: 2023 TRD holds 100,000 -> 80,000 (50,000 of vintage 2021
    # and 30,000 of 2022, oldest first); 2024 it holds 20,000 + 50,000 = 70,000 -> 70,000,
    # 10,000 short; 2025 it holds 50,000 -> 50,000, 30,000 short. No addition for any of
    # it: those units were first-transferred to TRD.
    trd = r.flows[r.flows["agreement"] == "trd-byr"]
    assert list(zip(trd["year"], trd["quantity"], trd["value"])) == [
        (2023, 80_000, 1_200_000.0), (2024, 70_000, 1_050_000.0), (2025, 50_000, 750_000.0)]   # x USD 15
    assert [(x["date"], x["kind"], x["quantity"]) for x in s["shortfalls"]] == [
        ("2024-12-31", "resale-delivery", 10_000), ("2025-12-31", "resale-delivery", 30_000)]
    assert ledger_sum(r, action="transfer", from_account="TRD:holding") == 200_000
    # desk-byr on 2025-09-30: 200,000 out of HST's registry, the units' first international
    # transfer: HST adds them then (50,000 of each vintage 2021-2024); 200,000 x 14.
    desk = r.ledger[(r.ledger["from_account"] == "HST:entity:carbon-desk")]
    assert set(desk["action"]) == {"first-transfer"} and int(desk["quantity"].sum()) == 200_000
    assert int(r.flows.loc[r.flows["agreement"] == "desk-byr", "value"].sum()) == 2_800_000
    # HST's additions by vintage: 50,000 (to TRD) + 50,000 (via carbon-desk) for each of
    # 2021-2024; Table 4 by the year of the first transfer: 50,000 in 2022-2024, and
    # 50,000 + 200,000 = 250,000 in 2025.
    assert [bal(r, "HST", y, "ca") for y in range(2021, 2026)] == [100_000] * 4 + [0]
    ss = r.structured_summary
    assert list(ss.loc[ss["party"] == "HST", "first_transferred_ndc"]) == [0, 50_000, 50_000, 50_000, 250_000]
    # HST: inventory 900,000 x 4 + 1,000,000 = 4,600,000, + 400,000 added = 5,000,000
    # against 5,100,000. TRD uses nothing and adjusts nothing (it resold all 200,000).
    assert_attainment(r, "HST", balance=5_000_000, target=5_100_000, gap=-100_000, met=True)
    assert [bal(r, "TRD", y, "ca") for y in range(2021, 2026)] == [0] * 5
    # BYR: 10,000,000 against 9,650,000: the true-up on 2025-12-31 uses 350,000 of the
    # 400,000 it received (oldest vintage first), and banks 50,000 of vintage 2024.
    assert_attainment(r, "BYR", balance=9_650_000, target=9_650_000, gap=0, met=True)
    assert s["used"] == 350_000 and bal(r, "BYR", 2025, "ca") == -350_000
    end = r.holdings[r.holdings["date"] == r.holdings["date"].max()]
    assert int(end.loc[end["account"] == "BYR:holding", "quantity"].sum()) == 50_000
    # net over the parties: +400,000 - 350,000
    assert s["net_ca_total"] == 50_000 and s["double_claimed"] == 0


def test_bundled_files_cite_their_sources_by_name_not_by_a_reference_number():
    # "[seed 004]" named a file of the research notes, which no user has, beside the scenario's
    # random `seed:` (13): a reader cannot tell the two apart. Sources are cited by title.
    import re
    cited = {p.relative_to(SCENARIO_DIR).as_posix(): m.group()
             for p in SCENARIO_DIR.rglob("*.yaml") for m in [re.search(r"seed \d{3}\b", p.read_text("utf-8"))] if m}
    assert cited == {}
