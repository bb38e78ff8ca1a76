"""Classroom figures and tables (pure): a party's balance before and after a lesson
step as a waterfall, the step's ledger movements, and the state of a question.

Tonnes come in whole tonnes and are shown in the lesson file's units.
"""
from __future__ import annotations

from fractions import Fraction

import plotly.graph_objects as go

from a6sim.lessons.figures import fmt
from a6sim.lessons.timeline import WATERFALL_PARTS

from .style import COLOURS, is_missing, new_figure

__all__ = ["waterfall_figure", "movement_records", "MOVEMENT_COLUMNS", "question_state", "score"]

MOVEMENT_COLUMNS = ["date", "action", "quantity", "from", "to", "agreement", "vintage"]

_SHORT = {"added": "+ added", "subtracted": "− used", "reversed": "reversals"}
_PART_COLOURS = {"added": COLOURS["additions"], "subtracted": COLOURS["subtractions"],
                 "reversed": COLOURS["inventory"]}


def waterfall_figure(name: str, before, parts: dict, after, target, factor: int, unit: str) -> go.Figure:
    """The balance a party's NDC is judged on, before and after a step, and what changed it.

    ``before``, ``after``, ``target`` and the ``parts`` (added, subtracted, reversed) are
    in tonnes; they are drawn in ``unit`` (tonnes / ``factor``). The axis spans the bars
    and the target rather than starting at 0, so a change of 1 Mt on a 50 Mt balance
    can be seen.
    """
    def u(x):
        return float(Fraction(x) / factor)
    labels = ["before"] + [_SHORT[key] for key, _ in WATERFALL_PARTS] + ["after"]
    values = [u(before)] + [u(parts.get(key, 0)) for key, _ in WATERFALL_PARTS] + [u(after)]
    title = name if target is None else f"{name}<br><span style='font-size:14px;color:{COLOURS['target']}'>" \
        f"target {fmt(u(target))} (dashed)</span>"
    fig = new_figure(title, y_title=unit, uirevision=f"classroom-{name}", showlegend=False,
                     margin=dict(l=90, r=20, t=80, b=40), height=340)
    fig.add_trace(go.Waterfall(
        x=labels, y=values, measure=["absolute", "relative", "relative", "relative", "total"],
        text=[fmt(v) if (i in (0, 4) or v) else "" for i, v in enumerate(values)], textposition="outside",
        increasing=dict(marker=dict(color=_PART_COLOURS["added"])),
        decreasing=dict(marker=dict(color=_PART_COLOURS["subtracted"])),
        totals=dict(marker=dict(color=COLOURS["balance"])),
        connector=dict(line=dict(color="#9e9e9e", width=1)),
        hovertemplate="%{x}: %{y:,.3~f} " + unit + "<extra></extra>"))
    levels = [values[0]]
    for v in values[1:4]:
        levels.append(levels[-1] + v)
    marks = levels + [values[4]]
    if target is not None:
        t = u(target)
        marks.append(t)
        fig.add_hline(y=t, line=dict(color=COLOURS["target"], dash="dash", width=2))
    low, high = min(marks), max(marks)
    pad = max((high - low) * 0.35, abs(high) * 0.02, 1e-9)
    fig.update_yaxes(range=[low - pad, high + pad], tickformat=",.7~g")
    fig.update_xaxes(tickfont=dict(size=14), tickangle=0)
    return fig


def movement_records(movements, factor: int) -> list[dict]:
    """A step's ledger movements for the table (quantities in the file's units)."""
    out = []
    for r in movements.to_dict("records"):
        out.append({
            "date": r["date"].date().isoformat(), "action": r["action"],
            "quantity": fmt(r["quantity"] / factor),
            "from": "" if is_missing(r["from_party"]) else r["from_party"],
            "to": "" if is_missing(r["to_party"]) else r["to_party"],
            "agreement": "" if is_missing(r["agreement"]) else r["agreement"], "vintage": r["vintage"],
        })
    return out


def question_state(given: dict | None, facilitator: bool) -> dict:
    """What to show under a question: ``{'status': 'open'|'invalid'|'right'|'wrong', 'reveal': bool}``.

    ``given`` is the session's record ``{'text', 'right'}``, or ``{'text', 'error'}`` for
    an answer that is not a number, or None before any answer. The engine's answer
    and the explanation are revealed once answered (right or wrong), or to the
    facilitator.
    """
    if not given:
        status = "open"
    elif given.get("error"):
        status = "invalid"
    else:
        status = "right" if given.get("right") else "wrong"
    return {"status": status, "reveal": facilitator or status in ("right", "wrong")}


def score(answers: dict | None, total: int) -> str:
    """``"2 of 4 right"`` from the session's answers."""
    right = sum(1 for a in (answers or {}).values() if a.get("right"))
    return f"{right} of {total} right"
