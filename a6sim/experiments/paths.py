"""Field paths into scenario data: ``agreements.che-gha.price``, ``events``, ``seed``.

A path is the scenario's own field path, as in the dashboard levers and the lesson
what-ifs: parts are matched against the keys present (an id may contain dots; a year
key may be written as digits), a list item is its index from 0. The last part may be
a field the file leaves at its default (``agreements.deal.cap`` where no cap is
given): values are read from the validated scenario with every default filled in.
"""
from __future__ import annotations

import copy
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel

from ..scenario.model import ScenarioModel

__all__ = ["PathError", "get_path", "set_path", "resolve", "copy_for", "field_kind", "file_data", "full_data"]


class PathError(KeyError):
    """A path that leads nowhere; ``str(exc)`` says where it stopped."""

    def __str__(self) -> str:
        return self.args[0]


def file_data(scenario) -> dict:
    """The scenario as plain data, the fields its file sets (reloads to an equal scenario)."""
    return scenario.model.model_dump(mode="python", exclude_unset=True)


def full_data(scenario) -> dict:
    """The scenario as plain data with every default written out (to read a default's value)."""
    return scenario.model.model_dump(mode="python")


def resolve(data, dotted: str, create: bool = False) -> tuple:
    """The keys that ``dotted`` spells in ``data`` (``('agreements', 'che-gha', 'price')``)."""
    node, key, keys = _walk(data, dotted, create)
    return keys + (key,)


def _walk(data, dotted: str, create: bool):
    """``(container, key, keys above)`` that ``dotted`` names in ``data``."""
    parts = str(dotted).split(".")
    node, walked, keys = data, [], ()
    while True:
        if isinstance(node, list):
            index = parts[0]
            if not (index.isdigit() and int(index) < len(node)):
                raise PathError(f"{'.'.join(walked + [index])}: the list has {len(node)} item"
                                f"{'s' if len(node) != 1 else ''}")
            key, consumed = int(index), 1
        elif isinstance(node, dict):
            key = _match(node, parts)
            if key is None:
                if create:   # a field the file leaves at its default
                    key = int(parts[0]) if parts[0].isdigit() else parts[0]
                    if len(parts) > 1:
                        node[key] = {}
                else:
                    raise PathError(f"{'.'.join(walked + parts)}: no field {parts[0]!r} in "
                                    f"{'.'.join(walked) or 'the scenario'}")
            consumed = len(str(key).split("."))
        else:
            raise PathError(f"{'.'.join(walked)} is not a mapping of fields")
        if consumed == len(parts):
            return node, key, keys
        walked.append(str(key))
        keys += (key,)
        parts = parts[consumed:]
        node = node[key]
        if node is None and create:
            node = _parent_dict(data, keys)
        if node is None:
            raise PathError(f"{'.'.join(walked)} is not set in the scenario")


def _parent_dict(data, keys):
    """Replace a ``None`` sub-mapping on the way by an empty one (``sop`` left unset)."""
    parent = data
    for k in keys[:-1]:
        parent = parent[k]
    parent[keys[-1]] = {}
    return parent[keys[-1]]


def _match(node: dict, parts: list[str]):
    """The key of ``node`` spelled by the longest prefix of ``parts`` (ids may contain dots)."""
    for n in range(len(parts), 0, -1):
        spelled = ".".join(parts[:n])
        for k in node:
            if str(k) == spelled:
                return k
    return None


def get_path(data, dotted: str) -> Any:
    """The value at ``dotted``. Raises :class:`PathError`."""
    node, key, _ = _walk(data, dotted, create=False)
    return node[key]


def set_path(data, dotted: str, value) -> None:
    """Set ``dotted`` to ``value`` in place (a deep copy of it). Raises :class:`PathError`."""
    node, key, _ = _walk(data, dotted, create=True)
    node[key] = copy.deepcopy(value)


def copy_for(base: dict, paths: list[str]) -> dict:
    """A copy of ``base`` that a run (or a check) may change at ``paths``: the mappings and lists
    on the way to each path are copied, everything else is shared with ``base`` (never
    changed: the scenario is validated from it, the draws replace whole values). A deep
    copy of a large world cost more than the run's validation; a path that does not
    resolve yet (a field the file leaves at its default) gets the whole deep copy."""
    data = dict(base)
    for dotted in paths:
        try:
            keys = resolve(data, dotted)
        except PathError:
            return copy.deepcopy(base)
        node = data
        for key in keys[:-1]:
            child = node[key]
            if isinstance(child, dict):
                child = dict(child)
            elif isinstance(child, list):
                child = list(child)
            node[key] = child
            node = child
    return data


def _strip(annotation):
    """Drop ``Optional`` and ``Annotated`` around a type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType) and type(None) in typing.get_args(annotation):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = rest[0] if len(rest) == 1 else Union[tuple(rest)]
        else:
            return annotation


def field_kind(keys: tuple) -> str | None:
    """What the schema wants at the resolved ``keys`` (see :func:`resolve`): ``int``, ``float``, ``bool``, ``text`` or None (anything else).

    A number-or-map-by-year field (a price, an outcome) counts as ``float``, a map by
    year of numbers too (each entry is scaled). Used to round draws for whole-number
    fields (``transfer_lag_days``).
    """
    ann: Any = ScenarioModel
    parts = list(keys)
    while parts:
        ann = _strip(ann)
        origin = typing.get_origin(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            name = str(parts.pop(0))
            if name not in ann.model_fields:
                return None
            ann = ann.model_fields[name].annotation
        elif origin is dict:
            ann = typing.get_args(ann)[1]
            parts = parts[1:]
        elif origin is list:
            ann = typing.get_args(ann)[0]
            parts = parts[1:]
        elif origin is Union:
            ann = typing.get_args(ann)[0]
        else:
            return None
    ann = _strip(ann)
    if typing.get_origin(ann) is Union:
        ann = _strip(typing.get_args(ann)[0])
    if typing.get_origin(ann) is dict:
        ann = _strip(typing.get_args(ann)[1])
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is float:
        return "float"
    if ann is str or typing.get_origin(ann) is Literal:
        return "text"
    return None
