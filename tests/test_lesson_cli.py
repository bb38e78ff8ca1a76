"""``a6sim lesson``: the walkthrough of every bundled lesson, the interactive run, list,
check, handout, and the text and HTML rendering with figures worked out by hand.

Golden files: ``tests/golden/lessons/<name>.txt`` hold the output of
``a6sim lesson run NAME --answers`` for every lesson in ``scenarios/lessons/``. After
an intended change to a lesson or to the rendering, regenerate them with

    A6SIM_UPDATE_GOLDEN=1 python -m pytest tests/test_lesson_cli.py

and read the diff before committing it.
"""
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from a6sim.cli import _parser, main
from a6sim.lessons import LESSON_DIR, lesson_files, lesson_from_text, load_lesson, teach
from a6sim.lessons.handout import handout_html, waterfall_scale, waterfall_svg
from a6sim.lessons.walkthrough import (MovementLine, balance_rows, movement_lines, short_description, step_text,
                                       walkthrough)

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "lessons"
LESSONS = lesson_files(LESSON_DIR)
ONE_TONNE = LESSON_DIR / "one_tonne_two_claims.yaml"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def runs():
    """one_tonne_two_claims as written and with Nocalia adjusting (the what-if)."""
    lesson = load_lesson(ONE_TONNE)
    return teach(lesson), teach(lesson, what_if=True)


def _lesson_text(**replace) -> str:
    """one_tonne_two_claims with each ``old=new`` text replaced once (the old text must be there)."""
    text = ONE_TONNE.read_text(encoding="utf-8")
    for old, new in replace.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- golden walkthroughs -------------------------------------------------------------------
