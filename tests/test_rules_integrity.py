"""docs/how-a6sim-counts.md (teaching switch, integrity figures, reporting) and the README's result files
(integrity.csv, structured summary).

* a party with `corresponding_adjustments: false` skips its additions (ca = -used);
  units others use from it are double claimed;
* with every party adjusting, double claimed is 0 and the total of ca is >= 0;
* integrity per year: inventory_total, balance_total, net_ca (sum over parties of the
  applied ca), omge_cancelled, adaptation_fund_units, double_claimed.
"""
import pandas as pd

from helpers import activity, agreement, budget_ndc, col, party, rows, run, targets_ndc, trajectory_ndc, \
    two_party

# Default deal: vintage 2021 (1,000 t) issued and delivered 2022-01-31, CHE uses it on
# receipt (used[2022] = 1,000).


def switch_off(data):
    data["parties"]["GHA"]["corresponding_adjustments"] = False
    return data


def test_teaching_switch_off_seller_skips_its_addition_and_the_use_is_double_claimed():
    # GHA (budget NDC) skips its addition: ft shown 1,000 but ca 0, balance 2021 stays
    # 99,000. CHE subtracts 1,000 in 2022. net_ca: 2021 0, 2022 -1,000. The 1,000 used
    # by CHE are double claimed (in the year of use, 2022).
    r = run(switch_off(two_party(gha_ndc=budget_ndc(2021, 2023, 300_000))))
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}
    assert col(r.balances, "ca", party="GHA") == {2021: 0, 2022: 0, 2023: 0}
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 99_000, 2022: 100_000, 2023: 100_000}
    assert col(r.balances, "ca", party="CHE") == {2021: 0, 2022: -1_000, 2023: 0}
    assert col(r.integrity, "net_ca") == {2021: 0, 2022: -1_000, 2023: 0}
    assert col(r.integrity, "double_claimed") == {2021: 0, 2022: 1_000, 2023: 0}
    assert r.summary["double_claimed"] == 1_000
    assert r.summary["net_ca_total"] == -1_000


def test_teaching_switch_off_for_a_seller_without_an_ndc():
    # same, GHA without an NDC: it still keeps a ca row (balances has every party), and
    # with the switch off that ca must skip the addition: 0, so net_ca 2022 = -1,000
    # and the total -1,000, matching the 1,000 double claimed.
    r = run(switch_off(two_party()))
    assert col(r.integrity, "double_claimed") == {2021: 0, 2022: 1_000, 2023: 0}
    assert col(r.balances, "ca", party="GHA") == {2021: 0, 2022: 0, 2023: 0}
    assert col(r.integrity, "net_ca") == {2021: 0, 2022: -1_000, 2023: 0}
    assert r.summary["net_ca_total"] == -1_000


def test_teaching_switch_off_oimp_use_is_double_claimed_too():
    # an airline's OIMP use of units from a host that skips its additions
    data = switch_off(two_party(deal=agreement(buyer="airline-x", purpose="OIMP",
                                               first_transfer="authorisation")))
    data["parties"]["SGP"] = party(60_000)
    data["entities"] = {"airline-x": {"name": "Air", "kind": "oimp-user", "country": "SGP"}}
    r = run(data)
    assert r.summary["used_oimp"] == 1_000
    assert r.summary["double_claimed"] == 1_000


def test_all_parties_adjusting_nothing_double_claimed_total_ca_not_negative():
    # vintages 2021-2022 first transferred (2,000); CHE as-needed with budget 149,000
    # uses 1,000 on 2023-12-31. ca total = 2,000 - 1,000 = 1,000 >= 0 (= units unused).
    r = run(two_party(che_ndc=budget_ndc(2021, 2023, 149_000), act=activity(vintages=(2021, 2022)),
                      deal=agreement(policy="as-needed")))
    assert col(r.integrity, "double_claimed") == {2021: 0, 2022: 0, 2023: 0}
    assert r.summary["double_claimed"] == 0
    assert r.summary["net_ca_total"] == 1_000
    assert sum(col(r.integrity, "net_ca").values()) == 1_000
    assert r.summary["held"] == 1_000


def busy():
    # 6.4 activity, 10,000 t in 2021 and 2022 (credited 10,000 and 9,900), CHE NDC
    # 2021-2022 (budget 100,000), uses on receipt.
    #   2022-01-31: 10,000 issued -> AF 500, OMGE 200, 9,300 delivered and used (2022)
    #   2023-01-31:  9,900 issued -> AF 495, OMGE 198, 9,207 delivered and used (2023,
    #                after the period: counts for 2022)
    return run(two_party(che_ndc=budget_ndc(2021, 2022, 100_000),
                         act=activity(mechanism="6.4", outcome=10_000, vintages=(2021, 2022))))


