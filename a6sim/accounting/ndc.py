"""Corresponding adjustments, emissions balances and attainment of one NDC.

Pure functions of per-year figures (whole tonnes). 2/CMA.3 annex paras 7-8:

* ``ca[y] = first_transferred[y] - used[y]`` (para 8); a party with the teaching
  switch ``corresponding_adjustments: false`` skips its additions;
* multi-year NDC and single-year trajectory: ``balance[y] = inventory[y] + ca[y]``
  (para 7(a)(i) and 7(b));
* single-year averaging: ``avg = sum(ca over the period up to the last simulated
  year) / divisor`` applied in each elapsed year (para 7(a)(ii)).

Derived figures stay exact (:class:`fractions.Fraction`); the ledger stays whole.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

__all__ = ["NdcSpec", "ndc_spec", "year_rows", "attainment_of", "use_needed", "averaging_amount"]


@dataclass(frozen=True)
class NdcSpec:
    """An NDC resolved to whole tonnes. ``method``: trajectory | averaging | budget | targets."""
    party: str
    type: str
    method: str
    first: int
    last: int
    target_year: Optional[int] = None
    target: Optional[int] = None              # single-year target, or multi-year budget
    targets: Optional[dict] = None            # multi-year per-year targets
    trajectory: Optional[dict] = None         # indicative trajectory (single-year)
    divisor: str = "elapsed"
    corresponding_adjustments: bool = True

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)

    def target_for(self, year: int) -> Optional[int]:
        """The NDC's figure for a year, where one exists."""
        if self.method == "targets":
            return self.targets.get(year)
        if self.type == "single-year" and year == self.target_year:
            return self.target
        return None


def ndc_spec(scenario, party: str) -> Optional[NdcSpec]:
    """Resolve a party's NDC from a :class:`~a6sim.scenario.Scenario` (None if it has none)."""
    p = scenario.model.parties[party]
    ndc = p.ndc
    if ndc is None:
        return None
    if ndc.type == "single-year":
        method = ndc.method
    else:
        method = "budget" if ndc.budget is not None else "targets"
    return NdcSpec(party=party, type=ndc.type, method=method, first=ndc.period[0], last=ndc.period[1],
                   target_year=ndc.target_year, target=scenario.target(party),
                   targets=scenario.yearly_targets(party), trajectory=scenario.trajectory(party),
                   divisor=ndc.averaging_divisor, corresponding_adjustments=p.corresponding_adjustments)


def _net(adjusts: bool, ft: dict, used: dict, year: int) -> int:
    """``first_transferred - used``; a party that skips its adjustments adds nothing."""
    return (ft.get(year, 0) if adjusts else 0) - used.get(year, 0)


def averaging_amount(spec: NdcSpec, ft: dict, used: dict, up_to: int) -> Fraction:
    """Cumulative net of the period up to ``up_to`` divided by the divisor (para 7(a)(ii))."""
    elapsed = [y for y in spec.years if y <= up_to]
    if not elapsed:
        return Fraction(0)
    total = sum(_net(spec.corresponding_adjustments, ft, used, y) for y in elapsed)
    divisor = len(elapsed) if spec.divisor == "elapsed" else len(spec.years)
    return Fraction(total, divisor)


def year_rows(spec: Optional[NdcSpec], years, inventory: dict, ft: dict, ft_oimp: dict,
              used: dict, corresponding_adjustments: Optional[bool] = None) -> list[dict]:
    """One row per simulated year: inventory, additions, subtractions, ca, balance.

    ``corresponding_adjustments`` is the party's teaching switch (default: the NDC's;
    true for a party without an NDC).
    """
    adjusts = corresponding_adjustments if corresponding_adjustments is not None else (
        spec.corresponding_adjustments if spec is not None else True)
    years = list(years)
    last = years[-1]
    avg = averaging_amount(spec, ft, used, last) if spec is not None and spec.method == "averaging" else None
    rows = []
    for y in years:
        in_period = spec is not None and spec.first <= y <= spec.last
        ca = avg if (avg is not None and in_period) else _net(adjusts, ft, used, y)
        rows.append({
            "party": spec.party if spec else None, "year": y, "inventory": inventory[y],
            "first_transferred": ft.get(y, 0), "first_transferred_oimp": ft_oimp.get(y, 0),
            "used": used.get(y, 0), "ca": ca, "emissions_balance": None if inventory[y] is None else inventory[y] + ca,
            "target": spec.target_for(y) if spec else None,
            "trajectory": (spec.trajectory or {}).get(y) if spec else None,
            "method": spec.method if spec else "",
        })
    return rows


def attainment_of(spec: NdcSpec, rows: list[dict]) -> dict:
    """Attainment of the NDC from its :func:`year_rows`. ``gap = balance - target`` (positive: missed).

    Budget and per-year targets compare period sums (per-year targets are met only if
    every year is); a single-year NDC compares the target-year balance. Where the NDC
    period runs past the simulation, ``balance``, ``gap`` and ``met`` are None.
    """
    by_year = {r["year"]: r for r in rows}
    out = {"party": spec.party, "ndc_type": spec.type, "method": spec.method, "period_start": spec.first,
           "period_end": spec.last, "target_year": spec.target_year, "target": None, "balance": None,
           "gap": None, "met": None}
    if spec.type == "single-year":
        out["target"] = spec.target
        if spec.target_year in by_year:
            out["balance"] = by_year[spec.target_year]["emissions_balance"]
            out["gap"] = out["balance"] - spec.target
            out["met"] = out["gap"] <= 0
        return out
    out["target"] = spec.target if spec.method == "budget" else sum(spec.targets.values())
    if all(y in by_year for y in spec.years):
        out["balance"] = sum(by_year[y]["emissions_balance"] for y in spec.years)
        out["gap"] = out["balance"] - out["target"]
        if spec.method == "budget":
            out["met"] = out["gap"] <= 0
        else:
            out["met"] = all(by_year[y]["emissions_balance"] <= spec.targets[y] for y in spec.years)
    return out


def use_needed(spec: NdcSpec, inventory: dict, ft: dict, ft_oimp: dict, used: dict) -> int:
    """Fewest units whose use in the period's last year brings the NDC to its target (as-needed).

    Each unit used in the last year lowers the balance that counts by 1 (budget,
    per-year targets: the last year's, a single-year target in the last year) or by
    1/divisor (averaging). 0 when the NDC is met, or when a use in the last year cannot
    change the balance that counts (a single-year target year before the last year).
    """
    years = [y for y in spec.years if y in inventory]
    rows = year_rows(spec, years, inventory, ft, ft_oimp, used)
    if spec.method == "targets":
        gap = Fraction(rows[-1]["emissions_balance"]) - spec.targets[spec.last]
    else:
        g = attainment_of(spec, rows)["gap"]
        gap = Fraction(g) if g is not None else Fraction(0)
    if gap <= 0 or spec.last not in inventory:
        return 0
    if spec.method == "averaging":
        divisor = len(years) if spec.divisor == "elapsed" else len(spec.years)
        return math.ceil(gap * divisor)
    if spec.type == "single-year" and spec.target_year != spec.last:
        return 0
    return math.ceil(gap)
