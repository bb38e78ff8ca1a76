"""Lesson files: the format, the figures questions ask about, the timeline of steps, and
every bundled lesson's answers against its lecturer's expected values."""
from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from a6sim import ScenarioError
from a6sim.lessons import (LESSON_DIR, check_answer, find_lesson, lesson_files, lesson_from_text, load_lesson,
                           parse_answer, teach)
from a6sim.lessons.load import apply_settings

LESSONS = lesson_files(LESSON_DIR)

# A small lesson in tCO2e, worked by hand:
# * GHA emits 100,000 t a year; its activity cuts 1,000 t in 2021 (inventory 2021: 99,000);
#   the units are issued 31 days after 31 December 2021, on 2022-01-31, and delivered to CHE
#   the same day (first transfer, +1,000 t for GHA in 2021), which uses them on receipt.
# * GHA's 2021-2022 budget balance: 99,000 + 100,000 + 1,000 = 200,000 t (its budget: met, gap 0).
# * CHE emits 50,000 t a year: 100,000 - 1,000 used = 99,000 t against 100,000 (gap -1,000).
SCENARIO = """\
a6sim: 1
name: Tiny lesson
units: tCO2e
seed: 1
period: {start: 2021, end: 2022}
parties:
  GHA:
    name: Ghana
    emissions: {2021: 100000}
    ndc: {type: multi-year, period: [2021, 2022], budget: 200000}
  CHE:
    name: Switzerland
    emissions: {2021: 50000}
    ndc: {type: multi-year, period: [2021, 2022], budget: 100000}
activities:
  act: {host: GHA, mechanism: "6.2", vintages: [2021, 2021], outcome: 1000, issuance_lag_days: 31}
agreements:
  deal:
    seller: GHA
    buyer: CHE
    activities: [act]
    authorisation: {date: 2021-01-01, purpose: NDC}
    transfer_lag_days: 0
    use: {policy: on-receipt, purpose: NDC}
"""

LESSON = """\
lesson:
  title: Tiny
  goals: [See one first transfer.]
  steps:
    - title: The tonne is cut
      date: 2021-12-31
      narration: GHA's activity cuts 1,000 t.
    - title: It is sold
      event: {action: first-transfer, agreement: deal}
      narration: GHA first-transfers 1,000 t and CHE uses them.
  questions:
    - id: host-balance
      step: 2
      ask: GHA's balance over 2021-2022?
      figure: {table: attainment, column: balance, party: GHA}
      expected: 200000
      explanation: 99,000 + 100,000 + 1,000 added.
    - id: used
      ask: What did CHE use in 2022?
      figure: {table: balances, column: used, party: CHE, year: 2022}
      expected: 1000
      explanation: The 1,000 t delivered on 2022-01-31.
  what_if:
    label: CHE buys half
    set: {agreements.deal.share: 0.5}
    explanation: Half the tonnes move.
"""


def tiny(lesson: str = LESSON, scenario: str = SCENARIO):
    return lesson_from_text(scenario + lesson, source="tiny.yaml", name="tiny")


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        teach(lesson_from_text(text, source="tiny.yaml", name="tiny"))
    return [str(i) for i in err.value.issues]


