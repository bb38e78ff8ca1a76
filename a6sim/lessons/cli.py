"""``a6sim lesson``: list, run (step by step, or the walkthrough with the answers),
write a handout, check lesson files (docs/lessons.md).

Exit status as for every a6sim command: 0 success; 2 bad input (an unknown lesson,
a lesson with problems, an unusable --out), with nothing written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_lesson_parser", "lesson_command", "interactive", "check_lesson", "EXAMPLES"]

EXAMPLES = """examples:
  a6sim lesson list
  a6sim lesson run one_tonne_two_claims
  a6sim lesson run one_tonne_two_claims --answers
  a6sim lesson handout one_tonne_two_claims --out handout.html --answers
  a6sim lesson check scenarios/lessons/*.yaml
"""

NEXT = "press Enter for the next step, b to go back, q to quit"
LAST = "press Enter for the what-if, b to go back, q to quit"


def add_lesson_parser(sub) -> None:
    """Register ``a6sim lesson`` and its commands on the top-level subparsers."""
    raw = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("lesson", help="teaching lessons: list, run, handout, check",
                       formatter_class=raw, epilog=EXAMPLES,
                       description="Teaching lessons: small scenarios to step through in time, with "
                                   "questions answered by the simulation itself (guide: a6sim docs lessons). "
                                   "'a6sim lesson list' shows the bundled lessons.")
    cmds = p.add_subparsers(dest="lesson_command", metavar="LESSON_COMMAND")
    folder_help = "the folder of lessons (default: the bundled lessons, see a6sim lesson list)"

    ls = cmds.add_parser("list", help="list the lessons with their titles",
                         description="List the lessons of a folder: name, title, number of steps and "
                                     "questions. A lesson file with problems is listed with them, and the "
                                     "exit status is 2.")
    ls.add_argument("--lessons", metavar="DIR", help=folder_help)

    r = cmds.add_parser("run", help="step through a lesson and answer its questions",
                        description="Step through a lesson: each step's narration, ledger movements and "
                                    "NDC balances; Enter goes on, b goes back, q quits. Each question reads "
                                    "an answer and shows the engine's answer and the explanation; the score "
                                    "comes at the end. End of input stops the lesson (exit status 0).")
    r.add_argument("name", metavar="NAME", help="a lesson name (its file name without .yaml) or a lesson file")
    r.add_argument("--answers", action="store_true",
                   help="print the whole walkthrough with the answers instead (no questions asked)")
    r.add_argument("--lessons", metavar="DIR", help=folder_help)

    h = cmds.add_parser("handout", help="write a printable HTML handout of a lesson",
                        description="Write a self-contained printable HTML page (no scripts, no network): "
                                    "goals, steps with their movements and a waterfall chart of each NDC "
                                    "balance, the questions with blank answer lines, and the what-if. The "
                                    "file is written atomically.")
    h.add_argument("name", metavar="NAME", help="a lesson name (its file name without .yaml) or a lesson file")
    h.add_argument("--out", required=True, metavar="FILE.html", help="the HTML file to write (its folder must exist)")
    h.add_argument("--answers", action="store_true",
                   help="the lecturer's edition: answers and explanations instead of blank lines")
    h.add_argument("--lessons", metavar="DIR", help=folder_help)

    c = cmds.add_parser("check", help="check lesson files; exit 0 or 2 with every problem",
                        description="Read, run and rerun (with the what-if) each lesson file. Prints one "
                                    "line per good file; otherwise every problem as file:line: field: "
                                    "problem (including an expected value the engine disagrees with), and "
                                    "exits 2.")
    c.add_argument("files", nargs="+", metavar="FILE", help="lesson YAML file(s)")
    p.set_defaults(lesson_parser=p)


def lesson_command(args) -> int:
    """Run the ``a6sim lesson`` command the arguments name."""
    if args.lesson_command is None:
        args.lesson_parser.print_help()
        return 2
    return {"list": _list, "run": _run, "handout": _handout, "check": _check}[args.lesson_command](args)


# --- shared ------------------------------------------------------------------------------
def _error(message: str) -> int:
    print(f"a6sim: {message}", file=sys.stderr)
    return 2


def _problems(issues) -> str:
    """Every problem as ``file:line: field: problem``, in file order, each once."""
    from ..scenario import ScenarioError
    unique = list({str(i): i for i in issues}.values())
    text = str(ScenarioError(unique))
    return text.replace(" in scenario:", " in lesson:", 1)


def _folder(args):
    from .catalogue import LESSON_DIR
    return Path(args.lessons) if args.lessons else LESSON_DIR


def _lesson_runs(args, what_if: bool = True):
    """``(run, what_if_run)`` of the lesson named by ``args.name``; raises ``LookupError``
    (unknown name or folder) or ``ScenarioError``."""
    from . import find_lesson, load_lesson, teach
    folder = _folder(args)
    if args.lessons and not folder.is_dir():
        raise LookupError(f"--lessons {args.lessons}: not a folder")
    try:
        path = find_lesson(args.name, folder)
    except FileNotFoundError as exc:
        raise LookupError(str(exc)) from None
    lesson = load_lesson(path)
    return teach(lesson), (teach(lesson, what_if=True) if what_if else None)


# --- list --------------------------------------------------------------------------------
def _list(args) -> int:
    from ..scenario import ScenarioError
    from . import lesson_files, load_lesson
    folder = _folder(args)
    if not folder.is_dir():
        return _error(f"--lessons {args.lessons}: not a folder")
    files = lesson_files(folder)
    if not files:
        print(f"no lessons (*.yaml) in {folder}")
        return 0
    width = max(len(f.stem) for f in files)
    status = 0
    for f in files:
        try:
            lesson = load_lesson(f)
        except ScenarioError as exc:
            n = len(exc.issues)
            print(f"{f.stem:<{width}}  cannot be used: {n} problem{'s' if n != 1 else ''} (see below)")
            print(_problems(exc.issues), file=sys.stderr)
            status = 2
            continue
        m = lesson.model
        print(f"{f.stem:<{width}}  {m.title} ({len(m.steps)} steps, {len(m.questions)} questions)")
    return status


# --- run ---------------------------------------------------------------------------------
def _run(args) -> int:
    from ..scenario import ScenarioError
    from .walkthrough import walkthrough
    try:
        run, what_if_run = _lesson_runs(args)
    except LookupError as exc:
        return _error(exc.args[0])
    except ScenarioError as exc:
        print(_problems(exc.issues), file=sys.stderr)
        return 2
    if args.answers:
        sys.stdout.write(walkthrough(run, what_if_run, answers=True))
        return 0
    return interactive(run, what_if_run, sys.stdin, sys.stdout)


class _Stop(Exception):
    """The student quit, or the input ended."""


def interactive(run, what_if_run, stdin, stdout) -> int:
    """Step through the lesson reading from ``stdin``: Enter = next step, ``b`` = back,
    ``q`` = quit; each question is asked once, when its step is first shown. End of input
    stops the lesson with a note. Returns the exit status (0)."""
    from .walkthrough import header_text, question_number, step_text, what_if_text
    echo = not stdin.isatty()            # piped input: show what was read, so the transcript reads well

    def say(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    def read(prompt: str) -> str:
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:
            say()
            say("(end of input: the lesson stops here)")
            raise _Stop
        if echo:
            say(line.rstrip("\n"))
        return line.strip()

    score: dict[int, bool] = {}
    say(header_text(run.lesson))
    i, n = 0, len(run.steps)
    try:
        while i < n:
            say()
            say()
            say(step_text(run, i))
            for answer in run.questions_at(i):
                k = question_number(run, answer) - 1
                if k not in score:
                    score[k] = _ask(run, answer, k, say, read)
            choice = read(f"\n[{LAST if i == n - 1 else NEXT}] ").lower()
            if choice == "q":
                say(f"Stopped at step {i + 1}/{n}.")
                raise _Stop
            i = max(i - 1, 0) if choice == "b" else i + 1
    except _Stop:
        say(_score_line(score, len(run.answers), finished=False))
        return 0
    say()
    say()
    say(what_if_text(run, what_if_run, answers=True))
    say()
    say(_score_line(score, len(run.answers), finished=True))
    return 0


def _ask(run, answer, index: int, say, read) -> bool:
    """Ask one question (an answer that is not a number is asked again once); True if right."""
    from . import check_answer, parse_answer
    from .walkthrough import answer_text, question_text
    say()
    say(question_text(run, answer))
    for attempt in (1, 2):
        text = read("  Your answer: ")
        try:
            parse_answer(text)
        except ValueError:
            _, hint = check_answer(answer, text)
            say(f"  {hint}" + (" (one more try)" if attempt == 1 else ""))
            continue
        break
    right, feedback = check_answer(answer, text)
    say(f"  {feedback if right else 'Not quite.'}")
    say(answer_text(answer, index))
    return right


def _score_line(score: dict, total: int, finished: bool) -> str:
    right = sum(score.values())
    if finished:
        return f"Score: {right} of {total} right."
    return f"Score so far: {right} of {len(score)} answered right ({total} questions in the lesson)."


# --- handout -----------------------------------------------------------------------------
def _handout(args) -> int:
    from ..io.textfile import OutputError, check_text_destination, write_text_atomically
    from ..scenario import ScenarioError
    from .handout import handout_html
    out = Path(args.out)
    try:
        check_text_destination(out)
    except OutputError as exc:
        return _error(f"--out {args.out}: {exc}; nothing was written")
    try:
        run, what_if_run = _lesson_runs(args)
    except LookupError as exc:
        return _error(exc.args[0])
    except ScenarioError as exc:
        print(_problems(exc.issues), file=sys.stderr)
        return 2
    try:
        write_text_atomically(out, handout_html(run, what_if_run, answers=args.answers))
    except OSError as exc:
        return _error(f"--out {args.out}: cannot write: {exc.strerror or exc}; nothing was written")
    print(f"handout of {run.lesson.name} ({'with answers' if args.answers else 'for students'}) written to {out}")
    return 0


# --- check -------------------------------------------------------------------------------
def _check(args) -> int:
    status = 0
    for path in args.files:
        issues, lesson = check_lesson(path)
        if issues:
            print(_problems(issues), file=sys.stderr)
            status = 2
        else:
            m = lesson.model
            print(f"{path}: ok: {m.title}, {len(m.steps)} steps, {len(m.questions)} questions")
    return status


def check_lesson(path) -> tuple[list, object]:
    """``(issues, lesson)``: every problem of a lesson file, as written and in its what-if
    run, including each ``expected`` value further than its tolerance from the engine's."""
    from ..scenario import ScenarioError
    from ..scenario.errors import Issue
    from . import load_lesson, teach
    from .figures import fmt
    try:
        lesson = load_lesson(path)
    except ScenarioError as exc:
        return list(exc.issues), None
    issues, run = [], None
    try:
        run = teach(lesson)
    except ScenarioError as exc:
        issues += exc.issues
    try:
        teach(lesson, what_if=True)
    except ScenarioError as exc:             # a problem of both runs is reported once
        seen = {(i.path, i.message) for i in issues}
        issues += [i for i in exc.issues if (i.path, i.message.removesuffix(" in the what-if run")) not in seen]
    for i, a in enumerate(run.answers if run is not None else []):
        if a.value is not None and a.drift:
            where = ("lesson", "questions", i, "expected")
            q = a.question
            issues.append(Issue(lesson.source, lesson.line(*where), where,
                                f"the lesson expects {fmt(q.expected, 6)} {a.unit}, the engine's figure is "
                                f"{fmt(a.value, 6)} (tolerance {fmt(q.tolerance, 6)})"))
    return issues, lesson
