"""Economics of a deal (docs/economics.md): every formula against numbers worked out by hand.

Quantities below are in MtCO2e where a scenario says ``units: MtCO2e``; a curve's
``b`` is then currency per tCO2e per Mt, so ``a + b*q`` with ``q`` in Mt, and the
cost of ``q`` Mt is ``(a*q + b*q**2/2) * 1e6`` (currency).
"""
from __future__ import annotations

import json
import math
import textwrap

import pytest

import a6sim
from a6sim.accounting.ndc import NdcSpec
from a6sim.cli import main as cli_main
from a6sim.economics import clear_year, economics, share
from a6sim.economics.compliance import needed_abatement, yearly_obligations
from a6sim.economics.curves import Curve, curve_for_year, curve_from_model
from a6sim.economics.leastcost import _weight
from a6sim.scenario.model import AbatementCurve

MT = 1_000_000
approx = lambda x: pytest.approx(x, rel=1e-9, abs=1e-3)   # noqa: E731  (tonnes and currency)


def linear(a, b, max=None):
    return curve_from_model(AbatementCurve(a=a, b=b, max=max), MT)


def piecewise(*points):
    return curve_from_model(AbatementCurve(points=[list(p) for p in points]), MT)


# --------------------------------------------------------------------------------------
# Curves
# --------------------------------------------------------------------------------------

def test_linear_curve_cost_and_marginal_cost():
    c = linear(10, 2)                       # MAC = 10 + 2q, q in Mt
    # mac(3 Mt) = 10 + 2*3 = 16; cost(3 Mt) = (10*3 + 2*9/2) * 1e6 = 39e6.
    assert c.mac(3 * MT) == approx(16)
    assert c.cost(3 * MT) == approx(39e6)
    # At a price of 14: 10 + 2q = 14 -> q = 2 Mt (one point: the curve rises everywhere).
    assert c.abatement_at(14) == (approx(2 * MT), approx(2 * MT))
    # Below a = 10 nothing is abated.
    assert c.abatement_at(9) == (0.0, 0.0)
    # A capacity of 1.5 Mt: nothing beyond it, whatever the price.
    assert linear(10, 2, max=1.5).abatement_at(100) == (1.5 * MT, 1.5 * MT)
    assert linear(10, 2, max=1.5).cost(3 * MT) == approx((10 * 1.5 + 2.25) * MT)   # 17.25e6


def test_piecewise_curve_cost_marginal_cost_and_capacity():
    c = piecewise((0, 0), (1, 10), (3, 50))  # Mt, currency per t
    # cost(2 Mt): 0->1: 1e6 * (0 + 10)/2 = 5e6; 1->2: mac(2) = 10 + 40/2 = 30, 1e6 * (10 + 30)/2 = 20e6.
    assert c.mac(2 * MT) == approx(30)
    assert c.cost(2 * MT) == approx(25e6)
    # The whole curve: 5e6 + 2e6 * (10 + 50)/2 = 65e6; nothing beyond the last point.
    assert c.capacity == 3 * MT
    assert c.cost(5 * MT) == approx(65e6)
    assert c.abatement_at(30) == (approx(2 * MT), approx(2 * MT))
    assert c.abatement_at(60) == (3 * MT, 3 * MT)


def test_flat_part_of_a_curve_is_a_range():
    c = piecewise((0, 5), (1, 5), (2, 9))    # 1 Mt at 5 each, then rising to 9
    # At exactly 5 anything from 0 to 1 Mt is cheapest; below 5 nothing, above 5 at least 1 Mt.
    assert c.abatement_at(5) == (0.0, 1 * MT)
    assert c.abatement_at(7) == (approx(1.5 * MT), approx(1.5 * MT))   # 5 + 4(q-1) = 7


def test_curve_between_years_is_linear_in_the_year():
    given = {2021: linear(10, 2), 2031: linear(20, 0)}
    # 2026 is half way: mac(q) = (10 + 2q)/2 + 20/2 = 15 + q.
    mid = curve_for_year(given, 2026)
    assert mid.mac(0) == approx(15)
    assert mid.mac(4 * MT) == approx(19)
    # cost(4 Mt) = (15*4 + 16/2) * 1e6 = 68e6; flat before the first and after the last year.
    assert mid.cost(4 * MT) == approx(68e6)
    assert curve_for_year(given, 2020).mac(1 * MT) == approx(12)
    assert curve_for_year(given, 2040).mac(1 * MT) == approx(20)


