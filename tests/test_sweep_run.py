"""Sweeps end to end: a closed-form answer, executors that agree, resume, failures, sensitivity."""
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import norm

import a6sim
from a6sim.experiments import sweep, sweep_from_dict

ROOT = Path(__file__).resolve().parents[1]


def _spec(**changes):
    spec = {"a6sim-sweep": 1, "name": "test", "scenario": "two_party_basic", "runs": 20, "seed": 3,
            "uncertain": {"activities.gha-cookstoves.outcome":
                          {"dist": "normal", "mean": 1.0, "sd": 0.3, "scale": True, "min": 0}}}
    spec.update(changes)
    return sweep_from_dict(spec)


def test_normal_delivery_shortfall_matches_the_closed_form():
    # two_party_basic: Switzerland needs 6 Mt of ITMOs; ten vintages of s Mt each arrive in the
    # run (transfer lag 30 days). With s ~ Normal(1, 0.3):
    #   P(miss) = P(10 s < 6) = Phi((0.6 - 1) / 0.3) = Phi(-4/3) = 0.091211
    #   E[gap]  = 10 E[(0.6 - s)+] = 10 (-0.4 Phi(-4/3) + 0.3 phi(-4/3)) Mt = 127,185 t
    # (clipping at 0 changes E[gap] by 10 E[(-s)+] ~ 300 t, far below the tolerance).
    n = 1200
    res = sweep(_spec(runs=n, sampling="random", outcomes=["parties.CHE.gap", "parties.CHE.met"]), workers=2)
    s = res.summary.set_index("outcome")
    p_miss = norm.cdf(-4 / 3)
    assert abs((1 - s.loc["parties.CHE.met", "probability"]) - p_miss) < 4 * math.sqrt(p_miss * (1 - p_miss) / n)
    gap = 10 * (-0.4 * norm.cdf(-4 / 3) + 0.3 * norm.pdf(-4 / 3)) * 1e6
    assert abs(gap - 127_185) < 1
    assert abs(s.loc["parties.CHE.gap", "mean"] - gap) < 4 * s.loc["parties.CHE.gap", "sd"] / math.sqrt(n)
    assert res.manifest["runs_failed"] == 0


def _small():
    """A grid, two inputs and a hazard: every part of a record."""
    return sweep_from_dict({
        "a6sim-sweep": 1, "name": "small", "scenario": "forest_removal_reversal", "runs": 6, "seed": 9,
        "levers": {"activities.slv-forest.buffer_share": [0.02, 0.2], "events": [[]]},
        "uncertain": {"activities.slv-forest.outcome": {"dist": "triangular", "low": 0.5, "mode": 1, "high": 1.2,
                                                        "scale": True},
                      "agreements.buy-slv.transfer_lag_days": {"dist": "uniform", "low": 0, "high": 90}},
        "hazards": [{"event": "reversal", "activity": "slv-forest", "rate": 0.3,
                     "size": {"dist": "uniform", "low": 0.01, "high": 0.3}, "avoidable": 0.5}],
        "outcomes": ["buffer_dry", "buffer_shortfall", "parties.*.gap"]})


def test_executors_and_worker_counts_give_the_same_runs_parquet(tmp_path):
    spec = _small()
    outs = {}
    for name, kw in {"serial": {"workers": 1}, "pool3": {"workers": 3},
                     "dask": {"executor": "dask", "workers": 2}}.items():
        sweep(spec, tmp_path / name, **kw)
        outs[name] = (tmp_path / name / "runs.parquet").read_bytes()
    assert len(set(outs.values())) == 1
    runs = pd.read_parquet(tmp_path / "serial" / "runs.parquet")
    assert list(runs["run"]) == list(range(12))
    assert runs["hazard.0.events"].sum() > 0        # the hazard did draw events
    # common random numbers: the same draws at both grid points
    a, b = runs[runs.grid == 0], runs[runs.grid == 1]
    assert list(a["input:agreements.buy-slv.transfer_lag_days"]) == list(b["input:agreements.buy-slv.transfer_lag_days"])


