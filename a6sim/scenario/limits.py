"""Bounds on the numbers of a scenario, so that no run can overflow or write NaN.

Every quantity, price and factor of a scenario is a finite number within the bounds
below (the JSON Schema and the README's reference state them). Quantities are also
bounded once converted to tonnes: a file in MtCO2e may write at most 1,000,000 Mt, the
same 10^12 tCO2e (1,000 GtCO2e, twenty years of the world's emissions) as a file in
tCO2e. With at most 301 simulated years, sums of tonnes stay far below 2^63 (the
largest whole number a results table holds), and sums of money far below the largest
float, so ``summary.json`` is always valid JSON.
"""
from __future__ import annotations

import types
import typing

from pydantic import BaseModel

from ..argcheck import MAX_SEED, seed_argument   # the largest seed; the command line's seed type

__all__ = ["MAX_TONNES", "MAX_QUANTITY", "MAX_PRICE", "MIN_FACTOR", "MAX_FACTOR", "MAX_SEED", "seed_argument",
           "tonnes_issues", "limits_markdown"]

MAX_TONNES = 10**12
"""Largest quantity once converted to tCO2e (1,000 GtCO2e)."""

MAX_QUANTITY = 1e12
"""Largest quantity in the file's units (tighter in ktCO2e and MtCO2e: see MAX_TONNES)."""

MAX_PRICE = 1e6
"""Largest price or marginal cost, in the file's currency per tCO2e."""

MIN_FACTOR, MAX_FACTOR = 1e-6, 1e6
"""Bounds of ``tco2e_per_unit`` (tCO2e per unit of a non-GHG metric)."""



def tonnes_issues(model, quantity_type, factor: int, within=None) -> list[tuple[tuple, str]]:
    """``(path, message)`` for every quantity of ``model`` above :data:`MAX_TONNES` once
    converted to tonnes (``factor`` tonnes per unit of the file). Quantities of a
    non-GHG NDC are in its own metric, not in the file's units: they keep the bound of
    the schema only.

    ``within``: look only under these paths (a sweep's run of a scenario already checked
    changes only them); each is cut to its first two keys (``activities``, an id), so
    the whole item is checked."""
    out: list[tuple[tuple, str]] = []
    near = None
    if within is not None:
        cut = {tuple(p[:2]) for p in within}
        near = lambda path: any(path[:len(c)] == c or c[:len(path)] == path for c in cut)  # noqa: E731
    limit = MAX_TONNES / factor
    if limit >= MAX_QUANTITY:   # a file in tCO2e: the schema's own bound is already the bound in tonnes
        return out
    units = {1: "tCO2e", 1_000: "ktCO2e", 1_000_000: "MtCO2e"}.get(factor, "units")

    def check(tp, value, path):
        if value is None or (near is not None and not near(path)):
            return
        if tp == quantity_type:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > limit:
                out.append((path, f"must be <= {limit:,.0f} {units} ({MAX_TONNES:.0e} tCO2e), got {_shown(value)}"))
            return
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Annotated:
            check(args[0], value, path)
        elif origin is typing.Union or origin is types.UnionType:
            for member in args:
                if accepts(member, value):
                    check(member, value, path)
                    return
        elif origin is dict and isinstance(value, dict):
            for k, v in value.items():
                check(args[1], v, path + (k,))
        elif origin is list and isinstance(value, list):
            for i, v in enumerate(value):
                check(args[0], v, path + (i,))
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(value, BaseModel):
            if getattr(value, "metric", "tCO2e") != "tCO2e":
                return
            for name, annotation in _quantity_fields(type(value), quantity_type):
                check(annotation, getattr(value, name), path + (name,))

    def accepts(tp, value) -> bool:
        if tp == quantity_type:
            return isinstance(value, (int, float))
        while typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
        base = typing.get_origin(tp) or tp
        return isinstance(base, type) and base is not type(None) and isinstance(value, base)

    check(type(model), model, ())
    return out


_FIELDS: dict = {}


def _quantity_fields(model_type, quantity_type) -> list[tuple[str, object]]:
    """The fields of a model type whose annotation can hold a quantity (cached per type):
    the check skips the others, so a large scenario's dates and names cost nothing."""
    key = (model_type, id(quantity_type))
    if key not in _FIELDS:
        fields = []
        for name, f in model_type.model_fields.items():
            if _is_quantity_field(f, quantity_type):
                fields.append((name, quantity_type))
            elif _may_hold(f.annotation, quantity_type, set()):
                fields.append((name, f.annotation))
        _FIELDS[key] = fields
    return _FIELDS[key]


def _is_quantity_field(field, quantity_type) -> bool:
    """A field declared ``name: Quantity = Field(...)``: pydantic keeps its annotation as
    the bare ``float`` and moves the bounds into ``metadata``, so the annotation alone
    does not show it is a quantity."""
    base, info = typing.get_args(quantity_type)[:2]
    return field.annotation is base and field.metadata == info.metadata


def _may_hold(tp, quantity_type, seen: set) -> bool:
    if tp == quantity_type:
        return True
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return True   # a recursive model: keep it (checked value by value)
        seen.add(tp)
        return any(_is_quantity_field(f, quantity_type) or _may_hold(f.annotation, quantity_type, seen)
                   for f in tp.model_fields.values())
    return any(_may_hold(a, quantity_type, seen) for a in typing.get_args(tp) if not isinstance(a, (str, int, float)))


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def limits_markdown() -> str:
    """The bounds, for the README's scenario reference."""
    return "\n".join([
        "#### Limits",
        "",
        "Every number is finite (`.inf` and `.nan` are refused). Quantities are at most "
        f"{MAX_QUANTITY:.0e} in the file's units and at most {MAX_TONNES:.0e} tCO2e once converted "
        "(1,000,000 in a file in MtCO2e, 1,000,000,000 in ktCO2e); prices and marginal costs "
        f"(`price`, `abatement_cost` `a` and `b`) at most {MAX_PRICE:.0e} of the currency per tCO2e, the "
        f"numbers of `points` at most {MAX_QUANTITY:.0e} in size; `tco2e_per_unit` between {MIN_FACTOR:g} and {MAX_FACTOR:g}; `seed` at most 2^63 - 1. "
        "Within them no run overflows, and `summary.json` is always valid JSON.",
        "",
    ])
