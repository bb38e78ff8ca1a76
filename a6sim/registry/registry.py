"""Registries: accounts holding lots, every change written to the ledger.

The only ways units come into being is :meth:`Registry.issue`; the only way they
change place is :meth:`Registry.move`; a move out of a use or cancellation account
raises (docs/how-a6sim-counts.md).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Optional

from .accounts import Account
from .blocks import Block, Lot, Status
from .ledger import Ledger, LedgerRow
from .lot_index import LotIndex

__all__ = ["Registry", "RegistryError", "lot_order"]

_new = tuple.__new__   # builds a named tuple without the Python-level __new__ (hot path)


def lot_order(key: tuple) -> tuple:
    """Oldest vintage first, then activity, then lowest serial (``key``: activity, vintage, first)."""
    return key[1], key[0], key[2]


class RegistryError(RuntimeError):
    """A broken registry rule: always a bug in the engine, never bad input."""


class Registry:
    """All accounts of a run, their lots, and the ledger."""

    def __init__(self):
        self.accounts: dict[str, Account] = {}
        self.lots: dict[str, dict[tuple, Lot]] = {}      # account -> (activity, vintage, first) -> lot
        self.ledger = Ledger()
        self._rows = self.ledger._rows   # the ledger's list: the hot paths append to it directly
        self.issued: dict[tuple[str, int], int] = defaultdict(int)   # (activity, vintage) -> serials issued
        # running totals per (account, unit_type, vintage), for holdings snapshots (no zeros kept)
        self.totals: dict[tuple[str, str, int], int] = {}
        # keys of ``totals`` changed since the last holdings snapshot: a snapshot keeps only
        # those, so the snapshots grow with the movements, not with accounts x vintages x years
        self.changed: set[tuple[str, str, int]] = set()
        self._terminal: set[str] = set()
        self._order: dict[str, int] = {}                 # account -> position in opening order
        self._index: dict[str, LotIndex] = {}            # watched accounts' lots in lot order

    # --- accounts -------------------------------------------------------------
    def open(self, account_id: str, registry: str, owner: str, kind: str) -> Account:
        """Open an account (idempotent)."""
        acc = self.accounts.get(account_id)
        if acc is None:
            acc = Account(account_id, registry, owner, kind)
            self.accounts[account_id] = acc
            self._order[account_id] = len(self._order)
            self.lots[account_id] = {}
            if acc.terminal:
                self._terminal.add(account_id)
        return acc

    def balance(self, account_id: str) -> int:
        return sum(lot.quantity for lot in self.lots[account_id].values())

    def watch(self, account_id: str) -> LotIndex:
        """Keep the lots of an account in lot order from now on (:mod:`.lot_index`): for an
        account that many small transactions pick from. Idempotent."""
        idx = self._index.get(account_id)
        if idx is None:
            idx = self._index[account_id] = LotIndex(self.lots[account_id])
        return idx

    def index_of(self, account_id: str) -> Optional[LotIndex]:
        """The account's :class:`LotIndex` if it is watched, else None."""
        return self._index.get(account_id)

    def lots_in(self, account_id: str, where: Optional[Callable[[Lot], bool]] = None) -> list[Lot]:
        """Lots of an account, oldest vintage and lowest serial first."""
        lots = self.lots[account_id]
        keys = [k for k, lot in lots.items() if where(lot)] if where else list(lots)
        keys.sort(key=lot_order)   # filtered first: a caller asking for few lots sorts few
        return [lots[k] for k in keys]

    # --- issuance and movement ------------------------------------------------
    def issue(self, day: int, host: str, activity: str, vintage: int, quantity: int,
              to_account: str, status: Status) -> Lot:
        """Create ``quantity`` new serials of an activity's vintage (the only creation)."""
        if quantity <= 0:
            raise RegistryError(f"issuance of {quantity} units")
        issued = self.issued
        first = issued[(activity, vintage)] + 1
        last = issued[(activity, vintage)] = first + quantity - 1
        lot = _new(Lot, (_new(Block, (host, activity, vintage, first, last)), status))
        self.lots[to_account][(activity, vintage, first)] = lot
        idx = self._index.get(to_account) if self._index else None
        if idx is not None:
            idx.add((activity, vintage, first), quantity)
        key = (to_account, status[0], vintage)
        self.totals[key] = self.totals.get(key, 0) + quantity
        self.changed.add(key)
        rows = self._rows   # Ledger.append, inlined
        rows.append(_new(LedgerRow, (len(rows), day, "issuance", quantity, host, activity, vintage, first, last,
                                     status[0], None, to_account, None, None, False, None)))
        return lot

    def move(self, day: int, lot: Lot, from_account: str, to_account: str, quantity: int, action: str,
             *, status: Optional[Status] = None, agreement=None, purpose=None,
             first_transfer: bool = False, record: bool = True, use_year=None) -> Lot:
        """Move the first ``quantity`` serials of ``lot``; return the moved lot.

        ``status`` replaces the moved units' status; ``to_account`` may equal
        ``from_account`` (an authorization or revocation changes status in place).
        ``record=False`` changes an earmark without a ledger row (no movement).
        This is the engine's hot path: it builds tuples directly.
        """
        if from_account in self._terminal:
            raise RegistryError(f"{action}: units may not leave {from_account} (a use or cancellation account)")
        lots = self.lots
        dest = lots.get(to_account)
        if dest is None:
            raise RegistryError(f"{action}: no account {to_account}")
        block, old = lot
        host, activity, vintage, first, last = block
        src = lots[from_account]
        key = (activity, vintage, first)
        held = src.pop(key, None)
        if held is not lot and held != lot:   # the identity test first: the common case costs nothing
            if held is not None:
                src[key] = held
            raise RegistryError(f"lot {block.id} is not held in {from_account}")
        size = last - first + 1
        if not 0 < quantity <= size:
            src[key] = held
            raise ValueError(f"cannot take {quantity} from block {block.id}")
        if quantity == size:
            head = block
        else:
            cut = first + quantity
            head = _new(Block, (host, activity, vintage, first, cut - 1))
            src[(activity, vintage, cut)] = _new(Lot, (_new(Block, (host, activity, vintage, cut, last)), old))
        if self._index:   # only when an account is watched (recorded history)
            self._reindex(from_account, to_account, key, None if quantity == size else (activity, vintage, cut),
                          quantity)
        if status is None:
            status = old
        moved = _new(Lot, (head, status))
        dest[key] = moved
        totals = self.totals
        key_from, key_to = (from_account, old[0], vintage), (to_account, status[0], vintage)
        if key_from != key_to:
            left = totals[key_from] - quantity
            if left:
                totals[key_from] = left
            else:
                del totals[key_from]
            totals[key_to] = totals.get(key_to, 0) + quantity
            changed = self.changed
            changed.add(key_from)
            changed.add(key_to)
        if record:   # Ledger.append, inlined (one row per movement)
            rows = self._rows
            rows.append(_new(LedgerRow, (len(rows), day, action, quantity, host, activity, vintage, first,
                                         first + quantity - 1, status[0], from_account, to_account,
                                         agreement if agreement is not None else status[1], purpose,
                                         first_transfer, use_year)))
        return moved

    def _reindex(self, from_account: str, to_account: str, key: tuple, rest, quantity: int) -> None:
        """Keep the watched accounts' :class:`LotIndex` right after a move of ``quantity``
        units of lot ``key`` (``rest``: the key of the serials left behind, or None)."""
        src, dest = self._index.get(from_account), self._index.get(to_account)
        if from_account == to_account:
            if src is not None and rest is not None:
                src.split(key, rest)
            return
        if src is not None:
            src.leave(key, rest, quantity)
        if dest is not None:
            dest.add(key, quantity)

    def record(self, day: int, lot: Lot, account: str, action: str, purpose=None) -> Lot:
        """A ledger row for a lot that stays where it is, as it is (an ``acquisition``: the
        acquiring registry's record of a transfer in); the same row as a move of the whole
        lot from ``account`` to itself, without taking the lot out and back."""
        block, status = lot
        if self.lots[account].get((block[1], block[2], block[3])) is not lot:
            raise RegistryError(f"lot {block.id} is not held in {account}")
        rows = self._rows
        rows.append(_new(LedgerRow, (len(rows), day, action, block[4] - block[3] + 1, block[0], block[1], block[2],
                                     block[3], block[4], status[0], account, account, status[1], purpose,
                                     False, None)))
        return lot

    def take(self, day: int, from_account: str, to_account: str, quantity: int, action: str,
             where: Optional[Callable[[Lot], bool]] = None, **kw) -> list[Lot]:
        """Move up to ``quantity`` units from the lots of an account that match ``where``,
        oldest first; return the moved lots (their total may be less)."""
        moved = []
        for lot in self.lots_in(from_account, where):
            if quantity <= 0:
                break
            q = min(quantity, lot.quantity)
            moved.append(self.move(day, lot, from_account, to_account, q, action, **kw))
            quantity -= q
        return moved

    def find(self, where: Callable[[Lot], bool], kinds: Iterable[str],
             among: Optional[Iterable[str]] = None) -> list[tuple[str, Lot]]:
        """Every (account, lot) in accounts of the given kinds that matches ``where``.

        Accounts in the order they were opened, lots as :meth:`lots_in` gives them.
        ``among``: look only in these accounts (a caller that knows where the lots can
        be need not scan the whole registry); the order stays the same.
        """
        kinds = set(kinds)
        if among is None:
            ids = [a for a, acc in self.accounts.items() if acc.kind in kinds]
        else:
            order = self._order
            ids = sorted({a for a in among if a in self.accounts and self.accounts[a].kind in kinds},
                         key=order.__getitem__)
        return [(acc_id, lot) for acc_id in ids for lot in self.lots_in(acc_id, where)]
