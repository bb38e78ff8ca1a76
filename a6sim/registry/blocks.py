"""Serial blocks and the status of the units in them (docs/how-a6sim-counts.md).

A block is a contiguous serial range of one activity and vintage,
``{host}-{activity}-{vintage}-{first}:{last}``. Moving part of a block splits it, so
memory grows with the number of transactions, never with the number of tonnes.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ["Block", "Status", "Lot", "UNIT_TYPES"]

_new = tuple.__new__

# MO: 6.2 mitigation outcome not (or no longer) authorised; ITMO: authorised unit
# (6.2, or an authorised A6.4ER); A6.4ER: 6.4 unit not (yet) authorised;
# MCU: A6.4ER of an activity the host does not authorise (mitigation contribution).
UNIT_TYPES = ("MO", "ITMO", "A6.4ER", "MCU")


class Block(NamedTuple):
    """Serials ``first..last`` (inclusive) of one activity's vintage."""
    host: str
    activity: str
    vintage: int
    first: int
    last: int

    @property
    def quantity(self) -> int:
        return self.last - self.first + 1

    @property
    def id(self) -> str:
        return f"{self.host}-{self.activity}-{self.vintage}-{self.first}:{self.last}"

    def split(self, quantity: int) -> tuple["Block", Optional["Block"]]:
        """The first ``quantity`` serials, and the rest (None if nothing is left)."""
        if not 0 < quantity <= self.quantity:
            raise ValueError(f"cannot take {quantity} from block {self.id}")
        if quantity == self.quantity:
            return self, None
        cut = self.first + quantity
        return self._replace(last=cut - 1), self._replace(first=cut)


class Status(NamedTuple):
    """What the units of a lot are allowed to do.

    ``agreement``: the agreement that earmarked or authorised them (None: free);
    ``purpose``: authorised purpose (NDC | OIMP | NDC and OIMP; None: not authorised);
    ``first_transfer``: the first-transfer definition of the authorisation;
    ``first_transferred``: whether the host's first transfer has happened.
    """
    unit_type: str
    agreement: Optional[str] = None
    purpose: Optional[str] = None
    first_transfer: Optional[str] = None
    first_transferred: bool = False

    @property
    def authorised(self) -> bool:
        return self.purpose is not None

    # The engine's hot paths: a tuple built directly is several times cheaper than ``_replace``.
    def as_first_transferred(self) -> "Status":
        """The same status, first-transferred."""
        return _new(Status, (self[0], self[1], self[2], self[3], True))

    def with_agreement(self, agreement: Optional[str]) -> "Status":
        """The same status, earmarked for ``agreement`` (None: free)."""
        return _new(Status, (self[0], agreement, self[2], self[3], self[4]))


class Lot(NamedTuple):
    """A block and the status of its units, held in one account."""
    block: Block
    status: Status

    @property
    def quantity(self) -> int:
        return self.block.last - self.block.first + 1
