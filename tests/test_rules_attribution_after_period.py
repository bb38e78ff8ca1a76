"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 8: with `ca_attribution:
first-transfer-year`, a first transfer after the end of the host's NDC period counts
for that period's last year, exactly as a use after the buyer's period (the true-up)
counts for its last year. Both sides of the same tonne land in the same accounts.
"""
from helpers import activity, agreement, budget_ndc, cell, col, party, rows, run, scenario

# Period 2021-2024. GHA (100,000 t a year) and CHE (50,000 t a year) both have NDCs
# over 2021-2023. The activity's vintage 2023 (1,000 t) is issued 2024-01-31 and
# first-transferred the same day; CHE uses it on receipt: a use in 2024, after CHE's
# period, so it counts for 2023. GHA's inventory for 2023 is 99,000 (the outcome).


def data(attribution, gha_ndc=budget_ndc(2021, 2023, 300_000), **gha):
    return scenario(
        parties={"GHA": party(100_000, gha_ndc, **gha), "CHE": party(50_000, budget_ndc(2021, 2023, 150_000))},
        activities={"act": activity(vintages=(2023, 2023))},
        agreements={"deal": agreement()},
        settings={"ca_attribution": attribution}, period=(2021, 2024))


def test_first_transfer_after_the_host_period_counts_for_its_last_year():
    # first-transfer-year: the first transfer of 2024-01-31 is after GHA's period
    # (2021-2023): it counts for 2023 (before this fix: for 2024, outside the period,
    # so GHA kept the 1,000 t in its NDC while CHE counted them too).
    # GHA balances: 100,000, 100,000, 99,000 + 1,000 = 100,000; sum 300,000: gap 0.
    r = run(data("first-transfer-year"))
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 1_000, 2024: 0}
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 1_000, 2024: 0}
    [gha] = rows(r.attainment, party="GHA")
    assert (gha["balance"], gha["gap"], gha["met"]) == (300_000, 0, True)
    # both sides in 2023: +1,000 (GHA) - 1,000 (CHE)
    assert col(r.integrity, "net_ca") == {2021: 0, 2022: 0, 2023: 0, 2024: 0}
    assert r.summary["double_claimed"] == 0


def test_vintage_attribution_gives_the_same_accounts_here():
    # vintage 2023 is inside the period: +1,000 for 2023 either way
    r = run(data("vintage"))
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 1_000, 2024: 0}
    assert cell(r.attainment, "gap", party="GHA") == 0


def test_a_host_without_ndc_keeps_the_year_of_the_first_transfer():
    # no NDC period to pull into: the first transfer counts for 2024, the year it happened
    r = run(data("first-transfer-year", gha_ndc=None))
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 0, 2024: 1_000}


def test_first_transfer_between_two_periods_counts_for_the_one_just_ended():
    # GHA has NDCs 2021-2022 and 2024-2024; vintage 2022 is first-transferred on
    # 2023-01-31, between them: it counts for 2022 (the last year of the period just
    # ended); under vintage attribution for 2022 too.
    d = data("first-transfer-year", gha_ndc=None,
             ndcs=[budget_ndc(2021, 2022, 200_000), budget_ndc(2024, 2024, 100_000)])
    d["activities"]["act"]["vintages"] = [2022, 2022]
    r = run(d)
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 1_000, 2023: 0, 2024: 0}
