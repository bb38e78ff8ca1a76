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
from .ledger import Ledger

__all__ = ["Registry", "RegistryError"]


class RegistryError(RuntimeError):
    """A broken registry rule: always a bug in the engine, never bad input."""


class Registry:
    """All accounts of a run, their lots, and the ledger."""

    def __init__(self):
        self.accounts: dict[str, Account] = {}
        self.lots: dict[str, dict[tuple, Lot]] = {}      # account -> (activity, vintage, first) -> lot
        self.ledger = Ledger()
        self.issued: dict[tuple[str, int], int] = defaultdict(int)   # (activity, vintage) -> serials issued
        # running totals per (account, unit_type, vintage), for holdings snapshots
        self.totals: dict[tuple[str, str, int], int] = defaultdict(int)

    # --- accounts -------------------------------------------------------------
    def open(self, account_id: str, registry: str, owner: str, kind: str) -> Account:
        """Open an account (idempotent)."""
        acc = self.accounts.get(account_id)
        if acc is None:
            acc = Account(account_id, registry, owner, kind)
            self.accounts[account_id] = acc
            self.lots[account_id] = {}
        return acc

    def balance(self, account_id: str) -> int:
        return sum(lot.quantity for lot in self.lots[account_id].values())

    def lots_in(self, account_id: str, where: Optional[Callable[[Lot], bool]] = None) -> list[Lot]:
        """Lots of an account, oldest vintage and lowest serial first."""
        lots = self.lots[account_id]
        chosen = [lots[k] for k in sorted(lots, key=lambda k: (k[1], k[0], k[2]))]
        return [lot for lot in chosen if where(lot)] if where else chosen

    # --- issuance and movement ------------------------------------------------
    def issue(self, day: int, host: str, activity: str, vintage: int, quantity: int,
              to_account: str, status: Status) -> Lot:
        """Create ``quantity`` new serials of an activity's vintage (the only creation)."""
        if quantity <= 0:
            raise RegistryError(f"issuance of {quantity} units")
        first = self.issued[(activity, vintage)] + 1
        self.issued[(activity, vintage)] += quantity
        lot = Lot(Block(host, activity, vintage, first, first + quantity - 1), status)
        self._put(to_account, lot)
        self.ledger.append(day, "issuance", lot.block, status.unit_type, None, to_account)
        return lot

    def move(self, day: int, lot: Lot, from_account: str, to_account: str, quantity: int, action: str,
             *, status: Optional[Status] = None, agreement=None, purpose=None,
             first_transfer: bool = False, record: bool = True) -> Lot:
        """Move the first ``quantity`` serials of ``lot``; return the moved lot.

        ``status`` replaces the moved units' status; ``to_account`` may equal
        ``from_account`` (an authorization or revocation changes status in place).
        ``record=False`` changes an earmark without a ledger row (no movement).
        """
        src = self.accounts[from_account]
        if src.terminal:
            raise RegistryError(f"{action}: units may not leave {from_account} (a use or cancellation account)")
        if to_account not in self.accounts:
            raise RegistryError(f"{action}: no account {to_account}")
        self._take(from_account, lot)
        head, tail = lot.block.split(quantity)
        if tail is not None:
            self._put(from_account, Lot(tail, lot.status))
        moved = Lot(head, status or lot.status)
        self._put(to_account, moved)
        if record:
            self.ledger.append(day, action, head, moved.status.unit_type, from_account, to_account,
                               agreement if agreement is not None else moved.status.agreement,
                               purpose, first_transfer)
        return moved

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

    def _take(self, account_id: str, lot: Lot) -> None:
        b = lot.block
        held = self.lots[account_id].pop((b.activity, b.vintage, b.first), None)
        if held != lot:
            raise RegistryError(f"lot {b.id} is not held in {account_id}")
        self.totals[(account_id, lot.status.unit_type, b.vintage)] -= b.last - b.first + 1

    def _put(self, account_id: str, lot: Lot) -> None:
        b = lot.block
        self.lots[account_id][(b.activity, b.vintage, b.first)] = lot
        self.totals[(account_id, lot.status.unit_type, b.vintage)] += b.last - b.first + 1

    def find(self, where: Callable[[Lot], bool], kinds: Iterable[str]) -> list[tuple[str, Lot]]:
        """Every (account, lot) in accounts of the given kinds that matches ``where``."""
        kinds = set(kinds)
        return [(acc_id, lot) for acc_id, acc in self.accounts.items() if acc.kind in kinds
                for lot in self.lots_in(acc_id, where)]
