"""``a6sim.model(scenario, **levers) -> dict``: a6sim as a plain function of levers to outcomes.

For EMA Workbench and any other exploratory-modelling tool (architecture, example 8):
a top-level, picklable function. ``scenario`` is a file, a bundled example's name,
scenario YAML text, plain data or a :class:`a6sim.Scenario`; every other keyword is a
field path of the scenario (``**{"agreements.che-gha.price": 30}``; ``seed=5`` sets
the seed; ``__`` may stand for ``.`` where a tool wants identifiers:
``agreements__che-gha__price``), and ``outcomes`` (a list, default as in sweeps)
says what to return. Whole-number fields are rounded. Returns ``{outcome: value}``
(tonnes, currency for ``sop_value``; ``parties.ID.met`` true or false).
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from ..scenario import Scenario, scenario_from_dict, scenario_from_text
from .checks import apply_value
from .outcomes import DEFAULT_OUTCOMES, expand_outcomes, ndc_parties, outcome_issue, outcome_values
from .paths import field_kind, file_data, full_data, resolve

__all__ = ["model"]


@lru_cache(maxsize=16)
def _from_file(path: str, mtime: float) -> Scenario:
    from ..scenario import load_scenario
    return load_scenario(path)


@lru_cache(maxsize=16)
def _from_text(text: str) -> Scenario:
    return scenario_from_text(text)


def _base(scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return scenario_from_dict(scenario)
    text = str(scenario)
    if "\n" in text:
        return _from_text(text)
    from ..resources import resolve_scenario
    path = Path(resolve_scenario(text))
    return _from_file(str(path), path.stat().st_mtime if path.exists() else 0.0)


def model(scenario, outcomes=None, **levers) -> dict:
    """Run ``scenario`` with the ``levers`` set; return ``{outcome: value}``.

    ``scenario``: a file, a bundled example's name, scenario YAML text, plain data or a
    :class:`a6sim.Scenario`. Each lever is a keyword naming a field path of the scenario,
    ``**{"agreements.che-gha.price": 30}``; ``__`` may stand for ``.`` where a tool wants
    identifiers (``agreements__che-gha__price``); ``seed=5`` sets the seed.
    ``outcomes``: a name or a list of names as in a sweep file (``parties.CHE.gap``,
    ``parties.*.met``, ``double_claimed``, ...; default ``parties.*.gap``,
    ``parties.*.met``, ``double_claimed``, ``net_ca_total``, ``sop_value``). Values are
    tonnes of CO2e as floats (currency for ``sop_value`` and ``value_paid``), ``met``
    true or false. Raises :class:`ValueError` for an unknown outcome (say a party
    without an NDC) and :class:`~a6sim.ScenarioError` for a lever value the scenario
    refuses.
    """
    base = _base(scenario)
    data, full = file_data(base), full_data(base)
    for key, value in levers.items():
        path = key.replace("__", ".")
        apply_value(data, path, value, field_kind(resolve(full, path)))
    sc = scenario_from_dict(copy.deepcopy(data), f"{base.source} (model)")
    from ..results import simulate
    asked = [outcomes] if isinstance(outcomes, str) else list(outcomes or DEFAULT_OUTCOMES)
    ndc = ndc_parties(sc)
    for name in asked:
        problem = outcome_issue(str(name), ndc)
        if problem:   # an unknown outcome came back as None, silently
            raise ValueError(f"outcome {name!r}: {problem}")
    names = expand_outcomes(asked, ndc, sc.years)
    return outcome_values(simulate(sc), names)
