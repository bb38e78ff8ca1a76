"""The IAMC long-format table of a run (``iamc.csv``), for pyam and scenario databases.

Columns ``model, scenario, region, variable, unit, year, value`` (the IAMC time-series
format in long form, which ``pyam.IamDataFrame`` reads). ``model`` is ``a6sim``
with its version, ``scenario`` the scenario's name, ``region`` a party's code as the
scenario names it (ISO 3166 alpha-3 in the bundled examples) or ``World`` for the
totals over the scenario's parties. Quantities are in ``Mt CO2-equiv/yr`` (the
engine's whole tonnes divided by 10^6), money in ``million <currency>/yr``.

Variables, per party and simulated year (docs/how-a6sim-counts.md; 2/CMA.3 annex
paras 7-8):

* ``Emissions|Kyoto Gases``: the inventory (emissions after the modelled
  activities);
* ``Article 6|Emissions Balance``: inventory plus the corresponding adjustment;
* ``Article 6|Corresponding Adjustment``; ``Article 6|NDC Target`` where the NDC has a
  figure for the year;
* ``Article 6|ITMOs|First Transferred`` (with ``|OIMP`` its OIMP part) and
  ``Article 6|ITMOs|Used`` (towards the NDC);
* ``Article 6|ITMOs|Acquired`` and ``Article 6|ITMOs|Delivered`` (tonnes received as
  buyer, entities counted with their country, and delivered as seller), and
  ``Article 6|ITMOs|Value Paid`` (buyer);

and for ``World``: ``Article 6|Net Corresponding Adjustment``, ``Article 6|OMGE
Cancelled``, ``Article 6|Adaptation Fund Units``, ``Article 6|Double Claimed``.

A party whose NDC is in a non-GHG metric has no ``Emissions|Kyoto Gases``,
``Emissions Balance``, ``Corresponding Adjustment`` or ``NDC Target`` rows (those
figures are in its metric, not in CO2-equivalent); its ITMO rows are there.
"""
from __future__ import annotations

import sys
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:   # pandas is imported by the functions that build DataFrames
    import pandas as pd

__all__ = ["iamc_frame", "iamc_rows", "iamc_columns", "IAMC_COLUMNS", "MT", "UNIT"]

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
MT = 1_000_000            # tonnes in a megatonne
UNIT = "Mt CO2-equiv/yr"

_PARTY = (("inventory", "Emissions|Kyoto Gases", True),
          ("emissions_balance", "Article 6|Emissions Balance", True),
          ("ca", "Article 6|Corresponding Adjustment", True),
          ("target", "Article 6|NDC Target", True),
          ("first_transferred", "Article 6|ITMOs|First Transferred", False),
          ("first_transferred_oimp", "Article 6|ITMOs|First Transferred|OIMP", False),
          ("used", "Article 6|ITMOs|Used", False))
_WORLD = (("net_ca", "Article 6|Net Corresponding Adjustment"),
          ("omge_cancelled", "Article 6|OMGE Cancelled"),
          ("adaptation_fund_units", "Article 6|Adaptation Fund Units"),
          ("double_claimed", "Article 6|Double Claimed"))


def _pandas_na():
    """pandas' missing value, where pandas is loaded (no value can be it otherwise)."""
    pd = sys.modules.get("pandas")
    return getattr(pd, "NA", None) if pd is not None else None


def _mt(x) -> float | None:
    """Tonnes (an exact report figure) in Mt; None for a missing figure."""
    if x is None or (isinstance(x, float) and x != x) or x is _pandas_na():
        return None
    if isinstance(x, Fraction):   # as the tables hold it: whole ones as int, others as float
        x = x.numerator if x.denominator == 1 else float(x)
    return float(x) / MT


def iamc_rows(results) -> list[tuple]:
    """The rows of the IAMC table, ``(model, scenario, region, variable, unit, year,
    value)``, in the order region, variable, year (see the module doc)."""
    from .. import __version__
    sc = results.scenario
    money = f"million {sc.model.currency}/yr"
    rows = []
    for r in results._balances:
        co2 = r.get("metric") in (None, "", "tCO2e")
        for col, variable, in_metric in _PARTY:
            if in_metric and not co2:
                continue
            value = _mt(r.get(col))
            if value is not None:
                rows.append((r["party"], variable, UNIT, int(r["year"]), value))
    country = {e: ent.country for e, ent in sc.model.entities.items()}
    flows = results._flows     # the rows of results.flows (a6sim.flows)
    if flows:
        year, seller, buyer, _, quantity, value = map(list, zip(*flows))
        quantity = np.asarray(quantity, dtype=np.int64)
        value = np.asarray(value, dtype=np.int64 if all(type(v) is int for v in value) else np.float64)
        for region, year_, idx in _groups([country.get(p, p) for p in buyer], year):
            rows.append((region, "Article 6|ITMOs|Acquired", UNIT, year_, float(quantity[idx].sum()) / MT))
            rows.append((region, "Article 6|ITMOs|Value Paid", money, year_, float(value[idx].sum()) / MT))
        for region, year_, idx in _groups(seller, year):
            rows.append((region, "Article 6|ITMOs|Delivered", UNIT, year_, float(quantity[idx].sum()) / MT))
    for r in results._integrity:
        for col, variable in _WORLD:
            value = _mt(r.get(col))
            if value is not None:
                rows.append(("World", variable, UNIT, int(r["year"]), value))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))     # stable: equal keys keep their order
    head = (f"a6sim {__version__}", sc.name)
    return [head + r for r in rows]


def _groups(regions: list, years: list):
    """``(region, year, row indices)`` per region and year, in that order (rows in table order)."""
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(regions, years)):
        groups.setdefault(key, []).append(i)
    for (region, year), idx in sorted(groups.items()):
        yield region, int(year), np.asarray(idx, dtype=np.int64)


def iamc_frame(results) -> pd.DataFrame:
    """The IAMC long-format table of a run (see the module doc)."""
    import pandas as pd
    df = pd.DataFrame(iamc_rows(results), columns=IAMC_COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    return df


def iamc_columns(results) -> list[list[str]]:
    """The IAMC table as CSV fields, spelled as pandas writes :func:`iamc_frame`
    (values: numpy's shortest round-trip spelling of each float)."""
    rows = iamc_rows(results)
    if not rows:
        return [[] for _ in IAMC_COLUMNS]
    model, scenario, region, variable, unit, year, value = zip(*rows)
    return [list(model), list(scenario), list(region), list(variable), list(unit), list(map(str, year)),
            np.asarray(value, dtype=np.float64).astype(str).tolist()]
