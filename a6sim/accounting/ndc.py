"""Corresponding adjustments, emissions balances and attainment of a party's NDCs.

Pure functions of per-year figures (whole tonnes). 2/CMA.3 annex paras 7-10:

* ``ca[y] = first_transferred[y] - used[y]`` (para 8); a party with the teaching
  switch ``corresponding_adjustments: false`` skips its additions;
* multi-year NDC and single-year trajectory: ``balance[y] = inventory[y] + ca[y]``
  (para 7(a)(i) and 7(b));
* single-year averaging: ``avg = sum(ca over the period up to the last simulated
  year) / divisor`` applied in each elapsed year (para 7(a)(ii));
* an NDC in a non-GHG metric (paras 9-10; MWh of renewable power, hectares): the
  adjustment is made in that metric with the party's stated conversion factor
  (``tco2e_per_unit``) and the opposite signs: a first transfer *subtracts*
  ``q / tco2e_per_unit`` from the indicator, a use *adds* it; the target is a floor.

A party may have several NDCs, one per implementation period (``ndcs:``); each year
belongs to at most one of them, and each is assessed on its own years.

Derived figures stay exact (:class:`fractions.Fraction`); the ledger stays whole.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional, Sequence, Union

from ..scenario.series import exact, interpolate, round_half_up

__all__ = ["NdcSpec", "ndc_spec", "ndc_specs", "spec_of_year", "accounting_year", "year_rows", "attainment_of",
           "use_needed", "averaging_amount", "GHG"]

GHG = "tCO2e"   # the metric of an NDC measured in tonnes of CO2 equivalent


@dataclass(frozen=True)
class NdcSpec:
    """An NDC resolved to whole tonnes. ``method``: trajectory | averaging | budget | targets.

    A non-GHG NDC (``metric`` other than tCO2e) keeps its figures (target, budget,
    targets, trajectory, ``indicator``) exact in its metric; ``tco2e_per_unit`` is the
    party's conversion factor and ``emissions`` its reference emissions (tonnes), from
    which the modelled activities' effect on the indicator is converted.
    """
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
    metric: str = GHG
    tco2e_per_unit: Fraction = Fraction(1)
    indicator: Optional[dict] = None          # non-GHG: reference level of the metric per year
    emissions: Optional[dict] = None          # non-GHG: reference emissions per year (tonnes)

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def non_ghg(self) -> bool:
        return self.metric != GHG

    def target_for(self, year: int):
        """The NDC's figure for a year, where one exists."""
        if self.method == "targets":
            return self.targets.get(year)
        if self.type == "single-year" and year == self.target_year:
            return self.target
        return None

    def to_metric(self, tonnes) -> Fraction:
        """Tonnes of CO2e as a quantity of the NDC's metric (para 10: the stated conversion)."""
        return Fraction(tonnes) / self.tco2e_per_unit

    def level(self, year: int, inventory_t: int):
        """The figure the NDC is measured by in ``year``: the inventory (tCO2e), or for a
        non-GHG NDC the indicator, moved by the modelled activities' effect converted
        with the opposite sign (1 t of CO2e cut = ``1 / tco2e_per_unit`` more of the metric)."""
        if not self.non_ghg:
            return inventory_t
        return self.indicator[year] - self.to_metric(inventory_t - self.emissions[year])

    def shortfall(self, balance, target):
        """How far ``balance`` misses ``target`` (positive: missed). A non-GHG target is a
        floor (at least so many MWh), a GHG one a cap."""
        return target - balance if self.non_ghg else balance - target


def _series(points: dict, years, factor) -> dict:
    """Linear between given years, flat outside; GHG figures rounded to whole tonnes."""
    exact_points = {y: exact(v) * (factor or 1) for y, v in points.items()}
    if factor is None:   # a non-GHG metric: exact
        return {y: interpolate(exact_points, y) for y in years}
    return {y: round_half_up(interpolate(exact_points, y)) for y in years}


def party_ndcs(party_model) -> list:
    """The NDC models of a party: ``ndcs`` (several periods), or ``ndc``, or none."""
    many = getattr(party_model, "ndcs", None)
    if many:
        return list(many)
    return [party_model.ndc] if party_model.ndc is not None else []


