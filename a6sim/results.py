"""What a run gives back: pandas tables, the summary, and files (see the README).

pandas is imported by the tables that are DataFrames, on first use: a run that only
writes CSV (or a sweep that reads the summary) never loads it.
"""
from __future__ import annotations

from fractions import Fraction
from functools import cached_property, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional


from . import __version__
from .accounting.ledger_figures import international_authorisations, ledger_figures
from .accounting.reports import attainment_rows, balance_rows, exact_sum, integrity_rows
from .accounting.table4 import COLUMNS as TABLE4_COLUMNS, structured_summary_rows
from .accounting.target_year import target_year_claims
from .engine import World, run_world
from .engine.simulate import paused_gc
from .registry import RegistryError
from .scenario import Scenario, load_scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Results", "simulate", "COLUMNS"]

COLUMNS = {
    "balances": ["party", "year", "inventory", "first_transferred", "first_transferred_oimp", "used", "ca",
                 "emissions_balance", "target", "trajectory", "method", "gap", "metric"],
    "attainment": ["party", "ndc_type", "method", "period_start", "period_end", "target_year", "target",
                   "balance", "gap", "met", "metric", "worst_year_gap"],
    "ledger": ["seq", "date", "action", "quantity", "block", "activity", "vintage", "host", "unit_type",
               "from_account", "to_account", "from_party", "to_party", "agreement", "purpose", "first_transfer"],
    "holdings": ["date", "account", "party", "unit_type", "vintage", "quantity"],
    "flows": ["year", "from_party", "to_party", "agreement", "quantity", "value"],
    "integrity": ["year", "inventory_total", "balance_total", "net_ca", "omge_cancelled",
                  "adaptation_fund_units", "double_claimed"],
    "structured_summary": TABLE4_COLUMNS,
}

def _lazy(build):
    """A value computed on first use, with the cyclic garbage collector paused while it
    is built (tables allocate many objects and hold no cycles worth collecting)."""
    @wraps(build)
    def built(self):
        with paused_gc():
            return build(self)
    return cached_property(built)


_HELD = frozenset(("holding", "activity", "adaptation-fund", "host-adaptation"))


