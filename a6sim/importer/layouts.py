"""The two block-table layouts ``a6sim import blocks`` reads, detected by the header.

1. a6sim's own: ``programme, project, host, vintage, quantity, issuance_date,
   serials, authorisation_id, authorisation_date, purpose, first_transfer,
   cooperative_approach, holder`` (``authorisation_date`` may be a year).
2. The "Detailed Credit Data" tab of the Gold Standard & Verra "Article 6.2 CA
   Reporting Tool", exported as CSV: ``Programme, Project ID, Volume, Credit Serial
   Number, Vintage, Country, OIMP First Transfer Definition, Authorisation Year,
   Issuance Date, Issuance Year, Authorised for NDC?, Authorised for (O)IMP?,
   Cooperative Approach ID, Authorisation uploaded to the CARP``. Country names
   become ISO 3166 alpha-3 codes; NDC "Yes" with (O)IMP "Yes" is purpose "NDC and
   OIMP"; the authorisation is identified by country, cooperative approach, year and
   purpose (the tool gives it no id).

Each row becomes a :class:`Row` or a list of ``(column, what was expected)``.
"""
from __future__ import annotations

import datetime
import re
from typing import NamedTuple, Optional

from ..history.serials import parse_serials
from .countries import alpha2, alpha3

__all__ = ["Row", "detect", "LAYOUTS", "parse_row", "shown", "without_thousands"]

OWN = ["programme", "project", "host", "vintage", "quantity", "issuance_date", "serials", "authorisation_id",
       "authorisation_date", "purpose", "first_transfer", "cooperative_approach", "holder"]
TOOL = ["Programme", "Project ID", "Volume", "Credit Serial Number", "Vintage", "Country",
        "OIMP First Transfer Definition", "Authorisation Year", "Issuance Date", "Issuance Year",
        "Authorised for NDC?", "Authorised for (O)IMP?", "Cooperative Approach ID",
        "Authorisation uploaded to the CARP"]
LAYOUTS = {"a6sim": OWN, "ca-reporting-tool": TOOL}
_PROGRAMMES = {"gold standard": "GS", "gs": "GS", "verra": "VCS", "vcs": "VCS", "verified carbon standard": "VCS",
               "a6.4": "A6.4", "article 6.4 mechanism": "A6.4", "pacm": "A6.4"}
_FIRST_TRANSFER = {"authorisation": "authorisation", "authorization": "authorisation", "issuance": "issuance",
                   "use or cancellation": "use-or-cancellation", "use-or-cancellation": "use-or-cancellation",
                   "use/cancellation": "use-or-cancellation", "international transfer": "international-transfer",
                   "international-transfer": "international-transfer",
                   # as the CA Reporting Tool writes them: its data says "First international transfer",
                   # its validation list offers "Use" (for use or cancellation)
                   "first international transfer": "international-transfer", "use": "use-or-cancellation",
                   "cancellation": "use-or-cancellation"}
_EMPTY = {"", "n/a", "na", "-", "none"}
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTHS = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)}


class Row(NamedTuple):
    """One credit block, read and checked."""
    programme: str
    project: str
    host: str
    vintage: int
    quantity: int
    date: datetime.date
    serials: Optional[str]
    authorisation: Optional[str]
    authorisation_date: object      # date or year (int), with an authorisation
    purpose: Optional[str]
    first_transfer: Optional[str]
    cooperative_approach: str
    holder: Optional[str]


