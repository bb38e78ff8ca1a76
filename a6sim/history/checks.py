"""Checks of the recorded history (format v2): what cannot have happened is refused.

Structural checks first (references, dates, serial ranges, the fields each action
needs); then, if those pass, a dry replay of the whole history in a scratch
registry (:class:`~a6sim.history.replay.Replayer`) locates every transaction that
asks for units its holder does not have, names serials already used or cancelled,
or uses units their authorisation does not cover. Every problem is reported, each at
its row.
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from ..registry import Registry
from ..scenario.errors import listed
from .book import Book, authorisation_date
from .replay import HistoryError, Replayer
from .serials import parse_serials

__all__ = ["history_issues"]

FIRST_VINTAGE = 2021
_OIMP_DEFINITIONS = ("authorisation", "issuance", "use-or-cancellation")


def history_issues(m) -> list[tuple[tuple, str]]:
    """Every problem of the recorded history of a schema-valid model, as ``(path, message)``."""
    if not (m.authorisations or m.issuances or m.transactions):
        return []
    if m.a6sim < 2:
        section = next(s for s in ("authorisations", "issuances", "transactions") if getattr(m, s))
        return [((section,), "recorded history needs format version 2 (a6sim: 2)")]
    out: list[tuple[tuple, str]] = []
    book = Book(m)
    first_day, last_day = datetime.date(m.period.start, 1, 1), datetime.date(m.period.end, 12, 31)
    _check_authorisations(out, m)
    _check_issuances(out, m, book, first_day, last_day)
    _check_transactions(out, m, book, first_day, last_day)
    # rows with a problem of their own are left out of the dry replay; the rest are replayed
    bad = {p[:2] for p, _ in out if p[0] in ("issuances", "transactions", "authorisations")}
    _dry_run(out, book, bad)
    return out


def _check_authorisations(out, m) -> None:
    for aid, a in m.authorisations.items():
        path = ("authorisations", aid)
        if a.host not in m.parties:
            out.append((path + ("host",), f"unknown party {a.host!r} (parties: {listed(m.parties)})"))
        if aid in m.agreements or aid in m.activities:
            out.append((path, f"{aid!r} is also an agreement or activity id; give the authorisation its own id"))
        ft = a.first_transfer
        if a.purpose == "NDC" and ft not in (None, "international-transfer"):
            out.append((path + ("first_transfer",),
                        "for purpose NDC the first transfer is the first international transfer (international-transfer)"))
        if a.purpose == "OIMP" and ft not in _OIMP_DEFINITIONS:
            out.append((path + ("first_transfer",), "purpose OIMP: the host must state the first-transfer definition: "
                                                    "authorisation | issuance | use-or-cancellation"))
        seen = set()
        for j, entity in enumerate(a.entities):   # reported in Table 4 as the authorised entities
            if entity not in m.entities:
                out.append((path + ("entities", j), f"unknown entity {entity!r} ("
                            + (f"entities: {listed(m.entities)})" if m.entities else "the scenario has no entities)")))
            elif entity in seen:
                out.append((path + ("entities", j), f"{entity!r} is listed twice"))
            seen.add(entity)
        if authorisation_date(a.date) > datetime.date(m.period.end, 12, 31):
            out.append((path + ("date",), f"{a.date} is after the simulated period {m.period.start}-{m.period.end}"))


def _check_issuances(out, m, book: Book, first_day, last_day) -> None:
    spans = defaultdict(list)
    for i, iss in enumerate(m.issuances):
        path = ("issuances", i)
        if iss.host not in m.parties:
            out.append((path + ("host",), f"unknown party {iss.host!r} (parties: {listed(m.parties)})"))
        if iss.programme in m.parties or iss.programme in m.entities:
            out.append((path + ("programme",), f"{iss.programme!r} is a party or entity id; a programme needs its own"))
        key = book.blocks[i].activity
        if key in m.activities:
            out.append((path + ("project",), f"the project key {key!r} is also a modelled activity id"))
        if not first_day <= iss.date <= last_day:
            out.append((path + ("date",), f"{iss.date} is outside the simulated period {m.period.start}-{m.period.end}"))
        if iss.vintage < FIRST_VINTAGE:
            out.append((path + ("vintage",), f"vintages start in {FIRST_VINTAGE} or later (Art. 6 outcomes), got {iss.vintage}"))
        elif iss.date.year < iss.vintage:
            out.append((path + ("date",), f"issued {iss.date}, before its vintage year {iss.vintage} began"))
        q = book.blocks[i].quantity
        if q <= 0 or not book.whole(iss.quantity):
            out.append((path + ("quantity",), f"expected a positive number of whole tonnes, got {iss.quantity}"
                        + _in_units(m)))
        if iss.serials is not None:
            rng, expected = parse_serials(iss.serials)
            if rng is None:
                out.append((path + ("serials",), f"expected {expected}"))
            elif q > 0 and rng.quantity != q:
                out.append((path + ("serials",), f"the range {rng.first}-{rng.last} holds {rng.quantity:,} units; "
                                                 f"quantity is {q:,}"))
            else:
                spans[rng.prefix].append((rng.first, rng.last, i))
        if iss.authorisation is not None:
            a = m.authorisations.get(iss.authorisation)
            if a is None:
                out.append((path + ("authorisation",), f"unknown authorisation {iss.authorisation!r}"))
            elif a.host != iss.host:
                out.append((path + ("authorisation",), f"authorisation {iss.authorisation!r} is by {a.host}, "
                                                       f"the block's host is {iss.host}"))
        holder = iss.holder or iss.programme
        if book.kind_of(holder) is None:
            out.append((path + ("holder",), f"unknown holder {holder!r} (a party, an entity or a programme registry)"))
    for prefix, ranges in spans.items():
        ranges.sort()
        for (f1, l1, i1), (f2, l2, i2) in zip(ranges, ranges[1:]):
            if f2 <= l1:
                out.append((("issuances", i2, "serials"), f"serials {f2}-{min(l1, l2)} were already issued "
                                                          f"(issuances[{i1}])"))


def _in_units(m) -> str:
    """`` MtCO2e`` where the file's units are not tonnes (0.0000015 MtCO2e is 1.5 t)."""
    return "" if m.units == "tCO2e" else f" {m.units}"


