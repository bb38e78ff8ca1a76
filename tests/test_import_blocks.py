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


# --- hostile tables: every one refused at its line, exit 2, nothing written -------------
OWN_HEADER = (EXAMPLES / "blocks.csv").read_text().splitlines()[0]
OWN_ROW = "GS,11732,TZA,2022,1000,2023-12-07,GS1-1-TZ-GS11732-16-2022-25700-1-1000,TZA-CA0046,2024,OIMP,authorisation,CA0046,GS"


def refused(tmp_path, capsys, blocks: bytes | str, parties: str | None = None) -> list[str]:
    """Import the table(s) written to b.csv (and p.csv); the problem lines printed."""
    table = tmp_path / "b.csv"
    table.write_bytes(blocks if isinstance(blocks, bytes) else blocks.encode())
    extra = []
    if parties is not None:
        (tmp_path / "p.csv").write_text(parties)
        extra = ["--parties", str(tmp_path / "p.csv")]
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(table), "--out", str(out), *extra]) == 2
    assert not out.exists()
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in err
    return err.splitlines()[:-1]   # the last line counts the problems


def test_unicode_digits_and_huge_numbers_are_refused_not_a_crash(tmp_path, capsys):
    # "²".isdigit() is True but int("²") fails; int() refuses more than 4,300 digits
    row = OWN_ROW.replace("-1-1000", "-1-10²").replace(",1000,", ",10²,")
    assert refused(tmp_path, capsys, f"{OWN_HEADER}\n{row}\n") == [
        "b.csv:2: quantity: expected a whole number of tonnes, got '10²'",
        "b.csv:2: serials: expected a serial range ending in -FIRST-LAST (Gold Standard) or BATCH-FIRST-LAST-VCS-... "
        "(Verra), got 'GS1-1-TZ-GS11732-16-2022-25700-1-10²'"]
    row = OWN_ROW.replace(",1000,", "," + "9" * 50_000 + ",", 1)
    assert refused(tmp_path, capsys, f"{OWN_HEADER}\n{row}\n") == [
        "b.csv:2: quantity: expected a whole number of tonnes, got '" + "9" * 60 + "'... (50,000 characters)"]


def test_broken_csv_shapes_are_located(tmp_path, capsys):
    # an unquoted thousands separator shifts the row by one cell: refused, not misread
    row = OWN_ROW.replace(",1000,", ",1,000,")
    assert refused(tmp_path, capsys, f"{OWN_HEADER}\n{OWN_ROW}\n{row}\n") == [
        'b.csv:3: row: 14 cells, the header has 13 columns (quote a value holding a comma, as "1,000")']
    assert refused(tmp_path, capsys, f"{OWN_HEADER},quantity\n{OWN_ROW},7\n") == [
        "b.csv:1: header: quantity: appears more than once; give each column once"]
    # a quoted line break in the project id (the row starts on line 2) and a NUL on line 4
    broken_project, nul_host = OWN_ROW.replace(",11732,", ',"117\n32",'), OWN_ROW.replace(",TZA,", ",T\0ZA,")
    text = f"{OWN_HEADER}\n{broken_project}\n{nul_host}\n"
    assert refused(tmp_path, capsys, text) == [
        "b.csv:2: project: expected text on one line without control characters, got U+000A in '117\\n32'",
        "b.csv:4: host: expected text on one line without control characters, got U+0000 in 'T\\x00ZA'"]
    # a cell past the csv module's limit (131,072 characters) on line 3
    long_cell = OWN_ROW.replace("CA0046,GS", "x" * 200_000)
    text = f"{OWN_HEADER}\n{OWN_ROW}\n{long_cell}\n"
    assert refused(tmp_path, capsys, text) == [
        "b.csv:3: cannot read the row (field larger than field limit (131072)); is a quote left open?"]
    # not UTF-8: the line and column of the first bad byte
    assert refused(tmp_path, capsys, f"{OWN_HEADER}\n{OWN_ROW}\n".encode() + b"GS,\xe9\n") == [
        "b.csv:3: column 4: not UTF-8 text (byte 0xe9); export the sheet as CSV UTF-8"]


