"""A lesson run as text for the terminal: the header, each step (narration, ledger
movements, NDC balances before and after), the questions with or without their
answers, and the what-if comparison.

Pure functions of a :class:`~a6sim.lessons.LessonRun`: no input, no output, no clock,
no file paths, so the same lesson always gives the same text. Quantities are shown in
the lesson file's units (``MtCO2e`` for a lesson written in Mt), money in its currency.
"""
from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass

from .figures import fmt
from .timeline import WATERFALL_PARTS

__all__ = ["walkthrough", "header_text", "step_text", "question_text", "answer_text", "what_if_text",
           "question_number", "movement_lines", "movement_table", "integrity_change", "balance_rows",
           "final_balances", "final_balance_rows", "ndc_note", "settings_text",
           "short_description", "signed", "MovementLine", "BalanceRow", "WIDTH", "MAX_MOVEMENT_LINES"]

WIDTH = 88                   # wrap narration and explanations at this column
MAX_MOVEMENT_LINES = 12      # longer movement tables end with "... and N more"
DESCRIPTION_CHARS = 200      # the scenario description is cut after the sentence that passes this


@dataclass(frozen=True)
class MovementLine:
    """Ledger rows of a step with the same day, action, parties and agreement, added up."""
    date: str
    action: str
    quantity: float          # in the file's units
    from_party: str
    to_party: str
    agreement: str
    rows: int                # how many ledger rows (blocks of units) were added up


@dataclass(frozen=True)
class BalanceRow:
    """One NDC party's balance over a step, in the file's units (parts signed)."""
    party: str
    before: float
    added: float
    subtracted: float
    reversed: float
    after: float
    target: float


# --- the figures shown, shared with the handout ----------------------------------------
def _text(value) -> str:
    """A ledger cell as text; empty cells (no agreement, no sender) as '-'."""
    return "-" if value is None or value != value or value == "" else str(value)


def movement_lines(run, index: int) -> list[MovementLine]:
    """The ledger movements of step ``index`` (0-based), rows with the same day, action,
    sender, receiver and agreement added up, in ledger order."""
    factor = run.lesson.scenario.factor
    grouped: dict[tuple, list] = {}
    for row in run.movements(index).itertuples(index=False):
        key = (row.date.strftime("%Y-%m-%d"), row.action, _text(row.from_party), _text(row.to_party),
               _text(row.agreement))
        total = grouped.setdefault(key, [0, 0])
        total[0] += int(row.quantity)
        total[1] += 1
    return [MovementLine(*key[:2], quantity / factor, key[2], key[3], key[4], n)
            for key, (quantity, n) in grouped.items()]


def balance_rows(run, index: int) -> list[BalanceRow]:
    """Each NDC party's balance before and after step ``index`` and the parts of the change."""
    factor = run.lesson.scenario.factor
    ch = run.changes(index)
    before, after, parts = ch["before"], ch["after"], ch["parts"]
    return [BalanceRow(p, float(before.balance[p] / factor), float(parts[p]["added"] / factor),
                       float(parts[p]["subtracted"] / factor), float(parts[p]["reversed"] / factor),
                       float(after.balance[p] / factor), after.target[p] / factor)
            for p in after.balance]


def final_balances(run) -> dict[str, tuple[float, float]]:
    """``party -> (target, balance)`` at the end of the run, in the file's units (NDC parties
    whose balance is known)."""
    factor = run.lesson.scenario.factor
    out = {}
    for r in run.results.attainment.itertuples(index=False):
        if r.balance is not None and r.balance == r.balance:
            out[r.party] = (float(r.target) / factor, float(r.balance) / factor)
    return out


def movement_table(run, index: int) -> tuple[list[str], list[list[str]], int]:
    """The movements of step ``index`` as a table: ``(header, rows, not shown)``; more than
    :data:`MAX_MOVEMENT_LINES` lines end the table one line early, the rest counted."""
    moves = movement_lines(run, index)
    units = run.lesson.scenario.model.units
    shown = moves if len(moves) <= MAX_MOVEMENT_LINES else moves[:MAX_MOVEMENT_LINES - 1]
    rows = [[mv.date, mv.action, fmt(mv.quantity), f"{mv.from_party} -> {mv.to_party}",
             mv.agreement + (f" ({mv.rows} blocks)" if mv.rows > 1 else "")] for mv in shown]
    return ["date", "action", f"quantity ({units})", "from -> to", "agreement"], rows, len(moves) - len(shown)


