"""Scenarios and results cross process boundaries; workers import nothing from the current directory."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import a6sim
from a6sim.dashboard.jobs import safe_sys_path

ROOT = Path(__file__).resolve().parent.parent
BASIC = ROOT / "scenarios" / "two_party_basic.yaml"
SWISS = ROOT / "scenarios" / "swiss_programme.yaml"


def _run_in_worker(scenario: a6sim.Scenario) -> a6sim.Results:
    return a6sim.simulate(scenario)


def test_scenario_pickles_to_an_equal_scenario():
    sc = a6sim.load_scenario(BASIC)
    back = pickle.loads(pickle.dumps(sc))
    assert back == sc and back.digest == sc.digest
    assert back.source == sc.source and dict(back.lines) == dict(sc.lines)
    assert back.tonnes(1) == sc.tonnes(1)
    assert back.with_seed(7).seed == 7   # the reloaded scenario is a working one


def test_a_process_pool_runs_scenarios_and_returns_results():
    # Two scenarios go to worker processes as Scenario objects and come back as Results
    # objects; every figure equals a run in this process.
    scenarios = [a6sim.load_scenario(BASIC), a6sim.load_scenario(SWISS).with_seed(3)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        remote = list(pool.map(_run_in_worker, scenarios))
    for sc, res in zip(scenarios, remote):
        here = a6sim.simulate(sc)
        assert res.summary == here.summary
        assert res.scenario == sc and res.scenario.seed == sc.seed
        assert res.balances.equals(here.balances)
        assert res.ledger.equals(here.ledger)
        assert res.holdings.equals(here.holdings)
        assert res.flows.equals(here.flows)
    # two_party_basic: the file's figures, worked out in tests/test_examples.py
    assert remote[0].summary["issued"] == a6sim.simulate(BASIC).summary["issued"] > 0


def test_results_pickle_after_their_tables_were_built():
    res = a6sim.simulate(BASIC)
    _ = res.ledger, res.summary
    back = pickle.loads(pickle.dumps(res))
    assert back.summary == res.summary
    assert back.world.day == res.world.day     # the clock of a finished run survives
    assert back.world.date() == res.world.date()
    assert back.attainment.equals(res.attainment)


def test_safe_sys_path_drops_the_current_directory(tmp_path):
    other = str(tmp_path / "lib")
    assert safe_sys_path(["", str(tmp_path), other, str(tmp_path) + "/"], cwd=str(tmp_path)) == [other]


HOSTILE = "open({marker!r}, 'a').write(__name__ + '\\n')\nraise SystemExit('imported from the current directory')\n"

PROBE = textwrap.dedent("""
    import json, os, sys, time
    import diskcache
    from a6sim.dashboard.jobs import ForkServerManager
    # the worst start there is: '' and the current directory first on the server's path
    # (as with python -m) once the server's own modules are loaded
    sys.path[:0] = ['', os.getcwd()]

    def job(key, progress_key, args, context):
        import a6sim, pandas
        found = {}
        for name in ("probe_module", "dashboard"):
            try:
                __import__(name)
                found[name] = True
            except ImportError:
                found[name] = False
        with open(args, "w") as f:
            json.dump({"a6sim": a6sim.__file__, "pandas": pandas.__file__, "found": found,
                       "path": sys.path}, f)

    if __name__ == "__main__":
        method, out, cache = sys.argv[1:4]
        manager = ForkServerManager(diskcache.Cache(cache), preload=["a6sim", "pandas", "a6sim.dashboard.app"],
                                    method=method)
        manager.start()
        manager.call_job_fn("k", job, out, None)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not os.path.exists(out):
            time.sleep(0.1)
        time.sleep(0.3)
""")


def _hostile_folder(folder: Path, marker: Path) -> None:
    folder.mkdir()
    body = HOSTILE.format(marker=str(marker))
    (folder / "a6sim").mkdir()
    (folder / "a6sim" / "__init__.py").write_text(body)
    (folder / "pandas.py").write_text(body)
    (folder / "dashboard.py").write_text(body)
    (folder / "probe_module.py").write_text(body)


import pytest  # noqa: E402


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_import_nothing_from_the_current_directory(tmp_path, method):
    # The dashboard is started in a folder holding an a6sim/ package, a pandas.py, a
    # dashboard.py and a probe_module.py, each of which leaves a mark when imported.
    # The fork server and the job import the installed a6sim and pandas; the probe and
    # dashboard modules are not found at all; no mark is left.
    marker = tmp_path / "imported.txt"
    room = tmp_path / "room"
    _hostile_folder(room, marker)
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    out = tmp_path / "job.json"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    proc = subprocess.run([sys.executable, str(script), method, str(out), str(tmp_path / "cache")],
                          cwd=room, env=env, capture_output=True, text=True, timeout=150)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists(), marker.read_text()
    seen = json.loads(out.read_text())
    assert Path(seen["a6sim"]).resolve() == Path(a6sim.__file__).resolve()
    assert not Path(seen["pandas"]).resolve().is_relative_to(room.resolve())
    assert seen["found"] == {"probe_module": False, "dashboard": False}
    assert "" not in seen["path"] and str(room) not in seen["path"]
