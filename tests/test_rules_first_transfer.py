"""2/CMA.3 annex paras 1-2: first transfer (docs/how-a6sim-counts.md).

* NDC (and `NDC and OIMP` by default): the first international transfer;
* OIMP: the host's definition, `authorisation`, `issuance` or `use-or-cancellation`
  (how-a6sim-counts: the first two on the authorisation row, the last on the use or
  cancellation row);
* a unit is first transferred once; later transfers trigger no further adjustment;
* `first_transferred_oimp` is the part first transferred under an OIMP definition.
"""
from helpers import agreement, budget_ndc, cell, col, ledger, party, run, two_party

# Default deal: vintage 2021, 1,000 t, issued 2022-01-31, GHA -> buyer.


def with_airline(deal, country="SGP", kind="oimp-user", gha_ndc=None):
    data = two_party(deal=deal, gha_ndc=gha_ndc)
    data["parties"]["SGP"] = party(60_000)
    data["entities"] = {"airline-x": {"name": "Example Air", "kind": kind, "country": country}}
    return data


def marked(r):
    """(date, action, quantity) of the rows flagged as the first transfer."""
    return [(x["date"], x["action"], x["quantity"]) for x in ledger(r) if x["first_transfer"]]


def ft(r, column="first_transferred"):
    return col(r.balances, column, party="GHA")


def test_ndc_units_first_transferred_on_the_first_international_transfer():
    # lag 30: delivered 2022-03-02 from GHA's registry to CHE's: that row is the first
    # transfer; the authorization row is not. GHA adds 1,000 for vintage 2021.
    r = run(two_party(deal=agreement(lag=30, policy="never")))
    assert [(x["date"], x["action"], x["first_transfer"]) for x in ledger(r)] == [
        ("2022-01-31", "issuance", False), ("2022-01-31", "authorization", False),
        ("2022-03-02", "first-transfer", True)]
    [move] = ledger(r, action="first-transfer")
    assert (move["from_party"], move["to_party"], move["unit_type"]) == ("GHA", "CHE", "ITMO")
    assert ft(r) == {2021: 1_000, 2022: 0, 2023: 0}
    assert ft(r, "first_transferred_oimp") == {2021: 0, 2022: 0, 2023: 0}


def test_acquisition_alone_changes_nothing_for_the_buyer():
    # CHE holds the 1,000 (policy never): its ca stays 0 every year
    r = run(two_party(deal=agreement(policy="never")))
    assert col(r.balances, "ca", party="CHE") == {2021: 0, 2022: 0, 2023: 0}


def test_first_transferred_once_later_transfers_add_nothing():
    # OIMP, first transfer at authorisation: the authorization row (2022-01-31) is the
    # first transfer; the delivery to the airline (2022-03-02) is a plain "transfer" and
    # its use on receipt is not one either. GHA adds 1,000 once, not 2,000 or 3,000.
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="authorisation", lag=30)))
    assert [(x["date"], x["action"], x["first_transfer"]) for x in ledger(r)] == [
        ("2022-01-31", "issuance", False), ("2022-01-31", "authorization", True),
        ("2022-03-02", "transfer", False), ("2022-03-02", "use", False)]
    assert ft(r) == {2021: 1_000, 2022: 0, 2023: 0}
    assert ft(r, "first_transferred_oimp") == {2021: 1_000, 2022: 0, 2023: 0}
    assert r.summary["first_transferred"] == 1_000


def test_oimp_first_transfer_at_issuance_is_marked_on_the_authorisation_row():
    # issuance 2022-01-31 after the authorisation: marked on the authorization row that day
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="issuance", lag=30)))
    assert marked(r) == [("2022-01-31", "authorization", 1_000)]
    assert ft(r, "first_transferred_oimp") == {2021: 1_000, 2022: 0, 2023: 0}


def test_oimp_issuance_definition_for_units_issued_before_the_authorisation():
    # units issued 2022-01-31, authorised 2022-05-01: first transferred at the authorisation
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="issuance",
                                   auth="2022-05-01")))
    assert marked(r) == [("2022-05-01", "authorization", 1_000)]


def test_oimp_first_transfer_at_use_or_cancellation():
    # delivered 2022-03-02 ("transfer", not first), used on receipt the same day: the use
    # row is the first transfer
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="use-or-cancellation",
                                   lag=30)))
    assert [(x["action"], x["first_transfer"]) for x in ledger(r)] == [
        ("issuance", False), ("authorization", False), ("transfer", False), ("use", True)]
    assert ft(r) == {2021: 1_000, 2022: 0, 2023: 0}
    assert ft(r, "first_transferred_oimp") == {2021: 1_000, 2022: 0, 2023: 0}


def test_use_or_cancellation_without_use_is_never_first_transferred():
    # the airline holds (policy never): no use, no first transfer, no addition by GHA;
    # with first transfer at authorisation the same holding is first transferred
    held_only = run(with_airline(agreement(buyer="airline-x", purpose="OIMP",
                                           first_transfer="use-or-cancellation", policy="never")))
    assert marked(held_only) == []
    assert ft(held_only) == {2021: 0, 2022: 0, 2023: 0}
    at_auth = run(with_airline(agreement(buyer="airline-x", purpose="OIMP",
                                         first_transfer="authorisation", policy="never")))
    assert ft(at_auth) == {2021: 1_000, 2022: 0, 2023: 0}


def test_voluntary_cancellation_is_a_cancellation_for_the_oimp_definition():
    # a voluntary buyer cancels on receipt; with use-or-cancellation that row is the first transfer
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="use-or-cancellation"),
                         kind="voluntary-buyer"))
    assert marked(r) == [("2022-01-31", "voluntary-cancellation", 1_000)]
    assert r.summary["voluntarily_cancelled"] == 1_000 and r.summary["used_oimp"] == 0