# --- the bundled lessons ---------------------------------------------------------------------
def test_there_are_at_least_six_lessons():
    assert len(LESSONS) >= 6, [p.name for p in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_lessons_answers_are_its_expected_values(path):
    run = teach(load_lesson(path))
    assert len(run.answers) >= 3
    for a in run.answers:
        assert a.value is not None, a.question.id
        assert abs(a.value - a.question.expected) <= a.question.tolerance + 1e-9, \
            f"{path.name}: {a.question.id}: engine {a.value}, expected {a.question.expected}"
    days = run.days
    assert all(d is not None for d in days) and days == sorted(days)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_lessons_what_if_reruns_and_changes_something(path):
    lesson = load_lesson(path)
    as_written, what_if = teach(lesson), teach(lesson, what_if=True)
    assert all(d is not None for d in what_if.days)
    changed = [a.question.id for a, b in zip(as_written.answers, what_if.answers) if a.value != b.value]
    assert changed, f"{path.name}: the what-if lever changes none of the questions' figures"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_lessons_steps_add_up(path):
    # Each step's parts (added, subtracted, reversed) sum exactly to after - before, and a
    # step starts where the previous one ended.
    run = teach(load_lesson(path))
    previous = None
    for i in range(len(run.steps)):
        ch = run.changes(i)
        for p, parts in ch["parts"].items():
            assert ch["before"].balance[p] + sum(parts.values()) == ch["after"].balance[p]
        if previous is not None:
            assert ch["before"].balance == previous.balance
        previous = ch["after"]
    final = {r.party: Fraction(r.balance) for r in run.results.attainment.itertuples() if r.balance == r.balance}
    assert {p: v for p, v in previous.balance.items()} == pytest.approx(final)


# --- the timeline, worked by hand --------------------------------------------------------------
def test_the_one_tonne_lesson_step_by_step():
    # one_tonne_two_claims.yaml (Mt): both hosts emit 10 a year and cut 1 Mt in 2022: 49 Mt
    # over 2021-2025; Buyerland emits 20 a year: 100 Mt.
    run = teach(load_lesson(find_lesson("one_tonne_two_claims")))
    mt = 1_000_000
    assert [str(run.date_of(i)) for i in range(5)] == [
        "2022-12-31", "2023-03-31", "2023-04-30", "2023-05-30", "2025-12-31"]
    # step 2: two issuances (and their authorisations), no balance moves
    assert set(run.movements(1)["action"]) == {"issuance", "authorization"}
    # step 3: Cadjia first-transfers 1 Mt (+1 for Cadjia), Buyerland uses it (-1)
    ch = run.changes(2)
    assert ch["before"].balance == {"BYR": 100 * mt, "CAD": 49 * mt, "NOC": 49 * mt}
    assert ch["after"].balance == {"BYR": 99 * mt, "CAD": 50 * mt, "NOC": 49 * mt}
    assert ch["parts"]["CAD"] == {"added": mt, "subtracted": 0, "reversed": 0}
    assert ch["parts"]["BYR"] == {"added": 0, "subtracted": -mt, "reversed": 0}
    assert ch["after"].double_claimed == 0 and ch["after"].net_ca == 0
    # step 4: Nocalia skips its adjustment; Buyerland's use of its tonne is claimed twice
    ch = run.changes(3)
    assert ch["after"].balance == {"BYR": 98 * mt, "CAD": 50 * mt, "NOC": 49 * mt}
    assert ch["after"].double_claimed == mt and ch["after"].net_ca == -mt
    assert list(run.movements(3)[["action", "quantity"]].itertuples(index=False, name=None)) == [
        ("first-transfer", mt), ("use", mt)]
    # the last step moves nothing
    assert run.movements(4).empty
    # what if Nocalia adjusts: +1 Mt for Nocalia at step 4, nothing claimed twice
    wi = teach(run.lesson, what_if=True)
    assert wi.changes(3)["parts"]["NOC"]["added"] == mt
    assert wi.changes(3)["after"].double_claimed == 0


def test_a_reversal_puts_its_tonnes_back_in_the_hosts_balance():
    # A removal of 1,000 t (vintage 2021), 10% to the buffer: 100 t buffered, 900 t first
    # transferred on 2022-01-31 (+900 for GHA). An unavoidable reversal of 50 t on 2022-06-01
    # re-enters GHA's 2022 inventory (+50) and is cancelled from the buffer.
    scenario = SCENARIO.replace(
        'outcome: 1000, issuance_lag_days: 31}',
        'outcome: 1000, issuance_lag_days: 31, kind: removal, buffer_share: 0.1}') + \
        "events:\n  - {date: 2022-06-01, type: reversal, activity: act, quantity: 50, avoidable: false}\n"
    lesson = LESSON.replace("""    - title: It is sold
      event: {action: first-transfer, agreement: deal}
      narration: GHA first-transfers 1,000 t and CHE uses them.""", """    - title: It is sold
      event: {action: first-transfer, agreement: deal}
      narration: GHA first-transfers 900 t and CHE uses them.
    - title: The forest burns
      event: {action: reversal}
      narration: 50 t go back to the atmosphere.""").replace("expected: 200000", "expected: 199950").replace(
        "expected: 1000", "expected: 900")
    run = teach(tiny(lesson, scenario))
    assert [str(run.date_of(i)) for i in range(3)] == ["2021-12-31", "2022-01-31", "2022-06-01"]
    sold, burnt = run.changes(1), run.changes(2)
    # GHA before the sale: 99,000 + 100,000 (the later reversal not yet counted)
    assert sold["before"].balance["GHA"] == 199_000
    assert sold["parts"]["GHA"] == {"added": 900, "subtracted": 0, "reversed": 0}
    assert burnt["parts"]["GHA"] == {"added": 0, "subtracted": 0, "reversed": 50}
    assert burnt["after"].balance["GHA"] == 199_950   # 99,000 + 100,050 + 900 (budget 200,000: met by 50)
    assert list(run.movements(2)[["action", "quantity"]].itertuples(index=False, name=None)) == [("reversal", 50)]
    assert [a.value for a in run.answers] == [199_950, 900]


def test_the_tiny_lesson():
    run = teach(tiny())
    assert [a.value for a in run.answers] == [200_000, 1_000]
    assert [a.unit for a in run.answers] == ["tCO2e", "tCO2e"]
    assert [q.question.id for q in run.questions_at(1)] == ["host-balance", "used"]   # default: the last step
    assert run.questions_at(0) == []
    # what if CHE buys half: 500 t sold, GHA's balance 199,500, CHE used 500
    assert [a.value for a in teach(tiny(), what_if=True).answers] == [199_500, 500]


# --- answers as students type them ---------------------------------------------------------------
@pytest.mark.parametrize("text, value", [("5", 5), (" -1.5 ", -1.5), ("5,000,000", 5e6), ("5 000", 5000),
                                         ("0.333", 0.333)])
def test_parse_answer(text, value):
    assert parse_answer(text) == value


def test_check_answer_uses_the_engines_figure_and_the_tolerance():
    answer = teach(tiny()).answers[0]   # 200,000, tolerance 0
    assert check_answer(answer, "200,000") == (True, "Right.")
    assert check_answer(answer, "200001") == (False, "Not quite.")
    right, message = check_answer(answer, "two hundred")
    assert not right and "'two hundred' is not a number" in message


# --- what bad lesson files get -------------------------------------------------------------------
def test_a_scenario_without_a_lesson_block_is_not_a_lesson():
    assert problems(SCENARIO) == ["tiny.yaml:1: lesson: a lesson file is a scenario with a 'lesson:' block "
                                  "(guide: a6sim docs lessons)"]


def test_field_errors_name_the_line_and_the_lesson_field():
    text = SCENARIO + LESSON.replace("      date: 2021-12-31\n", "      date: 2021-12-31\n      evnt: x\n") \
        .replace("column: balance, party: GHA}", "column: balanse, party: GHA}")
    found = problems(text)
    start = len(SCENARIO.splitlines())
    assert found[0] == f"tiny.yaml:{start + 7}: lesson.steps[0].evnt: unknown field (allowed: title, date, event, " \
                       "narration)"
    assert found[1].startswith(f"tiny.yaml:{start + 16}: lesson.questions[0].figure: column 'balanse' is not a "
                               "numeric figure of attainment; expected one of: target, balance, gap")


def test_names_the_scenario_does_not_have():
    text = SCENARIO + LESSON.replace("agreement: deal}", "agreement: dael}").replace(
        "party: CHE, year: 2022}", "party: CHN, year: 2031}").replace("step: 2", "step: 3") \
        .replace("id: used", "id: host-balance")
    start = len(SCENARIO.splitlines())
    assert problems(text) == [
        f"tiny.yaml:{start + 9}: lesson.steps[1].event.agreement: unknown agreement 'dael'",
        f"tiny.yaml:{start + 13}: lesson.questions[0].step: step 3: the lesson has 2 steps",
        f"tiny.yaml:{start + 18}: lesson.questions[1].id: question id 'host-balance' is used twice",
        f"tiny.yaml:{start + 20}: lesson.questions[1].figure.party: unknown party 'CHN'",
        f"tiny.yaml:{start + 20}: lesson.questions[1].figure.year: 2031 is outside the simulated period 2021-2022",
    ]


def test_a_step_needs_exactly_one_of_date_and_event():
    text = SCENARIO + LESSON.replace("      date: 2021-12-31\n", "")
    start = len(SCENARIO.splitlines())
    assert problems(text) == [f"tiny.yaml:{start + 5}: lesson.steps[0]: give exactly one of date or event"]


def test_steps_out_of_order_and_events_that_never_happen():
    text = SCENARIO + LESSON.replace("date: 2021-12-31", "date: 2022-12-31").replace(
        "event: {action: first-transfer, agreement: deal}", "event: {action: first-transfer, occurrence: 2}")
    start = len(SCENARIO.splitlines())
    assert problems(text) == [
        f"tiny.yaml:{start + 9}: lesson.steps[1].event: no first-transfer movement matches (occurrence 2)"]
    text = SCENARIO + LESSON.replace("date: 2021-12-31", "date: 2022-12-31")
    assert problems(text) == [f"tiny.yaml:{start + 9}: lesson.steps[1].event: steps must go forward in time: "
                              "this one stops before the previous one"]


def test_a_figure_that_matches_no_row():
    text = SCENARIO + LESSON.replace("{table: attainment, column: balance, party: GHA}",
                                     "{table: ledger, column: quantity, action: revocation}")
    start = len(SCENARIO.splitlines())
    assert problems(text) == [
        f"tiny.yaml:{start + 15}: lesson.questions[0].figure: matches no row of the run (check the filters)"]


def test_what_if_paths_and_values_are_checked():
    start = len(SCENARIO.splitlines())
    text = SCENARIO + LESSON.replace("agreements.deal.share: 0.5", "agreements.dael.share: 0.5")
    assert problems(text) == [f"tiny.yaml:{start + 25}: lesson.what_if.set.agreements.dael.share: "
                              "agreements.dael.share: no field 'dael' in agreements"]
    text = SCENARIO + LESSON.replace("agreements.deal.share: 0.5", "agreements.deal.share: 1.5")
    found = problems(text)
    assert len(found) == 1 and found[0].startswith(
        f"tiny.yaml:{start + 25}: lesson.what_if.set: the what-if scenario is not valid: agreements.deal.share:")


def test_apply_settings_walks_ids_with_dots_and_year_keys():
    data = {"parties": {"A.B": {"emissions": {2021: 5}}}, "agreements": {"d": {"price": 1}},
            "events": [{"type": "reversal", "avoidable": True}]}
    out = apply_settings(data, {"parties.A.B.emissions.2021": 7, "agreements.d.cap": 3, "events.0.avoidable": False})
    assert out == {"parties": {"A.B": {"emissions": {2021: 7}}}, "agreements": {"d": {"price": 1, "cap": 3}},
                   "events": [{"type": "reversal", "avoidable": False}]}
    assert data["parties"]["A.B"]["emissions"][2021] == 5        # the original is not touched
    with pytest.raises(KeyError, match="agreements.d.price is not a mapping"):
        apply_settings(data, {"agreements.d.price.x": 1})
    with pytest.raises(KeyError, match=r"events.1: the list has 1 item \(0 to 0\)"):
        apply_settings(data, {"events.1.avoidable": False})


def test_find_lesson_by_name_or_path_and_a_helpful_miss(tmp_path):
    assert find_lesson("one_tonne_two_claims") == LESSON_DIR / "one_tonne_two_claims.yaml"
    path = tmp_path / "mine.yaml"
    path.write_text(SCENARIO + LESSON)
    assert find_lesson(str(path)) == path
    with pytest.raises(FileNotFoundError, match="no lesson 'nope' in .*; lessons: .*one_tonne_two_claims"):
        find_lesson("nope")
    assert load_lesson(path).name == "mine"
