"""Report tables (rows as dicts): balances, attainment, integrity (Table 4: :mod:`.table4`).

Pure functions of the scenario's NDCs, the inventories and the ledger figures.
"""
from __future__ import annotations

from fractions import Fraction

from .ledger_figures import LedgerFigures
from .ndc import attainment_of, year_rows

__all__ = ["party_series", "balance_rows", "attainment_rows", "integrity_rows"]


def party_series(fig: LedgerFigures, party: str, years) -> tuple[dict, dict, dict]:
    """``(first_transferred, first_transferred_oimp, used)`` of one party by year."""
    ft = {y: fig.first_transferred[(party, y)] for y in years if (party, y) in fig.first_transferred}
    oimp = {y: fig.first_transferred_oimp[(party, y)] for y in years if (party, y) in fig.first_transferred_oimp}
    used = {y: fig.used[(party, y)] for y in years if (party, y) in fig.used}
    return ft, oimp, used


def balance_rows(specs: dict, inventory: dict, fig: LedgerFigures, years, adjusts: dict) -> list[dict]:
    """docs/how-a6sim-counts.md, one row per party and simulated year.

    ``adjusts``: party -> its teaching switch ``corresponding_adjustments``.
    """
    rows = []
    for party, spec in specs.items():
        ft, oimp, used = party_series(fig, party, years)
        for r in year_rows(spec, years, inventory[party], ft, oimp, used, adjusts[party]):
            r["party"] = party
            rows.append(r)
    return rows


def attainment_rows(specs: dict, balances: list[dict]) -> list[dict]:
    out = []
    for party, spec in specs.items():
        if spec is not None:
            out.append(attainment_of(spec, [r for r in balances if r["party"] == party]))
    return out


def integrity_rows(balances: list[dict], fig: LedgerFigures, years) -> list[dict]:
    """docs/how-a6sim-counts.md, per simulated year."""
    out = []
    for y in years:
        rows = [r for r in balances if r["year"] == y]
        out.append({
            "year": y,
            "inventory_total": sum(r["inventory"] for r in rows if r["inventory"] is not None),
            "balance_total": sum((r["emissions_balance"] for r in rows if r["emissions_balance"] is not None),
                                 Fraction(0)),
            "net_ca": sum((r["ca"] for r in rows), Fraction(0)),
            "omge_cancelled": fig.omge_cancelled.get(y, 0),
            "adaptation_fund_units": fig.adaptation_fund_units.get(y, 0),
            "double_claimed": fig.double_claimed.get(y, 0),
        })
    return out
