"""Classroom page: step through a lesson, see each step's ledger movements and every
party's balance before and after, answer the questions, flip the what-if lever.

The session's state lives in the ``classroom`` store (session storage):
``{'lesson', 'step' (0-based), 'what_if', 'facilitator', 'answers': {lesson: {question
id: {'text', 'right'} or {'text', 'error'}}}}``. Every part of the page is drawn
from it, so a reload or a return to the page shows the same thing.
"""
from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

from a6sim import ScenarioError
from a6sim.lessons import parse_answer
from a6sim.lessons.figures import fmt

from ..components import graph, page_title, records_table
from ..teaching import LessonShelf
from ..views.classroom import MOVEMENT_COLUMNS, movement_records, question_state, score, waterfall_figure

__all__ = ["layout", "register", "body", "initial_state"]


def initial_state(shelf: LessonShelf, state: dict | None) -> dict:
    """The session's state, completed with defaults (the first lesson, step 1)."""
    state = dict(state or {})
    names = shelf.names()
    if state.get("lesson") not in names:
        state.update(lesson=names[0] if names else None, step=0, what_if=False)
    state.setdefault("step", 0)
    state.setdefault("what_if", False)
    state.setdefault("facilitator", False)
    state.setdefault("answers", {})
    return state


def layout(shelf: LessonShelf, state: dict | None):
    state = initial_state(shelf, state)
    entries = shelf.entries()
    if not entries:
        return html.Div([page_title("Classroom"),
                         dbc.Alert(f"No lesson files in {shelf.directory.name}/.", color="warning")])
    return html.Div([
        page_title("Classroom", "Step through a lesson in time; answer its questions from the simulation."),
        dbc.Row([
            dbc.Col([dbc.Label("Lesson", html_for="classroom-lesson"),
                     dcc.Dropdown(id="classroom-lesson", value=state["lesson"], clearable=False,
                                  options=[{"label": e["title"], "value": e["name"]} for e in entries])], lg=7),
            dbc.Col(dbc.Switch(id="classroom-facilitator", value=state["facilitator"],
                               label="Facilitator mode: show the answers"), lg=5,
                    className="d-flex align-items-end pb-2"),
        ], className="mb-3"),
        html.Div(body(shelf, state), id="classroom-body"),
    ])


def body(shelf: LessonShelf, state: dict):
    """Everything below the lesson picker, for one session's state."""
    try:
        run = shelf.run(state["lesson"])
        shown = shelf.run(state["lesson"], what_if=True) if state["what_if"] else run
    except KeyError:
        return dbc.Alert("Pick a lesson.", color="info")
    except ScenarioError as exc:
        return dbc.Alert([html.P("This lesson file cannot be used:"), html.Pre(str(exc), className="a6-error")],
                         color="danger")
    lesson = run.lesson
    n = len(run.steps)
    i = min(max(int(state["step"]), 0), n - 1)
    step = lesson.model.steps[i]
    given = state["answers"].get(lesson.name, {})
    what_if = lesson.model.what_if
    return html.Div([
        html.H3(lesson.title, className="mb-2"),
        dbc.Accordion([dbc.AccordionItem([
            html.P(lesson.scenario.model.description, className="a6-description"),
        ], title="About this scenario")], start_collapsed=True, className="mb-2"),
        html.Div([html.Strong("Goals: "), html.Ul([html.Li(g) for g in lesson.model.goals], className="mb-2")]),
        _navigation(run, i),
        dbc.Switch(id="classroom-what-if", value=state["what_if"], label=f"What if: {what_if.label}",
                   className="mb-2"),
        dbc.Alert([html.Strong("What if: "), what_if.label, html.Br(), what_if.explanation],
                  color="warning", id="classroom-what-if-note") if state["what_if"] else None,
        dbc.Card([
            dbc.CardHeader(f"Step {i + 1} of {n} · {shown.date_of(i).isoformat()} · {step.title}",
                           id="classroom-step-title"),
            dbc.CardBody(html.P(step.narration, className="a6-narration mb-0")),
        ], className="mb-3"),
        _accounts(shown, i),
        _questions(run, shown if state["what_if"] else None, i, given, state["facilitator"]),
        html.P(f"Your answers in this lesson: {score(given, len(run.answers))}.", id="classroom-score",
               className="a6-subtitle mt-3"),
    ])


