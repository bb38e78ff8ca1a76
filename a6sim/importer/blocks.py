"""Build a format-v2 scenario from a credit block table (and optionally a parties table).

Every row that cannot be read is reported as ``file:line: column: what was
expected``; the scenario is then validated like any other (serial overlaps, hosts,
...) with its problems located at the block table's rows. Nothing is written unless
every row is good.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Optional

from .countries import alpha3, country_name
from .layouts import LAYOUTS, detect, parse_row, shown, without_thousands

__all__ = ["BlockTableError", "import_blocks", "scenario_text", "PARTY_COLUMNS"]

PARTY_COLUMNS = ["party", "name", "year", "emissions"]
NDC_COLUMNS = ["ndc_type", "ndc_start", "ndc_end", "target_year", "target", "method", "budget", "initial_report"]
_FIELD_COLUMN = {   # issuance field -> column of each layout, to locate scenario problems at the row
    "a6sim": {"date": "issuance_date", "host": "host", "programme": "programme", "project": "project",
              "vintage": "vintage", "quantity": "quantity", "serials": "serials", "authorisation": "authorisation_id",
              "holder": "holder"},
    "ca-reporting-tool": {"date": "Issuance Date", "host": "Country", "programme": "Programme",
                          "project": "Project ID", "vintage": "Vintage", "quantity": "Volume",
                          "serials": "Credit Serial Number", "authorisation": "Authorisation Year", "holder": "Programme"},
}


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")   # a tab is text, line breaks and NULs are not


class BlockTableError(ValueError):
    """The tables cannot be imported; ``lines`` lists every located problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__(f"{len(lines)} problem{'s' if len(lines) != 1 else ''}:\n" + "\n".join(f"  {x}" for x in lines))


