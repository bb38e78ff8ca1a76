"""a6sim sweep: files written, bad input refused before any run with every problem located."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from a6sim.cli import main

ROOT = Path(__file__).resolve().parents[1]

SMALL = """a6sim-sweep: 1
name: small grid
scenario: {scenario}
runs: 4
seed: 2
levers:
  agreements.che-gha.price: [10, 30]
uncertain:
  activities.gha-cookstoves.outcome: {{dist: uniform, low: 0.4, high: 1.2, scale: true}}
"""


def _write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_sweep_writes_every_file_and_the_folder_reruns_itself(tmp_path, capsys):
    scenario = ROOT / "scenarios" / "two_party_basic.yaml"
    sweep_file = _write(tmp_path, SMALL.format(scenario=scenario))
    assert main(["sweep", str(sweep_file), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "CHE.met" in printed and "8 runs" in printed
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "runs.parquet", "scenario.yaml",
                                                     "summary.csv", "sweep.yaml"]
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 8 and list(runs["lever:agreements.che-gha.price"]) == [10] * 4 + [30] * 4
    # value paid = price x units delivered: 10 vintages of s Mt each, all delivered
    ok = runs.dropna(subset=["parties.CHE.gap"])
    assert set(runs.columns) >= {"run", "grid", "draw", "seed", "input:activities.gha-cookstoves.outcome", "error"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs_done"] == 8 and manifest["grid_points"] == 2 and manifest["kind"] == "a6sim-sweep"
    summary = pd.read_csv(out / "summary.csv")
    met = summary[summary.outcome == "parties.CHE.met"]
    # CHE meets its budget when 10 s >= 6; the probabilities are the shares of such draws
    s = runs[runs.grid == 0]["input:activities.gha-cookstoves.outcome"]
    assert met["probability"].iloc[0] == (s >= 0.6).mean()
    assert len(ok) == 8
    # the sweep as run, beside its scenario, gives the same runs
    assert main(["sweep", str(out / "sweep.yaml"), "--out", str(tmp_path / "again"), "--workers", "1",
                 "--quiet"]) == 0
    assert (tmp_path / "again" / "runs.parquet").read_bytes() == (out / "runs.parquet").read_bytes()


BAD = """a6sim-sweep: 1
name: bad
scenario: two_party_basic
runs: 10
levers:
  agreements.che-gha.cap: [3, -1]
  agreements.nowhere.price: [1]
uncertain:
  activities.gha-cookstoves.outcome: {dist: normal, mean: 1, sd: -0.2}
  agreements.che-gha.transfer_lag_days: {dist: uniform, low: 300, high: 20}
hazards:
  - {event: reversal, activity: gha-cookstoves, rate: 1.5, size: {dist: uniform, low: 0, high: 0.2}}
"""


def test_bad_sweep_is_refused_with_every_problem_located_and_nothing_written(tmp_path):
    p = _write(tmp_path, BAD)
    r = subprocess.run([sys.executable, "-m", "a6sim", "sweep", str(p), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    err = r.stderr
    assert "Traceback" not in err
    assert f"{p}:9: uncertain.activities.gha-cookstoves.outcome.sd: must be >= 0" in err
    assert f"{p}:12: hazards[0].rate: must be <= 1" in err
    assert not (tmp_path / "out").exists()
    # once the field types are right, the checks against the scenario report the rest
    p2 = _write(tmp_path, BAD.replace("sd: -0.2", "sd: 0.2").replace("rate: 1.5", "rate: 0.5"), "b2.yaml")
    r = subprocess.run([sys.executable, "-m", "a6sim", "sweep", str(p2), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    err = r.stderr
    assert f"{p2}:6: levers.agreements.che-gha.cap[1]: value -1: the scenario refuses it: " \
           f"agreements.che-gha.cap: must be >= 0" in err
    assert f"{p2}:7: levers.agreements.nowhere.price: unknown path: agreements.nowhere.price: no field 'nowhere'" in err
    assert f"{p2}:10: uncertain.agreements.che-gha.transfer_lag_days.low: low 300 is above high 20" in err
    assert f"{p2}:12: hazards[0].activity: reversals happen at removal activities" in err
    assert not (tmp_path / "out").exists()


def test_too_many_runs_need_force(tmp_path, capsys):
    p = _write(tmp_path, SMALL.format(scenario="two_party_basic").replace("runs: 4", "runs: 60000"))
    assert main(["sweep", str(p), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{p}:4: runs: 2 grid points x 60,000 runs = 120,000 runs, more than the maximum of 100,000" in err
    assert main(["sweep", str(p), "--out", str(tmp_path / "out"), "--max-runs", "7"]) == 2
    assert not (tmp_path / "out").exists()


def test_unknown_scenario_and_unusable_folder(tmp_path, capsys):
    p = _write(tmp_path, SMALL.format(scenario="no_such_scenario"))
    assert main(["sweep", str(p), "--out", str(tmp_path / "out")]) == 2
    assert f"{p}:3: scenario: no scenario file" in capsys.readouterr().err
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    p = _write(tmp_path, SMALL.format(scenario="two_party_basic"))
    assert main(["sweep", str(p), "--out", str(mine)]) == 2
    assert "does not hold an a6sim sweep" in capsys.readouterr().err
    assert sorted(x.name for x in mine.iterdir()) == ["notes.txt"]
    assert main(["sweep", str(p), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


def test_the_summary_shows_the_levers_that_vary_and_names_salib_s_n(tmp_path, capsys):
    # buffer_adequacy sets `events: [[]]` once (its written reversals removed): part of the base,
    # not a column reading "[]" on every row; its one varying lever is the buffer share
    assert main(["sweep", "buffer_adequacy", "--out", str(tmp_path / "b"), "--runs", "2", "--workers", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["buffer_share", "buffer_dry", "SLV.met", "BUY.met"]
    assert [r.split()[0] for r in out[4:8]] == ["0.02", "0.04", "0.1", "0.2"]
    # --runs 4 with Sobol is SALib's N: 4 x (2 inputs + 2) = 16 runs per grid point, said as such
    assert main(["sweep", "delivery_risk", "--out", str(tmp_path / "s"), "--runs", "4", "--sensitivity", "sobol",
                 "--workers", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Ghana's cookstoves under delivery risk (16 runs per grid point: Sobol design of N = 4, seed 7)")


def test_sensitivity_asked_of_a_sweep_without_drawn_inputs_names_the_option(tmp_path, capsys):
    # buffer_adequacy draws no input (only a hazard): the refusal says it was --sensitivity that asked
    assert main(["sweep", "buffer_adequacy", "--out", str(tmp_path / "b"), "--sensitivity", "morris"]) == 2
    err = capsys.readouterr().err
    assert "buffer_adequacy.yaml:1: sensitivity: --sensitivity morris: needs at least one uncertain input" in err
    assert "run it without --sensitivity" in err and not (tmp_path / "b").exists()
