"""The workshop room in a real browser (Playwright driving Debian's chromium).

One game, as a room plays it: a facilitator and four delegations (two hosts, two
buyers) in separate browser contexts, and the big screen in a sixth. An offer, a
counter, a signed deal; both parties' panels and the big screen show the deal's effect
within 2 s; a delegation without the code cannot act; the server is restarted in the
middle of the round and the game goes on with nothing lost. No console errors; no
horizontal scroll and no element past the right edge at 1280x720.

The deal, by hand (scenarios/rooms/workshop_market.yaml, MtCO2e): Switzerland buys a
share of 0.2 of Ghana's cookstove issuances (1.5 Mt a year), vintages 2021-2030, at
the counter price of USD 15/t. Vintages 2021-2029 are issued and delivered within the
period (vintage 2030 only in 2031): 9 x 0.3 Mt = 2.7 Mt, paid 2.7 Mt x 15 = USD 40.5
million. Switzerland uses the 2.7 Mt at the end of its period (as needed): its gap of
10 Mt (450 Mt of emissions against a budget of 440) falls to 7.3 Mt.

Set ``A6SIM_SCREENSHOTS=DIR`` to keep screenshots of the pages at 1280x720 and 1920x1080.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_dashboard_browser import CHROMIUM_ARGS, START_TIMEOUT, _answers, _free_port, _stop, chromium_path  # noqa: F401

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    expect = sync_playwright = None

ROOT = Path(__file__).resolve().parent.parent
SHOTS = os.environ.get("A6SIM_SCREENSHOTS")


class Server:
    """``a6sim dashboard`` in a subprocess, restartable on the same port and rooms database."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.output: list[str] = []

    def start(self):
        cmd = [sys.executable, "-m", "a6sim.cli", "dashboard", "--port", str(self.port),
               "--cache-dir", str(self.cache_dir)]
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        if ignored:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                         bufsize=1, start_new_session=True,
                                         env={**os.environ, "PYTHONUNBUFFERED": "1"})
        finally:
            if ignored:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        ready = threading.Event()

        def read(proc=self.proc):
            for line in proc.stdout:
                self.output.append(line)
                if "a6sim dashboard on" in line:
                    ready.set()
        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not (ready.is_set() and _answers(self.port)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the dashboard did not start:\n" + "".join(self.output), pytrace=False)
            time.sleep(0.1)

    def stop(self):
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


@pytest.fixture(scope="module")
def server(chromium_path, tmp_path_factory):  # noqa: F811
    srv = Server(tmp_path_factory.mktemp("room-cache"))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser(chromium_path):  # noqa: F811
    expect.set_options(timeout=30_000)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Person:
    """One browser context: a participant's laptop (or the projector)."""

    def __init__(self, browser, server, width=1280, height=720):
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status} {r.url}"))

    def goto(self, path):
        self.page.goto(self.server.url + path)

    def pick(self, dropdown_id: str, text: str):
        """Choose an option of a dcc.Dropdown by its visible text."""
        self.page.click(f"#{dropdown_id}")
        self.page.locator(".dash-dropdown-content [role=option]", has_text=text).first.click()
        expect(self.page.locator(f"#{dropdown_id}")).to_contain_text(text)

    def join(self, code: str, who: str, secret: str):
        self.goto(f"/room/{code}")
        self.pick("room-join-who", who)
        self.page.fill("#room-join-code", secret)
        self.page.click("#room-join")

    def overflow(self) -> list[str]:
        """Elements past the right edge of the window, and the page's horizontal scroll."""
        return self.page.evaluate("""() => {
            const out = [];
            const w = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth > w) out.push('horizontal scroll: ' + document.documentElement.scrollWidth + ' > ' + w);
            for (const el of document.querySelectorAll('#page *')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.height > 0 && r.right > w + 1 && getComputedStyle(el).visibility !== 'hidden')
                    out.push((el.id || el.className || el.tagName) + ' right edge ' + Math.round(r.right));
            }
            return out.slice(0, 10);
        }""")

    def shot(self, name: str):
        if SHOTS:
            self.page.evaluate("window.scrollTo(0, 0)")
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def test_a_game_in_the_room(browser, server):
    people = []

    def person(**size):
        p = Person(browser, server, **size)
        people.append(p)
        return p

    try:
        _play(person, server, people)
    finally:
        problems = [x for p in people for x in p.problems]
        for p in people:
            p.context.close()
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