def shown(text: str, limit: int = 60) -> str:
    """A cell as a message quotes it: ``repr``, cut to ``limit`` characters (a 50,000-character
    cell is named, not echoed)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def detect(header: list[str]) -> Optional[str]:
    """The layout whose columns the header has (extra columns are allowed), or None."""
    names = {h.strip() for h in header}
    for name, columns in LAYOUTS.items():
        if set(columns) <= names:
            return name
    return None


def _blank(text: str) -> bool:
    return text.strip().lower() in _EMPTY


_THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def without_thousands(text: str) -> str | None:
    """``text`` stripped, its thousands separators dropped (``"1,000"`` -> ``"1000"``); None for
    a comma anywhere else. A decimal comma (``45000000,5``, as Excel writes numbers where the
    comma is the decimal mark) is refused rather than read as 450000005."""
    t = text.strip()
    if "," not in t:
        return t
    return t.replace(",", "") if _THOUSANDS.fullmatch(t) else None


def _int(text: str, errors, column, what="a whole number"):
    t = without_thousands(text)
    if t is None:
        errors.append((column, f"expected {what}, got {shown(text)} (a comma only between groups of three "
                               "digits, as 1,000; decimals with a point)"))
        return None
    t = t.replace("_", "")
    if re.fullmatch(r"-?[0-9]{1,30}(\.0+)?", t):   # ASCII digits, bounded (int() refuses > 4300 digits)
        return int(float(t)) if "." in t else int(t)
    errors.append((column, f"expected {what}, got {shown(text)}"))
    return None


def _quantity(text, errors, column):
    q = _int(text, errors, column, "a whole number of tonnes")
    if q is not None and q <= 0:
        errors.append((column, f"expected a positive number of tonnes, got {text.strip()}"))
        return None
    return q


def _year(text, errors, column):
    y = _int(text, errors, column, "a year like 2023")
    if y is not None and not 1900 <= y <= 2200:
        errors.append((column, f"expected a year like 2023, got {text.strip()}"))
        return None
    return y


def _date(text: str, errors, column, year_ok=False, order: str = "dmy"):
    """A date cell; ``order``: how ``a/b/yyyy`` reads, day first (``dmy``, default) or month first
    (``mdy``, as a US-locale Excel saves dates); ``yyyy-mm-dd`` and month names are unambiguous."""
    t = text.strip()
    if year_ok and re.fullmatch(r"\d{4}", t):
        return int(t)
    # a time of day after the date (Excel writes a date-time cell so) is dropped: the day counts
    t = re.sub(r"(?<=\d)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "", t)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    d = re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})", t)   # 07/12/2023, or 07.12.2023 as German Excel writes
    # Excel's date display with a month name ("07-Dec-2023", "7 Dec 23", "7 December 2023"): unambiguous
    n = re.fullmatch(r"(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ](\d{4}|\d{2})", t)
    try:
        if m:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            day, month = (d[1], d[3]) if order == "dmy" else (d[3], d[1])
            return datetime.date(int(d[4]), int(month), int(day))
        month = _MONTHS.get(n[2].lower()[:3]) if n and (len(n[2]) == 3 or n[2].lower() in _MONTH_NAMES) else None
        if month:
            year = int(n[3]) + (2000 if len(n[3]) == 2 else 0)
            return datetime.date(year, month, int(n[1]))
    except ValueError:
        pass
    slashed = "07/12/2023 or 07.12.2023 (day/month/year)" if order == "dmy" else "12/07/2023 (month/day/year)"
    what = f"a date like 2023-12-07, {slashed} or 07-Dec-2023" + (" or a year" if year_ok else "")
    if d and _date(t, [], column, order="mdy" if order == "dmy" else "dmy") is not None:
        what += f" (it reads as {'month/day' if order == 'dmy' else 'day/month'}/year: give --date-order " \
                f"{'mdy' if order == 'dmy' else 'dmy'} if the table writes dates so)"
    errors.append((column, f"expected {what}, got {shown(text)}"))
    return None


def _country(text, errors, column):
    code = alpha3(text) if not _blank(text) else None
    if code is None:
        errors.append((column, f"expected a country name or ISO 3166 alpha-3 code, got {shown(text)}"))
    return code


def _yes(text, errors, column):
    t = text.strip().lower()
    if t in ("yes", "y", "true", "1"):
        return True
    if t in ("no", "n", "false", "0") or t in _EMPTY:
        return False
    errors.append((column, f"expected Yes or No, got {shown(text)}"))
    return None


def _programme(text: str) -> str:
    t = text.strip()
    key = _PROGRAMMES.get(t.lower())
    return key or (re.sub(r"[^A-Za-z0-9_.\-]+", "-", t).strip("-") or "programme")


def _ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "-", text.strip()).strip("-.")[:64]


def parse_row(layout: str, cells: dict[str, str], oimp_international: str = "use-or-cancellation",
              date_order: str = "dmy") -> tuple[Optional[Row], list[tuple[str, str]]]:
    """Read one row of a layout; return ``(row, [])`` or ``(None, errors)``.

    ``oimp_international``: how a CA Reporting Tool row authorised only for OIMP with the
    definition "First international transfer" is read (see :func:`_tool`);
    ``date_order``: ``dmy`` (default) or ``mdy``, how ``a/b/yyyy`` dates read."""
    errors: list[tuple[str, str]] = []
    row = (_own(cells, errors, date_order) if layout == "a6sim"
           else _tool(cells, errors, oimp_international, date_order))
    serial_col, quantity_col = ("serials", "quantity") if layout == "a6sim" else ("Credit Serial Number", "Volume")
    _check_serials(cells[serial_col], cells[quantity_col], serial_col, errors)
    if row is not None and row.serials and not errors:
        _check_serial_fields(row, serial_col, errors)
    return (None, errors) if errors else (row, [])


def _check_serial_fields(row: Row, column: str, errors) -> None:
    """The vintage and country a serial number spells must be the block's own: a Verra
    serial ends ``...-VER-{country}-{sector}-{project}-{ddmmyyyy}-{ddmmyyyy}-{flag}`` (the
    monitoring period: the vintage must fall in it), a Gold Standard one starts
    ``GS1-1-{country}-GS{project}-{sector}-{vintage}-...``. A serial of another form is not
    read for them. A mismatch means the row's cells are not of one block (a misaligned row,
    or the wrong serial pasted): refused, so no figure is written from it."""
    parts = row.serials.split("-")
    country = vintages = None
    if "VER" in parts and len(parts) >= 4 and parts[3].upper() == "VCS":
        i = parts.index("VER")
        country = parts[i + 1] if i + 1 < len(parts) else None
        dates = [x for x in parts[i + 1:] if re.fullmatch(r"\d{8}", x)]
        if len(dates) >= 2:
            vintages = (int(dates[-2][4:]), int(dates[-1][4:]), f"{dates[-2]}-{dates[-1]}")
    elif parts[0].upper().startswith("GS") and len(parts) >= 9 and parts[3].upper().startswith("GS"):
        country = parts[2]
        if re.fullmatch(r"(19|20|21)\d\d", parts[5]):
            vintages = (int(parts[5]), int(parts[5]), parts[5])
    if vintages and not vintages[0] <= row.vintage <= vintages[1]:
        errors.append((column, f"the serial names the vintage {vintages[2]}; the block's vintage is {row.vintage}"))
    code = alpha2(row.host)
    if country and re.fullmatch(r"[A-Z]{2}", country) and code and country != code:
        errors.append((column, f"the serial names the country {country}; the block's country is {row.host} ({code})"))


def _check_serials(text: str, quantity: str, column: str, errors) -> None:
    """A serial range must hold the block's quantity (a6sim/history/serials.py)."""
    if _blank(text):
        return
    rng, expected = parse_serials(text)
    if rng is None:
        errors.append((column, f"expected {expected}, got {shown(text.strip())}"))
        return
    q = without_thousands(quantity) or ""
    if re.fullmatch(r"[0-9]{1,30}", q) and int(q) != rng.quantity:
        errors.append((column, f"the range {rng.first}-{rng.last} holds {rng.quantity:,} units; the block has {int(q):,}"))


