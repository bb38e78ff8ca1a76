"""The dashboard in a real browser: Playwright (sync API) driving Debian's chromium.

A module fixture starts ``a6sim dashboard`` in a subprocess on a free local port, as a
user would, and stops it at the end. Every test opens fresh browser contexts (fresh
sessions) and fails on any console error, page error, failed request or HTTP error.

No browser download: the tests use the system chromium. Without it they are skipped,
unless ``A6SIM_REQUIRE_BROWSER`` is set (CI), where a missing browser is a failure.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
except ImportError:     # reported by the chromium_path fixture: a skip, or a failure in CI
    PlaywrightError = expect = sync_playwright = None

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
START_TIMEOUT = 30      # seconds for the server to answer
TIMEOUT_MS = 20_000     # Playwright waits and expect() assertions
PAGE_TITLES = {"/ndc": "NDC accounts", "/integrity": "Integrity", "/units": "Units", "/money": "Money",
               "/network": "Network", "/ledger": "Ledger", "/compare": "Compare"}
ALL_PAGES = list(PAGE_TITLES)


def _need_browser(reason: str):
    if os.environ.get("A6SIM_REQUIRE_BROWSER"):
        pytest.fail(f"A6SIM_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


# --- fixtures: the browser, the server ---------------------------------------------------------
@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not path:
        _need_browser(f"no chromium browser ({CHROMIUM} or `chromium` on PATH); "
                      "install the Debian package chromium")
    if sync_playwright is None:
        _need_browser("the playwright Python package is not installed (pip install -e '.[test]')")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Server:
    def __init__(self, proc, port, cache_dir, output):
        self.proc, self.port, self.cache_dir, self.output = proc, port, cache_dir, output
        self.url = f"http://127.0.0.1:{port}"

    def log(self) -> str:
        return "".join(self.output)

    def run_keys(self) -> set:
        """Keys of the runs stored in the server's result cache (read from its folder)."""
        import diskcache
        with diskcache.Cache(str(self.cache_dir / "runs")) as cache:
            return {k[1] for k in cache.iterkeys() if isinstance(k, tuple) and k[0] == "run"}


