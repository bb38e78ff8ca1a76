"""The classroom page's pieces: the waterfall of a step, the movements table, question
states, the lesson shelf, and the page drawn for a session's state."""
from __future__ import annotations

import json
import shutil

import pytest
from plotly.utils import PlotlyJSONEncoder

from a6sim.lessons import LESSON_DIR
from a6sim.dashboard.app import create_app, render_page
from a6sim.dashboard.pages.classroom import _answered, body, initial_state
from a6sim.dashboard.teaching import LessonShelf
from a6sim.dashboard.views.classroom import movement_records, question_state, score, waterfall_figure

MT = 1_000_000
ONE_TONNE = "one_tonne_two_claims"


def text_of(component) -> str:
    """Every string in a Dash component tree (figures included), joined."""
    return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


@pytest.fixture(scope="module")
def shelf():
    return LessonShelf(LESSON_DIR)


def test_waterfall_of_a_first_transfer():
    # Cadjia at step 3 of the one-tonne lesson: 49 Mt, +1 Mt added, 50 Mt after; target 50.
    fig = waterfall_figure("Cadjia (CAD)", 49 * MT, {"added": MT, "subtracted": 0, "reversed": 0}, 50 * MT,
                           50 * MT, MT, "MtCO2e")
    trace = fig.data[0]
    assert list(trace.x) == ["before", "+ added", "− used", "reversals", "after"]
    assert list(trace.y) == [49, 1, 0, 0, 50]
    assert list(trace.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(trace.text) == ["49", "1", "", "", "50"]
    # the axis spans 49..50 (bars and target) with a pad of max(0.35 x 1, 2% of 50) = 1
    assert fig.layout.yaxis.range == (48, 51)
    assert fig.layout.shapes[0].y0 == 50           # the target line
    assert "target 50 (dashed)" in fig.layout.title.text


def test_waterfall_in_tonnes_with_a_use_and_no_target():
    fig = waterfall_figure("Buyer", 100_000, {"added": 0, "subtracted": -1_500, "reversed": 0}, 98_500, None, 1,
                           "tCO2e")
    assert list(fig.data[0].y) == [100_000, 0, -1_500, 0, 98_500]
    assert list(fig.data[0].text) == ["100,000", "", "-1,500", "", "98,500"]
    # levels 100,000 / 100,000 / 98,500 / 98,500 / 98,500: span 1,500, pad max(525, 2,000) = 2,000
    assert fig.layout.yaxis.range == (96_500, 102_000)
    assert not fig.layout.shapes


def test_movement_records_in_the_files_units(shelf):
    run = shelf.run(ONE_TONNE)
    assert movement_records(run.movements(1), MT) == [
        {"date": "2023-03-31", "action": "issuance", "quantity": "1", "from": "", "to": "CAD", "agreement": "",
         "vintage": 2022},
        {"date": "2023-03-31", "action": "authorization", "quantity": "1", "from": "CAD", "to": "CAD",
         "agreement": "byr-cad", "vintage": 2022},
        {"date": "2023-03-31", "action": "issuance", "quantity": "1", "from": "", "to": "NOC", "agreement": "",
         "vintage": 2022},
        {"date": "2023-03-31", "action": "authorization", "quantity": "1", "from": "NOC", "to": "NOC",
         "agreement": "byr-noc", "vintage": 2022},
    ]


@pytest.mark.parametrize("given, facilitator, status, reveal", [
    (None, False, "open", False), (None, True, "open", True),
    ({"text": "50", "right": True}, False, "right", True),
    ({"text": "2", "right": False}, False, "wrong", True),
    ({"text": "x", "error": "'x' is not a number"}, False, "invalid", False),
])
def test_question_state(given, facilitator, status, reveal):
    assert question_state(given, facilitator) == {"status": status, "reveal": reveal}


def test_score():
    assert score({"a": {"right": True}, "b": {"right": False}, "c": {"error": "x"}}, 4) == "1 of 4 right"
    assert score(None, 3) == "0 of 3 right"


def test_answers_are_marked_against_the_engine(shelf):
    state = initial_state(shelf, {"lesson": ONE_TONNE})
    state = _answered(shelf, state, "cadjia-balance", " 50 ")
    state = _answered(shelf, state, "double-claimed", "2")
    state = _answered(shelf, state, "nocalia-gap", "minus one")
    assert state["answers"] == {ONE_TONNE: {
        "cadjia-balance": {"text": "50", "right": True},
        "double-claimed": {"text": "2", "right": False},
        "nocalia-gap": {"text": "minus one",
                        "error": "'minus one' is not a number: type digits, for example 5, -1.5 or 5,000,000."}}}


def test_the_page_for_a_sessions_state(shelf):
    state = initial_state(shelf, {"lesson": ONE_TONNE, "step": 2})
    page = text_of(body(shelf, state))
    assert "Step 3 of 5 · 2023-04-30 · Cadjia transfers, and adds the tonne back" in page
    assert "What is Cadjia's emissions balance" in page
    assert "Answer: " not in page and "49 Mt of inventory plus" not in page    # hidden until answered
    assert "claimed twice 0 MtCO2e" in page and "0 of 4 right" in page
    # answered right: feedback and explanation
    answered = _answered(shelf, state, "cadjia-balance", "50")
    page = text_of(body(shelf, answered))
    assert "The engine's figure: 50 MtCO2e." in page and "49 Mt of inventory plus" in page
    assert "1 of 4 right" in page
    # facilitator mode, step 4: the answer of the open question, with the lecturer's value
    page = text_of(body(shelf, {**state, "step": 3, "facilitator": True}))
    assert "lecturer's expected value: 1; tolerance 0" in page
    assert "claimed twice 1 MtCO2e" in page
    # what if Nocalia adjusts: nothing claimed twice, and the figure in the what-if run
    page = text_of(body(shelf, {**answered, "step": 3, "what_if": True, "facilitator": True}))
    assert "claimed twice 0 MtCO2e" in page
    assert "In the what-if run this figure is 0 MtCO2e." in page
    # a step past the end shows the last one
    assert "Step 5 of 5" in text_of(body(shelf, {**state, "step": 9}))


def test_the_shelf_rebuilds_a_changed_lesson_and_reports_a_broken_one(tmp_path):
    shutil.copy(LESSON_DIR / f"{ONE_TONNE}.yaml", tmp_path / "a.yaml")
    shelf = LessonShelf(tmp_path)
    first = shelf.run("a")
    assert shelf.run("a") is first                       # remembered
    assert shelf.run("a", what_if=True) is not first
    path = tmp_path / "a.yaml"
    path.write_text(path.read_text().replace("expected: 50\n", "expected: 51\n", 1))
    assert shelf.run("a") is not first                   # the file changed
    (tmp_path / "b.yaml").write_text("a6sim: 1\nname: no lesson\n")
    entries = shelf.entries()
    assert entries[0] == {"name": "a", "title": "One tonne, two claims"}
    assert entries[1]["name"] == "b" and entries[1]["title"].startswith("cannot be used: ")
    assert "a lesson file is a scenario with a 'lesson:' block" in text_of(body(shelf, {**initial_state(
        shelf, None), "lesson": "b"}))
    with pytest.raises(KeyError):
        shelf.run("c")


def test_render_page_routes_to_the_classroom(tmp_path):
    app = create_app(cache_dir=tmp_path)
    page = text_of(render_page("/classroom", app.run_store, app.library, None, None, None, None, None,
                               app.lesson_shelf, None))
    assert "Classroom" in page and "classroom-lesson" in page
    first = app.lesson_shelf.names()[0]
    assert f"\"value\": \"{first}\"" in page                 # the first lesson, step 1
    assert "Step 1 of" in page


def test_the_dashboard_offers_another_lesson_folder(tmp_path):
    shutil.copy(LESSON_DIR / f"{ONE_TONNE}.yaml", tmp_path / "mine.yaml")
    app = create_app(cache_dir=tmp_path / "cache", lesson_dir=tmp_path)
    assert app.lesson_shelf.names() == ["mine"]
    page = text_of(render_page("/classroom", app.run_store, app.library, None, None, None, None, None,
                               app.lesson_shelf, None))
    assert "One tonne, two claims" in page
