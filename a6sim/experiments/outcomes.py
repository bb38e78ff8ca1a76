"""What each run of a sweep reports: named outcomes read off a run's summary.

Names (tonnes of CO2e unless said otherwise):

* ``parties.ID.gap`` (balance minus target: > 0 missed), ``parties.ID.met`` (true or
  false), ``parties.ID.balance``, ``parties.ID.target``; ``parties.*.gap`` stands for
  every party with an NDC (2/CMA.3 annex paras 7-8; docs/how-a6sim-counts.md);
* the run totals of ``summary.json``: ``issued``, ``first_transferred``,
  ``first_transferred_oimp``, ``used``, ``used_oimp``, ``voluntarily_cancelled``,
  ``omge_cancelled``, ``adaptation_fund_units``, ``host_adaptation_units``,
  ``buffer``, ``reversal_cancelled``, ``held``, ``double_claimed``,
  ``target_year_double_claimed`` (tonnes claimed twice in the target years of
  single-year NDCs, docs/how-a6sim-counts.md), ``net_ca_total``, ``sop_value`` and
  ``value_paid`` (currency);
* ``parties.ID.balances``: the emissions balance of every simulated year, as columns
  ``parties.ID.balance.YEAR`` (for fan charts);
* ``violations`` (refused actions, a count); ``buffer_shortfall`` (tonnes reversed
  that the buffer pool could not cover), ``buffer_dry`` (true when the pool ran
  dry: a buffer shortfall happened), ``replenishment_shortfall`` (units of avoidable
  reversals not replenished in time, or still due at the end).
"""
from __future__ import annotations

__all__ = ["ndc_parties", "DEFAULT_OUTCOMES", "PARTY_FIELDS", "SCALARS", "BOOLEAN", "expand_outcomes", "is_boolean", "outcome_issue",
           "outcome_values"]

DEFAULT_OUTCOMES = ("parties.*.gap", "parties.*.met", "double_claimed", "net_ca_total", "sop_value")
PARTY_FIELDS = ("gap", "met", "balance", "target", "balances")
SCALARS = ("issued", "first_transferred", "first_transferred_oimp", "used", "used_oimp", "voluntarily_cancelled",
           "omge_cancelled", "adaptation_fund_units", "host_adaptation_units", "buffer", "reversal_cancelled",
           "held", "double_claimed", "target_year_double_claimed", "net_ca_total", "sop_value", "value_paid",
           "violations", "buffer_shortfall", "buffer_dry", "replenishment_shortfall")
BOOLEAN = ("met", "buffer_dry")


def ndc_parties(scenario) -> list[str]:
    """The parties with an NDC (one or several periods), in file order."""
    return [p for p, party in scenario.model.parties.items()
            if party.ndc is not None or getattr(party, "ndcs", None)]


def _party_parts(name: str) -> tuple[str, str] | None:
    if name.startswith("parties.") and name.count(".") >= 2:
        party, field = name[len("parties."):].rsplit(".", 1)
        return party, field
    return None


def _year_column(name: str) -> tuple[str, int] | None:
    """``parties.CHE.balance.2025`` -> ``('CHE', 2025)``."""
    parts = _party_parts(name)
    if parts and parts[1].isdigit() and parts[0].endswith(".balance"):
        return parts[0][:-len(".balance")], int(parts[1])
    return None


def outcome_issue(name: str, ndc_parties: list[str]) -> str | None:
    """Why ``name`` is not an outcome of this scenario, or None."""
    parts = _party_parts(name)
    if parts:
        party, field = parts
        if field not in PARTY_FIELDS:
            return f"unknown party outcome {field!r}; expected one of {', '.join(PARTY_FIELDS)}"
        if party != "*" and party not in ndc_parties:
            return (f"no party {party!r} with an NDC in the scenario"
                    + (f" (parties with one: {', '.join(ndc_parties)})" if ndc_parties else ""))
        return None
    if name not in SCALARS:
        return f"unknown outcome; expected parties.ID.{{{','.join(PARTY_FIELDS)}}} or one of {', '.join(SCALARS)}"
    return None


def expand_outcomes(names, ndc_parties: list[str], years=()) -> list[str]:
    """The outcome columns: ``parties.*.gap`` becomes one per party with an NDC (file order);
    ``parties.ID.balances`` one per simulated year (``parties.ID.balance.YEAR``)."""
    out = []
    for name in names:
        parts = _party_parts(name)
        expanded = [f"parties.{p}.{parts[1]}" for p in ndc_parties] if parts and parts[0] == "*" else [name]
        if parts and parts[1] == "balances":
            expanded = [f"{n[:-len('balances')]}balance.{y}" for n in expanded for y in years]
        out += [n for n in expanded if n not in out]
    return out


def is_boolean(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in BOOLEAN


def outcome_values(results, names: list[str]) -> dict:
    """``{name: value}`` of one run (numbers as float, ``met``/``buffer_dry`` as bool or None)."""
    summary = results.figures_summary   # not the scenario's digest: a sweep has no use for it
    by_year = {}
    if any(_year_column(n) for n in names):
        rows = getattr(results, "_balances", None)
        if rows is None:
            rows = results.balances.to_dict("records")
        by_year = {(r["party"], int(r["year"])): r["emissions_balance"] for r in rows}
    short = {}
    for s in summary["shortfalls"]:
        short[s["kind"]] = short.get(s["kind"], 0) + s["quantity"]
    extra = {"violations": len(summary["violations"]),
             "buffer_shortfall": short.get("buffer", 0),
             "buffer_dry": short.get("buffer", 0) > 0,
             "replenishment_shortfall": short.get("replenishment", 0) + short.get("replenishment-due", 0)}
    out = {}
    for name in names:
        parts = _party_parts(name)
        if _year_column(name):
            value = by_year.get(_year_column(name))
        elif parts:
            value = summary["parties"].get(parts[0], {}).get(parts[1])
        else:
            value = extra[name] if name in extra else summary[name]
        if is_boolean(name):
            out[name] = None if value is None else bool(value)
        else:
            out[name] = None if value is None else float(value)
    return out
