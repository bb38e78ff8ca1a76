"""``a6sim sweep --runs N``: a bundled sweep tried small, the runs used recorded, the maximum kept."""
import json

import pandas as pd
import pytest

from a6sim.cli import main
from a6sim.experiments import load_sweep, prepare
from a6sim.experiments.spec import RUNS_LIMIT, with_runs
from a6sim.resources import SWEEP_DIR


def test_runs_overrides_the_file_and_is_recorded(tmp_path, capsys):
    # delivery_risk: price [10, 20, 40] x cap [null, 8] = 6 grid points, runs: 400 in the file;
    # --runs 2 gives 6 x 2 = 12 runs instead of 2,400
    out = tmp_path / "small"
    assert main(["sweep", "delivery_risk", "--out", str(out), "--runs", "2", "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "(2 runs per grid point" in printed and "12 runs in" in printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["grid_points"] == 6
    assert manifest["runs"] == 2 and manifest["runs_per_grid_point"] == 2
    assert manifest["runs_given_by"] == "--runs" and manifest["runs_in_file"] == 400
    assert manifest["runs_planned"] == manifest["runs_done"] == 12
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 12 and sorted(runs["draw"].unique()) == [0, 1]
    sweep_yaml = (out / "sweep.yaml").read_text()
    assert "\nruns: 2\n" in sweep_yaml and "# runs: 2 given by --runs (the file says 400)" in sweep_yaml
    # the same as editing the file to runs: 2: the sweep as run (sweep.yaml) gives the same runs
    assert main(["sweep", str(out / "sweep.yaml"), "--out", str(tmp_path / "again"), "--workers", "1",
                 "--quiet"]) == 0
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert again["runs_given_by"] == "sweep file" and again["runs"] == again["runs_in_file"] == 2
    assert (tmp_path / "again" / "runs.parquet").read_bytes() == (out / "runs.parquet").read_bytes()


def test_runs_obeys_the_maximum_and_force(tmp_path, capsys):
    # 6 grid points x 3 = 18 runs > --max-runs 12: refused, nothing written
    path = SWEEP_DIR / "delivery_risk.yaml"
    assert main(["sweep", "delivery_risk", "--out", str(tmp_path / "o"), "--runs", "3", "--max-runs", "12"]) == 2
    err = capsys.readouterr().err
    assert (f"{path}:15: runs: 6 grid points x 3 runs = 18 runs (runs 3 from --runs), more than the maximum "
            f"of 12; lower runs (or give --runs N) or levers, or add --force") in err
    assert not (tmp_path / "o").exists()
    # --force plans them all anyway (planned here, not run)
    assert prepare("delivery_risk", force=True, max_runs=12, runs=3).total == 18
    # and a larger --runs than the file's is refused by the default maximum of 100,000:
    # 6 x 20,000 = 120,000
    with pytest.raises(Exception, match="120,000 runs"):
        prepare("delivery_risk", runs=20_000)


@pytest.mark.parametrize("value", ["0", "-3", str(RUNS_LIMIT + 1)])
def test_runs_out_of_range_is_refused(tmp_path, capsys, value):
    assert main(["sweep", "delivery_risk", "--out", str(tmp_path / "o"), "--runs", value]) == 2
    assert f"a6sim: --runs {value}: expected 1 to 10,000,000" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_with_runs_keeps_the_files_value():
    spec = load_sweep("delivery_risk")
    assert with_runs(spec, None) is spec
    small = with_runs(spec, 5)
    assert (small.model.runs, small.file_runs, spec.model.runs, spec.file_runs) == (5, 400, 400, None)
    assert with_runs(small, 7).file_runs == 400      # the file's value, not the previous override
    assert small.digest() != spec.digest()           # a resume needs the same --runs
    with pytest.raises(ValueError, match="expected a whole number from 1 to 10,000,000"):
        with_runs(spec, 0)
