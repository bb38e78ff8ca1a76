"""The a6sim command: exit codes, messages, files written (or not)."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent


def a6sim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "a6sim", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_validate_ok_prints_one_line():
    r = a6sim("validate", DATA / "minimal.yaml")
    assert r.returncode == 0, r.stderr
    # minimal.yaml: two parties, one activity, one agreement (a count of one is singular)
    assert r.stdout.strip().endswith("ok: 'Minimal two-party deal', 2021-2024, 2 parties, 0 entities, "
                                     "1 activity, 1 agreement, 0 events")


def test_validate_counts_a_recorded_history():
    # recorded_history.yaml (bundled): 3 parties, 1 entity, 1 modelled activity and
    # agreement; 2 authorisations, 3 issuances and 7 transactions recorded
    r = a6sim("validate", ROOT / "scenarios" / "recorded_history.yaml")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("3 parties, 1 entity, 1 activity, 1 agreement, 0 events, "
                                     "2 authorisations, 3 issuances, 7 transactions")


def test_validate_bad_file_exits_2_with_every_error():
    r = a6sim("validate", DATA / "broken.yaml")
    assert r.returncode == 2
    assert "2 problems in scenario" in r.stderr
    assert "broken.yaml:26: agreements.che-gha.share: must be <= 1, got 1.5" in r.stderr
    assert "broken.yaml:27: agreements.che-gha.cap: must be >= 0, got -5.0" in r.stderr


def test_validate_missing_file_exits_2(tmp_path):
    r = a6sim("validate", tmp_path / "nope.yaml")
    assert r.returncode == 2
    assert "nope.yaml: (top level): cannot read file" in r.stderr


def test_run_writes_every_file_and_prints_attainment(tmp_path):
    out = tmp_path / "out"
    r = a6sim("run", DATA / "minimal.yaml", "--out", out)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [".a6sim-manifest.json", "aef", "attainment.csv", "balances.csv", "flows.csv", "holdings.csv",
                     "iamc.csv", "integrity.csv", "ledger.csv", "scenario.yaml", "structured_summary.csv",
                     "summary.json"]
    # Host: 1,000,000 t a year; 10,000 t of wind outcome in 2021-2023 lowers its inventory
    # to 990,000 t, and it first-transfers the same 10,000 t (added back): balance 1,000,000
    # in 2024 against a target of 990,000 -> gap +10,000, missed.
    # Buyer: 500,000 t a year, uses 10,000 t in each of 2021-2023:
    # 3 x 490,000 + 500,000 = 1,970,000 against a budget of 1,990,000 -> gap -20,000, met.
    assert "HST    trajectory    990,000  1,000,000  +10,000   NO" in r.stdout
    assert "BUY    budget      1,990,000  1,970,000  -20,000  yes" in r.stdout
    att = pd.read_csv(out / "attainment.csv")
    assert att.set_index("party")["gap"].to_dict() == {"HST": 10_000, "BUY": -20_000}
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["issued"], summary["first_transferred"], summary["used"]) == (30_000, 30_000, 30_000)
    assert summary["value_paid"] == 300_000.0   # 30,000 t x 10
    assert summary["parties"]["BUY"] == {"met": True, "gap": -20_000, "balance": 1_970_000, "target": 1_990_000}
    bal = pd.read_csv(out / "balances.csv")
    host = bal[bal.party == "HST"].set_index("year")
    assert host["inventory"].tolist() == [990_000, 990_000, 990_000, 1_000_000]
    assert host["ca"].tolist() == [10_000, 10_000, 10_000, 0]
    assert not list(tmp_path.glob(".out.*")), "temporary folders left behind"


def test_run_bad_scenario_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    r = a6sim("run", DATA / "broken.yaml", "--out", out)
    assert r.returncode == 2
    assert "agreements.che-gha.share" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_run_refuses_a_folder_that_is_not_a6sim_results(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    r = a6sim("run", DATA / "minimal.yaml", "--out", out)
    assert r.returncode == 2
    assert "does not hold a6sim results" in r.stderr
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_run_replaces_earlier_results_and_records_seed(tmp_path):
    out = tmp_path / "out"
    assert a6sim("run", DATA / "minimal.yaml", "--out", out).returncode == 0
    r = a6sim("run", DATA / "minimal.yaml", "--out", out, "--seed", "42", "--quiet")
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads((out / "summary.json").read_text())["seed"] == 42
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_run_parquet(tmp_path):
    out = tmp_path / "pq"
    assert a6sim("run", DATA / "minimal.yaml", "--out", out, "--format", "parquet", "--quiet").returncode == 0
    ledger = pd.read_parquet(out / "ledger.parquet")
    assert ledger["action"].value_counts().to_dict() == {
        "issuance": 3, "authorization": 3, "first-transfer": 3, "acquisition": 3, "use": 3}
    assert (out / "summary.json").exists()


def test_schema_command(tmp_path):
    r = a6sim("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "a6sim scenario, format version 1"
    assert a6sim("schema", "--out", tmp_path / "s.json").returncode == 0
    assert json.loads((tmp_path / "s.json").read_text()) == schema


def test_no_command_shows_help():
    r = a6sim()
    assert r.returncode == 2
    assert "validate" in r.stdout and "run" in r.stdout


def test_unusable_names_exit_2_before_any_file_call(tmp_path, capsys, monkeypatch):
    # a NUL ("embedded null byte") or a name past 255 bytes ("File name too long") used to
    # end in a traceback from the first file call that met it
    from a6sim.cli import main
    monkeypatch.chdir(tmp_path)
    long = "x" * 300
    cases = [(["validate", "a\0b"], "a6sim validate: SCENARIOS: 'a?b': a NUL character cannot be in a name"),
             (["run", "two_party_basic", "--out", f"ok/{long}"],
              "a6sim run: --out: a name of 300 bytes (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...); file names have at most 255"),
             (["examples", "copy", long],
              "a6sim examples: DIR: a name of 300 bytes (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...); file names have at most 255"),
             (["schema", "--out", "s\0.json"], "a6sim schema: --out: 's?.json': a NUL character cannot be in a name")]
    for argv, message in cases:
        assert main(argv) == 2
        assert capsys.readouterr().err.strip() == message
    assert list(tmp_path.iterdir()) == []


def test_a_device_is_not_read_as_a_scenario(capsys):
    from a6sim.cli import main
    assert main(["validate", "/dev/zero"]) == 2   # read to the end, it never ends
    assert capsys.readouterr().err.splitlines() == ["1 problem in scenario:",
                                                    "  /dev/zero: (top level): a device, not a file"]
