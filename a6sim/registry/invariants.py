"""End-of-run invariants of the registry (docs/how-a6sim-counts.md).

Issued = held + used + cancelled for every block; no serial in two places; nothing
moved out of a use or cancellation account; the ledger replays to the holdings. A
broken invariant is a bug in a6sim and raises :class:`RegistryError`.
"""
from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from .registry import Registry, RegistryError

__all__ = ["check_invariants"]

_ROW_MOVE = itemgetter(10, 11, 3)   # a ledger row's from_account, to_account, quantity


def check_invariants(reg: Registry) -> None:
    """Raise :class:`RegistryError` naming the first broken invariant."""
    held = _check_serials(reg)
    _check_ledger_replay(reg, held)


def _check_serials(reg: Registry) -> dict[str, int]:
    """Every issued serial is held in exactly one account; return the units each account
    holds. Raises naming the first fault, in the order of activity, vintage and serial."""
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
    net = defaultdict(int)
    terminal = {a for a, acc in reg.accounts.items() if acc.terminal}
    for seq, (source, dest, q) in enumerate(map(_ROW_MOVE, reg.ledger)):   # a row's seq is its position
        if source == dest:
            continue
        if source is not None:
            if source in terminal:
                raise RegistryError(f"ledger row {seq}: units left {source}")
            net[source] -= q
        net[dest] += q
    for acc_id, units in held.items():
        if net.get(acc_id, 0) != units:
            raise RegistryError(f"{acc_id}: ledger says {net.get(acc_id, 0)}, holds {units}")
