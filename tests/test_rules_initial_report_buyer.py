"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 18, the buyer's side: a party that
gives `initial_report` uses no ITMOs before that date. A use due earlier is listed in
`violations` (`use-before-initial-report`) and waits until the report date; the
seller's side (no authorisation or first transfer before its report) is unchanged.
"""
from helpers import agreement, budget_ndc, col, day, held, ledger, run, two_party

# Vintage 2021 (1,000 t) delivered to CHE 2022-01-31; CHE's NDC: budget 2021-2023.


def with_buyer_report(report, policy="on-receipt", che_ndc=None, period=(2021, 2023)):
    data = two_party(deal=agreement(policy=policy), che_ndc=che_ndc, period=period)
    if report is not None:
        data["parties"]["CHE"]["initial_report"] = day(report)
    return data


def test_use_before_the_buyers_report_waits_for_it():
    # report 2023-03-01: the on-receipt use of 2022-01-31 is refused then, and made on
    # 2023-03-01; it counts for 2023 (used[2023] = 1,000, not used[2022])
    r = run(with_buyer_report("2023-03-01"))
    [v] = r.violations
    assert (v["kind"], v["party"], v["date"], v["quantity"]) == ("use-before-initial-report", "CHE",
                                                                 "2022-01-31", 1_000)
    [use] = ledger(r, action="use")
    assert (use["date"], use["quantity"], use["to_account"]) == ("2023-03-01", 1_000, "CHE:ndc-use")
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 1_000}


def test_without_a_report_date_the_gate_is_off():
    r = run(with_buyer_report(None))
    assert r.violations == []
    [use] = ledger(r, action="use")
    assert use["date"] == "2022-01-31"


def test_report_after_the_run_means_no_use_at_all():
    # report 2024-06-01, after the simulated period: the units stay held
    r = run(with_buyer_report("2024-06-01"))
    assert [v["kind"] for v in r.violations] == ["use-before-initial-report"]
    assert ledger(r, action="use") == []
    assert held(r, "CHE:holding") == 1_000
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 0}


def test_as_needed_true_up_waits_for_the_report_and_still_counts_for_the_period():
    # CHE budget 149,500 over 2021-2023 on 150,000 t: needs 500 at the true-up of
    # 2023-12-31; its report is 2024-02-01 (simulated 2021-2024): the true-up is
    # refused on 2023-12-31 and made on 2024-02-01; a use after the period counts for
    # its last year, 2023: balance 149,500, gap 0.
    r = run(with_buyer_report("2024-02-01", policy="as-needed", che_ndc=budget_ndc(2021, 2023, 149_500),
                              period=(2021, 2024)))
    [v] = r.violations
    assert (v["kind"], v["date"], v["quantity"]) == ("use-before-initial-report", "2023-12-31", 500)
    [use] = ledger(r, action="use")
    assert (use["date"], use["quantity"]) == ("2024-02-01", 500)
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 500, 2024: 0}
    assert r.summary["parties"]["CHE"]["gap"] == 0


def test_report_before_the_use_changes_nothing():
    r = run(with_buyer_report("2022-01-31"))
    assert r.violations == []
    assert ledger(r, action="use")[0]["date"] == "2022-01-31"
