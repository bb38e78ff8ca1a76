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

import pandas as pd

__all__ = ["iamc_frame", "IAMC_COLUMNS", "MT", "UNIT"]

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


def _mt(x) -> float | None:
    if x is None or x is pd.NA or (isinstance(x, float) and x != x):
        return None
    return float(x) / MT


def iamc_frame(results) -> pd.DataFrame:
    """The IAMC long-format table of a run (see the module doc)."""
    from .. import __version__
    sc = results.scenario
    model, name = f"a6sim {__version__}", sc.name
    money = f"million {sc.model.currency}/yr"
    rows = []
    bal = results.balances
    has_metric = "metric" in bal.columns
    for r in bal.to_dict("records"):
        co2 = not has_metric or r["metric"] in (None, "", "tCO2e")
        for col, variable, in_metric in _PARTY:
            if in_metric and not co2:
                continue
            value = _mt(r.get(col))
            if value is not None:
                rows.append((r["party"], variable, UNIT, int(r["year"]), value))
    country = {e: ent.country for e, ent in sc.model.entities.items()}
    flows = results.flows
    if len(flows):
        buyer = flows.assign(region=[country.get(p, p) for p in flows["to_party"]])
        for (region, year), g in buyer.groupby(["region", "year"], sort=True):
            rows.append((region, "Article 6|ITMOs|Acquired", UNIT, int(year), float(g["quantity"].sum()) / MT))
            rows.append((region, "Article 6|ITMOs|Value Paid", money, int(year), float(g["value"].sum()) / MT))
        for (region, year), g in flows.groupby(["from_party", "year"], sort=True):
            rows.append((region, "Article 6|ITMOs|Delivered", UNIT, int(year), float(g["quantity"].sum()) / MT))
    for r in results.integrity.to_dict("records"):
        for col, variable in _WORLD:
            value = _mt(r.get(col))
            if value is not None:
                rows.append(("World", variable, UNIT, int(r["year"]), value))
    df = pd.DataFrame(rows, columns=IAMC_COLUMNS[2:])
    df.insert(0, "scenario", name)
    df.insert(0, "model", model)
    df = df.sort_values(["region", "variable", "year"], kind="stable").reset_index(drop=True)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    return df[IAMC_COLUMNS]
