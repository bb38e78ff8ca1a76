"""End-of-run invariants of the registry (docs/how-a6sim-counts.md).

Issued = held + used + cancelled for every block; no serial in two places; nothing
moved out of a use or cancellation account; the ledger replays to the holdings. A
broken invariant is a bug in a6sim and raises :class:`RegistryError`.
"""
from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import NoReturn

from .registry import Registry, RegistryError

__all__ = ["check_invariants"]

_ROW_MOVE = itemgetter(10, 11, 3)   # a ledger row's from_account, to_account, quantity
_ROW_SOURCE = itemgetter(10)


def check_invariants(reg: Registry) -> dict[str, int]:
    """Raise :class:`RegistryError` naming the first broken invariant; return the units
    each account holds (counted off its lots by the serial check)."""
    held = _check_serials(reg)
    _check_ledger_replay(reg, held)
    return held


def _check_serials(reg: Registry) -> dict[str, int]:
    """Every issued serial is held in exactly one account; return the units each account
    holds. Raises naming the first fault, in the order of activity, vintage and serial.

    The lots of every account are keyed by ``(activity, vintage, first serial)``. They
    tile each issued vintage exactly when no two accounts hold a lot at the same key,
    and the chain of lots from serial 1 (each the key after the last one's last serial)
    ends at the issued count and takes every lot held. That walk costs one lookup a lot;
    a fault is then located by :func:`_locate_fault`, which sorts every lot."""
    lots_by_account = reg.lots
    merged: dict = {}
    count = 0
    for lots in lots_by_account.values():
        merged.update(lots)
        count += len(lots)
    get, walked = merged.get, 0
    for (activity, vintage), n in reg.issued.items():
        expect = 1
        while expect <= n:
            lot = get((activity, vintage, expect))
            if lot is None:
                return _locate_fault(reg)
            block = lot[0]
            if block[3] != expect or block[2] != vintage or block[1] != activity:   # keyed as it reads
                return _locate_fault(reg)
            expect = block[4] + 1
            walked += 1
        if expect != n + 1:
            return _locate_fault(reg)
    if count != len(merged) or walked != count:   # a lot held twice, or one off every chain
        return _locate_fault(reg)
    last, first = itemgetter(4), itemgetter(3)
    held = {}
    for acc_id, lots in lots_by_account.items():
        blocks = [lot[0] for lot in lots.values()]
        held[acc_id] = sum(map(last, blocks)) - sum(map(first, blocks)) + len(blocks)
    return held


def _locate_fault(reg: Registry) -> NoReturn:
    """Raise naming the fault the walk of :func:`_check_serials` met: a fault of the
    serials themselves, or else a lot filed under a key that is not its block's."""
    _locate_serial_fault(reg)
    for acc_id, lots in reg.lots.items():
        for key, (block, _status) in lots.items():
            if key != (block.activity, block.vintage, block.first):
                raise RegistryError(f"lot {block.id} is filed under {key} in {acc_id}")
    raise RegistryError("the serials do not tile the issued units")   # no fault left to name: still refuse


def _locate_serial_fault(reg: Registry) -> dict[str, int]:
    """:func:`_check_serials` by sorting every lot: raises naming the first fault."""
    spans = sorted((b[1], b[2], b[3], b[4], acc_id)       # (activity, vintage, first, last, account)
                   for acc_id, lots in reg.lots.items() for b, _status in lots.values())
    issued = dict(reg.issued)
    key, expect = None, 1
    held: dict[str, int] = dict.fromkeys(reg.lots, 0)
    for activity, vintage, first, last, acc_id in spans:
        held[acc_id] += last - first + 1
        if (activity, vintage) != key:
            _close(key, expect, issued)
            key, expect = (activity, vintage), 1
            if key not in issued:
                raise RegistryError(f"units held that were never issued: {activity} vintage {vintage}")
        if first != expect:
            what = "held twice" if first < expect else "missing"
            raise RegistryError(f"{activity} vintage {vintage}: serial {min(first, expect)} {what} ({acc_id})")
        expect = last + 1
    _close(key, expect, issued)
    if issued:
        (activity, vintage), n = next(iter(issued.items()))
        raise RegistryError(f"{activity} vintage {vintage}: issued {n}, held+used+cancelled 0")
    return held


def _close(key, expect, issued) -> None:
    if key is None:
        return
    n = issued.pop(key)
    if expect - 1 != n:
        raise RegistryError(f"{key[0]} vintage {key[1]}: issued {n}, held+used+cancelled {expect - 1}")


def _check_ledger_replay(reg: Registry, held: dict[str, int]) -> None:
    """The ledger's movements add up to what each account holds (``held``, from the lots)."""
    terminal = {a for a, acc in reg.accounts.items() if acc.terminal}
    rows = reg.ledger
    if not terminal.isdisjoint(map(_ROW_SOURCE, rows)):   # rare: find the row, or an in-place change
        _check_terminal_rows(rows, terminal)
    net = defaultdict(int)
    for source, dest, q in map(_ROW_MOVE, rows):
        if source != dest:
            net[dest] += q
            if source is not None:
                net[source] -= q
    for acc_id, units in held.items():
        if net.get(acc_id, 0) != units:
            raise RegistryError(f"{acc_id}: ledger says {net.get(acc_id, 0)}, holds {units}")


def _check_terminal_rows(rows, terminal: set) -> None:
    """No row moves units out of a use or cancellation account (a change of status in
    place is no movement)."""
    for seq, (source, dest, _q) in enumerate(map(_ROW_MOVE, rows)):   # a row's seq is its position
        if source != dest and source in terminal:
            raise RegistryError(f"ledger row {seq}: units left {source}")
