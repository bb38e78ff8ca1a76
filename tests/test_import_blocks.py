"""a6sim import blocks: both layouts, located errors, refusal to overwrite.

The example tables (scenarios/registry/) hold the same five blocks in both layouts
(illustrative numbers): GS 11732 (TZA, OIMP, authorised 2024, vintages 2022 and
2023: 1,000 + 800 t), VCS 2250 (GHA, NDC, authorised 2023-06-01, vintages 2022 and
2023: 5,000 + 4,000 t), GS 12345 (GHA, not authorised, 300 t, issued inside its
vintage year).
"""
from __future__ import annotations

from pathlib import Path

import a6sim
from a6sim.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "registry"


def imported(tmp_path, table, *extra) -> a6sim.Scenario:
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(EXAMPLES / table), "--out", str(out), *extra]) == 0
    return a6sim.load_scenario(out)


def summary(sc):
    m = sc.model
    return (sorted(m.parties), {a: (x.host, x.purpose, x.first_transfer, x.date) for a, x in m.authorisations.items()},
            [(i.host, i.programme, i.project, i.vintage, int(i.quantity), i.date.isoformat(), i.serials)
             for i in m.issuances])


def test_own_layout(tmp_path):
    sc = imported(tmp_path, "blocks.csv", "--parties", str(EXAMPLES / "parties.csv"))
    parties, auths, blocks = summary(sc)
    assert parties == ["CHE", "GHA", "TZA"]
    assert auths["TZA-CA0046"] == ("TZA", "OIMP", "authorisation", 2024)
    assert auths["GHA-CHE-1"][:2] == ("GHA", "NDC")
    assert [b[:6] for b in blocks] == [("TZA", "GS", "11732", 2022, 1000, "2023-12-07"),
                                       ("TZA", "GS", "11732", 2023, 800, "2024-06-20"),
                                       ("GHA", "VCS", "2250", 2022, 5000, "2023-09-15"),
                                       ("GHA", "VCS", "2250", 2023, 4000, "2024-08-01"),
                                       ("GHA", "GS", "12345", 2023, 300, "2023-12-20")]
    assert sc.model.parties["CHE"].ndc.budget == 380_000_000
    r = a6sim.simulate(sc)
    # 11,100 t issued; TZA's OIMP blocks first transferred at the authorisation (1 July
    # 2024, "2024" only): 1,800 t in the OIMP column of 2024; nothing moves otherwise
    assert r.summary["issued"] == 11_100
    ss = r.structured_summary
    tza = ss[(ss["party"] == "TZA") & (ss["year"] == 2024)].iloc[0]
    assert (tza["first_transferred_oimp"], tza["first_transferred_ndc"]) == (1800, 0)


def test_reporting_tool_layout_gives_the_same_blocks(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    own = summary(imported(tmp_path / "a", "blocks.csv"))
    tool = summary(imported(tmp_path / "b", "detailed_credit_data.csv"))
    # same blocks, hosts from country names ("Tanzania, United Republic of" -> TZA)
    assert [b[:7] for b in tool[2]] == [b[:7] for b in own[2]]
    assert sorted((h, p, f, d) for h, p, f, d in tool[1].values()) == [
        ("GHA", "NDC", None, 2023), ("TZA", "OIMP", "authorisation", 2024)]


def test_bad_rows_are_located_and_nothing_is_written(tmp_path, capsys):
    lines = (EXAMPLES / "detailed_credit_data.csv").read_text().splitlines()
    lines[1] = lines[1].replace('"1,000"', "-1000")
    lines[3] = lines[3].replace("Ghana", "Atlantis")
    lines[4] = lines[4].replace(",4000,", ",4001,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == [f"{bad}:2: Volume: expected a positive number of tonnes, got -1000",
                       f"{bad}:4: Country: expected a country name or ISO 3166 alpha-3 code, got 'Atlantis'",
                       f"{bad}:5: Credit Serial Number: the range 190000001-190004000 holds 4,000 units; "
                       "the block has 4,001"]
    assert not out.exists()


def test_never_overwrites_without_force(tmp_path, capsys):
    out = tmp_path / "s.yaml"
    out.write_text("mine\n")
    assert main(["import", "blocks", str(EXAMPLES / "blocks.csv"), "--out", str(out)]) == 2
    assert "exists; nothing was written (give --force to replace it)" in capsys.readouterr().err
    assert out.read_text() == "mine\n"
    assert main(["import", "blocks", str(EXAMPLES / "blocks.csv"), "--out", str(out), "--force"]) == 0
    assert out.read_text().startswith("a6sim: 2\n")


def test_unknown_header(tmp_path, capsys):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["import", "blocks", str(bad), "--out", str(tmp_path / "s.yaml")]) == 2
    assert f"{bad}:1: header: expected the columns of a6sim's layout" in capsys.readouterr().err
