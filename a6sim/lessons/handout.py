"""A printable handout of a lesson: one self-contained HTML page (inline CSS with print
rules, no scripts, no network) with the goals, each step's narration, its ledger
movements and a waterfall chart of every NDC party's balance, the questions (blank
answer lines, or the answers for the lecturer) and the what-if lever.

Pure functions: the page is a string; writing it is the command's job. Every text of
the lesson is escaped with :func:`html.escape`.
"""
from __future__ import annotations

from html import escape

from .figures import fmt
from .timeline import WATERFALL_PARTS
from .walkthrough import (balance_rows, final_balance_rows, integrity_change, movement_table, ndc_note,
                          question_number, settings_text, short_description, signed)

__all__ = ["handout_html", "waterfall_svg", "waterfall_scale", "COLOURS", "SVG_SIZE"]

# Chart geometry (pixels): five columns of 40 px in a 200 px wide plot starting at x = 25,
# bars 24 px wide centred in their column; the plot runs from y = 30 to y = 150.
SVG_SIZE = (250, 180)
PLOT_LEFT, PLOT_WIDTH, PLOT_TOP, PLOT_HEIGHT = 25, 200, 30, 120
BAR_WIDTH = 24
PAD = 0.25                   # the value range is widened by a quarter of its span on each side

COLOURS = {"before": "#5b7083", "added": "#2e8b57", "subtracted": "#c0504d", "reversed": "#8064a2",
           "after": "#5b7083", "target": "#d08c00", "connector": "#999999", "text": "#222222"}

_COLUMNS = ("before",) + tuple(key for key, _ in WATERFALL_PARTS) + ("after",)


