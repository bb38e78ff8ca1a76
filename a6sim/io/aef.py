"""The Agreed Electronic Format tables (decisions 6/CMA.4, 4/CMA.6) as CSV.

Written into ``aef/`` of a result folder, column names after the AEF's labels:

* ``authorisations.csv``: one row per authorisation (an agreement's or a recorded
  one): id, cooperative approach, authorising party, date (``year only`` where the
  record gives a year), purposes, OIMP first-transfer definition, authorised entities;
* ``actions.csv``: one row per block movement of the ledger (issuance,
  authorization, first transfer, transfer, acquisition, use, cancellation, ...),
  with the serial range (recorded serials as the programme wrote them), dates,
  parties, purposes;
* ``holdings.csv``: holdings per registry account, unit type and vintage on every
  31 December;
* ``annual_information.csv``: per party and year, the totals of the actions above
  and what its registry held on 31 December (the annual information due 15 April of
  the next year).
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pandas as pd

__all__ = ["aef_tables", "write_aef", "AEF_COLUMNS"]

AEF_COLUMNS = {
    "authorisations": ["Authorization ID", "Cooperative approach ID", "Authorizing Party", "Date of authorization",
                       "Date precision", "Purposes for authorization", "OIMP first transfer definition",
                       "Authorized entities", "Source"],
    "actions": ["Action ID", "Action date", "Action type", "Cooperative approach ID", "Authorization ID",
                "Unique identifier (serial range)", "First serial", "Last serial", "Vintage",
                "First transferring Party", "Transferring participating Party", "Acquiring participating Party",
                "Using participating Party or authorized entity", "Purposes for authorization",
                "First transfer", "Purpose of use", "Use year", "Unit type", "Quantity (tCO2e)", "Project"],
    "holdings": ["Date", "Party", "Registry account", "Holder", "Unit type", "Vintage", "Quantity (tCO2e)"],
    "annual_information": ["Party", "Year", "Authorized", "First transferred", "Transferred", "Acquired",
                           "Used towards NDC", "Used for OIMP", "Cancelled", "Voluntarily cancelled",
                           "Held on 31 December"],
}
_PURPOSE_WORDS = {"NDC": "NDC", "OIMP": "OIMP", "NDC and OIMP": "NDC and OIMP"}


def _authorisations(model):
    rows, coop = [], {}
    for gid, ag in model.agreements.items():
        a = ag.authorisation
        if a is None:
            continue
        coop[gid] = gid
        rows.append([gid, gid, ag.seller, a.date, "date", a.purpose,
                     (a.first_transfer or "international-transfer") if a.purpose != "NDC" else "", ag.buyer if ag.buyer in model.entities else "", "agreement"])
    for aid, a in model.authorisations.items():
        coop[aid] = a.cooperative_approach
        year_only = isinstance(a.date, int)
        rows.append([aid, a.cooperative_approach, a.host, f"{a.date}" if year_only else a.date,
                     "year only" if year_only else "date", a.purpose,
                     (a.first_transfer or "international-transfer") if a.purpose != "NDC" else "",
                     "; ".join(a.entities), "recorded"])
    return rows, coop


def aef_tables(results) -> dict[str, pd.DataFrame]:
    """The four AEF tables of a run, as DataFrames."""
    w = results.world
    reg, cal, model = w.registry, w.cal, w.model
    auth_rows, coop = _authorisations(model)
    purposes = {r[0]: r[5] for r in auth_rows}
    book = w.history.book if w.history is not None else None
    accounts = reg.accounts
    actions, annual = [], defaultdict(lambda: defaultdict(int))
    for r in reg.ledger:
        src = accounts[r.from_account] if r.from_account else None
        dst = accounts[r.to_account]
        year = cal.year_of(r.day)
        serial = book.external(r.activity, r.vintage, r.first, r.last) if book is not None else ""
        transferring = acquiring = using = ""
        if r.action in ("first-transfer", "transfer"):
            transferring, acquiring = src.registry, dst.registry
            annual[(src.registry, year)]["Transferred"] += r.quantity
        elif r.action == "acquisition":
            acquiring = dst.registry
            annual[(dst.registry, year)]["Acquired"] += r.quantity
        elif r.action in ("use", "voluntary-cancellation", "cancellation"):
            using = dst.owner
            column = {"ndc-use": "Used towards NDC", "oimp-use": "Used for OIMP",
                      "voluntary-cancellation": "Voluntarily cancelled"}.get(dst.kind, "Cancelled")
            annual[(dst.registry, year)][column] += r.quantity
        elif r.action == "authorization" and src is not None:
            annual[(r.host, year)]["Authorized"] += r.quantity
        if r.first_transfer:
            annual[(r.host, year)]["First transferred"] += r.quantity
        project = book.projects.get(r.activity, ("", ""))[1] if book is not None else ""
        actions.append([r.seq, cal.date_of(r.day), r.action, coop.get(r.agreement, ""),
                        r.agreement if r.agreement in purposes else "",
                        serial or f"{r.host}-{r.activity}-{r.vintage}-{r.first}:{r.last}", r.first, r.last,
                        r.vintage, r.host, transferring, acquiring, using, purposes.get(r.agreement, ""),
                        "yes" if r.first_transfer else "no", r.purpose if r.action == "use" else "",
                        (r.use_year if r.use_year is not None else year) if dst.kind == "ndc-use" else "",
                        r.unit_type, r.quantity, project or r.activity])
    holdings = []
    for day, totals in w.snapshots:
        date = cal.date_of(day)
        for (acc, utype, vintage), q in sorted(totals.items()):
            a = accounts[acc]
            holdings.append([date, a.registry, acc, a.owner, utype, vintage, q])
            if a.kind in ("holding", "activity"):
                annual[(a.registry, date.year)]["Held on 31 December"] += q
    parties = list(model.parties)
    info = []
    for party in parties:
        for year in results.scenario.years:
            figures = annual.get((party, year), {})
            info.append([party, year] + [figures.get(c, 0) for c in AEF_COLUMNS["annual_information"][2:]])
    out = {}
    for name, rows in (("authorisations", auth_rows), ("actions", actions), ("holdings", holdings),
                       ("annual_information", info)):
        out[name] = pd.DataFrame(rows, columns=AEF_COLUMNS[name])
    return out


def write_aef(results, folder: Path, format: str = "csv") -> list[Path]:
    """Write the AEF tables into ``folder`` (inside a result's temporary folder, so the
    result writer moves them into place with the rest); return the files written."""
    from .write import csv_text
    folder.mkdir()
    written = []
    for name, df in results.aef.items():
        path = folder / f"{name}.{format}"
        if format == "csv":
            path.write_text(csv_text(df), encoding="utf-8")
        else:
            df.astype({c: str for c in df.columns if df[c].dtype == object}).to_parquet(path, index=False)
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        written.append(path)
    return written
