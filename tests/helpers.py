"""Minimal scenario builders for the rule tests (plain dicts, no pytest magic).

Every builder returns plain data for :func:`a6sim.scenario_from_dict`; tests change
what they need and call :func:`run`. Defaults are chosen so hand computations stay
short:

* period 2021-2023;
* host ``GHA``: reference emissions 100,000 t every year, no NDC unless given;
* buyer ``CHE``: reference emissions 50,000 t every year, multi-year budget NDC over
  2021-2023 of 150,000 t (met without any purchase);
* activity ``act``: Art. 6.2 reduction hosted by GHA, vintage 2021 only, 1,000 t,
  issued 31 days after 31 December of the vintage year (vintage 2021: 2022-01-31);
* agreement ``deal``: GHA -> CHE, all of ``act``, authorised for NDC use on
  2021-01-01, delivered the day of issuance (``transfer_lag_days: 0``), used on receipt.
"""
from __future__ import annotations

import datetime
from typing import Any

import pandas as pd

import a6sim


def day(text: str) -> datetime.date:
    """A date (the strict schema wants ``datetime.date``, not a string)."""
    return datetime.date.fromisoformat(text)


# --- NDCs ------------------------------------------------------------------------
def budget_ndc(first: int, last: int, budget) -> dict:
    return {"type": "multi-year", "period": [first, last], "budget": budget}


def targets_ndc(first: int, last: int, targets: dict) -> dict:
    return {"type": "multi-year", "period": [first, last], "targets": targets}


def trajectory_ndc(first: int, last: int, target_year: int, target, trajectory: dict) -> dict:
    return {"type": "single-year", "period": [first, last], "target_year": target_year, "target": target,
            "method": "trajectory", "trajectory": trajectory}


def averaging_ndc(first: int, last: int, target_year: int, target, divisor: str | None = None) -> dict:
    ndc = {"type": "single-year", "period": [first, last], "target_year": target_year, "target": target,
           "method": "averaging"}
    if divisor is not None:
        ndc["averaging_divisor"] = divisor
    return ndc


# --- parties, activities, agreements -----------------------------------------------
def party(emissions, ndc: dict | None = None, **extra) -> dict:
    p = {"name": "party", "emissions": emissions if isinstance(emissions, dict) else {2021: emissions}}
    if ndc is not None:
        p["ndc"] = ndc
    p.update(extra)
    return p


def activity(host: str = "GHA", mechanism: str = "6.2", vintages=(2021, 2021), outcome=1000,
             lag: int = 31, **extra) -> dict:
    a = {"host": host, "mechanism": mechanism, "vintages": list(vintages), "outcome": outcome,
         "issuance_lag_days": lag}
    if mechanism == "6.4" and "baseline_decline" not in extra:
        extra["baseline_decline"] = 0.01
    a.update(extra)
    return a


def agreement(activities=("act",), seller: str = "GHA", buyer: str = "CHE", auth: str | None = "2021-01-01",
              purpose: str = "NDC", first_transfer: str | None = None, lag: int = 0,
              policy: str | None = "on-receipt", use_purpose: str | None = None, **extra) -> dict:
    g = {"seller": seller, "buyer": buyer, "activities": list(activities), "transfer_lag_days": lag}
    if auth is not None:
        g["authorisation"] = {"date": day(auth), "purpose": purpose}
        if first_transfer is not None:
            g["authorisation"]["first_transfer"] = first_transfer
    use = {}
    if policy is not None:
        use["policy"] = policy
    if use_purpose is not None:
        use["purpose"] = use_purpose
    if use:
        g["use"] = use
    g.update(extra)
    return g


def scenario(parties: dict, activities: dict | None = None, agreements: dict | None = None,
             entities: dict | None = None, events: list | None = None, settings: dict | None = None,
             period=(2021, 2023), units: str | None = None) -> dict:
    data: dict[str, Any] = {"a6sim": 1, "name": "rule test", "period": {"start": period[0], "end": period[1]},
                            "parties": parties}
    for key, value in (("activities", activities), ("agreements", agreements), ("entities", entities),
                       ("events", events), ("settings", settings), ("units", units)):
        if value is not None:
            data[key] = value
    return data


def two_party(*, gha_ndc: dict | None = None, che_ndc: dict | None = None, act: dict | None = None,
              deal: dict | None = None, period=(2021, 2023), **kw) -> dict:
    """The default GHA -> CHE deal described in the module docstring."""
    return scenario(
        parties={"GHA": party(100_000, gha_ndc),
                 "CHE": party(50_000, che_ndc if che_ndc is not None else budget_ndc(2021, 2023, 150_000))},
        activities={"act": act if act is not None else activity()},
        agreements={"deal": deal if deal is not None else agreement()},
        period=period, **kw)


def run(data: dict) -> a6sim.Results:
    return a6sim.simulate(a6sim.scenario_from_dict(data))


# --- reading results ------------------------------------------------------------------
def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):          # numpy scalar -> Python
        return value.item()
    return value


def rows(df: pd.DataFrame, **where) -> list[dict]:
    """Rows of a table matching ``column=value`` filters, as plain dicts."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    return [{k: _plain(v) for k, v in rec.items()} for rec in df[mask].to_dict("records")]


def cell(df: pd.DataFrame, column: str, **where):
    """The single value of ``column`` in the one row matching the filters."""
    found = rows(df, **where)
    assert len(found) == 1, f"expected one row for {where}, got {len(found)}"
    return found[0][column]


def col(df: pd.DataFrame, column: str, key: str = "year", **where) -> dict:
    """``{key: column}`` over the rows matching the filters (e.g. a party's series by year)."""
    return {r[key]: r[column] for r in rows(df, **where)}


def ledger(r: a6sim.Results, acquisitions: bool = False, **where) -> list[dict]:
    """Ledger rows matching the filters, dates as ISO strings. The ``acquisition`` rows
    (the receiving side's record of a transfer into its registry, written in place
    after every such transfer) are left out unless ``acquisitions`` is true."""
    out = [x for x in rows(r.ledger, **where) if acquisitions or x["action"] != "acquisition"]
    for rec in out:
        rec["date"] = rec["date"].date().isoformat()
    return out


def actions(r: a6sim.Results) -> list[tuple]:
    """``(date, action, quantity, from_account, to_account)`` of every ledger row, in order."""
    return [(x["date"], x["action"], x["quantity"], x["from_account"], x["to_account"]) for x in ledger(r)]


def held(r: a6sim.Results, account: str, date: str | None = None) -> int:
    """Units in an account at a year-end snapshot (default: the last one)."""
    h = r.holdings
    when = pd.Timestamp(date) if date else h["date"].max()
    return int(h[(h["date"] == when) & (h["account"] == account)]["quantity"].sum())