def _own(c, errors, order: str = "dmy") -> Optional[Row]:
    programme = _programme(c["programme"]) if not _blank(c["programme"]) else None
    if programme is None:
        errors.append(("programme", "expected the crediting programme (GS, VCS, A6.4, ...)"))
    project = c["project"].strip()
    if not project:
        errors.append(("project", "expected the project id"))
    host = _country(c["host"], errors, "host")
    vintage = _year(c["vintage"], errors, "vintage")
    quantity = _quantity(c["quantity"], errors, "quantity")
    date = _date(c["issuance_date"], errors, "issuance_date", order=order)
    auth = c["authorisation_id"].strip() or None
    auth_date = purpose = ft = None
    if auth is not None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", auth):
            errors.append(("authorisation_id", f"expected an id of letters, digits, '-', '_' or '.', got {shown(auth)}"))
        auth_date = _date(c["authorisation_date"], errors, "authorisation_date", year_ok=True, order=order)
        purpose = c["purpose"].strip()
        if purpose not in ("NDC", "OIMP", "NDC and OIMP"):
            errors.append(("purpose", f"expected NDC, OIMP or NDC and OIMP, got {shown(purpose)}"))
        ft = _first_transfer(c["first_transfer"], errors, "first_transfer")
    else:
        for col in ("authorisation_date", "purpose", "first_transfer"):
            if c[col].strip():
                errors.append((col, "only with an authorisation_id"))
    holder = c["holder"].strip() or None
    return Row(programme, project, host, vintage, quantity, date, c["serials"].strip() or None, auth, auth_date,
               purpose, ft, c["cooperative_approach"].strip(), holder) if not errors else None