def simulate(scenario: Scenario | str | Path, seed: Optional[int] = None,
             progress: Optional[Callable[[int, int], None]] = None) -> "Results":
    """Run a scenario: a :class:`Scenario`, the path of a scenario file or a bundled example's
    name (``"two_party_basic"``); the seed comes from the file unless given. Returns
    :class:`Results` (tables in whole tonnes of CO2e, money in the scenario's currency).
    ``progress(year, last_year)`` is called as each simulated year closes."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if seed is not None and seed != scenario.seed:
        scenario = scenario.with_seed(seed)
    with paused_gc():
        return Results(scenario, run_world(scenario, progress))


def _number(x):
    """Exact derived figures as numbers: whole ones as int, others as float."""
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else float(x)
    return x


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    import pandas as pd
    df = pd.DataFrame([{k: _number(v) for k, v in r.items()} for r in rows], columns=COLUMNS[name])
    for col in df.columns:   # whole-number columns with gaps: nullable integers, not floats
        values = df[col].dropna()
        if df[col].dtype == object and len(values) and all(isinstance(v, int) and not isinstance(v, bool)
                                                            for v in values):
            df[col] = df[col].astype("Int64")
        elif df[col].dtype.kind == "f" and len(values) and (values % 1 == 0).all() and values.abs().max() < 2**53:
            df[col] = df[col].astype("Int64")
    return df


class Results:
    """Results of one run. Tables are pandas DataFrames built on first access."""

    def __init__(self, scenario: Scenario, world: World):
        self.scenario = scenario
        self.world = world
        w = world
        self.figures = ledger_figures(
            w.registry.ledger, w.registry.accounts, w.cal.year_of, w.attribution,
            {p: specs for p, specs in w.ndcs.items() if specs},
            {p: party.corresponding_adjustments for p, party in scenario.model.parties.items()},
            scenario.model.settings.omge_host_adjustment, international_authorisations(scenario.model))
        self._check_running_figures()

    # --- report rows (plain dicts, exact numbers), each computed on first use ------
    # A sweep reads only the summary: it never pays for the tables it does not ask for.
    @_lazy
    def _balances(self) -> list[dict]:
        w, sc = self.world, self.scenario
        adjusts = {p: party.corresponding_adjustments for p, party in sc.model.parties.items()}
        return balance_rows(w.ndcs, w.inventory, self.figures, list(sc.years), adjusts)

    @_lazy
    def _attainment(self) -> list[dict]:
        return attainment_rows(self.world.ndcs, self._balances)

    @_lazy
    def _summary_rows(self) -> list[dict]:
        w = self.world
        return structured_summary_rows(w.ndcs, w.inventory, self.figures, self._balances, list(self.scenario.years),
                                       w.registry.ledger, w.cal.year_of, self.scenario.model)

    @_lazy
    def _integrity(self) -> list[dict]:
        return integrity_rows(self._balances, self.figures, list(self.scenario.years))

    def _period_of(self, party: str, i: int) -> list:
        spec = self.world.ndcs[party][i]
        return [spec.first, spec.last]

    def _check_running_figures(self) -> None:
        """The figures the engine decided on must equal those read off the ledger."""
        f, w = self.figures, self.world
        for name, live, truth in (("first transferred", w.ft, f.first_transferred),
                                  ("first transferred (OIMP)", w.ft_oimp, f.first_transferred_oimp),
                                  ("used", w.used, f.used)):
            a = {k: v for k, v in live.items() if v}
            b = {k: v for k, v in truth.items() if v}
            if a != b:
                raise RegistryError(f"{name}: engine {a} != ledger {b}")

    # --- tables -----------------------------------------------------------------
    @_lazy
    def balances(self) -> pd.DataFrame:
        """One row per party and year, in tCO2e (guide: a6sim docs how-a6sim-counts)."""
        return _frame(self._balances, "balances")

    @_lazy
    def attainment(self) -> pd.DataFrame:
        """One row per party NDC: ``gap = balance - target`` (positive: missed)."""
        return _frame(self._attainment, "attainment")

    @_lazy
    def structured_summary(self) -> pd.DataFrame:
        """BTR structured summary (5/CMA.3 Table 4), per party and NDC year."""
        return _frame(self._summary_rows, "structured_summary")

    @_lazy
    def integrity(self) -> pd.DataFrame:
        """Per year: net corresponding adjustments, OMGE, Adaptation Fund units, double claims."""
        return _frame(self._integrity, "integrity")

    @_lazy
    def ledger(self) -> pd.DataFrame:
        """One row per movement of a block (AEF action vocabulary)."""
        import pandas as pd
        reg, cal = self.world.registry, self.world.cal
        rows = reg.ledger.rows
        registry_of = {a.id: a.registry for a in reg.accounts.values()}
        df = pd.DataFrame(rows, columns=list(rows[0]._fields) if rows else
                          ["seq", "day", "action", "quantity", "host", "activity", "vintage", "first", "last",
                           "unit_type", "from_account", "to_account", "agreement", "purpose", "first_transfer"])
        dates = {d: cal.date_of(d) for d in df["day"].unique()} if len(df) else {}
        df["date"] = pd.to_datetime(df["day"].map(dates))
        df["block"] = (df["host"] + "-" + df["activity"] + "-" + df["vintage"].astype(str) + "-"
                       + df["first"].astype(str) + ":" + df["last"].astype(str))
        df["from_party"] = df["from_account"].map(registry_of)
        df["to_party"] = df["to_account"].map(registry_of)
        return df[COLUMNS["ledger"]]

    @_lazy
    def holdings(self) -> pd.DataFrame:
        """Holdings per account, unit type and vintage, as of every 31 December (:mod:`a6sim.holdings`)."""
        from .holdings import holdings_frame
        return holdings_frame(self.world.snapshots, self.world.registry.accounts, self.world.cal.date_of)

    @_lazy
    def flows(self) -> pd.DataFrame:
        """Deliveries per year and agreement: tonnes and value paid (:mod:`a6sim.flows`)."""
        import pandas as pd
        return pd.DataFrame(self._flows, columns=COLUMNS["flows"])

    @_lazy
    def _flows(self) -> list[tuple]:
        """The rows of :attr:`flows` (:func:`a6sim.flows.flow_rows`), for ``flows.csv`` and ``iamc.csv``."""
        from .flows import flow_rows
        return flow_rows(self.world)

    @_lazy
    def economics_results(self):
        """The economics of the run (:mod:`a6sim.economics`; guide: a6sim docs economics): table and summary."""
        from .economics import economics
        return economics(self)

    @property
    def economics(self) -> pd.DataFrame:
        """Compliance costs per party with an abatement cost curve and year (empty without curves)."""
        return self.economics_results.table

    @cached_property
    def aef(self) -> dict[str, pd.DataFrame]:
        """The AEF tables (authorisations, actions, holdings, annual_information), see :mod:`a6sim.io.aef`."""
        from .io.aef import aef_tables
        return aef_tables(self)

    @property
    def violations(self) -> list[dict]:
        """Refused actions, each with its date, kind and reason."""
        return list(self.world.violations)

    @property
    def has_economics(self) -> bool:
        """Whether a party has an abatement cost curve (without computing the economics)."""
        return any(p.abatement_cost for p in self.scenario.model.parties.values())

    @_lazy
    def summary(self) -> dict:
        """The content of ``summary.json``: which run (version, scenario, its SHA-256,
        seed, period), then :attr:`figures_summary`."""
        return {
            "a6sim_version": __version__,
            "scenario": self.scenario.name,
            "scenario_file": Path(self.scenario.source).name,
            "scenario_sha256": self.scenario.digest,
            "seed": self.scenario.seed,
            "period": [self.scenario.model.period.start, self.scenario.model.period.end],
            **self.figures_summary,
        }

    @_lazy
    def figures_summary(self) -> dict:
        """What ``summary.json`` says of the run: run totals, violations and each party's
        attainment (``met``, ``gap``, ``balance``, ``target``).

        The cheap path for sweeps: it is computed from the ledger figures and the
        report rows, and builds no DataFrame (the economics only where a party has an
        abatement cost curve), nor the scenario's digest (a canonical JSON of the whole
        scenario: 0.08 s for the 1x synthetic world).
        """
        f, w, reg = self.figures, self.world, self.world.registry
        balance = w.held.__getitem__ if w.held is not None else reg.balance   # counted by the end-of-run check
        buffer = held = 0
        for a, acc in reg.accounts.items():
            if acc.kind == "buffer":
                buffer += balance(a)
            elif acc.kind in _HELD:
                held += balance(a)
        parties = {}
        for r in self._attainment:   # a party with several NDC periods: the last assessed one, and "ndcs"
            entry = {"met": r["met"], "gap": _number(r["gap"]), "balance": _number(r["balance"]),
                     "target": _number(r["target"])}
            before = parties.get(r["party"])
            if before is None:
                parties[r["party"]] = entry
                continue
            periods = before.pop("ndcs", None) or [dict(before, period=self._period_of(r["party"], 0))]
            periods.append(dict(entry, period=self._period_of(r["party"], len(periods))))
            shown = entry if entry["met"] is not None else {k: before[k] for k in entry}
            parties[r["party"]] = dict(shown, ndcs=periods)
        out = {
            "issued": sum(f.issued.values()),
            "first_transferred": sum(f.first_transferred.values()),
            "first_transferred_oimp": sum(f.first_transferred_oimp.values()),
            "used": sum(f.used.values()),
            "used_oimp": sum(f.used_oimp.values()),
            "voluntarily_cancelled": sum(f.voluntary_cancelled.values()),
            "omge_cancelled": sum(f.omge_cancelled.values()),
            "adaptation_fund_units": sum(f.adaptation_fund_units.values()),
            "host_adaptation_units": sum(f.host_adaptation_units.values()),
            "sop_value": round(w.sop_value, 2),
            "value_paid": round(sum(v for *_, v in w.flows), 2),
            "buffer": buffer,
            "reversal_cancelled": sum(f.reversal_cancelled.values()),
            "held": held,
            "double_claimed": sum(f.double_claimed.values()),
            "net_ca_total": _number(exact_sum(r.get("ca_t", r["ca"]) for r in self._balances)),
            **self._target_year_figures(),
            "ledger_rows": len(reg.ledger),
            "violations": list(w.violations),
            "shortfalls": list(w.shortfalls),
            "parties": parties,
        }
        if self.has_economics and not self.economics_results.empty:
            out["economics"] = self.economics_results.summary
        return out

    def _target_year_figures(self) -> dict:
        """Tonnes claimed twice in the target year of single-year NDCs
        (:mod:`a6sim.accounting.target_year`): the total, and per target year."""
        claims = target_year_claims(self._balances, self._attainment)
        return {"target_year_double_claimed": _number(sum((c["tonnes"] for c in claims), Fraction(0))),
                "target_years": [{"year": c["year"], "parties": c["parties"], "net_ca": _number(c["net_ca"]),
                                  "double_claimed": _number(c["tonnes"])} for c in claims]}

    def write(self, out: str | Path, format: str = "csv", processes: int = 1) -> Path:
        """Write every result file into ``out`` atomically (see :mod:`a6sim.io.write`);
        ``processes=2``: part of the CSV files by a forked second process, for a
        single-threaded caller (``a6sim run``; :mod:`a6sim.io.forked`)."""
        from .io.write import write_results
        with paused_gc():
            return write_results(self, out, format, processes)

    def __repr__(self) -> str:
        return f"<Results {self.scenario.name!r}: {len(self.world.registry.ledger)} ledger rows>"
