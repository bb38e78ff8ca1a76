"""The BTR structured summary, 5/CMA.3 annex, Table 4: one row per party and year.

Both year bases of the texts live in one table, so one run fills it:

* ``first_transferred_ndc``: ITMOs first transferred **in that year** (the year the
  first transfer happened) whose authorisation covers use towards NDCs (purpose
  ``NDC`` or ``NDC and OIMP``); ``first_transferred_oimp``: mitigation outcomes
  authorised for other international mitigation purposes only (purpose ``OIMP``),
  first transferred in that year, with ``oimp_authorised_entities``. The two are
  disjoint; ``first_transferred`` is their sum (no unit counted twice).
* ``used``: ITMOs used towards the NDC, by the year of use (para 8(b); a use
  recorded with ``use_year`` counts for that year, a true-up after the NDC period for
  its last year).
* ``net = first_transferred - used`` and ``cumulative_net`` over the rows so far.
* ``first_transferred_by_vintage``: units of **that vintage** first transferred
  whenever it happened: the addition para 8(a) applies for the year the mitigation
  occurred; ``corresponding_adjustment`` is the adjustment the party applies in its
  balances (``ca_attribution``; for the averaging method the average).
* averaging method (para 7(a)(ii)): ``averaging_amount`` is the cumulative net of
  the period up to that year (on the applied basis) over ``averaging_divisor``,
  stated (the elapsed years, or all years of the period).

Rows cover each NDC period of a party with an NDC (cumulative figures restart with
each period), and every simulated year of a party without one (its NDC columns are
then empty). A non-GHG NDC's inventory, adjustment and balance are in its metric, as
in its balances rows; the ITMO columns are tonnes.
"""
from __future__ import annotations

from collections import defaultdict

from .ndc import NdcSpec, _as_list, averaging_amount

__all__ = ["first_transfers_by_purpose", "structured_summary_rows", "COLUMNS", "authorised_purposes"]

COLUMNS = ["party", "year", "inventory", "trajectory_or_budget", "first_transferred_ndc", "first_transferred_oimp",
           "oimp_authorised_entities", "first_transferred", "used", "net", "cumulative_net",
           "first_transferred_by_vintage", "corresponding_adjustment", "averaging_amount", "averaging_divisor",
           "emissions_balance"]


def authorised_purposes(model) -> tuple[dict[str, str], dict[str, tuple]]:
    """``(purpose, entities)`` by authorisation id: the agreements' authorisations and the
    recorded ones (format v2). An OIMP agreement's entity buyer is its authorised entity."""
    purpose, entities = {}, {}
    for gid, ag in model.agreements.items():
        if ag.authorisation is not None:
            purpose[gid] = ag.authorisation.purpose
            entities[gid] = (ag.buyer,) if ag.buyer in model.entities else ()
    for aid, a in getattr(model, "authorisations", {}).items():
        purpose[aid] = a.purpose
        entities[aid] = tuple(a.entities)
    return purpose, entities


def first_transfers_by_purpose(rows, year_of, purposes: dict, entities: dict):
    """``(ndc, oimp_only, entities, by_vintage)`` keyed by ``(host, year)`` from ledger rows."""
    ndc, oimp, ents, by_vintage = defaultdict(int), defaultdict(int), defaultdict(set), defaultdict(int)
    for r in rows:
        if not r.first_transfer:
            continue
        year = year_of(r.day)
        key = (r.host, year)
        by_vintage[(r.host, r.vintage)] += r.quantity
        if purposes.get(r.agreement, r.purpose) == "OIMP":
            oimp[key] += r.quantity
            ents[key].update(entities.get(r.agreement, ()))
        else:
            ndc[key] += r.quantity
    return ndc, oimp, ents, by_vintage


def _divisor(spec: NdcSpec, year: int) -> int:
    return len([y for y in spec.years if y <= year]) if spec.divisor == "elapsed" else len(spec.years)


def structured_summary_rows(specs: dict, inventory: dict, fig, balances: list[dict], years, ledger_rows,
                            year_of, model) -> list[dict]:
    """Table 4 rows (see the module docstring). ``fig``: :class:`LedgerFigures` (applied basis)."""
    purposes, entities = authorised_purposes(model)
    ndc, oimp, ents, by_vintage = first_transfers_by_purpose(ledger_rows, year_of, purposes, entities)
    by_key = {(r["party"], r["year"]): r for r in balances}
    out = []
    for party, many in specs.items():
        applied_ft = {y: fig.first_transferred[(party, y)] for y in years if (party, y) in fig.first_transferred}
        used = {y: fig.used[(party, y)] for y in years if (party, y) in fig.used}
        periods = _as_list(many)
        # one block of rows per NDC period (cumulative figures restart), or all years without an NDC
        for spec, row_years in ([(s, [y for y in s.years if y in inventory[party]]) for s in periods]
                                or [(None, list(years))]):
            cumulative = 0
            averaging = spec is not None and spec.method == "averaging"
            for y in row_years:
                b = by_key[(party, y)]
                ft_ndc, ft_oimp = ndc.get((party, y), 0), oimp.get((party, y), 0)
                net = ft_ndc + ft_oimp - used.get(y, 0)
                cumulative += net
                out.append({
                    "party": party, "year": y, "inventory": b["inventory"],
                    "trajectory_or_budget": _trajectory_or_budget(spec, y) if spec is not None else None,
                    "first_transferred_ndc": ft_ndc, "first_transferred_oimp": ft_oimp,
                    "oimp_authorised_entities": "; ".join(sorted(ents.get((party, y), ()))),
                    "first_transferred": ft_ndc + ft_oimp, "used": used.get(y, 0), "net": net,
                    "cumulative_net": cumulative, "first_transferred_by_vintage": by_vintage.get((party, y), 0),
                    "corresponding_adjustment": b["ca"],
                    "averaging_amount": averaging_amount(spec, applied_ft, used, y) if averaging else None,
                    "averaging_divisor": _divisor(spec, y) if averaging else None,
                    "emissions_balance": b["emissions_balance"],
                })
    return out


def _trajectory_or_budget(spec: NdcSpec, year: int):
    if spec.method == "budget":
        return spec.target
    if spec.method == "targets":
        return spec.targets.get(year)
    if spec.trajectory:
        return spec.trajectory.get(year)
    return spec.target if year == spec.target_year else None