def test_integrity_figures_per_year():
    # inventory: GHA 90,000, 90,000, 100,000; CHE 50,000 each -> total 140,000, 140,000, 150,000
    # ca (vintage attribution): GHA +9,300 (2021), +9,207 (2022);
    #     CHE used 9,300 (2022) + 9,207 (2023 -> 2022): -18,507 in 2022
    # net_ca: 2021 +9,300; 2022 9,207 - 18,507 = -9,300; 2023 0
    # balance_total = inventory_total + net_ca: 149,300, 130,700, 150,000
    # OMGE: 200 (2022), 198 (2023); Adaptation Fund: 500 (2022), 495 (2023)
    r = busy()
    assert list(r.integrity.columns) == ["year", "inventory_total", "balance_total", "net_ca", "omge_cancelled",
                                         "adaptation_fund_units", "double_claimed"]
    got = [tuple(x.values()) for x in rows(r.integrity)]
    assert got == [
        (2021, 140_000, 149_300, 9_300, 0, 0, 0),
        (2022, 140_000, 130_700, -9_300, 200, 500, 0),
        (2023, 150_000, 150_000, 0, 198, 495, 0),
    ]
    assert r.summary["net_ca_total"] == 0


def test_conservation_issued_equals_held_used_cancelled():
    # issued 10,000 + 9,900 = 19,900 = held (AF 995) + used 18,507 + OMGE 398
    r = busy()
    s = r.summary
    assert s["issued"] == 19_900
    assert (s["held"], s["used"], s["omge_cancelled"], s["buffer"]) == (995, 18_507, 398, 0)
    assert s["issued"] == (s["held"] + s["buffer"] + s["used"] + s["used_oimp"] + s["voluntarily_cancelled"]
                           + s["omge_cancelled"] + s["reversal_cancelled"])


def test_structured_summary_columns_and_budget_rows():
    # one row per party: CHE for each year of its NDC period (2021-2022), GHA (no NDC)
    # for every simulated year (2021-2023), its NDC columns empty.
    # GHA first transfers, in the year they happen: 9,300 on 2022-01-31 (vintage 2021),
    # 9,207 on 2023-01-31 (vintage 2022), all authorised for NDC use; by vintage (para
    # 8(a)): 9,300 for 2021 and 9,207 for 2022, which are also the applied adjustments;
    # cumulative net 0, 9,300, 18,507; balances 90,000 + 9,300, 90,000 + 9,207, 100,000.
    # CHE: 2021 net 0, balance 50,000; 2022: used 9,300 + 9,207 = 18,507 (the 2023 use
    # after the period counts for 2022), net -18,507, balance 31,493; budget on every row
    r = busy()
    ss = r.structured_summary
    assert list(ss.columns) == ["party", "year", "inventory", "trajectory_or_budget", "first_transferred_ndc",
                                "first_transferred_oimp", "oimp_authorised_entities", "first_transferred", "used",
                                "net", "cumulative_net", "first_transferred_by_vintage", "corresponding_adjustment",
                                "averaging_amount", "averaging_divisor", "emissions_balance"]
    assert [tuple(x.values()) for x in rows(ss)] == [
        ("GHA", 2021, 90_000, None, 0, 0, "", 0, 0, 0, 0, 9_300, 9_300, None, None, 99_300),
        ("GHA", 2022, 90_000, None, 9_300, 0, "", 9_300, 0, 9_300, 9_300, 9_207, 9_207, None, None, 99_207),
        ("GHA", 2023, 100_000, None, 9_207, 0, "", 9_207, 0, 9_207, 18_507, 0, 0, None, None, 100_000),
        ("CHE", 2021, 50_000, 100_000, 0, 0, "", 0, 0, 0, 0, 0, 0, None, None, 50_000),
        ("CHE", 2022, 50_000, 100_000, 0, 0, "", 0, 18_507, -18_507, -18_507, 0, -18_507, None, None, 31_493),
    ]


def test_structured_summary_trajectory_and_targets_columns():
    # trajectory NDC: trajectory_or_budget is the trajectory of each year
    r = run(two_party(che_ndc=trajectory_ndc(2021, 2023, 2023, 49_000, {2021: 50_000, 2023: 49_000})))
    assert col(r.structured_summary, "trajectory_or_budget", party="CHE") == {2021: 50_000, 2022: 49_500,
                                                                              2023: 49_000}
    # per-year targets: the target of each year
    r = run(two_party(che_ndc=targets_ndc(2021, 2023, {2021: 50_000, 2023: 48_000})))
    assert col(r.structured_summary, "trajectory_or_budget", party="CHE") == {2021: 50_000, 2022: 49_000,
                                                                              2023: 48_000}
    assert col(r.structured_summary, "averaging_amount", party="CHE") == {2021: None, 2022: None, 2023: None}


def test_result_table_columns_are_the_contract():
    # the result files (README): names and order of the columns; quantities whole tonnes (integers)
    r = run(two_party())
    assert list(r.balances.columns) == ["party", "year", "inventory", "first_transferred", "first_transferred_oimp",
                                        "used", "ca", "emissions_balance", "target", "trajectory", "method",
                                        "gap", "metric"]
    assert list(r.attainment.columns) == ["party", "ndc_type", "method", "period_start", "period_end",
                                          "target_year", "target", "balance", "gap", "met", "metric",
                                          "worst_year_gap"]
    assert list(r.flows.columns) == ["year", "from_party", "to_party", "agreement", "quantity", "value"]
    assert list(r.holdings.columns) == ["date", "account", "party", "unit_type", "vintage", "quantity"]
    assert pd.api.types.is_integer_dtype(r.balances["inventory"])
