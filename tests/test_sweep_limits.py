"""Sweep files near the limits: refused for their size in bounded time and memory, and
impossible distribution parameters refused at their field, never a traceback."""
import itertools
import tracemalloc

import pytest

from a6sim.cli import main
from a6sim.experiments import prepare, sweep_from_dict
from a6sim.experiments.sampling import LeverGrid
from a6sim.experiments.sweeper import SweepError


def _spec(**extra):
    data = {"a6sim-sweep": 1, "name": "limits", "scenario": "two_party_basic", "runs": 1, "seed": 3}
    data.update(extra)
    return sweep_from_dict(data)


def test_lever_grid_is_the_product_in_order():
    levers = {"a": [1, 2], "b": ["x", "y", "z"], "c": [None, 7]}
    grid = LeverGrid(levers)
    listed = [dict(zip(levers, combo)) for combo in itertools.product(*levers.values())]
    assert len(grid) == 12 == len(listed)
    assert [grid[i] for i in range(12)] == listed == list(grid)
    assert grid[-1] == {"a": 2, "b": "z", "c": 7}
    with pytest.raises(IndexError):
        grid[12]
    assert len(LeverGrid({})) == 1 and list(LeverGrid({})) == [{}] and LeverGrid({})[0] == {}


def test_a_huge_grid_or_design_is_refused_without_being_built():
    # 200 x 200 x 200 = 8,000,000 grid points: listing them as dicts took about 2 GB;
    # 10,000,000 Latin-hypercube draws of 2 inputs: a 160 MB design plus its permutations.
    # Both are refused for --max-runs (100,000) having built neither.
    grid = _spec(levers={"agreements.che-gha.price": list(range(1, 201)),
                         "agreements.che-gha.transfer_lag_days": list(range(200)),
                         "activities.gha-cookstoves.issuance_lag_days": list(range(200))})
    draws = _spec(runs=10_000_000, uncertain={
        "agreements.che-gha.price": {"dist": "uniform", "low": 10, "high": 30},
        "agreements.che-gha.transfer_lag_days": {"dist": "uniform", "low": 10, "high": 300}})
    for spec, total in ((grid, "8,000,000 runs"), (draws, "10,000,000 runs")):
        tracemalloc.start()
        try:
            with pytest.raises(SweepError) as err:
                prepare(spec)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert total in str(err.value) and "more than the maximum of 100,000" in str(err.value)
        assert peak < 20 * 2**20, peak


def test_a_lognormal_whose_median_overflows_is_refused_at_its_field(tmp_path, capsys):
    # exp(1000) is past the largest float (exp(709.78)): the check of its typical draw
    # raised OverflowError, a traceback with exit status 1
    sweep = tmp_path / "s.yaml"
    sweep.write_text("a6sim-sweep: 1\nname: t\nscenario: two_party_basic\nruns: 2\nuncertain:\n"
                     "  agreements.che-gha.price: {dist: lognormal, mu: 1000, sigma: 1}\n")
    assert main(["sweep", str(sweep), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{sweep}:6: uncertain.agreements.che-gha.price.mu: exp(mu), the median, must be a finite number" in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_an_executor_that_never_starts_leaves_no_unfinished_sweep(tmp_path, monkeypatch, capsys):
    # `--executor dask --scheduler tcp://HOST:PORT` with the scheduler out of reach exited 2 but
    # left DIR/.partial-runs/state.json, so the same command, the address put right, was refused:
    # "DIR holds an unfinished sweep (0 runs kept); continue it with --resume"
    import a6sim.experiments.sweeper as sweeper
    from a6sim.experiments.executors import ExecutorError

    def unreachable(*args, **kwargs):
        raise ExecutorError("cannot reach the Dask scheduler tcp://10.0.0.9:8786: timed out")
        yield
    sweep = tmp_path / "s.yaml"
    sweep.write_text("a6sim-sweep: 1\nname: t\nscenario: two_party_basic\nruns: 2\n")
    args = ["sweep", str(sweep), "--out", str(tmp_path / "o"), "--quiet", "--workers", "1"]
    with monkeypatch.context() as m:
        m.setattr(sweeper, "execute", unreachable)
        assert main(args) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    # an empty folder of the user's stays, empty: only what a6sim made in it goes
    (tmp_path / "mine").mkdir()
    with monkeypatch.context() as m:
        m.setattr(sweeper, "execute", unreachable)
        assert main(args[:3] + [str(tmp_path / "mine")] + args[4:]) == 2
    assert (tmp_path / "mine").is_dir() and not any((tmp_path / "mine").iterdir())
    capsys.readouterr()
    assert main(args) == 0 and (tmp_path / "o" / "runs.parquet").exists()


def test_counts_of_one_are_in_the_singular(tmp_path, capsys):
    # "1 grid point x 1 runs = 1 runs"; and for --max-runs "500,000,000 grid points x 1 runs"
    sweep = tmp_path / "s.yaml"
    sweep.write_text("a6sim-sweep: 1\nname: t\nscenario: two_party_basic\nruns: 1\n")
    assert main(["validate", str(sweep)]) == 0
    assert "1 grid point x 1 run = 1 run; run it with" in capsys.readouterr().out
    with pytest.raises(SweepError, match="3 grid points x 1 run = 3 runs, more than the maximum of 2"):
        prepare(_spec(levers={"agreements.che-gha.price": [1, 2, 3]}), max_runs=2)
