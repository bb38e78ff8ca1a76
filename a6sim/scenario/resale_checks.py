"""Resale agreements (a secondary market): which agreements are resales, and their checks.

An agreement whose seller hosts none of its activities is a *resale*: the seller
sells units it holds (bought earlier through another agreement, or recorded in a
format v2 history) instead of units its activities issue (docs/how-a6sim-counts.md,
"Resale agreements"). Only the host authorises (2/CMA.3 annex paras 1-2), so a resale
carries no authorisation of its own: it delivers units under the authorisation they
already carry. A resale may name a recorded project as ``{programme}-{project}``.

The checks refuse, each at its field, what can never work: a seller that can never
hold units of an activity (no agreement or recorded transfer brings them to it), an
authorisation, the host-side fields (``share``, ``transfer_lag_days``, share of
proceeds and OMGE in units), a missing ``quantity``, and ``quantity`` or
``delivery_day`` on a host's agreement.
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict

__all__ = ["is_resale", "activity_hosts", "resale_issues", "resale_holders", "host_agreement_issues",
           "delivery_date", "DEFAULT_DELIVERY_DAY"]

DEFAULT_DELIVERY_DAY = "12-31"
_MONTH_DAY = re.compile(r"[0-9]{2}-[0-9]{2}")


def activity_hosts(m) -> dict[str, set[str]]:
    """Host(s) by activity: each modelled activity, and each recorded project ``{programme}-{project}``."""
    hosts: dict[str, set[str]] = {a: {act.host} for a, act in m.activities.items()}
    for iss in getattr(m, "issuances", ()):
        hosts.setdefault(f"{iss.programme}-{iss.project}", set()).add(iss.host)
    return hosts


def is_resale(m, ag, hosts: dict | None = None) -> bool:
    """Is the agreement a resale? Its seller is an entity, or a party hosting none of the
    (known) activities it names, at least one of which is known."""
    if ag.seller in m.entities and ag.seller not in m.parties:
        return True
    hosts = activity_hosts(m) if hosts is None else hosts
    known = [hosts[a] for a in ag.activities if a in hosts]
    return bool(known) and all(ag.seller not in h for h in known)


def delivery_date(ag, year: int) -> datetime.date:
    """The day of a resale's delivery in ``year`` (``delivery_day`` MM-DD, default 31
    December); ValueError if it is not a day of that year."""
    text = ag.delivery_day or DEFAULT_DELIVERY_DAY
    if not _MONTH_DAY.fullmatch(text):
        raise ValueError(text)
    return datetime.date(year, int(text[:2]), int(text[3:]))


def resale_holders(m, hosts: dict | None = None) -> dict[str, set[str]]:
    """Who can ever hold units of each activity in a holding account.

    The buyers of the host's agreements drawing on it; for a recorded project, the
    holders its blocks are issued to and the receivers of recorded transfers that may
    select them; then, until nothing changes, the buyers of resales whose seller can
    hold them. A generous answer: it refuses only what can never happen.
    """
    hosts = activity_hosts(m) if hosts is None else hosts
    can: dict[str, set[str]] = defaultdict(set)
    resales = []
    for ag in m.agreements.values():
        if is_resale(m, ag, hosts):
            resales.append(ag)
        else:
            for a in ag.activities:
                can[a].add(ag.buyer)
    for iss in getattr(m, "issuances", ()):
        can[f"{iss.programme}-{iss.project}"].add(iss.holder or iss.programme)
    projects = {f"{i.programme}-{i.project}": (i.programme, i.project) for i in getattr(m, "issuances", ())}
    for t in getattr(m, "transactions", ()):
        if t.action != "transfer" or not t.to:
            continue
        sel = t.select
        for key, (programme, project) in projects.items():
            if sel is None or ((sel.project is None or sel.project == project) and
                               (sel.programme is None or sel.programme == programme)):
                can[key].add(t.to)
    changed = True
    while changed:
        changed = False
        for ag in resales:
            for a in ag.activities:
                if ag.seller in can[a] and ag.buyer not in can[a]:
                    can[a].add(ag.buyer)
                    changed = True
    return can


def resale_issues(m, gid: str, ag, hosts: dict, holders: dict) -> list[tuple[tuple, str]]:
    """Problems of one resale agreement, as ``(path, message)``."""
    out: list[tuple[tuple, str]] = []
    path = ("agreements", gid)
    seller = ag.seller
    for i, a in enumerate(ag.activities):
        if a not in hosts:
            out.append((path + ("activities", i), f"unknown activity or recorded project {a!r} (a resale names "
                                                  "modelled activities, or recorded projects as {programme}-{project})"))
        elif seller != ag.buyer and seller not in holders.get(a, ()):
            out.append((path + ("activities", i),
                        f"{seller} can never hold units of {a!r} (hosted by {', '.join(sorted(hosts[a]))}): no "
                        "agreement or recorded transfer delivers them to it, and a resale sells only what the "
                        "seller holds"))
    if ag.authorisation is not None:
        out.append((path + ("authorisation",),
                    f"a resale carries no authorisation of its own: only the host authorises its units (2/CMA.3 "
                    f"annex paras 1-2); {seller} sells units under the authorisation they already carry"))
    fields = ag.model_fields_set
    if "share" in fields:
        out.append((path + ("share",), "share of each issuance applies to the host's agreements; a resale delivers "
                                       "quantity tonnes a year from the seller's holdings"))
    if "transfer_lag_days" in fields:
        out.append((path + ("transfer_lag_days",), "days from issuance apply to the host's agreements; a resale "
                                                   "delivers on its delivery_day"))
    if ag.sop.units > 0:
        out.append((path + ("sop", "units"), "share of proceeds in units is taken from a tranche when the host "
                                             "authorises it; a resale authorises nothing (sop.value, a share of "
                                             "the money paid, is allowed)"))
    if ag.omge.units > 0:
        out.append((path + ("omge", "units"), "OMGE units are cancelled from a tranche the host authorises, at "
                                              "issuance or first transfer; a resale authorises nothing"))
    if ag.quantity is None:
        out.append((path + ("quantity",), "required for a resale (the seller is not the host): tonnes delivered "
                                          "each year from its holdings, or a map {year: tonnes}"))
    elif isinstance(ag.quantity, dict):
        outside = sorted(y for y in ag.quantity if not m.period.start <= y <= m.period.end)
        if outside:
            out.append((path + ("quantity",), f"years outside the simulated period "
                                              f"{m.period.start}-{m.period.end}: {outside}"))
    out += _record_conflicts(m, path, ag, hosts)
    if ag.delivery_day is not None:
        try:
            delivery_date(ag, 2021)   # a year without 29 February: the day must exist every year
        except ValueError:
            out.append((path + ("delivery_day",), f"expected MM-DD, a day of every year (e.g. 06-30), got "
                                                  f"{ag.delivery_day!r}"))
    return out


def host_agreement_issues(gid: str, ag) -> list[tuple[tuple, str]]:
    """A host's agreement may not carry the resale fields."""
    out = []
    for name in ("quantity", "delivery_day"):
        if getattr(ag, name) is not None:
            out.append((("agreements", gid, name), f"only for a resale (a seller that is not the host of the "
                                                   f"activities); {ag.seller} hosts them: its agreement delivers "
                                                   "a share of each issuance"))
    return out


