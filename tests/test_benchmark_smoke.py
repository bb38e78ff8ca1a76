"""Smoke test of the benchmark kit (benchmarks/): a small synthetic world validates,
simulates with consistent figures, and the generator is deterministic by seed.
No timing assertions: timings belong to ``python benchmarks/run.py``.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import a6sim

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
SMALL = {"parties": 6, "activities": 20, "agreements": 10, "years": 5}


def _load(name: str):
    if str(BENCH) not in sys.path:   # run.py imports synthetic as a sibling module; appended, so
        sys.path.append(str(BENCH))  # no script there can shadow an installed package
    spec = importlib.util.spec_from_file_location(f"a6sim_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = _load("synthetic")


@pytest.fixture(scope="module")
def small_run():
    world = synthetic.synthetic_world(**SMALL, seed=3)
    scenario = a6sim.scenario_from_dict(world)
    return world, scenario, a6sim.simulate(scenario)


def test_small_world_has_the_requested_size(small_run):
    world, scenario, _ = small_run
    assert len(world["parties"]) == SMALL["parties"]
    assert len(world["activities"]) == SMALL["activities"]
    assert len(world["agreements"]) == SMALL["agreements"]
    assert list(scenario.years) == list(range(2021, 2021 + SMALL["years"]))
    assert world["entities"] and world["events"]


def test_small_world_simulates_with_consistent_summary(small_run):
    _, _, results = small_run
    s = results.summary
    assert s["issued"] > 0
    assert s["issued"] >= s["first_transferred"] >= s["first_transferred_oimp"] >= 0
    assert s["first_transferred"] >= 0 and s["used"] >= 0 and s["used_oimp"] >= 0
    assert s["issued"] >= s["used"] + s["used_oimp"] + s["voluntarily_cancelled"] + s["omge_cancelled"]
    # every issued tonne is somewhere: held, used, cancelled or in a buffer pool
    assert s["issued"] == (s["held"] + s["buffer"] + s["used"] + s["used_oimp"] + s["voluntarily_cancelled"]
                           + s["omge_cancelled"] + s["reversal_cancelled"])
    assert s["ledger_rows"] == len(results.ledger) > 0
    assert s["double_claimed"] >= 0


def test_generator_is_deterministic_by_seed():
    a = synthetic.synthetic_world(**SMALL, seed=11)
    b = synthetic.synthetic_world(**SMALL, seed=11)
    c = synthetic.synthetic_world(**SMALL, seed=12)
    assert a == b
    assert a != c
    ra = a6sim.simulate(a6sim.scenario_from_dict(a)).summary
    rb = a6sim.simulate(a6sim.scenario_from_dict(b)).summary
    assert ra == rb


@pytest.mark.parametrize("seed", range(5))
def test_other_small_worlds_validate(seed):
    for size in (SMALL, {"parties": 2, "activities": 3, "agreements": 2, "years": 3}):
        a6sim.scenario_from_dict(synthetic.synthetic_world(**size, seed=seed))


def test_event_counter_matches_a_wrapped_schedule():
    """run.py reads simpy's private event counter; check it against an explicit count."""
    run = _load("run")
    scenario = a6sim.scenario_from_dict(synthetic.synthetic_world(**SMALL, seed=3))
    with run.counting_schedule() as box:
        results = a6sim.simulate(scenario)
    assert run.scheduled_events(results.world.env) == box[0] > 0
    bare = run.bare_simpy(processes=7, events=box[0], horizon=results.world.cal.last_day + 1)
    assert bare["events"] == box[0]


def test_the_lessons_benchmark_measures_every_part():
    lessons = _load("lessons")
    from a6sim.lessons import find_lesson
    figures = lessons.measure(find_lesson("one_tonne_two_claims"))
    assert set(figures) == {"load", "teach", "steps", "walkthrough", "handout", "page", "steps_count",
                            "ledger_rows"}
    # 8 movements and 2 acquisition rows (the receiving side of each international transfer)
    assert figures["steps_count"] == 5 and figures["ledger_rows"] == 10
    assert all(figures[k] > 0 for k in ("load", "teach", "steps", "walkthrough", "handout", "page"))


def test_economics_benchmark_clears_a_small_market(capsys):
    econ = _load("economics")
    assert econ.main(["--parties", "6", "--years", "4", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "economics market: 6 parties x 4 years, 24 rows" in out and "cleared" in out


def test_the_targets_benchmark_refuses_an_unknown_target_before_any_work(capsys, tmp_path, monkeypatch):
    # benchmarks/targets.py checks its arguments before it checks out the reference code
    # or writes anything: an unknown target is an argparse error (exit 2) naming it.
    targets = _load("targets")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        targets.main(["--only", "run,fastest", "--json", str(tmp_path / "t.json")])
    assert exc.value.code == 2
    assert "fastest" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert set(targets.TARGETS) == {"run", "swiss", "sweep100"}
    assert targets.TARGETS["sweep100"][1] == 120.0 and targets.TARGETS["run"][1] == 2.5
