"""docs/how-a6sim-counts.md, "Revocation".

* `scope: not-first-transferred` (default): units of the agreement not yet first
  transferred lose their authorisation wherever they are (ledger `revocation` rows);
  nothing more is delivered;
* `scope: unissued`: units issued from the revocation date on are not authorised;
  those issued before still go.
"""
from helpers import activity, agreement, col, day, held, ledger, party, run, two_party

# Vintages 2021 and 2022 (1,000 t each), issued 2022-01-31 and 2023-01-31, transfer
# lag 60 days: delivered 2022-04-01 and 2023-04-01. CHE holds (policy never).


def revoked(date, scope=None, deal=None, **kw):
    data = two_party(act=activity(vintages=(2021, 2022)),
                     deal=deal or agreement(lag=60, policy="never"), **kw)
    event = {"date": day(date), "type": "revoke-authorisation", "agreement": "deal"}
    if scope is not None:
        event["scope"] = scope
    data["events"] = [event]
    return data


def deliveries(r):
    return [(x["date"], x["vintage"], x["quantity"]) for x in ledger(r) if x["action"] in ("first-transfer", "transfer")]


def test_not_first_transferred_revokes_units_awaiting_delivery():
    # revoked 2023-02-15 (default scope): vintage 2021 was first transferred 2022-04-01
    # and is untouched; vintage 2022, authorised 2023-01-31 and waiting for its
    # 2023-04-01 delivery, loses its authorisation (ITMO -> MO) and stays with GHA.
    r = run(revoked("2023-02-15"))
    assert deliveries(r) == [("2022-04-01", 2021, 1_000)]
    [rev] = ledger(r, action="revocation")
    assert (rev["date"], rev["vintage"], rev["quantity"], rev["from_account"], rev["unit_type"]) == \
        ("2023-02-15", 2022, 1_000, "GHA:activity:act", "MO")
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}
    assert held(r, "CHE:holding") == 1_000 and held(r, "GHA:activity:act") == 1_000


def test_not_first_transferred_is_the_default_scope():
    # no scope given = not-first-transferred: only the 1,000 of vintage 2021 delivered
    explicit = run(revoked("2023-02-15", scope="not-first-transferred"))
    default = run(revoked("2023-02-15"))
    assert deliveries(explicit) == deliveries(default) == [("2022-04-01", 2021, 1_000)]


def test_unissued_scope_lets_units_issued_before_still_go():
    # same date, scope unissued: vintage 2022 was issued 2023-01-31, before the
    # revocation: still delivered 2023-04-01 and first transferred; no revocation rows
    r = run(revoked("2023-02-15", scope="unissued"))
    assert deliveries(r) == [("2022-04-01", 2021, 1_000), ("2023-04-01", 2022, 1_000)]
    assert ledger(r, action="revocation") == []
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 1_000, 2023: 0}


def test_unissued_scope_stops_units_issued_from_the_revocation_date_on():
    # revoked 2023-01-15, before the vintage-2022 issuance (2023-01-31): those units are
    # never authorised (no authorization row) and stay free with GHA as MO
    r = run(revoked("2023-01-15", scope="unissued"))
    assert deliveries(r) == [("2022-04-01", 2021, 1_000)]
    assert [x["action"] for x in ledger(r, vintage=2022)] == ["issuance"]
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}


def test_revocation_on_the_issuance_day_counts_as_issued_from_it_on():
    # "units issued from the revocation date on": revoked 2023-01-31, the issuance day
    r = run(revoked("2023-01-31", scope="unissued"))
    assert deliveries(r) == [("2022-04-01", 2021, 1_000)]


def test_nothing_more_is_delivered_after_a_revocation():
    # revoked 2022-06-01 (not-first-transferred): the vintage-2022 issuance of
    # 2023-01-31 is not taken by the agreement at all
    r = run(revoked("2022-06-01"))
    assert deliveries(r) == [("2022-04-01", 2021, 1_000)]
    assert [x["action"] for x in ledger(r, vintage=2022)] == ["issuance"]
    assert held(r, "GHA:activity:act") == 1_000


def test_revocation_reaches_units_held_abroad_that_are_not_first_transferred():
    # OIMP with first transfer at use-or-cancellation: delivered to the airline
    # 2022-04-01 but not first transferred until used (year-end, 2022-12-31). Revoked
    # 2022-06-01: the airline's units lose their authorisation in its own account, the
    # year-end use is refused, GHA never adds anything.
    deal = agreement(buyer="airline-x", purpose="OIMP", first_transfer="use-or-cancellation", lag=60,
                     policy="year-end", vintages=[2021, 2021])
    data = revoked("2022-06-01", deal=deal)
    data["parties"]["SGP"] = party(60_000)
    data["entities"] = {"airline-x": {"name": "Air", "kind": "oimp-user", "country": "SGP"}}
    r = run(data)
    [rev] = ledger(r, action="revocation")
    assert (rev["date"], rev["from_account"], rev["quantity"], rev["unit_type"]) == \
        ("2022-06-01", "SGP:entity:airline-x", 1_000, "MO")
    assert [(v["kind"], v["date"], v["quantity"]) for v in r.violations] == [("use-refused", "2022-12-31", 1_000)]
    assert "revoked" in r.violations[0]["reason"]
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 0, 2022: 0, 2023: 0}
    assert held(r, "SGP:entity:airline-x") == 1_000


def test_unissued_scope_before_the_authorisation_date_keeps_units_issued_earlier():
    # units issued 2022-01-31 wait for the authorisation of 2022-06-01; revoked on
    # 2022-03-01 with scope unissued. Only units issued from 2022-03-01 on lose the
    # authorisation; the vintage-2021 units were issued before and "still go": authorised
    # and first transferred on 2022-06-01.
    data = two_party(deal=agreement(auth="2022-06-01", policy="never"))
    data["events"] = [{"date": day("2022-03-01"), "type": "revoke-authorisation", "agreement": "deal",
                       "scope": "unissued"}]
    r = run(data)
    assert [(x["date"], x["action"]) for x in ledger(r)] == [
        ("2022-01-31", "issuance"), ("2022-06-01", "authorization"), ("2022-06-01", "first-transfer")]
    assert col(r.balances, "first_transferred", party="GHA") == {2021: 1_000, 2022: 0, 2023: 0}
