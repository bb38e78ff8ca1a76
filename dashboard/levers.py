"""The levers a workshop argues about, generated from the scenario schema.

Which fields are levers is listed once (``LEVER_FIELDS``); their widget kind, bounds,
choices and help text come from the pydantic schema in :mod:`a6sim.scenario.model`,
so a change to the schema changes the dashboard with it. Edits are kept as
``{lever id: value}`` overrides of the scenario text and applied to a copy of it.
"""
from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

import annotated_types
import yaml
from pydantic import BaseModel

import a6sim
from a6sim.scenario.model import Agreement, Party, ScenarioModel, Settings
from a6sim.scenario.resale_checks import is_resale

__all__ = ["Lever", "LEVER_FIELDS", "levers_of", "apply_overrides", "changed_overrides", "edited_text",
           "describe_overrides"]

# (section of the file, its model, field path within one entry)
LEVER_FIELDS: tuple = (
    ("agreements", Agreement, ("price",)),
    ("agreements", Agreement, ("cap",)),
    ("agreements", Agreement, ("sop", "units")),
    ("agreements", Agreement, ("sop", "value")),
    ("agreements", Agreement, ("omge", "units")),
    ("agreements", Agreement, ("use", "policy")),
    ("parties", Party, ("ndc", "method")),
    ("parties", Party, ("ndc", "averaging_divisor")),
    ("parties", Party, ("corresponding_adjustments",)),
    ("settings", Settings, ("ca_attribution",)),
    ("settings", Settings, ("economics",)),        # only offered when a party has a curve
)
DEFAULT_CHOICE = "(default)"

#: Plain-language label and unit of each lever (the field path goes in the tooltip; the
#: help text under the widget is the schema's description). Unit kinds: "price" (the
#: scenario's currency per tCO2e), "quantity" (the scenario's units), "share" (0 to 1).
LABELS: dict = {
    ("price",): ("Price", "price"),
    ("cap",): ("Cap on authorised units", "quantity"),
    ("sop", "units"): ("Share of proceeds, in units", "share"),
    ("sop", "value"): ("Share of proceeds, in money", "share"),
    ("omge", "units"): ("Cancelled for OMGE", "share"),
    ("use", "policy"): ("When the buyer uses its units", ""),
    ("ndc", "method"): ("Single-year NDC method", ""),
    ("ndc", "averaging_divisor"): ("Averaging divides by", ""),
    ("corresponding_adjustments",): ("Applies corresponding adjustments", ""),
    ("ca_attribution",): ("Year a first transfer is added for", ""),
}


def unit_text(kind: str, scenario_units: str = "tCO2e", currency: str = "") -> str:
    """The unit a lever is entered in: ``"SGD per tCO2e"``, ``"MtCO2e"``, ``"share, 0-1"``."""
    if kind == "price":
        return f"{currency} per tCO2e".strip()
    if kind == "quantity":
        return scenario_units
    if kind == "share":
        return "share, 0-1"
    return ""


@dataclass(frozen=True)
class Lever:
    """One input widget: what it edits, how, and its value in the file."""
    path: tuple            # ('agreements', 'sgp-mng', 'sop', 'units')
    group: str             # 'agreements' | 'parties' | 'settings'
    owner: str             # the agreement or party id ('' for settings)
    label: str             # 'Share of proceeds, in units' (plain language)
    kind: str              # 'number' | 'choice' | 'switch'
    help: str
    value: Any
    options: tuple = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    optional: bool = False  # may be left empty (no cap, the default use policy, a price by year)
    field: str = ""         # 'sop.units': the field path in the file (shown as a tooltip)
    unit: str = ""          # 'share, 0-1', 'MtCO2e', 'USD per tCO2e'

    @property
    def id(self) -> str:
        return "/".join(self.path)


def _field(model: type[BaseModel], path: tuple):
    """The pydantic FieldInfo at ``path`` inside ``model``."""
    info = None
    for name in path:
        info = model.model_fields[name]
        inner = _strip_optional(info.annotation)
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
    return info


def _strip_optional(annotation):
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else Union[tuple(rest)]
    return annotation


