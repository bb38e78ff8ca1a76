"""Checks of a sweep against its base scenario, before any run.

Every path must lead to a field of the scenario; every lever value, and the typical
and extreme draws of every distribution, must be accepted by the scenario schema;
hazards must name a removal activity or an authorised agreement within the period;
every outcome must exist. Each problem is returned as ``(path in the sweep file,
message)``.
"""
from __future__ import annotations

import itertools
import math

from ..scenario import ScenarioError, scenario_from_dict
from .distributions import Choice, LogNormal, Normal, Triangular, Uniform, distribution_issues
from .hazards import ReversalHazard
from .outcomes import ndc_parties, outcome_issue
from .paths import PathError, copy_for, field_kind, file_data, full_data, get_path, resolve, set_path

__all__ = ["sweep_issues", "apply_value", "probe_values", "MAX_GRID_CHECKS"]

MAX_GRID_CHECKS = 1_000   # grid combinations validated one by one (each lever value is always checked)


def apply_value(data: dict, path: str, value, kind: str | None, scale: bool = False, full: dict | None = None):
    """Write one value (or, with ``scale``, the base value times it) at ``path``; rounds for whole-number fields."""
    if scale:
        try:
            base = get_path(data, path)
        except PathError:
            base = get_path(full, path) if full is not None else None
        if isinstance(base, dict):
            value = {k: _round(v * value, kind) for k, v in base.items()}
        elif isinstance(base, (int, float)) and not isinstance(base, bool):
            value = _round(base * value, kind)
        else:
            raise ValueError(f"{path}: scale needs a number or a map of numbers, the scenario has {base!r}")
    elif kind == "int" and isinstance(value, float):
        value = _round(value, kind)
    set_path(data, path, value)


def _round(x, kind):
    if kind == "int":
        return int(math.floor(x + 0.5))
    return float(x)


def probe_values(d) -> list:
    """Draws worth checking against the schema: the typical value and the ends of the support."""
    if isinstance(d, Choice):
        return list(d.values)
    if isinstance(d, (Uniform, Triangular)):
        values = [d.low, d.high] + ([d.mode] if isinstance(d, Triangular) else [])
    elif isinstance(d, Normal):
        values = [d.mean]
    elif isinstance(d, LogNormal):
        values = [math.exp(d.mu)]
    else:
        values = []
    values += [v for v in (d.min, d.max) if v is not None]
    lo = d.min if d.min is not None else -math.inf
    hi = d.max if d.max is not None else math.inf
    return [min(max(float(v), lo), hi) for v in values]


def _refusal(exc: ScenarioError) -> str:
    first = exc.issues[:3]
    text = "; ".join(f"{'.'.join(map(str, i.path))}: {i.message}" for i in first)
    return text + (f" (and {len(exc.issues) - 3} more)" if len(exc.issues) > 3 else "")