def test_a_device_or_a_folder_is_not_read(tmp_path, capsys):
    # /dev/zero would be read until memory runs out
    for table, what in ((Path("/dev/zero"), "/dev/zero: a device, not a file; give a CSV file"),
                        (tmp_path, f"{tmp_path}: a folder; give a CSV file")):
        assert main(["import", "blocks", str(table), "--out", str(tmp_path / "s.yaml")]) == 2
        assert capsys.readouterr().err.splitlines()[0] == what
    assert not (tmp_path / "s.yaml").exists()


def test_parties_table_problems_are_located_in_the_parties_table(tmp_path, capsys):
    head = "party,name,year,emissions,ndc_type,ndc_start,ndc_end,budget\n"
    blocks = f"{OWN_HEADER}\n{OWN_ROW}\n"
    parties = (head + "TZA,Tanzania,2022,1000,multi-year,2022,,5000\n"   # line 2: no ndc_end
                      "TZA,Tanzania,2030,1e300,,,,\n"                     # line 3: beyond the bound
                      "TZA,Tanzania,2022,999,,,,\n"                       # line 4: 2022 again
                      "TZA,Tanzania,99999,1,,,,\n")                       # line 5: not a year
    assert refused(tmp_path, capsys, blocks, parties) == [
        "p.csv:2: ndc_end: expected the last year of the NDC period (with ndc_type 'multi-year')",
        "p.csv:4: year: TZA 2022 is already given (line 2); give each party's year once"]
    parties = head + "TZA,Tanzania,2022,1000,,,,\nTZA,Tanzania,2030,1e300,,,,\nTZA,Tanzania,99999,1,,,,\n"
    assert refused(tmp_path, capsys, blocks, parties) == [
        "p.csv:3: year, emissions: must be <= 1e+12, got 1000000000000000052504760255204420248...",
        "p.csv:4: year, emissions: keys must be years (whole numbers), got 99999"]
    assert refused(tmp_path, capsys, blocks, head + "ÄÖÜ,Nowhere,2022,1,,,,\n") == [
        "p.csv:2: party: expected an ISO 3166 alpha-3 code or country name, got 'ÄÖÜ'"]


def _excel(src: Path, dest: Path) -> Path:
    """``src`` as Excel saves "CSV" where the decimal mark is a comma: a byte-order mark,
    semicolons between cells, CRLF line ends."""
    import csv
    rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
    with dest.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    return dest


def test_tables_saved_by_excel_with_semicolons_read_as_the_originals(tmp_path):
    # both layouts and the parties table: the same blocks and the same parties as the comma files
    for table in ("blocks.csv", "detailed_credit_data.csv"):
        (tmp_path / table).mkdir()
        excel = _excel(EXAMPLES / table, tmp_path / table / table)
        parties = _excel(EXAMPLES / "parties.csv", tmp_path / table / "parties.csv")
        out = tmp_path / table / "s.yaml"
        assert main(["import", "blocks", str(excel), "--out", str(out), "--parties", str(parties)]) == 0
        (tmp_path / table / "comma").mkdir()
        want = summary(imported(tmp_path / table / "comma", table, "--parties", str(EXAMPLES / "parties.csv")))
        assert summary(a6sim.load_scenario(out)) == want
        assert a6sim.load_scenario(out).model.parties["CHE"].ndc.budget == 380_000_000


def test_a_decimal_comma_is_refused_not_read_as_thousands(tmp_path, capsys):
    # Excel's semicolon CSV writes 45.5 Mt as "45000000,5"; dropping the comma read 450000005 t
    # (ten times the target), silently. A comma is a thousands separator only between groups of three.
    parties = _excel(EXAMPLES / "parties.csv", tmp_path / "parties.csv")
    lines = parties.read_text(encoding="utf-8-sig").splitlines()
    assert ";45000000;" in lines[1]
    parties.write_text("\r\n".join([lines[0], lines[1].replace(";45000000;", ";45000000,5;"), *lines[2:]]) + "\r\n",
                       encoding="utf-8-sig")
    blocks = _excel(EXAMPLES / "blocks.csv", tmp_path / "blocks.csv")
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(blocks), "--out", str(out), "--parties", str(parties)]) == 2
    err = capsys.readouterr().err
    assert (f"{parties}:2: target: expected a number, got '45000000,5' (a comma only between groups of three "
            "digits, as 1,000; decimals with a point)") in err
    assert not out.exists()


