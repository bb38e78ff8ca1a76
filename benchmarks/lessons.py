"""Benchmark the lessons: what a lecturer and a classroom wait for.

    python benchmarks/lessons.py [--repeat 5] [--json FILE]

For every lesson in ``scenarios/lessons/`` (median over the repeats, in one process,
after one warm-up):

* ``load``: read and check the lesson file (``load_lesson``);
* ``teach``: simulate it and place its steps, as written and with its what-if
  (``teach`` twice);
* ``steps``: the balances before and after every step, both runs (``changes``);
* ``walkthrough``: the text of ``a6sim lesson run NAME --answers``;
* ``handout``: the HTML of ``a6sim lesson handout NAME --answers``;
* ``page``: the classroom page body for every step, both runs, with facilitator mode
  (what the server builds for one click on Next), from runs already remembered.

Times are wall-clock (``time.perf_counter``) on whatever machine runs it; on a shared
machine run it alone.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from a6sim.lessons import LESSON_DIR, lesson_files, load_lesson, teach  # noqa: E402
from a6sim.lessons.handout import handout_html  # noqa: E402
from a6sim.lessons.walkthrough import walkthrough  # noqa: E402


def measure(path: Path) -> dict:
    from a6sim.dashboard.pages.classroom import body, initial_state
    from a6sim.dashboard.teaching import LessonShelf
    out = {}
    t = time.perf_counter()
    lesson = load_lesson(path)
    out["load"] = time.perf_counter() - t
    t = time.perf_counter()
    run, alt = teach(lesson), teach(lesson, what_if=True)
    out["teach"] = time.perf_counter() - t
    t = time.perf_counter()
    for r in (run, alt):
        for i in range(len(r.steps)):
            r.changes(i)
    out["steps"] = time.perf_counter() - t
    t = time.perf_counter()
    walkthrough(run, alt, answers=True)
    out["walkthrough"] = time.perf_counter() - t
    t = time.perf_counter()
    handout_html(run, alt, answers=True)
    out["handout"] = time.perf_counter() - t
    shelf = LessonShelf(path.parent)
    state = initial_state(shelf, {"lesson": path.stem, "facilitator": True})
    shelf.run(path.stem), shelf.run(path.stem, what_if=True)
    t = time.perf_counter()
    n = 0
    for what_if in (False, True):
        for i in range(len(run.steps)):
            body(shelf, {**state, "step": i, "what_if": what_if})
            n += 1
    out["page"] = (time.perf_counter() - t) / n
    out["steps_count"] = len(run.steps)
    out["ledger_rows"] = len(run.results.ledger)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=5, help="repeats per lesson (median reported)")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)
    rows = {}
    for path in lesson_files(LESSON_DIR):
        measure(path)   # warm-up (imports, first pandas calls)
        runs = [measure(path) for _ in range(args.repeat)]
        rows[path.stem] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    keys = ["load", "teach", "steps", "walkthrough", "handout", "page"]
    print(f"{'lesson':32} {'steps':>5} {'rows':>5} " + " ".join(f"{k:>11}" for k in keys))
    for name, r in rows.items():
        print(f"{name:32} {r['steps_count']:>5} {r['ledger_rows']:>5} "
              + " ".join(f"{r[k] * 1000:>9.1f}ms" for k in keys))
    print("page: one classroom page body (one click on Next), mean over steps and both runs")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