def _navigation(run, i: int):
    n = len(run.steps)
    steps = [dbc.Button(str(k + 1), id={"type": "classroom-goto", "step": k}, color="primary",
                        outline=k != i, size="sm", title=s.title) for k, s in enumerate(run.steps)]
    return html.Div([
        dbc.Button("◀ Back", id="classroom-back", color="secondary", disabled=i == 0, className="me-2"),
        dbc.ButtonGroup(steps, className="me-2"),
        dbc.Button("Next ▶", id="classroom-next", color="primary", disabled=i == n - 1),
    ], className="d-flex flex-wrap align-items-center gap-1 mb-3")


def _accounts(run, i: int):
    sc = run.results.scenario
    factor, unit = sc.factor, sc.model.units
    changes = run.changes(i)
    before, after = changes["before"], changes["after"]
    charts = [dbc.Col(graph(waterfall_figure(f"{sc.model.parties[p].name} ({p})", before.balance[p],
                                             changes["parts"][p], after.balance[p], after.target.get(p),
                                             factor, unit), height=330), lg=6, xl=4)
              for p in after.balance]
    moved = run.movements(i)
    claimed = f"{fmt(after.double_claimed / factor)} {unit}"
    net = f"{fmt(float(after.net_ca) / factor)} {unit}"
    return html.Div([
        html.H4("NDC balances before and after this step"),
        html.P("The balance each NDC is judged on (the period's sum for a budget, the target year's balance "
               "for a single-year target), counting what has happened so far. Dashed: the target.",
               className="a6-subtitle"),
        dbc.Row(charts, className="g-2") if charts else html.P("No party here has an NDC.", className="text-muted"),
        html.P([html.Strong("So far: "), f"claimed twice {claimed} · all corresponding adjustments add up to {net}"],
               id="classroom-integrity", className="mt-2"),
        html.H4(f"What moved in this step ({len(moved)} ledger movement{'s' if len(moved) != 1 else ''}, {unit})",
                className="mt-3"),
        records_table(movement_records(moved, factor), columns=MOVEMENT_COLUMNS, numeric=("quantity",),
                      id="classroom-movements"),
    ])


def _questions(run, what_if_run, i: int, given: dict, facilitator: bool):
    answers = run.questions_at(i)
    if not answers:
        later = [a.question.step or len(run.steps) for a in run.answers]
        hint = f" Questions come at step {', '.join(str(s) for s in sorted(set(later)))}." if later else ""
        return html.P("No question at this step." + hint, className="text-muted mt-3")
    alt = {a.question.id: a for a in what_if_run.answers} if what_if_run is not None else {}
    return html.Div([html.H4("Questions", className="mt-3")] +
                    [_question(a, given.get(a.question.id), facilitator, alt.get(a.question.id)) for a in answers])


def _question(answer, given, facilitator: bool, alt):
    q = answer.question
    state = question_state(given, facilitator)
    value = f"{fmt(answer.value)} {answer.unit}"
    feedback = []
    if state["status"] == "right":
        feedback.append(dbc.Alert([html.Strong("Right. "), f"The engine's figure: {value}."], color="success",
                                  className="a6-feedback-right mb-2"))
    elif state["status"] == "wrong":
        feedback.append(dbc.Alert([html.Strong("Not quite. "), f"You said {given['text']}; the engine's figure: "
                                   f"{value}."], color="danger", className="a6-feedback-wrong mb-2"))
    elif state["status"] == "invalid":
        feedback.append(dbc.Alert(given["error"], color="warning", className="a6-feedback-invalid mb-2"))
    if state["reveal"]:
        if facilitator and state["status"] != "right":
            feedback.append(html.P([html.Strong("Answer: "), value,
                                    f" (lecturer's expected value: {fmt(q.expected)}; tolerance {fmt(q.tolerance)})"],
                                   className="a6-answer mb-1"))
        feedback.append(html.P(q.explanation, className="a6-explanation mb-1"))
        if alt is not None:
            feedback.append(html.P(f"In the what-if run this figure is {fmt(alt.value)} {alt.unit}.",
                                   className="a6-subtitle mb-0"))
    return dbc.Card(dbc.CardBody([
        html.P(q.ask, className="a6-question mb-2"),
        dbc.InputGroup([
            dbc.Input(id={"type": "classroom-answer", "q": q.id}, value=(given or {}).get("text", ""),
                      type="text", inputMode="decimal", placeholder=f"your answer, in {answer.unit}",
                      debounce=False, autoComplete="off"),
            dbc.Button("Check", id={"type": "classroom-check", "q": q.id}, color="primary"),
        ], className="mb-2", style={"maxWidth": "32rem"}),
        html.Div(feedback, id={"type": "classroom-feedback", "q": q.id}),
    ]), className="mb-2")