def test_tables_saved_by_excel_as_tab_delimited_or_unicode_text_read_as_the_originals(tmp_path):
    # Excel's "Text (Tab delimited)" (UTF-8 here) and "Unicode Text" (UTF-16 with a byte-order
    # mark, tabs): before, the tab file's header was one column ("row: 2 cells, the header has
    # 1 columns") and the UTF-16 one "not UTF-8 text (byte 0xff)"
    import csv
    want = summary(imported(tmp_path, "detailed_credit_data.csv"))
    rows = list(csv.reader((EXAMPLES / "detailed_credit_data.csv").open(encoding="utf-8", newline="")))
    for name, encoding in (("tab.txt", "utf-8"), ("unicode.txt", "utf-16")):
        table = tmp_path / name
        with table.open("w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter="\t", lineterminator="\r\n").writerows(rows)
        out = tmp_path / f"{name}.yaml"
        assert main(["import", "blocks", str(table), "--out", str(out)]) == 0
        assert summary(a6sim.load_scenario(out)) == want


# --- the CA Reporting Tool as it really exports ----------------------------------------
# The tool's Detailed Credit Data tab has a 15th column, "Link to authorisation"; its
# country names are short ("Lao", "Gambia", "Tanzania"); a block with no cooperative
# approach says "NA"; its "OIMP First Transfer Definition" holds "Authorisation",
# "Issuance" and "First international transfer" (Gambia, Sierra Leone), and its
# validation list offers "Use". Serials as Verra and Gold Standard write them.
TOOL_HEADER = ("Programme,Project ID,Volume,Credit Serial Number,Vintage,Country,OIMP First Transfer Definition,"
               "Authorisation Year,Issuance Date,Issuance Year,Authorised for NDC?,Authorised for (O)IMP?,"
               "Cooperative Approach ID,Authorisation uploaded to the CARP,Link to authorisation")
TOOL_ROWS = """\
Verra,1748,10,9344-82392553-82392562-VCS-VCU-263-VER-KH-14-1748-01012021-31122021-0,2021,Cambodia,Issuance,2023,15/03/2023,2023,Yes,Yes,NA,No,https://registry.verra.org/x
Verra,2366,20,13557-513004457-513004476-VCS-VCU-1289-VER-LA-1-2366-01012022-31122022-0,2022,Lao,Authorisation,2023,01/02/2024,2024,Yes,Yes,CA0101,Yes,link
Verra,9999,30,13558-1-30-VCS-VCU-1289-VER-GM-1-9999-01012022-31122022-0,2022,Gambia,First international transfer,2024,01/02/2024,2024,No,Yes,NA,No,link
Gold Standard,12000,40,GS1-1-SL-GS12000-16-2023-1000-1-40,2023,Sierra Leone,First international transfer,2024,01/03/2024,2024,Yes,Yes,CA0200,Yes,link
Gold Standard,12001,"1,050",GS1-1-RW-GS12001-16-2023-1000-1-1050,2023,Rwanda,Use,2024,01/03/2024,2024,No,Yes,CA0300,Yes,link
"""


def test_reporting_tool_export_as_it_really_is(tmp_path):
    table = tmp_path / "dcd.csv"
    table.write_text(TOOL_HEADER + "\n" + TOOL_ROWS)
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(table), "--out", str(out)]) == 0
    sc = a6sim.load_scenario(out)
    auths = {a: (x.host, x.purpose, x.first_transfer, x.date, x.cooperative_approach)
             for a, x in sc.model.authorisations.items()}
    assert sorted(auths.values()) == [
        ("GMB", "OIMP", "use-or-cancellation", 2024, ""),       # "First international transfer", OIMP only:
        ("KHM", "NDC and OIMP", "issuance", 2023, ""),          # read as the programmes do (at retirement)
        ("LAO", "NDC and OIMP", "authorisation", 2023, "CA0101"),
        ("RWA", "OIMP", "use-or-cancellation", 2024, "CA0300"),  # "Use"
        ("SLE", "NDC and OIMP", "international-transfer", 2024, "CA0200"),   # para 2(a) trigger kept
    ]
    assert [(i.host, int(i.quantity), i.date.isoformat()) for i in sc.model.issuances] == [
        ("KHM", 10, "2023-03-15"), ("LAO", 20, "2024-02-01"), ("GMB", 30, "2024-02-01"),
        ("SLE", 40, "2024-03-01"), ("RWA", 1050, "2024-03-01")]
    ss = a6sim.simulate(sc).structured_summary.set_index(["party", "year"])
    # KHM: 10 t issued 2023-03-15 before the authorisation (1 July 2023, "2023" only), first
    # transferred at it (definition issuance: the units wait for the authorisation): 2023.
    # LAO: 20 t issued 2024-02-01 after its 2023 authorisation: first transferred at issuance, 2024.
    # Both count in the NDC column (authorised for NDC too) and by vintage (para 8(a)).
    assert ss.loc[("KHM", 2023), ["first_transferred_ndc", "first_transferred_by_vintage"]].tolist() == [10, 0]
    assert ss.loc[("KHM", 2021), "first_transferred_by_vintage"] == 10
    assert ss.loc[("LAO", 2024), "first_transferred_ndc"] == 20
    assert ss.loc[("LAO", 2022), "first_transferred_by_vintage"] == 20
    # GMB, SLE, RWA: nothing has been used, cancelled or moved abroad: no first transfer
    # (the tool's own row 12 would still add them by vintage)
    for party in ("GMB", "SLE", "RWA"):
        assert ss.loc[party, "first_transferred"].sum() == 0
        assert ss.loc[party, "first_transferred_by_vintage"].sum() == 0


