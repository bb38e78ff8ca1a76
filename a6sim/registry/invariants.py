"""End-of-run invariants of the registry (docs/how-a6sim-counts.md).

Issued = held + used + cancelled for every block; no serial in two places; nothing
moved out of a use or cancellation account; the ledger replays to the holdings. A
broken invariant is a bug in a6sim and raises :class:`RegistryError`.
"""
from __future__ import annotations

from collections import defaultdict

from .registry import Registry, RegistryError

__all__ = ["check_invariants"]


def check_invariants(reg: Registry) -> None:
    """Raise :class:`RegistryError` naming the first broken invariant."""
    _check_serials(reg)
    _check_ledger_replay(reg)


def _check_serials(reg: Registry) -> None:
    ranges = defaultdict(list)
    for acc_id, lots in reg.lots.items():
        for lot in lots.values():
            b = lot.block
            ranges[(b.activity, b.vintage)].append((b.first, b.last, acc_id))
    for key, issued in reg.issued.items():
        spans = sorted(ranges.pop(key, []))
        expect = 1
        for first, last, acc_id in spans:
            if first != expect:
                what = "held twice" if first < expect else "missing"
                raise RegistryError(f"{key[0]} vintage {key[1]}: serial {min(first, expect)} {what} ({acc_id})")
            expect = last + 1
        if expect - 1 != issued:
            raise RegistryError(f"{key[0]} vintage {key[1]}: issued {issued}, held+used+cancelled {expect - 1}")
    if ranges:
        raise RegistryError(f"units held that were never issued: {sorted(ranges)[:3]}")


def _check_ledger_replay(reg: Registry) -> None:
    net = defaultdict(int)
    for row in reg.ledger:
        if row.from_account is not None and row.from_account != row.to_account:
            if reg.accounts[row.from_account].terminal:
                raise RegistryError(f"ledger row {row.seq}: units left {row.from_account}")
            net[row.from_account] -= row.quantity
        if row.from_account != row.to_account:
            net[row.to_account] += row.quantity
    for acc_id in reg.accounts:
        held = reg.balance(acc_id)
        if net.get(acc_id, 0) != held:
            raise RegistryError(f"{acc_id}: ledger says {net.get(acc_id, 0)}, holds {held}")
