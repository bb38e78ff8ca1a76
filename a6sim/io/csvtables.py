"""A run's CSV result files written straight from the engine's rows, without DataFrames.

Same files, columns, rows and bytes as the pandas rendering of the public tables
(:func:`a6sim.io.write.csv_text` of ``results.ledger``, ``results.aef[...]``, ...),
spelled by :mod:`a6sim.io.csvcells`:

* the report tables (balances, attainment, integrity, structured_summary) from
  their rows of exact figures;
* ``ledger.csv`` and ``aef/actions.csv`` in one pass over the ledger, a chunk of rows
  at a time, sharing the fields both files have (serial number, date, quantity,
  vintage, block id); the pass adds every movement to the AEF annual information;
* ``holdings.csv`` and ``aef/holdings.csv`` from one expansion of the year-end
  snapshots (:func:`a6sim.holdings.holding_rows`), each account's fields spelled
  once;
* ``flows.csv`` from the run's deliveries (:func:`a6sim.flows.flow_rows`, the rows
  of :attr:`a6sim.Results.flows`), ``economics.csv`` from its (small)
  DataFrame, only where a party has an abatement cost curve, ``iamc.csv`` from
  :func:`a6sim.io.iamc.iamc_rows`.

Memory stays small: no table is held whole as text, only one chunk of lines.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..flows import COLUMNS as FLOW_COLUMNS
from ..holdings import COLUMNS as HOLDING_COLUMNS, holding_rows
from .aef import AEF_COLUMNS, Actions
from .csvcells import CHUNK, CsvFile, cells, frame_columns, ints, quote_fields, texts
from .forked import Child, can_fork
from .iamc import IAMC_COLUMNS, iamc_columns

__all__ = ["write_csv_tables", "flow_columns", "REPORT_ROWS"]

# table -> the Results attribute holding its rows (plain dicts of exact figures)
REPORT_ROWS = {"balances": "_balances", "attainment": "_attainment", "integrity": "_integrity",
               "structured_summary": "_summary_rows"}


def write_csv_tables(results, folder: Path, money: frozenset, economics_money: frozenset,
                     processes: int = 1, also=None) -> None:
    """Write every CSV table of a run into ``folder`` (and ``folder/aef``).

    ``money``: the columns spelled to cents in the tables, ``economics_money`` in
    ``economics.csv`` (:mod:`a6sim.io.write`). ``processes``: 2 to write ``ledger.csv``
    and ``aef/actions.csv`` in a forked child while this process writes the rest
    (:mod:`a6sim.io.forked`; serially where it cannot fork); the bytes are the same.
    ``also``: a function writing more files of the result, called by this process
    while the child writes.
    """
    from ..results import COLUMNS
    folder = Path(folder)
    (folder / "aef").mkdir()
    actions = Actions(results)
    child = None
    if processes > 1 and can_fork():
        child = Child(lambda: _ledger_pass(results, folder, COLUMNS["ledger"]), "ledger.csv and aef/actions.csv")
    try:
        if child is None:
            _ledger_and_actions(results, folder, actions, COLUMNS["ledger"])
        _other_tables(results, folder, actions, money, economics_money, COLUMNS)
        if also is not None:
            also()
        if child is not None:
            for key, tonnes in child.result().items():   # the ledger pass's part of the annual information
                actions.annual[key] += tonnes
            child = None
    finally:
        if child is not None:    # this part failed or was interrupted: the child's part is of no use
            child.kill()
    with CsvFile(folder / "aef" / "annual_information.csv", AEF_COLUMNS["annual_information"]) as f:
        f.write(_row_columns(actions.annual_rows(), len(AEF_COLUMNS["annual_information"])))


def _ledger_pass(results, folder: Path, ledger_columns: list[str]) -> dict:
    """The forked child's part: ``ledger.csv`` and ``aef/actions.csv``; gives back what
    the pass added to the AEF annual information, ``{(party, year, column): tonnes}``."""
    actions = Actions(results)
    _ledger_and_actions(results, folder, actions, ledger_columns)
    return dict(actions.annual)


def _other_tables(results, folder: Path, actions: Actions, money, economics_money, columns) -> None:
    """Every table but the ledger pass's two and ``aef/annual_information.csv``."""
    for name, attr in REPORT_ROWS.items():
        rows, header = getattr(results, attr), columns[name]
        with CsvFile(folder / f"{name}.csv", header) as f:
            f.write([cells([r.get(c) for r in rows]) for c in header])   # no money column here (tests)
    with CsvFile(folder / "flows.csv", FLOW_COLUMNS) as f:
        f.write(flow_columns(results, "value" in money))
    if results.has_economics and not results.economics.empty:
        _frame_csv(folder / "economics.csv", results.economics, economics_money)
    _holdings(results, folder, actions)
    with CsvFile(folder / "aef" / "authorisations.csv", AEF_COLUMNS["authorisations"]) as f:
        f.write(_row_columns(actions.auth_rows, len(AEF_COLUMNS["authorisations"])))
    with CsvFile(folder / "iamc.csv", IAMC_COLUMNS) as f:
        f.write(iamc_columns(results))


