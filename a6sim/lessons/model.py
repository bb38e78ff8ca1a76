"""The ``lesson:`` block of a lesson file: every field declared once (docs/lessons.md).

A lesson file is a scenario (format v1) plus a ``lesson:`` block with the title, the
learning goals, the steps to stop at, the questions and one "what if" lever.
"""
from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..registry.ledger import ACTIONS
from ..scenario.model import Identifier

__all__ = ["EventRef", "Figure", "LessonModel", "Question", "Step", "WhatIf", "TABLES"]

Text = Annotated[str, Field(min_length=1)]

# Columns a question may ask about, per table: numeric figures only. "tonnes" columns
# are shown in the lesson file's units, "money" ones in its currency.
TABLES: dict[str, dict[str, str]] = {
    "balances": {c: "tonnes" for c in ("inventory", "first_transferred", "first_transferred_oimp", "used",
                                       "ca", "emissions_balance", "target", "trajectory")},
    "attainment": {"target": "tonnes", "balance": "tonnes", "gap": "tonnes"},
    "integrity": {c: "tonnes" for c in ("inventory_total", "balance_total", "net_ca", "omge_cancelled",
                                        "adaptation_fund_units", "double_claimed")},
    "structured_summary": {c: "tonnes" for c in (
        "inventory", "trajectory_or_budget", "first_transferred", "first_transferred_oimp", "used", "net",
        "cumulative_net", "averaging_amount", "corresponding_adjustment", "emissions_balance")},
    "flows": {"quantity": "tonnes", "value": "money"},
    "ledger": {"quantity": "tonnes"},
    "summary": {**{k: "tonnes" for k in (
        "issued", "first_transferred", "first_transferred_oimp", "used", "used_oimp", "voluntarily_cancelled",
        "omge_cancelled", "adaptation_fund_units", "host_adaptation_units", "buffer", "reversal_cancelled",
        "held", "double_claimed", "net_ca_total")}, "sop_value": "money", "value_paid": "money"},
}

# Row filters a figure may give, per table (a figure is the sum of its column over
# the rows that match every filter).
FILTERS: dict[str, tuple[str, ...]] = {
    "balances": ("party", "year"),
    "attainment": ("party",),
    "integrity": ("year",),
    "structured_summary": ("party", "year"),
    "flows": ("year", "from_party", "to_party", "agreement"),
    "ledger": ("year", "action", "agreement", "activity", "host", "vintage", "from_party", "to_party",
               "purpose", "unit_type", "first_transfer"),
    "summary": (),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EventRef(_Strict):
    """Stop on the day of a ledger movement: the ``occurrence``-th day on which a
    movement with this ``action`` (and the optional filters) happens."""
    action: Literal[ACTIONS] = Field(description="AEF action of the ledger movement, e.g. first-transfer")
    agreement: Optional[Identifier] = Field(None, description="only movements under this agreement")
    activity: Optional[Identifier] = Field(None, description="only movements of this activity's units")
    host: Optional[Identifier] = Field(None, description="only units hosted by this party")
    occurrence: int = Field(1, ge=1, description="1 = the first day with such a movement, 2 = the second, ...")


class Step(_Strict):
    """A stop on the lesson's timeline: everything up to the end of that day has happened."""
    title: Text = Field(description="short heading of the step")
    date: Optional[datetime.date] = Field(None, description="stop at the end of this day")
    event: Optional[EventRef] = Field(None, description="or: stop at the end of the day of this movement")
    narration: Text = Field(description="what the lecturer says at this step")

    @model_validator(mode="after")
    def _one_stop(self):
        if (self.date is None) == (self.event is None):
            raise ValueError("give exactly one of date or event")
        return self


class Figure(_Strict):
    """A figure of the run: the sum of ``column`` over the rows of ``table`` matching the filters."""
    table: Literal[tuple(TABLES)] = Field(description="result table: " + ", ".join(TABLES))
    column: Text = Field(description="numeric column of the table (for summary: the key)")
    party: Optional[Identifier] = None
    year: Optional[int] = None
    agreement: Optional[Identifier] = None
    action: Optional[Literal[ACTIONS]] = None
    activity: Optional[Identifier] = None
    host: Optional[Identifier] = None
    vintage: Optional[int] = None
    from_party: Optional[Identifier] = None
    to_party: Optional[Identifier] = None
    purpose: Optional[Literal["NDC", "OIMP", "NDC and OIMP"]] = None
    unit_type: Optional[Text] = None
    first_transfer: Optional[bool] = None

    def filters(self) -> dict[str, Any]:
        """The row filters given, in declaration order."""
        return {k: v for k in FILTERS[self.table] if (v := getattr(self, k)) is not None}

    @model_validator(mode="after")
    def _known(self):
        if self.column not in TABLES[self.table]:
            raise ValueError(f"column {self.column!r} is not a numeric figure of {self.table}; "
                             f"expected one of: {', '.join(TABLES[self.table])}")
        stray = [k for k in FILTERS["ledger"] + ("party",)
                 if getattr(self, k) is not None and k not in FILTERS[self.table]]
        if stray:
            allowed = ", ".join(FILTERS[self.table]) or "none"
            raise ValueError(f"{self.table} rows cannot be filtered by {', '.join(stray)}; filters: {allowed}")
        return self


class Question(_Strict):
    """A question whose answer the engine computes; ``expected`` is the lecturer's value."""
    id: Identifier = Field(description="short id, unique in the lesson")
    step: Optional[int] = Field(None, ge=1, description="asked after this step (1 = the first); default: the last")
    ask: Text = Field(description="the question as students read it")
    figure: Figure
    expected: float = Field(description="the lecturer's expected answer, in the file's units (or currency)")
    tolerance: float = Field(0.0, ge=0, description="answers within this distance of the engine's figure are right")
    explanation: Text = Field(description="shown after an answer, right or wrong")


class WhatIf(_Strict):
    """One lever: scenario fields to change, and a rerun of the lesson with them."""
    label: Text = Field(description="the switch's label, e.g. 'Nocalia applies its adjustments'")
    set: dict[str, Any] = Field(min_length=1, description="field path (parties.NOC.corresponding_adjustments) "
                                                          "-> new value")
    explanation: Text = Field(description="what to look for in the rerun")


class LessonModel(_Strict):
    """The ``lesson:`` block."""
    title: Text
    goals: list[Text] = Field(min_length=1, description="learning goals, one sentence each")
    steps: list[Step] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    what_if: WhatIf