def _delimiter(text: str) -> str:
    """``;`` for a table whose header row is separated by semicolons and holds no comma (Excel
    saves "CSV" so where the decimal mark is a comma), a tab for one separated by tabs with
    neither (Excel's "Text (Tab delimited)" and "Unicode Text"), else ``,``."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return ";" if ";" in header else "\t" if "\t" in header else ","


def _decode(data: bytes) -> str:
    """The text of a table: UTF-16 when it starts with a UTF-16 byte-order mark (Excel's
    "Unicode Text"), else UTF-8 (with or without a byte-order mark); raises UnicodeDecodeError."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the non-blank rows (with the line each starts on) of a CSV table.

    Refused with their line: a folder or a device (/dev/zero is endless), bytes that are not UTF-8, a header naming a column twice, a row
    with more cells than the header (an unquoted comma, as in 1,000), a cell with a
    control character (a quoted line break, a NUL) or longer than the csv module's
    limit (an unclosed quote swallows the rest of the file)."""
    from ..scenario.yamlread import not_a_file
    if path.is_dir() or not_a_file(path):
        raise BlockTableError([f"{path}: {'a folder' if path.is_dir() else not_a_file(path)}; give a CSV file"])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BlockTableError([f"{path}: cannot read file: {exc.strerror or exc}"]) from None
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise BlockTableError([f"{path}: not UTF-16 text after its UTF-16 byte-order mark ({exc.reason}); "
                                   "export the sheet as CSV UTF-8"]) from None
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BlockTableError([f"{path}:{line}: column {column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                               "export the sheet as CSV UTF-8"]) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    errors: list[str] = []
    rows = []
    start = 1   # the line the next record starts on
    try:
        header = [h.strip() for h in next(reader)]
        twice = sorted({h for h in header if h and header.count(h) > 1})
        if twice:
            errors.append(f"{path}:1: header: {', '.join(twice)}: "
                          f"{'each appears' if len(twice) > 1 else 'appears'} more than once; give each column once")
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(header):]):   # blank trailing cells are harmless
                errors.append(f"{path}:{line}: row: {len(cells)} cells, the header has {len(header)} columns "
                              f"(quote a value holding a comma, as \"1,000\")")
                continue
            bad = next(((h, c) for h, c in zip(header, cells) if _CONTROL.search(c)), None)
            if bad is not None:
                char = _CONTROL.search(bad[1]).group()
                errors.append(f"{path}:{line}: {bad[0] or 'cell'}: expected text on one line without control "
                              f"characters, got U+{ord(char):04X} in {shown(bad[1], 40)}")
                continue
            cells = cells + [""] * (len(header) - len(cells))
            rows.append((line, dict(zip(header, cells))))
    except StopIteration:
        raise BlockTableError([f"{path}:1: the file is empty; expected a header row"]) from None
    except csv.Error as exc:   # e.g. a cell past the csv module's size limit
        errors.append(f"{path}:{start}: cannot read the row ({exc}); is a quote left open?")
    if errors:
        raise BlockTableError(errors)
    return header, rows


def _parties(path: Path, errors: list[str], lines: dict) -> dict:
    """The parties by code; ``lines`` gets the line of each party's first row, of each
    ``(party, year)`` and of ``(party, "ndc")``, to locate the scenario's problems."""
    header, rows = _read_csv(path)
    missing = [c for c in PARTY_COLUMNS if c not in header]
    if missing:
        errors.append(f"{path}:1: expected the columns {', '.join(PARTY_COLUMNS)} (missing {', '.join(missing)}), "
                      f"optionally {', '.join(NDC_COLUMNS)}")
        return {}
    out: dict[str, dict] = {}
    seen: dict[tuple, int] = {}   # (party, year) -> line
    for line, c in rows:
        where = f"{path}:{line}"
        party = c["party"].strip()
        code = party if re.fullmatch("[A-Z]{3}", party) else alpha3(party)
        if code is None:
            errors.append(f"{where}: party: expected an ISO 3166 alpha-3 code or country name, got {shown(party)}")
            continue
        p = out.setdefault(code, {"name": c["name"].strip() or code, "emissions": {}})
        lines.setdefault((code,), line)
        try:
            year, emissions = int(c["year"]), float(without_thousands(c["emissions"]) or "x")
            if not emissions >= 0 or emissions == float("inf"):   # NaN and inf too
                raise ValueError
            if year in p["emissions"]:
                errors.append(f"{where}: year: {code} {year} is already given (line {seen[code, year]}); "
                              "give each party's year once")
                continue
            seen[code, year] = lines[code, year] = line
            p["emissions"][year] = int(emissions) if emissions.is_integer() else emissions
        except ValueError:
            errors.append(f"{where}: year, emissions: expected a year and a number of tonnes >= 0, "
                          f"got {shown(c['year'])}, {shown(c['emissions'])}")
        ndc_type = c.get("ndc_type", "").strip()
        if ndc_type and "ndc" not in p:
            p["ndc"] = _ndc(c, ndc_type, where, errors)
            lines[code, "ndc"] = line
        report = c.get("initial_report", "").strip()
        if report:
            lines[code, "initial_report"] = line
            try:
                p["initial_report"] = datetime.date.fromisoformat(report)
            except ValueError:
                errors.append(f"{where}: initial_report: expected a date like 2022-03-01, got {shown(report)}")
    return out


def _ndc(c, ndc_type, where, errors) -> dict:
    def num(col):
        t = c.get(col, "").strip()
        if not t:
            return None
        try:
            v = float(without_thousands(t) or "x")
        except ValueError:
            errors.append(f"{where}: {col}: expected a number, got {shown(t)}"
                          + (" (a comma only between groups of three digits, as 1,000; decimals with a point)"
                             if "," in t else ""))
            return None
        return int(v) if v.is_integer() else v
    period = [num("ndc_start"), num("ndc_end")]
    for col in ("ndc_start", "ndc_end"):
        if not c.get(col, "").strip():
            errors.append(f"{where}: {col}: expected the {'first' if col == 'ndc_start' else 'last'} year of "
                          f"the NDC period (with ndc_type {shown(ndc_type)})")
    ndc = {"type": ndc_type, "period": period}
    if ndc_type == "single-year":
        ndc.update(target_year=num("target_year"), target=num("target"), method=c.get("method", "").strip() or None)
        if ndc["method"] == "trajectory":
            errors.append(f"{where}: method: the trajectory method needs a trajectory; write it in the scenario "
                          "(the parties table gives averaging single-year or multi-year budget NDCs)")
    elif ndc_type == "multi-year":
        ndc["budget"] = num("budget")
    else:
        errors.append(f"{where}: ndc_type: expected single-year or multi-year, got {shown(ndc_type)}")
    return {k: v for k, v in ndc.items() if v is not None}


