"""The Economics page in a real browser (Debian chromium via Playwright; see
test_dashboard_browser.py for the server and session fixtures). No console errors, no
failed requests; the page draws its charts for a deal and for a market."""
from __future__ import annotations

from test_dashboard_browser import browser, chromium_path, expect, plots_in, server, sessions  # noqa: F401


def test_economics_page_for_a_deal_and_a_market(sessions):   # noqa: F811
    s = sessions()
    s.goto("/")
    # before a run with curves: the page says where curves come from
    s.pick_scenario("two_party_basic.yaml", "agreements/che-gha/price")
    s.run()
    s.nav("/economics")
    expect(s.page.locator("#page")).to_contain_text("No party of this scenario has an abatement cost curve")
    s.check_clean()

    s.nav("/")
    s.pick_scenario("china_ccer_costs.yaml", "agreements/byl-chn/price")
    s.run()
    s.nav("/economics")
    page = s.page.locator("#page")
    expect(page.locator(".a6-page-title")).to_have_text("Economics")
    expect(page).to_contain_text("Saving")
    # the hand-worked saving of China plus Buyland: 3,163 M + 50 M CNY
    expect(page).to_contain_text("CNY 3.21 bn")
    assert plots_in(s.page, "#page") == 3           # curves, costs, gains
    # another year of curves: 2025, where only the activity's tonnes are abated
    s.page.click("#econ-year")
    s.page.locator(".dash-dropdown-content [role=option]", has_text="2025").click()
    expect(s.page.locator("#econ-curves .gtitle")).to_contain_text("2025")
    s.settle()
    s.check_clean()

    s.nav("/")
    s.pick_scenario("gcam_world_market.yaml", "settings/economics")
    s.run()
    s.nav("/economics")
    expect(page).to_contain_text("mode: market")
    assert plots_in(s.page, "#page") == 4           # and the clearing price
    expect(page).to_contain_text("ITMO price")
    s.settle()
    s.check_clean()
