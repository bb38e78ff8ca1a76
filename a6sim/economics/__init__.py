"""The economics of a deal: abatement cost curves, compliance costs, a market price.

Pure functions of a scenario and its run (:class:`a6sim.Results`); the engine,
registry and accounting never import this package. ``economics(results)`` gives the
table of ``economics.csv`` and the ``economics`` part of ``summary.json`` in the mode
``settings.economics`` asks for (docs/economics.md):

* ``deals`` (default): the deals as simulated against no deals;
* ``least-cost``: buyers buy only the units cheaper than abating at home;
* ``market``: a clearing price among the parties with curves, against autarky.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .costs import COLUMNS, deals_rows
from .curves import Curve, curve_for_year, party_curves
from .leastcost import least_cost_rows
from .market import METHOD, clear_year, market_rows
from .solve import share

__all__ = ["COLUMNS", "Curve", "Economics", "METHOD", "clear_year", "curve_for_year", "economics",
           "party_curves", "share"]

_TOTALS = ["abatement_needed", "abatement_cost", "itmo_acquired", "itmo_paid", "sop_paid", "itmo_transferred",
           "itmo_revenue", "sop_received", "net_cost", "abatement_needed_no_deals", "net_cost_no_deals", "saving",
           "adjustment_abatement", "adjustment_cost", "unmet", "unmet_no_deals"]


@dataclass
class Economics:
    """``table``: one row per party with a curve and year; ``summary``: totals, market, messages."""
    mode: str
    table: pd.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.table.empty


def economics(results, mode: str | None = None) -> Economics:
    """The economics of a run, in ``mode`` (default: the scenario's ``settings.economics``)."""
    mode = mode or results.scenario.model.settings.economics
    if not party_curves(results.scenario):
        return Economics(mode, pd.DataFrame(columns=COLUMNS), {})
    market = None
    if mode == "market":
        rows, market = market_rows(results)
    elif mode == "least-cost":
        rows = least_cost_rows(results)
    elif mode == "deals":
        rows = deals_rows(results)
    else:
        raise ValueError(f"unknown economics mode {mode!r} (deals | least-cost | market)")
    table = pd.DataFrame(rows, columns=COLUMNS)
    return Economics(mode, table, _summary(mode, table, market))


def _summary(mode: str, table: pd.DataFrame, market: dict | None) -> dict:
    by = table.groupby("party", sort=False)[_TOTALS].sum()
    parties = {p: {k: round(float(v), 2) for k, v in row.items()} for p, row in by.iterrows()}
    total = {k: round(float(table[k].sum()), 2) for k in ("net_cost", "net_cost_no_deals", "saving", "unmet")}
    out = {"mode": mode, "currency_per": "tCO2e", "parties": parties, "total": total, "messages": []}
    unmet = by[by["unmet"] > 0.5]
    for p, row in unmet.iterrows():
        out["messages"].append(f"{p}: its curve cannot abate enough to meet its NDC: {row['unmet']:,.0f} t short")
    if market is not None:
        out["market"] = {k: v for k, v in market.items() if k != "messages"}
        out["messages"] += market["messages"]
    return out
