"""A lesson's timeline: where each step stops, what moved in it, and how each party's
NDC account stood before and after (the accounts as they stand on a day count only the
ledger movements and reversals up to that day, through the same accounting code as
the final results).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Optional

from ..accounting.ledger_figures import international_authorisations, ledger_figures
from ..accounting.ndc import attainment_of, year_rows
from ..accounting.reports import party_series

if TYPE_CHECKING:   # movements gives part of results.ledger, which loads pandas
    import pandas as pd

__all__ = ["stop_days", "movements", "Standing", "standing", "step_changes", "WATERFALL_PARTS"]

# The parts of a party's change over a step, in waterfall order.
WATERFALL_PARTS = (("added", "first transfers (added)"), ("subtracted", "uses (subtracted)"),
                   ("reversed", "reversals (inventory)"))


def stop_days(results, steps) -> list[Optional[int]]:
    """The day each step stops at (days since 1 January of the first year); None for an
    event that never happens."""
    cal, rows = results.world.cal, results.world.registry.ledger.rows
    out = []
    for step in steps:
        if step.date is not None:
            out.append(cal.day_of(step.date))
            continue
        ev = step.event
        days = sorted({r.day for r in rows if r.action == ev.action
                       and (ev.agreement is None or r.agreement == ev.agreement)
                       and (ev.activity is None or r.activity == ev.activity)
                       and (ev.host is None or r.host == ev.host)})
        out.append(days[ev.occurrence - 1] if len(days) >= ev.occurrence else None)
    return out


def movements(results, after: Optional[int], upto: int) -> pd.DataFrame:
    """Ledger rows (the ``ledger`` table) of days ``after < day <= upto`` (``after`` None: from the start).

    ``acquisition`` rows are left out: each is the receiving side's record of the
    transfer just before it, not a movement of its own."""
    rows = results.world.registry.ledger.rows
    seqs = [r.seq for r in rows if (after is None or r.day > after) and r.day <= upto and r.action != "acquisition"]
    return results.ledger.iloc[seqs] if seqs else results.ledger.iloc[0:0]


@dataclass(frozen=True)
class Standing:
    """Accounts as they stand: per party with an NDC, the balance its NDC is judged on."""
    balance: dict          # party -> Fraction (period sum, or the target year's balance)
    target: dict           # party -> int
    double_claimed: int    # tonnes used so far with no matching addition
    net_ca: Fraction       # sum over parties and years of the adjustments so far


def standing(results, rows, reversal_upto: Optional[int]) -> Standing:
    """The accounts if only ``rows`` had happened, with reversals up to day ``reversal_upto``."""
    w, sc = results.world, results.scenario
    adjusts = {p: party.corresponding_adjustments for p, party in sc.model.parties.items()}
    fig = ledger_figures(rows, w.registry.accounts, w.cal.year_of, w.attribution,
                         {p: specs for p, specs in w.ndcs.items() if specs}, adjusts,
                         sc.model.settings.omge_host_adjustment, international_authorisations(sc.model))
    late = _reversals_after(results, reversal_upto)
    years = list(sc.years)
    balance, target, net = {}, {}, Fraction(0)
    for party, spec in w.ndc.items():
        inventory = {y: t - late.get((party, y), 0) for y, t in w.inventory[party].items()}
        ft, oimp, used = party_series(fig, party, years)
        rows_p = year_rows(spec, years, inventory, ft, oimp, used, adjusts[party])
        net += sum((Fraction(r["ca"]) for r in rows_p), Fraction(0))
        if spec is None:
            continue
        att = attainment_of(spec, rows_p)
        if att["balance"] is not None:
            balance[party] = Fraction(att["balance"])
            target[party] = att["target"]
    return Standing(balance, target, sum(fig.double_claimed.values()), net)


def _reversals_after(results, day: Optional[int]) -> dict:
    """Tonnes reversed after ``day`` per (host, year), at in-scope activities (None: all of them)."""
    sc, cal = results.scenario, results.world.cal
    out: dict = {}
    for ev in sc.model.events:
        if ev.type != "reversal":
            continue
        act = sc.model.activities[ev.activity]
        if act.in_ndc_scope and (day is None or cal.day_of(ev.date) > day):
            key = (act.host, ev.date.year)
            out[key] = out.get(key, 0) + sc.tonnes(ev.quantity)
    return out


def step_changes(results, after: Optional[int], upto: int) -> dict:
    """Each NDC party's balance before and after the step, and the parts of the change.

    Returns ``{"before": Standing, "after": Standing, "parts": {party: {added,
    subtracted, reversed}}}``: the step's first transfers are counted first, then its
    uses, then its reversals, so the parts add up exactly to after - before.
    """
    rows = results.world.registry.ledger.rows
    prior = [r for r in rows if after is not None and r.day <= after]
    step = [r for r in rows if (after is None or r.day > after) and r.day <= upto]
    first = [r for r in step if r.first_transfer]
    uses = [r for r in step if r.action == "use" and not r.first_transfer]
    before_day = after if after is not None else -1
    s0 = standing(results, prior, before_day)
    s1 = standing(results, prior + first, before_day)
    s2 = standing(results, prior + first + uses, before_day)
    s3 = standing(results, sorted(prior + step, key=lambda r: r.seq), upto)
    parts = {p: {"added": s1.balance[p] - s0.balance[p], "subtracted": s2.balance[p] - s1.balance[p],
                 "reversed": s3.balance[p] - s2.balance[p]} for p in s3.balance}
    return {"before": s0, "after": s3, "parts": parts}