def integrity_change(run, index: int) -> str:
    """Tonnes claimed twice and the net of all adjustments, before -> after step ``index``."""
    ch, factor = run.changes(index), run.lesson.scenario.factor
    units = run.lesson.scenario.model.units
    s0, s1 = ch["before"], ch["after"]
    return (f"Double claimed so far: {fmt(s0.double_claimed / factor)} -> {fmt(s1.double_claimed / factor)} "
            f"{units}; net of all corresponding adjustments: {fmt(float(s0.net_ca / factor))} -> "
            f"{fmt(float(s1.net_ca / factor))} {units}.")


def final_balance_rows(run, what_if_run) -> list[list[str]]:
    """``[party, target, as written, what if]`` at the end of both runs, parties in file order."""
    written, changed = final_balances(run), final_balances(what_if_run)
    order = list(run.lesson.scenario.model.parties)
    return [[p, fmt((written.get(p) or changed.get(p))[0]), fmt(written.get(p, (None, None))[1]),
             fmt(changed.get(p, (None, None))[1])] for p in sorted(set(written) | set(changed), key=order.index)]


def question_number(run, answer) -> int:
    """The question's number in the lesson (1 = the first question of the file)."""
    return next(k for k, a in enumerate(run.answers, 1) if a is answer)


def signed(x: float) -> str:
    """``+1``, ``-1``, ``0``: a part of a change."""
    text = fmt(x)
    return text if text == "0" or text.startswith("-") else "+" + text


def ndc_note(scenario, party: str) -> str:
    """What a party's NDC is judged on: ``multi-year 2021-2025, judged on the period sum``."""
    ndc = scenario.model.parties[party].ndc
    if ndc is None:
        return "no NDC"
    first, last = ndc.period
    if ndc.type == "single-year":
        return f"single-year {ndc.target_year} ({ndc.method}), judged on the {ndc.target_year} balance"
    return f"multi-year {first}-{last}, judged on the period sum"


def settings_text(settings: dict) -> str:
    """The what-if lever's fields: ``parties.NOC.corresponding_adjustments = true``."""
    return "; ".join(f"{k} = {json.dumps(v, default=str)}" for k, v in settings.items())


def short_description(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """The scenario description cut after the first sentence that reaches ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\[])", text):
        out = f"{out} {sentence}".strip()
        if len(out) >= limit:
            break
    return out if out == text else out + " ..."


# --- text layout ------------------------------------------------------------------------
def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent)


def _table(rows: list[list[str]], right: set[int], indent: str = "    ") -> list[str]:
    """Columns padded to their widest cell; the columns in ``right`` are right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]


def _underline(text: str, char: str) -> list[str]:
    return [text, char * len(text)]


def header_text(lesson) -> str:
    """The lesson's title, the scenario it runs (description shortened), its parties and goals."""
    m = lesson.scenario.model
    lines = _underline(lesson.title, "=")
    lines += ["", f"Scenario: {m.name}"]
    if m.description.strip():
        lines.append(_wrap(short_description(m.description)))
    lines += [f"Period {m.period.start}-{m.period.end}; quantities in {m.units}, money in {m.currency}.",
              "", "Parties:"]
    lines += _table([[p, party.name, ndc_note(lesson.scenario, p)] for p, party in m.parties.items()],
                    set(), "  ")
    lines += ["", "Goals:"]
    lines += [textwrap.fill(" ".join(g.split()), WIDTH, initial_indent="  - ", subsequent_indent="    ")
              for g in lesson.model.goals]
    return "\n".join(lines)


def _movements_text(run, index: int) -> list[str]:
    since = f"since {run.date_of(index - 1)}" if index else "from the start of the run"
    head, rows, more = movement_table(run, index)
    if not rows:
        return [f"  Ledger movements {since}: none."]
    lines = [f"  Ledger movements {since}:"] + _table([head] + rows, {2})
    if more:
        lines.append(f"    ... and {more} more")
    return lines