def _first_transfer(text, errors, column):
    if _blank(text):
        return None
    ft = _FIRST_TRANSFER.get(text.strip().lower())
    if ft is None:
        errors.append((column, f"expected authorisation, issuance, use-or-cancellation or "
                               f"international-transfer, got {shown(text)}"))
    return ft


def _tool(c, errors, oimp_international: str = "use-or-cancellation", order: str = "dmy") -> Optional[Row]:
    """One row of the CA Reporting Tool's Detailed Credit Data tab.

    2/CMA.3 annex para 2(b) lets a host define the first transfer of units authorised
    only for OIMP as their authorisation, issuance, or use or cancellation. The tool's
    data also holds "First international transfer" for such units (Gambia, Sierra
    Leone), which the programmes read as happening when the units are retired; with
    ``oimp_international="use-or-cancellation"`` (the default) a6sim reads it so, with
    ``"refuse"`` the row is refused as naming no para 2(b) definition. For units also
    authorised for NDC use (purpose ``NDC and OIMP``) the first international transfer
    is a trigger in its own right (para 2(a)) and is kept."""
    programme = _programme(c["Programme"]) if not _blank(c["Programme"]) else None
    if programme is None:
        errors.append(("Programme", "expected the crediting programme (Gold Standard, Verra, ...)"))
    project = c["Project ID"].strip()
    if not project:
        errors.append(("Project ID", "expected the project id"))
    quantity = _quantity(c["Volume"], errors, "Volume")
    vintage = _year(c["Vintage"], errors, "Vintage")
    host = _country(c["Country"], errors, "Country")
    date = _date(c["Issuance Date"], errors, "Issuance Date", order=order)
    if date is not None and not _blank(c["Issuance Year"]):
        year = _year(c["Issuance Year"], errors, "Issuance Year")
        if year is not None and year != date.year:
            errors.append(("Issuance Year", f"expected the year of the Issuance Date ({date.year}), got {year}; "
                                            "dates are read " + ("day/month/year" if order == "dmy" else "month/day/year")))
    ndc = _yes(c["Authorised for NDC?"], errors, "Authorised for NDC?")
    oimp = _yes(c["Authorised for (O)IMP?"], errors, "Authorised for (O)IMP?")
    coop = "" if _blank(c["Cooperative Approach ID"]) else c["Cooperative Approach ID"].strip()   # the tool writes NA
    auth = auth_year = purpose = ft = None
    if ndc or oimp:
        purpose = "NDC and OIMP" if ndc and oimp else ("NDC" if ndc else "OIMP")
        auth_year = _year(c["Authorisation Year"], errors, "Authorisation Year")
        ft = _first_transfer(c["OIMP First Transfer Definition"], errors, "OIMP First Transfer Definition")
        if oimp and not ndc and ft == "international-transfer" and oimp_international == "use-or-cancellation":
            ft = "use-or-cancellation"
        if oimp and not ndc and ft in (None, "international-transfer"):
            errors.append(("OIMP First Transfer Definition", "expected the OIMP first-transfer definition "
                                                            "(Authorisation, Issuance or Use or cancellation; "
                                                            "2/CMA.3 annex para 2(b))"
                           + (", got 'First international transfer' (refused by "
                              "--oimp-international-transfer refuse)" if ft else "")))
        if ndc and not oimp:
            ft = None
        if host and auth_year:
            tag = {"NDC": "NDC", "OIMP": "OIMP", "NDC and OIMP": "NDC-OIMP"}[purpose]
            auth = _ident(f"{host}-{coop or 'CA'}-{auth_year}-{tag}" + (f"-{ft}" if ft else ""))
    return Row(programme, project, host, vintage, quantity, date,
               None if _blank(c["Credit Serial Number"]) else c["Credit Serial Number"].strip(),
               auth, auth_year, purpose, ft, coop, None) if not errors else None