def test_reporting_tool_first_international_transfer_for_oimp_can_be_refused(tmp_path, capsys):
    table = tmp_path / "b.csv"
    table.write_text(TOOL_HEADER + "\n" + TOOL_ROWS)
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(table), "--out", str(out), "--oimp-international-transfer", "refuse"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "").splitlines()
    assert err == ["b.csv:4: OIMP First Transfer Definition: expected the OIMP first-transfer definition "
                   "(Authorisation, Issuance or Use or cancellation; 2/CMA.3 annex para 2(b)), got 'First "
                   "international transfer' (refused by --oimp-international-transfer refuse)",
                   "a6sim: 1 problem; nothing was written"]


def test_reporting_tool_issuance_year_must_match_the_date(tmp_path, capsys):
    # a US-style export (month/day/year) of 03/01/2024 would be read as 3 January; the
    # tool's own Issuance Year column catches a date read in the wrong year
    row = TOOL_ROWS.splitlines()[0].replace("15/03/2023,2023", "15/03/2023,2024")
    assert refused(tmp_path, capsys, f"{TOOL_HEADER}\n{row}\n") == [
        "b.csv:2: Issuance Year: expected the year of the Issuance Date (2023), got 2024; dates are read "
        "day/month/year"]


def test_reporting_tool_month_name_dates_and_a_serial_given_twice(tmp_path, capsys):
    # Excel may save a date as it shows it, "15-Mar-2023": read; the tool's data holds one
    # serial number twice (601 rows, 600 serials): the second is refused at its line, naming the first
    first = TOOL_ROWS.splitlines()[0]
    table = tmp_path / "t.csv"
    table.write_text(f"{TOOL_HEADER}\n{first.replace('15/03/2023', '15-Mar-2023')}\n")
    assert main(["import", "blocks", str(table), "--out", str(tmp_path / "m.yaml")]) == 0
    assert a6sim.load_scenario(tmp_path / "m.yaml").model.issuances[0].date.isoformat() == "2023-03-15"
    assert refused(tmp_path, capsys, f"{TOOL_HEADER}\n{first}\n{first}\n") == [
        "b.csv:3: Credit Serial Number: serials 82392553-82392562 were already issued (line 2)"]