def import_blocks(blocks: str | Path, parties: Optional[str | Path] = None, out_name: str = "scenario.yaml",
                  oimp_international: str = "use-or-cancellation", date_order: str = "dmy") -> str:
    """Read the tables; return the scenario's YAML text (validated). Raises :class:`BlockTableError`.

    ``oimp_international``: ``use-or-cancellation`` (default) or ``refuse``, for CA Reporting
    Tool rows authorised only for OIMP with "First international transfer" (layouts._tool);
    ``date_order``: ``dmy`` (default) or ``mdy``, how ``a/b/yyyy`` dates read."""
    blocks = Path(blocks)
    header, rows = _read_csv(blocks)
    layout = detect(header)
    if layout is None:
        raise BlockTableError([f"{blocks}:1: header: expected the columns of a6sim's layout "
                               f"({', '.join(LAYOUTS['a6sim'])}) or of the CA Reporting Tool's Detailed Credit "
                               f"Data tab ({', '.join(LAYOUTS['ca-reporting-tool'])})"])
    errors, good = [], []
    for line, cells in rows:
        row, problems = parse_row(layout, cells, oimp_international, date_order)
        errors += [f"{blocks}:{line}: {col}: {what}" for col, what in problems]
        if row is not None:
            good.append((line, row))
    if not rows:
        errors.append(f"{blocks}:2: expected at least one block row")
    party_lines: dict = {}
    party_data = _parties(Path(parties), errors, party_lines) if parties else {}
    if errors:
        raise BlockTableError(errors)
    text = scenario_text(blocks, layout, good, party_data, parties is not None)
    _validate(text, out_name, blocks, layout, [line for line, _ in good], parties, party_lines)
    return text


def _validate(text, out_name, blocks, layout, lines, parties=None, party_lines=None) -> None:
    from ..scenario import ScenarioError, scenario_from_text
    try:
        scenario_from_text(text, out_name)
    except ScenarioError as exc:
        out = []
        for issue in exc.issues:
            path = issue.path
            if len(path) >= 2 and path[0] == "issuances" and isinstance(path[1], int):
                column = _FIELD_COLUMN[layout].get(path[2] if len(path) > 2 else "", "row")
                # another block named by its scenario index ("issuances[0]") is named by its line
                message = re.sub(r"issuances\[(\d+)\]", lambda m: f"line {lines[int(m[1])]}"
                                 if int(m[1]) < len(lines) else m[0], issue.message)
                out.append(f"{blocks}:{lines[path[1]]}: {column}: {message}")
            elif party_lines and len(path) >= 3 and path[0] == "parties" and (path[1],) in party_lines:
                out.append(f"{parties}:{_party_line(path, party_lines)}: {_party_column(path)}: {issue.message}")
            else:
                out.append(str(issue))
        raise BlockTableError(out) from None


_NDC_COLUMN = {"type": "ndc_type", "budget": "budget", "target_year": "target_year", "target": "target",
               "method": "method"}


def _party_line(path: tuple, lines: dict) -> int:
    """The parties-table line of a scenario problem at ``("parties", code, ...)``."""
    code, field = path[1], path[2]
    if field == "emissions" and len(path) > 3 and (code, path[3]) in lines:
        return lines[code, path[3]]
    return lines.get((code, field), lines[(code,)])