def _check_transactions(out, m, book: Book, first_day, last_day) -> None:
    for i, t in enumerate(m.transactions):
        path = ("transactions", i)
        if not first_day <= t.date <= last_day:
            out.append((path + ("date",), f"{t.date} is outside the simulated period {m.period.start}-{m.period.end}"))
        if book.tonnes(t.quantity) <= 0 or not book.whole(t.quantity):
            out.append((path + ("quantity",), f"expected a positive number of whole tonnes, got {t.quantity}"
                        + _in_units(m)))
        if (t.select is None) == (t.serials is None):
            out.append((path, "give exactly one of select (by project, vintage, programme, authorisation) or serials"))
        if t.select is not None and t.select.authorisation is not None and t.select.authorisation not in m.authorisations:
            out.append((path + ("select", "authorisation"), f"unknown authorisation {t.select.authorisation!r}"))
        if t.action == "transfer":
            for name, value in (("from", t.from_holder), ("to", t.to)):
                if value is None:
                    out.append((path + (name,), "required for a transfer"))
                elif book.kind_of(value) is None:
                    out.append((path + (name,), f"unknown holder {value!r} (a party, an entity or a programme registry)"))
            if t.from_holder is not None and t.from_holder == t.to:
                out.append((path + ("to",), "a transfer needs a holder other than the transferring one"))
            for name in ("holder", "purpose", "use_year"):
                if getattr(t, name) is not None:
                    out.append((path + (name,), f"not for a transfer ({'from and to' if name == 'holder' else 'uses only'})"))
            continue
        if t.holder is None:
            out.append((path + ("holder",), f"required for {t.action}"))
        elif book.kind_of(t.holder) is None:
            out.append((path + ("holder",), f"unknown holder {t.holder!r} (a party, an entity or a programme registry)"))
        for name, value in (("from", t.from_holder), ("to", t.to)):
            if value is not None:
                out.append((path + (name,), f"only for a transfer; {t.action} names its holder"))
        if t.action != "use":
            for name in ("purpose", "use_year"):
                if getattr(t, name) is not None:
                    out.append((path + (name,), f"only for action use, not {t.action}"))
        elif t.use_year is not None and (t.purpose or ("NDC" if t.holder in m.parties else "OIMP")) != "NDC":
            out.append((path + ("use_year",), "only for a use towards an NDC"))
        elif t.use_year is not None and not m.period.start <= t.use_year <= m.period.end:
            # a year outside the period is in no account: the use would count nowhere
            out.append((path + ("use_year",), f"{t.use_year} is outside the simulated period "
                                              f"{m.period.start}-{m.period.end}"))


def _dry_run(out, book: Book, bad: set) -> None:
    """Replay the history in a scratch registry; every impossible row is one problem.

    A row that fails is skipped, so later rows are still checked against what the
    holder would have."""
    reg = Registry()
    rep = Replayer(book, reg, ndc_and_oimp=book.model.settings.ndc_and_oimp_first_transfer)
    sections = ("authorisations", "issuances", "transactions")
    for day, rank, ref in book.steps:
        if (sections[rank], ref) in bad:
            continue
        try:
            rep.step(day, rank, ref)
        except HistoryError as exc:
            out.append((exc.path, exc.message))
