"""Inventories: emissions covered by each NDC as the inventory would report them.

docs/how-a6sim-counts.md: ``inventory[p, y]`` = reference emissions - outcomes of the
in-scope activities hosted by p with vintage y + reversals that occurred in p in y
(at in-scope activities) + quantified leakage of vintage y that occurs in p
(``leakage_in``, default the host; whether or not the activity is in scope: leaked
emissions happen outside the activity's boundary).
"""
from __future__ import annotations


__all__ = ["inventories", "scenario_reversals"]


def inventories(scenario, outcomes: dict[tuple[str, int], int], reversals: dict[tuple[str, int], int],
                leakage: dict[tuple[str, int], int] | None = None) -> dict[str, dict[int, int]]:
    """``{party: {year: tonnes}}`` for every simulated year.

    ``outcomes[(activity, vintage)]``: the realised outcome (tonnes);
    ``reversals[(activity, year)]``: tonnes reversed; ``leakage[(activity, vintage)]``:
    quantified leakage (tonnes), added where it occurs.
    """
    acts = scenario.model.activities
    inv = {p: scenario.emissions(p) for p in scenario.model.parties}
    for (act_id, vintage), tonnes in outcomes.items():
        act = acts[act_id]
        if act.in_ndc_scope and inv[act.host].get(vintage) is not None:
            inv[act.host][vintage] -= tonnes
    for (act_id, year), tonnes in reversals.items():
        act = acts[act_id]
        if act.in_ndc_scope and inv[act.host].get(year) is not None:
            inv[act.host][year] += tonnes
    for (act_id, vintage), tonnes in (leakage or {}).items():
        act = acts[act_id]
        where = act.leakage_in or act.host
        if vintage in inv[where]:
            inv[where][vintage] += tonnes
    return inv


def scenario_reversals(scenario) -> dict[tuple[str, int], int]:
    """Tonnes reversed per (activity, year), from the scenario's reversal events."""
    out: dict[tuple[str, int], int] = {}
    for ev in scenario.model.events:
        if ev.type == "reversal":
            key = (ev.activity, ev.date.year)
            out[key] = out.get(key, 0) + scenario.tonnes(ev.quantity)
    return out


