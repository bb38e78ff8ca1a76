"""``summary.csv``: per grid point and outcome, the statistics of the runs that succeeded.

Columns: ``grid``, one ``lever:PATH`` per lever, ``outcome``, ``runs`` (that
succeeded and report the outcome), ``failed`` (runs of the grid point that failed),
``mean``, ``sd`` (sample standard deviation, n - 1), ``p5``, ``p50``, ``p95``
(percentiles, linear interpolation), and ``probability``: for a true/false outcome
(``parties.ID.met``, ``buffer_dry``) the share of runs where it is true (the
probability of meeting the NDC, of the pool running dry), with its standard error
``probability_se = sqrt(p (1 - p) / runs)``; the other columns are then empty.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .outcomes import is_boolean

__all__ = ["summarise", "SUMMARY_COLUMNS"]

SUMMARY_COLUMNS = ["outcome", "runs", "failed", "mean", "sd", "p5", "p50", "p95", "probability", "probability_se"]


def summarise(runs: pd.DataFrame, lever_columns: list[str], outcomes: list[str]) -> pd.DataFrame:
    rows = []
    for grid, group in runs.groupby("grid", sort=True):
        head = {"grid": int(grid)}
        for c in lever_columns:
            head[c] = group[c].iloc[0]
        failed = int(group["error"].notna().sum())
        ok = group[group["error"].isna()]
        for name in outcomes:
            values = ok[name].dropna()
            n = len(values)
            row = {**head, "outcome": name, "runs": n, "failed": failed, "mean": np.nan, "sd": np.nan,
                   "p5": np.nan, "p50": np.nan, "p95": np.nan, "probability": np.nan, "probability_se": np.nan}
            if n and is_boolean(name):
                p = float(values.astype(bool).mean())
                row.update(probability=p, probability_se=math.sqrt(p * (1 - p) / n))
            elif n:
                x = values.to_numpy(dtype=float)
                p5, p50, p95 = np.percentile(x, [5, 50, 95])
                row.update(mean=float(x.mean()), sd=float(x.std(ddof=1)) if n > 1 else np.nan,
                           p5=float(p5), p50=float(p50), p95=float(p95))
            rows.append(row)
    return pd.DataFrame(rows, columns=["grid", *lever_columns, *SUMMARY_COLUMNS])