def test_resume_after_an_interruption_loses_nothing_finished(tmp_path, monkeypatch):
    import a6sim.experiments.sweeper as sweep_py
    spec = _small()
    sweep(spec, tmp_path / "clean", workers=1)
    monkeypatch.setattr(sweep_py, "FLUSH_SECONDS", -1.0)   # keep every batch at once
    seen = []

    def stop_after_some(done, total):
        seen.append(done)
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(spec, tmp_path / "cut", workers=1, progress=stop_after_some)
    assert not (tmp_path / "cut" / "runs.parquet").exists()
    # without --resume the unfinished sweep is not touched
    from a6sim.io.write import OutputError
    with pytest.raises(OutputError, match="--resume"):
        sweep(spec, tmp_path / "cut", workers=1)
    res = sweep(spec, tmp_path / "cut", workers=1, resume=True)
    assert res.manifest["runs_resumed"] >= 5
    assert (tmp_path / "cut" / "runs.parquet").read_bytes() == (tmp_path / "clean" / "runs.parquet").read_bytes()
    assert not (tmp_path / "cut" / ".partial-runs").exists()


def test_a_failing_run_is_recorded_and_the_sweep_goes_on():
    # sd 1 without a floor: some draws of the outcome factor are negative, which the schema
    # refuses (outcome >= 0); those runs carry their input and the error
    res = sweep(_spec(runs=40, uncertain={"activities.gha-cookstoves.outcome":
                                          {"dist": "normal", "mean": 1.0, "sd": 1.0, "scale": True}}), workers=1)
    runs = res.runs
    bad = runs[runs["error"].notna()]
    good = runs[runs["error"].isna()]
    assert len(bad) and len(good) and len(runs) == 40
    assert (bad["input:activities.gha-cookstoves.outcome"] < 0).all()
    assert (good["input:activities.gha-cookstoves.outcome"] >= 0).all()
    assert bad["error"].str.contains("activities.gha-cookstoves.outcome").all()
    assert bad["parties.CHE.gap"].isna().all()
    assert res.summary["failed"].iloc[0] == len(bad)


def test_sobol_and_morris_find_the_input_that_matters():
    # issued = 10 x round(s x 1 Mt) depends on the outcome factor only; the transfer lag
    # (10-90 days: every vintage still arrives) cannot move it: its total index is exactly 0.
    uncertain = {"activities.gha-cookstoves.outcome": {"dist": "uniform", "low": 0.5, "high": 1.5, "scale": True},
                 "agreements.che-gha.transfer_lag_days": {"dist": "uniform", "low": 10, "high": 90}}
    sob = sweep(_spec(runs=32, uncertain=uncertain, outcomes=["issued"], sensitivity="sobol"), workers=1)
    assert len(sob.runs) == 32 * (2 + 2)
    t = sob.sensitivity.set_index("input")
    assert t.loc["agreements.che-gha.transfer_lag_days", "ST"] == 0
    assert abs(t.loc["activities.gha-cookstoves.outcome", "S1"] - 1) < 0.1
    mor = sweep(_spec(runs=10, uncertain=uncertain, outcomes=["issued"], sensitivity="morris"), workers=1)
    assert len(mor.runs) == 10 * 3
    m = mor.sensitivity.set_index("input")
    assert m.loc["agreements.che-gha.transfer_lag_days", "mu_star"] == 0
    # issued is linear in s: 10 Mt per unit of s; s = 0.5 + u, so 10,000,000 t per unit of u
    assert abs(m.loc["activities.gha-cookstoves.outcome", "mu_star"] - 10_000_000) < 20


def test_the_bundled_sweeps_are_valid():
    from a6sim.experiments import load_sweep
    names = sorted(p.stem for p in (ROOT / "scenarios" / "sweeps").glob("*.yaml"))
    assert names == ["buffer_adequacy", "delivery_risk", "price_cap_grid"]
    for name in names:
        spec = load_sweep(name)
        assert spec.scenario.name


def _sigint_ignored() -> bool:
    import signal
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_dask_workers_are_started_ignoring_ctrl_c():
    # Ctrl+C reaches every process of the terminal's group: a LocalCluster's workers raised
    # KeyboardInterrupt and printed Dask's tracebacks over the sweep's own "interrupted" line.
    # Processes started inside the guard (spawned, as Dask's nanny starts them) ignore SIGINT;
    # this process handles it again after.
    import multiprocessing
    import signal

    from a6sim.experiments.executors import _children_ignore_sigint
    before = signal.getsignal(signal.SIGINT)
    with _children_ignore_sigint():
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            assert pool.apply(_sigint_ignored) is True
    assert signal.getsignal(signal.SIGINT) is before


def test_the_bar_says_the_workers_are_starting_until_the_first_runs_end(capsys):
    # 20 runs on 2 worker processes: before the first batch the bar reads "sweep
    # (starting 2 worker processes)", then "sweep" with 20/20 at the end
    sweep(_spec(runs=20), workers=2, bar=True)
    err = capsys.readouterr().err
    assert "sweep (starting 2 worker processes):   0%" in err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("sweep: 100%") and "20/20" in last
