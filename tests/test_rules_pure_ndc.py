"""docs/how-a6sim-counts.md on the pure functions of a6sim/accounting/ndc.py.

ca[y] = first_transferred[y] - used[y] (additions skipped with the teaching switch);
balance = inventory + ca (multi-year, trajectory); averaging: avg = cumulative net up
to the last simulated year / divisor, applied in each elapsed year; attainment;
use_needed = fewest units used in the last year that meet the target.
"""
from fractions import Fraction

from a6sim.accounting.ndc import NdcSpec, attainment_of, averaging_amount, use_needed, year_rows

INV = {2021: 100, 2022: 100, 2023: 100}


def spec(method, first=2021, last=2023, **kw):
    typ = "single-year" if method in ("trajectory", "averaging") else "multi-year"
    if typ == "single-year":
        kw.setdefault("target_year", last)
    return NdcSpec(party="P", type=typ, method=method, first=first, last=last, **kw)


def by(rows, key):
    return {r["year"]: r[key] for r in rows}


# --- averaging_amount ---------------------------------------------------------------
def test_averaging_amount_elapsed_vs_period_divisor():
    # period 2021-2025, used 1,000 in 2022 and 2023; up to 2023: net -2,000
    #   elapsed: 3 years -> -2,000/3;  period: 5 years -> -400
    used = {2022: 1_000, 2023: 1_000}
    assert averaging_amount(spec("averaging", last=2025), {}, used, 2023) == Fraction(-2_000, 3)
    assert averaging_amount(spec("averaging", last=2025, divisor="period"), {}, used, 2023) == -400
    # up to 2022: elapsed -1,000/2 = -500; period -1,000/5 = -200
    assert averaging_amount(spec("averaging", last=2025), {}, used, 2022) == -500
    assert averaging_amount(spec("averaging", last=2025, divisor="period"), {}, used, 2022) == -200
    # past the period both divide by 5
    assert averaging_amount(spec("averaging", last=2025), {}, used, 2030) == -400
    # before the period: nothing elapsed
    assert averaging_amount(spec("averaging", last=2025), {}, used, 2020) == 0


def test_averaging_amount_is_exact_and_skips_additions_with_the_switch_off():
    # ft 600 (2021), used 300 (2022): on: (600 - 300)/3 = 100; off: -300/3 = -100
    ft, used = {2021: 600}, {2022: 300}
    assert averaging_amount(spec("averaging"), ft, used, 2023) == 100
    assert averaging_amount(spec("averaging", corresponding_adjustments=False), ft, used, 2023) == -100
    # 1 unit over 3 years stays a fraction, never rounded
    assert averaging_amount(spec("averaging"), {}, {2021: 1}, 2023) == Fraction(-1, 3)


# --- year_rows ------------------------------------------------------------------------
def test_year_rows_budget_balance_is_inventory_plus_ca():
    # ft 10 (2021), used 30 (2023): ca 10, 0, -30; balance 110, 100, 70
    rows = year_rows(spec("budget", target=300), INV.keys(), INV, {2021: 10}, {}, {2023: 30})
    assert by(rows, "ca") == {2021: 10, 2022: 0, 2023: -30}
    assert by(rows, "emissions_balance") == {2021: 110, 2022: 100, 2023: 70}
    assert by(rows, "method") == {2021: "budget", 2022: "budget", 2023: "budget"}


def test_year_rows_switch_off_drops_additions_only():
    # switch off: ca = -used: 0, 0, -30; first_transferred still reported (10)
    rows = year_rows(spec("budget", target=300, corresponding_adjustments=False), INV.keys(), INV,
                     {2021: 10}, {}, {2023: 30})
    assert by(rows, "ca") == {2021: 0, 2022: 0, 2023: -30}
    assert by(rows, "first_transferred") == {2021: 10, 2022: 0, 2023: 0}


def test_year_rows_averaging_applies_the_average_in_every_elapsed_period_year():
    # period 2021-2023, simulated 2021-2024. net in the period: 10 - 30 = -20, avg -20/3
    # in 2021-2023; 2024 is outside the period: its own net (used 5 -> -5)
    inv = {**INV, 2024: 100}
    rows = year_rows(spec("averaging", target=95), inv.keys(), inv, {2021: 10}, {}, {2023: 30, 2024: 5})
    avg = Fraction(-20, 3)
    assert by(rows, "ca") == {2021: avg, 2022: avg, 2023: avg, 2024: -5}
    assert by(rows, "emissions_balance") == {2021: 100 + avg, 2022: 100 + avg, 2023: 100 + avg, 2024: 95}
    # the applied adjustments sum to the cumulative net (divisor elapsed)
    assert sum(by(rows, "ca")[y] for y in (2021, 2022, 2023)) == -20