def flow_columns(results, money: bool = True) -> list[list[str]]:
    """The fields of ``flows.csv`` (:func:`a6sim.flows.flow_rows`); ``money``: values
    spelled to cents."""
    rows = results._flows
    if not rows:
        return [[] for _ in FLOW_COLUMNS]
    year, seller, buyer, agreement, quantity, value = zip(*rows)
    return [ints(year), cells(seller), cells(buyer), cells(agreement), ints(quantity), cells(value, money)]


def _row_columns(rows: list[list], width: int) -> list[list[str]]:
    return [cells(c) for c in zip(*rows)] if rows else [[] for _ in range(width)]


def _frame_csv(path: Path, df, money) -> None:
    columns = frame_columns(df, money)
    if columns is None:             # a column type the fast spelling does not know: pandas
        from .write import csv_text
        path.write_text(csv_text(df, money), encoding="utf-8")
        return
    with CsvFile(path, list(df.columns)) as f:
        f.write(columns)


class _Fields:
    """Fields of columns, each column spelled once however many files write it."""

    def __init__(self):
        self._done: dict[int, tuple] = {}

    def __call__(self, values) -> list[str]:
        hit = self._done.get(id(values))
        if hit is None:
            hit = self._done[id(values)] = (values, cells(values))   # keeps the column alive: ids stay unique
        return hit[1]


def _ledger_and_actions(results, folder: Path, actions: Actions, ledger_columns: list[str]) -> None:
    """``ledger.csv`` and ``aef/actions.csv``, a chunk of ledger rows at a time."""
    rows = results.world.registry.ledger.rows
    registry_of = actions.registry_of
    iso: dict[int, str] = {}
    with CsvFile(folder / "ledger.csv", ledger_columns) as ledger, \
            CsvFile(folder / "aef" / "actions.csv", AEF_COLUMNS["actions"]) as aef:
        for i in range(0, len(rows), CHUNK):
            zipped = tuple(zip(*rows[i:i + CHUNK]))
            (seq, day, action, quantity, host, activity, vintage, first, last, unit_type, src, dst, agreement,
             purpose, first_transfer, _use_year) = zipped
            for d in set(day).difference(iso):
                iso[d] = results.world.cal.date_of(d).isoformat()
            dates = list(map(iso.__getitem__, day))
            fields = _Fields()
            vintage_s, first_s, last_s = fields(vintage), fields(first), fields(last)
            blocks = [f"{h}-{a}-{v}-{f}:{l}" for h, a, v, f, l in zip(host, activity, vintage_s, first_s, last_s)]
            ledger.write([fields(seq), dates, fields(action), fields(quantity), blocks, fields(activity),
                          vintage_s, fields(host), fields(unit_type), texts(src), fields(dst),
                          ["" if s is None else registry_of[s] for s in src], list(map(registry_of.__getitem__, dst)),
                          texts(agreement), texts(purpose), cells(first_transfer)])
            aef.write([c if c is dates or c is blocks else fields(c)
                       for c in actions.zipped_columns(zipped, blocks=blocks, dates=dates)])


def _holdings(results, folder: Path, actions: Actions) -> None:
    """``holdings.csv`` and ``aef/holdings.csv``: every non-zero holding on every 31
    December; adds what each registry held to the AEF annual information."""
    h = holding_rows(results.world.snapshots)
    actions.add_held(h)
    accounts, cal = results.world.registry.accounts, results.world.cal
    keys = h.keys
    account = quote_fields([k[0] for k in keys])
    party = quote_fields([accounts[k[0]].registry for k in keys])
    holder = quote_fields([accounts[k[0]].owner for k in keys])
    utype = quote_fields([k[1] for k in keys])
    vintage = [str(k[2]) for k in keys]
    table = np.array(list(map(",".join, zip(account, party, utype, vintage))), dtype=object)
    aef = np.array(list(map(",".join, zip(party, account, holder, utype, vintage))), dtype=object)
    dates = np.array([cal.date_of(day).isoformat() for day in h.days], dtype=object)
    with CsvFile(folder / "holdings.csv", HOLDING_COLUMNS) as f_table, \
            CsvFile(folder / "aef" / "holdings.csv", AEF_COLUMNS["holdings"]) as f_aef:
        for i in range(0, len(h.time), CHUNK):
            key = h.key[i:i + CHUNK]
            day = dates[h.time[i:i + CHUNK]].tolist()
            quantity = ints(h.quantity[i:i + CHUNK].tolist())
            f_table.write_fields([day, table[key].tolist(), quantity])
            f_aef.write_fields([day, aef[key].tolist(), quantity])
