"""``a6sim compare``: differences per party and year, per NDC and in the run totals."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from a6sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASIC = ROOT / "scenarios" / "two_party_basic.yaml"


def _tighter(tmp_path: Path) -> Path:
    """two_party_basic with Switzerland's budget 1 Mt tighter (443 instead of 444 Mt)."""
    text = BASIC.read_text(encoding="utf-8")
    assert "budget: 444}" in text
    path = tmp_path / "tighter.yaml"
    path.write_text(text.replace("budget: 444}", "budget: 443}"), encoding="utf-8")
    return path


def _figure(df: pd.DataFrame, table: str, field: str, party=None, year=None) -> pd.Series:
    rows = df[(df["table"] == table) & (df["field"] == field)]
    if party is not None:
        rows = rows[rows["party"] == party]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, (table, field, party, year)
    return rows.iloc[0]


def test_a_tighter_budget_against_the_basic_deal(tmp_path, capsys):
    # Base: CHE emits 45 Mt a year, 450 Mt in 2021-2030 against a 444 Mt budget; as-needed
    # it uses 6 Mt at the end of 2030: balance 444, gap 0. With a 443 Mt budget it uses
    # 7 Mt: balance 443, gap 0 again; target and balance -1 Mt; its 2030 emissions
    # balance 45 - 6 = 39 Mt becomes 45 - 7 = 38 Mt. Ghana is untouched (it first
    # transfers all 10 Mt either way). Totals: used 6 -> 7 Mt, held 4 -> 3 Mt, net
    # corresponding adjustments +10 - 6 = 4 -> +10 - 7 = 3 Mt; issued, value paid same.
    out = tmp_path / "diff.csv"
    assert main(["compare", str(BASIC), str(_tighter(tmp_path)), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "tighter against two_party_basic" in text and "every compared figure in" in text
    df = pd.read_csv(out)
    assert list(df.columns) == ["against", "table", "party", "year", "period", "field", "base", "value",
                                "difference"]
    assert set(df["against"]) == {"tighter"}
    che = _figure(df, "attainment", "target", party="CHE")
    assert (che["period"], che["base"], che["value"], che["difference"]) == ("2021-2030", 444e6, 443e6, -1e6)
    assert _figure(df, "attainment", "balance", party="CHE")["difference"] == -1_000_000
    assert _figure(df, "attainment", "gap", party="CHE")["difference"] == 0
    assert _figure(df, "attainment", "met", party="CHE")[["base", "value"]].tolist() == [1, 1]
    b = _figure(df, "balances", "emissions_balance", party="CHE", year=2030)
    assert (b["base"], b["value"], b["difference"]) == (39_000_000, 38_000_000, -1_000_000)
    assert _figure(df, "balances", "used", party="CHE", year=2030)["difference"] == 1_000_000
    gha = df[(df["table"] == "balances") & (df["party"] == "GHA")]
    assert len(gha) > 0 and (gha["difference"].fillna(0) == 0).all()
    totals = df[df["table"] == "totals"].set_index("field")["difference"]
    assert totals["used"] == 1_000_000 and totals["held"] == -1_000_000
    assert totals["net_ca_total"] == -1_000_000
    assert totals["issued"] == 0 and totals["value_paid"] == 0
    # the terminal lists the one party-year whose emissions balance changed
    assert "1 of 22 party-years differ" in text


def test_result_folders_compare_like_their_scenarios(tmp_path, capsys):
    tighter = _tighter(tmp_path)
    assert main(["run", str(BASIC), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert main(["run", str(tighter), "--out", str(tmp_path / "b"), "--quiet", "--format", "parquet"]) == 0
    assert main(["compare", str(BASIC), str(tighter), "--out", str(tmp_path / "s.csv")]) == 0
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "f.csv")]) == 0
    by_scenario, by_folder = pd.read_csv(tmp_path / "s.csv"), pd.read_csv(tmp_path / "f.csv")
    cols = ["table", "party", "year", "period", "field", "base", "value", "difference"]
    pd.testing.assert_frame_equal(by_scenario[cols], by_folder[cols], check_dtype=False)


def test_a_run_against_itself_differs_nowhere(capsys):
    assert main(["compare", "two_party_basic", "two_party_basic"]) == 0
    text = capsys.readouterr().out
    assert "two_party_basic (2) against two_party_basic" in text
    assert "every run total is the same" in text and "0 of 22 party-years differ" in text


@pytest.mark.parametrize("args, message", [
    (["compare", "two_party_basic"], "at least two runs"),
    (["compare", "two_party_basic", "no_such_thing"], "no_such_thing: no such file, result folder or bundled"),
    (["compare", "two_party_basic", "two_party_basic", "--out", "diff.txt"], "ending in .csv"),
])
def test_bad_input_exits_2_and_writes_nothing(args, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_without_results_and_a_broken_scenario(tmp_path, capsys):
    empty = tmp_path / "notes"
    empty.mkdir()
    out = tmp_path / "d.csv"
    assert main(["compare", str(BASIC), str(empty), "--out", str(out)]) == 2
    assert "not an a6sim result folder (no summary.json)" in capsys.readouterr().err
    assert main(["compare", str(BASIC), str(ROOT / "tests" / "data" / "broken.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:" in err and "Traceback" not in err
    assert not out.exists()


def test_a_result_folder_with_a_broken_table_is_named_at_its_line(tmp_path, capsys):
    import shutil
    assert main(["run", "two_party_basic", "--out", str(tmp_path / "r"), "--quiet"]) == 0
    broken = tmp_path / "broken"

    def refused(edit) -> str:
        if broken.exists():
            shutil.rmtree(broken)
        shutil.copytree(tmp_path / "r", broken)
        edit(broken)
        assert main(["compare", str(broken), "two_party_basic"]) == 2
        return capsys.readouterr().err.replace(str(tmp_path) + "/", "").strip()

    def balances_row(folder):   # a row whose year is not a number, after the header and 22 rows
        with (folder / "balances.csv").open("a") as fh:
            fh.write("GHA,notayear,1,2\n")
    rows = len((tmp_path / "r" / "balances.csv").read_text().splitlines())
    assert refused(balances_row) == f"a6sim compare: broken/balances.csv:{rows + 1}: year: expected a year, got 'notayear'"

    def no_party(folder):
        f = folder / "attainment.csv"
        f.write_text(f.read_text().replace("party,", "country,", 1))
    assert refused(no_party) == ("a6sim compare: broken/attainment.csv:1: expected the columns party, period_start, "
                                 "period_end of an a6sim attainment table (missing party)")

    # a table cut down to its keys, or a figure that is no number, was compared as if the
    # figures were missing ("-" on every row) or read the text as empty, exit 0
    def keys_only(folder):
        (folder / "balances.csv").write_text("party,year\nGHA,2021\n")
    assert refused(keys_only) == (
        "a6sim compare: broken/balances.csv:1: expected the columns inventory, first_transferred, "
        "first_transferred_oimp, used, ca, emissions_balance, target of an a6sim balances table, whose figures "
        "are compared (missing inventory, first_transferred, first_transferred_oimp, used, ca, emissions_balance, "
        "target)")

    def text_figure(folder):   # line 3, the second data row; "n/a", which pandas reads as missing by default
        f = folder / "balances.csv"
        lines = f.read_text().splitlines()
        cells = lines[2].split(",")
        cells[2] = "n/a"
        f.write_text("\n".join(lines[:2] + [",".join(cells)] + lines[3:]) + "\n")
    assert refused(text_figure) == "a6sim compare: broken/balances.csv:3: inventory: expected a number or an empty " \
                                   "cell, got 'n/a'"

    def met_word(folder):
        f = folder / "attainment.csv"
        f.write_text(f.read_text().replace(",true,", ",yes,", 1))
    assert refused(met_word) == "a6sim compare: broken/attainment.csv:2: met: expected true or false, got 'yes'"

    def deep_json(folder):   # past the JSON parser's recursion limit
        (folder / "summary.json").write_text("[" * 100_000 + "]" * 100_000)
    assert refused(deep_json).startswith("a6sim compare: broken/summary.json: cannot be read: maximum recursion depth")


def test_an_excel_result_folder_points_to_the_scenario_it_kept(tmp_path, capsys):
    # compare reads CSV or Parquet tables; a folder written with --format xlsx names what to do
    rx = tmp_path / "rx"
    assert main(["run", str(BASIC), "--out", str(rx), "--format", "xlsx", "--quiet"]) == 0
    capsys.readouterr()
    out = tmp_path / "d.csv"
    assert main(["compare", str(BASIC), str(rx), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{rx}: written with --format xlsx" in err and f"({rx / 'scenario.yaml'})" in err
    assert not out.exists()
    # and that scenario compares: the same run, no difference
    assert main(["compare", str(BASIC), str(rx / "scenario.yaml"), "--out", str(out)]) == 0
    assert (pd.read_csv(out)["difference"].fillna(0) == 0).all()