def sweep_issues(model, scenario) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    data, full = file_data(scenario), full_data(scenario)
    kinds = {}
    for section, entries in (("levers", model.levers), ("uncertain", model.uncertain)):
        for path in entries:
            try:
                kinds[path] = field_kind(resolve(full, path))
            except PathError as exc:
                out.append(((section, path), f"unknown path: {exc}"))
    for path in set(model.levers) & set(model.uncertain):
        out.append((("uncertain", path), "is also a lever; a field is either set on the grid or drawn"))
    # lever values, one at a time, then the grid's combinations
    for path, values in model.levers.items():
        if path not in kinds:
            continue
        for i, value in enumerate(values):
            trial = copy_for(data, [path])
            try:
                apply_value(trial, path, value, None)
                scenario_from_dict(trial)
            except ScenarioError as exc:
                out.append((("levers", path, i), f"value {value!r}: the scenario refuses it: {_refusal(exc)}"))
            except (PathError, ValueError) as exc:
                out.append((("levers", path, i), f"value {value!r}: {exc}"))
    if not out and model.levers:
        grid = list(itertools.islice(itertools.product(*model.levers.values()), MAX_GRID_CHECKS))
        if len(grid) > 1:
            for combo in grid:
                trial = copy_for(data, list(model.levers))
                for path, value in zip(model.levers, combo):
                    apply_value(trial, path, value, None)
                try:
                    scenario_from_dict(trial)
                except ScenarioError as exc:
                    shown = ", ".join(f"{p}={v!r}" for p, v in zip(model.levers, combo))
                    out.append((("levers",), f"the grid point {shown}: the scenario refuses it: {_refusal(exc)}"))
    probes = {}
    for path, d in model.uncertain.items():
        where = ("uncertain", path)
        problems = distribution_issues(d)
        out += [(where + p, m) for p, m in problems]
        if not problems and path in kinds:
            probes[path] = probe_values(d)
    if probes and _probes_pass(data, full, kinds, model, probes):
        probes = {}   # every probe accepted, checked together (one validation per probe level)
    for path, values in probes.items():
        d, where = model.uncertain[path], ("uncertain", path)
        for value in values:
            trial = copy_for(data, [path])
            try:
                apply_value(trial, path, value, kinds[path], getattr(d, "scale", False), full)
                scenario_from_dict(trial)
            except ScenarioError as exc:
                out.append((where, f"a draw of {value!r}: the scenario refuses it: {_refusal(exc)}"))
                break
            except (PathError, ValueError) as exc:
                out.append((where, str(exc)))
                break
    out += _hazard_issues(model, scenario)
    ndc = ndc_parties(scenario)
    for i, name in enumerate(model.outcomes):
        msg = outcome_issue(name, ndc)
        if msg:
            out.append((("outcomes", i), msg))
    if model.sensitivity and not model.uncertain:
        out.append((("sensitivity",), "needs at least one uncertain input"))
    return out


def _probes_pass(data, full, kinds, model, probes) -> bool:
    """True when the k-th probe of every input, set all at once, is accepted for every k."""
    for k in range(max(len(v) for v in probes.values())):
        trial = copy_for(data, list(probes))
        try:
            for path, values in probes.items():
                d = model.uncertain[path]
                apply_value(trial, path, values[min(k, len(values) - 1)], kinds[path], getattr(d, "scale", False), full)
            scenario_from_dict(trial)
        except (ScenarioError, PathError, ValueError):
            return False
    return True


def _hazard_issues(model, scenario) -> list[tuple[tuple, str]]:
    out = []
    m = scenario.model
    start, end = m.period.start, m.period.end
    for i, h in enumerate(model.hazards):
        where = ("hazards", i)
        if h.years is not None:
            first, last = h.years
            if first > last:
                out.append((where + ("years",), f"first year {first} is after the last {last}"))
            elif first < start or last > end:
                out.append((where + ("years",), f"{first}-{last} is outside the simulated period {start}-{end}"))
        if isinstance(h, ReversalHazard):
            act = m.activities.get(h.activity)
            if act is None:
                out.append((where + ("activity",), f"unknown activity {h.activity!r}"
                            + (f" (activities: {', '.join(m.activities)})" if m.activities else "")))
            elif act.kind != "removal":
                out.append((where + ("activity",), f"reversals happen at removal activities; {h.activity!r} is a "
                                                   f"{act.kind}"))
            out += [(where + ("size",) + p, msg) for p, msg in distribution_issues(h.size)]
            if isinstance(h.size, Choice):
                if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in h.size.values):
                    out.append((where + ("size",), "a share reversed is a number from 0 to 1"))
            elif isinstance(h.size, (Uniform, Triangular)) and not (0 <= h.size.low and h.size.high <= 1):
                out.append((where + ("size",), f"a share reversed is from 0 to 1; got [{h.size.low}, {h.size.high}]"))
        else:
            ag = m.agreements.get(h.agreement)
            if ag is None:
                out.append((where + ("agreement",), f"unknown agreement {h.agreement!r}"
                            + (f" (agreements: {', '.join(m.agreements)})" if m.agreements else "")))
            elif ag.authorisation is None:
                out.append((where + ("agreement",), f"agreement {h.agreement!r} has no authorisation to revoke"))
    return out

