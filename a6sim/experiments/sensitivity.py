"""``sensitivity.csv``: which uncertain inputs move each outcome, computed with SALib.

* ``sobol`` (Saltelli's design, first-order and total indices, no second order):
  ``S1`` is the share of the outcome's variance due to the input alone, ``ST`` with
  all its interactions; ``S1_conf``, ``ST_conf`` are SALib's 95% half-widths;
* ``morris`` (elementary effects, 4 levels): ``mu_star`` (mean absolute effect),
  ``mu``, ``sigma`` (spread: non-linearity or interactions), ``mu_star_conf``.

The inputs are sampled on the unit cube and turned into values by their quantile
functions (:mod:`.distributions`), so Morris effects are per unit of an input's
quantile (0 to 1): inputs in different units compare. Hazards are drawn as usual
and act as noise. One row per grid point, outcome and input; a grid point with a
failed run has no indices (empty), since the design needs every run.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

__all__ = ["sensitivity_table", "COLUMNS"]

COLUMNS = {"sobol": ["S1", "S1_conf", "ST", "ST_conf"], "morris": ["mu", "mu_star", "sigma", "mu_star_conf"]}


def sensitivity_table(runs: pd.DataFrame, plan, outcomes: list[str]) -> pd.DataFrame:
    method = plan.sensitivity
    inputs = plan.input_paths
    problem = {"num_vars": len(inputs), "names": inputs, "bounds": [[0.0, 1.0]] * len(inputs)}
    rows = []
    for grid, group in runs.groupby("grid", sort=True):
        group = group.sort_values("draw")
        for name in outcomes:
            y = group[name].to_numpy(dtype=float) if name in group else np.array([])
            ok = len(y) == plan.draws and group["error"].isna().all() and not np.isnan(y).any()
            result = _indices(method, problem, plan.design, y, plan.spec.model.seed) if ok else None
            for i, path in enumerate(inputs):
                row = {"grid": int(grid), "outcome": name, "input": path, "method": method}
                for col in COLUMNS[method]:
                    row[col] = float(result[col][i]) if result is not None else np.nan
                rows.append(row)
    return pd.DataFrame(rows, columns=["grid", "outcome", "input", "method", *COLUMNS[method]])


def _indices(method, problem, design, y, seed) -> dict | None:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if np.ptp(y) == 0:   # a constant outcome: no input moves it
            zero = np.zeros(problem["num_vars"])
            return {c: zero for c in COLUMNS[method]}
        if method == "sobol":
            from SALib.analyze import sobol
            r = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        else:
            from SALib.analyze import morris
            r = morris.analyze(problem, design, y, num_levels=4, seed=seed)
    return {c: np.asarray(r[c], dtype=float) for c in COLUMNS[method]}
