"""A delegation's NDC account as a table: one row per year, every quantity at one precision.

The unit is said once, in the table's heading (``..., in Mt``); the cells are numbers
only, all with the same number of decimals: the fewest that show every emissions, added,
used and balance figure (at most 3; :func:`decimals_for`), and at least one when the table shows an
indicative trajectory between two given years (a straight line: 36 to 44 Mt over nine
steps is 36.889 Mt in its second year, which one decimal shows well enough).

A party whose NDC is a budget over a multi-year period (2/CMA.3 annex para 7(b)) has no
target for a single year; its
table ends with a row for the whole period: the sum of its balances against the budget.
"""
from __future__ import annotations

from .figures import FACTORS, amount, decimals_for

__all__ = ["account_table", "decimals_for"]

COLUMNS = ("Emissions", "Added (sold)", "Used (bought)", "Balance", "Target or path")


def _cell(tonnes, factor: int, decimals: int) -> str | None:
    return None if tonnes is None else f"{tonnes / factor:,.{decimals}f}"


def account_table(party: dict, units: str) -> tuple[list[dict], list[str], str]:
    """``(rows, columns, note)`` of a party's account (``outcome["parties"][p]``, tonnes).

    ``columns``: ``Year`` and :data:`COLUMNS`, whose cells are numbers in ``units`` (the
    heading above the table names the unit); ``note`` says what the target is (the budget
    over the period), or ``""``."""
    factor = FACTORS[units]
    years = party.get("years") or []
    att = party.get("attainment") or {}
    budget = att.get("method") == "budget"
    exact = [r[k] for r in years for k in ("inventory", "added", "used", "balance", "target")]
    path = [r["trajectory"] for r in years if r["target"] is None and r["trajectory"] is not None]
    fractional = any(int(v) % factor for v in path)
    if budget:
        exact += [att.get("target"), att.get("balance")]
    d = decimals_for(exact + ([] if fractional else path), factor, at_least=1 if fractional else 0)
    headers = {k: k for k in COLUMNS}
    if budget:   # no yearly target or path: the column holds the budget, on the period's row
        headers["Target or path"] = "Budget"
    rows = [{"Year": str(r["year"]),
             headers["Emissions"]: _cell(r["inventory"], factor, d),
             headers["Added (sold)"]: _cell(r["added"], factor, d),
             headers["Used (bought)"]: _cell(r["used"], factor, d),
             headers["Balance"]: _cell(r["balance"], factor, d),
             headers["Target or path"]: _cell(r["target"] if r["target"] is not None else r["trajectory"], factor, d)}
            for r in years]
    note = ""
    if budget and att.get("target") is not None and years:
        first, last = att.get("period") or (years[0]["year"], years[-1]["year"])
        inside = [r for r in years if first <= r["year"] <= last]
        total = lambda k: sum(r[k] or 0 for r in inside)   # noqa: E731
        rows.append({"Year": f"{first}-{last} (budget)",
                     headers["Emissions"]: _cell(total("inventory"), factor, d),
                     headers["Added (sold)"]: _cell(total("added"), factor, d),
                     headers["Used (bought)"]: _cell(total("used"), factor, d),
                     headers["Balance"]: _cell(att.get("balance", total("balance")), factor, d),
                     headers["Target or path"]: _cell(att["target"], factor, d)})
        note = (f"The NDC is a budget of {amount(att['target'], units)} over {first}-{last}: "
                f"the balances of those years, added up, must stay within it (no single year has a target).")
    return rows, [headers[k] if k in headers else k for k in ("Year", *COLUMNS)], note
