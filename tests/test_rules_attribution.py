"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 8(a): first transfers are added for
the vintage year (`ca_attribution: vintage`, default) or, for comparison, for the
year the first transfer happened (`first-transfer-year`). Uses always count in the
year of use (para 8(b)).
"""
from helpers import agreement, budget_ndc, col, party, run, two_party

# Vintage 2021 (1,000 t) issued 2022-01-31, delivered the same day to CHE, used on
# receipt. GHA: 100,000 t reference; the in-scope outcome lowers its 2021 inventory
# to 99,000.


def gha_with_ndc(**kw):
    return two_party(gha_ndc=budget_ndc(2021, 2023, 300_000), **kw)


def test_vintage_attribution_is_the_default():
    # GHA: ft[2021] = 1,000 (vintage), balance 2021 = 99,000 + 1,000 = 100,000;
    # CHE: used[2022] = 1,000 (year of use), balance 2022 = 49,000.
    r = run(gha_with_ndc())
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 100_000, 2022: 100_000, 2023: 100_000}
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0}
    # net_ca per year: +1,000 in 2021 (GHA), -1,000 in 2022 (CHE)
    assert col(r.integrity, "net_ca") == {2021: 1_000, 2022: -1_000, 2023: 0}


def test_first_transfer_year_attribution():
    # the first transfer happened on 2022-01-31: ft[2022] = 1,000;
    # GHA balance 2021 = 99,000, 2022 = 100,000 + 1,000 = 101,000. CHE unchanged.
    r = run(gha_with_ndc(settings={"ca_attribution": "first-transfer-year"}))
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 1_000, 2023: 0}
    assert col(r.balances, "emissions_balance", party="GHA") == {2021: 99_000, 2022: 101_000, 2023: 100_000}
    assert col(r.balances, "used", party="CHE") == {2021: 0, 2022: 1_000, 2023: 0}
    assert col(r.integrity, "net_ca") == {2021: 0, 2022: 0, 2023: 0}


def test_first_transfer_year_of_an_oimp_use_or_cancellation():
    # lag 400: delivered 2022-01-31 + 400 days = 2023-03-07 and used on receipt by the
    # airline: first transfer in 2023. Vintage attribution: 2021; first-transfer-year: 2023.
    def data(attribution):
        d = gha_with_ndc(deal=agreement(buyer="airline-x", purpose="OIMP", first_transfer="use-or-cancellation",
                                        lag=400), settings={"ca_attribution": attribution})
        d["parties"]["SGP"] = party(60_000)
        d["entities"] = {"airline-x": {"name": "Air", "kind": "oimp-user", "country": "SGP"}}
        return d
    assert col(run(data("vintage")).balances, "first_transferred_oimp", party="GHA") == \
        {2021: 1_000, 2022: 0, 2023: 0}
    assert col(run(data("first-transfer-year")).balances, "first_transferred_oimp", party="GHA") == \
        {2021: 0, 2022: 0, 2023: 1_000}
