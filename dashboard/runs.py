"""Runs shared by every session: results cached on disk by scenario hash and seed.

Twenty participants running the same bundled scenario cost one run: the first run
takes a lock named after the key, later ones wait for it and read the stored tables.
The cache is a diskcache folder, so the background processes that run scenarios and
the web server that draws them see the same entries.
"""
from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import diskcache
import pandas as pd

import a6sim
from a6sim.economics import party_curves

__all__ = ["RunTables", "RunStore", "run_key"]


@dataclass(frozen=True)
class RunTables:
    """What the dashboard keeps of one run: the result tables and what it labels them with."""
    key: str
    name: str
    file: str
    seed: int
    currency: str
    balances: pd.DataFrame
    attainment: pd.DataFrame
    ledger: pd.DataFrame
    flows: pd.DataFrame
    integrity: pd.DataFrame
    summary: dict
    names: dict            # party or entity id -> display name
    parties: list          # party ids, in file order
    sop_value_shares: dict  # agreement id -> share of the value paid going to adaptation
    zip_bytes: bytes = field(repr=False)
    economics: Optional[pd.DataFrame] = field(default=None, repr=False)   # economics.csv (docs/economics.md)
    curves: Optional[dict] = field(default=None, repr=False)              # party -> year -> Curve
    units: str = "tCO2e"   # the scenario's unit: every figure is shown in it
    adjusts: dict = field(default_factory=dict)   # party id -> applies its corresponding adjustments


def run_key(scenario: a6sim.Scenario) -> str:
    """Cache key of a run: the scenario's content hash and its seed."""
    return f"{scenario.digest[:20]}-{scenario.seed}"


def tables_of(results: a6sim.Results, key: str) -> RunTables:
    """Keep the tables of a run (read through the public ``Results`` API)."""
    model = results.scenario.model
    names = {p: party.name for p, party in model.parties.items()}
    names.update({e: ent.name for e, ent in model.entities.items()})
    with tempfile.TemporaryDirectory() as tmp:
        out = results.write(Path(tmp) / "results", "csv")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(p for p in out.rglob("*") if p.is_file()):   # aef/ tables too
                z.write(f, f.relative_to(out).as_posix())
    return RunTables(
        key=key, name=model.name, file=results.summary["scenario_file"], seed=results.scenario.seed,
        currency=model.currency, balances=results.balances, attainment=results.attainment,
        ledger=results.ledger, flows=results.flows, integrity=results.integrity,
        summary=results.summary, names=names, parties=list(model.parties),
        sop_value_shares={a: ag.sop.value for a, ag in model.agreements.items()},
        zip_bytes=buf.getvalue(), economics=results.economics, curves=party_curves(results.scenario),
        units=model.units, adjusts={p: party.corresponding_adjustments for p, party in model.parties.items()})


class RunStore:
    """Result tables by key, on disk (shared between processes) with a small memory front."""

    def __init__(self, directory: str | Path, size_limit: int = 2 * 2**30, memory_items: int = 6):
        self.cache = diskcache.Cache(str(directory), size_limit=size_limit)
        self._memory: "OrderedDict[str, RunTables]" = OrderedDict()
        self._memory_items = memory_items
        self._lock = threading.Lock()

    def __getstate__(self):
        """A job process gets the disk cache only: no memory front, a lock of its own."""
        return {"cache": self.cache, "memory_items": self._memory_items}

    def __setstate__(self, state):
        self.cache = state["cache"]
        self._memory = OrderedDict()
        self._memory_items = state["memory_items"]
        self._lock = threading.Lock()

    def get(self, key: Optional[str]) -> Optional[RunTables]:
        """The tables of a finished run, or None if unknown (or evicted)."""
        if not key:
            return None
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        tables = self.cache.get(("run", key))
        if tables is not None:
            with self._lock:
                self._memory[key] = tables
                while len(self._memory) > self._memory_items:
                    self._memory.popitem(last=False)
        return tables

    def run(self, scenario: a6sim.Scenario,
            progress: Optional[Callable[[int, int], None]] = None) -> RunTables:
        """Run ``scenario`` unless an identical run is stored; concurrent twins run once."""
        key = run_key(scenario)
        tables = self.get(key)
        if tables is not None:
            return tables
        with diskcache.Lock(self.cache, ("lock", key), expire=600):
            tables = self.cache.get(("run", key))
            if tables is None:
                tables = tables_of(a6sim.simulate(scenario, progress=progress), key)
                self.cache.set(("run", key), tables)
        return tables

    def runs_done(self) -> int:
        """How many runs are stored (for the benchmark and the tests)."""
        return sum(1 for k in self.cache.iterkeys() if isinstance(k, tuple) and k[0] == "run")
