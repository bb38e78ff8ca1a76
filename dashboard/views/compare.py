"""Two runs side by side: per-party and headline differences (diff = b - a)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .style import is_missing

__all__ = ["party_differences", "summary_differences", "SUMMARY_FIGURES"]

_SUMMED = ("first_transferred", "used", "ca")          # summed over years from balances
_ATTAINMENT = ("balance", "gap")                      # from attainment
SUMMARY_FIGURES = ("issued", "first_transferred", "used", "omge_cancelled", "adaptation_fund_units",
                   "double_claimed", "net_ca_total", "sop_value", "value_paid", "buffer")
_MONEY = ("sop_value", "value_paid")


def _plain(x):
    """A Python number (int when whole), or None."""
    if is_missing(x):
        return None
    if isinstance(x, (bool, int, np.bool_, np.integer)):
        return int(x)
    f = float(x)
    return int(f) if f.is_integer() else f


def _column(values: list) -> pd.Series:
    """Nullable integers when every present value is whole, else nullable floats."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, int) for v in present):
        return pd.Series(values, dtype="Int64")
    return pd.Series([None if v is None else float(v) for v in values], dtype="Float64")


def _diff(a, b):
    return None if a is None or b is None else b - a


def _parties(*frames) -> list:
    seen: dict = {}
    for df in frames:
        if df is not None and not df.empty and "party" in df:
            for p in df["party"]:
                if not is_missing(p):
                    seen.setdefault(p, None)
    return list(seen)


def _sums(balances) -> dict:
    if balances is None or balances.empty:
        return {}
    cols = [c for c in _SUMMED if c in balances]
    sums = balances.groupby("party", sort=False)[cols].sum()
    return {p: {c: _plain(row[c]) for c in cols} for p, row in sums.iterrows()}


def _attained(attainment) -> dict:
    if attainment is None or attainment.empty:
        return {}
    out = {}
    for row in attainment.to_dict("records"):   # a party has one NDC: keep the first row
        out.setdefault(row["party"], {"balance": _plain(row.get("balance")), "gap": _plain(row.get("gap")),
                                      "met": None if is_missing(row.get("met")) else bool(row.get("met"))})
    return out


def party_differences(a_balances: pd.DataFrame, a_attainment: pd.DataFrame,
                      b_balances: pd.DataFrame, b_attainment: pd.DataFrame) -> pd.DataFrame:
    """One row per party of either run. balance/gap/met from attainment (the NDC's
    figures); first_transferred, used and ca summed over the years of balances. Each
    figure as ``_a``, ``_b`` and ``_diff`` (b - a); NA where a run lacks it."""
    parties = _parties(a_balances, a_attainment, b_balances, b_attainment)
    sa, sb = _sums(a_balances), _sums(b_balances)
    ta, tb = _attained(a_attainment), _attained(b_attainment)
    cols: dict[str, pd.Series] = {"party": pd.Series(parties, dtype=object)}

    def triple(name, a_of, b_of):
        av, bv = [a_of(p) for p in parties], [b_of(p) for p in parties]
        cols[f"{name}_a"], cols[f"{name}_b"] = _column(av), _column(bv)
        cols[f"{name}_diff"] = _column([_diff(x, y) for x, y in zip(av, bv)])

    for name in _ATTAINMENT:
        triple(name, lambda p, n=name: ta.get(p, {}).get(n), lambda p, n=name: tb.get(p, {}).get(n))
    cols["met_a"] = pd.Series([ta.get(p, {}).get("met") for p in parties], dtype="boolean")
    cols["met_b"] = pd.Series([tb.get(p, {}).get("met") for p in parties], dtype="boolean")
    for name in _SUMMED:
        triple(name, lambda p, n=name: sa.get(p, {}).get(n), lambda p, n=name: sb.get(p, {}).get(n))
    order = ["party", "balance_a", "balance_b", "balance_diff", "gap_a", "gap_b", "gap_diff", "met_a", "met_b"]
    order += [f"{n}_{s}" for n in _SUMMED for s in ("a", "b", "diff")]
    return pd.DataFrame({c: cols[c] for c in order}).reset_index(drop=True)


def summary_differences(a_summary: dict, b_summary: dict) -> pd.DataFrame:
    """Headline figures of two runs: columns figure, a, b, diff (b - a). Values are
    Python numbers (int for tonnes, float for money) in object columns, None where a
    summary lacks the figure."""
    a_summary, b_summary = a_summary or {}, b_summary or {}
    rows = []
    for key in SUMMARY_FIGURES:
        a, b = _plain(a_summary.get(key)), _plain(b_summary.get(key))
        if key in _MONEY:
            a, b = (None if v is None else float(v) for v in (a, b))
        d = _diff(a, b)
        if key in _MONEY and d is not None:
            d = round(d, 2)   # no float noise in a money difference
        rows.append({"figure": key, "a": a, "b": b, "diff": d})
    return pd.DataFrame(rows, columns=["figure", "a", "b", "diff"], dtype=object)
