"""Benchmark the a6sim dashboard in a real headless browser.

    python benchmarks/dashboard.py [--quick] [--json FILE] [--sessions 8] [--threads 16]
                                   [--steps 1,2,3] [--server-log FILE] [--timeout 60]
    python benchmarks/dashboard.py --screenshots docs/images

What is measured, and how
-------------------------
The script starts the dashboard with its own command (``a6sim dashboard --port 0``, in
a subprocess of its own process group, on the free port the server reports), with
``--cache-dir`` in a temporary folder and ``--scenarios`` pointing at a temporary copy of
the bundled ``scenarios/*.yaml`` plus ``synthetic_world.yaml``, the synthetic world of
:data:`synthetic.TARGET_SIZE` (150 parties, 3000 activities, 1500 agreements, 15 years;
written with ``yaml.safe_dump(sort_keys=False)``). It drives Chromium
(``/usr/bin/chromium``, headless, through Playwright's async API; viewport 1400x900).

*Latency* of an interaction is measured inside the page, on the page's own clock: from
the ``timeStamp`` of the first ``pointerdown`` or ``keydown`` event of the action (a
capture listener installed by ``page.add_init_script``) to the first animation frame at
which the expected content is in the DOM (``page.wait_for_function`` polling on
``requestAnimationFrame``, returning ``performance.now()``). So the figure includes the
request, the server callback, the response, React's render and plotly's drawing, and
nothing of Playwright's own round trips. What "the expected content" is:

* pick a scenario: the dropdown shows the file, ``#scenario-description`` shows its
  description and the levers panel holds the price lever of its first agreement;
* Run: ``#attainment-table`` is in ``#run-result``, the session's ``runs`` store (session
  storage) has one more run and ``#run-button`` is enabled again;
* lever edit (type an agreement price, press Enter): ``#edit-status`` names the new price;
* results pages (a click on the navigation link): the page title is the page's and
  every ``dcc.Graph`` of the page has drawn (``.js-plotly-plot`` with ``.main-svg``, no
  longer ``dash-graph--pending``); for /ledger, AG Grid cells with text in loaded rows;
* the scenario page (synthetic world only): the levers and the results are back.

*Main-thread blocking*: a ``PerformanceObserver`` for ``longtask`` entries (tasks over
50 ms) is installed before any page script runs; per interaction the longest long task
overlapping it is reported (a heartbeat ``setInterval`` of 50 ms records late ticks as a
cross-check). A long task over 2 s counts as the page *freezing*.

*Response sizes*: every ``_dash-update-component`` response is recorded (its
``Content-Length``, or its body length) with the callback output named in the request;
per interaction the largest is reported.

*Runs and the cache*: the server's result cache (a diskcache folder) is read from this
process to count stored runs before and after each run: a cold run must add one, a warm
run (a second fresh browser context running the same scenario) must add none.

Steps
-----
1. Every bundled scenario, each in a fresh browser context: pick it, Run (cold), Run the
   same in a second fresh context (warm: answered from the cache), edit its first
   agreement's price, Run the edited scenario (cold), then visit /ndc, /integrity,
   /units, /money, /network, /ledger, /compare (two runs to compare). Target: every
   interaction < 1 s.
2. The synthetic world (skipped with ``--quick``): pick, Run, the six results pages,
   back to the scenario page, a lever edit, a second Run, /compare; latency, server time,
   longest long task and largest response per step. A step that fails (the page froze
   past ``--synthetic-timeout``) is followed by a fresh session so the rest is measured.
3. ``--sessions`` (8) concurrent sessions: one context each, cycling through the bundled
   scenarios, each with its own price (no cache hit), all clicking Run at once
   (``asyncio.gather``); meanwhile a probe context with a finished run navigates
   /integrity <-> /ndc again and again. Reported: the 8 times to results and the probe's
   latency under load (from the first click to the last result shown) against the same
   probe idle just before, with the server's share (time to first byte of its callback).
   If a run never shows, the server's child processes still alive are listed with their
   kernel wait channel. Target: all 8 finish, the probe never waits 2 s or more, no errors.

The browser and the server share the machine: with 9 pages and 8 runs on few cores, part
of every latency in step 3 is the browser waiting for a core.

Console errors, page errors, failed requests and HTTP responses >= 400 are collected in
every context, and tracebacks in the server's stderr; they should all be none.

``--screenshots DIR`` writes the README screenshots instead of measuring (1400x900,
device scale factor 1): ``scenario.png`` (singapore_mongolia.yaml after a run, levers shown),
``ndc.png`` (NDC accounts of averaging_pitfall.yaml) and ``units.png`` (the Sankey of
article64_project.yaml: share of proceeds and OMGE).

Exit status: 0 when every target passes, 1 otherwise (2 if the server does not start).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:   # for synthetic.py; appended: this file must not shadow the dashboard package
    sys.path.append(str(HERE))

from synthetic import TARGET_SIZE, synthetic_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1400, "height": 900}
SYNTHETIC_FILE = "synthetic_world.yaml"
TARGET_S = 1.0            # every interaction on a bundled scenario
FREEZE_S = 2.0            # a long task over this freezes the page
PROBE_BOUND_S = 2.0       # the probe's worst latency under load
MAX_SCREENSHOT_BYTES = 400 * 1024
# README screenshots: scenario file -> [(page, file name)]; "/" is the scenario page after the run
SCREENSHOTS = (("singapore_mongolia.yaml", (("/", "scenario.png"),)),
               ("averaging_pitfall.yaml", (("/ndc", "ndc.png"),)),
               ("article64_project.yaml", (("/units", "units.png"),)))
RESULT_PAGES = {"/ndc": "NDC accounts", "/integrity": "Integrity", "/units": "Units", "/money": "Money",
                "/network": "Network", "/ledger": "Ledger", "/compare": "Compare"}

# --- in-page instrumentation (installed before any page script) -------------------------------
INIT_JS = r"""
(() => {
  if (window.__a6) return;
  const a6 = window.__a6 = {input: null, armed: 0, longtasks: [], gaps: [], hidden: [], resources: [],
                            runEnds: 0, longtaskSupported: true};
  a6.arm = () => { a6.input = null; a6.armed = performance.now(); };
  const mark = e => { if (a6.input === null && e.isTrusted) a6.input = e.timeStamp; };
  addEventListener('pointerdown', mark, true);
  addEventListener('keydown', mark, true);
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) a6.longtasks.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (err) { a6.longtaskSupported = false; }
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries())
        if (!e.name.includes('_dash-update-component') && e.decodedBodySize > 100000)
          a6.resources.push([e.startTime, e.duration, e.name.split('/').pop().split('?')[0], e.decodedBodySize]);
    }).observe({type: 'resource', buffered: true});
  } catch (err) {}
  // a run ends when #run-button goes from disabled to enabled (the background callback's running state)
  new MutationObserver(ms => {
    for (const m of ms)
      if (m.target.id === 'run-button' && m.oldValue !== null && !m.target.disabled) a6.runEnds += 1;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['disabled'], attributeOldValue: true});
  // heartbeat: late ticks (main thread blocked) and time the page is hidden by the loading spinner
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 250) a6.gaps.push([last, now - last]);
    const b = document.getElementById('run-button');
    if (b && !b.checkVisibility({visibilityProperty: true})) a6.hidden.push([last, now - last]);
    last = now;
  }, 50);
  // what happened since t0 (long tasks and gaps overlapping it)
  a6.window = (t0) => {
    const over = xs => xs.filter(x => x[0] + x[1] >= t0);
    const lt = over(a6.longtasks), gp = over(a6.gaps);
    return {now: performance.now(), origin: performance.timeOrigin, input: a6.input, armed: a6.armed,
            longtask_max: lt.reduce((m, x) => Math.max(m, x[1]), 0), longtasks: lt.length,
            longtask_total: lt.reduce((s, x) => s + x[1], 0),
            gap_max: gp.reduce((m, x) => Math.max(m, x[1]), 0), longtask_supported: a6.longtaskSupported,
            hidden: over(a6.hidden).reduce((s, x) => s + x[1], 0), runEnds: a6.runEnds,
            resources: a6.resources.filter(x => x[0] >= t0).map(x => [x[2], x[3], x[1]])};
  };
})();
"""

NORM_JS = "const norm = s => (s || '').replace(/\\s+/g, ' ').trim();"

PICK_DONE_JS = "([file, desc, lever]) => {" + NORM_JS + """
  const v = document.querySelector('#scenario-pick-value');
  const d = document.querySelector('#scenario-description');
  const ok = v && v.textContent.includes('(' + file + ')') && d && norm(d.textContent).startsWith(desc)
             && document.getElementById(lever);
  return ok ? performance.now() : false;
}"""

RUN_DONE_JS = """([ends, name]) => {
  const b = document.querySelector('#run-button');
  const head = document.querySelector('#run-result .card-header');
  const ok = window.__a6.runEnds > ends && b && !b.disabled && document.querySelector('#run-result #attainment-table')
             && head && head.textContent.includes(name);
  return ok ? performance.now() : false;
}"""

EDIT_DONE_JS = """(want) => {
  const e = document.querySelector('#edit-status');
  return e && e.textContent.includes(want) ? performance.now() : false;
}"""

PAGE_DONE_JS = """([title, kind]) => {
  const h = document.querySelector('#page h2.a6-page-title');
  if (!h || !h.textContent.trim().startsWith(title)) return false;
  let ok;
  if (kind === 'grid') {
    ok = [...document.querySelectorAll('#ledger-grid .ag-row:not(.ag-row-loading) .ag-cell-value')]
      .some(c => c.textContent.trim() !== '');
  } else {
    const gs = [...document.querySelectorAll('#page .dash-graph')];
    ok = gs.length > 0 && gs.every(g => g.querySelector('.js-plotly-plot:not(.dash-graph--pending) .main-svg'));
  }
  return ok ? performance.now() : false;
}"""

SCENARIO_PAGE_DONE_JS = """(lever) => {
  const ok = document.getElementById(lever) && document.querySelector('#run-result #attainment-table')
             && !document.querySelector('#page h2.a6-page-title');
  return ok ? performance.now() : false;
}"""


def lever_dom_id(lever_id: str) -> str:
    """The DOM id Dash gives the pattern-matching id ``{"type": "lever", "id": lever_id}``."""
    return json.dumps({"id": lever_id, "type": "lever"}, separators=(",", ":"), sort_keys=True)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


# --- the scenarios ------------------------------------------------------------------------------
class Scenario:
    """What the benchmark needs of one scenario file: its description and a price lever."""

    def __init__(self, path: Path):
        import a6sim
        sc = a6sim.load_scenario(path)
        self.file = path.name
        self.name = sc.model.name
        self.description = norm(sc.model.description)[:60]
        self.agreement = next(iter(sc.model.agreements))
        price = sc.model.agreements[self.agreement].price
        self.price = float(price) if isinstance(price, (int, float)) else None   # None: a price by year
        self.lever = f"agreements/{self.agreement}/price"

    def new_price(self, offset: int) -> int:
        return round(self.price if self.price is not None else 20) + offset


def prepare_scenarios(folder: Path, with_synthetic: bool, seed: int) -> dict:
    """Copy the bundled scenarios (and write the synthetic world) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        shutil.copy2(path, folder / path.name)
    info = {}
    if with_synthetic:
        t0 = time.perf_counter()
        world = synthetic_world(**TARGET_SIZE, seed=seed)
        text = yaml.safe_dump(world, sort_keys=False)
        (folder / SYNTHETIC_FILE).write_text(text, encoding="utf-8")
        info = {"bytes": len(text.encode()), "generate_and_dump_s": time.perf_counter() - t0,
                "size": dict(TARGET_SIZE), "seed": seed}
    return info


