"""The plan of a sweep: grid points x draws, and every run's inputs as a small record.

Runs are numbered ``run = grid * draws + draw``. Every draw is a function of the
sweep seed and the draw number only, so the results do not depend on the executor,
the number of workers or the order runs finish; and the draws are the same at every
grid point (common random numbers: differences between grid points come from the
levers, not from sampling noise).

* The uncertain inputs of draw ``r`` are row ``r`` of a design on the unit cube,
  turned into values by each distribution's quantile function: a Latin hypercube
  (:func:`latin_hypercube`, seeded with the sweep seed), plain random
  numbers (the draw's own stream), or with ``sensitivity`` SALib's Sobol (Saltelli)
  or Morris design of ``runs`` base samples.
* The random streams of draw ``r`` are the children of
  ``SeedSequence(seed, spawn_key=(r,))``: stream 0 for plain random sampling, 1 for
  the run's scenario seed (the scenario's ``outcome_variability`` draws), 2 + i for
  hazard i.
"""
from __future__ import annotations

import functools
import itertools
import math
import warnings

import numpy as np

from .distributions import Choice, quantile
from .hazards import draw_hazard
from .paths import field_kind, full_data, resolve

__all__ = ["Plan", "LeverGrid", "make_plan", "draw_streams", "unit_design", "draws_per_point", "latin_hypercube"]


def draw_streams(seed: int, draw: int, n: int) -> list[np.random.SeedSequence]:
    """The ``n`` independent random streams of draw ``draw`` of a sweep seeded ``seed``."""
    return np.random.SeedSequence(seed, spawn_key=(draw,)).spawn(n)


def draws_per_point(runs: int, dims: int, sensitivity: str | None) -> int:
    """Runs per grid point: ``runs``, or SALib's design size N(D+2) (Sobol) / N(D+1) (Morris)."""
    if sensitivity == "sobol":
        return runs * (dims + 2)
    if sensitivity == "morris":
        return runs * (dims + 1)
    return runs


def _salib_problem(dims: int) -> dict:
    return {"num_vars": dims, "names": [f"x{i}" for i in range(dims)], "bounds": [[0.0, 1.0]] * dims}