def register(app: dash.Dash, shelf: LessonShelf) -> None:
    @app.callback(Output("classroom", "data"),
                  Input("classroom-lesson", "value"), Input("classroom-facilitator", "value"),
                  Input("classroom-what-if", "value"),
                  Input("classroom-back", "n_clicks"), Input("classroom-next", "n_clicks"),
                  Input({"type": "classroom-goto", "step": ALL}, "n_clicks"),
                  Input({"type": "classroom-check", "q": ALL}, "n_clicks"),
                  Input({"type": "classroom-answer", "q": ALL}, "n_submit"),
                  State({"type": "classroom-answer", "q": ALL}, "value"),
                  State({"type": "classroom-answer", "q": ALL}, "id"),
                  State("classroom", "data"), prevent_initial_call=True)
    def _act(lesson, facilitator, what_if, _back, _next, _goto, _check, _submit, texts, ids, state):
        # Components the page inserts fire this callback with their initial values: act
        # only on a real change (a click count, or a value that differs from the state).
        state = initial_state(shelf, state)
        texts = {i["q"]: t for i, t in zip(ids, texts)}
        for trig in dash.ctx.triggered:
            prop, value = trig["prop_id"], trig["value"]
            if prop == "classroom-lesson.value":
                if value and value != state["lesson"]:
                    return {**state, "lesson": value, "step": 0, "what_if": False}
            elif prop == "classroom-facilitator.value":
                if bool(value) != state["facilitator"]:
                    return {**state, "facilitator": bool(value)}
            elif prop == "classroom-what-if.value":
                if bool(value) != state["what_if"]:
                    return {**state, "what_if": bool(value)}
            elif not value:   # a click count of 0 or None: the component was just drawn
                continue
            elif prop == "classroom-back.n_clicks":
                return {**state, "step": max(state["step"] - 1, 0)}
            elif prop == "classroom-next.n_clicks":
                last = len(shelf.run(state["lesson"]).steps) - 1
                return {**state, "step": min(state["step"] + 1, last)}
            else:
                target = json.loads(prop.rsplit(".", 1)[0])
                if target.get("type") == "classroom-goto":
                    return {**state, "step": int(target["step"])}
                return _answered(shelf, state, target["q"], texts.get(target["q"]) or "")
        raise dash.exceptions.PreventUpdate

    @app.callback(Output("classroom-body", "children"), Input("classroom", "data"), prevent_initial_call=True)
    def _render(state):
        return body(shelf, initial_state(shelf, state))


def _answered(shelf: LessonShelf, state: dict, qid: str, text: str) -> dict:
    """The state with the session's answer to question ``qid`` of the current lesson."""
    run = shelf.run(state["lesson"])
    answer = next(a for a in run.answers if a.question.id == qid)
    try:
        record = {"text": text.strip(), "right": answer.accepts(parse_answer(text))}
    except ValueError:
        record = {"text": text.strip(), "error": f"{text.strip()!r} is not a number: type digits, for example "
                                                 f"5, -1.5 or 5,000,000."}
    answers = {**state["answers"], run.lesson.name: {**state["answers"].get(run.lesson.name, {}), qid: record}}
    return {**state, "answers": answers}