def _describe_field(info) -> dict:
    """Widget kind, choices and bounds of a field, read off its type."""
    ann = info.annotation
    optional = type(None) in typing.get_args(ann)
    ann = _strip_optional(ann)
    if typing.get_origin(ann) is typing.Annotated:
        meta = list(typing.get_args(ann)[1:])
        ann = typing.get_args(ann)[0]
    else:
        meta = []
    if typing.get_origin(ann) is Union:      # a number or a map by year: the number is the lever
        first = typing.get_args(ann)[0]
        if typing.get_origin(first) is typing.Annotated:
            meta += list(typing.get_args(first)[1:])
        optional = True
        ann = float
    if ann is bool:
        return {"kind": "switch", "optional": False}
    if typing.get_origin(ann) is Literal:
        return {"kind": "choice", "options": tuple(typing.get_args(ann)), "optional": optional}
    meta += list(info.metadata)
    lo = hi = None
    for m in meta:
        for item in (getattr(m, "metadata", None) or [m]):
            if isinstance(item, annotated_types.Ge):
                lo = item.ge
            elif isinstance(item, annotated_types.Le):
                hi = item.le
    return {"kind": "number", "minimum": lo, "maximum": hi, "optional": optional}


def _value(model_entry, path: tuple):
    for name in path:
        model_entry = getattr(model_entry, name) if model_entry is not None else None
    return model_entry


def levers_of(scenario: a6sim.Scenario) -> list[Lever]:
    """Every lever of a scenario, with the value the file gives (defaults filled in)."""
    model: ScenarioModel = scenario.model
    out = []
    for section, cls, path in LEVER_FIELDS:
        entries = {"": model.settings} if section == "settings" else dict(getattr(model, section))
        info = _field(cls, path)
        shape = _describe_field(info)
        for owner, entry in entries.items():
            if path[0] == "ndc" and (entry.ndc is None or entry.ndc.type != "single-year"):
                continue   # method and divisor apply to single-year NDCs only
            if path == ("economics",) and not any(p.abatement_cost for p in model.parties.values()):
                continue   # the economics mode matters only with an abatement cost curve
            if path in (("sop", "units"), ("omge", "units")) and section == "agreements" and is_resale(model, entry):
                continue   # a resale authorises nothing: no units to take (docs/how-a6sim-counts.md)
            value = _value(entry, path)
            if isinstance(value, dict):   # a price by year: kept unless a flat price is typed
                value = None
            full = (section, owner, *path) if owner else (section, *path)
            label, unit_kind = LABELS.get(path, (".".join(path), ""))
            out.append(Lever(path=full, group=section, owner=owner, label=label,
                             help=info.description or "", value=value, field=".".join(path),
                             unit=unit_text(unit_kind, model.units, model.currency), **shape))
    return out


def changed_overrides(levers: list[Lever], values: dict) -> dict:
    """Keep only the widget values that differ from the file (``{lever id: value}``)."""
    out = {}
    for lever in levers:
        if lever.id not in values:
            continue
        v = values[lever.id]
        if v == "" or v == DEFAULT_CHOICE:
            v = None
        if lever.kind == "number" and v is not None:
            v = float(v) if not float(v).is_integer() else int(v)
        if v is None and not lever.optional:
            continue   # an emptied required number keeps the file's value
        if v != lever.value:
            out[lever.id] = v
    return out


def apply_overrides(data: dict, overrides: dict) -> dict:
    """A copy of the scenario data with the overrides written in (None clears an optional field)."""
    data = copy.deepcopy(data)
    for lever_id, value in overrides.items():
        path = lever_id.split("/")
        node = data
        for name in path[:-1]:
            node = node.setdefault(name, {})
            if node is None:
                break
        else:
            if value is None:
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
    return data


def edited_text(text: str, overrides: dict, file: str) -> str:
    """The scenario text with the overrides applied: the text itself when nothing changed."""
    if not overrides:
        return text
    data = apply_overrides(yaml.safe_load(text), overrides)
    head = f"# Edited in the a6sim dashboard from {file}: {describe_overrides(overrides)}\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def describe_overrides(overrides: dict) -> str:
    """``sgp-mng price 30; MNG ndc.method averaging`` (or ``as in the file``)."""
    if not overrides:
        return "as in the file"
    parts = []
    for lever_id, value in sorted(overrides.items()):
        path = lever_id.split("/")
        where = " ".join([path[1], ".".join(path[2:])]) if path[0] != "settings" else ".".join(path[1:])
        shown = "none" if value is None else ("on" if value is True else "off" if value is False else value)
        parts.append(f"{where} {shown}")
    return "; ".join(parts)