def _party_column(path: tuple) -> str:
    """The parties-table column of a scenario problem at ``("parties", code, field, ...)``."""
    field = path[2]
    if field == "ndc" and len(path) == 3:   # the NDC as a whole: a multi-year NDC without its budget
        return "budget"
    if field == "ndc" and len(path) > 3:
        if path[3] == "period":
            return "ndc_start" if len(path) > 4 and path[4] == 0 else ("ndc_end" if len(path) > 4 else "ndc_start, ndc_end")
        return _NDC_COLUMN.get(path[3], "ndc_type")
    if field == "emissions":
        return "year, emissions" if len(path) > 3 else "emissions"
    return field if field in ("name", "initial_report") else "party"


def _q(value) -> str:
    """A YAML scalar: dates and numbers plain, text as a JSON string (valid YAML)."""
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def scenario_text(blocks: Path, layout: str, rows, party_data: dict, with_parties: bool) -> str:
    """The scenario YAML of read rows (one flow mapping per issuance, in table order)."""
    years = [r.date.year for _, r in rows] + [r.vintage for _, r in rows]
    # the run starts with the parties' NDC periods too (a 2021-2030 NDC with blocks from 2022
    # would otherwise start after its period: refused), and ends with the last block or 2030
    ndc_starts = [p["ndc"]["period"][0] for p in party_data.values()
                  if isinstance(p.get("ndc", {}).get("period", [None])[0], int)]
    start, end = min(years + ndc_starts), max(max(years), 2030)
    auths: dict[str, tuple] = {}
    holders = set()
    for _, r in rows:
        if r.authorisation and r.authorisation not in auths:
            auths[r.authorisation] = (r.host, r.authorisation_date, r.purpose, r.first_transfer, r.cooperative_approach)
        if r.holder:
            holders.add(r.holder)
    programmes = {r.programme for _, r in rows}
    parties = dict(party_data)
    for code in sorted({r.host for _, r in rows} | {h for h in holders if h not in programmes and alpha3(h)}):
        parties.setdefault(code, {"name": _country_name(code)})
    out = io.StringIO()
    w = out.write
    w("a6sim: 2\n")
    w(f"name: {_q('Credit blocks from ' + blocks.name)}\n")
    note = ("Written by a6sim import blocks from " + blocks.name + f" ({layout} layout, {len(rows)} blocks). "
            + ("Inventories and NDCs from the parties table." if with_parties else
               "No parties table was given: the parties have no inventory or NDC, so balances and attainment "
               "are left empty; give --parties for them."))
    w(f"description: {_q(note)}\n")
    w(f"period: {{start: {start}, end: {end}}}\n")
    w("parties:\n")
    for code, p in sorted(parties.items()):
        w(f"  {code}:\n    name: {_q(p['name'])}\n")
        if p.get("emissions"):
            w("    emissions: {" + ", ".join(f"{y}: {v}" for y, v in sorted(p["emissions"].items())) + "}\n")
        if p.get("initial_report"):
            w(f"    initial_report: {p['initial_report']}\n")
        if p.get("ndc"):
            w("    ndc: {" + ", ".join(f"{k}: {_ndc_value(v)}" for k, v in p["ndc"].items()) + "}\n")
    if auths:
        w("authorisations:\n")
        for aid, (host, date, purpose, ft, coop) in auths.items():
            fields = [f"host: {host}", f"date: {date}", f"purpose: {_q(purpose)}"]
            if ft:
                fields.append(f"first_transfer: {ft}")
            if coop:
                fields.append(f"cooperative_approach: {_q(coop)}")
            w(f"  {aid}: {{{', '.join(fields)}}}\n")
    w("issuances:\n")
    for _, r in rows:
        fields = [f"date: {r.date}", f"host: {r.host}", f"programme: {_q(r.programme)}", f"project: {_q(r.project)}",
                  f"vintage: {r.vintage}", f"quantity: {r.quantity}"]
        if r.serials:
            fields.append(f"serials: {_q(r.serials)}")
        if r.authorisation:
            fields.append(f"authorisation: {r.authorisation}")
        if r.holder:
            fields.append(f"holder: {_q(r.holder)}")
        w("  - {" + ", ".join(fields) + "}\n")
    return out.getvalue()


def _ndc_value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return _q(v)


def _country_name(code: str) -> str:
    return country_name(code) or code