def _first_delivery(m, ag):
    """The date of a resale's first delivery (None: none falls in the simulated period)."""
    q = ag.quantity
    years = sorted(y for y, v in q.items() if v > 0) if isinstance(q, dict) else (
        range(m.period.start, m.period.end + 1) if q else ())
    for y in years:
        try:
            return delivery_date(ag, y)
        except ValueError:
            return None
    return None


def _record_conflicts(m, path, ag, hosts) -> list[tuple[tuple, str]]:
    """A resale of recorded units may not take units its seller still moves in the record.

    The recorded history is checked (and replayed) on its own; a resale that sold
    recorded units of a project before the seller's later recorded transfer, use or
    cancellation that may take units of that project could leave the record
    impossible. Refused, at ``quantity``: the modelled resale comes after the record.
    """
    projects = {f"{i.programme}-{i.project}": (i.programme, i.project) for i in getattr(m, "issuances", ())}
    named = [a for a in ag.activities if a in projects]
    first = _first_delivery(m, ag) if named else None
    if first is None:
        return []
    book = None
    for i, t in enumerate(m.transactions):
        if t.date <= first or ag.seller not in (t.from_holder if t.action == "transfer" else t.holder,):
            continue
        if t.select is not None:
            sel = t.select
            hit = [a for a in named if (sel.project is None or sel.project == projects[a][1]) and
                   (sel.programme is None or sel.programme == projects[a][0])]
        else:
            from ..history.book import Book
            from ..history.serials import parse_serials
            book = book or Book(m)
            rng = parse_serials(t.serials)[0]
            found = book.internal_range(rng) if rng is not None else None
            hit = [a for a in named if found is None or found[0] == a]
        if hit:
            return [(path + ("quantity",),
                     f"its first delivery ({first}) comes before {ag.seller}'s recorded {t.action} of "
                     f"{t.date} (transactions[{i}]), which may take units of {hit[0]!r}: a resale of recorded "
                     f"units starts after the seller's last recorded transaction on them: deliver after "
                     f"{t.date} (quantity as a map of later years, or a later delivery_day)")]
    return []