def test_there_are_bundled_lessons():
    assert ONE_TONNE in LESSONS


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_walkthrough_with_answers_matches_golden_file(path, capsys):
    assert main(["lesson", "run", path.stem, "--answers"]) == 0
    out = capsys.readouterr().out
    golden = GOLDEN / f"{path.stem}.txt"
    if os.environ.get("A6SIM_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
        return
    assert golden.exists(), (f"no golden file {golden.relative_to(ROOT)}; create it with: "
                             f"A6SIM_UPDATE_GOLDEN=1 python -m pytest tests/test_lesson_cli.py -k {path.stem}")
    assert out == golden.read_text(encoding="utf-8"), (
        f"the walkthrough of {path.stem} changed; if intended: A6SIM_UPDATE_GOLDEN=1 python -m pytest "
        f"tests/test_lesson_cli.py -k {path.stem}")


def test_walkthrough_has_no_machine_paths(runs):
    text = walkthrough(*runs)
    assert str(ROOT) not in text and "scenarios/lessons" not in text


# --- interactive run -----------------------------------------------------------------------
def _interactive(monkeypatch, capsys, typed: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    status = main(["lesson", "run", "one_tonne_two_claims"])
    return status, capsys.readouterr().out


def test_interactive_run_gives_feedback_and_a_score(monkeypatch, capsys):
    # Steps 1 and 2 have no questions: Enter, Enter. Step 3 asks Q1 (Cadjia's balance:
    # 49 Mt inventory + 1 Mt added = 50): "50" is right. Enter. Step 4 asks Q2 (double
    # claimed: 1 Mt): "2" is wrong. Enter. Step 5 asks Q3 (Nocalia's gap: 49 - 50 = -1)
    # and Q4 (net adjustments: +1 - 2 = -1): "-1" right, "0" wrong. Enter: the what-if.
    status, out = _interactive(monkeypatch, capsys, "\n\n50\n\n2\n\n-1\n0\n\n")
    assert status == 0
    lines = out.splitlines()
    i = lines.index("  Your answer: 50")
    assert lines[i + 1:i + 3] == ["  Right.", "      Answer: 50 MtCO2e"]
    i = lines.index("  Your answer: 2")
    assert lines[i + 1:i + 3] == ["  Not quite.", "      Answer: 1 MtCO2e"]
    assert "What if: Nocalia applies its corresponding adjustment" in out
    assert lines[-1] == "Score: 2 of 4 right."
    assert out.index("Step 3/5") < out.index("Q1.") < out.index("Step 4/5") < out.index("Q2.")


def test_interactive_back_shows_the_step_again_without_asking_again(monkeypatch, capsys):
    # Enter, Enter, Q1 "50", then "b" (back to step 2), Enter (step 3 again, Q1 not
    # asked again), Enter (step 4), Q2 "1" right, then "q".
    status, out = _interactive(monkeypatch, capsys, "\n\n50\nb\n\n\n1\nq\n")
    assert status == 0
    assert out.count("Step 3/5 - 2023-04-30") == 2 and out.count("Step 2/5") == 2
    assert out.count("Q1. What is Cadjia") == 1
    assert "Stopped at step 4/5." in out
    assert out.splitlines()[-1] == "Score so far: 2 of 2 answered right (4 questions in the lesson)."


def test_interactive_unreadable_answer_is_asked_once_more(monkeypatch, capsys):
    status, out = _interactive(monkeypatch, capsys, "\n\nfifty\n5O\n")
    assert status == 0
    assert "  'fifty' is not a number; type digits, for example 5 or -1.5 (one more try)" in out
    assert "  '5O' is not a number; type digits, for example 5 or -1.5\n  Not quite." in out


def test_interactive_end_of_input_stops_with_a_note(monkeypatch, capsys):
    status, out = _interactive(monkeypatch, capsys, "\n")
    assert status == 0
    assert "Step 2/5" in out and "Step 3/5" not in out
    assert "(end of input: the lesson stops here)" in out
    assert out.splitlines()[-1] == "Score so far: 0 of 0 answered right (4 questions in the lesson)."


# --- list, check, unknown name -------------------------------------------------------------
def test_list_shows_every_lesson(capsys):
    assert main(["lesson", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [p.stem for p in LESSONS]
    one = next(line for line in lines if line.startswith("one_tonne_two_claims "))
    assert one.endswith("One tonne, two claims (5 steps, 4 questions)")


def test_list_names_a_broken_lesson_and_exits_2(tmp_path, capsys):
    (tmp_path / "good.yaml").write_text(_lesson_text(), encoding="utf-8")
    text = _lesson_text(party=("column: balance, party: CAD}", "column: balance, party: XYZ}"))
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    assert main(["lesson", "list", "--lessons", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == ["broken  cannot be used: 1 problem (see below)",
                                "good    One tonne, two claims (5 steps, 4 questions)"]
    line = _line_of(text, "party: XYZ")
    assert f"broken.yaml:{line}: lesson.questions[0].figure.party: unknown party 'XYZ'" in err


def test_list_of_a_missing_folder_exits_2(tmp_path, capsys):
    assert main(["lesson", "list", "--lessons", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_check_bundled_lessons_ok(capsys):
    assert main(["lesson", "check", *map(str, LESSONS)]) == 0
    out = capsys.readouterr().out
    assert f"{ONE_TONNE}: ok: One tonne, two claims, 5 steps, 4 questions" in out
    assert out.count(": ok: ") == len(LESSONS)


def test_check_reports_every_problem_with_file_line_and_field(tmp_path, capsys):
    unknown = _lesson_text(party=("column: balance, party: CAD}", "column: balance, party: XYZ}"))
    # Step 1 now stops on 2023-12-31, after step 2 (issuance on 2023-03-31).
    order = _lesson_text(date=("date: 2022-12-31", "date: 2023-12-31"))
    # Cadjia's balance is 49 + 1 = 50 Mt; the lecturer writes 51.
    drift = _lesson_text(expected=("expected: 50", "expected: 51"))
    files = {}
    for name, text in (("unknown", unknown), ("order", order), ("drift", drift)):
        files[name] = tmp_path / f"{name}.yaml"
        files[name].write_text(text, encoding="utf-8")
    assert main(["lesson", "check", str(files["unknown"]), str(files["order"]), str(files["drift"]),
                 str(ONE_TONNE)]) == 2
    out, err = capsys.readouterr()
    assert out == f"{ONE_TONNE}: ok: One tonne, two claims, 5 steps, 4 questions\n"
    assert (f"{files['unknown']}:{_line_of(unknown, 'party: XYZ')}: lesson.questions[0].figure.party: "
            "unknown party 'XYZ'") in err
    assert (f"{files['order']}:{_line_of(order, 'event: {action: issuance')}: lesson.steps[1].event: "
            "steps must go forward in time: this one stops before the previous one") in err
    assert "in the what-if run" not in err          # the same problem of the rerun is reported once
    assert (f"{files['drift']}:{_line_of(drift, 'expected: 51')}: lesson.questions[0].expected: "
            "the lesson expects 51 MtCO2e, the engine's figure is 50 (tolerance 0)") in err
    assert err.count("problem in lesson:") == 3


def test_check_missing_file_exits_2(tmp_path, capsys):
    assert main(["lesson", "check", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: (top level): cannot read file" in capsys.readouterr().err


def test_unknown_lesson_name_lists_the_lessons(capsys):
    assert main(["lesson", "run", "no_such_lesson"]) == 2
    err = capsys.readouterr().err
    assert "no lesson 'no_such_lesson'" in err
    assert all(p.stem in err for p in LESSONS)


def test_run_a_lesson_file_by_path_with_problems_exits_2(tmp_path, capsys):
    path = tmp_path / "drifting.yaml"
    path.write_text(_lesson_text(step=("      event: {action: first-transfer, agreement: byr-cad}",
                                       "      event: {action: revocation, agreement: byr-cad}")), encoding="utf-8")
    assert main(["lesson", "run", str(path), "--answers"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "lesson.steps[2].event: no revocation movement matches (occurrence 1)" in err


def test_lesson_without_command_prints_help(capsys):
    assert main(["lesson"]) == 2
    assert "LESSON_COMMAND" in capsys.readouterr().out


def test_list_through_the_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "a6sim.cli", "lesson", "list"], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "one_tonne_two_claims" in r.stdout and "One tonne, two claims (5 steps, 4 questions)" in r.stdout


# --- handout -------------------------------------------------------------------------------
def test_handout_for_students_has_charts_questions_and_no_answers(tmp_path, capsys):
    out = tmp_path / "handout.html"
    assert main(["lesson", "handout", "one_tonne_two_claims", "--out", str(out)]) == 0
    assert "for students" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert html.count("<svg") == 5 * 3            # 5 steps x 3 NDC parties
    assert "What is Cadjia&#x27;s emissions balance over 2021-2025 (Mt) after its first transfer?" in html
    assert html.count('<div class="blank"></div>') == 4
    assert "Answer:" not in html and "49 Mt of inventory plus" not in html
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"]     # no temporary file left


def test_handout_with_answers(tmp_path):
    out = tmp_path / "answers.html"
    assert main(["lesson", "handout", "one_tonne_two_claims", "--out", str(out), "--answers"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<b>Answer: 50 MtCO2e</b>" in html and "<b>Answer: 1 MtCO2e</b>" in html
    assert "49 Mt of inventory plus the 1 Mt Cadjia adds" in html
    assert '<div class="blank"></div>' not in html
    # The what-if: Nocalia's balance 49 as written, 50 when it adds its tonne back.
    assert "<tr><td>NOC</td><td class=\"num\">50</td><td class=\"num\">49</td><td class=\"num\">50</td></tr>" in html


@pytest.mark.parametrize("where", ["missing/handout.html", "afile/handout.html", "."])
def test_handout_bad_out_exits_2_and_writes_nothing(tmp_path, capsys, where):
    (tmp_path / "afile").write_text("not a folder")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["lesson", "handout", "one_tonne_two_claims", "--out", str(tmp_path / where)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


# --- rendering with figures worked out by hand ---------------------------------------------
def test_step_three_balances_by_hand(runs):
    run, _ = runs
    rows = {b.party: b for b in balance_rows(run, 2)}
    # Cadjia: 5 x 10 Mt - 1 Mt cut in 2022 = 49 Mt; its first transfer adds 1 Mt: 50 = its budget.
    assert (rows["CAD"].before, rows["CAD"].added, rows["CAD"].after, rows["CAD"].target) == (49, 1, 50, 50)
    # Buyerland: 5 x 20 Mt = 100 Mt; it uses 1 Mt: 99 = its budget.
    assert (rows["BYR"].before, rows["BYR"].subtracted, rows["BYR"].after, rows["BYR"].target) == (100, -1, 99, 99)
    # Nocalia: nothing moves for it in this step.
    assert (rows["NOC"].before, rows["NOC"].added, rows["NOC"].after) == (49, 0, 49)
    text = step_text(run, 2)
    assert text.startswith("Step 3/5 - 2023-04-30 - Cadjia transfers, and adds the tonne back\n")
    assert "    CAD        49     +1           0         0     50      50" in text
    assert "    BYR       100      0          -1         0     99      99" in text


def test_step_three_movements(runs):
    run, _ = runs
    assert movement_lines(run, 2) == [
        MovementLine("2023-04-30", "first-transfer", 1.0, "CAD", "BYR", "byr-cad", 1),
        MovementLine("2023-04-30", "use", 1.0, "BYR", "BYR", "byr-cad", 1)]
    assert movement_lines(run, 0) == []


def test_double_claim_appears_at_step_four(runs):
    run, what_if = runs
    # Buyerland used 2 Mt, Cadjia added 1 Mt, Nocalia 0: 1 Mt claimed twice; net -1 Mt.
    assert "Double claimed so far: 0 -> 1 MtCO2e; net of all corresponding adjustments: 0 -> -1 MtCO2e." \
        in step_text(run, 3)
    assert [a.value for a in run.answers] == [50, 1, -1, -1]
    # Nocalia adjusts in the what-if: it adds 1 Mt back, nothing is claimed twice.
    assert [a.value for a in what_if.answers] == [50, 0, 0, 0]
    text = walkthrough(run, what_if)
    assert "    Q2 double-claimed            1        0  MtCO2e" in text
    assert "    NOC        50          49       50" in text


def test_walkthrough_without_answers_hides_them(runs):
    text = walkthrough(*runs, answers=False)
    assert "Q1. What is Cadjia" in text and "Answer:" not in text and "49 Mt of inventory plus" not in text
    assert "The questions' figures" not in text


def test_drift_is_flagged_in_the_walkthrough():
    lesson = lesson_from_text(_lesson_text(expected=("expected: 50", "expected: 51")), "drift.yaml", "drift")
    text = walkthrough(teach(lesson))
    assert ("      Warning: the lesson expects 51 MtCO2e (lesson.questions[0].expected); the engine's figure "
            "differs") in text


def test_handout_escapes_the_lesson_text_and_draws_each_balance(runs):
    run, what_if = runs
    lesson = lesson_from_text(_lesson_text(title=("  title: One tonne, two claims", "  title: <b>Tonnes & claims</b>")))
    html = handout_html(teach(lesson))
    assert "<title>&lt;b&gt;Tonnes &amp; claims&lt;/b&gt;</title>" in html and "<b>Tonnes" not in html
    html = handout_html(run, what_if)
    assert 'aria-label="CAD: 49 -&gt; 50 MtCO2e, target 50"' in html          # step 3
    assert 'aria-label="BYR: 99 -&gt; 98 MtCO2e, target 99"' in html          # step 4


def test_short_description_cuts_after_a_whole_sentence():
    assert short_description("Short.") == "Short."
    text = "A" * 150 + ". " + "B" * 100 + ". Cut here."
    assert short_description(text) == "A" * 150 + ". " + "B" * 100 + ". ..."


def _rects(svg: str) -> dict:
    root = ET.fromstring(svg)
    return {r.get("class"): tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
            for r in root.iter(f"{SVG}rect")}


def test_waterfall_geometry_on_a_cropped_axis():
    # Levels 49, 50, 50, 50 and target 50: span 1, padded by 0.25 each side -> [48.75, 50.25],
    # 120 px for 1.5 -> 80 px per unit; y(v) = 30 + (50.25 - v) x 80: y(49) = 130, y(50) = 50,
    # bottom y(48.75) = 150. Column i is 40 px wide from x = 25; bars 24 px, 8 px in.
    assert waterfall_scale([49, 50, 50, 50, 50]) == (48.75, 50.25)
    svg = waterfall_svg("CAD", 49, 1, 0, 0, 50, "MtCO2e")
    rects = _rects(svg)
    assert rects["before"] == (33, 130, 24, 20)
    assert rects["added"] == (73, 50, 24, 80)
    assert rects["subtracted"] == (113, 50, 24, 0)
    assert rects["reversed"] == (153, 50, 24, 0)
    assert rects["after"] == (193, 50, 24, 100)
    target = next(e for e in ET.fromstring(svg).iter(f"{SVG}line") if e.get("class") == "target")
    assert (float(target.get("y1")), float(target.get("y2"))) == (50, 50)
    assert "bars start at 48.75, not at zero" in svg


def test_waterfall_geometry_from_zero_with_a_subtraction():
    # Levels 4, 4, 2, 3 (no target): lo 2 is no further from zero than the span 2, so
    # the axis starts at 0; top 4 + 0.5 = 4.5 -> 120 / 4.5 px per unit:
    # y(4) = 30 + 0.5 x 26.67 = 43.33; y(3) = 70; y(2) = 96.67; y(0) = 150.
    assert waterfall_scale([4, 4, 2, 3]) == (0.0, 4.5)
    rects = _rects(waterfall_svg("X", 4, 0, -2, 1, None, "t"))
    assert rects["before"] == (33, 43.33, 24, 106.67)
    assert rects["subtracted"] == (113, 43.33, 24, 53.33)
    assert rects["reversed"] == (153, 70, 24, 26.67)
    assert rects["after"] == (193, 70, 24, 80)


# --- documentation -------------------------------------------------------------------------
def test_every_lesson_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lesson = _parser()._subparsers._group_actions[0].choices["lesson"]
    commands = lesson._subparsers._group_actions[0].choices
    assert set(commands) == {"list", "run", "handout", "check"}
    for name, sub in commands.items():
        assert f"a6sim lesson {name}" in readme
        assert sub.description, name
        for action in sub._actions:
            if action.dest == "help":
                continue
            assert action.help, f"lesson {name} {action.dest}"
            assert all(opt in readme for opt in action.option_strings), f"lesson {name} {action.option_strings}"
    assert "docs/lessons.md" in readme


def test_text_outputs_never_replace_a_device_or_a_link(tmp_path, capsys):
    """--out naming a pipe (or /dev/null) is refused: an atomic replace would destroy it.
    A symbolic link is followed: the file it points at is written, the link is kept."""
    import os
    import stat
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["lesson", "handout", "one_tonne_two_claims", "--out", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert main(["schema", "--out", str(fifo)]) == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target, link = tmp_path / "real.html", tmp_path / "link.html"
    target.write_text("old")
    link.symlink_to(target)
    assert main(["lesson", "handout", "one_tonne_two_claims", "--out", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith("<!DOCTYPE html")
