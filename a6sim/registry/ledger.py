"""The append-only ledger: one frozen record per movement of a block."""
from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ["LedgerRow", "Ledger", "ACTIONS"]

_new = tuple.__new__   # builds the row without the named tuple's Python-level __new__

# The AEF vocabulary (decision 6/CMA.4) used in the ``action`` column.
ACTIONS = ("issuance", "authorization", "first-transfer", "transfer", "acquisition", "use",
           "cancellation", "voluntary-cancellation", "adaptation-fund", "buffer", "reversal",
           "replenishment", "revocation")


class LedgerRow(NamedTuple):
    """One movement (or, for authorization and revocation, a change of status in place).

    ``day`` counts days from 1 January of the first simulated year.
    """
    seq: int
    day: int
    action: str
    quantity: int
    host: str
    activity: str
    vintage: int
    first: int
    last: int
    unit_type: str
    from_account: Optional[str]
    to_account: str
    agreement: Optional[str]
    purpose: Optional[str]
    first_transfer: bool
    use_year: Optional[int] = None   # a use towards an NDC: the year it counts for, when recorded as such


class Ledger:
    """Append-only sequence of :class:`LedgerRow` (records are immutable tuples)."""

    __slots__ = ("_rows",)

    def __init__(self):
        self._rows: list[LedgerRow] = []

    def append(self, day: int, action: str, quantity: int, host: str, activity: str, vintage: int,
               first: int, last: int, unit_type: str, from_account, to_account: str,
               agreement=None, purpose=None, first_transfer: bool = False, use_year=None) -> LedgerRow:
        """Record one movement; the row's ``seq`` is its position."""
        rows = self._rows
        row = _new(LedgerRow, (len(rows), day, action, quantity, host, activity, vintage, first, last, unit_type,
                               from_account, to_account, agreement, purpose, first_transfer, use_year))
        rows.append(row)
        return row

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def __getitem__(self, i):
        return self._rows[i]

    @property
    def rows(self) -> tuple[LedgerRow, ...]:
        """A read-only view (a tuple) of every row so far."""
        return tuple(self._rows)
