"""Tonnes claimed twice in a target year: the accounts of the single-year NDCs judged on it.

A single-year NDC is judged on one year alone (2/CMA.3 annex para 7(a)): with the
trajectory method on the target year's balance ``inventory + ca`` (para 7(a)(i)),
with the averaging method on ``inventory + avg`` (para 7(a)(ii)). Every unit used is
added by its host, so the whole-run ``double_claimed`` is 0, and yet the target-year
accounts may not balance: an averaging buyer subtracts ``used / divisor`` in the
target year while a trajectory seller added the same units in their vintage years,
not in the target year (decision 2/CMA.3 annex para 7; the averaging pitfall).

For each year ``T`` that is the target year of at least one single-year NDC:

    target_year_double_claimed[T] = max(0, -(sum of ca[p, T] over the single-year
                                             NDCs p whose target year is T))

the tonnes those parties subtract for ``T`` that none of them adds for ``T``: claimed
towards a ``T`` target although no party judged on ``T`` gave them up in ``T``. Parties
with multi-year NDCs are left out: they are judged on period sums, and the year in
which their adjustments fall does not decide their attainment. The figure answers a
different question from ``double_claimed`` (units no host ever added) and may
overlap with it (a host skipping its adjustments that sells into a target year).

Pure function of the balance rows and attainment rows (whole tonnes; the averaging
amount may be a :class:`fractions.Fraction`).
"""
from __future__ import annotations

from fractions import Fraction

__all__ = ["target_year_claims"]


def target_year_claims(balances: list[dict], attainment: list[dict]) -> list[dict]:
    """``[{"year", "parties", "net_ca", "tonnes"}]``, one entry per target year of a
    single-year NDC, in year order. ``net_ca``: the sum of the applied adjustments of
    the parties judged on that year (tonnes; negative: more subtracted than added);
    ``tonnes = max(0, -net_ca)``. Target years outside the simulated period are left out.
    """
    judged: dict[int, list[str]] = {}
    for a in attainment:
        if a.get("ndc_type") == "single-year" and a.get("target_year") is not None:
            judged.setdefault(int(a["target_year"]), [])
            if a["party"] not in judged[int(a["target_year"])]:
                judged[int(a["target_year"])].append(a["party"])
    ca = {(r["party"], r["year"]): r.get("ca_t", r["ca"]) for r in balances}
    out = []
    for year in sorted(judged):
        parties = judged[year]
        if not all((p, year) in ca for p in parties):
            continue
        net = sum((Fraction(ca[(p, year)]) for p in parties), Fraction(0))
        out.append({"year": year, "parties": parties, "net_ca": net, "tonnes": max(Fraction(0), -net)})
    return out
