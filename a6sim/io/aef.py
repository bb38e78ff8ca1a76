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
from typing import TYPE_CHECKING

import numpy as np

from ..accounting.ndc import accounting_year
from ..holdings import HoldingRows

if TYPE_CHECKING:   # pandas is imported by the functions that build DataFrames
    import pandas as pd

__all__ = ["aef_tables", "write_aef", "AEF_COLUMNS", "Actions", "block_ids", "holding_columns"]

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


_TRANSFERS = frozenset(("first-transfer", "transfer"))
_ACQUIRES = frozenset(("first-transfer", "transfer", "acquisition"))
_USES = frozenset(("use", "voluntary-cancellation", "cancellation"))
_USE_COLUMN = {"ndc-use": "Used towards NDC", "oimp-use": "Used for OIMP", "voluntary-cancellation": "Voluntarily cancelled"}
_HELD_KINDS = frozenset(("holding", "activity"))


class Actions:
    """Builds the ``actions`` table from ledger rows, a chunk at a time, and adds each
    row to the annual information (:meth:`annual_rows`)."""

    def __init__(self, results):
        w = results.world
        self.results, self.cal = results, w.cal
        self.auth_rows, self.coop = _authorisations(w.model)
        self.purposes = {r[0]: r[5] for r in self.auth_rows}
        self.book = w.history.book if w.history is not None else None
        accounts = w.registry.accounts
        self.registry_of = {a: acc.registry for a, acc in accounts.items()}
        self.owner_of = {a: acc.owner for a, acc in accounts.items()}
        self.kind_of = {a: acc.kind for a, acc in accounts.items()}
        self.ndcs = w.ndcs   # party -> its NDC periods ([] without an NDC: accounting_year keeps the year)
        self.annual: dict[tuple, int] = defaultdict(int)    # (party, year, column) -> tonnes
        self._date: dict[int, object] = {}
        self._year: dict[int, int] = {}
        self._last_transfer = ""   # the registry the last transfer row left (for its acquisition row)

    def dates(self, days) -> list:
        """The :class:`datetime.date` of each day (one date object per distinct day)."""
        cache = self._date
        for d in set(days).difference(cache):
            cache[d] = self.cal.date_of(d)
        return list(map(cache.__getitem__, days))

    def years(self, days) -> list[int]:
        cache = self._year
        for d in set(days).difference(cache):
            cache[d] = self.cal.year_of(d)
        return list(map(cache.__getitem__, days))

    def columns(self, rows) -> list[list]:
        """The ``actions`` columns (values, in :data:`AEF_COLUMNS` order) of ``rows``
        (ledger rows), each added to the annual information."""
        if not rows:
            return [[] for _ in AEF_COLUMNS["actions"]]
        return [list(c) for c in self.zipped_columns(tuple(zip(*rows)))]

    def zipped_columns(self, zipped: tuple, blocks: list[str] | None = None, dates: list | None = None) -> list:
        """:meth:`columns` of ledger rows given as their columns (``zip(*rows)``). A
        column the ledger already has is given back as the same object (tuple);
        ``blocks``: the rows' ``host-activity-vintage-first:last`` ids, ``dates``: what
        to put in the date column, when already made."""
        (seq, day, action, quantity, host, activity, vintage, first, last, unit_type, src, dst, agreement,
         purpose, first_transfer, use_year) = zipped
        reg, owner, kind, coop, purposes = self.registry_of, self.owner_of, self.kind_of, self.coop, self.purposes
        years = self.years(day)
        dst_kind = list(map(kind.__getitem__, dst))
        if blocks is None:
            blocks = block_ids(host, activity, vintage, first, last)
        book = self.book
        if book is not None:
            # recorded serials: the range string and its first and last numbers as the programme
            # wrote them (the AEF's unique identifier, first and last ID), not a6sim's own numbering
            ext = list(map(book.external_range, activity, vintage, first, last))
            if any(ext):
                serial = [e[0] if e else b for e, b in zip(ext, blocks)]
                first = [e[1] if e else f for e, f in zip(ext, first)]
                last = [e[2] if e else x for e, x in zip(ext, last)]
            else:
                serial = blocks
            projects = book.projects
            project = [projects.get(a, ("", ""))[1] or a for a in activity]
        else:
            serial, project = blocks, activity
        self._add_annual(action, quantity, src, dst, dst_kind, host, years, first_transfer)
        return [seq, self.dates(day) if dates is None else dates, action, [coop.get(g, "") for g in agreement],
                [g if g in purposes else "" for g in agreement], serial, first, last, vintage,
                host, self._transferring(action, src),
                [reg[d] if a in _ACQUIRES else "" for a, d in zip(action, dst)],
                [owner[d] if a in _USES else "" for a, d in zip(action, dst)],
                [purposes.get(g, "") for g in agreement], ["yes" if f else "no" for f in first_transfer],
                [p if a == "use" else "" for a, p in zip(action, purpose)],
                self._use_years(use_year, years, dst, dst_kind),
                unit_type, quantity, project]

    def _transferring(self, action, src) -> list:
        """The ``Transferring participating Party`` column: the registry a transfer leaves,
        and for an ``acquisition`` (the acquiring Party's record of the same units, written
        right after the transfer it receives) the registry that transfer left, so both
        records of one international transfer name both Parties (6/CMA.4, AEF actions).
        The last transfer's registry is kept across chunks of rows."""
        reg, out, last = self.registry_of, [], self._last_transfer
        for a, s in zip(action, src):
            if a in _TRANSFERS:
                last = reg[s]
                out.append(last)
            else:
                out.append(last if a == "acquisition" else "")
        self._last_transfer = last
        return out

    def _use_years(self, use_year, years, dst, dst_kind) -> list:
        """The ``Use year`` column: for a use towards an NDC the year it counts for in the
        using party's accounts (2/CMA.3 annex para 8(b)): the recorded ``use_year`` or the
        calendar year of the use, and for a use after an NDC period (the true-up) the
        period's last year, as in ``balances.csv`` and the structured summary, which
        read their uses by this year (docs/how-a6sim-counts.md, "Corresponding
        adjustments"). Empty for every other action."""
        ndcs, reg = self.ndcs, self.registry_of
        return [accounting_year(ndcs.get(reg[d]), y if u is None else u) if k == "ndc-use" else ""
                for u, y, d, k in zip(use_year, years, dst, dst_kind)]

    def _add_annual(self, action, quantity, src, dst, dst_kind, host, years, first_transfer) -> None:
        annual, reg = self.annual, self.registry_of
        for a, q, s, d, k, h, y, f in zip(action, quantity, src, dst, dst_kind, host, years, first_transfer):
            if a in _TRANSFERS:
                annual[(reg[s], y, "Transferred")] += q
            elif a == "acquisition":
                annual[(reg[d], y, "Acquired")] += q
            elif a in _USES:
                annual[(reg[d], y, _USE_COLUMN.get(k, "Cancelled"))] += q
            elif a == "authorization" and s:
                annual[(h, y, "Authorized")] += q
            if f:
                annual[(h, y, "First transferred")] += q

    def add_held(self, holdings: HoldingRows) -> None:
        """Add what each registry held on every 31 December (holding and activity accounts)."""
        if not len(holdings.time):
            return
        accounts = self.results.world.registry.accounts
        held = np.array([accounts[k[0]].kind in _HELD_KINDS for k in holdings.keys])
        parties = sorted({accounts[k[0]].registry for k in holdings.keys})
        party_index = {p: i for i, p in enumerate(parties)}
        party_of = np.array([party_index[accounts[k[0]].registry] for k in holdings.keys], dtype=np.int64)
        rows = held[holdings.key]
        n_times = len(holdings.days)
        group = party_of[holdings.key[rows]] * n_times + holdings.time[rows]
        totals = np.zeros(len(parties) * n_times, dtype=np.int64)
        np.add.at(totals, group, holdings.quantity[rows])
        years = [self.cal.date_of(day).year for day in holdings.days]
        for g in np.flatnonzero(totals).tolist():
            self.annual[(parties[g // n_times], years[g % n_times], "Held on 31 December")] += int(totals[g])

    def annual_rows(self) -> list[list]:
        """The ``annual_information`` rows: every party, every simulated year."""
        annual, columns = self.annual, AEF_COLUMNS["annual_information"][2:]
        return [[party, year] + [annual.get((party, year, c), 0) for c in columns]
                for party in self.results.world.model.parties for year in self.results.scenario.years]


def block_ids(host, activity, vintage, first, last) -> list[str]:
    """``host-activity-vintage-first:last`` of each block (the ledger's ``block`` column)."""
    return list(map("{}-{}-{}-{}:{}".format, host, activity, vintage, first, last))


def holding_columns(results, holdings: HoldingRows) -> list[list]:
    """The AEF ``holdings`` columns (values) of the holdings table's rows."""
    accounts, cal = results.world.registry.accounts, results.world.cal
    keys = holdings.keys
    dates = np.array([cal.date_of(day) for day in holdings.days], dtype=object)
    by_key = [[accounts[k[0]].registry for k in keys], [k[0] for k in keys], [accounts[k[0]].owner for k in keys],
              [k[1] for k in keys], [k[2] for k in keys]]
    return ([dates[holdings.time].tolist()] + [np.array(c, dtype=object)[holdings.key].tolist() for c in by_key]
            + [holdings.quantity.tolist()])


def aef_tables(results) -> dict[str, pd.DataFrame]:
    """The four AEF tables of a run, as DataFrames."""
    import pandas as pd
    from ..holdings import holding_rows
    actions = Actions(results)
    action_cols = actions.columns(results.world.registry.ledger.rows)
    holdings = holding_rows(results.world.snapshots)
    actions.add_held(holdings)
    out = {}
    for name, columns in (("authorisations", None), ("actions", action_cols),
                          ("holdings", holding_columns(results, holdings)), ("annual_information", None)):
        if columns is None or not len(columns[0]):
            rows = actions.auth_rows if name == "authorisations" else actions.annual_rows() if columns is None else []
            out[name] = pd.DataFrame(rows, columns=AEF_COLUMNS[name])
        else:
            out[name] = pd.DataFrame(dict(zip(AEF_COLUMNS[name], columns)), columns=AEF_COLUMNS[name])
    return out


def write_aef(results, folder: Path, format: str = "csv") -> list[Path]:
    """Write the AEF tables into ``folder`` (inside a result's temporary folder, so the
    result writer moves them into place with the rest); return the files written.
    CSV is written by :mod:`a6sim.io.csvtables` straight from the ledger; this writes
    the DataFrames of :attr:`a6sim.Results.aef` (Parquet, or CSV through pandas)."""
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
