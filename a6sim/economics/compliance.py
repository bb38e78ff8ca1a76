"""Domestic abatement an NDC requires, per its type and method (docs/economics.md).

Given a party's emissions balance per year (after the deals, or with none), the extra
tonnes it must abate at home beyond what its inventory already holds, so that the
balance that counts (2/CMA.3 annex para 7; docs/how-a6sim-counts.md) meets the NDC:

* single-year NDC (trajectory or averaging): the target year only,
  ``extra[T] = max(0, balance[T] - target)``; abating a tonne in the target year
  lowers that year's inventory, hence its balance, by one tonne for both methods (the
  averaging method's average of adjustments is unchanged by domestic abatement);
* multi-year budget: ``gap = sum(balance) - budget`` shared over the period's years
  at one marginal cost (the least-cost spread: a tonne cut in any year counts the
  same against the budget; undiscounted);
* multi-year per-year targets: each year on its own, ``max(0, balance[y] - target[y])``.

Where the NDC period runs past the simulated years, nothing is required (attainment
is not yet assessed). A curve too short to close the gap leaves ``unmet`` tonnes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .curves import Curve
from .solve import share

__all__ = ["Need", "needed_abatement", "yearly_obligations"]


@dataclass(frozen=True)
class Need:
    """Extra tonnes to abate per year, the tonnes the curves cannot abate, the marginal cost."""
    extra: dict = field(default_factory=dict)
    unmet: dict = field(default_factory=dict)
    price: dict = field(default_factory=dict)


def needed_abatement(spec, balance: dict, curves: dict[int, Curve], q0: dict) -> Need:
    """The least-cost domestic abatement that meets ``spec`` (an ``NdcSpec``) from ``balance``."""
    if spec is None:
        return Need()
    years = [y for y in spec.years if y in balance]
    if spec.type == "single-year":
        t = spec.target_year
        if t not in balance:
            return Need()
        return _one_year(t, float(balance[t]) - spec.target, curves, q0)
    if len(years) < len(spec.years):
        return Need()
    if spec.method == "targets":
        out = Need()
        for y in years:
            one = _one_year(y, float(balance[y]) - spec.targets[y], curves, q0)
            out.extra.update(one.extra)
            out.unmet.update(one.unmet)
            out.price.update(one.price)
        return out
    gap = float(sum(balance[y] for y in years)) - spec.target
    res = share([(curves[y], q0[y]) for y in years], gap)
    unmet = {years[-1]: res.unmet} if res.unmet else {}
    return Need({y: e for y, e in zip(years, res.extra) if e}, unmet,
                {y: res.price for y in years} if res.price is not None else {})


def _one_year(year: int, gap: float, curves, q0) -> Need:
    res = share([(curves[year], q0[year])], gap)
    return Need({year: res.extra[0]} if res.extra[0] else {}, {year: res.unmet} if res.unmet else {},
                {year: res.price} if res.price is not None else {})


def yearly_obligations(spec, inventory: dict) -> dict[int, float]:
    """Tonnes the party must cut below its inventory in each year, for the market mode.

    Per-year targets: ``inventory[y] - target[y]``; a budget: its shortfall
    ``sum(inventory) - budget`` spread evenly over the period's years (the least-cost
    spread of a curve that does not change by year); a single-year NDC: the target
    year, ``inventory[T] - target``. Negative values are headroom a party can sell.
    Empty where the NDC period runs past the simulated years.
    """
    if spec is None:
        return {}
    if spec.type == "single-year":
        t = spec.target_year
        return {t: float(inventory[t]) - spec.target} if t in inventory else {}
    years = list(spec.years)
    if any(y not in inventory for y in years):
        return {}
    if spec.method == "targets":
        return {y: float(inventory[y]) - spec.targets[y] for y in years}
    each = (float(sum(inventory[y] for y in years)) - spec.target) / len(years)
    return {y: each for y in years}
