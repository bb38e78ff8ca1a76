"""An account's lots kept in lot order, for accounts that recorded history picks from.

A recorded history can cut one issued block into thousands of lots (a registry's
retirements, one transaction each), and a holder can hold thousands of projects.
Finding the lots a transaction takes by scanning and sorting every lot of the account
would make a history of *n* transactions cost *n*\\ :sup:`2`. :class:`LotIndex` keeps
the keys of one account's lots, per activity, sorted by vintage then first serial;
every :meth:`~a6sim.registry.Registry.issue` and
:meth:`~a6sim.registry.Registry.move` that touches the account updates it, so that:

* :meth:`LotIndex.in_order` walks the lots of some activities (or all) in the
  registry's order (oldest vintage, then activity, then lowest serial: the order of
  :meth:`~a6sim.registry.Registry.lots_in`), and a caller stops as soon as it has
  what it needs;
* :meth:`LotIndex.covering` finds the lots of one activity and vintage that hold any
  serial of a range, by bisection;
* :meth:`LotIndex.held` says how many units of some activities (and a vintage) the
  account holds without walking its lots (a transaction asking for more than there is
  is refused in a few steps, however many lots there are);
* :meth:`LotIndex.in_order_all` and :meth:`LotIndex.held_all` do the same for every
  activity at once (a select naming no project: by vintage, by authorisation, or none)
  in steps that do not grow with the number of activities the account holds: the
  activities holding each vintage are kept sorted by name, with the units per vintage.

Only accounts a caller asks for are indexed (:meth:`Registry.watch`): a run without
recorded history keeps none and pays nothing for it.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from heapq import merge
from typing import Iterable, Iterator, Optional

__all__ = ["LotIndex"]


class LotIndex:
    """Per activity, the sorted ``(vintage, first)`` of one account's lots, and the
    units held per activity and vintage."""

    __slots__ = ("by_activity", "units", "by_vintage", "vintage_units")

    def __init__(self, lots: dict):
        """``lots``: the account's lots by key ``(activity, vintage, first)``."""
        by_activity: dict[str, list[tuple[int, int]]] = {}
        self.units: dict[tuple[str, int], int] = {}
        self.by_vintage: dict[int, list[str]] = {}      # vintage -> activities holding it, sorted
        self.vintage_units: dict[int, int] = {}         # vintage -> units held of it
        for (activity, vintage, first), lot in lots.items():
            by_activity.setdefault(activity, []).append((vintage, first))
            self._count(activity, vintage, lot.block.last - first + 1)
        for entries in by_activity.values():
            entries.sort()
        self.by_activity = by_activity

    def _count(self, activity: str, vintage: int, quantity: int) -> None:
        units, key = self.units, (activity, vintage)
        before = units.get(key, 0)
        left = before + quantity
        if left:
            units[key] = left
        else:
            del units[key]
        total = self.vintage_units.get(vintage, 0) + quantity
        if total:
            self.vintage_units[vintage] = total
        else:
            del self.vintage_units[vintage]
        if not before and left:
            insort(self.by_vintage.setdefault(vintage, []), activity)
        elif before and not left:
            names = self.by_vintage[vintage]
            del names[bisect_left(names, activity)]
            if not names:
                del self.by_vintage[vintage]

    def add(self, key: tuple, quantity: int) -> None:
        """A lot ``(activity, vintage, first)`` of ``quantity`` units came into the account."""
        entries = self.by_activity.get(key[0])
        if entries is None:
            self.by_activity[key[0]] = [(key[1], key[2])]
        else:
            insort(entries, (key[1], key[2]))
        self._count(key[0], key[1], quantity)

    def _find(self, key: tuple) -> tuple[list, int]:
        entries = self.by_activity.get(key[0])
        entry = (key[1], key[2])
        i = bisect_left(entries, entry) if entries else 0
        if not entries or i == len(entries) or entries[i] != entry:
            raise KeyError(key)
        return entries, i

    def leave(self, key: tuple, rest, quantity: int) -> None:
        """``quantity`` units of the lot ``key`` left the account; ``rest`` (or None):
        the key of the serials left behind when only its first part left. They sort
        exactly where the lot did (no other lot of the account holds serials of that
        block between), so the entry is replaced in place."""
        entries, i = self._find(key)
        self._count(key[0], key[1], -quantity)
        if rest is not None:
            entries[i] = (rest[1], rest[2])
        elif len(entries) == 1:
            del self.by_activity[key[0]]
        else:
            del entries[i]

    def split(self, key: tuple, rest) -> None:
        """The lot ``key`` stayed in the account and was cut: its second part ``rest``
        sorts right after it."""
        entries, i = self._find(key)
        entries.insert(i + 1, (rest[1], rest[2]))

    def held(self, activities: Optional[Iterable[str]] = None, vintage: Optional[int] = None) -> int:
        """Units held of ``activities`` (all: None) and of ``vintage`` (any: None)."""
        units = self.units
        if activities is None:
            return sum(q for (a, v), q in units.items() if vintage is None or v == vintage)
        names = set(activities)
        if vintage is not None:
            return sum(units.get((a, vintage), 0) for a in names)
        return sum(q for (a, v), q in units.items() if a in names)

    def in_order(self, activities: Optional[Iterable[str]] = None,
                 vintage: Optional[int] = None) -> Iterator[tuple]:
        """The lot keys ``(activity, vintage, first)`` of ``activities`` (all: None)
        and of ``vintage`` (any: None), oldest vintage, then activity, then lowest
        serial first."""
        by_activity = self.by_activity
        names = by_activity if activities is None else [a for a in activities if a in by_activity]
        streams = [self._stream(a, vintage) for a in names]
        if len(streams) == 1:
            for v, a, f in streams[0]:
                yield a, v, f
        else:
            for v, a, f in merge(*streams):
                yield a, v, f

    def held_all(self, vintage: Optional[int] = None) -> int:
        """Units held of every activity (of ``vintage``; any: None), without a walk."""
        if vintage is None:
            return sum(self.vintage_units.values())
        return self.vintage_units.get(vintage, 0)

    def in_order_all(self, vintage: Optional[int] = None) -> Iterator[tuple]:
        """The lot keys of every activity, in the order of :meth:`in_order` (oldest
        vintage, then activity, then lowest serial), without a stream per activity: each
        vintage's activities are kept sorted. The caller reads, and moves nothing, while
        it walks."""
        by_activity, by_vintage = self.by_activity, self.by_vintage
        vintages = sorted(by_vintage) if vintage is None else [vintage] if vintage in by_vintage else []
        for v in vintages:
            for a in by_vintage[v]:
                entries = by_activity[a]
                for j in range(bisect_left(entries, (v, -1)), len(entries)):
                    ev, f = entries[j]
                    if ev != v:
                        break
                    yield a, v, f

    def _stream(self, activity: str, vintage: Optional[int]) -> Iterator[tuple]:
        entries = self.by_activity[activity]
        i = 0 if vintage is None else bisect_left(entries, (vintage, -1))
        for j in range(i, len(entries)):
            v, f = entries[j]
            if vintage is not None and v != vintage:
                return
            yield v, activity, f

    def covering(self, lots: dict, activity: str, vintage: int, first: int, last: int) -> list[tuple]:
        """The keys of the lots in ``lots`` (this account's lots) of ``activity`` and
        ``vintage`` that hold any serial of ``first..last``, lowest serial first."""
        entries = self.by_activity.get(activity)
        if not entries:
            return []
        i = bisect_left(entries, (vintage, first))
        if i > 0:   # the lot starting before ``first`` may run into the range
            v, f = entries[i - 1]
            if v == vintage and lots[(activity, v, f)].block.last >= first:
                i -= 1
        out = []
        for j in range(i, len(entries)):
            v, f = entries[j]
            if v != vintage or f > last:
                break
            out.append((activity, v, f))
        return out
