"""A sweep file given to ``a6sim validate`` is checked as a sweep; given to ``a6sim run`` (or any
scenario reader) it is named for what it is, in one line, exit 2, nothing written."""
import pytest

from a6sim.cli import main
from a6sim.scenario import ScenarioError, scenario_from_text
from a6sim.scenario.errors import SweepFileError

SWEEP = """# a small sweep
a6sim-sweep: 1
name: small grid
scenario: two_party_basic
runs: 4
levers:
  agreements.che-gha.price: [10, 30]
uncertain:
  activities.gha-cookstoves.outcome: {dist: uniform, low: 0.4, high: 1.2, scale: true}
"""
BASE = "'Two-party basic deal (Switzerland buys cookstove ITMOs from Ghana)'"


@pytest.fixture
def sweep_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.yaml").write_text(SWEEP, encoding="utf-8")
    return "small.yaml"


def test_validate_checks_a_sweep_file_as_a_sweep(sweep_file, tmp_path, capsys):
    # 2 prices x 4 runs = 8 runs
    assert main(["validate", sweep_file]) == 0
    out, err = capsys.readouterr()
    assert out == (f"small.yaml: ok: sweep 'small grid' of scenario {BASE}, 2 grid points x 4 runs = 8 runs; "
                   f"run it with `a6sim sweep small.yaml --out DIR`\n")
    assert err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.yaml"]   # nothing run, nothing written


def test_validate_reports_every_problem_of_a_bad_sweep_and_goes_on(sweep_file, tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text(SWEEP.replace("low: 0.4", "low: 2.4").replace("[10, 30]", "[10, -1]"),
                                       encoding="utf-8")
    assert main(["validate", "bad.yaml", "two_party_basic"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("2 problems in sweep:\n")
    assert "bad.yaml:7: levers.agreements.che-gha.price[1]: value -1: the scenario refuses it" in err
    assert "bad.yaml:9: uncertain.activities.gha-cookstoves.outcome.low: low 2.4 is above high 1.2" in err
    assert "a6sim-sweep: unknown field" not in err and "a6sim: required field missing" not in err
    assert out.startswith("two_party_basic: ok: ")       # the next file is still checked


def test_validate_a_bundled_sweep_by_name_and_note_the_maximum(sweep_file, tmp_path, capsys):
    # delivery_risk: price [10, 20, 40] x cap [null, 8] = 6 grid points, 400 runs each
    assert main(["validate", "delivery_risk"]) == 0
    assert capsys.readouterr().out.endswith(
        "6 grid points x 400 runs = 2,400 runs; run it with `a6sim sweep delivery_risk --out DIR`\n")
    # 2 grid points x 60,000 = 120,000 runs: valid, but a6sim sweep wants --force
    (tmp_path / "big.yaml").write_text(SWEEP.replace("runs: 4", "runs: 60000"), encoding="utf-8")
    assert main(["validate", "big.yaml"]) == 0
    assert ("2 grid points x 60,000 runs = 120,000 runs; more than the maximum of 100,000: a6sim sweep needs "
            "--force (or a smaller --runs N)") in capsys.readouterr().out


def test_run_names_a_sweep_file_and_writes_nothing(sweep_file, tmp_path, capsys):
    assert main(["run", sweep_file, "--out", "r"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("small.yaml:2: a6sim-sweep: this is a sweep file (a6sim-sweep: 1), not a scenario: run it "
                   "with `a6sim sweep small.yaml --out DIR`; `a6sim validate small.yaml` checks it\n")
    assert main(["run", "delivery_risk", "--out", "r"]) == 2      # a bundled sweep's name
    assert capsys.readouterr().err == (
        "delivery_risk: a6sim-sweep: this is a sweep file (a6sim-sweep: 1), not a scenario: run it with "
        "`a6sim sweep delivery_risk --out DIR`; `a6sim validate delivery_risk` checks it\n")
    assert not (tmp_path / "r").exists()


def test_every_scenario_reader_says_it_is_a_sweep():
    with pytest.raises(SweepFileError) as caught:
        scenario_from_text(SWEEP, "upload.yaml")
    assert isinstance(caught.value, ScenarioError) and len(caught.value.issues) == 1
    assert str(caught.value).startswith("upload.yaml:2: a6sim-sweep: this is a sweep file (a6sim-sweep: 1)")
    # a scenario that also carries the sweep key is a scenario with an unknown field
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text("a6sim: 1\na6sim-sweep: 1\n", "both.yaml")
    assert not isinstance(caught.value, SweepFileError)
    assert "both.yaml:2: a6sim-sweep: unknown field" in str(caught.value)
