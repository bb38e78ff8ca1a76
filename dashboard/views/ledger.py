"""The ledger for an AG Grid infinite row model: filter, sort, and serve blocks of rows.

Filters follow AG Grid's ``filterModel`` (text, number and date filters, single or
combined with ``operator`` + ``conditions``); text comparisons ignore case. Number and
date ``inRange`` include both ends (the column definitions below set
``inRangeInclusive`` so the grid's own filter UI means the same). A filter on an
unknown column or of an unknown type is ignored.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["LEDGER_COLUMNS", "filter_ledger", "sort_ledger", "ledger_block"]

_TEXT = {"filter": "agTextColumnFilter"}
_NUMBER = {"filter": "agNumberColumnFilter", "filterParams": {"inRangeInclusive": True}}
_DATE = {"filter": "agDateColumnFilter", "filterParams": {"inRangeInclusive": True}}

LEDGER_COLUMNS: list[dict] = [
    {"field": "seq", "headerName": "#", "sortable": True, **_NUMBER, "width": 100},
    {"field": "date", "headerName": "Date", "sortable": True, **_DATE, "width": 200},   # the date filter box shows all of mm/dd/yyyy
    {"field": "action", "headerName": "Action", "sortable": True, **_TEXT},
    {"field": "quantity", "headerName": "Quantity (t)", "sortable": True, **_NUMBER,
     "type": "rightAligned", "cellStyle": {"textAlign": "right"},
     "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"}},
    {"field": "block", "headerName": "Block", "sortable": True, **_TEXT},
    {"field": "activity", "headerName": "Activity", "sortable": True, **_TEXT},
    {"field": "vintage", "headerName": "Vintage", "sortable": True, **_NUMBER, "width": 120},
    {"field": "host", "headerName": "Host", "sortable": True, **_TEXT, "width": 110},
    {"field": "unit_type", "headerName": "Unit type", "sortable": True, **_TEXT, "width": 130},
    {"field": "from_account", "headerName": "From account", "sortable": True, **_TEXT},
    {"field": "to_account", "headerName": "To account", "sortable": True, **_TEXT},
    {"field": "from_party", "headerName": "From", "sortable": True, **_TEXT, "width": 110},
    {"field": "to_party", "headerName": "To", "sortable": True, **_TEXT, "width": 110},
    {"field": "agreement", "headerName": "Agreement", "sortable": True, **_TEXT},
    {"field": "purpose", "headerName": "Purpose", "sortable": True, **_TEXT, "width": 130},
    {"field": "first_transfer", "headerName": "First transfer", "sortable": True, **_TEXT, "width": 150},
]


# --- filtering -----------------------------------------------------------------------
def _text_values(s: pd.Series) -> pd.Series:
    """Lower-case text of a column as the grid shows it (booleans as true/false)."""
    if s.dtype == bool or str(s.dtype) == "boolean":
        return s.map(lambda v: None if pd.isna(v) else ("true" if v else "false")).astype(object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").astype(object)
    return s.astype(object).map(lambda v: None if pd.isna(v) else str(v).lower())


def _text_mask(s: pd.Series, cond: dict) -> pd.Series | None:
    kind = cond.get("type")
    values = _text_values(s)
    blank = values.isna() | (values == "")
    if kind == "blank":
        return blank
    if kind == "notBlank":
        return ~blank
    needle = cond.get("filter")
    if needle is None or needle == "":
        return None                          # an empty condition filters nothing
    needle = str(needle).lower()
    filled = values.fillna("")
    tests = {
        "contains": lambda: filled.str.contains(needle, regex=False),
        "notContains": lambda: ~filled.str.contains(needle, regex=False),
        "equals": lambda: filled == needle,
        "notEqual": lambda: filled != needle,
        "startsWith": lambda: filled.str.startswith(needle),
        "endsWith": lambda: filled.str.endswith(needle),
    }
    if kind not in tests:
        return None
    return tests[kind]().astype(bool)       # blanks ("") pass only the negative tests, as in the grid


def _scalar_mask(values: pd.Series, kind: str, lo, hi) -> pd.Series | None:
    """``values``: float or datetime Series; blanks fail every test but ``blank``."""
    missing = values.isna()
    if kind == "blank":
        return missing
    if kind == "notBlank":
        return ~missing
    if lo is None or (kind == "inRange" and hi is None):
        return None
    tests = {
        "equals": lambda: values == lo,
        "notEqual": lambda: values != lo,
        "greaterThan": lambda: values > lo,
        "greaterThanOrEqual": lambda: values >= lo,
        "lessThan": lambda: values < lo,
        "lessThanOrEqual": lambda: values <= lo,
        "inRange": lambda: (values >= min(lo, hi)) & (values <= max(lo, hi)),
    }
    if kind not in tests:
        return None
    return tests[kind]().fillna(False).astype(bool) & ~missing


def _to_float(x):
    if x is None or x == "":
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _to_day(x):
    if x is None or x == "":
        return None
    try:
        return pd.Timestamp(str(x)[:10])
    except (TypeError, ValueError):
        return None


def _number_mask(s: pd.Series, cond: dict) -> pd.Series | None:
    values = pd.to_numeric(s, errors="coerce").astype("float64")
    return _scalar_mask(values, cond.get("type"), _to_float(cond.get("filter")), _to_float(cond.get("filterTo")))


def _date_mask(s: pd.Series, cond: dict) -> pd.Series | None:
    days = pd.to_datetime(s, errors="coerce").dt.normalize()
    return _scalar_mask(days, cond.get("type"), _to_day(cond.get("dateFrom")), _to_day(cond.get("dateTo")))


_MASKS = {"text": _text_mask, "number": _number_mask, "date": _date_mask}


def _mask(s: pd.Series, model: dict) -> pd.Series | None:
    """Mask for one column's model, or None to ignore it."""
    if not isinstance(model, dict):
        return None
    conditions = model.get("conditions")
    if conditions is None and "condition1" in model:          # AG Grid < 29 format
        conditions = [model.get("condition1"), model.get("condition2")]
    if conditions is not None:
        parts = [m for m in (_mask(s, {"filterType": model.get("filterType"), **c})
                             for c in conditions if isinstance(c, dict)) if m is not None]
        if not parts:
            return None
        combine = np.logical_or if str(model.get("operator", "AND")).upper() == "OR" else np.logical_and
        out = parts[0]
        for m in parts[1:]:
            out = combine(out, m)
        return out
    builder = _MASKS.get(model.get("filterType"))
    return None if builder is None else builder(s, model)