def test_parties_table_with_real_inventories_and_an_ndc_starting_before_the_blocks(tmp_path):
    # Brazil (seed digest 2.9, Climate Bridge quarterly Q4 2025): 20.4亿 t CO2e in 2022, 12亿 t
    # in 2030. A single-year 2030 NDC over 2021-2030, averaging; the blocks start in 2023, so
    # the run starts with the NDC period (2021), not with the first block.
    table = tmp_path / "bra.csv"
    table.write_text(TOOL_HEADER + "\n"
                     "Verra,1686,\"10,000\",9344-82392553-82402552-VCS-VCU-262-VER-BR-14-1686-01012023-31122023-1,"
                     "2023,Brazil,Issuance,2024,10/05/2024,2024,No,Yes,NA,Yes,link\n"
                     "Verra,1686,500,9345-82402553-82403052-VCS-VCU-262-VER-BR-14-1686-01012023-31122023-1,"
                     "2023,Brazil,Authorisation,2024,10/05/2024,2024,Yes,Yes,BRA-SGP,Yes,link\n")
    parties = tmp_path / "p.csv"
    parties.write_text("party,name,year,emissions,ndc_type,ndc_start,ndc_end,target_year,target,method\n"
                       'Brazil,Brazil,2022,"2,040,000,000",single-year,2021,2030,2030,"1,200,000,000",averaging\n'
                       'BRA,Brazil,2030,"1,200,000,000",,,,,,\n')
    out = tmp_path / "s.yaml"
    assert main(["import", "blocks", str(table), "--parties", str(parties), "--out", str(out)]) == 0
    sc = a6sim.load_scenario(out)
    assert (sc.model.period.start, sc.model.period.end) == (2021, 2030)
    r = a6sim.simulate(sc)
    ss = r.structured_summary.set_index("year")
    # both blocks (vintage 2023, issued 10 May 2024) wait for their year-only authorisations
    # (2024: 1 July 2024) and are first transferred then, the OIMP-only one (definition
    # issuance) and the NDC-and-OIMP one (definition authorisation): 10,000 + 500 t in 2024
    assert ss.loc[2024, ["first_transferred_ndc", "first_transferred_oimp"]].tolist() == [500, 10_000]
    assert ss.loc[2023, "first_transferred_by_vintage"] == 10_500
    # inventory: 2,040,000,000 flat before 2022, then linear to 1,200,000,000 in 2030
    # (-105,000,000 a year): 2026 = 1,620,000,000
    assert ss.loc[2021, "inventory"] == 2_040_000_000 and ss.loc[2026, "inventory"] == 1_620_000_000
    # averaging over the 10 years: 10,500 / 10 = 1,050 t; the 2030 balance is
    # 1,200,000,000 + 1,050: the NDC is missed by 1,050 t
    assert ss.loc[2030, ["averaging_amount", "averaging_divisor"]].tolist() == [1050, 10]
    att = r.attainment.iloc[0]
    assert (att["balance"], att["gap"], att["met"]) == (1_200_001_050, 1050, False)


def test_dates_as_german_excel_writes_them_day_dot_month_dot_year(tmp_path, capsys):
    # A semicolon table comes from a comma-decimal locale, and German Excel writes its dates
    # 07.12.2023; they were refused ("expected a date like 2023-12-07, 07/12/2023 ...").
    import csv
    rows = list(csv.reader((EXAMPLES / "detailed_credit_data.csv").open(encoding="utf-8", newline="")))
    col = rows[0].index("Issuance Date")
    assert rows[1][col] == "07/12/2023"
    for r in rows[1:]:
        r[col] = r[col].replace("/", ".")
    table = tmp_path / "de.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    out = tmp_path / "de.yaml"
    assert main(["import", "blocks", str(table), "--out", str(out)]) == 0
    assert summary(a6sim.load_scenario(out)) == summary(imported(tmp_path, "detailed_credit_data.csv"))
    # one separator per date: 07.12/2023 is no date
    rows[1][col] = "07.12/2023"
    with table.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    assert main(["import", "blocks", str(table), "--out", str(tmp_path / "x.yaml")]) == 2
    assert "de.csv:2: Issuance Date: expected a date like 2023-12-07, 07/12/2023 or 07.12.2023 (day/month/year) " \
           "or 07-Dec-2023, got '07.12/2023'" in capsys.readouterr().err


def test_dates_with_a_time_of_day_count_the_day():
    # Excel writes a date-time cell with its time: "07/12/2023 14:33", "2023-12-07 00:00:00"
    from a6sim.importer.layouts import _date
    for text in ("07/12/2023 14:33", "2023-12-07 00:00:00", "2023-12-07T09:15:00", "07-Dec-2023 10:00"):
        errors = []
        assert _date(text, errors, "Issuance Date").isoformat() == "2023-12-07" and errors == []