def _spec(scenario, party: str, ndc, adjusts: bool) -> NdcSpec:
    non_ghg = ndc.metric != GHG
    factor = None if non_ghg else scenario.factor
    sim_years = scenario.years

    def one(value):
        if value is None:
            return None
        return exact(value) if non_ghg else scenario.tonnes(value)

    if ndc.type == "single-year":
        method, target = ndc.method, one(ndc.target)
    else:
        method = "budget" if ndc.budget is not None else "targets"
        target = one(ndc.budget)
    targets = _series(ndc.targets, range(ndc.period[0], ndc.period[1] + 1), factor) if ndc.targets else None
    trajectory = _series(ndc.trajectory, sim_years, factor) if ndc.trajectory else None
    extra = {}
    if non_ghg:
        extra = {"metric": ndc.metric, "tco2e_per_unit": exact(ndc.tco2e_per_unit),
                 "indicator": _series(ndc.indicator, sim_years, None), "emissions": scenario.emissions(party)}
    return NdcSpec(party=party, type=ndc.type, method=method, first=ndc.period[0], last=ndc.period[1],
                   target_year=ndc.target_year, target=target, targets=targets, trajectory=trajectory,
                   divisor=ndc.averaging_divisor, corresponding_adjustments=adjusts, **extra)


def ndc_specs(scenario, party: str) -> tuple[NdcSpec, ...]:
    """Every NDC of a party, in period order (empty if it has none)."""
    p = scenario.model.parties[party]
    specs = [_spec(scenario, party, n, p.corresponding_adjustments) for n in party_ndcs(p)]
    return tuple(sorted(specs, key=lambda s: s.first))


def ndc_spec(scenario, party: str) -> Optional[NdcSpec]:
    """A party's (first) NDC from a :class:`~a6sim.scenario.Scenario` (None if it has none)."""
    specs = ndc_specs(scenario, party)
    return specs[0] if specs else None


Specs = Union[None, NdcSpec, Sequence[NdcSpec]]


def _as_list(spec: Specs) -> list:
    if spec is None:
        return []
    if isinstance(spec, NdcSpec):
        return [spec]
    return [s for s in spec if s is not None]


def spec_of_year(spec: Specs, year: int) -> Optional[NdcSpec]:
    """The NDC whose implementation period contains ``year`` (None if none does)."""
    for s in _as_list(spec):
        if s.first <= year <= s.last:
            return s
    return None


def _nearest(specs: list, year: int) -> Optional[NdcSpec]:
    """The NDC of ``year``, or the last one ended before it, or the first one (labels)."""
    s = spec_of_year(specs, year)
    if s is not None or not specs:
        return s
    before = [x for x in specs if x.last < year]
    return max(before, key=lambda x: x.last) if before else min(specs, key=lambda x: x.first)


def accounting_year(periods, year: int) -> int:
    """The year an event of calendar ``year`` counts for in a party's accounts.

    Inside an NDC period (or before the first): that year. After a period and
    before the next one starts (or after the last): the last year of the period just
    ended (the true-up, docs/how-a6sim-counts.md). ``periods``: NdcSpecs,
    ``(first, last)`` pairs, or a single last year (an int, as for one period).
    """
    if periods is None:
        return year
    if isinstance(periods, int):
        return min(year, periods)
    if isinstance(periods, NdcSpec):
        periods = [periods]
    best = None
    for p in periods:
        first, last = (p.first, p.last) if isinstance(p, NdcSpec) else p
        if first <= year <= last:
            return year
        if last < year and (best is None or last > best):
            best = last
    return year if best is None else best


def _net(adjusts: bool, ft: dict, used: dict, year: int) -> int:
    """``first_transferred - used``; a party that skips its adjustments adds nothing."""
    return (ft.get(year, 0) if adjusts else 0) - used.get(year, 0)


def averaging_amount(spec: NdcSpec, ft: dict, used: dict, up_to: int) -> Fraction:
    """Cumulative net of the period up to ``up_to`` divided by the divisor (para 7(a)(ii)), tonnes."""
    elapsed = [y for y in spec.years if y <= up_to]
    if not elapsed:
        return Fraction(0)
    total = sum(_net(spec.corresponding_adjustments, ft, used, y) for y in elapsed)
    divisor = len(elapsed) if spec.divisor == "elapsed" else len(spec.years)
    return Fraction(total, divisor)