def _play(person, server, people):
    # the facilitator makes a room from the bundled workshop scenario
    fac = person()
    fac.goto("/room")
    expect(fac.page.locator("#room-pick")).to_contain_text("Workshop market")
    fac.page.click("#room-create")
    code = fac.page.locator("#room-fac-code").inner_text(timeout=15_000).strip()
    assert len(code) == 5
    rows = fac.page.evaluate("""() => [...document.querySelectorAll('#room-codes tbody tr')].map(
        tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))""")
    secrets = {r[0].split("(")[-1].rstrip(")"): r[2] for r in rows}
    assert set(secrets) == {"GHA", "PER", "CHE", "SGP"} and len(set(secrets.values())) == 4

    # a delegation without its code cannot act: a wrong code is refused, nothing shows
    intruder = person()
    intruder.join(code, "Ghana (GHA)", secrets["CHE"])
    expect(intruder.page.locator("#room-refused")).to_contain_text("code does not match")
    expect(intruder.page.locator("#room-form-card")).to_be_hidden()
    assert intruder.page.locator("#room-my-account").count() == 0

    # two hosts, two buyers join, each on its own laptop
    gha, per, che, sgp = (person() for _ in range(4))
    for p, who, d in ((gha, "Ghana (GHA)", "GHA"), (per, "Peru (PER)", "PER"), (che, "Switzerland (CHE)", "CHE"),
                      (sgp, "Singapore (SGP)", "SGP")):
        p.join(code, who, secrets[d])
        expect(p.page.locator("#room-who")).to_contain_text(f"({d})")
    expect(che.page.locator("#room-my-attainment")).to_have_text("missed: 10 Mt over target")
    expect(che.page.locator("#room-form-card")).to_be_hidden()        # a buyer offers nothing
    screen = person(width=1920, height=1080)
    screen.goto(f"/room/{code}/screen")
    expect(screen.page.locator("#room-deals")).to_contain_text("0 ·")

    # out of turn: no offer before the round starts
    gha.page.fill("#room-f-amount", "0.2")
    gha.page.locator("#room-f-mode").get_by_text("share of each issuance").click()
    gha.page.fill("#room-f-price", "20")
    gha.page.click("#room-f-send")
    expect(gha.page.locator("#room-refused")).to_contain_text("has not started")

    fac.page.click("#room-start")
    expect(fac.page.locator("#room-clock-text-fac")).to_contain_text("Round 1 of 2 · 2021-2025 · open")
    expect(screen.page.locator("#room-clock-text-scr")).to_contain_text("open")

    # bad input: a share above 1 is refused in the page
    gha.page.fill("#room-f-amount", "1.5")
    gha.page.click("#room-f-send")
    expect(gha.page.locator("#room-refused")).to_contain_text("share: 1.5 is not possible")
    # Ghana offers 20% of its cookstove issuances to every delegation at USD 20/t
    gha.page.fill("#room-f-amount", "0.2")
    gha.page.click("#room-f-send")
    offer = che.page.locator("#room-offer-o1")
    expect(offer).to_contain_text("20% of each issuance of gha-cookstoves, vintages 2021-2030, at USD 20/t")
    expect(sgp.page.locator("#room-offer-o1")).to_be_visible()       # open to all: Singapore sees it too

    # Switzerland looks at what it would do, then counters at USD 15/t
    offer.get_by_role("button", name="What would it do to me?").click()
    expect(che.page.locator("#room-preview-card")).to_contain_text("missed: 7.3 Mt over target")
    expect(che.page.locator("#room-preview-card")).to_contain_text("-USD 54 million")     # 2.7 Mt x 20
    offer.get_by_role("button", name="Counter").click()
    expect(che.page.locator("#room-form-card")).to_be_visible()
    expect(che.page.locator("#room-f-price")).to_have_value("20")
    che.page.fill("#room-f-price", "15")
    che.page.click("#room-f-send")
    counter = gha.page.locator("#room-offer-o2")
    expect(counter).to_contain_text("Switzerland → you")
    expect(counter).to_contain_text("at USD 15/t")
    expect(sgp.page.locator("#room-offer-o2")).to_have_count(0)       # addressed to Ghana only

    # Ghana signs; both panels and the big screen show the deal (how soon is measured by
    # benchmarks/room.py, not here: a timed assertion flakes on a loaded machine)
    counter.get_by_role("button", name="Accept and sign").click()
    expect(gha.page.locator("#room-my-in")).to_have_text("USD 40.5 million")
    expect(che.page.locator("#room-my-attainment")).to_have_text("missed: 7.3 Mt over target")
    expect(che.page.locator("#room-my-out")).to_have_text("USD 40.5 million")
    expect(screen.page.locator("#room-deals")).to_contain_text("1 · USD 40.5 million")
    expect(screen.page.locator("#room-network")).to_contain_text("20% of issuance @ USD 15")

    fac.shot("room-facilitator-1280.png")
    gha.shot("room-delegation-1280.png")
    screen.shot("room-screen-1920.png")
    _no_overflow(people)

    # the server restarts in the middle of the round; a reload is back where it was
    urls = [p.page.url for p in people]
    for p in people:            # the laptops leave the page while the server is down ...
        p.page.goto("about:blank")
    server.stop()
    server.start()
    for p, url in zip(people, urls):   # ... and come back to it: the tab's session storage is still there
        p.page.goto(url)
    expect(che.page.locator("#room-my-attainment")).to_have_text("missed: 7.3 Mt over target")
    expect(gha.page.locator("#room-offer-o2")).to_contain_text("accepted")
    expect(screen.page.locator("#room-deals")).to_contain_text("1 · USD 40.5 million")
    expect(fac.page.locator("#room-clock-text-fac")).to_contain_text("open")

    # the game goes on: Peru sells Singapore 2 Mt of solar ITMOs; the round ends
    per.pick("room-f-to", "Singapore (SGP)")
    per.pick("room-f-activity", "per-solar")
    per.page.fill("#room-f-amount", "2")
    per.page.fill("#room-f-price", "25")
    per.page.click("#room-f-send")
    sgp.page.locator(".a6-offer", has_text="per-solar").get_by_role("button", name="Accept and sign").click()
    expect(screen.page.locator("#room-deals")).to_contain_text("2 ·")
    fac.page.click("#room-end")
    expect(screen.page.locator("#room-clock-text-scr")).to_contain_text("Round 1 of 2 · 2021-2025 · over")
    fac.page.click("#room-start")
    expect(screen.page.locator("#room-clock-text-scr")).to_contain_text("Round 2 of 2 · 2026-2030 · open")
    fac.page.click("#room-end")
    expect(screen.page.locator("#room-debrief-table")).to_contain_text("2 (2026-2030)")
    with screen.page.expect_download() as dl:
        screen.page.click("#room-screen-yaml")
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert "deal-1-gha-che" in text and "deal-2-per-sgp" in text
    screen.page.locator("#room-debrief").get_by_role("button", name="Show round 1").click()
    expect(screen.page.locator("#room-replay")).to_contain_text("end of round 1")
    screen.shot("room-debrief-1920.png")
    sgp.shot("room-buyer-1280.png")
    _no_overflow(people)


def _no_overflow(people):
    found = {p.page.url + f" at {p.page.viewport_size['width']}": p.overflow() for p in people}
    found = {k: v for k, v in found.items() if v}
    assert not found, found