def test_piecewise_and_linear_curves_blend():
    given = {2020: piecewise((0, 0), (2, 20)), 2030: linear(0, 20, max=4)}
    # 2025: mac(q) = (10q)/2 + (20q)/2 = 15q up to the capacity (2 + 4)/2 = 3 Mt.
    c = curve_for_year(given, 2025)
    assert c.capacity == approx(3 * MT)
    assert c.mac(2 * MT) == approx(30)
    assert c.cost(3 * MT) == approx(15 * 9 / 2 * MT)                    # 67.5e6


# --------------------------------------------------------------------------------------
# Sharing at one marginal cost; what each NDC type needs
# --------------------------------------------------------------------------------------

def test_budget_spread_at_one_marginal_cost():
    # Two years, MAC 2q and 4q (Mt), 3 Mt to cut: q1 = L/2, q2 = L/4, 3L/4 = 3 -> L = 4,
    # q1 = 2 Mt, q2 = 1 Mt. Cost 2*4/2 + 4*1/2 = 4 + 2 = 6e6 (an even split, 1.5 each,
    # would cost 2.25e6 + 4.5e6 = 6.75e6).
    res = share([(linear(0, 2), 0.0), (linear(0, 4), 0.0)], 3 * MT)
    assert res.price == approx(4)
    assert res.extra == (approx(2 * MT), approx(1 * MT))
    assert res.unmet == 0


def test_what_each_ndc_type_requires():
    curves = {y: linear(0, 2) for y in (2021, 2022, 2023)}
    q0 = {2021: 0.0, 2022: 0.0, 2023: 0.0}
    bal = {2021: 12 * MT, 2022: 11 * MT, 2023: 10 * MT}
    # Single-year (trajectory or averaging: the balance that counts is the target year's):
    # 10 Mt against 9 -> 1 Mt in 2023 only.
    for method in ("trajectory", "averaging"):
        spec = NdcSpec("P", "single-year", method, 2021, 2023, target_year=2023, target=9 * MT,
                       trajectory={2021: 12 * MT, 2022: 11 * MT, 2023: 9 * MT} if method == "trajectory" else None)
        assert needed_abatement(spec, bal, curves, q0).extra == {2023: approx(1 * MT)}
    # Budget 30 Mt: 33 - 30 = 3 Mt, the same curve every year: 1 Mt a year.
    spec = NdcSpec("P", "multi-year", "budget", 2021, 2023, target=30 * MT)
    assert needed_abatement(spec, bal, curves, q0).extra == {y: approx(1 * MT) for y in (2021, 2022, 2023)}
    # Per-year targets 11, 11, 11: 1 Mt in 2021 only (2022 and 2023 are at or below).
    spec = NdcSpec("P", "multi-year", "targets", 2021, 2023, targets={2021: 11 * MT, 2022: 11 * MT, 2023: 11 * MT})
    assert needed_abatement(spec, bal, curves, q0).extra == {2021: approx(1 * MT)}
    # Market obligations: a budget's shortfall spread evenly; a single-year NDC's target year.
    spec = NdcSpec("P", "multi-year", "budget", 2021, 2023, target=30 * MT)
    assert yearly_obligations(spec, bal) == {y: approx(1 * MT) for y in (2021, 2022, 2023)}
    # An averaging buyer over three elapsed years: one unit used lowers the target year by 1/3.
    spec = NdcSpec("P", "single-year", "averaging", 2021, 2023, target_year=2023, target=9 * MT)
    assert _weight(spec, [2021, 2022, 2023]) == pytest.approx(1 / 3)


# --------------------------------------------------------------------------------------
# The market: two linear curves, worked by hand
# --------------------------------------------------------------------------------------

def test_two_linear_curves_clear_at_the_hand_worked_price():
    # A: MAC = 10 + 2q, must cut 5 Mt. B: MAC = 4 + q, must cut 2 Mt. Total 7 Mt.
    # Equal marginal costs: (P - 10)/2 + (P - 4) = 7 -> 3P = 32 -> P = 32/3 = 10.667.
    # A abates (32/3 - 10)/2 = 1/3 Mt and buys 5 - 1/3 = 14/3 Mt; B abates 32/3 - 4 = 20/3 Mt
    # and sells 20/3 - 2 = 14/3 Mt.
    out = clear_year([(linear(10, 2), 0.0), (linear(4, 1), 0.0)], [5 * MT, 2 * MT])
    assert out["status"] == "cleared"
    assert out["price"] == pytest.approx(32 / 3, abs=1e-8)
    assert out["extra"] == [approx(MT / 3), approx(20 * MT / 3)]
    assert out["bought"] == [approx(14 * MT / 3), 0.0]
    assert out["sold"] == [0.0, approx(14 * MT / 3)]


