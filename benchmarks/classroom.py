"""Benchmark the classroom page in headless Chromium: how long a student waits.

    python benchmarks/classroom.py [--json FILE] [--screenshot FILE]

Starts ``a6sim dashboard`` on a free port (as benchmarks/dashboard.py does), opens
``/classroom`` in one browser session and, for every lesson in ``scenarios/lessons/``:
opens it (a page load with the lesson chosen), clicks Next through every step (until
the new step's title and its charts are drawn), answers the first question of each
step that has one (until the feedback is drawn), switches the what-if lever on (until
its note is drawn) and clicks Back once. Times are wall clock from the click to the
drawn result, medians and maxima per kind; console errors are counted.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _dashboard_bench():
    """benchmarks/dashboard.py, loaded under its own name (``dashboard`` is the app's package)."""
    spec = importlib.util.spec_from_file_location("dashboard_bench", HERE / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_bench = _dashboard_bench()
CHROMIUM, CHROMIUM_ARGS, Server = _bench.CHROMIUM, _bench.CHROMIUM_ARGS, _bench.Server


def screenshot(url: str, path: Path) -> None:
    """The README's classroom image: step 3 of one_tonne_two_claims, one question answered."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "/classroom")
        page.evaluate("() => sessionStorage.setItem('classroom', JSON.stringify({lesson: 'one_tonne_two_claims', "
                      "step: 2, answers: {one_tonne_two_claims: {'cadjia-balance': {text: '50', right: true}}}}))")
        page.reload()
        page.wait_for_selector("#classroom-body .js-plotly-plot .main-svg")
        page.wait_for_timeout(1000)
        top = page.locator("#classroom-body > div > div.d-flex").bounding_box()["y"] - 10   # the step buttons
        page.screenshot(path=str(path), clip={"x": 0, "y": top, "width": 1400, "height": 1080}, full_page=True)
        browser.close()


def bench(url: str) -> dict:
    from playwright.sync_api import expect, sync_playwright
    from a6sim.lessons import LESSON_DIR, lesson_files
    times: dict[str, list[float]] = {"open lesson": [], "next": [], "answer": [], "what-if": [], "back": []}
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/classroom")
        page.wait_for_selector("#classroom-body .js-plotly-plot .main-svg")
        for path in lesson_files(LESSON_DIR):
            t = time.perf_counter()
            page.evaluate("n => sessionStorage.setItem('classroom', JSON.stringify({lesson: n, step: 0}))", path.stem)
            page.reload()
            page.wait_for_selector("#classroom-body .js-plotly-plot .main-svg")
            times["open lesson"].append(time.perf_counter() - t)
            title = page.locator("#classroom-step-title")
            n = int(title.inner_text().split(" of ")[1].split(" ")[0])
            for k in range(1, n):
                t = time.perf_counter()
                page.click("#classroom-next")
                expect(title).to_contain_text(f"Step {k + 1} of {n}")
                page.wait_for_selector("#classroom-body .js-plotly-plot .main-svg")
                times["next"].append(time.perf_counter() - t)
                boxes = page.locator("input[id*='classroom-answer']")
                if boxes.count():
                    t = time.perf_counter()
                    boxes.first.fill("1")
                    boxes.first.press("Enter")
                    page.wait_for_selector("[id*='classroom-feedback'] .alert")
                    times["answer"].append(time.perf_counter() - t)
            t = time.perf_counter()
            page.locator("#classroom-what-if").check()
            page.wait_for_selector("#classroom-what-if-note")
            times["what-if"].append(time.perf_counter() - t)
            t = time.perf_counter()
            page.click("#classroom-back")
            expect(title).to_contain_text(f"Step {n - 1} of {n}")
            times["back"].append(time.perf_counter() - t)
        browser.close()
    return {"interactions": {k: {"n": len(v), "median_s": round(statistics.median(v), 3),
                                 "max_s": round(max(v), 3)} for k, v in times.items()},
            "console_errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the classroom page in headless Chromium.")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--screenshot", metavar="FILE", help="also save the README's classroom image (PNG)")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        ap.error(f"{CHROMIUM} not found")
    with tempfile.TemporaryDirectory(prefix="a6sim-classroom-bench-") as tmp:
        cache = Path(tmp) / "cache"
        cache.mkdir()
        server = Server(ROOT / "scenarios", cache, 16, Path(tmp) / "server.log")
        server.start()
        try:
            doc = bench(server.url)
            if args.screenshot:
                screenshot(server.url, Path(args.screenshot))
        finally:
            server.stop()
    for kind, r in doc["interactions"].items():
        print(f"{kind:12} n={r['n']:3}  median {r['median_s']:.2f} s  max {r['max_s']:.2f} s")
    print(f"console errors: {len(doc['console_errors'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2))
    return 1 if doc["console_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
