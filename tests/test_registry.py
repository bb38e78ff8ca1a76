"""Blocks, accounts, ledger and invariants (docs/how-a6sim-counts.md)."""
import pytest

from a6sim.registry import Block, Registry, RegistryError, Status, check_invariants


def make_registry():
    reg = Registry()
    reg.open("H:activity:wind", "H", "wind", "activity")
    reg.open("B:holding", "B", "B", "holding")
    reg.open("B:ndc-use", "B", "B", "ndc-use")
    return reg


def test_block_split_and_id():
    b = Block("GHA", "cook", 2022, 1, 1000)
    head, tail = b.split(300)
    assert (head.id, tail.id) == ("GHA-cook-2022-1:300", "GHA-cook-2022-301:1000")
    assert head.quantity + tail.quantity == 1000
    assert b.split(1000) == (b, None)
    with pytest.raises(ValueError):
        b.split(1001)


def test_issue_move_split_and_ledger():
    reg = make_registry()
    lot = reg.issue(10, "H", "wind", 2021, 1000, "H:activity:wind", Status("MO"))
    moved = reg.move(20, lot, "H:activity:wind", "B:holding", 400, "transfer")
    # 400 of 1000 moved: serials 1-400 to the buyer, 401-1000 stay
    assert moved.block.id == "H-wind-2021-1:400"
    assert [x.block.id for x in reg.lots_in("H:activity:wind")] == ["H-wind-2021-401:1000"]
    used = reg.take(30, "B:holding", "B:ndc-use", 150, "use")
    assert [x.block.id for x in used] == ["H-wind-2021-1:150"]
    assert (reg.balance("H:activity:wind"), reg.balance("B:holding"), reg.balance("B:ndc-use")) == (600, 250, 150)
    assert [r.action for r in reg.ledger] == ["issuance", "transfer", "use"]
    assert [r.quantity for r in reg.ledger] == [1000, 400, 150]
    # a second issuance of the same vintage continues the serials
    lot2 = reg.issue(40, "H", "wind", 2021, 10, "H:activity:wind", Status("MO"))
    assert lot2.block.id == "H-wind-2021-1001:1010"
    check_invariants(reg)
    # running totals per account, unit type and vintage (for holdings snapshots)
    assert reg.totals[("B:holding", "MO", 2021)] == 250


def test_nothing_leaves_a_use_account():
    reg = make_registry()
    reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    [used] = reg.take(1, "B:holding", "B:ndc-use", 10, "use")
    with pytest.raises(RegistryError, match="may not leave B:ndc-use"):
        reg.move(2, used, "B:ndc-use", "B:holding", 10, "transfer")


def test_invariants_catch_a_unit_in_two_places():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    reg.lots["B:ndc-use"][("wind", 2021, 5)] = lot._replace(block=lot.block._replace(first=5, last=6))
    with pytest.raises(RegistryError, match="held twice"):
        check_invariants(reg)


def test_invariants_catch_lost_units():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    del reg.lots["B:holding"][("wind", 2021, 1)]
    reg.lots["B:holding"][("wind", 2021, 1)] = lot._replace(block=lot.block._replace(last=9))
    with pytest.raises(RegistryError, match="issued 10, held\\+used\\+cancelled 9"):
        check_invariants(reg)


def test_invariants_catch_a_gap_in_the_serials():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    # serials 1-10 issued; the lot now claims 3-10 only: serials 1-2 are nowhere
    del reg.lots["B:holding"][("wind", 2021, 1)]
    reg.lots["B:holding"][("wind", 2021, 3)] = lot._replace(block=lot.block._replace(first=3))
    with pytest.raises(RegistryError, match="wind vintage 2021: serial 1 missing \\(B:holding\\)"):
        check_invariants(reg)


def test_invariants_catch_units_never_issued():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    # the same block, relabelled vintage 2022: nothing of 2022 was issued
    reg.lots["B:ndc-use"][("wind", 2022, 1)] = lot._replace(block=lot.block._replace(vintage=2022))
    with pytest.raises(RegistryError, match="never issued: wind vintage 2022"):
        check_invariants(reg)


def test_invariants_catch_a_ledger_row_out_of_a_use_account():
    reg = make_registry()
    reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    reg.take(1, "B:holding", "B:ndc-use", 10, "use")
    # a forged row 2 moving the 10 used units back (move() itself refuses this)
    reg.ledger.append(2, "transfer", 10, "H", "wind", 2021, 1, 10, "ITMO", "B:ndc-use", "B:holding")
    with pytest.raises(RegistryError, match="ledger row 2: units left B:ndc-use"):
        check_invariants(reg)


def test_invariants_catch_a_ledger_that_does_not_replay():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    # move units without a ledger row: holdings and ledger disagree
    reg.move(1, lot, "B:holding", "B:ndc-use", 4, "use", record=False)
    with pytest.raises(RegistryError, match="ledger says"):
        check_invariants(reg)


def test_moving_a_lot_that_is_not_there_raises():
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    with pytest.raises(RegistryError, match="not held in H:activity:wind"):
        reg.move(1, lot, "H:activity:wind", "B:ndc-use", 1, "use")


def test_ledger_rows_are_immutable():
    reg = make_registry()
    reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    row = reg.ledger[0]
    with pytest.raises(AttributeError):
        row.quantity = 5
    assert isinstance(reg.ledger.rows, tuple)


def test_conservation_is_checked_every_31_december(monkeypatch):
    # lose one tonne from the running totals at the first issuance (31 Dec 2021 in the
    # minimal scenario): the year-end check must stop the run that very day
    from pathlib import Path

    import a6sim
    from a6sim.engine import activity

    original = activity.ActivityActor.issue

    def leaky_issue(self, vintage):
        original(self, vintage)
        totals = self.world.registry.totals
        key = next(iter(totals))
        totals[key] -= 1

    monkeypatch.setattr(activity.ActivityActor, "issue", leaky_issue)
    with pytest.raises(RegistryError, match="31 December 2021: issued 10000, held\\+used\\+cancelled 9999"):
        a6sim.simulate(Path(__file__).parent / "data" / "minimal.yaml")


def test_invariants_catch_the_same_lot_in_two_accounts():
    # serials 1-10 issued to B:holding; a copy of the same lot (same key: wind 2021 from
    # serial 1) also sits in B:ndc-use: 20 units held of 10 issued, the walk over the
    # serials sees each key once, so only the count of lots held (2) against the keys (1)
    # shows it. The sorted check names it: serial 1 held twice.
    reg = make_registry()
    lot = reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    reg.lots["B:ndc-use"][("wind", 2021, 1)] = lot
    with pytest.raises(RegistryError, match="wind vintage 2021: serial 1 held twice"):
        check_invariants(reg)


def test_invariants_catch_a_lot_filed_under_another_key():
    # serials 1-10 issued; the lot (serials 1-10) is filed under the key of serial 4:
    # the walk from serial 1 finds nothing at ('wind', 2021, 1) and the sorted check,
    # which reads the blocks themselves, finds them whole (1-10), so the key is the fault.
    reg = make_registry()
    reg.issue(0, "H", "wind", 2021, 10, "B:holding", Status("ITMO"))
    lots = reg.lots["B:holding"]
    lots[("wind", 2021, 4)] = lots.pop(("wind", 2021, 1))
    with pytest.raises(RegistryError, match="filed under"):
        check_invariants(reg)