def unit_design(sampling: str, sensitivity: str | None, runs: int, dims: int, seed: int) -> np.ndarray | None:
    """The design on the unit cube, one row per draw (None for plain random: drawn per run)."""
    if dims == 0:
        return np.zeros((runs, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if sensitivity == "sobol":
            from SALib.sample import sobol
            return sobol.sample(_salib_problem(dims), runs, calc_second_order=False, seed=seed)
        if sensitivity == "morris":
            from SALib.sample import morris
            return morris.sample(_salib_problem(dims), runs, num_levels=4, seed=seed)
    if sampling == "latin-hypercube":
        return latin_hypercube(runs, dims, seed)
    return None


def latin_hypercube(runs: int, dims: int, seed: int) -> np.ndarray:
    """A Latin hypercube of ``runs`` points in ``dims`` dimensions (McKay, Beckman and
    Conover 1979): each dimension's ``runs`` equal strata hold one point each, placed
    uniformly inside its stratum, the strata of the dimensions paired by independent
    random permutations.

    The same numbers as ``scipy.stats.qmc.LatinHypercube(d=dims,
    seed=np.random.default_rng(seed)).random(runs)`` (its default: scrambled, no
    optimisation, scipy 1.17), without importing ``scipy.stats`` (about 1 s, a quarter of
    a 1,000-run sweep of a small scenario), and the same whichever scipy is installed.
    """
    # the first child of the seed's stream, as scipy's engine takes from the generator it is given
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    within = rng.uniform(size=(runs, dims))
    perms = np.tile(np.arange(1, runs + 1), (dims, 1))
    for i in range(dims):
        rng.shuffle(perms[i, :])
    return (perms.T - within) / runs


class LeverGrid:
    """The grid points of a sweep's levers, in ``itertools.product`` order (the last
    lever varies fastest), each a ``{path: value}`` dict made when asked for.

    Its length is the product of the levers' value counts, known without building a
    point, so a sweep of 500 x 1,000 x 1,000 levers is refused for its size (``--max-runs``)
    in no time and memory instead of first listing half a billion points. No lever: one
    empty point.
    """

    def __init__(self, levers: dict):
        self.paths = list(levers)
        self.values = [list(v) for v in levers.values()]
        self._len = math.prod(len(v) for v in self.values)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index: int) -> dict:
        if not -self._len <= index < self._len:
            raise IndexError(index)
        index %= self._len
        point = {}
        for path, values in zip(reversed(self.paths), reversed(self.values)):
            index, i = divmod(index, len(values))
            point[path] = values[i]
        return {p: point[p] for p in self.paths}

    def __iter__(self):
        for combo in itertools.product(*self.values):
            yield dict(zip(self.paths, combo))


class Plan:
    """Every run of a sweep as a record for a worker (see :func:`make_plan`).

    Building a plan is cheap whatever the sweep's size: the grid is a :class:`LeverGrid`
    and the design on the unit cube is made on first use, so :attr:`total` can be
    checked against the maximum of runs before anything large is built."""

    def __init__(self, spec, sensitivity: str | None = None):
        m = spec.model
        self.spec = spec
        self.sensitivity = sensitivity if sensitivity is not None else m.sensitivity
        full = full_data(spec.scenario)
        self.kinds = {p: field_kind(resolve(full, p)) for p in list(m.levers) + list(m.uncertain)}
        self.lever_paths = list(m.levers)
        self.input_paths = list(m.uncertain)
        self.grid = LeverGrid(m.levers)
        self.draws = draws_per_point(m.runs, len(self.input_paths), self.sensitivity)
        self.total = len(self.grid) * self.draws
        self.period = (spec.scenario.model.period.start, spec.scenario.model.period.end)
        self._inputs: dict[int, dict] = {}

    @functools.cached_property
    def design(self) -> np.ndarray | None:
        """The design on the unit cube (:func:`unit_design`), one row per draw, made on first use."""
        m = self.spec.model
        return unit_design(m.sampling, self.sensitivity, m.runs, len(self.input_paths), m.seed)

    def unit_row(self, draw: int) -> np.ndarray:
        """The point of the unit cube for draw ``draw``."""
        if self.design is not None:
            return self.design[draw]
        rng = np.random.default_rng(draw_streams(self.spec.model.seed, draw, 1)[0])
        return rng.random(len(self.input_paths))

    def inputs(self, draw: int) -> tuple[dict, int, list]:
        """``(drawn values, scenario seed, hazard draws)`` of draw ``draw``."""
        m = self.spec.model
        streams = draw_streams(m.seed, draw, 2 + len(m.hazards))
        u = self.unit_row(draw)
        values = {}
        for i, (path, d) in enumerate(m.uncertain.items()):
            x = quantile(d, [u[i]])[0]
            if not isinstance(d, Choice):
                x = float(x)
                if self.kinds[path] == "int" and not getattr(d, "scale", False):
                    x = int(np.floor(x + 0.5))
            values[path] = x
        seed = int(streams[1].generate_state(1)[0] >> 1)
        hazards = [draw_hazard(h, np.random.default_rng(streams[2 + i]), self.period)
                   for i, h in enumerate(m.hazards)]
        return values, seed, hazards

    def record(self, run: int) -> dict:
        """The small picklable record a worker needs to do run ``run``."""
        grid, draw = divmod(run, self.draws)
        values, seed, hazards = self.inputs(draw)
        levers = self.grid[grid]
        if "seed" in levers:
            seed = levers["seed"]
        return {"run": run, "grid": grid, "draw": draw, "seed": seed, "levers": levers, "inputs": values,
                "scale": {p: bool(getattr(d, "scale", False)) for p, d in self.spec.model.uncertain.items()},
                "hazards": hazards}


def make_plan(spec, sensitivity: str | None = None) -> Plan:
    return Plan(spec, sensitivity)