def test_year_rows_target_and_trajectory_columns():
    s = spec("trajectory", target=97, trajectory={2021: 100, 2022: 98, 2023: 97})
    rows = year_rows(s, INV.keys(), INV, {}, {}, {})
    assert by(rows, "target") == {2021: None, 2022: None, 2023: 97}
    assert by(rows, "trajectory") == {2021: 100, 2022: 98, 2023: 97}


# --- attainment_of -----------------------------------------------------------------------
def test_attainment_budget_compares_the_period_sum():
    # balances 110 + 100 + 70 = 280; budget 280 met (gap 0); budget 279 missed (gap 1)
    rows = year_rows(spec("budget", target=280), INV.keys(), INV, {2021: 10}, {}, {2023: 30})
    a = attainment_of(spec("budget", target=280), rows)
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (280, 280, 0, True)
    a = attainment_of(spec("budget", target=279), rows)
    assert (a["gap"], a["met"]) == (1, False)


def test_attainment_targets_needs_every_year():
    # balances 100 each; targets 100, 99, 102: sum 301 >= 300 but 2022 missed by 1:
    # yearly gaps 0, +1, -2, so gap = 1 (the shortfall; the period sum -1 was the old figure)
    s = spec("targets", targets={2021: 100, 2022: 99, 2023: 102})
    a = attainment_of(s, year_rows(s, INV.keys(), INV, {}, {}, {}))
    assert (a["balance"], a["target"], a["gap"], a["met"]) == (300, 301, 1, False)
    s = spec("targets", targets={2021: 100, 2022: 100, 2023: 100})
    a = attainment_of(s, year_rows(s, INV.keys(), INV, {}, {}, {}))
    assert (a["gap"], a["met"]) == (0, True)


def test_attainment_averaging_uses_the_target_year_balance():
    # avg -20/3: target-year balance 280/3 = 93.33; target 94 -> gap -2/3, met
    s = spec("averaging", target=94)
    a = attainment_of(s, year_rows(s, INV.keys(), INV, {2021: 10}, {}, {2023: 30}))
    assert a["balance"] == Fraction(280, 3)
    assert a["gap"] == Fraction(-2, 3) and a["met"] is True


def test_attainment_empty_when_the_period_runs_past_the_simulation():
    s = spec("budget", last=2025, target=500)
    a = attainment_of(s, year_rows(s, INV.keys(), INV, {}, {}, {}))
    assert (a["balance"], a["gap"], a["met"]) == (None, None, None)
    s = spec("averaging", last=2025, target=90)
    a = attainment_of(s, year_rows(s, INV.keys(), INV, {}, {}, {}))
    assert (a["balance"], a["gap"], a["met"]) == (None, None, None)


# --- use_needed ------------------------------------------------------------------------------
def test_use_needed_budget_is_the_gap():
    # balances sum 300 vs budget 290: 10 needed; budget 300: none
    assert use_needed(spec("budget", target=290), INV, {}, {}, {}) == 10
    assert use_needed(spec("budget", target=300), INV, {}, {}, {}) == 0


def test_use_needed_averaging_is_ceil_of_gap_times_divisor():
    # used 1 in 2021: avg -1/3, target-year balance 99 2/3, target 99: gap 2/3.
    # each unit lowers the average by 1/3: need = ceil(2/3 * 3) = 2
    # (check: 2 more -> net -3, avg -1, balance 99 met; 1 more -> 99 1/3, missed)
    s = spec("averaging", target=99)
    assert use_needed(s, INV, {}, {}, {2021: 1}) == 2
    # no prior use: gap 1 -> 3 units
    assert use_needed(s, INV, {}, {}, {}) == 3


def test_use_needed_trajectory_and_targets():
    # trajectory, target year = last: gap 100 - 97 = 3
    assert use_needed(spec("trajectory", target=97, trajectory={2021: 100}), INV, {}, {}, {}) == 3
    # target year 2022 before the last year 2023: a use in 2023 cannot help -> 0
    assert use_needed(spec("trajectory", target_year=2022, target=97, trajectory={2021: 100}),
                      INV, {}, {}, {}) == 0
    # per-year targets: only the last year can be fixed: 100 - 95 = 5
    assert use_needed(spec("targets", targets={2021: 99, 2022: 100, 2023: 95}), INV, {}, {}, {}) == 5
