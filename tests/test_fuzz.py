"""A seeded mutation fuzzer over the bundled scenarios and lessons.

Each case breaks one bundled file in one way (a hostile value, a lost or doubled line,
bad bytes, an alias bomb, deep nesting, a truncation, ...) and runs the command on it
in this process. Every case must end in exit status 0, or 2 with every problem located
as ``file:line: ``; never a traceback (any exception out of the command fails the
case); a refused file writes nothing; a case takes at most ``CASE_SECONDS``. Scenarios
that validate are also run (up to ``RUNS`` of them) and must exit 0 with a valid
``summary.json``.

``A6SIM_FUZZ_CASES`` sets the number of cases (default 300), ``A6SIM_FUZZ_SEED`` the
seed (default 2026), ``A6SIM_FUZZ_RUNS`` how many accepted scenarios are run.
``python tests/test_fuzz.py`` runs the fuzzer alone and prints the outcomes by kind.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LESSONS = sorted((ROOT / "scenarios" / "lessons").glob("*.yaml"))
CASES = int(os.environ.get("A6SIM_FUZZ_CASES", "300"))
SEED = int(os.environ.get("A6SIM_FUZZ_SEED", "2026"))
RUNS = int(os.environ.get("A6SIM_FUZZ_RUNS", "8"))
CASE_SECONDS = 30
LOCATED = re.compile(r"^  .+:\d+: ")

HOSTILE = [
    ".inf", "-.inf", ".nan", "1.0e+308", "-1.0e+308", "1.0e+15", "-1", "0", "-0.0", "1e400", "9" * 5000,
    "2021-02-30", "2022-13-01", "0000-00-00", "2021-01-01 25:00:00", "!!float abc", "!!int 1.5", "!!binary aGk=",
    "!!python/object/apply:os.system ['true']", "!foo bar", "~", "null", "[]", "{}", "''", '"\\x00"', "\x00",
    "\x07", "\x1b[31m", "*undefined", "&a [*a]", "[" * 3000 + "]" * 3000, "x" * 100_000, "6.4", "6.3", "true",
    "yes", "0x1F", "0o17", "1_000", "1:30:00", "<<: {a: 1}", "? [a]", "'unterminated", "{a: 1", "- item",
    "\ud800", "\ufeff", "2021", "3000", "1899", "-2021", "0.5", "1.5", "ZZZ", "GHA", "CHE", "6.2", "é",
]
BOMB = "lol: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &l{i} [{', '.join(['*l' + str(i - 1)] * 9)}]\n" for i in range(1, 9))


def _mutate(rng: random.Random, text: str) -> bytes:
    """One way of breaking ``text``."""
    lines = text.splitlines(keepends=True) or ["\n"]
    i = rng.randrange(len(lines))
    kind = rng.randrange(14)
    if kind <= 3:                                  # a hostile value in place of a value
        line = lines[i]
        if ":" in line:
            head = line.split(":", 1)[0]
            lines[i] = f"{head}: {rng.choice(HOSTILE)}\n"
        else:
            lines[i] = line.rstrip("\n") + " " + rng.choice(HOSTILE) + "\n"
    elif kind == 4:                                # a lost line
        del lines[i]
    elif kind == 5:                                # a doubled line
        lines.insert(i, lines[i])
    elif kind == 6:                                # two lines swapped
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 7:                                # indentation broken
        lines[i] = (" " * rng.choice([1, 2, 3, 4, 8])) + lines[i] if rng.random() < 0.6 else lines[i].lstrip()
    elif kind == 8:                                # bytes that are not UTF-8 (or controls)
        raw = "".join(lines).encode()
        at = rng.randrange(len(raw) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6)))
        return raw[:at] + junk + raw[at:]
    elif kind == 9:                                # truncated
        raw = "".join(lines).encode()
        return raw[:rng.randrange(len(raw) + 1)]
    elif kind == 10:                               # an alias bomb or deep nesting
        lines.insert(i, rng.choice([BOMB, "deep: " + "[" * 5000 + "]" * 5000 + "\n",
                                    "deep: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n"]))
    elif kind == 11:                               # a number scaled out of range
        nums = [(m.start(), m.end()) for m in re.finditer(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", "".join(lines))]
        whole = "".join(lines)
        if nums:
            a, b = rng.choice(nums)
            whole = whole[:a] + rng.choice(["1000000000", "-5", "0", "1.0e+300", "99999999999999"]) + whole[b:]
        return whole.encode()
    elif kind == 12:                               # a key renamed
        line = lines[i]
        if ":" in line:
            head, rest = line.split(":", 1)
            lines[i] = head[:len(head) - len(head.lstrip())] + rng.choice(
                ["colour", "outcome", "price", "ndc", "type", "date", "a6sim", "seed", "period"]) + ":" + rest
    else:                                          # a random character replaced
        whole = "".join(lines)
        at = rng.randrange(len(whole) + 1)
        whole = whole[:at] + rng.choice(["\t", ":", "-", "[", "{", "&", "*", "!", "|", ">", "%", "@", "`", "\"", "'",
                                         "#", "\r"]) + whole[at + 1:]
        return whole.encode("utf-8", "surrogatepass")
    return "".join(lines).encode("utf-8", "surrogatepass")


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    def _raise(*_):
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _call(argv: list[str]) -> tuple[int, str, str]:
    from a6sim.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:          # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _kind(err: str) -> str:
    """What a refusal was about, from its first problem."""
    first = next((line for line in err.splitlines() if LOCATED.match(line)), "")
    msg = first.split(": ", 2)[-1] if first.count(": ") >= 2 else first
    for words, kind in (("invalid YAML", "YAML syntax or tag"), ("not UTF-8", "not UTF-8"),
                        ("is not allowed in YAML", "control character"), ("alias", "alias (bomb, recursive, undefined)"),
                        ("nesting", "nesting depth"), ("finite", "not finite"), ("must be <", "out of bounds"),
                        ("must be >", "out of bounds"), ("more than 4,300", "huge integer"),
                        ("a date like", "date"), ("unknown field", "unknown field"),
                        ("required field missing", "missing field"), ("duplicate key", "duplicate key"),
                        ("expected", "wrong type or value"), ("empty", "empty file")):
        if words in msg:
            return kind
    return "semantic check"


def fuzz(cases: int, seed: int, folder: Path, runs: int = RUNS) -> tuple[Counter, list[str]]:
    """Run ``cases`` cases; return the outcomes by kind and the failures."""
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    failures: list[str] = []
    runs_left = runs
    sources = [(p, "scenario") for p in SCENARIOS] + [(p, "lesson") for p in LESSONS]
    texts = {p: p.read_text(encoding="utf-8") for p, _ in sources}
    slowest = 0.0
    for case in range(cases):
        source, what = rng.choice(sources)
        data = _mutate(rng, texts[source])
        case_dir = folder / f"case{case}"
        case_dir.mkdir()
        path = case_dir / source.name
        path.write_bytes(data)
        argv = ["validate", str(path)] if what == "scenario" else ["lesson", "check", str(path)]
        label = f"case {case} ({what} {source.name}, seed {seed})"
        started = time.perf_counter()
        try:
            with _time_limit(CASE_SECONDS):
                code, out, err = _call(argv)
                if code == 0 and what == "scenario" and runs_left > 0:
                    runs_left -= 1
                    out_dir = case_dir / "out"
                    code_run, _, err_run = _call(["run", str(path), "--out", str(out_dir), "--quiet"])
                    if code_run != 0:
                        failures.append(f"{label}: validate 0 but run {code_run}: {err_run[-300:]}")
                    else:
                        json.loads((out_dir / "summary.json").read_text(),
                                   parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
                        outcomes["accepted and run"] += 1
                elif code == 2 and what == "scenario":
                    code_run, _, _ = _call(["run", str(path), "--out", str(case_dir / "out")])
                    if code_run != 2:
                        failures.append(f"{label}: validate 2 but run {code_run}")
        except _Timeout:
            failures.append(f"{label}: longer than {CASE_SECONDS} s")
            continue
        except BaseException as exc:       # a traceback
            import traceback
            failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}\n{traceback.format_exc()[-1500:]}")
            continue
        slowest = max(slowest, time.perf_counter() - started)
        left = sorted(p.name for p in case_dir.iterdir())
        if code == 0:
            outcomes["accepted"] += 1
            if left not in ([source.name], sorted([source.name, "out"])):
                failures.append(f"{label}: stray files {left}")
        elif code == 2:
            problems = [line for line in err.splitlines()[1:] if line.strip()]
            unlocated = [line for line in problems if not LOCATED.match(line)]
            if not problems or unlocated:
                failures.append(f"{label}: exit 2 without a located message: {(unlocated or [err])[0][:200]}")
            if left != [source.name]:
                failures.append(f"{label}: a refused file wrote {left}")
            outcomes["refused: " + _kind(err)] += 1
        else:
            failures.append(f"{label}: exit {code}: {err[-300:]}")
    outcomes["slowest case (ms)"] = round(slowest * 1000)
    return outcomes, failures


def test_mutated_scenarios_and_lessons_are_accepted_or_refused_with_a_located_message(tmp_path):
    outcomes, failures = fuzz(CASES, SEED, tmp_path)
    assert failures == []
    assert sum(v for k, v in outcomes.items() if k.startswith("refused")) > CASES // 2
    assert outcomes["accepted"] > 0


if __name__ == "__main__":
    import tempfile
    n = int(sys.argv[1]) if len(sys.argv) > 1 else CASES
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        found, failed = fuzz(n, SEED, Path(tmp), runs=int(os.environ.get("A6SIM_FUZZ_RUNS", n)))
        print(f"{n} cases (seed {SEED}) in {time.perf_counter() - started:.0f} s")
        for k, v in sorted(found.items(), key=lambda kv: -kv[1]):
            print(f"  {v:6}  {k}")
        print(f"  {len(failed):6}  failures")
        for f in failed[:50]:
            print("   ", f)
    pytest  # noqa: B018 (imported for the test above)
