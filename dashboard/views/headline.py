"""The headline strip of every results page: who adjusted what, who met its target, what
was claimed twice, in the scenario's units (pure: tables in, display strings out)."""
from __future__ import annotations

import pandas as pd

from .style import is_missing, quantity

__all__ = ["headline"]


def _adjusted(balances: pd.DataFrame, party: str, units: str, adjusts: bool, target_year) -> str | None:
    """One party's adjustments over the run, as they move its balance; None if it has none."""
    df = balances[balances["party"] == party]
    if df.empty:
        return None
    ft, used = df["first_transferred"].sum(), df["used"].sum()
    if not ft and not used:
        return None
    method = next((m for m in df.get("method", []) if isinstance(m, str) and m), "")
    if method == "averaging":
        row = df[df["year"] == target_year] if target_year is not None else df.tail(1)
        avg = (row if not row.empty else df.tail(1))["ca"].iloc[0]
        year = int((row if not row.empty else df.tail(1))["year"].iloc[0])
        return (f"{party} averaged: {quantity(avg, units, signed=True)} in {year} "
                f"({quantity(ft - used, units, signed=True)} net over the period)")
    parts = []
    if ft:
        parts.append(f"added {quantity(ft, units, signed=True)}" if adjusts
                     else f"added nothing for {quantity(ft, units)} first transferred (adjustments off)")
    if used:
        parts.append(f"subtracted {quantity(used, units)} used")
    return f"{party} " + ", ".join(parts)


def headline(balances: pd.DataFrame, attainment: pd.DataFrame, summary: dict, units: str = "tCO2e",
             adjusts: dict | None = None) -> dict:
    """``{"adjusted": [str], "targets": [{"party", "text", "met"}], "claimed": [{"text", "alert"}]}``.

    * adjusted: per party with first transfers or uses, what moves its balance: additions
      (first transferred, when it adjusts) and subtractions (used), or for the averaging
      method the average applied in the target year;
    * targets: per NDC, met or missed, with the balance against the target (``met``: True,
      False or None when the NDC period runs past the run);
    * claimed: tonnes used that no host added (``double_claimed``), and tonnes claimed twice
      in the target year of single-year NDCs (``target_years``); ``alert`` above zero.
    """
    adjusts = adjusts or {}
    summary = summary or {}
    out = {"adjusted": [], "targets": [], "claimed": []}
    target_years = {}
    if attainment is not None and not attainment.empty:
        for row in attainment.to_dict("records"):
            p = row["party"]
            if not is_missing(row.get("target_year")):
                target_years.setdefault(p, int(row["target_year"]))
            met = None if is_missing(row.get("met")) else bool(row["met"])
            word = {True: "met", False: "missed", None: "not yet known"}[met]
            figures = (f" ({quantity(row.get('balance'), units)} against {quantity(row.get('target'), units)})"
                       if met is not None else "")
            out["targets"].append({"party": p, "text": f"{p} {word}{figures}", "met": met})
    if balances is not None and not balances.empty:
        for p in pd.unique(balances["party"]):
            text = _adjusted(balances, p, units, adjusts.get(p, True), target_years.get(p))
            if text:
                out["adjusted"].append(text)
    dc = summary.get("double_claimed")
    if not is_missing(dc):
        out["claimed"].append({"text": f"{quantity(dc, units)} used that no host added back", "alert": dc > 0})
    for t in summary.get("target_years") or []:
        tonnes = t.get("double_claimed") or 0
        if tonnes:
            out["claimed"].append({
                "text": f"{quantity(tonnes, units)} in the {t['year']} target year "
                        f"(adjustments of {', '.join(t['parties'])} for {t['year']} sum to "
                        f"{quantity(t['net_ca'], units, signed=True)})", "alert": True})
    return out
