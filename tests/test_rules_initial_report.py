"""docs/how-a6sim-counts.md, 2/CMA.3 annex para 18: no authorisation or first transfer
before the party's initial report, when the scenario gives `initial_report`;
otherwise the gate is off. An authorisation dated earlier takes effect on the report
date and is listed in violations.
"""
from helpers import agreement, col, day, ledger, party, run, two_party


def with_report(report=None, **deal):
    data = two_party(deal=agreement(policy="never", **deal))
    if report is not None:
        data["parties"]["GHA"]["initial_report"] = day(report)
    return data


def timeline(r):
    return [(x["date"], x["action"]) for x in ledger(r)]


def test_gate_on_authorisation_before_the_report_waits_for_it():
    # authorised 2021-06-01, initial report 2022-03-01: the authorisation takes effect
    # on 2022-03-01. The units issued 2022-01-31 wait, then go the same day (lag 0,
    # issuance + 0 is before the effective authorisation).
    r = run(with_report("2022-03-01", auth="2021-06-01"))
    assert timeline(r) == [("2022-01-31", "issuance"), ("2022-03-01", "authorization"),
                           ("2022-03-01", "first-transfer")]
    [v] = r.violations
    assert v["kind"] == "authorisation-before-initial-report"
    assert v["party"] == "GHA" and v["agreement"] == "deal" and v["date"] == "2021-06-01"
    # the first transfer still counts for vintage 2021
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}


def test_gate_off_without_an_initial_report():
    # same authorisation, no initial_report: authorised at issuance 2022-01-31 and
    # first transferred that day; nothing refused
    r = run(with_report(None, auth="2021-06-01"))
    assert timeline(r) == [("2022-01-31", "issuance"), ("2022-01-31", "authorization"),
                           ("2022-01-31", "first-transfer")]
    assert r.violations == []


def test_report_before_the_authorisation_changes_nothing():
    # report 2021-03-01, authorisation 2021-06-01: no violation, same timeline as gate off
    r = run(with_report("2021-03-01", auth="2021-06-01"))
    assert timeline(r) == [("2022-01-31", "issuance"), ("2022-01-31", "authorization"),
                           ("2022-01-31", "first-transfer")]
    assert r.violations == []


def test_report_on_the_authorisation_date_is_in_time():
    r = run(with_report("2021-06-01", auth="2021-06-01"))
    assert r.violations == []
    assert timeline(r)[1] == ("2022-01-31", "authorization")


def test_report_after_the_simulated_period_means_no_first_transfer_at_all():
    # report 2024-01-15, simulation ends 2023-12-31: never authorised, nothing moves,
    # GHA adds nothing
    r = run(with_report("2024-01-15", auth="2021-06-01"))
    assert timeline(r) == [("2022-01-31", "issuance")]
    assert [v["kind"] for v in r.violations] == ["authorisation-before-initial-report"]
    assert col(r.balances, "ca", party="GHA") == {2021: 0, 2022: 0, 2023: 0}


def test_gate_also_delays_an_oimp_first_transfer_at_authorisation():
    # OIMP, first transfer at authorisation: with the report 2022-03-01 the first
    # transfer (on the authorization row) is on 2022-03-01, not before
    data = two_party(deal=agreement(buyer="airline-x", purpose="OIMP", first_transfer="authorisation",
                                    policy="never"))
    data["entities"] = {"airline-x": {"name": "Air", "kind": "oimp-user", "country": "SGP"}}
    data["parties"]["SGP"] = party(60_000)
    data["parties"]["GHA"]["initial_report"] = day("2022-03-01")
    r = run(data)
    [auth] = ledger(r, action="authorization")
    assert auth["date"] == "2022-03-01" and auth["first_transfer"] is True