def test_month_first_dates_with_date_order_mdy(tmp_path, capsys):
    # A US-locale Excel saves 15 March 2023 as 3/15/2023: refused day-first, with the hint,
    # at its row; read with --date-order mdy (then 07/12/2023 is 12 July)
    rows = TOOL_ROWS.splitlines()[:2]
    us = [rows[0].replace("15/03/2023", "3/15/2023"), rows[1].replace("01/02/2024", "02/01/2024")]
    assert refused(tmp_path, capsys, TOOL_HEADER + "\n" + "\n".join(us) + "\n") == [
        "b.csv:2: Issuance Date: expected a date like 2023-12-07, 07/12/2023 or 07.12.2023 (day/month/year) or "
        "07-Dec-2023 (it "
        "reads as month/day/year: give --date-order mdy if the table writes dates so), got '3/15/2023'"]
    out = tmp_path / "us.yaml"
    assert main(["import", "blocks", str(tmp_path / "b.csv"), "--out", str(out), "--date-order", "mdy"]) == 0
    assert [i.date.isoformat() for i in a6sim.load_scenario(out).model.issuances] == ["2023-03-15", "2024-02-01"]


def test_country_names_as_the_reporting_tool_and_the_un_write_them():
    # the 14 host countries of the tool's data, as written there, and names the UN and
    # registries use for the Congos
    from a6sim.importer.countries import alpha3
    names = {"Rwanda": "RWA", "Cambodia": "KHM", "Madagascar": "MDG", "Nigeria": "NGA", "Malawi": "MWI",
             "Uzbekistan": "UZB", "Lao": "LAO", "Zimbabwe": "ZWE", "Togo": "TGO", "Benin": "BEN",
             "Tanzania": "TZA", "Gambia": "GMB", "Morocco": "MAR", "Sierra Leone": "SLE",
             "Democratic Republic of Congo": "COD", "Congo (Democratic Republic of the)": "COD", "Congo": "COG"}
    assert {n: alpha3(n) for n in names} == names


def test_parties_table_ndc_problems_name_their_column(tmp_path, capsys):
    # a multi-year NDC without its budget is the budget column's problem (it said "party")
    parties = ("party,name,year,emissions,ndc_type,ndc_start,ndc_end,target_year,target,method,budget\n"
               'CHE,Switzerland,2021,"45,000,000",multi-year,2021,2030,,,,\n')
    assert refused(tmp_path, capsys, (EXAMPLES / "blocks.csv").read_text(), parties) == [
        "p.csv:2: budget: a multi-year NDC needs exactly one of budget (period sum) or targets (per year)"]


def test_a_serial_of_another_vintage_or_country_is_refused_at_its_row(tmp_path, capsys):
    # A Verra serial spells its country after VER and its monitoring period at the end, a
    # Gold Standard one its country third and its vintage sixth: a row whose Vintage or
    # Country disagrees is not one block (a misaligned row, a pasted serial), so no figure
    # is written from it. A Verra period spanning two years takes either year.
    rows = TOOL_ROWS.splitlines()
    bad_vintage = rows[0].replace(",2021,Cambodia,", ",2022,Cambodia,")          # serial: 01012021-31122021
    bad_country = rows[3].replace("Sierra Leone", "Liberia")                    # serial: GS1-1-SL-GS12000-16-2023
    gs_vintage = rows[3].replace(",2023,Sierra Leone,", ",2022,Sierra Leone,")
    two_years = rows[1].replace("01012022-31122022", "16042021-15102022")       # vintage 2022 inside: fine
    assert refused(tmp_path, capsys, "\n".join([TOOL_HEADER, bad_vintage, bad_country, gs_vintage, two_years]) + "\n") == [
        "b.csv:2: Credit Serial Number: the serial names the vintage 01012021-31122021; the block's vintage is 2022",
        "b.csv:3: Credit Serial Number: the serial names the country SL; the block's country is LBR (LR)",
        "b.csv:4: Credit Serial Number: the serial names the vintage 2023; the block's vintage is 2022"]