MARKET = """\
    a6sim: 1
    name: two linear curves
    units: MtCO2e
    period: {start: 2021, end: 2021}
    settings: {economics: market}
    parties:
      A:
        name: A
        emissions: {2021: 50}
        ndc: {type: single-year, period: [2021, 2021], target_year: 2021, target: 45,
              method: trajectory, trajectory: {2021: 45}}
        abatement_cost: {2021: {a: 10, b: 2}}
      B:
        name: B
        emissions: {2021: 20}
        ndc: {type: multi-year, period: [2021, 2021], budget: 18}
        abatement_cost: {2021: {a: 4, b: 1}}
"""


def test_market_gains_from_cooperation_by_hand(tmp_path):
    path = tmp_path / "market.yaml"
    path.write_text(textwrap.dedent(MARKET))
    r = a6sim.simulate(path)
    t = r.economics.set_index("party")
    # Autarky: A cuts 5 Mt: 10*5 + 2*25/2 = 75e6. B cuts 2 Mt: 4*2 + 4/2 = 10e6.
    assert t.loc["A", "net_cost_no_deals"] == approx(75e6)
    assert t.loc["B", "net_cost_no_deals"] == approx(10e6)
    # Market at P = 32/3: A abates 1/3 Mt: 10/3 + 1/9 = 31/9 e6, pays 14/3 * 32/3 = 448/9 e6,
    # net 479/9 e6 = 53.22e6: it gains 75 - 479/9 = 196/9 e6 = 21.78e6.
    assert t.loc["A", "abatement_cost"] == approx(31 / 9 * MT)
    assert t.loc["A", "itmo_paid"] == approx(448 / 9 * MT)
    assert t.loc["A", "saving"] == approx(196 / 9 * MT)
    # B abates 20/3 Mt: 4*20/3 + (20/3)^2/2 = 440/9 e6, earns 448/9 e6: net -8/9 e6, gains
    # 10 + 8/9 = 98/9 e6 = 10.89e6.
    assert t.loc["B", "abatement_cost"] == approx(440 / 9 * MT)
    assert t.loc["B", "itmo_revenue"] == approx(448 / 9 * MT)
    assert t.loc["B", "saving"] == approx(98 / 9 * MT)
    # Together: 85e6 - 471/9 e6 = 294/9 e6 = 32.67e6; both marginal costs equal the price.
    e = r.summary["economics"]
    assert e["total"]["saving"] == pytest.approx(294 / 9 * MT, abs=0.01)
    assert e["market"]["years"]["2021"]["status"] == "cleared"
    assert e["market"]["years"]["2021"]["price"] == pytest.approx(32 / 3, abs=1e-6)
    assert "brentq" in e["market"]["method"]
    assert t.loc["A", "marginal_cost"] == pytest.approx(32 / 3) == t.loc["B", "marginal_cost"]


def test_market_that_cannot_clear_says_so(tmp_path):
    # A must cut 5 Mt but can abate 1; B 2 Mt and can abate 3 (piecewise to 3 Mt): 7 Mt
    # needed, 4 Mt possible. Best price: the highest marginal cost at capacity, B's 30.
    text = textwrap.dedent(MARKET).replace("{2021: {a: 10, b: 2}}", "{2021: {a: 10, b: 2, max: 1}}").replace(
        "{2021: {a: 4, b: 1}}", "{2021: {points: [[0, 0], [3, 30]]}}")
    path = tmp_path / "tight.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    assert cli_main(["run", str(path), "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    year = summary["economics"]["market"]["years"]["2021"]
    assert year["status"] == "no-clear"
    assert year["price"] == pytest.approx(30)
    assert year["excess_demand"] == pytest.approx(3 * MT)                  # 7 - 4 Mt
    assert any("cannot clear" in m and "best price found 30.00" in m for m in summary["economics"]["messages"])


def test_market_surplus_at_zero_price():
    # Demand 1 Mt, headroom 3 Mt: supply exceeds demand at a zero price; sellers sell 1/3 of it.
    out = clear_year([(linear(10, 2), 0.0), (linear(4, 1), 0.0)], [1 * MT, -3 * MT])
    assert out["status"] == "surplus" and out["price"] == 0.0
    assert out["bought"] == [approx(MT), 0.0]
    assert out["sold"] == [0.0, approx(MT)]