def _stop(proc: subprocess.Popen) -> None:
    """SIGINT (as Ctrl+C), then SIGKILL for the whole process group (background job processes too)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # the group started for the server: stragglers only
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(chromium_path, tmp_path_factory):
    cache_dir = tmp_path_factory.mktemp("dashboard-cache")
    port = _free_port()
    cmd = [sys.executable, "-m", "a6sim.cli", "dashboard", "--port", str(port), "--cache-dir", str(cache_dir)]
    # a shell that started pytest in the background may have left SIGINT ignored, and the server
    # would inherit that: give it a handled SIGINT (reset to the default at exec), so that SIGINT
    # stops it as Ctrl+C does
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                bufsize=1, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    output: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            output.append(line)
            if "a6sim dashboard on" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    srv = Server(proc, port, cache_dir, output)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not (ready.is_set() and _answers(port)):
            if proc.poll() is not None:
                reader.join(timeout=2)
                pytest.fail(f"`{' '.join(cmd[1:])}` exited with {proc.returncode}:\n{srv.log()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the dashboard did not answer on port {port} within {START_TIMEOUT} s; "
                            f"its output:\n{srv.log()}", pytrace=False)
            time.sleep(0.1)
        line = next(l for l in output if "a6sim dashboard on" in l)
        assert f":{port}/" in line, line
        yield srv
    finally:
        _stop(proc)
        reader.join(timeout=5)


# --- a browser session that records every problem -----------------------------------------------
def lever_selector(lever_id: str) -> str:
    """CSS selector of a lever widget: Dash writes the pattern id as JSON with sorted keys."""
    return "[id='" + json.dumps({"type": "lever", "id": lever_id}, sort_keys=True, separators=(",", ":")) + "']"


class Session:
    """One browser context (one participant): its page, and what went wrong in it."""

    def __init__(self, browser, server):
        self.server = server
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.inflight: set = set()
        self.run_polls: list = []   # responses of the background run callback's polls
        p = self.page
        p.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text} at {m.location.get('url')}:{m.location.get('lineNumber')}"))
        p.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        p.on("request", lambda r: self.inflight.add(r))
        p.on("requestfinished", lambda r: self.inflight.discard(r))
        p.on("requestfailed", self._failed)
        p.on("response", self._response)

    def _failed(self, request):
        self.inflight.discard(request)
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")
        if "/_dash-update-component" in response.url and "job=" in response.url and \
                '"run-result"' in (response.request.post_data or ""):
            self.run_polls.append(response)

    # navigation and waiting
    def goto(self, path: str):
        self.page.goto(self.server.url + path)
        self.wait_page(path)

    def wait_page(self, path: str):
        """Wait until the page container shows ``path``'s content."""
        if path == "/":
            self.page.wait_for_selector(f"#levers {lever_selector('settings/ca_attribution')}", state="attached")
        else:
            expect(self.page.locator("#page .a6-page-title, #page .alert").first).to_be_visible()

    def nav(self, path: str):
        """Client-side navigation by the navigation bar; returns once the new page is drawn."""
        link = self.page.locator(f"a.nav-link[href='{path}'], a.dropdown-item[href='{path}']").first
        if not link.is_visible():   # a results page: in the "Results" menu of the navigation bar
            self.page.click("#results-menu")
            link.wait_for(state="visible")
        with self.page.expect_response(lambda r: "/_dash-update-component" in r.url
                                       and '"output":"page.children"' in (r.request.post_data or "")):
            link.click()
        expect(self.page).to_have_url(self.server.url + path)
        self.wait_page(path)

    def settle(self, quiet: float = 0.6, timeout: float = 20):
        """Wait until no request has been in flight for ``quiet`` seconds (callbacks done)."""
        deadline = time.monotonic() + timeout
        last_busy = time.monotonic()
        while True:
            self.page.wait_for_timeout(50)
            now = time.monotonic()
            if self.inflight:
                last_busy = now
            elif now - last_busy >= quiet:
                return
            if now > deadline:
                raise AssertionError(f"requests still in flight after {timeout} s: "
                                     f"{[r.url for r in self.inflight]}")

    def run(self, timeout: float = 30) -> dict:
        """Click Run and wait for the run callback's result (its outputs, as JSON) to be applied
        in the page. ``self.clicked_at`` is the time of the click."""
        self.settle()
        seen = len(self.run_polls)
        self.page.click("#run-button")
        self.clicked_at = time.monotonic()
        deadline = self.clicked_at + timeout
        while time.monotonic() < deadline:
            while seen < len(self.run_polls):
                r = self.run_polls[seen]
                seen += 1
                try:
                    body = r.body()
                except PlaywrightError:   # 204 No Content: not finished yet
                    continue
                data = json.loads(body)
                if "response" not in data:
                    continue
                outputs = data["response"]
                key = outputs.get("current", {}).get("data")
                if key:   # applied: the session's stores hold the new run
                    self.page.wait_for_function("""k => {
                        const runs = JSON.parse(sessionStorage.getItem('runs') || '[]');
                        return JSON.parse(sessionStorage.getItem('current')) === k
                            && runs.length > 0 && runs[runs.length - 1].key === k;
                    }""", arg=key)
                return outputs
            self.page.wait_for_timeout(50)
        raise AssertionError(f"no run result within {timeout} s")

    # the scenario page
    def open_group(self, title: str):
        """Expand one accordion item of the levers (agreement, party, settings)."""
        button = self.page.locator("#levers .accordion-button", has_text=title)
        if "collapsed" in (button.get_attribute("class") or ""):
            button.click()
        self.page.wait_for_function("b => !b.classList.contains('collapsed')", arg=button.element_handle())

    def lever(self, lever_id: str):
        return self.page.locator(lever_selector(lever_id))

    def pick_scenario(self, file: str, a_lever: str):
        """Choose a bundled scenario in the dropdown as a user does: click, type, Enter."""
        # let the run that opening / starts by itself finish first: while it is in flight, Enter in
        # the dropdown's search sometimes selects nothing (clicking the option works)
        self.settle()
        self.page.click("#scenario-pick")
        search = self.page.locator(".dash-dropdown-content .dash-dropdown-search")
        search.click()                  # the list opens with the focus on the selected option
        self.page.keyboard.type(file)
        options = self.page.locator(".dash-dropdown-content [role=option]")
        expect(options).to_have_count(1)
        expect(options).to_contain_text(f"({file})")
        self.page.keyboard.press("Enter")
        expect(self.page.locator("#scenario-pick")).to_contain_text(f"({file})")
        self.lever(a_lever).wait_for(state="attached")

    def session_item(self, key: str):
        """What a ``dcc.Store(storage_type="session")`` of this tab holds."""
        raw = self.page.evaluate("k => sessionStorage.getItem(k)", key)
        return None if raw is None else json.loads(raw)

    def wait_session_item(self, key: str, value):
        """Wait until the session store ``key`` holds ``value``."""
        self.page.wait_for_function("([k, v]) => sessionStorage.getItem(k) === v", arg=[key, json.dumps(value, separators=(",", ":"))])

    def check_clean(self):
        problems, self.problems = self.problems, []
        assert not problems, "problems in the browser:\n" + "\n".join(problems)

    def close(self):
        self.context.close()


