"""Turn pydantic's validation errors into located, plain-language issues."""
from __future__ import annotations

import types
import typing

from pydantic import BaseModel, ValidationError

from .errors import Issue
from .yamlread import line_of

__all__ = ["issues_from_validation"]

_TYPE_WORDS = {
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "string_type": "text", "date_type": "a date like 2022-06-01", "date_parsing": "a date like 2022-06-01",
    "dict_type": "a mapping (key: value)", "list_type": "a list", "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def issues_from_validation(exc: ValidationError, data, lines, source: str, root: type[BaseModel]) -> list[Issue]:
    """One issue per field path; alternatives of a union are merged into one message."""
    merged: dict[tuple, list[str]] = {}
    for err in exc.errors(include_url=False):
        path, on_key = _data_path(err["loc"], data, err["type"])
        msg = _message(err, path, data, root, on_key)
        bucket = merged.setdefault(path, [])
        if msg not in bucket:
            bucket.append(msg)
    # a union (number or map) that failed inside the map: keep only the deeper message
    # (every proper prefix of every path, gathered once: linear in the number of errors)
    prefixes = {q[:i] for q in merged for i in range(len(q))}
    for path in [p for p in merged if p in prefixes]:
        if all(m.startswith("expected ") for m in merged[path]):
            del merged[path]
    out = []
    for path, msgs in merged.items():
        bounds = [m for m in msgs if not m.startswith("expected ")]
        if bounds and len(bounds) < len(msgs):   # a union whose right type was out of bounds: that says it
            msgs = bounds
        if len(msgs) > 1 and all(m.startswith("expected ") for m in msgs):
            msgs = ["expected " + " or ".join(m[len("expected "):].split(", got")[0] for m in msgs)
                    + _got(_value_at(data, path))]
        out.append(Issue(source, line_of(lines, path), path, "; ".join(msgs)))
    return out


def _data_path(loc, data, kind) -> tuple[tuple, bool]:
    """Keep the parts of pydantic's location that index the data (drop union tags)."""
    path, cur, on_key = [], data, False
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if part == "[key]":
            on_key = True
            continue
        if isinstance(cur, dict):
            key = _match_key(cur, part)
            if key is not _MISSING:
                path.append(key)
                cur = cur[key]
                continue
            if last and kind in ("missing", "extra_forbidden"):
                path.append(part)
                cur = None
            continue
        if isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            path.append(part)
            cur = cur[part]
            continue
        # a union member's tag (e.g. 'float', 'dict[int,...]', 'reversal'): not part of the data
    return tuple(path), on_key


_MISSING = object()


def _match_key(mapping, part):
    if part in mapping:
        return part
    if isinstance(part, str):
        try:
            as_int = int(part)
        except ValueError:
            return _MISSING
        if as_int in mapping:
            return as_int
    return _MISSING


def _value_at(data, path):
    cur = data
    for part in path:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return cur


def _got(value) -> str:
    if value is _MISSING:
        return ""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f", got {text}"


def _message(err, path, data, root, on_key) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    value = _value_at(data, path)
    if on_key:
        return f"keys must be years (whole numbers), got {next(iter([err.get('input')]))!r}"
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(root, path[:-1], data)
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown field{hint}"
    if kind in ("greater_than_equal", "greater_than"):
        op = ">=" if kind.endswith("equal") else ">"
        return f"must be {op} {ctx.get('ge', ctx.get('gt')):g}{_got(value)}"
    if kind in ("less_than_equal", "less_than"):
        op = "<=" if kind.endswith("equal") else "<"
        return f"must be {op} {ctx.get('le', ctx.get('lt')):g}{_got(value)}"
    if kind == "finite_number":
        return f"must be a finite number{_got(value)}"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}{_got(value)}"
    if kind in ("too_short", "too_long"):
        if isinstance(value, list):
            return f"expected a list of {_length_words(err)}{_got(value)}"
        n = ctx.get('min_length', 1)
        return f"expected a mapping with at least {n} entr{'y' if n == 1 else 'ies'}{_got(value)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[A-Z]{3}$":   # entities.ID.country
            return f"expected an ISO 3166 alpha-3 code: three capital letters, e.g. SGP{_got(value)}"
        return f"expected letters, digits, '-', '_' or '.' ({ctx.get('pattern')}){_got(value)}"
    if kind == "union_tag_invalid":
        return f"expected type {ctx.get('expected_tags')}{_got(ctx.get('tag'))}"
    if kind == "union_tag_not_found":
        return "required field missing: type (revoke-authorisation | reversal)"
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}{_got(value)}"
    if kind == "value_error" and ctx.get("error") is not None:   # a model's own check: its words
        return str(ctx["error"])
    return err["msg"][0].lower() + err["msg"][1:]


def _length_words(err) -> str:
    ctx = err.get("ctx") or {}
    if "points" in err["loc"]:   # an abatement cost curve (docs/economics.md)
        if err["loc"][-1] == "points":
            return "at least two [quantity, cost] points, the first at quantity 0"
        return "two numbers [quantity abated, marginal cost]"
    if ctx.get("min_length") == ctx.get("max_length") == 2 or (ctx.get("min_length") == 2 or ctx.get("max_length") == 2):
        return "two years [first, last]"
    return "the right length"


def _allowed_fields(root, path, data) -> list[str]:
    """The field names of the model found at ``path`` (for 'unknown field' hints)."""
    tp, cur = root, data
    for part in path:
        tp = _unwrap(tp, cur)
        if tp is None:
            return []
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) or next(
                (f for f in tp.model_fields.values() if f.alias == part), None)
            if field is None:
                return []
            tp = field.annotation
        else:
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
            if origin is dict:
                tp = args[1]
            elif origin is list:
                tp = args[0]
            else:
                return []
        cur = cur.get(part) if isinstance(cur, dict) else (cur[part] if isinstance(cur, list) and isinstance(part, int) and part < len(cur) else None)
    tp = _unwrap(tp, cur)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or name for name, f in tp.model_fields.items()]   # as written in files
    return []


def _unwrap(tp, cur):
    """Strip Annotated/Optional; pick a union member by the data's ``type`` where needed."""
    for _ in range(10):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            if len(models) > 1 and isinstance(cur, dict):
                for m in models:
                    tfield = m.model_fields.get("type")
                    if tfield is not None and cur.get("type") in typing.get_args(tfield.annotation):
                        return m
                return None
            tp = models[0] if models else members[0]
            continue
        return tp
    return tp
