"""docs/how-a6sim-counts.md on the pure functions of
a6sim/accounting/ledger_figures.py and inventory.py.

* first transfers are added for the vintage (default) or the year they happened;
  the OIMP part is what an OIMP definition first transferred (not a `first-transfer` row);
* NDC uses count in the year of use, a use after the NDC period for its last year;
* a use of units whose host skips its additions is double claimed; a voluntary
  cancellation claims nothing;
* inventory = reference - in-scope outcomes of the vintage + reversals of the year.
"""
import a6sim
from a6sim.accounting.inventory import inventories, scenario_reversals
from a6sim.accounting.ledger_figures import ledger_figures
from a6sim.registry import Account, LedgerRow
from helpers import activity, day, party, scenario

ACCOUNTS = {a.id: a for a in (
    Account("GHA:activity:act", "GHA", "act", "activity"),
    Account("CHE:holding", "CHE", "CHE", "holding"),
    Account("CHE:ndc-use", "CHE", "CHE", "ndc-use"),
    Account("SGP:entity:x", "SGP", "x", "holding"),
    Account("SGP:entity:x:oimp-use", "SGP", "x", "oimp-use"),
    Account("SGP:entity:x:voluntary-cancellation", "SGP", "x", "voluntary-cancellation"),
)}


def year_of(d):
    """Day numbers in these tests: 1000 * (year - 2000) + day of year, for short reading."""
    return d // 1000 + 2000


def row(seq, d, action, qty, vintage, frm, to, first_transfer=False):
    return LedgerRow(seq, d, action, qty, "GHA", "act", vintage, 1, qty, "ITMO", frm, to, "deal", None,
                     first_transfer)


def figures(rows, attribution="vintage", ca_enabled=None):
    return ledger_figures(rows, ACCOUNTS, year_of, attribution, {"CHE": 2023}, ca_enabled or {})


ROWS = [
    # vintage 2021, first transferred in 2022 (international transfer): 700
    row(0, 22_031, "first-transfer", 700, 2021, "GHA:activity:act", "CHE:holding", True),
    # CHE uses 300 in 2022 and 400 in 2024 (after its period 2021-2023: counts for 2023)
    row(1, 22_100, "use", 300, 2021, "CHE:holding", "CHE:ndc-use"),
    row(2, 24_010, "use", 400, 2021, "CHE:holding", "CHE:ndc-use"),
    # vintage 2022 authorised with OIMP first transfer at authorisation in 2023: 200
    row(3, 23_050, "authorization", 200, 2022, "GHA:activity:act", "GHA:activity:act", True),
    row(4, 23_060, "transfer", 200, 2022, "GHA:activity:act", "SGP:entity:x"),
    row(5, 23_070, "use", 150, 2022, "SGP:entity:x", "SGP:entity:x:oimp-use"),
    row(6, 23_080, "voluntary-cancellation", 50, 2022, "SGP:entity:x", "SGP:entity:x:voluntary-cancellation"),
]


def test_first_transfers_by_vintage_and_oimp_part():
    # vintage: (GHA, 2021) 700, (GHA, 2022) 200; OIMP part: only the authorization row, 200
    f = figures(ROWS)
    assert dict(f.first_transferred) == {("GHA", 2021): 700, ("GHA", 2022): 200}
    assert dict(f.first_transferred_oimp) == {("GHA", 2022): 200}


def test_first_transfers_by_first_transfer_year():
    # 700 in 2022, 200 in 2023
    f = figures(ROWS, attribution="first-transfer-year")
    assert dict(f.first_transferred) == {("GHA", 2022): 700, ("GHA", 2023): 200}
    assert dict(f.first_transferred_oimp) == {("GHA", 2023): 200}


def test_uses_by_year_true_up_in_the_last_period_year():
    # 300 in 2022; the 400 of 2024 count for 2023 (CHE's period ends 2023)
    f = figures(ROWS)
    assert dict(f.used) == {("CHE", 2022): 300, ("CHE", 2023): 400}
    assert dict(f.used_oimp) == {("SGP", 2023): 150}
    assert dict(f.voluntary_cancelled) == {2023: 50}


def test_double_claimed_when_the_host_skips_additions():
    # all adjusting: nothing double claimed
    assert sum(figures(ROWS).double_claimed.values()) == 0
    # GHA skips: NDC uses 300 (2022) + 400 (2024) and OIMP use 150 (2023) are double
    # claimed, in the year the use counts for: the 2024 true-up counts for CHE's last
    # NDC year 2023 (as in `used`), so 2023 has 150 + 400 = 550; the voluntary
    # cancellation (50) is not a claim
    f = figures(ROWS, ca_enabled={"GHA": False})
    assert dict(f.double_claimed) == {2022: 300, 2023: 550}


def test_inventory_in_scope_outcomes_and_reversals():
    # reference 1,000 a year; in-scope activity: vintage 2021 outcome 100 -> 900 in
    # 2021; reversal of 30 in 2022 -> 1,030; out-of-scope activity changes nothing
    data = scenario(
        {"GHA": party(1_000)},
        activities={"act": activity(kind="removal", vintages=(2021, 2021), outcome=100),
                    "off": activity(kind="removal", vintages=(2021, 2022), outcome=70, in_ndc_scope=False)},
        events=[{"date": day("2022-05-01"), "type": "reversal", "activity": "act", "quantity": 30},
                {"date": day("2022-06-01"), "type": "reversal", "activity": "off", "quantity": 20}])
    sc = a6sim.scenario_from_dict(data)
    reversals = scenario_reversals(sc)
    assert reversals == {("act", 2022): 30, ("off", 2022): 20}
    inv = inventories(sc, {("act", 2021): 100, ("off", 2021): 70, ("off", 2022): 70}, reversals)
    assert inv == {"GHA": {2021: 900, 2022: 1_030, 2023: 1_000}}