# --------------------------------------------------------------------------------------
# A deal: compliance costs with and without it, the host's dilemma, least cost
# --------------------------------------------------------------------------------------

DEAL = """\
    a6sim: 1
    name: hand-worked deal
    units: MtCO2e
    period: {start: 2021, end: 2023}
    parties:
      HOS:
        name: Host
        emissions: {2021: 10}
        ndc: {type: multi-year, period: [2021, 2023], budget: 28}
        abatement_cost: {2021: {a: 0, b: 3}}
      BUY:
        name: Buyer
        emissions: {2021: 30}
        ndc: {type: single-year, period: [2021, 2023], target_year: 2023, target: 28, method: trajectory,
              trajectory: {2021: 30, 2023: 28}}
        abatement_cost: {2021: {a: 10, b: 10}}
    activities:
      hos-wind: {host: HOS, mechanism: "6.2", vintages: [2021, 2022], outcome: 1}
    agreements:
      buy-hos:
        seller: HOS
        buyer: BUY
        activities: [hos-wind]
        authorisation: {date: 2021-06-01, purpose: NDC}
        price: 20
"""


@pytest.fixture(scope="module")
def deal(tmp_path_factory):
    path = tmp_path_factory.mktemp("deal") / "deal.yaml"
    path.write_text(textwrap.dedent(DEAL))
    return a6sim.simulate(path)


def test_deal_costs_and_the_hosts_dilemma(deal):
    t = deal.economics.set_index(["party", "year"])
    # HOS: inventory 9, 9, 10 Mt (1 Mt wind in 2021 and 2022): 28 = budget, met with no deal.
    # It first transfers 2 Mt: balances 10, 10, 10 = 30, 2 Mt over. At one marginal cost on
    # MAC = 3q from q0 = 1, 1, 0: q = L/3 each year, (L/3 - 1) + (L/3 - 1) + L/3 = 2 -> L = 4,
    # q = 4/3 Mt each year: extra 1/3, 1/3, 4/3 Mt.
    assert [t.loc[("HOS", y), "abatement_needed"] for y in (2021, 2022, 2023)] == \
        [approx(MT / 3), approx(MT / 3), approx(4 * MT / 3)]
    assert t.loc[("HOS", 2023), "marginal_cost"] == pytest.approx(4)
    # Cost 3 * (4/3)^2 / 2 = 8/3 e6 a year, 8e6 in all; with no deal 1.5 + 1.5 + 0 = 3e6. The
    # adjustments cost it 5e6 against 2 Mt x 20 = 40e6 revenue: it gains 35e6.
    e = deal.summary["economics"]["parties"]
    assert e["HOS"]["abatement_cost"] == pytest.approx(8e6)
    assert e["HOS"]["net_cost_no_deals"] == pytest.approx(3e6)
    assert e["HOS"]["adjustment_abatement"] == pytest.approx(2e6)
    assert e["HOS"]["adjustment_cost"] == pytest.approx(5e6)
    assert e["HOS"]["itmo_revenue"] == pytest.approx(40e6)
    assert e["HOS"]["saving"] == pytest.approx(35e6)
    # BUY: with no deal it cuts 2 Mt in 2023 on 10 + 10q: 20 + 20 = 40e6. With the deal it uses
    # the 2 Mt (as-needed, 2023-12-31) and pays 20e6 in 2022 and in 2023: 40e6, saving 0.
    assert t.loc[("BUY", 2023), "abatement_needed_no_deals"] == approx(2 * MT)
    assert t.loc[("BUY", 2022), "itmo_paid"] == approx(20e6)
    assert e["BUY"]["net_cost_no_deals"] == pytest.approx(40e6)
    assert e["BUY"]["net_cost"] == pytest.approx(40e6)
    assert e["BUY"]["saving"] == pytest.approx(0, abs=0.01)