def test_ndc_and_oimp_defaults_to_the_international_transfer():
    # purpose NDC and OIMP, no first_transfer: first transferred on delivery, like NDC;
    # not counted as an OIMP-definition first transfer
    r = run(two_party(deal=agreement(purpose="NDC and OIMP", lag=30, policy="never")))
    assert marked(r) == [("2022-03-02", "first-transfer", 1_000)]
    assert ft(r) == {2021: 1_000, 2022: 0, 2023: 0}
    assert ft(r, "first_transferred_oimp") == {2021: 0, 2022: 0, 2023: 0}


def test_ndc_and_oimp_with_an_oimp_definition():
    # NDC and OIMP, first transfer at authorisation: the authorization row, counted as OIMP part
    r = run(two_party(deal=agreement(purpose="NDC and OIMP", first_transfer="authorisation", lag=30,
                                     policy="never")))
    assert marked(r) == [("2022-01-31", "authorization", 1_000)]
    assert [x["action"] for x in ledger(r)][-1] == "transfer"
    assert ft(r, "first_transferred_oimp") == {2021: 1_000, 2022: 0, 2023: 0}


def test_transfer_to_an_entity_in_the_host_country_is_not_international():
    # NDC-authorised units delivered to an entity whose account is in GHA's registry:
    # a domestic "transfer", no first transfer, no addition
    r = run(with_airline(agreement(buyer="airline-x", policy="never"), country="GHA"))
    assert [x["action"] for x in ledger(r)] == ["issuance", "authorization", "transfer"]
    assert ft(r) == {2021: 0, 2022: 0, 2023: 0}


def test_an_oimp_use_at_home_of_units_never_first_transferred_is_double_claimed():
    # NDC-and-OIMP units (first transfer: the international transfer, the default) delivered
    # to an airline whose account is in GHA's own registry and cancelled for OIMP on receipt
    # (2022-01-31): never first-transferred, so GHA adds nothing, and the 1,000 t count
    # both in GHA's inventory and for the airline's OIMP: double claimed in 2022.
    r = run(with_airline(agreement(buyer="airline-x", purpose="NDC and OIMP", use_purpose="OIMP"), country="GHA"))
    assert not marked(r)
    assert [x["action"] for x in ledger(r)][-1] == "use"
    assert col(r.integrity, "double_claimed") == {2021: 0, 2022: 1_000, 2023: 0}
    assert r.summary["double_claimed"] == 1_000 and r.summary["used_oimp"] == 1_000


def test_first_transferred_oimp_in_the_structured_summary():
    # GHA with an NDC: its structured summary shows 1,000 first transferred, all OIMP
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="authorisation"),
                         gha_ndc=budget_ndc(2021, 2023, 300_000)))
    # (Table 4: in the year of the first transfer, the issuance on 2022-01-31, in the
    # OIMP-only column; the addition by vintage is for 2021)
    assert cell(r.structured_summary, "first_transferred", party="GHA", year=2022) == 1_000
    assert cell(r.structured_summary, "first_transferred_oimp", party="GHA", year=2022) == 1_000
    assert cell(r.structured_summary, "first_transferred_ndc", party="GHA", year=2022) == 0
    assert cell(r.structured_summary, "first_transferred_by_vintage", party="GHA", year=2021) == 1_000
    # CHE's NDC is untouched (the airline is no party)
    assert col(r.structured_summary, "used", party="CHE") == {2021: 0, 2022: 0, 2023: 0}


def test_oimp_first_transfer_at_authorisation_excludes_sop_and_omge_units():
    # 1,000 t tranche, 5% SOP in units to host adaptation = 50, 2% OMGE (at first
    # transfer, which here is the authorisation) = 20. The host adjusts for what is first
    # transferred after the deductions: 1,000 - 50 - 20 = 930, not 1,000.
    # Ledger: authorization of the 70 deducted units (not a first transfer), SOP 50,
    # OMGE 20, authorization of the other 930 (the first transfer), delivery 930.
    r = run(with_airline(agreement(buyer="airline-x", purpose="OIMP", first_transfer="authorisation", lag=30,
                                   sop={"units": 0.05, "to": "host-adaptation"},
                                   omge={"units": 0.02, "at": "first-transfer"}, policy="never")))
    assert [(x["action"], x["quantity"], x["first_transfer"]) for x in ledger(r)] == [
        ("issuance", 1_000, False), ("authorization", 70, False), ("adaptation-fund", 50, False),
        ("cancellation", 20, False), ("authorization", 930, True), ("transfer", 930, False)]
    assert ft(r) == {2021: 930, 2022: 0, 2023: 0}
    assert ft(r, "first_transferred_oimp") == {2021: 930, 2022: 0, 2023: 0}
    assert (r.summary["host_adaptation_units"], r.summary["omge_cancelled"]) == (50, 20)


def test_ndc_units_keep_one_authorization_row_before_the_deductions():
    # NDC purpose: the whole 1,000 t tranche is authorised in one row, then 10% SOP (100)
    # and 2% OMGE at issuance (20) are taken; 880 are first transferred on delivery.
    r = run(two_party(deal=agreement(sop={"units": 0.1}, omge={"units": 0.02}, policy="never")))
    assert [(x["action"], x["quantity"], x["first_transfer"]) for x in ledger(r)] == [
        ("issuance", 1_000, False), ("authorization", 1_000, False), ("adaptation-fund", 100, False),
        ("cancellation", 20, False), ("first-transfer", 880, True)]
    assert ft(r) == {2021: 880, 2022: 0, 2023: 0}
