"""Sweeps, Monte Carlo and sensitivity: one base scenario run many times (README, "Sweeps").

``sweep(spec)`` runs levers on a grid and uncertain inputs drawn from distributions,
with hazards adding reversals and revocations, on a process pool or Dask;
``model(scenario, **levers)`` is a6sim as a plain function for exploratory-modelling
tools.
"""
from .model import model
from .spec import MAX_RUNS, SweepError, SweepSpec, load_sweep, sweep_from_dict, sweep_from_text
from .sweeper import SweepResults, prepare, read_sweep, sweep

__all__ = ["MAX_RUNS", "SweepError", "SweepResults", "SweepSpec", "load_sweep", "model", "prepare", "read_sweep",
           "sweep", "sweep_from_dict", "sweep_from_text"]
