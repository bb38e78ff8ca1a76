"""The distributions of uncertain inputs, declared once: fields, checks, and quantiles.

Every draw is made as a point ``u`` of the unit interval (from a Latin hypercube,
plain random numbers, or a Sobol/Morris design) turned into a value by the
distribution's quantile function, so one sampling plan serves every distribution:

* ``normal {mean, sd}``: ``mean + sd * Phi^-1(u)``;
* ``lognormal {mu, sigma}``: ``exp(mu + sigma * Phi^-1(u))`` (``mu``, ``sigma`` of the
  logarithm, numpy's convention: the median is ``exp(mu)``, the mean
  ``exp(mu + sigma^2 / 2)``);
* ``uniform {low, high}``: ``low + (high - low) * u``;
* ``triangular {low, mode, high}``;
* ``choice {values, weights}``: one of the values, with the weights (default equal).

``min`` / ``max`` clip a numeric draw (a normal outcome never below 0: ``min: 0``);
``scale: true`` multiplies the base scenario's value by the draw instead of replacing it.
"""
from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.special import ndtri   # the normal quantile (scipy.stats.norm.ppf is ndtri): scipy.stats costs 1 s to import

__all__ = ["Normal", "LogNormal", "Uniform", "Triangular", "Choice", "Distribution", "quantile",
           "distribution_issues", "EPS"]

EPS = 1e-12   # design points at exactly 0 or 1 (Sobol, Morris) are moved this far inside


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    scale: bool = Field(False, description="multiply the base scenario's value by the draw")
    min: Optional[float] = Field(None, description="clip draws below this value")
    max: Optional[float] = Field(None, description="clip draws above this value")


Number = Union[int, float]


class Normal(_Dist):
    """Normal distribution."""
    dist: Literal["normal"]
    mean: Number
    sd: Annotated[Number, Field(ge=0)] = Field(description="standard deviation, >= 0")


class LogNormal(_Dist):
    """Log-normal: the logarithm of the draw is normal with ``mu`` and ``sigma``."""
    dist: Literal["lognormal"]
    mu: Number = Field(description="mean of the logarithm")
    sigma: Annotated[Number, Field(ge=0)] = Field(description="standard deviation of the logarithm, >= 0")


class Uniform(_Dist):
    """Uniform on [low, high]."""
    dist: Literal["uniform"]
    low: Number
    high: Number


class Triangular(_Dist):
    """Triangular on [low, high] with its peak at ``mode``."""
    dist: Literal["triangular"]
    low: Number
    mode: Number
    high: Number


class Choice(BaseModel):
    """One of ``values`` (any scenario values), with ``weights`` (default equal)."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    dist: Literal["choice"]
    values: Annotated[list[Any], Field(min_length=1)]
    weights: Optional[list[Annotated[Number, Field(ge=0)]]] = None
    scale: Literal[False] = False


Distribution = Annotated[Union[Normal, LogNormal, Uniform, Triangular, Choice], Field(discriminator="dist")]


def distribution_issues(d) -> list[tuple[tuple, str]]:
    """Impossible parameters as ``(field, message)`` (what the field types cannot say)."""
    out = []
    if isinstance(d, (Uniform, Triangular)) and d.low > d.high:
        out.append((("low",), f"low {d.low} is above high {d.high}"))
    if isinstance(d, Triangular) and not d.low <= d.mode <= d.high:
        out.append((("mode",), f"mode {d.mode} is outside [low, high] = [{d.low}, {d.high}]"))
    if isinstance(d, Choice) and d.weights is not None:
        if len(d.weights) != len(d.values):
            out.append((("weights",), f"{len(d.weights)} weights for {len(d.values)} values"))
        elif sum(d.weights) <= 0:
            out.append((("weights",), "the weights sum to 0"))
    if isinstance(d, _Dist) and d.min is not None and d.max is not None and d.min > d.max:
        out.append((("min",), f"min {d.min} is above max {d.max}"))
    for name in ("mean", "sd", "mu", "sigma", "low", "mode", "high", "min", "max"):
        v = getattr(d, name, None)
        if isinstance(v, float) and not math.isfinite(v):
            out.append(((name,), "must be a finite number"))
    if isinstance(d, LogNormal) and math.isfinite(d.mu) and d.mu > _MAX_LOG:
        out.append((("mu",), f"exp(mu), the median, must be a finite number: mu at most {_MAX_LOG:.0f}, got {d.mu}"))
    return out


_MAX_LOG = math.log(1e300)   # about 690.8: exp of more is past the largest floats


def _triangular_ppf(u: np.ndarray, c: float) -> np.ndarray:
    """Quantile of the standard triangular distribution on [0, 1] with mode ``c``
    (the formula of ``scipy.stats.triang.ppf``, which gives the same numbers)."""
    return np.where(u < c, np.sqrt(c * u), 1.0 - np.sqrt((1.0 - c) * (1.0 - u)))


def quantile(d, u: np.ndarray) -> np.ndarray | list:
    """The draws of ``d`` at the points ``u`` of (0, 1): floats, or the chosen values for ``choice``."""
    u = np.clip(np.asarray(u, dtype=float), EPS, 1 - EPS)
    if isinstance(d, Choice):
        w = np.ones(len(d.values)) if d.weights is None else np.asarray(d.weights, dtype=float)
        edges = np.cumsum(w) / w.sum()
        index = np.minimum(np.searchsorted(edges, u, side="right"), len(d.values) - 1)
        return [d.values[i] for i in index]
    if isinstance(d, Normal):
        x = d.mean + d.sd * ndtri(u)
    elif isinstance(d, LogNormal):
        x = np.exp(d.mu + d.sigma * ndtri(u))
    elif isinstance(d, Uniform):
        x = d.low + (d.high - d.low) * u
    else:
        width = d.high - d.low
        c = (d.mode - d.low) / width if width else 0.0
        x = d.low + width * _triangular_ppf(u, c) if width else np.full_like(u, d.low)
    if d.min is not None or d.max is not None:
        x = np.clip(x, d.min if d.min is not None else -np.inf, d.max if d.max is not None else np.inf)
    return x