# --- the server ------------------------------------------------------------------------------------
class Server:
    """``a6sim dashboard`` in a subprocess (its own process group), on a free port."""

    def __init__(self, scenarios: Path, cache_dir: Path, threads: int, log: Path):
        self.scenarios, self.cache_dir, self.threads, self.log_path = scenarios, cache_dir, threads, log
        self.proc: subprocess.Popen | None = None
        self.url: str | None = None
        self.stdout: list[str] = []
        self._cache = None

    def command(self) -> list[str]:
        script = Path(sys.executable).with_name("a6sim")
        head = [str(script)] if script.is_file() else [sys.executable, "-m", "a6sim"]
        return head + ["dashboard", "--host", "127.0.0.1", "--port", "0", "--threads", str(self.threads),
                       "--scenarios", str(self.scenarios), "--cache-dir", str(self.cache_dir)]

    def start(self, timeout: float = 300) -> float:
        t0 = time.perf_counter()
        self._log = open(self.log_path, "w")  # noqa: SIM115 -- open while the server runs
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=self._log, text=True,
                                     start_new_session=True, cwd=str(self.cache_dir.parent))
        lines: queue.Queue = queue.Queue()

        def reader():
            for line in self.proc.stdout:
                self.stdout.append(line.rstrip("\n"))
                lines.put(line)
        threading.Thread(target=reader, daemon=True).start()
        while time.perf_counter() - t0 < timeout:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            m = re.search(r"a6sim dashboard on http://[^:/]+:(\d+)/", line)
            if m:
                self.url = f"http://127.0.0.1:{m.group(1)}"
                return time.perf_counter() - t0
        raise RuntimeError(f"the dashboard did not start (exit status {self.proc.poll()}); "
                           f"stderr:\n{self.stderr_tail()}")

    def stderr_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stderr_tail(self, lines: int = 40) -> str:
        return "\n".join(self.stderr_text().splitlines()[-lines:])

    def server_errors(self) -> list[str]:
        """Tracebacks (first and last lines) and other error lines the server wrote to its stderr."""
        out, block = [], []
        for line in self.stderr_text().splitlines() + [""]:
            if block:
                if line.startswith((" ", "\t", "During handling", "The above")) or not line.strip():
                    block.append(line)
                    continue
                block.append(line)   # the exception line ends the traceback
                lines = [x for x in block if x.strip()]
                out.append("\n".join(lines[:1] + (["  ..."] if len(lines) > 9 else []) + lines[-8:]))
                block = []
            elif line.startswith("Traceback"):
                block = [line]
            elif re.search(r"\b(ERROR|CRITICAL)\b|Exception|Error:", line):
                out.append(line)
        return out

    def runs_done(self) -> int:
        """Runs stored in the server's result cache (read through diskcache, as the server does)."""
        import diskcache
        if self._cache is None:
            self._cache = diskcache.Cache(str(self.cache_dir / "runs"))
        return sum(1 for k in self._cache.iterkeys() if isinstance(k, tuple) and k and k[0] == "run")

    def children(self) -> list[str]:
        """The server's other processes (its fork server and background runs, all in the session
        it leads): pid, parent, state, elapsed time, kernel wait channel, command (cut)."""
        if self.proc is None:
            return []
        try:
            out = subprocess.run(["ps", "-o", "pid=,ppid=,stat=,etime=,wchan:32=,args=", "--sid", str(self.proc.pid)],
                                 capture_output=True, text=True, timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        rows = [" ".join(line.split())[:120] for line in out.splitlines() if line.strip()]
        return [r for r in rows if r.split(" ", 1)[0] != str(self.proc.pid)]

    def stop(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:   # the server, and any run still going in a process it forked
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()


# --- browser sessions ----------------------------------------------------------------------------
class Problems:
    """Console errors, page errors, failed requests and responses >= 400, from every context."""

    def __init__(self):
        self.console: list[dict] = []
        self.page_errors: list[dict] = []
        self.failed: list[dict] = []
        self.http: list[dict] = []
        self.warnings = 0

    def as_dict(self) -> dict:
        return {"console_errors": self.console, "page_errors": self.page_errors,
                "failed_requests": self.failed, "http_errors": self.http, "console_warnings": self.warnings}

    def count(self) -> int:
        return len(self.console) + len(self.page_errors) + len(self.failed) + len(self.http)


class Session:
    """One browser context with one page, instrumented."""

    def __init__(self, bench: Bench, name: str):
        self.bench, self.name = bench, name
        self.context = self.page = None
        self.responses: list[dict] = []
        self.timings: list[dict] = []    # server time of each finished callback request
        self.inflight = 0
        self.last_activity = time.perf_counter()
        self.timeout_s = 60.0

    async def open(self, timeout_s: float = 60.0) -> Session:
        b = self.bench
        self.timeout_s = timeout_s
        self.context = await b.browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        await self.context.add_init_script(INIT_JS)
        self.page = await self.context.new_page()
        self.page.set_default_timeout(timeout_s * 1000)
        p, name, problems = self.page, self.name, b.problems

        def on_console(msg):
            if msg.type == "error":
                problems.console.append({"session": name, "text": msg.text[:500],
                                         "location": (msg.location or {}).get("url", "")})
            elif msg.type == "warning":
                problems.warnings += 1

        def on_request(req):
            if "_dash-update-component" in req.url:
                self.inflight += 1
                self.last_activity = time.perf_counter()

        def on_request_done(req):
            if "_dash-update-component" in req.url:
                self.inflight -= 1
                self.last_activity = time.perf_counter()
                t = req.timing or {}
                if t.get("responseStart", -1) >= 0 and t.get("requestStart", -1) >= 0:
                    # time to first byte: queueing in waitress plus the callback itself
                    self.timings.append({"output": _output_of(req) or "",
                                         "ttfb_s": (t["responseStart"] - t["requestStart"]) / 1000})

        def on_failed(req):
            on_request_done(req)
            problems.failed.append({"session": name, "url": req.url, "failure": req.failure,
                                    "output": _output_of(req)})

        def on_response(resp):
            if resp.status >= 400:
                problems.http.append({"session": name, "status": resp.status, "url": resp.url,
                                      "output": _output_of(resp.request)})
            if "_dash-update-component" not in resp.url:
                return
            output = _output_of(resp.request) or ""
            rec = {"t": time.perf_counter(), "status": resp.status, "output": output, "bytes": None,
                   # a background run started (not a poll of one): the run callback without cacheKey
                   "run_job": "run-result.children" in output and "cacheKey=" not in resp.url}
            size = resp.headers.get("content-length")
            if size is not None:
                rec["bytes"] = int(size)
            elif resp.status == 200:
                rec["_body"] = asyncio.ensure_future(resp.body())
            self.responses.append(rec)

        p.on("console", on_console)
        p.on("pageerror", lambda exc: problems.page_errors.append({"session": name, "error": str(exc)[:500]}))
        p.on("request", on_request)
        p.on("requestfinished", on_request_done)
        p.on("requestfailed", on_failed)
        p.on("response", on_response)
        return self

    async def settle(self, quiet_s: float = 0.6) -> None:
        """Wait until no callback request has been in flight for ``quiet_s`` and no run is going."""
        t_end = time.perf_counter() + self.timeout_s
        while time.perf_counter() < t_end:
            busy = await self.page.evaluate(
                "() => { const b = document.getElementById('run-button'); return !!(b && b.disabled); }")
            if not busy and self.inflight <= 0 and time.perf_counter() - self.last_activity >= quiet_s:
                return
            await asyncio.sleep(0.1)

    async def goto(self) -> dict:
        """Open the dashboard, wait for the scenario page and let it settle. Reports what the load did."""
        page = self.page
        t0 = time.perf_counter()
        n_resp = len(self.responses)
        await page.goto(self.bench.url + "/", wait_until="load")
        await page.wait_for_function(
            "() => document.querySelector('#levers input, #levers select') && "
            "document.querySelector('#edit-status').textContent.length > 0", polling="raf")
        shown = time.perf_counter() - t0
        await self.settle()
        w = await page.evaluate("() => window.__a6.window(0)")
        runs = await page.evaluate("() => JSON.parse(sessionStorage.getItem('runs') || '[]')")
        return {"shown_s": shown, "settled_s": time.perf_counter() - t0, "hidden_s": w["hidden"] / 1000,
                "run_jobs_started": sum(r["run_job"] for r in self.responses[n_resp:]),
                "runs_in_session": [r.get("label") for r in runs or []]}

    async def current_file(self) -> str:
        text = await self.page.text_content("#scenario-pick-value") or ""
        m = re.search(r"\(([^()]+\.yaml)\)\s*$", text.strip())
        return m.group(1) if m else ""

    async def measure(self, action, done_js: str, arg=None, settle: bool = True) -> dict:
        """Run ``action`` and wait for ``done_js``; latency from the input event to the content."""
        page = self.page
        await page.evaluate("() => window.__a6.arm()")
        t_wall = time.perf_counter()
        n_resp, n_tim = len(self.responses), len(self.timings)
        out: dict = {"ok": False}
        try:
            await action()
            handle = await page.wait_for_function(done_js, arg=arg, polling="raf")
            done = await handle.json_value()
            out["ok"] = True
        except Exception as exc:   # noqa: BLE001 -- a timeout or a broken page is a result too
            out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            done = None
        out["wall_s"] = time.perf_counter() - t_wall
        if settle and out["ok"]:
            await self.settle()
        try:
            w = await page.evaluate("() => window.__a6.window(window.__a6.armed)")
        except Exception:  # noqa: BLE001
            w = {}
        start = w.get("input") if w.get("input") is not None else w.get("armed")
        out["latency_s"] = (done - start) / 1000 if (done is not None and start is not None) else None
        out["input_seen"] = w.get("input") is not None
        out["done_epoch_ms"] = w["origin"] + done if done is not None and "origin" in w else None
        out["input_epoch_ms"] = w["origin"] + start if start is not None and "origin" in w else None
        out["longtask_max_s"] = w.get("longtask_max", 0) / 1000
        out["longtasks"] = w.get("longtasks", 0)
        out["longtask_total_s"] = w.get("longtask_total", 0) / 1000
        out["heartbeat_gap_max_s"] = w.get("gap_max", 0) / 1000
        out["longtask_supported"] = w.get("longtask_supported")
        out["hidden_by_spinner_s"] = w.get("hidden", 0) / 1000
        out["big_downloads"] = [{"file": f, "bytes": n, "ms": round(ms)} for f, n, ms in w.get("resources", [])]
        responses = self.responses[n_resp:]
        for r in responses:
            if "_body" in r:
                try:
                    r["bytes"] = len(await r.pop("_body"))
                except Exception:  # noqa: BLE001
                    r.pop("_body", None)
        sized = [r for r in responses if r["bytes"] is not None]
        biggest = max(sized, key=lambda r: r["bytes"], default=None)
        out["responses"] = len(responses)
        out["response_bytes_total"] = sum(r["bytes"] for r in sized)
        out["response_max_bytes"] = biggest["bytes"] if biggest else 0
        out["response_max_output"] = biggest["output"] if biggest else None
        out["run_jobs_started"] = sum(r["run_job"] for r in responses)
        slowest = max(self.timings[n_tim:], key=lambda r: r["ttfb_s"], default=None)
        out["server_max_s"] = slowest["ttfb_s"] if slowest else None
        out["server_max_output"] = slowest["output"] if slowest else None
        return out

    # the interactions
    async def pick(self, sc: Scenario) -> dict:
        page = self.page
        await page.click("#scenario-pick")
        option = page.locator("[role=option]", has_text=f"({sc.file})")
        await option.wait_for(state="visible")
        await option.scroll_into_view_if_needed()
        return await self.measure(option.click, PICK_DONE_JS, [sc.file, sc.description, lever_dom_id(sc.lever)])

    async def run_ends(self) -> int:
        return await self.page.evaluate("() => window.__a6.runEnds")

    async def run(self, sc: Scenario) -> dict:
        ends = await self.run_ends()
        return await self.measure(lambda: self.page.click("#run-button"), RUN_DONE_JS, [ends, sc.name])

    async def edit_price(self, sc: Scenario, value: int) -> dict:
        box = self.page.locator(f"[id='{lever_dom_id(sc.lever)}']")
        await box.scroll_into_view_if_needed()
        await box.fill(str(value))
        return await self.measure(lambda: box.press("Enter"), EDIT_DONE_JS, f"{sc.agreement} price {value}")

    async def visit(self, path: str, settle: bool = True) -> dict:
        kind = "grid" if path == "/ledger" else "graphs"
        link = self.page.locator(f"a.nav-link[href='{path}']")
        return await self.measure(link.click, PAGE_DONE_JS, [RESULT_PAGES[path], kind], settle=settle)

    async def visit_scenario_page(self, sc: Scenario) -> dict:
        link = self.page.locator("a.nav-link[href='/']")
        return await self.measure(link.click, SCENARIO_PAGE_DONE_JS, lever_dom_id(sc.lever))

    async def close(self) -> None:
        for r in self.responses:
            fut = r.pop("_body", None)
            if fut is not None:
                fut.cancel()
        if self.context is not None:
            await self.context.close()


def _output_of(request) -> str | None:
    try:
        data = json.loads(request.post_data or "null")
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    out = str(data.get("output", ""))
    return out if len(out) <= 90 else out[:87] + "..."


class Bench:
    def __init__(self, browser, url: str, server: Server):
        self.browser, self.url, self.server = browser, url, server
        self.problems = Problems()

    async def session(self, name: str, timeout_s: float = 60.0) -> Session:
        return await Session(self, name).open(timeout_s)


# --- step 1: every bundled scenario -------------------------------------------------------------
async def bundled_step(bench: Bench, scenarios: list[Scenario], timeout_s: float) -> list[dict]:
    rows = []
    for sc in scenarios:
        print(f"  {sc.file:<30}", end="", flush=True)
        rec: dict = {"scenario": sc.file, "interactions": {}, "runs_added": {}, "loads": []}
        it = rec["interactions"]
        a = await bench.session(f"{sc.file}:A", timeout_s)
        try:
            rec["loads"].append(await a.goto())
            if await a.current_file() == sc.file:   # the default: pick another first, then this one
                await a.pick(next(s for s in scenarios if s.file != sc.file))
            it["pick"] = await a.pick(sc)
            n0 = bench.server.runs_done()
            first = await a.run(sc)
            n1 = bench.server.runs_done()
            # the first run of a scenario is cold unless something ran it before (see the report)
            it["run (cold)" if n1 - n0 == 1 else "run (first, was cached)"] = first
            b = await bench.session(f"{sc.file}:B", timeout_s)
            try:
                rec["loads"].append(await b.goto())
                if await b.current_file() != sc.file:
                    await b.pick(sc)
                it["run (warm, cached)"] = await b.run(sc)
            finally:
                await b.close()
            n2 = bench.server.runs_done()
            it["lever edit"] = await a.edit_price(sc, sc.new_price(7))
            it["run (edited, cold)"] = await a.run(sc)
            n3 = bench.server.runs_done()
            for path in RESULT_PAGES:
                it[f"page {path}"] = await a.visit(path)
            it["page / (scenario)"] = await a.visit_scenario_page(sc)
            n4 = bench.server.runs_done()
            rec["runs_added"] = {"first": n1 - n0, "warm": n2 - n1, "edited": n3 - n2, "pages": n4 - n3}
        finally:
            await a.close()
        ok = [m["latency_s"] for m in it.values() if m["ok"]]
        bad = [k for k, m in it.items() if not m["ok"]]
        print(f"worst {max(ok, default=0):.3f} s" + (f"  FAILED: {', '.join(bad)}" if bad else ""), flush=True)
        rows.append(rec)
    return rows


def _kind_summary(items: list) -> dict:
    """``items``: [(where, measure)] -> n, median, max, worst, ..."""
    lat = [m["latency_s"] for _, m in items if m["ok"] and m["latency_s"] is not None]
    worst = max(items, key=lambda x: (not x[1]["ok"], x[1].get("latency_s") or 0))
    return {"n": len(items), "failed": sum(not m["ok"] for _, m in items),
            "median_s": statistics.median(lat) if lat else None, "max_s": max(lat) if lat else None,
            "worst": worst[0], "longtask_max_s": max(m["longtask_max_s"] for _, m in items),
            "hidden_max_s": max(m["hidden_by_spinner_s"] for _, m in items),
            "response_max_bytes": max(m["response_max_bytes"] for _, m in items),
            "run_jobs_started": sum(m["run_jobs_started"] for _, m in items),
            "over_target": sum(1 for x in lat if x >= TARGET_S)}


def summarise_bundled(rows: list[dict]) -> dict:
    kinds: dict[str, list] = {}
    for rec in rows:
        for kind, m in rec["interactions"].items():
            kinds.setdefault(kind, []).append((rec["scenario"], m))
    out = {kind: _kind_summary(items) for kind, items in kinds.items()}
    pages = [(f"{rec['scenario']} {k[5:]}", m) for rec in rows for k, m in rec["interactions"].items()
             if k.startswith("page /") and k != "page / (scenario)"]
    if pages:
        out["all results pages"] = _kind_summary(pages)
    return out


# --- step 2: the synthetic world ---------------------------------------------------------------
async def synthetic_step(bench: Bench, sc: Scenario, timeout_s: float) -> dict:
    """Pick, run, the results pages, back to the scenario page, a lever edit, a second run, /compare.

    When a step fails (a timeout: the page froze), the session is abandoned and a fresh one picks and
    runs the world again (a cache hit) so that the remaining steps are still measured."""
    steps: dict[str, dict] = {}
    recoveries: list[dict] = []
    box = {"s": await bench.session("synthetic", timeout_s)}
    plan = [("pick", lambda: box["s"].pick(sc)), ("run", lambda: box["s"].run(sc))]
    plan += [(f"page {path}", lambda path=path: box["s"].visit(path)) for path in RESULT_PAGES if path != "/compare"]
    plan += [("page / (scenario)", lambda: box["s"].visit_scenario_page(sc)),
             ("lever edit", lambda: box["s"].edit_price(sc, sc.new_price(7))),
             ("run (edited)", lambda: box["s"].run(sc)),
             ("page /compare", lambda: box["s"].visit("/compare"))]

    async def recover(after: str) -> bool:
        await box["s"].close()
        box["s"] = await bench.session(f"synthetic (fresh, after {after})", timeout_s)
        rec = {"after": after, "load": await box["s"].goto()}
        recoveries.append(rec)
        rec["pick"] = await box["s"].pick(sc)
        if rec["pick"]["ok"]:
            rec["run"] = await box["s"].run(sc)
        ok = rec["pick"]["ok"] and rec["run"]["ok"]
        print(f"  {'(fresh session)':<22}pick {_s(rec['pick']['latency_s'], 2)} s, run "
              f"{_s(rec.get('run', {}).get('latency_s'), 2)} s" + ("" if ok else "  FAILED"), flush=True)
        return ok

    try:
        load = await box["s"].goto()
        for name, step in plan:
            n0 = bench.server.runs_done()
            m = steps[name] = await step()
            m["runs_added"] = bench.server.runs_done() - n0
            print(f"  {name:<22}{_s(m.get('latency_s'), 2):>8} s  long task max {m['longtask_max_s']:.2f} s  "
                  f"largest response {_kb(m['response_max_bytes'])}"
                  + ("" if m["ok"] else f"  FAILED ({m.get('error')})"), flush=True)
            if not m["ok"] and name != plan[-1][0] and not await recover(name):
                break
    finally:
        await box["s"].close()
    return {"load": load, "steps": steps, "recoveries": recoveries}


# --- step 3: concurrent sessions ------------------------------------------------------------------
async def concurrency_step(bench: Bench, scenarios: list[Scenario], sessions: int, timeout_s: float,
                           idle_rounds: int = 10) -> dict:
    probe_sc = scenarios[0]
    picks = [scenarios[k % len(scenarios)] for k in range(sessions)]
    prices = [sc.new_price(11 + k) for k, sc in enumerate(picks)]
    probe = await bench.session("probe", timeout_s)
    users: list[Session] = []
    try:
        await probe.goto()
        if await probe.current_file() != probe_sc.file:
            await probe.pick(probe_sc)
        await probe.run(probe_sc)
        await probe.visit("/ndc")

        async def probe_round(stamp: list):
            for path in ("/integrity", "/ndc"):
                m = await probe.visit(path, settle=False)
                stamp.append({"path": path, "ok": m["ok"], "latency_s": m["latency_s"],
                              "server_s": m["server_max_s"],
                              "start_epoch_ms": m["input_epoch_ms"], "end_epoch_ms": m["done_epoch_ms"],
                              "longtask_max_s": m["longtask_max_s"], "error": m.get("error")})

        idle: list = []
        for _ in range(idle_rounds):
            await probe_round(idle)

        # the sessions: each its own scenario (cycling) and its own price: no cache hit
        users = list(await asyncio.gather(*(bench.session(f"load{k}:{sc.file}", timeout_s)
                                            for k, sc in enumerate(picks))))
        loads = await asyncio.gather(*(u.goto() for u in users))

        async def prepare(u: Session, sc: Scenario, price: int):
            if await u.current_file() != sc.file:
                await u.pick(sc)
            m = await u.edit_price(sc, price)
            if not m["ok"]:
                raise RuntimeError(f"{u.name}: lever edit failed: {m.get('error')}")
            ends = await u.run_ends()
            await u.page.evaluate("() => window.__a6.arm()")
            return ends
        ends = await asyncio.gather(*(prepare(u, sc, pr) for u, sc, pr in zip(users, picks, prices)))
        n0 = bench.server.runs_done()

        done = asyncio.Event()
        under: list = []

        async def probe_loop():
            while not done.is_set():
                await probe_round(under)

        async def wait_result(u: Session, sc: Scenario, before: int):
            try:
                h = await u.page.wait_for_function(RUN_DONE_JS, arg=[before, sc.name], polling="raf")
                t = await h.json_value()
                w = await u.page.evaluate("() => window.__a6.window(window.__a6.armed)")
                return {"ok": True, "click_epoch_ms": w["origin"] + w["input"] if w["input"] is not None else None,
                        "done_epoch_ms": w["origin"] + t, "longtask_max_s": w["longtask_max"] / 1000,
                        "hidden_by_spinner_s": w["hidden"] / 1000}
            except Exception as exc:  # noqa: BLE001
                return {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}

        probe_task = asyncio.create_task(probe_loop())
        await asyncio.sleep(0.3)   # let the probe get going
        await asyncio.gather(*(u.page.click("#run-button") for u in users))
        results = await asyncio.gather(*(wait_result(u, sc, e) for u, sc, e in zip(users, picks, ends)))
        t_wait_end = time.time() * 1000
        # a run that never showed: is its background process still alive, and waiting on what?
        stuck = bench.server.children() if not all(r["ok"] for r in results) else []
        done.set()
        await probe_task
        n1 = bench.server.runs_done()
    finally:
        for u in users:
            await u.close()
        await probe.close()

    clicks = [r["click_epoch_ms"] for r in results if r.get("click_epoch_ms") is not None]
    t_click0 = min(clicks) if clicks else None
    finished = [r["done_epoch_ms"] for r in results if r["ok"]]
    # the load lasts until the last run is shown (a run that never shows keeps no core busy: it is
    # reported as failed, not as load)
    t_end = max(finished) if finished else t_wait_end
    rows = []
    for u, sc, price, r in zip(users, picks, prices, results):
        row = {"session": u.name, "scenario": sc.file, "price": price, **r}
        if r["ok"] and r.get("click_epoch_ms") is not None:
            row["time_to_results_s"] = (r["done_epoch_ms"] - r["click_epoch_ms"]) / 1000
            row["since_first_click_s"] = (r["done_epoch_ms"] - t_click0) / 1000
        rows.append(row)
    during = [p for p in under if t_click0 is not None and t_end is not None and p["start_epoch_ms"] is not None
              and p["start_epoch_ms"] < t_end and (p["end_epoch_ms"] or 1e30) > t_click0]

    def stats(xs):
        lat = [p["latency_s"] for p in xs if p["ok"] and p["latency_s"] is not None]
        srv = [p["server_s"] for p in xs if p.get("server_s") is not None]
        return {"n": len(xs), "failed": sum(not p["ok"] for p in xs),
                "server_median_s": statistics.median(srv) if srv else None, "server_max_s": max(srv, default=None),
                "median_s": statistics.median(lat) if lat else None, "max_s": max(lat) if lat else None,
                "longtask_max_s": max((p["longtask_max_s"] for p in xs), default=0)}
    return {"sessions": rows, "click_spread_s": (max(clicks) - min(clicks)) / 1000 if clicks else None,
            "load_duration_s": (t_end - t_click0) / 1000 if t_click0 and t_end else None,
            "runs_added": n1 - n0, "probe_idle": stats(idle), "probe_under_load": stats(during),
            "server_children_when_a_run_never_showed": stuck,
            "session_loads": loads,
            "probe_samples": {"idle": idle, "under_load": during, "after_load": [p for p in under if p not in during]}}


# --- screenshots -------------------------------------------------------------------------------------
async def screenshots(bench: Bench, by_file: dict, out: Path, timeout_s: float) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []

    async def settle(page):
        await page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)
        await page.evaluate("() => window.scrollTo(0, 0)")
        await page.wait_for_timeout(800)   # let plotly finish transitions

    async def shot(page, name):
        path = out / name
        await page.screenshot(path=str(path), full_page=False, animations="disabled")
        size = path.stat().st_size
        shots.append({"file": str(path), "bytes": size, "ok": size < MAX_SCREENSHOT_BYTES})
        print(f"  {path}  {size / 1024:.0f} KB" + ("" if size < MAX_SCREENSHOT_BYTES else "  (over 400 KB!)"))

    async def run_of(session: Session, sc: Scenario):
        await session.goto()
        if await session.current_file() != sc.file:
            m = await session.pick(sc)
            if not m["ok"]:
                raise RuntimeError(f"pick {sc.file}: {m.get('error')}")
        m = await session.run(sc)
        if not m["ok"]:
            raise RuntimeError(f"run {sc.file}: {m.get('error')}")
        await session.page.wait_for_function(
            "() => [...document.querySelectorAll('#run-result .dash-graph')].every("
            "g => g.querySelector('.js-plotly-plot:not(.dash-graph--pending) .main-svg'))", polling="raf")

    for file, pages in SCREENSHOTS:
        s = await bench.session(f"screenshots:{file}", timeout_s)
        try:
            await run_of(s, by_file[file])
            for path, name in pages:
                if path != "/":
                    m = await s.visit(path)
                    if not m["ok"]:
                        raise RuntimeError(f"{file} {path}: {m.get('error')}")
                await settle(s.page)
                await shot(s.page, name)
        finally:
            await s.close()
    return shots


# --- the report ------------------------------------------------------------------------------------
def _s(x, digits=3):
    return "-" if x is None else f"{x:.{digits}f}"


def _kb(n):
    return "-" if not n else (f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB")


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def report(doc: dict) -> dict:
    """Print the tables; return the targets {name: pass}."""
    targets = {}
    unrequested = []   # run jobs started without a click on Run
    m = doc.get("machine", {})
    loads = " ".join(f"{k} {v:.1f};" for k, v in (m.get("load_average") or {}).items() if v is not None)
    print(f"\nmachine: {m.get('cpus')} CPUs, python {m.get('python')}, chromium {m.get('chromium')}; commit "
          f"{doc.get('commit')}; server and browser on the same machine")
    print(f"load average (1 min): at start {_s(m.get('load_average_at_start'), 1)}; {loads or '-'} "
          f"(after the start, this benchmark's own server and browser count too)")
    if (m.get("load_average_at_start") or 0) > 0.5 * (m.get("cpus") or 1):
        print("note: the machine was busy with other work when the benchmark started: timings may be inflated")
    b = doc.get("bundled")
    if b:
        print(f"\n1. Interactions on the {len(b['scenarios'])} bundled scenarios (latency from the input event to "
              f"the rendered content; target < {TARGET_S:.0f} s)")
        print(f"   {'interaction':<24}{'n':>3}{'median s':>10}{'max s':>8}{'>=1s':>6}{'fail':>5}{'long task':>11}"
              f"{'spinner':>9}{'largest resp':>14}  worst")
        for kind, r in b["summary"].items():
            print(f"   {kind:<24}{r['n']:>3}{_s(r['median_s']):>10}{_s(r['max_s']):>8}{r['over_target']:>6}"
                  f"{r['failed']:>5}{_s(r['longtask_max_s'], 2):>11}{_s(r['hidden_max_s'], 2):>9}"
                  f"{_kb(r['response_max_bytes']):>14}  {r['worst']}")
        print("   (long task: longest main-thread task overlapping the interaction; spinner: time the page was "
              "hidden by dcc.Loading)")
        expected = {"first": 1, "warm": 0, "edited": 1, "pages": 0}
        wrong = [f"{rec['scenario']} {rec['runs_added']}" for rec in b["scenarios"] if rec["runs_added"] != expected]
        print("   runs added to the server cache (first/warm/edited/pages+back): "
              + ("1/0/1/0 for every scenario" if not wrong else "expected 1/0/1/0; differs for " + "; ".join(wrong)))
        loads = [ld for rec in b["scenarios"] for ld in rec["loads"]]
        if loads:
            shown = [ld["shown_s"] for ld in loads]
            settled = [ld["settled_s"] for ld in loads]
            auto = [ld for ld in loads if ld["run_jobs_started"]]
            print(f"   page loads: {len(loads)}; scenario page shown after median {_s(statistics.median(shown))} s "
                  f"(max {_s(max(shown))}), settled after median {_s(statistics.median(settled))} s "
                  f"(max {_s(max(settled))}); page hidden by the spinner up to {_s(max(ld['hidden_s'] for ld in loads), 2)} s")
            if auto:
                unrequested.append(f"{len(auto)} of {len(loads)} page loads started a run without a click "
                                   f"(session then holds: {auto[0]['runs_in_session']})")
        back = [(rec["scenario"], rec["interactions"].get("page / (scenario)")) for rec in b["scenarios"]]
        back = [(f, m) for f, m in back if m and m["run_jobs_started"]]
        if back:
            unrequested.append(f"{len(back)} of {len(b['scenarios'])} returns to the scenario page started a run "
                               f"without a click (e.g. {back[0][0]})")
        downloads = {}
        for rec in b["scenarios"]:
            for kind, m in rec["interactions"].items():
                for d in m.get("big_downloads", []):
                    downloads.setdefault(d["file"], (kind, d["bytes"]))
        if downloads:
            print("   large downloads during interactions (first time in a context): "
                  + ", ".join(f"{f} {_kb(n)} at '{k}'" for f, (k, n) in downloads.items()))
        ms = [m for rec in b["scenarios"] for m in rec["interactions"].values()]
        lat = [m["latency_s"] for m in ms if m["ok"]]
        targets[f"bundled: every interaction < {TARGET_S:.0f} s"] = (
            bool(lat) and max(lat) < TARGET_S and all(m["ok"] for m in ms))
        targets["bundled: warm runs answered from the cache"] = all(rec["runs_added"].get("warm") == 0
                                                                    for rec in b["scenarios"])
    s = doc.get("synthetic")
    if s:
        world = s.get("world", {})
        print(f"\n2. Synthetic world {SYNTHETIC_FILE} ({', '.join(f'{k} {v}' for k, v in world.get('size', {}).items())};"
              f" {_kb(world.get('bytes'))} of YAML)")
        print(f"   {'step':<20}{'latency s':>10}{'server s':>9}{'long task':>11}{'long tasks':>11}{'beat gap':>10}"
              f"{'spinner':>9}{'largest resp':>14}  callback of the largest response / error")
        for name, m in s["steps"].items():
            frozen = "  FROZEN" if m["longtask_max_s"] > FREEZE_S else ""
            tail = m["response_max_output"] or ""
            if not m["ok"]:
                tail = f"FAILED: {m.get('error')}"
            print(f"   {name:<20}{_s(m['latency_s'], 2):>10}{_s(m['server_max_s'], 2):>9}{_s(m['longtask_max_s'], 2):>11}"
                  f"{m['longtasks']:>11}"
                  f"{_s(m['heartbeat_gap_max_s'], 2):>10}{_s(m['hidden_by_spinner_s'], 1):>9}"
                  f"{_kb(m['response_max_bytes']):>14}  {tail}{frozen}")
        print("   runs added to the cache per step: " + ", ".join(f"{n} {m['runs_added']}" for n, m in s["steps"].items()
                                                              if m.get("runs_added")))
        for rec in s.get("recoveries", []):
            print(f"   after '{rec['after']}' failed: a fresh session picked the world in "
                  f"{_s(rec['pick']['latency_s'], 2)} s and ran it (cached) in {_s(rec.get('run', {}).get('latency_s'), 2)} s")
        if s["steps"].get("page / (scenario)", {}).get("run_jobs_started"):
            unrequested.append("returning to the scenario page after the synthetic run started a run without a click")
        frozen = [n for n, m in s["steps"].items() if m["longtask_max_s"] > FREEZE_S]
        targets["synthetic: every step completes"] = all(m["ok"] for m in s["steps"].values())
        targets[f"synthetic: no freeze (no long task > {FREEZE_S:.0f} s)"] = not frozen
    c = doc.get("concurrency")
    if c:
        print(f"\n3. {len(c['sessions'])} concurrent sessions clicking Run together (click spread "
              f"{_s(c['click_spread_s'])} s; all done {_s(c['load_duration_s'], 2)} s after the first click; "
              f"runs added {c['runs_added']})")
        print(f"   {'session':<36}{'price':>7}{'time to results s':>19}{'long task':>11}{'spinner':>9}")
        for r in c["sessions"]:
            print(f"   {r['session']:<36}{r['price']:>7}{_s(r.get('time_to_results_s'), 2):>19}"
                  f"{_s(r.get('longtask_max_s'), 2):>11}{_s(r.get('hidden_by_spinner_s'), 1):>9}"
                  + ("" if r["ok"] else f"  FAILED: {r.get('error')}"))
        if c.get("server_children_when_a_run_never_showed"):
            print("   server processes besides itself when the wait gave up (pid ppid state elapsed wait-channel command): "
                  + "; ".join(c["server_children_when_a_run_never_showed"]))
        for label, key in (("idle", "probe_idle"), ("under load", "probe_under_load")):
            p = c[key]
            print(f"   probe (/integrity <-> /ndc) {label:<11}: n {p['n']:>3}  median {_s(p['median_s'])} s  "
                  f"max {_s(p['max_s'])} s  failed {p['failed']}  long task max {_s(p['longtask_max_s'], 2)} s  "
                  f"server (TTFB) median {_s(p['server_median_s'])} s max {_s(p['server_max_s'])} s")
        sl = c.get("session_loads") or []
        if sl:
            print(f"   the {len(sl)} sessions opened together: scenario page shown after max "
                  f"{_s(max(x['shown_s'] for x in sl), 2)} s, settled after max {_s(max(x['settled_s'] for x in sl), 2)}"
                  f" s; {sum(1 for x in sl if x['run_jobs_started'])} started a run on load")
        pu = c["probe_under_load"]
        targets[f"concurrency: all {len(c['sessions'])} runs finish, none cached"] = (
            all(r["ok"] for r in c["sessions"]) and c["runs_added"] == len(c["sessions"]))
        targets[f"concurrency: probe max under load < {PROBE_BOUND_S:.0f} s, no probe failure"] = (
            pu["n"] > 0 and not pu["failed"] and pu["max_s"] is not None and pu["max_s"] < PROBE_BOUND_S)
    if unrequested:
        print("\nruns nobody asked for:")
        for line in unrequested:
            print(f"   {line}")
    if b or s:
        targets["no run starts without a click on Run"] = not unrequested
    pr = doc.get("problems", {})
    n_pr = sum(len(v) for v in pr.values() if isinstance(v, list))
    print(f"\nproblems: {len(pr.get('console_errors', []))} console errors, {len(pr.get('page_errors', []))} page "
          f"errors, {len(pr.get('failed_requests', []))} failed requests, {len(pr.get('http_errors', []))} HTTP "
          f"responses >= 400, {len(pr.get('server_errors', []))} server error lines "
          f"({pr.get('console_warnings', 0)} console warnings, not counted)")
    for key in ("console_errors", "page_errors", "failed_requests", "http_errors", "server_errors"):
        for item in pr.get(key, [])[:10]:
            print(f"   {key}: {item if isinstance(item, str) else json.dumps(item)[:400]}")
        if len(pr.get(key, [])) > 10:
            print(f"   ... {len(pr[key]) - 10} more {key}")
    if doc.get("waitress_queue_depth_max"):
        print(f"   waitress: 'Task queue depth is N' up to {doc['waitress_queue_depth_max']} (every request thread "
              f"busy, requests queued)")
    targets["no console/page errors, failed requests, HTTP errors or server errors"] = n_pr == 0
    print()
    for name, ok in targets.items():
        print(f"{_verdict(ok)}  {name}")
    return targets


def _git_commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, check=False,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "a6sim", "dashboard"], cwd=ROOT, check=False,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("+dirty" if dirty else "") if head else None
    except (OSError, subprocess.SubprocessError):
        return None


def _strip(obj):
    """A JSON-safe copy (drops private keys such as pending response bodies)."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


@contextmanager
def _step(doc: dict, name: str):
    """Keep going when a step crashes: record it, report the others. Notes the load average around it."""
    load = doc["machine"].setdefault("load_average", {})
    load[f"{name} start"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    try:
        yield
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        doc.setdefault("step_errors", []).append({"step": name, "error": f"{type(exc).__name__}: {exc}"[:500]})
    finally:
        load[f"{name} end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None


async def main_async(a, tmp: Path) -> int:
    from playwright.async_api import async_playwright
    with_synthetic = not a.quick and not a.screenshots and "2" in a.steps
    print("preparing scenarios" + (" (generating the synthetic world)" if with_synthetic else ""), flush=True)
    folder = tmp / "scenarios"
    world = prepare_scenarios(folder, with_synthetic, a.seed)
    bundled = [Scenario(p) for p in sorted(folder.glob("*.yaml")) if p.name != SYNTHETIC_FILE]
    server = Server(folder, tmp / "cache", a.threads, tmp / "server-stderr.log")
    (tmp / "cache").mkdir()
    doc: dict = {"commit": _git_commit(), "machine": {"python": platform.python_version(),
                 "platform": platform.platform(), "cpus": os.cpu_count(),
                 "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None},
                 "targets_s": {"interaction": TARGET_S, "freeze": FREEZE_S, "probe_bound": PROBE_BOUND_S}}
    try:
        try:
            doc["server_start_s"] = server.start()
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"dashboard on {server.url} (ready after {doc['server_start_s']:.1f} s)", flush=True)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            doc["machine"]["chromium"] = browser.version
            bench = Bench(browser, server.url, server)
            try:
                if a.screenshots:
                    print(f"screenshots into {a.screenshots}", flush=True)
                    shots = await screenshots(bench, {x.file: x for x in bundled}, Path(a.screenshots), a.timeout)
                    bad = [s for s in shots if not s["ok"]]
                    problems = bench.problems.count()
                    if problems:
                        print(json.dumps(bench.problems.as_dict(), indent=1)[:3000])
                    return 1 if bad or problems else 0
                steps = {int(x) for x in a.steps.split(",") if x.strip()}
                if 1 in steps:
                    print("\nstep 1: bundled scenarios", flush=True)
                    with _step(doc, "bundled"):
                        rows = await bundled_step(bench, bundled, a.timeout)
                        doc["bundled"] = {"scenarios": rows, "summary": summarise_bundled(rows)}
                if with_synthetic and 2 in steps:
                    print("\nstep 2: synthetic world", flush=True)
                    with _step(doc, "synthetic"):
                        syn = await synthetic_step(bench, Scenario(folder / SYNTHETIC_FILE), a.synthetic_timeout)
                        doc["synthetic"] = {"world": world, **syn}
                if 3 in steps:
                    print(f"\nstep 3: {a.sessions} concurrent sessions", flush=True)
                    with _step(doc, "concurrency"):
                        doc["concurrency"] = await concurrency_step(bench, bundled, a.sessions,
                                                                    a.concurrency_timeout)
            finally:
                await browser.close()
        doc["problems"] = bench.problems.as_dict()
    finally:
        server.stop()
    doc["problems"]["server_errors"] = server.server_errors()
    doc["server_stderr_tail"] = server.stderr_tail(200)
    depths = [int(x) for x in re.findall(r"Task queue depth is (\d+)", server.stderr_text())]
    doc["waitress_queue_depth_max"] = max(depths, default=0)
    doc["machine"]["load_average_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if a.server_log:
        shutil.copyfile(server.log_path, a.server_log)
    targets = report(doc)
    for err in doc.get("step_errors", []):
        print(f"FAIL  step {err['step']} crashed: {err['error']}")
        targets[f"step {err['step']} ran to the end"] = False
    doc["targets"] = targets
    if a.json:
        Path(a.json).write_text(json.dumps(_strip(doc), indent=2, default=str) + "\n")
        print(f"\nfigures saved to {a.json}")
    return 0 if all(targets.values()) else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the a6sim dashboard in headless Chromium.")
    ap.add_argument("--quick", action="store_true", help="skip the synthetic world (step 2)")
    ap.add_argument("--json", metavar="FILE", help="save every figure as JSON")
    ap.add_argument("--screenshots", metavar="DIR",
                    help="write the README screenshots (scenario.png, ndc.png, units.png) to DIR instead of "
                         "measuring")
    ap.add_argument("--sessions", type=int, default=8, help="concurrent sessions in step 3 (default 8)")
    ap.add_argument("--threads", type=int, default=16, help="server request threads (default 16, the dashboard's)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the synthetic world (default 1)")
    ap.add_argument("--server-log", metavar="FILE", help="keep the server's stderr in FILE")
    ap.add_argument("--steps", default="1,2,3", help="steps to run (default 1,2,3)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds allowed per interaction (bundled)")
    ap.add_argument("--synthetic-timeout", type=float, default=300, help="seconds allowed per synthetic step")
    ap.add_argument("--concurrency-timeout", type=float, default=300, help="seconds allowed in step 3")
    a = ap.parse_args(argv)
    if a.sessions < 1:
        ap.error("--sessions must be >= 1")
    if not Path(CHROMIUM).exists():
        ap.error(f"{CHROMIUM} not found")
    tmp = Path(tempfile.mkdtemp(prefix="a6sim-dashboard-bench-"))
    try:
        return asyncio.run(main_async(a, tmp))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
