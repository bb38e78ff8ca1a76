"""Report tables (rows as dicts): balances, attainment, integrity (Table 4: :mod:`.table4`).

Pure functions of the scenario's NDCs, the inventories and the ledger figures.
"""
from __future__ import annotations

from fractions import Fraction

from .ledger_figures import LedgerFigures
from .ndc import _as_list, attainment_of, year_rows

__all__ = ["party_series", "balance_rows", "attainment_rows", "integrity_rows", "exact_sum"]


def party_series(fig: LedgerFigures, party: str, years) -> tuple[dict, dict, dict]:
    """``(first_transferred, first_transferred_oimp, used)`` of one party by year."""
    ft = {y: fig.first_transferred[(party, y)] for y in years if (party, y) in fig.first_transferred}
    oimp = {y: fig.first_transferred_oimp[(party, y)] for y in years if (party, y) in fig.first_transferred_oimp}
    used = {y: fig.used[(party, y)] for y in years if (party, y) in fig.used}
    return ft, oimp, used


def balance_rows(specs: dict, inventory: dict, fig: LedgerFigures, years, adjusts: dict) -> list[dict]:
    """docs/how-a6sim-counts.md, one row per party and simulated year.

    ``specs``: party -> its NDC, its NDCs (one per period) or None; ``adjusts``:
    party -> its teaching switch ``corresponding_adjustments``.
    """
    rows = []
    for party, spec in specs.items():
        ft, oimp, used = party_series(fig, party, years)
        for r in year_rows(spec, years, inventory[party], ft, oimp, used, adjusts[party]):
            r["party"] = party
            rows.append(r)
    return rows


def attainment_rows(specs: dict, balances: list[dict]) -> list[dict]:
    """One row per NDC (a party with several NDC periods has one row per period).

    The balance rows are grouped by party once: linear in the number of rows.
    """
    by_party: dict[str, list[dict]] = {}
    for r in balances:
        by_party.setdefault(r["party"], []).append(r)
    out = []
    for party, spec in specs.items():
        mine = by_party.get(party, [])
        for one in _as_list(spec):
            out.append(attainment_of(one, mine))
    return out


def exact_sum(values) -> int | Fraction:
    """Sum of whole tonnes and exact fractions: an int unless a fraction is among them.

    Adding ints is far cheaper than adding :class:`~fractions.Fraction`; only the
    (averaging) fractions go through Fraction arithmetic. The value is the same.
    """
    whole, parts = 0, []
    for v in values:
        if type(v) is int:
            whole += v
        else:
            parts.append(v)
    return whole + sum(parts, Fraction(0)) if parts else whole


def integrity_rows(balances: list[dict], fig: LedgerFigures, years) -> list[dict]:
    """docs/how-a6sim-counts.md, per simulated year."""
    out = []
    by_year: dict[int, list[dict]] = {y: [] for y in years}
    for r in balances:
        by_year.setdefault(r["year"], []).append(r)
    for y in years:
        rows = by_year[y]
        out.append({
            "year": y,
            "inventory_total": sum(x for x in (r.get("inventory_t", r["inventory"]) for r in rows) if x is not None),
            "balance_total": exact_sum(x for x in (r.get("balance_t", r["emissions_balance"]) for r in rows)
                                       if x is not None),
            "net_ca": exact_sum(r.get("ca_t", r["ca"]) for r in rows),
            "omge_cancelled": fig.omge_cancelled.get(y, 0),
            "adaptation_fund_units": fig.adaptation_fund_units.get(y, 0),
            "double_claimed": fig.double_claimed.get(y, 0),
        })
    return out
