"""Exports: results.xlsx (--format xlsx), iamc.csv (IAMC long format), scenario.yaml (as run)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import a6sim
from a6sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASIC = ROOT / "scenarios" / "two_party_basic.yaml"


@pytest.fixture(scope="module")
def basic_xlsx(tmp_path_factory):
    out = tmp_path_factory.mktemp("x") / "out"
    assert main(["run", str(BASIC), "--out", str(out), "--format", "xlsx", "--quiet"]) == 0
    return out


def test_xlsx_has_a_sheet_per_table_with_units_in_the_headers(basic_xlsx):
    import openpyxl
    names = sorted(p.name for p in basic_xlsx.iterdir())
    assert names == [".a6sim-manifest.json", "aef", "iamc.csv", "results.xlsx", "scenario.yaml", "summary.json"]
    wb = openpyxl.load_workbook(basic_xlsx / "results.xlsx")
    assert wb.sheetnames == ["balances", "attainment", "ledger", "holdings", "flows", "integrity",
                             "structured_summary", "iamc", "summary"]
    flows = wb["flows"]
    assert [c.value for c in flows[1]] == ["year", "from_party", "to_party", "agreement", "quantity (tCO2e)",
                                           "value (USD)"]
    # vintage 2021 is delivered in 2022: 1 Mt at USD 20/t = USD 20,000,000
    assert [c.value for c in flows[2]] == [2022, "GHA", "CHE", "che-gha", 1_000_000, 20_000_000]
    assert flows["F2"].number_format == "#,##0.00" and flows["E2"].number_format == "#,##0"
    assert flows.freeze_panes == "A2" and flows["A1"].font.bold
    bal = wb["balances"]
    head = [c.value for c in bal[1]]
    assert head[:3] == ["party", "year", "inventory (tCO2e)"] and "emissions_balance (tCO2e)" in head
    r = a6sim.simulate(BASIC)
    assert bal.max_row == len(r.balances) + 1
    # Switzerland's 2030 balance: 45 Mt emitted - 6 Mt used = 39 Mt
    rows = {(row[0].value, row[1].value): row for row in bal.iter_rows(min_row=2)}
    assert rows[("CHE", 2030)][head.index("emissions_balance (tCO2e)")].value == 39_000_000
    ledger = wb["ledger"]
    assert ledger.max_row == len(r.ledger) + 1
    date_col = [c.value for c in ledger[1]].index("date")
    assert ledger.cell(row=2, column=date_col + 1).value.year == 2022   # first issuance 2022-06-29
    summary = {row[0].value: (row[1].value, row[2].value) for row in wb["summary"].iter_rows(min_row=2)}
    assert summary["issued"] == (10_000_000, "tCO2e") and summary["value_paid"][1] == "USD"
    iamc = wb["iamc"]
    assert [c.value for c in iamc[1]] == ["model", "scenario", "region", "variable", "unit", "year", "value"]



def test_every_quantity_column_of_the_workbook_carries_its_unit(basic_xlsx):
    # The structured summary's first_transferred_ndc and first_transferred_by_vintage were
    # written as bare names in General format beside "first_transferred_oimp (tCO2e)".
    # Every column that holds numbers is a count of tonnes or money with a unit, or one of
    # these (years, ids, counts, flags).
    import openpyxl
    unitless = {"year", "vintage", "seq", "period_start", "period_end", "target_year", "averaging_divisor",
                "value", "number", "met", "first_transfer"}   # iamc value / summary number: unit column beside
    wb = openpyxl.load_workbook(basic_xlsx / "results.xlsx")
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        for i, name in enumerate(head):
            cells = [row[i] for row in ws.iter_rows(min_row=2, max_row=min(ws.max_row, 400))]
            numbers = [c for c in cells if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
            if numbers and name not in unitless:
                assert name.endswith(("(tCO2e)", "(USD)", "(USD/tCO2e)")), (ws.title, name)
                assert numbers[0].number_format != "General", (ws.title, name)
    ss = [c.value for c in wb["structured_summary"][1]]
    assert "first_transferred_ndc (tCO2e)" in ss and "first_transferred_by_vintage (tCO2e)" in ss

def test_iamc_table_follows_the_conventions(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(BASIC), "--out", str(out), "--quiet"]) == 0
    df = pd.read_csv(out / "iamc.csv")
    assert list(df.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert set(df["model"]) == {f"a6sim {a6sim.__version__}"}
    assert set(df["scenario"]) == {"Two-party basic deal (Switzerland buys cookstove ITMOs from Ghana)"}
    assert set(df["region"]) == {"CHE", "GHA", "World"}
    # IAMC variable names: levels joined by "|", each level words without leading/trailing space
    for v in df["variable"].unique():
        assert all(level and level == level.strip() for level in v.split("|")), v
    assert set(df.loc[df["unit"] != "million USD/yr", "unit"]) == {"Mt CO2-equiv/yr"}
    assert not df.duplicated(["model", "scenario", "region", "variable", "year"]).any()

    def value(region, variable, year):
        rows = df[(df.region == region) & (df.variable == variable) & (df.year == year)]
        assert len(rows) == 1, (region, variable, year)
        return rows.iloc[0]["value"]

    # Ghana: inventory 36 Mt in 2021 + 1 Mt a year, less the 1 Mt cookstove outcome = 44 Mt
    # in 2030; it first-transfers 1 Mt of each vintage (counted for the vintage year), its
    # corresponding adjustment +1 Mt, balance 45 Mt. Switzerland: 45 Mt, uses 6 Mt in
    # 2030 (as-needed): adjustment -6, balance 39 Mt. World: net adjustment 1 - 6 = -5 Mt.
    assert value("GHA", "Emissions|Kyoto Gases", 2030) == 44.0
    assert value("GHA", "Article 6|ITMOs|First Transferred", 2030) == 1.0
    assert value("GHA", "Article 6|Corresponding Adjustment", 2030) == 1.0
    assert value("GHA", "Article 6|Emissions Balance", 2030) == 45.0
    assert value("CHE", "Emissions|Kyoto Gases", 2030) == 45.0
    assert value("CHE", "Article 6|ITMOs|Used", 2030) == 6.0
    assert value("CHE", "Article 6|Emissions Balance", 2030) == 39.0
    # Ghana's single-year target (46 Mt in 2030) is a figure of its year; Switzerland's
    # budget is a sum over the period, not a yearly figure: no NDC Target rows
    assert value("GHA", "Article 6|NDC Target", 2030) == 46.0
    assert not ((df.region == "CHE") & (df.variable == "Article 6|NDC Target")).any()
    assert value("World", "Article 6|Net Corresponding Adjustment", 2030) == -5.0
    # deliveries: 1 Mt a year in 2022-2031, USD 20/t -> USD 20 million a year
    assert value("CHE", "Article 6|ITMOs|Acquired", 2022) == 1.0
    assert value("GHA", "Article 6|ITMOs|Delivered", 2031) == 1.0
    assert value("CHE", "Article 6|ITMOs|Value Paid", 2025) == 20.0


def test_iamc_table_reads_into_pyam(tmp_path):
    pyam = pytest.importorskip("pyam")   # an optional extra: pip install pyam-iamc
    out = tmp_path / "out"
    assert main(["run", str(BASIC), "--out", str(out), "--quiet"]) == 0
    df = pyam.IamDataFrame(str(out / "iamc.csv"))
    assert "Emissions|Kyoto Gases" in df.variable and "World" in df.region


def test_scenario_yaml_is_the_scenario_as_run(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(BASIC), "--out", str(out), "--quiet"]) == 0
    assert (out / "scenario.yaml").read_text(encoding="utf-8") == BASIC.read_text(encoding="utf-8")
    assert main(["run", str(BASIC), "--out", str(out), "--quiet", "--seed", "7"]) == 0
    text = (out / "scenario.yaml").read_text(encoding="utf-8")
    assert re.search(r"^seed: 7  # the seed of this run \(the file says 1\)$", text, re.M)
    again = a6sim.load_scenario(out / "scenario.yaml")
    assert again.seed == 7
    assert again == a6sim.load_scenario(BASIC).with_seed(7)   # the same validated scenario


def test_a_scenario_built_in_code_is_written_as_yaml(tmp_path):
    data = a6sim.load_scenario(BASIC).to_dict()
    sc = a6sim.scenario_from_dict(data, "built in code")
    a6sim.simulate(sc).write(tmp_path / "out")
    back = a6sim.load_scenario(tmp_path / "out" / "scenario.yaml")
    assert back == sc