@pytest.fixture
def sessions(browser, server):
    """``sessions()`` opens a fresh browser context; each one is checked for problems at the end."""
    opened: list[Session] = []

    def new() -> Session:
        s = Session(browser, server)
        opened.append(s)
        return s

    yield new
    leftovers = [p for s in opened for p in s.problems]
    for s in opened:
        s.close()
    assert not leftovers, "problems in the browser:\n" + "\n".join(leftovers)


def table_records(page, selector: str) -> list[dict]:
    """A records_table (thead + tbody) as a list of {header: cell text}."""
    return page.evaluate("""sel => {
        const t = document.querySelector(sel);
        const heads = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
        return [...t.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
            [...tr.querySelectorAll('td')].map((td, i) => [heads[i], td.innerText.trim()])));
    }""", selector)


def tonnes_value(text: str) -> int:
    """'-1,000,000 t' -> -1000000; figures in the scenario's units too: '-1.5 Mt' -> -1500000."""
    number, unit = text.replace(",", "").replace("\u2212", "-").strip().split()
    return round(float(number) * {"t": 1, "kt": 1_000, "Mt": 1_000_000}[unit])


def grid_rows(page) -> list[dict]:
    """Rows loaded in the ledger grid (its API: columns off screen are not in the DOM)."""
    return page.evaluate("""() => {
        const api = dash_ag_grid.getApi('ledger-grid');
        const rows = [];
        api.forEachNode(n => { if (n.data) rows.push(n.data); });
        return rows;
    }""")


def plots_in(page, scope: str) -> int:
    """How many plotly charts are drawn inside ``scope`` (waits for at least one)."""
    page.wait_for_selector(f"{scope} .js-plotly-plot .main-svg")
    return page.locator(f"{scope} .js-plotly-plot").count()


# --- the tests --------------------------------------------------------------------------------
def test_opening_the_scenario_page_runs_nothing(sessions):
    s = sessions()
    s.goto("/")
    expect(s.page.locator("#edit-status")).to_have_text("Valid · as in the file")
    s.settle()
    s.check_clean()
    assert s.page.locator("#run-result #attainment-table").count() == 0, "a run panel appeared without a click"
    assert s.session_item("current") is None, "the session has a current run without a click"
    assert not s.run_polls, "the run callback was called without a click"


def test_every_page_loads_before_and_after_a_run(sessions):
    s = sessions()
    # before any run: the scenario page, then every results page
    s.goto("/")
    expect(s.page.locator("#edit-status")).to_have_text("Valid · as in the file")
    for path in ALL_PAGES:
        s.nav(path)
        page_div = s.page.locator("#page")
        if path == "/compare":
            expect(page_div).to_contain_text("Run at least two variants")
        else:
            expect(page_div).to_contain_text("No run yet")
        assert s.page.locator("#page .js-plotly-plot").count() == 0
    expect(s.page.locator("#download-zip-button")).to_be_disabled()

    s.nav("/")
    expect(s.page.locator("#scenario-pick")).to_contain_text("(two_party_basic.yaml)")
    result = s.run()
    assert result["current"]["data"], result
    expect(s.page.locator("#run-result")).to_contain_text("Results: Two-party basic deal")
    assert plots_in(s.page, "#run-result") >= 1
    expect(s.page.locator("#run-label")).to_contain_text("Showing: Two-party basic deal")
    expect(s.page.locator("#download-zip-button")).to_be_enabled()

    for path in ALL_PAGES:
        s.nav(path)
        page_div = s.page.locator("#page")
        expect(s.page.locator("#page .a6-page-title")).to_contain_text(PAGE_TITLES[path])
        expect(page_div).not_to_contain_text("No run yet")
        if path == "/ledger":
            cell = s.page.locator("#ledger-grid .ag-row .ag-cell[col-id='action']", has_text="issuance").first
            expect(cell).to_be_visible()
            expect(s.page.locator("#ledger-grid .ag-row .ag-cell[col-id='quantity']").first).to_have_text(
                re.compile(r"^\d[\d,]*$"))
            s.settle()
            total = re.search(r"\(([\d,]+) rows in this run\)", page_div.inner_text())[1]
            assert len(grid_rows(s.page)) == int(total.replace(",", "")) > 0   # all of them: up to 200 a block
        elif path == "/compare":
            expect(page_div).to_contain_text("Run at least two variants")
        else:
            assert plots_in(s.page, "#page") >= 1, path
        s.settle()
    s.check_clean()


