"""Hazards: reversals and revocations drawn per run and year, written as scenario events.

A hazard adds, in each of its years (default: the simulated period), the event with
the chance ``rate``, on a day drawn uniformly within that year, as if it were written
in the scenario's ``events``:

* ``reversal`` at a removal activity: ``size`` is the share of the activity's units
  issued before that day that is reversed (whole tonnes, rounded down; nothing
  issued yet, nothing to reverse); the reversal is avoidable with the chance
  ``avoidable``, and then the participant must replenish within
  ``replenish_within_days`` (the Art. 6.4 removals standard, see
  docs/how-a6sim-counts.md);
* ``revocation`` of an agreement's authorisation, with the ``scope`` of the
  scenario's revocation event; an authorisation is revoked at most once, so only the
  first drawn revocation counts, and a draw dated before the authorisation is
  ignored (there is nothing to revoke yet).

Each hazard uses its own random stream of the run (see :mod:`.sampling`), and four
uniform numbers per year whether or not an event happens, so adding a year or a
hazard never shifts another hazard's draws.
"""
from __future__ import annotations

import calendar
import datetime
import math
from typing import Annotated, Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .distributions import Distribution, quantile

__all__ = ["ReversalHazard", "RevocationHazard", "Hazard", "draw_hazard", "hazard_events", "hazard_years"]

Share = Annotated[float, Field(ge=0, le=1)]
Rate = Annotated[Union[int, float], Field(ge=0, le=1)]


class _Hazard(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    rate: Rate = Field(description="chance of the event in each year, 0-1")
    years: Optional[Annotated[list[int], Field(min_length=2, max_length=2)]] = Field(
        None, description="[first, last] years the hazard applies to (default: the simulated period)")


class ReversalHazard(_Hazard):
    """Reversals at a removal activity."""
    event: Literal["reversal"]
    activity: str
    size: Distribution = Field(description="share of the units issued so far that is reversed (0-1)")
    avoidable: Rate = Field(0, description="chance that a reversal is avoidable, 0-1")
    replenish_within_days: Annotated[int, Field(ge=0, le=3650)] = 365


class RevocationHazard(_Hazard):
    """Revocation of an agreement's authorisation."""
    event: Literal["revocation"]
    agreement: str
    scope: Literal["not-first-transferred", "unissued"] = "not-first-transferred"


Hazard = Annotated[Union[ReversalHazard, RevocationHazard], Field(discriminator="event")]


def hazard_years(h, period: tuple[int, int]) -> range:
    first, last = h.years or period
    return range(first, last + 1)


def draw_hazard(h, rng: np.random.Generator, period: tuple[int, int]) -> list[dict]:
    """The events of one hazard in one run: ``[{'date', 'share', 'avoidable'}]`` (reversal) or
    ``[{'date'}]`` (revocation), in date order."""
    years = hazard_years(h, period)
    u = rng.random((len(years), 4))
    out = []
    for (occur, when, size, avoid), year in zip(u, years):
        if occur >= h.rate:
            continue
        days = 366 if calendar.isleap(year) else 365
        date = datetime.date(year, 1, 1) + datetime.timedelta(days=min(int(when * days), days - 1))
        if isinstance(h, ReversalHazard):
            share = float(quantile(h.size, [size])[0])
            out.append({"date": date, "share": min(1.0, max(0.0, share)), "avoidable": bool(avoid < h.avoidable)})
        else:
            out.append({"date": date})
    return out


def _issued_before(scenario, credited: dict, activity: str, date: datetime.date) -> int:
    """Units of ``activity`` issued before ``date`` (its credited outcomes, by issuance day)."""
    act = scenario.model.activities[activity]
    total = 0
    for v in range(act.vintages[0], act.vintages[1] + 1):
        if datetime.date(v, 12, 31) + datetime.timedelta(days=act.issuance_lag_days) < date:
            total += credited[(activity, v)]
    return total


def hazard_events(h, draws: list[dict], scenario) -> tuple[list[dict], dict]:
    """Scenario events for the drawn hazard events, and what they amount to.

    Returns ``(events, figures)``: ``figures`` has ``events`` (how many were added) and,
    for reversals, ``tonnes`` reversed in all; for revocations, ``year`` of the revocation.
    """
    events = []
    if isinstance(h, ReversalHazard):
        from ..engine.outcomes import outcomes
        credited = outcomes(scenario).credited if draws else {}
        tonnes_all = 0
        for d in draws:
            tonnes = math.floor(d["share"] * _issued_before(scenario, credited, h.activity, d["date"]))
            if tonnes <= 0:
                continue
            tonnes_all += tonnes
            events.append({"date": d["date"], "type": "reversal", "activity": h.activity,
                           "quantity": _in_units(tonnes, scenario.factor), "avoidable": d["avoidable"],
                           "replenish_within_days": h.replenish_within_days})
        return events, {"events": len(events), "tonnes": tonnes_all}
    auth = scenario.model.agreements[h.agreement].authorisation
    for d in draws:
        if auth is not None and d["date"] >= auth.date:
            events.append({"date": d["date"], "type": "revoke-authorisation", "agreement": h.agreement,
                           "scope": h.scope})
            return events, {"events": 1, "year": d["date"].year}
    return events, {"events": 0, "year": None}


def _in_units(tonnes: int, factor: int):
    """Whole tonnes written in the scenario's units, exactly (``123457`` t -> ``0.123457`` Mt)."""
    if factor == 1:
        return tonnes
    digits = len(str(factor)) - 1
    return float(f"{tonnes / factor:.{digits}f}")
