"""The validated scenario, with every quantity resolved to whole tonnes."""
from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from types import MappingProxyType

from .model import ScenarioModel
from .series import exact, interpolate, round_half_up, to_tonnes

__all__ = ["Scenario", "UNIT_FACTORS"]

UNIT_FACTORS = {"tCO2e": 1, "ktCO2e": 1_000, "MtCO2e": 1_000_000}


def _linear_price(points: list[tuple[int, int, int]], year: int) -> float:
    """:func:`~a6sim.scenario.series.interpolate` of exact points ``(year, numerator,
    denominator)``, as a float: the same number as ``float(interpolate(...))`` (one
    correctly rounded division of whole numbers), without building Fractions."""
    y0, n0, d0 = points[0]
    if year <= y0:
        return n0 / d0
    for y1, n1, d1 in points[1:]:
        if year <= y1:
            span = y1 - y0   # n0/d0 + (n1/d1 - n0/d0) * (year - y0) / span
            return (n0 * d1 * span + (n1 * d0 - n0 * d1) * (year - y0)) / (d0 * d1 * span)
        y0, n0, d0 = y1, n1, d1
    return n0 / d0


class Scenario:
    """A validated scenario (immutable). Build it with :func:`a6sim.load_scenario`.

    Quantities of the file are in ``model.units``; the accessors below give whole
    tonnes of CO2e (docs/how-a6sim-counts.md).
    """

    __slots__ = ("model", "source", "lines", "_digest", "factor", "_price_points")

    def __init__(self, model: ScenarioModel, source: str = "<scenario>", lines=None):
        self.model = model
        self.source = source
        self.lines = MappingProxyType(dict(lines or {}))
        self.factor = UNIT_FACTORS[model.units]
        self._digest = None
        self._price_points: dict[str, list[tuple[int, int, int]]] = {}   # agreement -> (year, num, den)

    @property
    def digest(self) -> str:
        """SHA-256 of the scenario's canonical JSON: equal scenarios, equal digests.
        Computed on first use (a sweep's runs never need it)."""
        if self._digest is None:
            canonical = json.dumps(self.model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
            self._digest = hashlib.sha256(canonical.encode()).hexdigest()
        return self._digest

    # --- identity -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.model.name

    @property
    def seed(self) -> int:
        return self.model.seed

    @property
    def years(self) -> range:
        """The simulated calendar years."""
        return range(self.model.period.start, self.model.period.end + 1)

    def with_seed(self, seed: int) -> "Scenario":
        """The same scenario with another seed."""
        return Scenario(self.model.model_copy(update={"seed": int(seed)}), self.source, self.lines)

    def to_dict(self) -> dict:
        """Plain data that reloads to an equal scenario (for YAML export)."""
        return self.model.model_dump(mode="python", exclude_defaults=True, by_alias=True) | {"a6sim": self.model.a6sim}

    # --- quantities in tonnes -------------------------------------------------
    def tonnes(self, value) -> int:
        """A quantity of the file, in whole tonnes."""
        return to_tonnes(value, self.factor)

    def _series(self, points: dict) -> dict[int, int]:
        exact_points = {y: exact(v) * self.factor for y, v in points.items()}
        return {y: round_half_up(interpolate(exact_points, y)) for y in self.years}

    def emissions(self, party: str) -> dict[int, int]:
        """Reference emissions per simulated year (tonnes), before the modelled activities
        (None in every year for a v2 party that gives none: its inventory is unknown)."""
        points = self.model.parties[party].emissions
        return self._series(points) if points else dict.fromkeys(self.years)

    def trajectory(self, party: str) -> dict[int, int] | None:
        """The indicative trajectory of a single-year NDC, per simulated year (tonnes)."""
        ndc = self.model.parties[party].ndc
        return self._series(ndc.trajectory) if ndc and ndc.trajectory else None

    def yearly_targets(self, party: str) -> dict[int, int] | None:
        """Per-year targets of a multi-year NDC, for the years of its period (tonnes)."""
        ndc = self.model.parties[party].ndc
        if not (ndc and ndc.targets):
            return None
        points = {y: exact(v) * self.factor for y, v in ndc.targets.items()}
        return {y: round_half_up(interpolate(points, y)) for y in range(ndc.period[0], ndc.period[1] + 1)}

    def target(self, party: str) -> int | None:
        """The single-year target or the multi-year budget (tonnes)."""
        ndc = self.model.parties[party].ndc
        if ndc is None:
            return None
        value = ndc.target if ndc.type == "single-year" else ndc.budget
        return None if value is None else self.tonnes(value)

    def planned_outcome(self, activity: str) -> dict[int, Fraction]:
        """Planned mitigation outcome per vintage, exact tonnes (before variability)."""
        act = self.model.activities[activity]
        first, last = act.vintages
        if isinstance(act.outcome, dict):
            return {v: exact(act.outcome[v]) * self.factor for v in range(first, last + 1)}
        per_year = exact(act.outcome) * self.factor
        return {v: per_year for v in range(first, last + 1)}

    def baseline_decline(self, activity: str) -> Fraction:
        """Yearly downward adjustment of the credited outcome (6.4 default 1%)."""
        act = self.model.activities[activity]
        if act.baseline_decline is not None:
            return exact(act.baseline_decline)
        return Fraction(1, 100) if act.mechanism == "6.4" else Fraction(0)

    def price(self, agreement: str, year: int) -> float:
        """Price per tCO2e in the year of a delivery (currency units)."""
        price = self.model.agreements[agreement].price
        if not isinstance(price, dict):
            return price
        points = self._price_points.get(agreement)
        if points is None:   # each point made exact once, not once per delivery year
            points = self._price_points[agreement] = sorted(
                (y, f.numerator, f.denominator) for y, f in ((y, exact(p)) for y, p in price.items()))
        return _linear_price(points, year)

    # --- pickling (process pools, the dashboard's jobs) ---------------------------
    def __getstate__(self) -> dict:
        return {"model": self.model, "source": self.source, "lines": dict(self.lines),
                "digest": self.digest, "factor": self.factor}

    def __setstate__(self, state: dict) -> None:
        for name in ("model", "source", "lines", "factor"):
            object.__setattr__(self, name, state[name])
        self._digest = state["digest"]
        self._price_points = {}
        self.lines = MappingProxyType(dict(state["lines"]))

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, source={self.source!r}, seed={self.seed})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Scenario) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)
