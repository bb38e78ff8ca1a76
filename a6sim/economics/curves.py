"""Marginal abatement cost curves: cost, marginal cost and abatement at a price.

A curve gives the marginal abatement cost ``mac(q)`` (currency per tCO2e) of abating
``q`` tonnes below a party's reference emissions in one year. It is piecewise-linear:
breakpoints ``(q_i, m_i)`` from ``q_0 = 0`` with ``m`` not decreasing, then (a linear
curve ``a + b*q``) a tail of slope ``b`` up to the capacity ``cap`` (infinite unless
``max`` is given). A piecewise curve written with ``points`` ends at its last point.

* ``cost(q)`` = the area under the curve from 0 to ``q`` (currency): for ``a + b*q``,
  ``a*q + b*q**2/2``; for points, the sum of trapezoids.
* ``abatement_at(P)`` = the range ``[lo, hi]`` of quantities at which the marginal cost
  equals the price ``P``: ``lo`` is the last tonne costing less than ``P``, ``hi`` the
  last costing at most ``P`` (they differ only on a flat part of the curve).

Quantities are tonnes (floats: economics figures are derived, never in the ledger).
A curve between two given years is the year-weighted mean of the two marginal costs
at every quantity (each curve extended past its end with its last slope for this);
its capacity is interpolated the same way. Outside the given years it is flat.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

__all__ = ["Curve", "curve_from_model", "party_curves", "curve_for_year"]


@dataclass(frozen=True)
class Curve:
    """A piecewise-linear marginal abatement cost curve in tonnes and currency per tonne."""
    qs: tuple[float, ...]          # breakpoints, qs[0] == 0, increasing
    ms: tuple[float, ...]          # marginal cost at each breakpoint, not decreasing
    tail: float | None = None      # slope after the last breakpoint (None: the curve ends there)
    cap: float = math.inf          # most that can be abated

    @property
    def capacity(self) -> float:
        """The most that can be abated (tonnes)."""
        return self.cap if self.tail is not None else min(self.cap, self.qs[-1])

    def _slope_after(self) -> float:
        if self.tail is not None:
            return self.tail
        if len(self.qs) > 1:
            return (self.ms[-1] - self.ms[-2]) / (self.qs[-1] - self.qs[-2])
        return 0.0

    def mac_extended(self, q: float) -> float:
        """Marginal cost at ``q``, continuing past the end with the last slope (for interpolation)."""
        qs, ms = self.qs, self.ms
        if q >= qs[-1]:
            return ms[-1] + self._slope_after() * (q - qs[-1])
        i = bisect.bisect_right(qs, q) - 1
        return ms[i] + (ms[i + 1] - ms[i]) * (q - qs[i]) / (qs[i + 1] - qs[i])

    def mac(self, q: float) -> float:
        """Marginal cost of the ``q``-th tonne (currency per tCO2e); ``q`` is clamped to [0, capacity]."""
        return self.mac_extended(min(max(q, 0.0), self.capacity))

    def cost(self, q: float) -> float:
        """Total cost of abating ``q`` tonnes: the area under the curve from 0 (currency)."""
        q = min(max(q, 0.0), self.capacity)
        qs, ms = self.qs, self.ms
        total = 0.0
        for i in range(len(qs) - 1):
            if q <= qs[i]:
                return total
            hi = min(q, qs[i + 1])
            total += (hi - qs[i]) * (ms[i] + self.mac_extended(hi)) / 2
        if q > qs[-1]:
            total += (q - qs[-1]) * (ms[-1] + self.mac_extended(q)) / 2
        return total

    def abatement_at(self, price: float) -> tuple[float, float]:
        """``(lo, hi)``: tonnes abated when every tonne costing less than (at most) ``price`` is abated."""
        return self._last_below(price, strict=True), self._last_below(price, strict=False)

    def _last_below(self, price: float, strict: bool) -> float:
        qs, ms, cap = self.qs, self.ms, self.capacity
        below = (lambda m: m < price) if strict else (lambda m: m <= price)
        if not below(ms[0]):
            return 0.0
        k = (bisect.bisect_left(ms, price) if strict else bisect.bisect_right(ms, price)) - 1
        if k == len(qs) - 1:                       # past the last breakpoint
            if self.tail is None:
                return min(qs[-1], cap)
            if self.tail == 0:
                return cap if (price > ms[-1] or not strict) else qs[-1]
            return min(cap, qs[-1] + (price - ms[-1]) / self.tail)
        q = qs[k] + (price - ms[k]) * (qs[k + 1] - qs[k]) / (ms[k + 1] - ms[k])
        return min(q, cap)


def curve_from_model(spec, factor: int) -> Curve:
    """A :class:`Curve` in tonnes from a scenario's ``AbatementCurve`` (quantities in file units)."""
    if spec.points is not None:
        return Curve(tuple(float(q) * factor for q, _ in spec.points), tuple(float(m) for _, m in spec.points))
    cap = math.inf if spec.max is None else float(spec.max) * factor
    return Curve((0.0,), (float(spec.a),), float(spec.b) / factor, cap)


def _blend(c0: Curve, c1: Curve, t: float) -> Curve:
    """The curve whose marginal cost is ``(1-t)*c0 + t*c1`` at every quantity."""
    cap0, cap1 = c0.capacity, c1.capacity
    cap = (1 - t) * cap0 + t * cap1 if math.isfinite(cap0) and math.isfinite(cap1) else math.inf
    qs = sorted({q for q in c0.qs + c1.qs if q <= cap})
    if math.isfinite(cap) and qs[-1] < cap:
        qs.append(cap)
    ms = [(1 - t) * c0.mac_extended(q) + t * c1.mac_extended(q) for q in qs]
    ms = [max(ms[:i + 1]) for i in range(len(ms))]    # guard rounding: never decreasing
    if math.isfinite(cap):
        if len(qs) == 1:
            return Curve((0.0,), (ms[0],), 0.0, 0.0)
        return Curve(tuple(qs), tuple(ms))
    tail = (1 - t) * c0._slope_after() + t * c1._slope_after()
    return Curve(tuple(qs), tuple(ms), tail)


def curve_for_year(curves: dict[int, Curve], year: int) -> Curve:
    """The curve of a year: linear between the given years, flat outside them."""
    years = sorted(curves)
    if year <= years[0]:
        return curves[years[0]]
    if year >= years[-1]:
        return curves[years[-1]]
    i = bisect.bisect_right(years, year) - 1
    lo, hi = years[i], years[i + 1]
    if year == lo:
        return curves[lo]
    return _blend(curves[lo], curves[hi], (year - lo) / (hi - lo))


def party_curves(scenario) -> dict[str, dict[int, Curve]]:
    """``{party: {year: Curve}}`` for every party with an ``abatement_cost`` and every simulated year."""
    out = {}
    for pid, party in scenario.model.parties.items():
        if party.abatement_cost:
            given = {y: curve_from_model(c, scenario.factor) for y, c in party.abatement_cost.items()}
            out[pid] = {y: curve_for_year(given, y) for y in scenario.years}
    return out
