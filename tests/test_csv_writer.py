"""The CSV result files are written straight from the engine's rows (a6sim.io.csvtables);
they must be byte for byte the pandas rendering of the public tables
(``a6sim.io.write.csv_text(results.<table>)``), for every bundled scenario and lesson
and a synthetic world written in many small chunks. Also: the spelling rules of
a6sim.io.csvcells against the csv module, and the AEF holdings (every non-zero holding
on every 31 December, as holdings.csv lists them)."""
from __future__ import annotations

import csv
import datetime
import io
import math
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import a6sim
from a6sim.io import csvtables
from a6sim.io.csvcells import CsvFile, cells, frame_columns
from a6sim.io.iamc import iamc_frame
from a6sim.io.write import _ECON_MONEY, _MONEY, TABLES, csv_text
from a6sim.lessons.load import load_lesson
from a6sim.results import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LESSONS = sorted((ROOT / "scenarios" / "lessons").glob("*.yaml"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import synthetic_world  # noqa: E402
from test_history import run as run_history, tx, world as history_world  # noqa: E402


def _scenario(case):
    if case == "synthetic":
        return a6sim.scenario_from_dict(synthetic_world(12, 60, 40, 8, seed=5), "synthetic, with a comma")
    if case.parent.name == "lessons":
        return load_lesson(case).scenario
    return a6sim.load_scenario(case)


def _pandas_files(r) -> dict[str, str]:
    """Every CSV file of a result folder, rendered by pandas from the public DataFrames."""
    files = {f"{name}.csv": csv_text(getattr(r, name)) for name in TABLES}
    if not r.economics.empty:
        files["economics.csv"] = csv_text(r.economics, _ECON_MONEY)
    files.update({f"aef/{name}.csv": csv_text(df) for name, df in r.aef.items()})
    files["iamc.csv"] = iamc_frame(r).to_csv(index=False, lineterminator="\n")
    return files


@pytest.mark.parametrize("case", [pytest.param(p, id=p.stem) for p in SCENARIOS + LESSONS]
                         + [pytest.param("synthetic", id="synthetic")])
def test_csv_files_equal_the_pandas_rendering_of_the_tables(case, tmp_path, monkeypatch):
    if case == "synthetic":
        monkeypatch.setattr(csvtables, "CHUNK", 97)   # many chunks, a short last one
    sc = _scenario(case)
    out = a6sim.simulate(sc).write(tmp_path / "out")     # fresh results: no DataFrame built
    written = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.csv")}
    expected = _pandas_files(a6sim.simulate(sc))
    assert sorted(written) == sorted(expected)
    for name, text in expected.items():
        assert written[name] == text, name


def test_no_report_table_has_a_money_column():
    # the report tables are spelled cell by cell from their rows; a money column would
    # need the column's type (cents for floats, none for whole numbers) as pandas sees it
    for name in csvtables.REPORT_ROWS:
        assert not set(COLUMNS[name]) & (_MONEY | _ECON_MONEY), name


def _csv_module(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def test_fields_are_quoted_as_the_csv_module_quotes_them(tmp_path):
    texts = ["plain", "a,b", 'say "yes"', "two\nlines", "cr\rhere", "", " spaced ", "é; ü", "tab\there"]
    with CsvFile(tmp_path / "t.csv", ["name, with comma", "n"]) as f:
        f.write([texts, [str(i) for i in range(len(texts))]])
    expected = _csv_module([["name, with comma", "n"]] + [[t, str(i)] for i, t in enumerate(texts)])
    assert (tmp_path / "t.csv").read_bytes() == expected.encode("utf-8")
    with CsvFile(tmp_path / "one.csv", ["only"]) as f:   # a lone empty field is written as ""
        f.write([["", "x"]])
    assert (tmp_path / "one.csv").read_text() == 'only\n""\nx\n'


def test_cells_spell_numbers_booleans_dates_and_gaps():
    assert cells([3, None, 2.0, 2.25, -0.5, math.nan, True, False, Fraction(7, 2), Fraction(8, 2),
                  datetime.date(2030, 1, 5), pd.NA]) == \
        ["3", "", "2", "2.2", "-0.5", "", "true", "false", "3.5", "4", "2030-01-05", ""]
    # money: floats to cents, whole numbers as they are
    assert cells([20.0, 0.125, 5], money=True) == ["20.00", "0.12", "5"]
    assert cells(["a", None]) == ["a", ""] and cells((1, 2)) == ["1", "2"] and cells([1, "x"]) == ["1", "x"]


def test_frame_columns_match_pandas_or_decline():
    df = pd.DataFrame({"d": pd.to_datetime(["2030-01-05", None]), "i": pd.array([1, None], dtype="Int64"),
                       "f": [1.0, 2.5], "v": [3.0, 4.125], "s": ["x", None], "b": [True, False],
                       "o": [datetime.date(2030, 1, 1), "2031"]})
    columns = frame_columns(df, {"v"})
    assert columns == [["2030-01-05", ""], ["1", ""], ["1", "2.5"], ["3.00", "4.12"], ["x", ""],
                       ["true", "false"], ["2030-01-01", "2031"]]
    text = "d,i,f,v,s,b,o\n" + "\n".join(map(",".join, zip(*columns))) + "\n"
    assert text == csv_text(df, {"v"})
    # a type it does not spell as pandas does (a Fraction in an object column: pandas writes 1/3)
    assert frame_columns(pd.DataFrame({"x": [Fraction(1, 3)]})) is None


def test_aef_holdings_list_every_holding_on_every_31_december(tmp_path):
    # GHA is issued 1,000 recorded units on 2023-06-01 and transfers them to CHE on
    # 2024-02-01; nothing moves in 2025. Held on 31 December: GHA 1,000 (2023), 0 (2024,
    # 2025); CHE 0 (2023), 1,000 (2024) and still 1,000 (2025, a year without changes).
    r = run_history(history_world([tx("2024-02-01", "transfer", 1000, from_="GHA", to="CHE")]))
    info = r.aef["annual_information"].set_index(["Party", "Year"])["Held on 31 December"]
    assert [info[("GHA", y)] for y in (2023, 2024, 2025)] == [1000, 0, 0]
    assert [info[("CHE", y)] for y in (2023, 2024, 2025)] == [0, 1000, 1000]
    held = r.aef["holdings"]
    assert (held["Quantity (tCO2e)"] > 0).all()      # an emptied holding is not listed
    che = held[held["Party"] == "CHE"]
    assert [str(d) for d in che["Date"]] == ["2024-12-31", "2025-12-31"]
    assert list(che["Quantity (tCO2e)"]) == [1000, 1000]
    # the same rows as holdings.csv, in the same order
    table = r.holdings
    assert len(held) == len(table)
    assert list(held["Registry account"]) == list(table["account"])
    assert list(held["Party"]) == list(table["party"])
    assert list(held["Quantity (tCO2e)"]) == list(table["quantity"])
    assert [str(d) for d in held["Date"]] == list(table["date"].dt.strftime("%Y-%m-%d"))
    out = r.write(tmp_path / "out")
    lines = (out / "aef" / "holdings.csv").read_text().splitlines()
    assert len(lines) == 1 + len(table)
    assert [line for line in lines if line.startswith("2025-12-31,CHE,")] == ["2025-12-31,CHE,CHE:holding,CHE,ITMO,2023,1000"]