def test_least_cost_buys_only_what_is_cheaper_than_home(deal):
    r = economics(deal, "least-cost")
    e = r.summary["parties"]
    # BUY abates while 10 + 10q < 20: 1 Mt (cost 10 + 5 = 15e6), buys the other 1 Mt (20e6):
    # 35e6 against 40e6 with no deal: saving 5e6.
    assert e["BUY"]["abatement_cost"] == pytest.approx(15e6)
    assert e["BUY"]["itmo_acquired"] == pytest.approx(1e6)
    assert e["BUY"]["saving"] == pytest.approx(5e6)
    # HOS first transfers half (0.5 Mt of each vintage): balances sum to 29, 1 Mt over;
    # q = L/3, (L/3 - 1)*2 + L/3 = 1 -> L = 3, q = 1 Mt each year: extra 0, 0, 1 Mt;
    # cost 1.5e6 a year = 4.5e6, adjustments 1.5e6, revenue 20e6: saving 18.5e6.
    assert e["HOS"]["abatement_cost"] == pytest.approx(4.5e6)
    assert e["HOS"]["itmo_revenue"] == pytest.approx(20e6)
    assert e["HOS"]["saving"] == pytest.approx(18.5e6)


def test_market_mode_on_the_deal(deal):
    r = economics(deal, "market")
    # Obligations: HOS budget (28 - 28)/3 = 0 a year; BUY 2 Mt in 2023. In 2023 HOS (MAC 3q,
    # q0 = 0) sells below BUY's 10: 3q = P, q = 2 -> P = 6. BUY pays 12e6 (gains 40 - 12 = 28e6);
    # HOS abates 2 Mt for 6e6 and earns 12e6 (gains 6e6). Total 34e6.
    assert r.summary["market"]["years"]["2023"]["price"] == pytest.approx(6)
    assert r.summary["market"]["years"]["2021"]["status"] == "no-trade"
    assert r.summary["parties"]["BUY"]["saving"] == pytest.approx(28e6)
    assert r.summary["parties"]["HOS"]["saving"] == pytest.approx(6e6)
    assert r.summary["total"]["saving"] == pytest.approx(34e6)


def test_economics_csv_only_with_curves(deal, tmp_path):
    deal.write(tmp_path / "with")
    text = (tmp_path / "with" / "economics.csv").read_text()
    assert text.splitlines()[0].startswith("party,year,mode,price,reference")
    assert len(text.splitlines()) == 1 + 6                                  # 2 parties x 3 years
    plain = a6sim.simulate(a6sim.load_scenario(
        __import__("a6sim.resources", fromlist=["x"]).resolve_scenario("two_party_basic")))
    plain.write(tmp_path / "without")
    assert not (tmp_path / "without" / "economics.csv").exists()
    assert "economics" not in plain.summary and plain.economics.empty


# --------------------------------------------------------------------------------------
# Bad input: located errors
# --------------------------------------------------------------------------------------

BAD = """\
    a6sim: 1
    name: bad curves
    period: {start: 2021, end: 2030}
    parties:
      A:
        name: A
        emissions: {2021: 10}
        abatement_cost:
          2021: {a: -1, b: 2}
          2025: {points: [[0, 5], [1, 3]]}
          2029: {a: 1, b: -2}
"""


def test_bad_curves_are_located(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(BAD))
    assert cli_main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:9: parties.A.abatement_cost.2021.a: a marginal cost may not be negative" in err
    assert f"{path}:10: parties.A.abatement_cost.2025.points[1]: the curve may not decrease" in err
    assert f"{path}:11: parties.A.abatement_cost.2029.b: the curve may not decrease (b >= 0)" in err
    assert "Traceback" not in err
    # A curve with no points fails the schema (reported before the checks above run).
    path.write_text(textwrap.dedent(BAD).replace("{points: [[0, 5], [1, 3]]}", "{points: []}"))
    assert cli_main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:10: parties.A.abatement_cost.2025.points: expected a list of at least two" in err


def test_unknown_economics_mode_is_refused(tmp_path, capsys):
    path = tmp_path / "mode.yaml"
    path.write_text(textwrap.dedent(MARKET).replace("economics: market", "economics: cheapest"))
    assert cli_main(["validate", str(path)]) == 2
    assert "settings.economics" in capsys.readouterr().err


def test_no_nan_in_costs(deal):
    for mode in ("deals", "least-cost", "market"):
        t = economics(deal, mode).table
        money = t[["abatement_cost", "net_cost", "saving"]].to_numpy(dtype=float)
        assert not any(math.isnan(x) for x in money.ravel())


def test_economics_of_a_pickled_run(tmp_path):
    import pickle
    path = tmp_path / "deal.yaml"
    path.write_text(textwrap.dedent(DEAL))
    r = pickle.loads(pickle.dumps(a6sim.simulate(path)))      # as a worker process hands it back
    assert r.summary["economics"]["parties"]["HOS"]["saving"] == pytest.approx(35e6)
    assert economics(r, "market").summary["total"]["saving"] == pytest.approx(34e6)
