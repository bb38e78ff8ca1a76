"""Exact year series: linear interpolation of given points, flat outside them."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

__all__ = ["exact", "interpolate", "ratio", "round_half_up", "to_tonnes"]


def exact(value) -> Fraction:
    """A number as written (``1.2`` is exactly 12/10, not the nearest binary float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return _exact_float(value)
    return Fraction(value)


@lru_cache(maxsize=1 << 16)
def _exact_float(value: float) -> Fraction:
    """A float as written, remembered: a scenario repeats its numbers (every run of a
    sweep, every vintage of a yearly outcome), and a Fraction is immutable."""
    return Fraction(Decimal(repr(value)))


@lru_cache(maxsize=4096)
def ratio(value) -> tuple[int, int]:
    """A share as (numerator, denominator) of whole numbers, for ``n * num // den``."""
    f = exact(value)
    return f.numerator, f.denominator


def round_half_up(value: Fraction) -> int:
    """Round to whole tonnes, halves away from zero for positives (0.5 -> 1)."""
    n, d = value.numerator, value.denominator
    return (2 * n + d) // (2 * d)


def to_tonnes(value, factor: int) -> int:
    """A quantity in the scenario's units, converted once to whole tonnes."""
    return round_half_up(exact(value) * factor)


def interpolate(points: dict[int, Fraction], year: int) -> Fraction:
    """Linear between the given years, flat before the first and after the last."""
    years = sorted(points)
    if year <= years[0]:
        return points[years[0]]
    if year >= years[-1]:
        return points[years[-1]]
    for lo, hi in zip(years, years[1:]):
        if lo <= year <= hi:
            return points[lo] + (points[hi] - points[lo]) * Fraction(year - lo, hi - lo)
    raise AssertionError("unreachable")
