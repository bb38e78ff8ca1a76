"""The Economics page's figure builders (no browser): what each chart draws, by hand."""
from __future__ import annotations

import pytest

import a6sim
from a6sim.dashboard.views import economics as ev
from a6sim.economics import party_curves
from a6sim.resources import resolve_scenario

MT = 1_000_000


@pytest.fixture(scope="module")
def china():
    return a6sim.simulate(resolve_scenario("china_ccer_costs"))


def test_short_money():
    assert ev.short_money(108_855_109_417.74, "USD") == "USD 108.86 bn"
    assert ev.short_money(-102_800_000, "CNY") == "CNY \u2212102.80 M"
    assert ev.short_money(4_500, "SGD") == "SGD 4,500"


def test_curve_figure_marks_abatement_with_and_without_the_deals(china):
    curves = party_curves(china.scenario)
    table = china.economics
    assert ev.key_year(table) == 2030          # China's 50 Mt and Buyland's 5 Mt (no deals) are in 2030
    fig = ev.curve_figure(curves, table, 2030, "CNY", names={"CHN": "China", "BYL": "Buyland"})
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == ["China", "Buyland"]
    with_deals = {t.name: (t.x[0], t.y[0]) for t in fig.data if t.name.endswith("with the deals")}
    no_deals = {t.name: (t.x[0], t.y[0]) for t in fig.data if t.name.endswith("no deals")}
    # China: 60 Mt at 114.4 with the deals, 50 Mt at 93 without; Buyland: 0 Mt (buys) and 5 Mt at 60 + 50 = 110.
    assert with_deals["CHN: with the deals"] == pytest.approx((60, 114.4))
    assert no_deals["CHN: no deals"] == pytest.approx((50, 93))
    assert no_deals["BYL: no deals"] == pytest.approx((5, 110))
    # the price line at 70 and a y range that keeps every marker in view
    assert [s.y0 for s in fig.layout.shapes] == [70]
    assert fig.layout.yaxis.range[1] >= 114.4


def test_cost_and_gains_figures_and_cards(china):
    e = china.summary["economics"]
    costs = ev.cost_figure(e, "CNY", {"CHN": "China", "BYL": "Buyland"})
    assert [t.name for t in costs.data] == ["No deals", "With the deals"]
    assert list(costs.data[0].y) == pytest.approx([3_060.2e6, 4_250e6])
    gains = ev.gains_figure(e, "CNY")
    assert list(gains.data[0].y) == pytest.approx([3_163e6, 50e6])     # savings
    assert list(gains.data[2].y) == pytest.approx([-1_037e6, 0])        # China's adjustments cost
    cards = {c["label"]: c["value"] for c in ev.economics_cards(e, "CNY")}
    assert cards["Saving"] == "CNY 3.21 bn" and cards["Saving, share of no-deal cost"] == "44%"
    assert ev.price_figure(e, "CNY") is None
    rows = ev.party_records(e, "CNY", {"CHN": "China"})
    assert rows[0]["party"] == "China" and rows[0]["extra abatement for adjustments (Mt)"] == "10.00"
    # the abatement the NDC still needs beyond the activities' own 10 Mt: 50 with the deals (the
    # curve chart's filled marker is the total, 60), 40 without; named so, beside that chart
    assert (rows[0]["abatement needed with deals (Mt)"], rows[0]["abatement needed no deals (Mt)"]) == ("50.00", "40.00")


def test_cost_differences_for_compare(china):
    from a6sim.economics import economics
    a = china.summary
    b = dict(a, economics=economics(china, "least-cost").summary)
    rows = {r["party"]: r for r in ev.cost_differences(a, b, "CNY")}
    # Buyland in least-cost mode: abates 1 Mt a year while 60 + 10q < 70 and buys 40 Mt; cost
    # 10 x 65 M + 40 Mt x 70 = 3,450 M against 4,200 M as the deals ran: -750 M.
    assert rows["BYL"]["net cost A"] == "CNY 4.20 bn"
    assert rows["BYL"]["net cost B"] == "CNY 3.45 bn"
    assert rows["BYL"]["net cost B − A"] == "CNY \u2212750.00 M"
    assert ev.cost_differences({}, {}, "CNY") == []
