"""The Explore page in a real browser: run a small bundled sweep in the background and see
its charts, at two window sizes, with no console error and no horizontal scroll.

Uses the server, browser and session fixtures of tests/test_dashboard_browser.py (a
dashboard started in a subprocess, Debian's chromium through Playwright).
"""
from __future__ import annotations

import os

import pytest

from test_dashboard_browser import browser, chromium_path, expect, server, sessions  # noqa: F401

SHOTS = os.environ.get("A6SIM_SCREENSHOTS")   # a folder: save screenshots there for a human look


def _pick(page, selector: str, text: str):
    page.click(selector)
    page.locator(".dash-dropdown-content [role=option]", has_text=text).first.click()
    expect(page.locator(selector)).to_contain_text(text)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_explore_runs_a_small_bundled_sweep_and_draws_its_charts(sessions, size):
    s = sessions()
    s.page.set_viewport_size({"width": size[0], "height": size[1]})
    s.goto("/explore")
    expect(s.page.locator("#explore-description")).not_to_be_empty()
    _pick(s.page, "#explore-pick", "price cap grid")
    expect(s.page.locator("#explore-description")).to_contain_text("Switzerland's portfolio")
    expect(s.page.locator("#explore-runs")).to_have_value("60")
    s.page.fill("#explore-runs", "6")
    # 3 prices x 4 caps = 12 grid points, 6 runs each
    expect(s.page.locator("#explore-size")).to_contain_text("12 grid points x 6 runs = 72 runs")
    s.settle()
    s.page.click("#explore-run")
    expect(s.page.locator("#explore-summary-line")).to_contain_text("72 runs · 12 grid points x 6", timeout=60_000)
    expect(s.page.locator("#explore-flag")).to_contain_text("parties.CHE.met")
    for g in ("explore-probability", "explore-fan", "explore-gaps", "explore-drivers"):
        s.page.wait_for_selector(f"#{g} .js-plotly-plot .main-svg")
    # the heat map: 4 caps (x) by 3 prices (y), with the probability written in each cell
    expect(s.page.locator("#explore-probability .gtitle")).to_contain_text("Probability that CHE meets its NDC")
    expect(s.page.locator("#explore-probability .xtitle")).to_contain_text("price")
    expect(s.page.locator("#explore-fan .gtitle")).to_contain_text("CHE: emissions balance, all runs")
    expect(s.page.locator("#explore-drivers .gtitle")).to_contain_text("What moves CHE gap")
    # another party's fan chart
    _pick(s.page, "#explore-party", "GHA")
    expect(s.page.locator("#explore-fan .gtitle")).to_contain_text("GHA: emissions balance")
    s.settle()
    scroll = s.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert scroll <= 0, f"horizontal scroll of {scroll} px at {size}"
    if SHOTS:
        s.page.screenshot(path=os.path.join(SHOTS, f"explore-{size[0]}x{size[1]}.png"), full_page=True)
    s.check_clean()


def test_a_sweep_file_of_ones_own_is_checked_then_run(sessions, tmp_path):
    # delivery_risk with its own copy of the base scenario and runs: 2: 3 prices x 2 caps =
    # 6 grid points x 2 runs = 12 runs. A wrong lever path first: the located message of
    # `a6sim sweep`, and nothing run
    from a6sim.resources import EXAMPLES_DIR, SWEEP_DIR
    text = (SWEEP_DIR / "delivery_risk.yaml").read_text().replace("runs: 400", "runs: 2")
    (tmp_path / "typo.yaml").write_text(text.replace("agreements.che-gha.cap", "agreements.che-gh.cap"))
    (tmp_path / "mine.yaml").write_text(text.replace("scenario: two_party_basic", "scenario: base.yaml"))
    (tmp_path / "base.yaml").write_text((EXAMPLES_DIR / "two_party_basic.yaml").read_text())
    s = sessions()
    s.goto("/explore")
    expect(s.page.locator("#explore-description")).not_to_be_empty()
    upload = "#explore-sweep-upload input[type=file]"
    s.page.set_input_files(upload, [str(tmp_path / "typo.yaml")])
    expect(s.page.locator("#explore-sweep-status")).to_contain_text(
        "typo.yaml:20: levers.agreements.che-gh.cap: unknown path")
    expect(s.page.locator("#explore-pick")).not_to_contain_text("typo.yaml")
    s.page.set_input_files(upload, [str(tmp_path / "mine.yaml"), str(tmp_path / "base.yaml")])
    expect(s.page.locator("#explore-sweep-status")).to_contain_text("mine.yaml: ok: sweep")
    expect(s.page.locator("#explore-pick")).to_contain_text("yours: mine.yaml")
    expect(s.page.locator("#explore-size")).to_contain_text("6 grid points x 2 runs = 12 runs")
    s.settle()
    s.page.click("#explore-run")
    expect(s.page.locator("#explore-summary-line")).to_contain_text("12 runs · 6 grid points x 2", timeout=60_000)
    expect(s.page.locator("#explore-progress")).to_be_hidden()
    s.check_clean()
