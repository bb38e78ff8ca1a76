"""CSV files written straight from columns of values, spelled as every result file is.

The spelling (README, "Result files"): whole tonnes as integers, derived figures that
are not whole to one decimal, money to cents, booleans ``true``/``false``, dates ISO
(``YYYY-MM-DD``), nothing for a missing value (None, NaN, ``pd.NA``); a field holding
a comma, a quote or a line break is quoted the way Python's :mod:`csv` module quotes
it (``QUOTE_MINIMAL``), which is also what pandas' ``to_csv`` writes
(:func:`a6sim.io.write.csv_text` is that pandas rendering: the files written here are
byte for byte the same).

A column is formatted as a whole list (a C-level ``map`` where its type allows), the
rows are joined a chunk at a time and written as UTF-8, so a table costs a few passes
over its values, no DataFrame and little memory. Quoting is checked per chunk on the
joined text: when every line has exactly one comma fewer than it has fields and no
quote or carriage return, nothing needed quoting; otherwise the chunk's fields are
quoted one by one with the :mod:`csv` module itself.
"""
from __future__ import annotations

import csv
import io
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # only frame_columns reads a DataFrame (pandas is then loaded)
    import pandas as pd

__all__ = ["cells", "ints", "texts", "frame_columns", "quote_fields", "CsvFile", "CHUNK"]

CHUNK = 8_192                       # rows joined and written at a time
_BOOL = {True: "true", False: "false"}


def _float(x: float, money: bool) -> str:
    if x != x:                      # NaN
        return ""
    if money:
        return f"{x:.2f}"
    return str(int(x)) if x.is_integer() else f"{x:.1f}"


def _cell(x, money: bool) -> str:
    """One value as a CSV field (before quoting); the rules of the module doc."""
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return _BOOL[x]
    if isinstance(x, float):
        return _float(x, money)
    if isinstance(x, Fraction):     # exact report figures: whole ones as int, others as float
        return str(x.numerator) if x.denominator == 1 else _float(float(x), money)
    pd = sys.modules.get("pandas")  # pd.NA and pd.NaT exist only where pandas is loaded
    if pd is not None and (x is pd.NA or x is pd.NaT):
        return ""
    return str(x)


def ints(values) -> list[str]:
    """Whole numbers (Python ints, none missing) as fields."""
    return list(map(str, values))


def texts(values) -> list[str]:
    """Text fields: a missing value (None) as nothing."""
    return ["" if v is None else v for v in values]


def cells(values, money: bool = False) -> list[str] | tuple[str, ...]:
    """Any column of values as fields (money: floats to cents); a column of text is
    given back as it is (not copied)."""
    values = values if isinstance(values, (list, tuple)) else list(values)
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    if kinds <= {int}:
        return list(map(str, values))
    if kinds <= {str, type(None)}:
        return texts(values)
    if kinds <= {str, int}:
        return [v if type(v) is str else str(v) for v in values]
    if kinds <= {bool}:
        return list(map(_BOOL.__getitem__, values))
    if kinds <= {float} and not money:
        return [_float(x, False) for x in values]
    return [_cell(x, money) for x in values]


def frame_columns(df: pd.DataFrame, money=frozenset()) -> list[list[str]] | None:
    """The fields of every column of ``df`` as :func:`a6sim.io.write.csv_text` spells
    them; None where it holds a type this module does not spell the same (the caller
    then uses pandas)."""
    import numpy as np
    import pandas as pd
    out = []
    for name in df.columns:
        col = df[name]
        dtype = col.dtype
        if dtype.kind == "M":
            out.append(cells(col.dt.strftime("%Y-%m-%d").tolist()))
            continue
        if not (isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype)
                or (isinstance(dtype, np.dtype) and dtype.kind in "fbO")):
            return None
        values = col.tolist()
        if dtype.kind == "O" and Fraction in set(map(type, values)):   # pandas writes 1/3, not 0.3
            return None
        out.append(cells(values, name in money))
    return out


def _quoted(field: str) -> str:
    """A field exactly as the :mod:`csv` module (and so pandas) writes it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([field, ""])
    return buf.getvalue()[:-2]      # drop the trailing empty field and the line end


def _plain(text: str, rows: int, width: int) -> bool:
    """Whether ``rows`` joined lines of ``width`` fields need no quoting at all."""
    return ('"' not in text and "\r" not in text and text.count("\n") == rows
            and text.count(",") == rows * (width - 1))


def _lines(columns: list[list[str]]) -> str:
    """Rows given as columns of fields, as CSV lines (each ending in a line feed)."""
    rows, width = len(columns[0]), len(columns)
    if width == 1:                  # a lone empty field is written as "": the csv module's rules
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(zip(*columns))
        return buf.getvalue()
    text = "\n".join(map(",".join, zip(*columns))) + "\n"
    if _plain(text, rows, width):
        return text
    return "\n".join(map(",".join, zip(*map(quote_fields, columns)))) + "\n"


def _special(field: str) -> bool:
    """Whether the csv module might quote ``field`` (a delimiter, quote or line break in it)."""
    return "," in field or '"' in field or "\n" in field or "\r" in field


def quote_fields(fields: list[str]) -> list[str]:
    """Fields as the csv module writes them (quoted where needed)."""
    if not _special("\x00".join(fields)):
        return fields
    done: dict[str, str] = {}
    return [done[f] if f in done else done.setdefault(f, _quoted(f) if _special(f) else f) for f in fields]


class CsvFile:
    """A CSV file being written: the header now, rows a chunk of columns at a time.

    ``with CsvFile(path, header) as f: f.write(columns)``; the file is flushed to disk
    (fsync) when closed, as the result writer needs before putting it in place.
    """

    def __init__(self, path: Path, header: list[str]):
        self.path = Path(path)
        self.width = len(header)
        self._fh = open(self.path, "wb")
        self._fh.write(_lines([[h] for h in header]).encode("utf-8"))

    def write(self, columns: list[list[str]]) -> None:
        """Write rows given as columns of fields (every column as long)."""
        if len(columns) != self.width:
            raise ValueError(f"{self.path.name}: {len(columns)} columns for a header of {self.width}")
        if columns and len(columns[0]):
            self._fh.write(_lines(columns).encode("utf-8"))

    def write_fields(self, columns: list[list[str]]) -> None:
        """Write rows whose fields are already quoted (:func:`quote_fields`); a column may
        hold several fields joined by commas."""
        if columns and len(columns[0]):
            self._fh.write(("\n".join(map(",".join, zip(*columns))) + "\n").encode("utf-8"))

    def close(self) -> None:
        fh = self._fh
        if not fh.closed:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()

    def __enter__(self) -> "CsvFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
