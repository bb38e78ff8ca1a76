"""Least-cost sharing of a required abatement among curves: one marginal cost for all.

``share(items, need)`` finds the price ``P`` at which the tonnes every curve abates
beyond its starting point (``q0``, the abatement already in the inventory) add up to
``need``: each abates up to where its marginal cost is ``P``. This is both

* the least-cost spread of a multi-year budget over its years (one curve per year),
  and
* the market price at which ITMO supply and demand clear (one curve per party:
  the tonnes the parties must cut in total are cut where it is cheapest; a party's
  ITMO position is what it abates minus what it must cut).

Method: ``scipy.optimize.brentq`` on ``g(P) = sum(hi(P)) - need`` (``hi``: the most
each curve abates at a marginal cost <= P), bracketed by 0 and a price found by
doubling, with ``xtol = XTOL`` (currency per tCO2e) and ``rtol = RTOL``. Where curves
are flat at the price (several quantities cost the same), the residual is shared in
proportion to each flat part. Any difference left by the tolerance (``residual``,
tonnes) is shared in proportion to the abatement, so the total is exact.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .curves import Curve

__all__ = ["Share", "share", "XTOL", "RTOL"]

XTOL = 1e-12     # currency per tCO2e
RTOL = 1e-12
_MAX_DOUBLINGS = 200


@dataclass(frozen=True)
class Share:
    """The outcome of :func:`share`.

    ``extra[i]``: tonnes abated by item ``i`` beyond its ``q0``; ``price``: the common
    marginal cost (None if nothing was needed); ``unmet``: tonnes no curve could abate
    (every curve at its capacity); ``residual``: tonnes left by the solver's tolerance
    before they were shared out; ``iterations``: brentq's function calls.
    """
    extra: tuple[float, ...]
    price: float | None
    unmet: float = 0.0
    residual: float = 0.0
    iterations: int = 0


def _room(curve: Curve, q0: float) -> float:
    return max(0.0, curve.capacity - max(q0, 0.0))


def _range(curve: Curve, q0: float, price: float) -> tuple[float, float]:
    lo, hi = curve.abatement_at(price)
    base = max(q0, 0.0)
    return max(0.0, lo - base), max(0.0, hi - base)


def share(items: list[tuple[Curve, float]], need: float) -> Share:
    """Share ``need`` tonnes among ``items`` = ``[(curve, q0), ...]`` at one marginal cost."""
    n = len(items)
    if need <= 0 or n == 0:
        return Share((0.0,) * n, None, 0.0 if n else max(need, 0.0))
    rooms = [_room(c, q0) for c, q0 in items]
    total_room = sum(rooms)
    if need >= total_room:
        price = max((c.mac(c.capacity) for (c, _), r in zip(items, rooms) if r > 0), default=None)
        return Share(tuple(rooms), price, need - total_room)
    g = lambda p: sum(_range(c, q0, p)[1] for c, q0 in items) - need   # noqa: E731
    lo_p = 0.0
    if g(lo_p) >= 0:
        price = 0.0
        calls = 1
    else:
        hi_p = max(c.mac(max(q0, 0.0)) for c, q0 in items) + 1.0
        for _ in range(_MAX_DOUBLINGS):
            if g(hi_p) >= 0:
                break
            lo_p, hi_p = hi_p, hi_p * 2
        from scipy.optimize import brentq   # imported here: a run without curves never loads scipy
        price, info = brentq(g, lo_p, hi_p, xtol=XTOL, rtol=RTOL, maxiter=500, full_output=True)
        calls = info.function_calls
        if g(price) < 0:            # brentq may stop just below a step of g: take the right side
            price = min(hi_p, price + XTOL)
    ranges = [_range(c, q0, price) for c, q0 in items]
    extra = [lo for lo, _ in ranges]
    free = [min(hi, r) - lo for (lo, hi), r in zip(ranges, rooms)]
    left = need - sum(extra)
    if left > 0 and sum(free) > 0:
        infinite = [i for i, f in enumerate(free) if math.isinf(f)]
        if infinite:
            for i in infinite:
                extra[i] += left / len(infinite)
        else:
            k = min(1.0, left / sum(free))
            extra = [e + k * f for e, f in zip(extra, free)]
    residual = need - sum(extra)
    if residual and sum(extra) > 0:
        scale = need / sum(extra)
        extra = [min(e * scale, r) for e, r in zip(extra, rooms)]
    return Share(tuple(extra), price, 0.0, abs(residual), calls)