def test_running_a_bundled_scenario_shows_its_charts(sessions):
    s = sessions()
    s.goto("/")
    s.pick_scenario("singapore_mongolia.yaml", "agreements/sgp-mng/price")
    expect(s.page.locator("#scenario-description")).to_contain_text("Share of proceeds and OMGE")
    expect(s.page.locator("#seed")).to_have_value("2")
    s.settle()

    s.run()
    expect(s.page.locator("#run-result")).to_contain_text("Results: Singapore buys from Mongolia")
    charts = plots_in(s.page, "#run-result")
    elapsed = time.monotonic() - s.clicked_at
    print(f"\nsingapore_mongolia.yaml: {elapsed:.2f} s from the click on Run to the charts")

    parties = [r["party"] for r in table_records(s.page, "#attainment-table")]
    assert parties == ["SGP", "MNG"]
    assert charts == 2    # one NDC chart per party with an NDC
    expect(s.page.locator("#run-label")).to_contain_text("seed 2")
    s.check_clean()


def _error_lines(text: str) -> set:
    """{(file name, line, field)} of 'folder/file.yaml:26: a.b.c: message' lines."""
    return {(Path(m[1]).name, int(m[2]), m[3])
            for m in re.finditer(r"^\s*(\S+\.yaml):(\d+): ([^:\s]+):", text, re.MULTILINE)}