def _party_mask(ledger: pd.DataFrame, party: str) -> pd.Series:
    mask = pd.Series(False, index=ledger.index)
    for col in ("host", "from_party", "to_party"):
        if col in ledger:
            mask |= (ledger[col] == party).fillna(False).astype(bool)
    # an entity id (as in flows and the network) matches its accounts ``{country}:entity:{id}[:...]``
    pattern = rf"^[^:]+:entity:{re.escape(str(party))}(?::|$)"
    for col in ("from_account", "to_account"):
        if col in ledger:
            mask |= ledger[col].astype(object).fillna("").str.contains(pattern, regex=True).astype(bool)
    return mask


def filter_ledger(ledger: pd.DataFrame, filter_model: dict | None, party: str | None = None) -> pd.DataFrame:
    """Rows of ``ledger`` passing every column filter of ``filter_model`` (AG Grid
    semantics) and, with ``party``, those where it is the host, sender or receiver (an
    entity id also matches its own accounts)."""
    mask = pd.Series(True, index=ledger.index)
    if party:
        mask &= _party_mask(ledger, party)
    for col, model in (filter_model or {}).items():
        if col not in ledger.columns:
            continue
        m = _mask(ledger[col], model)
        if m is not None:
            mask &= pd.Series(np.asarray(m, dtype=bool), index=ledger.index)
    return ledger[mask.to_numpy(dtype=bool)]


# --- sorting and blocks --------------------------------------------------------------------
def sort_ledger(df: pd.DataFrame, sort_model: list[dict] | None) -> pd.DataFrame:
    """Sort by the grid's ``sortModel`` (first entry most significant), stably; blanks
    first ascending, last descending, as the grid does. Without a (usable) model: by
    ``seq``. Unknown columns are ignored."""
    keys = [s for s in (sort_model or []) if isinstance(s, dict) and s.get("colId") in df.columns
            and s.get("sort") in ("asc", "desc")]
    if not keys:
        return df.sort_values("seq", kind="stable") if "seq" in df.columns else df
    out = df
    for key in reversed(keys):      # stable sorts, least significant first
        asc = key["sort"] == "asc"
        out = out.sort_values(key["colId"], ascending=asc, kind="stable", na_position="first" if asc else "last")
    return out


def _json_value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else (int(v) if float(v).is_integer() else float(v))
    return v if isinstance(v, str) else str(v)


def ledger_block(ledger: pd.DataFrame, request: dict, party: str | None = None) -> dict:
    """One block for the grid's ``getRowsRequest`` (startRow, endRow, sortModel,
    filterModel): ``{"rowData": [JSON-safe dicts], "rowCount": filtered total}``."""
    request = request or {}
    rows = sort_ledger(filter_ledger(ledger, request.get("filterModel"), party), request.get("sortModel"))
    start = max(0, int(request.get("startRow") or 0))
    end = request.get("endRow")
    end = start + 100 if end is None else max(start, int(end))
    block = rows.iloc[start:end]
    data = [{k: _json_value(v) for k, v in zip(block.columns, values)}
            for values in block.itertuples(index=False, name=None)]
    return {"rowData": data, "rowCount": len(rows)}