def year_rows(spec: Specs, years, inventory: dict, ft: dict, ft_oimp: dict,
              used: dict, corresponding_adjustments: Optional[bool] = None) -> list[dict]:
    """One row per simulated year: inventory, additions, subtractions, ca, balance, gap.

    ``spec``: one NDC, a party's NDCs, or None. ``corresponding_adjustments`` is the
    party's teaching switch (default: the NDC's; true for a party without an NDC).
    A year of a non-GHG NDC shows ``inventory`` (the indicator), ``ca``,
    ``emissions_balance``, ``target`` and ``gap`` in that NDC's metric; ``ca_t``,
    ``inventory_t`` and ``balance_t`` always carry the tonnes (integrity figures).
    ``gap`` = how far the year's balance misses the year's target (positive: missed).
    """
    specs = _as_list(spec)
    adjusts = corresponding_adjustments if corresponding_adjustments is not None else (
        specs[0].corresponding_adjustments if specs else True)
    years = list(years)
    last = years[-1]
    avgs = {s.first: averaging_amount(s, ft, used, last) for s in specs if s.method == "averaging"}
    rows = []
    for y in years:
        s = spec_of_year(specs, y)
        shown = s if s is not None else _nearest(specs, y)
        ca_t = avgs[s.first] if (s is not None and s.method == "averaging") else _net(adjusts, ft, used, y)
        inv_t = inventory[y]
        if s is not None and s.non_ghg:
            level, ca = s.level(y, inv_t), -s.to_metric(ca_t)   # para 10: the opposite signs
        else:
            level, ca = inv_t, ca_t
        balance = None if level is None else level + ca   # None: a v2 party without emissions
        target = shown.target_for(y) if shown else None
        gap = shown.shortfall(balance, target) if (s is not None and target is not None) else None
        rows.append({
            "party": shown.party if shown else None, "year": y, "inventory": level,
            "first_transferred": ft.get(y, 0), "first_transferred_oimp": ft_oimp.get(y, 0),
            "used": used.get(y, 0), "ca": ca, "emissions_balance": balance,
            "target": target, "gap": gap,
            "trajectory": (shown.trajectory or {}).get(y) if shown else None,
            "method": shown.method if shown else "",
            "metric": s.metric if s is not None else GHG,
            "ca_t": ca_t, "inventory_t": inv_t, "balance_t": None if inv_t is None else inv_t + ca_t,
        })
    return rows


def attainment_of(spec: NdcSpec, rows: list[dict]) -> dict:
    """Attainment of one NDC from its party's :func:`year_rows`; ``gap`` > 0 means missed.

    * single-year: the target-year balance against the target;
    * budget: the period sum against the budget;
    * per-year targets: ``balance`` and ``target`` are the period sums (for reading),
      and ``gap`` is the sum of the yearly shortfalls (each year's ``gap`` where
      positive) when a year is missed, else the tightest year's margin (the largest
      yearly gap, <= 0), so that ``met == (gap <= 0)`` and ``met`` means every year
      is met; ``worst_year_gap`` is the largest yearly gap (the other reading).
    For a non-GHG NDC a shortfall is ``target - balance`` (the target is a floor).
    Where the NDC period runs past the simulation, ``balance``, ``gap`` and ``met`` are None.
    """
    by_year = {r["year"]: r for r in rows}
    out = {"party": spec.party, "ndc_type": spec.type, "method": spec.method, "period_start": spec.first,
           "period_end": spec.last, "target_year": spec.target_year, "target": None, "balance": None,
           "gap": None, "met": None, "metric": spec.metric, "worst_year_gap": None}
    if spec.type == "single-year":
        out["target"] = spec.target
        if spec.target_year in by_year:
            out["balance"] = by_year[spec.target_year]["emissions_balance"]
            out["gap"] = spec.shortfall(out["balance"], spec.target)
            out["met"] = out["gap"] <= 0
        return out
    out["target"] = spec.target if spec.method == "budget" else sum(spec.targets.values())
    if all(y in by_year for y in spec.years):
        out["balance"] = sum(by_year[y]["emissions_balance"] for y in spec.years)
        if spec.method == "budget":
            out["gap"] = spec.shortfall(out["balance"], out["target"])
        else:
            yearly = [spec.shortfall(by_year[y]["emissions_balance"], spec.targets[y]) for y in spec.years]
            missed = [g for g in yearly if g > 0]
            out["gap"] = sum(missed) if missed else max(yearly)   # met: the tightest year's margin
            out["worst_year_gap"] = max(yearly)
        out["met"] = out["gap"] <= 0
    return out


def use_needed(spec: NdcSpec, inventory: dict, ft: dict, ft_oimp: dict, used: dict) -> int:
    """Fewest units (tonnes) whose use in the period's last year brings the NDC to its target (as-needed).

    Each unit used in the last year lowers the balance that counts by 1 (budget,
    per-year targets: the last year's, a single-year target in the last year) or by
    1/divisor (averaging); for a non-GHG NDC it raises it by ``1 / tco2e_per_unit``.
    0 when the NDC is met, or when a use in the last year cannot change the balance
    that counts (a single-year target year before the last year).
    """
    years = [y for y in spec.years if y in inventory]
    rows = year_rows(spec, years, inventory, ft, ft_oimp, used)
    if spec.method == "targets":
        gap = Fraction(spec.shortfall(rows[-1]["emissions_balance"], spec.targets[spec.last]))
    else:
        g = attainment_of(spec, rows)["gap"]
        gap = Fraction(g) if g is not None else Fraction(0)
    if gap <= 0 or spec.last not in inventory:
        return 0
    gap *= spec.tco2e_per_unit if spec.non_ghg else 1
    if spec.method == "averaging":
        divisor = len(years) if spec.divisor == "elapsed" else len(spec.years)
        return math.ceil(gap * divisor)
    if spec.type == "single-year" and spec.target_year != spec.last:
        return 0
    return math.ceil(gap)