def test_uploads_show_errors_with_line_numbers_and_valid_files_levers(sessions, tmp_path):
    s = sessions()
    s.goto("/")
    upload = s.page.locator("#scenario-upload input[type=file]")

    upload.set_input_files(str(DATA / "broken.yaml"))
    error = s.page.locator("#upload-error")
    expect(error).to_contain_text(re.compile(r"broken\.yaml:\d+:"))
    shown = _error_lines(error.inner_text())
    cli = subprocess.run([sys.executable, "-m", "a6sim.cli", "validate", str(DATA / "broken.yaml")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert cli.returncode == 2, cli.stdout + cli.stderr
    expected = _error_lines(cli.stdout + cli.stderr)
    assert expected, cli.stdout + cli.stderr
    assert shown == expected
    # the rejected file changed nothing
    assert s.lever("agreements/che-gha/price").count() == 1
    expect(s.page.locator("#scenario-pick")).to_contain_text("(two_party_basic.yaml)")

    mine = tmp_path / "my_pitfall.yaml"
    shutil.copyfile(SCENARIOS / "averaging_pitfall.yaml", mine)
    upload.set_input_files(str(mine))
    s.lever("agreements/avl-trj/price").wait_for(state="attached")
    expect(error).to_be_empty()
    assert s.lever("agreements/che-gha/price").count() == 0
    assert s.lever("parties/AVL/ndc/averaging_divisor").input_value() == "elapsed"
    expect(s.page.locator("#scenario-description")).to_contain_text("Double counting hidden")
    expect(s.page.locator("#seed")).to_have_value("4")
    s.page.wait_for_function("() => JSON.parse(sessionStorage.getItem('base')).file === 'my_pitfall.yaml'")
    s.settle()
    s.check_clean()


def test_sessions_do_not_see_each_others_edits(sessions, server):
    a, b = sessions(), sessions()
    price, switch = "agreements/che-gha/price", "parties/GHA/corresponding_adjustments"
    for s in (a, b):
        s.goto("/")
        expect(s.page.locator("#edit-status")).to_have_text("Valid · as in the file")

    a.open_group("Agreement che-gha")
    a.lever(price).fill("25")
    a.lever(price).press("Enter")
    b.open_group("Party GHA")
    b.lever(switch).uncheck()
    expect(a.page.locator("#edit-status")).to_have_text("Valid · che-gha price 25")
    expect(b.page.locator("#edit-status")).to_have_text("Valid · GHA corresponding_adjustments off")

    for s in (a, b):
        s.settle()
        s.page.reload()
        s.wait_page("/")
    expect(a.page.locator("#edit-status")).to_have_text("Valid · che-gha price 25")
    expect(b.page.locator("#edit-status")).to_have_text("Valid · GHA corresponding_adjustments off")
    assert a.lever(price).input_value() == "25" and a.lever(switch).is_checked()
    assert b.lever(price).input_value() == "20" and not b.lever(switch).is_checked()
    a.wait_session_item("overrides", {price: 25})
    b.wait_session_item("overrides", {switch: False})

    key_a = a.run()["current"]["data"]
    key_b = b.run()["current"]["data"]
    for s in (a, b):
        expect(s.page.locator("#run-result")).to_contain_text("Results: Two-party basic deal")
    attain_a = {r["party"]: r for r in table_records(a.page, "#attainment-table")}
    attain_b = {r["party"]: r for r in table_records(b.page, "#attainment-table")}
    assert attain_a["CHE"] == attain_b["CHE"]
    # without its corresponding adjustments Ghana does not add back what it sells
    assert tonnes_value(attain_b["GHA"]["balance"]) < tonnes_value(attain_a["GHA"]["balance"])
    expect(a.page.locator("#run-result .a6-headline")).to_contain_text("double claimed 0 Mt")
    expect(b.page.locator("#run-result .a6-headline")).not_to_contain_text("double claimed 0 Mt")
    assert "che-gha price 25" in a.session_item("runs")[-1]["label"]
    assert "GHA corresponding_adjustments off" in b.session_item("runs")[-1]["label"]

    assert key_a != key_b
    assert {key_a, key_b} <= server.run_keys()
    for s in (a, b):
        s.settle()
        s.check_clean()


def test_a_price_typed_and_run_at_once_runs_with_that_price(sessions):
    # No Enter: the click on Run is what takes the focus off the box, so the edit's own
    # callback and the run start together; the run must use 27, not the file's 20.
    s = sessions()
    s.goto("/")
    price = "agreements/che-gha/price"
    expect(s.page.locator("#edit-status")).to_have_text("Valid · as in the file")
    s.settle()
    s.open_group("Agreement che-gha")
    s.lever(price).fill("27")
    s.page.click("#run-button")
    s.page.wait_for_function("() => (JSON.parse(sessionStorage.getItem('runs') || '[]')).length === 1",
                             timeout=60_000)
    assert "che-gha price 27" in s.session_item("runs")[-1]["label"]
    expect(s.page.locator("#edit-status")).to_have_text("Valid · che-gha price 27")
    s.settle()
    s.check_clean()


def test_clicking_a_network_node_filters_the_views(sessions):
    s = sessions()
    s.goto("/")
    s.pick_scenario("singapore_mongolia.yaml", "agreements/sgp-mng/price")
    s.run()
    expect(s.page.locator("#run-result")).to_contain_text("Results: Singapore buys from Mongolia")
    s.nav("/network")
    expect(s.page.locator("#party-filter")).to_contain_text("All parties")
    s.page.wait_for_selector("#network-graph .scatterlayer .point")
    nodes = s.page.evaluate("""() => {
        const fig = document.querySelector('#network-graph .js-plotly-plot');
        const t = fig.data.findIndex(tr => tr.name === 'parties');
        return [t, fig.data[t].customdata];
    }""")
    trace, ids = nodes
    assert ids == ["SGP", "MNG"]
    point = s.page.locator("#network-graph .scatterlayer .trace").nth(trace).locator(".point").nth(ids.index("SGP"))
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    s.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(s.page.locator("#party-filter")).to_contain_text("Singapore (SGP)")
    s.wait_session_item("party", "SGP")

    s.nav("/ledger")
    expect(s.page.locator("#page .a6-page-title")).to_have_text("Ledger · Singapore")
    s.page.wait_for_selector("#ledger-grid .ag-row .ag-cell[col-id='action']")
    s.settle()
    rows = grid_rows(s.page)
    total = int(re.search(r"\(([\d,]+) rows in this run\)", s.page.inner_text("#page"))[1].replace(",", ""))
    assert 0 < len(rows) < total
    assert all("SGP" in (r["host"], r["from_party"], r["to_party"]) for r in rows), rows
    assert {r["action"] for r in rows} >= {"first-transfer", "use"}
    s.check_clean()


def test_compare_shows_the_difference_of_two_variants(sessions):
    s = sessions()
    s.goto("/")
    s.pick_scenario("averaging_pitfall.yaml", "parties/AVL/ndc/averaging_divisor")
    s.run()
    expect(s.page.locator("#run-result")).to_contain_text("Results: Averaging pitfall")
    avl_row = s.page.locator("#attainment-table tbody tr", has_text="AVL")
    expect(avl_row).to_contain_text("met")

    # the variant: Averland never uses what it buys. (Its averaging divisor would not do: this run
    # covers the whole NDC period, so "elapsed" and "period" both divide by 10 years.)
    s.open_group("Agreement avl-trj")
    s.lever("agreements/avl-trj/use/policy").select_option("never")
    expect(s.page.locator("#edit-status")).to_have_text("Valid · avl-trj use.policy never")
    s.run()
    expect(avl_row).to_contain_text("missed")     # nothing used: Averland misses its target
    expect(s.page.locator("#run-result a[href='/compare']")).to_be_visible()
    labels = [r["label"] for r in s.session_item("runs")[-2:]]
    assert "as in the file" in labels[0] and "avl-trj use.policy never" in labels[1]

    s.nav("/compare")
    table = s.page.locator("#compare-party-table")
    expect(table).to_be_visible()
    rows = {r["party"]: r for r in table_records(s.page, "#compare-party-table")}
    assert set(rows) == {"AVL", "TRJ"}
    avl = rows["AVL"]
    assert tonnes_value(avl["balance diff"]) > 0, avl     # using nothing leaves its balance higher
    assert tonnes_value(avl["used diff"]) < 0, avl
    assert tonnes_value(rows["TRJ"]["balance diff"]) == 0, rows["TRJ"]
    assert plots_in(s.page, "#compare-body") >= 2
    s.settle()
    s.check_clean()


def test_downloads_edited_yaml_and_results_zip(sessions):
    s = sessions()
    s.goto("/")
    price = "agreements/che-gha/price"
    s.open_group("Agreement che-gha")
    s.lever(price).fill("33")
    s.lever(price).press("Enter")
    expect(s.page.locator("#edit-status")).to_have_text("Valid · che-gha price 33")

    with s.page.expect_download() as info:
        s.page.click("#download-yaml-button")
    download = info.value
    assert download.suggested_filename == "two_party_basic-edited.yaml"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# Edited in the a6sim dashboard from two_party_basic.yaml: che-gha price 33")
    data = yaml.safe_load(text)
    original = yaml.safe_load((SCENARIOS / "two_party_basic.yaml").read_text(encoding="utf-8"))
    assert data["agreements"]["che-gha"]["price"] == 33
    original["agreements"]["che-gha"]["price"] = 33
    assert data == original     # the edit and nothing else

    s.run()
    expect(s.page.locator("#download-zip-button")).to_be_enabled()
    with s.page.expect_download() as info:
        s.page.click("#download-zip-button")
    download = info.value
    assert download.suggested_filename == "two_party_basic-edited-seed1-results.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as z:
        names = set(z.namelist())
        assert {"balances.csv", "ledger.csv", "summary.json"} <= names, names
        summary = json.loads(z.read("summary.json"))
        ledger_lines = z.read("ledger.csv").decode("utf-8").strip().splitlines()
    assert summary["scenario_file"] == "two_party_basic-edited.yaml"     # the edited run
    assert summary["value_paid"] == pytest.approx(33 * summary["first_transferred"])
    assert len(ledger_lines) - 1 == summary["ledger_rows"] > 0
    s.settle()
    s.check_clean()


def _pick_lesson(s: Session, name: str, title: str):
    """Choose a lesson in the classroom's dropdown as a user does: click, type, Enter."""
    s.settle()
    s.page.click("#classroom-lesson")
    s.page.locator(".dash-dropdown-content .dash-dropdown-search").click()
    s.page.keyboard.type(title)
    expect(s.page.locator(".dash-dropdown-content [role=option]")).to_have_count(1)
    s.page.keyboard.press("Enter")
    expect(s.page.locator("#classroom-body h3")).to_have_text(title)
    s.settle()


def _answer(s: Session, qid: str, text: str, submit: str):
    box = s.page.locator(f"[id='{json.dumps({'q': qid, 'type': 'classroom-answer'}, separators=(',', ':'))}']")
    box.fill(text)
    if submit == "enter":
        box.press("Enter")
    else:
        s.page.locator(f"[id='{json.dumps({'q': qid, 'type': 'classroom-check'}, separators=(',', ':'))}']").click()
    return s.page.locator(f"[id='{json.dumps({'q': qid, 'type': 'classroom-feedback'}, separators=(',', ':'))}']")


def test_classroom_steps_through_a_lesson_and_marks_answers(sessions):
    # scenarios/lessons/one_tonne_two_claims.yaml: step 3 is Cadjia's first transfer (its
    # balance 49 -> 50 Mt, Buyerland 100 -> 99 Mt); at step 4 Nocalia transfers without
    # adjusting and 1 Mt is claimed twice.
    s = sessions()
    s.goto("/classroom")
    _pick_lesson(s, "one_tonne_two_claims", "One tonne, two claims")
    title = s.page.locator("#classroom-step-title")
    expect(title).to_contain_text("Step 1 of 5 · 2022-12-31")
    expect(s.page.locator("#classroom-back")).to_be_disabled()
    s.page.click("#classroom-next")
    expect(title).to_contain_text("Step 2 of 5")
    s.page.click("#classroom-next")
    expect(title).to_contain_text("Step 3 of 5 · 2023-04-30 · Cadjia transfers")
    movements = table_records(s.page, "#classroom-movements table")
    assert [(m["action"], m["quantity"], m["from"], m["to"]) for m in movements] == [
        ("first-transfer", "1", "CAD", "BYR"), ("use", "1", "BYR", "BYR")]
    assert plots_in(s.page, "#classroom-body") == 3          # one waterfall per party with an NDC
    expect(s.page.locator("#classroom-body .js-plotly-plot").nth(1)).to_contain_text("target 50 (dashed)")

    # right, with the Check button
    feedback = _answer(s, "cadjia-balance", "50", submit="button")
    expect(feedback.locator(".a6-feedback-right")).to_contain_text("Right. The engine's figure: 50 MtCO2e.")
    expect(feedback).to_contain_text("49 Mt of inventory plus the 1 Mt")
    expect(s.page.locator("#classroom-score")).to_contain_text("1 of 4 right")

    # wrong, with Enter, one step on
    s.page.click("#classroom-next")
    expect(title).to_contain_text("Step 4 of 5")
    expect(s.page.locator("#classroom-integrity")).to_contain_text("claimed twice 1 MtCO2e")
    feedback = _answer(s, "double-claimed", "2", submit="enter")
    expect(feedback.locator(".a6-feedback-wrong")).to_contain_text("You said 2; the engine's figure: 1 MtCO2e.")
    expect(s.page.locator("#classroom-score")).to_contain_text("1 of 4 right")

    # the what-if lever reruns the lesson: Nocalia adjusts and nothing is claimed twice
    s.page.locator("#classroom-what-if").check()
    expect(s.page.locator("#classroom-what-if-note")).to_contain_text("Nocalia applies its corresponding adjustment")
    expect(s.page.locator("#classroom-integrity")).to_contain_text("claimed twice 0 MtCO2e")
    expect(feedback).to_contain_text("In the what-if run this figure is 0 MtCO2e.")

    # facilitator mode shows the answers of the questions not answered yet
    s.page.click("#classroom-next")
    expect(title).to_contain_text("Step 5 of 5")
    expect(s.page.locator(".a6-answer")).to_have_count(0)
    s.page.locator("#classroom-facilitator").check()
    expect(s.page.locator(".a6-answer")).to_have_count(2)
    expect(s.page.locator(".a6-answer").first).to_contain_text("Answer: -1 MtCO2e")
    expect(s.page.locator("#classroom-next")).to_be_disabled()

    # back, and the state survives a reload (session storage)
    s.page.click("#classroom-back")
    expect(title).to_contain_text("Step 4 of 5")
    s.settle()
    s.page.reload()
    expect(s.page.locator("#classroom-step-title")).to_contain_text("Step 4 of 5")
    expect(s.page.locator("#classroom-score")).to_contain_text("1 of 4 right")
    s.settle()
    s.check_clean()


def test_security_headers_and_no_console_errors_under_the_policy(sessions):
    # Every response carries the security headers; under the Content-Security-Policy the
    # page, a run and its charts raise no console error (a blocked script or style would).
    s = sessions()
    response = s.page.goto(s.server.url + "/")
    headers = response.headers
    policy = headers["content-security-policy"]
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-eval" not in policy and "http" not in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    s.wait_page("/")
    s.run()
    expect(s.page.locator("#run-result")).to_contain_text("Results: Two-party basic deal")
    assert plots_in(s.page, "#run-result") >= 1
    s.nav("/network")
    s.settle()
    s.check_clean()


# --- every page at 1280x720: no horizontal scroll, no clipped text ---------------------------------
LAYOUT_PROBLEMS_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const bad = [];
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + ' "' + (el.innerText || el.textContent || '').trim().slice(0, 40) + '"';
    if (document.documentElement.scrollWidth > vw)
        bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
    // inside these the widget scrolls or truncates by design (grid, chart, dropdown lists)
    const inside = el => el.closest('.ag-root-wrapper, .js-plotly-plot, .dash-dropdown-content, .dropdown-menu, '
        + '#js-plotly-tester');
    for (const el of document.querySelectorAll('body *')) {
        const st = getComputedStyle(el);
        if (st.display === 'none' || st.visibility === 'hidden' || inside(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > vw + 1 || r.left < -1) bad.push('outside the viewport: ' + name(el));
        const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if ((text || el.classList.contains('table-responsive')) && st.display !== 'inline'
                && el.scrollWidth > el.clientWidth + 1)
            bad.push('text wider than its box: ' + name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const box = plot.getBoundingClientRect();
        const texts = plot.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .g-x2title text, '
            + '.g-y2title text, .xtick text, .ytick text, .legendtext, .annotation-text');
        for (const t of texts) {
            const r = t.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
                bad.push('chart text cut off: "' + t.textContent.slice(0, 40) + '"');
        }
        const title = plot.querySelector('.gtitle'), legend = plot.querySelector('.legend');
        if (title && legend) {
            const a = title.getBoundingClientRect(), b = legend.getBoundingClientRect();
            if (b.width && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                bad.push('chart title touches its legend: "' + title.textContent.slice(0, 40) + '"');
        }
        const xtitle = plot.querySelector('.g-x2title text, .g-xtitle text');
        if (xtitle && legend) {   // a legend under the chart must clear the x-axis title ("Year")
            const a = xtitle.getBoundingClientRect(), b = legend.getBoundingClientRect();
            if (b.width && a.left < b.right && b.left < a.right && a.top < b.bottom - 1 && b.top < a.bottom - 1)
                bad.push('x-axis title overlaps the legend: "' + xtitle.textContent.slice(0, 40) + '"');
        }
    }
    const bar = document.querySelector('.navbar').getBoundingClientRect();
    if (bar.height > 80) bad.push('the navigation bar wraps: ' + bar.height + ' px high');
    return bad;
}"""


def test_every_page_fits_1280x720_and_tells_the_story(sessions):
    from a6sim.dashboard.app import PAGES as APP_PAGES
    s = sessions()
    s.page.set_viewport_size({"width": 1280, "height": 720})
    s.goto("/")
    # the opening scenario (two_party_basic): its half-width NDC charts have 3-row legends under "Year"
    s.run()
    s.page.wait_for_selector("#run-result .js-plotly-plot .legend")
    s.settle(quiet=0.4)
    s.page.wait_for_timeout(300)   # plotly's responsive resize
    problems = s.page.evaluate(LAYOUT_PROBLEMS_JS)
    assert not problems, "/ (two_party_basic run) at 1280x720:\n" + "\n".join(problems)
    s.pick_scenario("averaging_pitfall.yaml", "parties/AVL/ndc/averaging_divisor")
    s.run()
    # the lever labels speak plainly, carry a unit and keep the field path as a tooltip
    label = s.page.locator("[id='lever-label-agreements-avl-trj-sop-units']")
    expect(label).to_have_text("Share of proceeds, in units (share, 0-1)")
    assert label.get_attribute("title") == "sop.units in the file"
    expect(s.page.locator("#run-result .a6-headline")).to_contain_text("claimed twice in a target year 1 Mt")
    # a second run where only the seller (the second party) changes: Compare opens on it
    s.open_group("Party TRJ")
    s.lever("parties/TRJ/corresponding_adjustments").uncheck()
    expect(s.page.locator("#edit-status")).to_contain_text("TRJ corresponding_adjustments off")
    s.run()
    for path in [p for p in APP_PAGES if p != "/"] + ["/"]:
        s.nav(path)
        if path in ("/ndc", "/integrity", "/units", "/money", "/network", "/compare"):
            s.page.wait_for_selector("#page .js-plotly-plot .main-svg")
        if path == "/ledger":
            s.page.locator("#ledger-grid .ag-row").first.wait_for()
        s.settle(quiet=0.4)
        s.page.wait_for_timeout(300)   # plotly's responsive resize
        problems = s.page.evaluate(LAYOUT_PROBLEMS_JS)
        assert not problems, f"{path} at 1280x720:\n" + "\n".join(problems)
        if path in ("/ndc", "/integrity", "/units", "/money", "/network", "/ledger"):
            strip = s.page.locator("#headline-strip")
            expect(strip).to_contain_text("TRJ added nothing for 12 Mt first transferred (adjustments off)")
            expect(strip.locator(".a6-alert").first).to_contain_text("Mt")
    s.nav("/compare")
    titles = s.page.locator("#compare-body .gtitle")
    expect(titles.first).to_contain_text("TRJ")          # not AVL, the first party, which did not change
    s.nav("/integrity")
    card = s.page.locator("#card-double_claimed")
    expect(card).to_have_class(re.compile("a6-card-alert"))    # 12 Mt used that TRJ never added back
    expect(card).to_contain_text("10 Mt")
    s.check_clean()


def test_the_guides_are_served_offline_and_fit_1280x720(sessions):
    # before: the Economics page said "see docs/economics.md", a file an installed a6sim does not have
    s = sessions()
    s.page.set_viewport_size({"width": 1280, "height": 720})
    s.goto("/")
    s.nav("/docs")
    title = s.page.locator("#guide-text h1").first

    def fits(what):
        s.settle(quiet=0.3)
        problems = s.page.evaluate(LAYOUT_PROBLEMS_JS)
        assert not problems, f"{what} at 1280x720:\n" + "\n".join(problems)
    fits("/docs")
    s.page.click("#guide-list a[href='/docs/how-a6sim-counts']")
    expect(title).to_have_text("How a6sim counts")
    fits("/docs/how-a6sim-counts")
    s.page.locator("#guide-text a[href='/docs/economics']").first.click()   # a link between guides
    expect(s.page).to_have_url(s.server.url + "/docs/economics")
    expect(title).to_have_text("The economics of a deal")
    expect(s.page.locator("#guide-text table").first).to_be_visible()
    fits("/docs/economics")
    s.page.goto(s.server.url + "/docs/readme")          # the README, with its long reference tables
    expect(title).to_have_text("a6sim")
    expect(s.page.locator("#guide-text img")).to_have_count(0)   # its screenshots are not shipped
    fits("/docs/readme")
    s.check_clean()