def _n(x: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def waterfall_scale(values) -> tuple[float, float]:
    """The value range a chart shows: ``[lo - pad, hi + pad]`` with ``pad`` a quarter of
    ``hi - lo`` (or 5 % of the value, at least 1, when all values are equal). The range
    starts at zero instead when the smallest value is no further from zero than the
    values are from each other (0 <= lo <= hi - lo)."""
    lo, hi = min(values), max(values)
    pad = (hi - lo) * PAD if hi > lo else max(abs(hi) * 0.05, 1.0)
    return (0.0 if 0 <= lo <= hi - lo else lo - pad), hi + pad


def waterfall_svg(title: str, before: float, added: float, subtracted: float, reversed: float,
                  target: float | None, unit: str = "") -> str:
    """An inline SVG waterfall of one party's balance over a step.

    Bars: the balance ``before`` (from the bottom of the chart), the parts ``added``,
    ``subtracted`` (negative) and ``reversed`` floating from the running level, and the
    balance ``after``; the target is a dashed line. The bottom of the chart is not zero
    (changes of 1 on a balance of 100 would be invisible): every bar carries its value.
    """
    width, height = SVG_SIZE
    levels = [before]
    for part in (added, subtracted, reversed):
        levels.append(levels[-1] + part)
    after = levels[-1]
    lo, hi = waterfall_scale(levels + ([target] if target is not None else []))

    def y(v: float) -> float:
        return PLOT_TOP + (hi - v) / (hi - lo) * PLOT_HEIGHT

    column = PLOT_WIDTH / len(_COLUMNS)
    spans = [(lo, before), (levels[0], levels[1]), (levels[1], levels[2]), (levels[2], levels[3]), (lo, after)]
    labels = [fmt(before), signed(added), signed(subtracted), signed(reversed), fmt(after)]
    name = escape(title)
    summary = f"{title}: {fmt(before)} -> {fmt(after)} {unit}" + (f", target {fmt(target)}" if target is not None
                                                                  else "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(summary)}" class="waterfall">',
           f"<title>{escape(summary)}</title>",
           f'<text x="{width / 2:g}" y="16" text-anchor="middle" font-size="12" font-weight="bold" '
           f'fill="{COLOURS["text"]}">{name}</text>']
    for i, (key, (a, b), label) in enumerate(zip(_COLUMNS, spans, labels)):
        x = PLOT_LEFT + i * column + (column - BAR_WIDTH) / 2
        top, bottom = y(max(a, b)), y(min(a, b))
        out.append(f'<rect class="{key}" x="{_n(x)}" y="{_n(top)}" width="{BAR_WIDTH}" '
                   f'height="{_n(bottom - top)}" fill="{COLOURS[key]}"/>')
        out.append(f'<text x="{_n(x + BAR_WIDTH / 2)}" y="{_n(top - 3)}" text-anchor="middle" font-size="9" '
                   f'fill="{COLOURS["text"]}">{escape(label)}</text>')
        out.append(f'<text x="{_n(x + BAR_WIDTH / 2)}" y="{PLOT_TOP + PLOT_HEIGHT + 14}" text-anchor="middle" '
                   f'font-size="9" fill="{COLOURS["text"]}">{key}</text>')
        if i < len(_COLUMNS) - 1:        # the running level, carried to the next bar
            level = y(levels[min(i, 3)])
            out.append(f'<line class="connector" x1="{_n(x + BAR_WIDTH)}" y1="{_n(level)}" '
                       f'x2="{_n(x + column)}" y2="{_n(level)}" stroke="{COLOURS["connector"]}" '
                       f'stroke-width="1"/>')
    if target is not None:
        t = y(target)
        out.append(f'<line class="target" x1="{PLOT_LEFT}" y1="{_n(t)}" x2="{PLOT_LEFT + PLOT_WIDTH}" '
                   f'y2="{_n(t)}" stroke="{COLOURS["target"]}" stroke-width="1.5" stroke-dasharray="5 3"/>')
        out.append(f'<text x="{width / 2:g}" y="28" text-anchor="middle" font-size="9" '
                   f'fill="{COLOURS["target"]}">target {escape(fmt(target))} (dashed line)</text>')
    axis = unit if lo == 0 else f"{unit}; bars start at {fmt(lo)}, not at zero"
    out.append(f'<text x="{width / 2:g}" y="{height - 4}" text-anchor="middle" font-size="8" '
               f'fill="{COLOURS["connector"]}">{escape(axis)}</text>')
    out.append("</svg>")
    return "\n".join(out)


_CSS = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #222; max-width: 56em; margin: 2em auto;
       padding: 0 1em; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin: 1.2em 0 0.4em; border-bottom: 1px solid #bbb; }
h3 { font-size: 11pt; margin: 0.8em 0 0.3em; }
.meta, .note { color: #555; font-size: 9.5pt; }
table { border-collapse: collapse; font: 9pt/1.3 "Helvetica Neue", Arial, sans-serif; margin: 0.4em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 0.5em; }
.question { margin: 0.6em 0; }
.blank { border-bottom: 1px solid #888; height: 1.8em; width: 60%; }
.answer { margin-left: 1.5em; }
.drift { color: #a00; font-weight: bold; }
.step, .whatif { break-inside: avoid-page; page-break-inside: avoid; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .step { break-before: auto; }
  h2 { break-after: avoid-page; }
  .waterfall { width: 32%; height: auto; }
}
"""


def _table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    def cell(tag, i, text):
        cls = ' class="num"' if i in numeric else ""
        return f"<{tag}{cls}>{escape(text)}</{tag}>"
    out = ["<table>", "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(head)) + "</tr>"]
    out += ["<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in rows]
    return "\n".join(out + ["</table>"])


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(' '.join(text.split()))}</p>"


def _header(lesson) -> str:
    m = lesson.scenario.model
    out = [f"<h1>{escape(lesson.title)}</h1>",
           _p(f"Scenario: {m.name}. {short_description(m.description)}", "meta"),
           _p(f"Period {m.period.start}-{m.period.end}; quantities in {m.units}, money in {m.currency}.", "meta"),
           "<h2>Goals</h2>", "<ul>"]
    out += [f"<li>{escape(' '.join(g.split()))}</li>" for g in lesson.model.goals]
    out += ["</ul>", "<h3>Parties</h3>",
            _table(["party", "name", "NDC"], [[p, party.name, ndc_note(lesson.scenario, p)]
                                              for p, party in m.parties.items()], set())]
    return "\n".join(out)


def _movements(run, index: int) -> str:
    head, rows, more = movement_table(run, index)
    if not rows:
        return _p("No ledger movements in this step.", "note")
    html = _table(head, rows, {2})
    if more:
        html += "\n" + _p(f"... and {more} more", "note")
    return html


def _charts(run, index: int) -> str:
    units = run.lesson.scenario.model.units
    charts = [waterfall_svg(b.party, b.before, b.added, b.subtracted, b.reversed, b.target, units)
              for b in balance_rows(run, index)]
    if not charts:
        return _p("No party has an NDC whose balance is known in this run.", "note")
    return '<div class="charts">\n' + "\n".join(charts) + "\n</div>"


def _question(run, answer, answers: bool) -> str:
    q = answer.question
    k = question_number(run, answer)
    within = f"; within {fmt(q.tolerance, 6)}" if q.tolerance else ""
    out = ['<div class="question">',
           f"<p><b>Q{k}.</b> {escape(' '.join(q.ask.split()))} <span class=\"note\">[{escape(answer.unit + within)}]"
           "</span></p>"]
    if answers:
        out.append(f'<p class="answer"><b>Answer: {escape(fmt(answer.value))} {escape(answer.unit)}</b></p>')
        if answer.drift:
            out.append(f'<p class="answer drift">The lesson expects {escape(fmt(q.expected))} '
                       f"(lesson.questions[{k - 1}].expected); the engine's figure differs.</p>")
        out.append(_p(q.explanation, "answer"))
    else:
        out.append('<div class="blank"></div>')
    return "\n".join(out + ["</div>"])


def _step(run, index: int, answers: bool) -> str:
    step = run.steps[index]
    out = ['<section class="step">',
           f"<h2>Step {index + 1}/{len(run.steps)} &middot; {run.date_of(index)} &middot; {escape(step.title)}</h2>",
           _p(step.narration), "<h3>Ledger movements</h3>", _movements(run, index),
           "<h3>NDC balances before and after this step</h3>", _charts(run, index),
           _p(integrity_change(run, index), "note")]
    asked = run.questions_at(index)
    if asked:
        out += ["<h3>Questions</h3>"] + [_question(run, a, answers) for a in asked]
    return "\n".join(out + ["</section>"])


def _what_if(run, what_if_run, answers: bool) -> str:
    w = run.lesson.model.what_if
    units = run.lesson.scenario.model.units
    out = ['<section class="whatif">', f"<h2>What if: {escape(w.label)}</h2>",
           _p(f"Changed: {settings_text(w.set)}", "meta"), _p(w.explanation)]
    if what_if_run is None:
        return "\n".join(out + ["</section>"])
    if answers:
        rows = final_balance_rows(run, what_if_run)
        if rows:
            out += [f"<h3>NDC balances at the end of the run ({escape(units)})</h3>",
                    _table(["party", "target", "as written", "what if"], rows, {1, 2, 3})]
        rows = [[f"Q{k} {a.question.id}", fmt(a.value), fmt(b.value), a.unit]
                for k, (a, b) in enumerate(zip(run.answers, what_if_run.answers), 1)]
    else:
        rows = [[f"Q{k} {a.question.id}", "", "", a.unit] for k, a in enumerate(run.answers, 1)]
        out.append(_p("Fill in each question's figure in both runs.", "note"))
    out += ["<h3>The questions' figures</h3>", _table(["question", "as written", "what if", "unit"], rows, {1, 2})]
    return "\n".join(out + ["</section>"])


def handout_html(run, what_if_run=None, answers: bool = False) -> str:
    """The handout page of a lesson run (with the what-if rerun, if given); ``answers``
    shows the engine's answers and explanations instead of blank answer lines."""
    lesson = run.lesson
    body = [_header(lesson)] + [_step(run, i, answers) for i in range(len(run.steps))]
    body.append(_what_if(run, what_if_run, answers))
    edition = "with answers" if answers else "for students"
    body.append(_p(f"Lesson {lesson.name} ({edition}), computed by a6sim from the lesson file.", "note"))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(lesson.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
