"""The holdings table (``holdings.csv``) from the engine's year-end snapshots.

The engine keeps, at every 31 December, only the ``(account, unit_type, vintage)``
totals that changed during the year (0 when a holding emptied), so what it stores
grows with the movements of the run. The table lists every non-zero holding as of
every 31 December: a holding that did not change is repeated from the year before.
It is expanded here with numpy in one pass (no Python loop per row), in the order
date, account, unit type, vintage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:   # pandas is imported by the functions that build DataFrames
    import pandas as pd

__all__ = ["holdings_frame", "holding_rows", "HoldingRows", "COLUMNS"]

COLUMNS = ["date", "account", "party", "unit_type", "vintage", "quantity"]


class HoldingRows(NamedTuple):
    """The rows of the holdings table as arrays: row ``i`` is the holding of
    ``keys[key[i]]`` (account, unit_type, vintage) on day ``days[time[i]]``, ``quantity[i]``
    tonnes; rows in the order date, account, unit type, vintage."""
    days: list[int]
    keys: list[tuple]
    time: np.ndarray
    key: np.ndarray
    quantity: np.ndarray


def holding_rows(snapshots) -> HoldingRows:
    """Every non-zero holding at every snapshot date (``snapshots``: see :func:`holdings_frame`)."""
    days = [day for day, _ in snapshots]
    changed = [key for _, changes in snapshots for key in changes]
    if not changed:
        empty = np.array([], dtype=np.int64)
        return HoldingRows(days, [], empty, empty.copy(), empty.copy())
    n_times = len(snapshots)
    key_list, kid = _sorted_keys(changed)
    t = np.repeat(np.arange(n_times, dtype=np.int64), [len(changes) for _, changes in snapshots])
    v = np.fromiter((q for _, changes in snapshots for q in changes.values()), dtype=np.int64, count=len(changed))
    order = np.lexsort((t, kid))                # by key, then time
    kid, t, v = kid[order], t[order], v[order]
    end = np.full(len(kid), n_times, dtype=np.int64)
    same = kid[1:] == kid[:-1]
    end[:-1][same] = t[1:][same]                # a value holds until the key's next change
    length = np.where(v != 0, end - t, 0)
    total = int(length.sum())
    start = np.repeat(t, length)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(length) - length, length)
    row_t = start + offset
    row_k = np.repeat(kid, length)
    row_v = np.repeat(v, length)
    order = np.lexsort((row_k, row_t))          # by date, then (account, unit_type, vintage)
    return HoldingRows(days, key_list, row_t[order], row_k[order], row_v[order])


def _sorted_keys(changed: list[tuple]) -> tuple[list[tuple], np.ndarray]:
    """The distinct ``(account, unit_type, vintage)`` keys in order, and the index of
    each of ``changed`` among them (sorted by the ranks of each part: no tuple is
    compared or hashed)."""
    parts, ranks = [], []
    for values in zip(*changed):
        distinct = sorted(set(values))
        index = dict(zip(distinct, range(len(distinct))))
        parts.append(distinct)
        ranks.append(np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values)))
    (accounts, types, vintages), (a, u, v) = parts, ranks
    n_u, n_v = len(types), len(vintages)
    codes, kid = np.unique((a * n_u + u) * n_v + v, return_inverse=True)
    keys = [(accounts[c // (n_u * n_v)], types[c // n_v % n_u], vintages[c % n_v]) for c in codes.tolist()]
    return keys, kid.reshape(-1).astype(np.int64, copy=False)


def holdings_frame(snapshots, accounts: dict, date_of) -> pd.DataFrame:
    """Every non-zero holding at every snapshot date.

    ``snapshots``: ``[(day, {(account, unit_type, vintage): tonnes changed to})]`` in
    date order; ``accounts``: account id -> :class:`~a6sim.registry.Account` (for the
    party, its ``registry``); ``date_of``: day -> :class:`datetime.date`.
    """
    h = holding_rows(snapshots)
    if not len(h.time):
        return _frame(np.array([], dtype="datetime64[s]"), [], [], [], np.array([], dtype=np.int64),
                      np.array([], dtype=np.int64))
    dates = np.array([np.datetime64(date_of(day), "s") for day in h.days], dtype="datetime64[s]")
    acc = np.array([k[0] for k in h.keys], dtype=object)
    party = np.array([accounts[k[0]].registry for k in h.keys], dtype=object)
    utype = np.array([k[1] for k in h.keys], dtype=object)
    vintage = np.array([k[2] for k in h.keys], dtype=np.int64)
    return _frame(dates[h.time], acc[h.key], party[h.key], utype[h.key], vintage[h.key], h.quantity)


def _frame(date, account, party, unit_type, vintage, quantity) -> pd.DataFrame:
    import pandas as pd
    return pd.DataFrame({"date": pd.Series(date, dtype="datetime64[s]"), "account": pd.Series(account, dtype="str"),
                         "party": pd.Series(party, dtype="str"), "unit_type": pd.Series(unit_type, dtype="str"),
                         "vintage": pd.Series(vintage, dtype="int64"),
                         "quantity": pd.Series(quantity, dtype="int64")}, columns=COLUMNS)