def _balances_text(run, index: int) -> list[str]:
    units = run.lesson.scenario.model.units
    rows = [["party", "before"] + [name for name, _ in WATERFALL_PARTS] + ["after", "target"]]
    for b in balance_rows(run, index):
        rows.append([b.party, fmt(b.before), signed(b.added), signed(b.subtracted), signed(b.reversed),
                     fmt(b.after), fmt(b.target)])
    if len(rows) == 1:
        return ["  No party has an NDC whose balance is known in this run."]
    return ([f"  NDC balances ({units}): before -> after this step, and the target"]
            + _table(rows, set(range(1, len(rows[0])))) + ["  " + integrity_change(run, index)])


def step_text(run, index: int) -> str:
    """Step ``index`` (0-based): heading, narration, ledger movements and NDC balances."""
    step = run.steps[index]
    lines = _underline(f"Step {index + 1}/{len(run.steps)} - {run.date_of(index)} - {step.title}", "-")
    lines += [_wrap(step.narration), ""]
    lines += _movements_text(run, index) + [""] + _balances_text(run, index)
    return "\n".join(lines)


def question_text(run, answer) -> str:
    """``Q1. What is ...? [MtCO2e]`` (with the tolerance when answers may be approximate)."""
    q = answer.question
    within = f"; within {fmt(q.tolerance, 6)}" if q.tolerance else ""
    return textwrap.fill(f"Q{question_number(run, answer)}. {' '.join(q.ask.split())} [{answer.unit}{within}]",
                         WIDTH, initial_indent="  ", subsequent_indent="      ")


def answer_text(answer, index: int | None = None) -> str:
    """The engine's answer, the lecturer's value when it differs (drift) and the explanation.

    ``index`` is the question's 0-based place in the file, named in the drift warning."""
    q = answer.question
    lines = [f"      Answer: {fmt(answer.value)} {answer.unit}"]
    if answer.drift:
        field = f"lesson.questions[{index}].expected" if index is not None else "expected"
        lines.append(f"      Warning: the lesson expects {fmt(q.expected)} {answer.unit} ({field}); "
                     "the engine's figure differs - check the lesson with `a6sim lesson check`.")
    lines.append(_wrap(q.explanation, "      "))
    return "\n".join(lines)


def _question_block(run, answer, answers: bool) -> str:
    text = question_text(run, answer)
    if answers:
        text += "\n" + answer_text(answer, question_number(run, answer) - 1)
    return text


def what_if_text(run, what_if_run=None, answers: bool = True) -> str:
    """The what-if lever: its label, the fields it changes and what to look for; with the
    rerun, the balances at the end of both runs and (with ``answers``) each question's figure."""
    w = run.lesson.model.what_if
    units = run.lesson.scenario.model.units
    lines = _underline(f"What if: {w.label}", "=")
    lines += [f"  Changed: {settings_text(w.set)}", _wrap(w.explanation)]
    if what_if_run is None:
        return "\n".join(lines)
    rows = [["party", "target", "as written", "what if"]] + final_balance_rows(run, what_if_run)
    if len(rows) > 1:
        lines += ["", f"  NDC balances at the end of the run ({units}):"] + _table(rows, {1, 2, 3})
    if answers:
        rows = [["question", "as written", "what if", "unit"]]
        for k, (a, b) in enumerate(zip(run.answers, what_if_run.answers), 1):
            rows.append([f"Q{k} {a.question.id}", fmt(a.value), fmt(b.value), a.unit])
        lines += ["", "  The questions' figures:"] + _table(rows, {1, 2})
    return "\n".join(lines)


def walkthrough(run, what_if_run=None, answers: bool = True) -> str:
    """The whole lesson as text: header, every step with its questions, then the what-if."""
    parts = [header_text(run.lesson)]
    for i in range(len(run.steps)):
        block = step_text(run, i)
        asked = run.questions_at(i)
        if asked:
            block += "\n\n  Questions:\n" + "\n\n".join(_question_block(run, a, answers) for a in asked)
        parts.append(block)
    parts.append(what_if_text(run, what_if_run, answers))
    return "\n\n\n".join(parts) + "\n"
