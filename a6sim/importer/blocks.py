"""Build a format-v2 scenario from a credit block table (and optionally a parties table).

Every row that cannot be read is reported as ``file:line: column: what was
expected``; the scenario is then validated like any other (serial overlaps, hosts,
...) with its problems located at the block table's rows. Nothing is written unless
every row is good.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Optional

from .countries import alpha3, country_name
from .layouts import LAYOUTS, detect, parse_row

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


class BlockTableError(ValueError):
    """The tables cannot be imported; ``lines`` lists every located problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__(f"{len(lines)} problem{'s' if len(lines) != 1 else ''}:\n" + "\n".join(f"  {x}" for x in lines))


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BlockTableError([f"{path}: cannot read file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise BlockTableError([f"{path}: not UTF-8 text (byte {exc.start}); export the sheet as CSV UTF-8"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BlockTableError([f"{path}:1: the file is empty; expected a header row"]) from None
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((reader.line_num, dict(zip(header, cells))))
    return header, rows


def _parties(path: Path, errors: list[str]) -> dict:
    header, rows = _read_csv(path)
    missing = [c for c in PARTY_COLUMNS if c not in header]
    if missing:
        errors.append(f"{path}:1: expected the columns {', '.join(PARTY_COLUMNS)} (missing {', '.join(missing)}), "
                      f"optionally {', '.join(NDC_COLUMNS)}")
        return {}
    out: dict[str, dict] = {}
    for line, c in rows:
        where = f"{path}:{line}"
        party = c["party"].strip()
        code = party if len(party) == 3 and party.isupper() else alpha3(party)
        if code is None:
            errors.append(f"{where}: party: expected an ISO 3166 alpha-3 code or country name, got {party!r}")
            continue
        p = out.setdefault(code, {"name": c["name"].strip() or code, "emissions": {}})
        try:
            year, emissions = int(c["year"]), float(c["emissions"].replace(",", ""))
            if emissions < 0:
                raise ValueError
            p["emissions"][year] = int(emissions) if emissions.is_integer() else emissions
        except ValueError:
            errors.append(f"{where}: year, emissions: expected a year and a number of tonnes >= 0, "
                          f"got {c['year']!r}, {c['emissions']!r}")
        ndc_type = c.get("ndc_type", "").strip()
        if ndc_type and "ndc" not in p:
            p["ndc"] = _ndc(c, ndc_type, where, errors)
        report = c.get("initial_report", "").strip()
        if report:
            try:
                p["initial_report"] = datetime.date.fromisoformat(report)
            except ValueError:
                errors.append(f"{where}: initial_report: expected a date like 2022-03-01, got {report!r}")
    return out


def _ndc(c, ndc_type, where, errors) -> dict:
    def num(col):
        t = c.get(col, "").strip().replace(",", "")
        if not t:
            return None
        try:
            v = float(t)
        except ValueError:
            errors.append(f"{where}: {col}: expected a number, got {t!r}")
            return None
        return int(v) if v.is_integer() else v
    ndc = {"type": ndc_type, "period": [num("ndc_start"), num("ndc_end")]}
    if ndc_type == "single-year":
        ndc.update(target_year=num("target_year"), target=num("target"), method=c.get("method", "").strip() or None)
        if ndc["method"] == "trajectory":
            errors.append(f"{where}: method: the trajectory method needs a trajectory; write it in the scenario "
                          "(the parties table gives averaging single-year or multi-year budget NDCs)")
    elif ndc_type == "multi-year":
        ndc["budget"] = num("budget")
    else:
        errors.append(f"{where}: ndc_type: expected single-year or multi-year, got {ndc_type!r}")
    return {k: v for k, v in ndc.items() if v is not None}


def import_blocks(blocks: str | Path, parties: Optional[str | Path] = None, out_name: str = "scenario.yaml") -> str:
    """Read the tables; return the scenario's YAML text (validated). Raises :class:`BlockTableError`."""
    blocks = Path(blocks)
    header, rows = _read_csv(blocks)
    layout = detect(header)
    if layout is None:
        raise BlockTableError([f"{blocks}:1: header: expected the columns of a6sim's layout "
                               f"({', '.join(LAYOUTS['a6sim'])}) or of the CA Reporting Tool's Detailed Credit "
                               f"Data tab ({', '.join(LAYOUTS['ca-reporting-tool'])})"])
    errors, good = [], []
    for line, cells in rows:
        row, problems = parse_row(layout, cells)
        errors += [f"{blocks}:{line}: {col}: {what}" for col, what in problems]
        if row is not None:
            good.append((line, row))
    if not rows:
        errors.append(f"{blocks}:2: expected at least one block row")
    party_data = _parties(Path(parties), errors) if parties else {}
    if errors:
        raise BlockTableError(errors)
    text = scenario_text(blocks, layout, good, party_data, parties is not None)
    _validate(text, out_name, blocks, layout, [line for line, _ in good])
    return text


def _validate(text, out_name, blocks, layout, lines) -> None:
    from ..scenario import ScenarioError, scenario_from_text
    try:
        scenario_from_text(text, out_name)
    except ScenarioError as exc:
        out = []
        for issue in exc.issues:
            path = issue.path
            if len(path) >= 2 and path[0] == "issuances" and isinstance(path[1], int):
                column = _FIELD_COLUMN[layout].get(path[2] if len(path) > 2 else "", "row")
                out.append(f"{blocks}:{lines[path[1]]}: {column}: {issue.message}")
            else:
                out.append(str(issue))
        raise BlockTableError(out) from None


def _q(value) -> str:
    """A YAML scalar: dates and numbers plain, text as a JSON string (valid YAML)."""
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def scenario_text(blocks: Path, layout: str, rows, party_data: dict, with_parties: bool) -> str:
    """The scenario YAML of read rows (one flow mapping per issuance, in table order)."""
    years = [r.date.year for _, r in rows] + [r.vintage for _, r in rows]
    start, end = min(years), max(max(years), 2030)
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
