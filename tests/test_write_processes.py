"""`a6sim run` with CSV output: no pandas loaded, and the ledger pass written by a forked
second process (a6sim.io.forked) with the same bytes as a serial write; a failed or
killed child puts nothing in place. The fork tests run `a6sim run` in a fresh
interpreter (the command's own single-threaded process), counting the forks it makes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from a6sim.flows import flow_rows
from a6sim.io.forked import ENV, write_processes

FORKS = hasattr(os, "fork")

# Runs a6sim.cli.main(ARGV) and prints, as the last line, the exit status, the forks
# made and which heavy modules were loaded. SETUP runs first (a monkeypatch).
_SCRIPT = """
import json, os, sys
forks = [0]
if hasattr(os, "fork"):
    _fork = os.fork
    def counted():
        forks[0] += 1
        return _fork()
    os.fork = counted
{setup}
from a6sim.cli import main
status = main({argv!r})
print(json.dumps({{"status": status, "forks": forks[0],
                  "loaded": sorted(m for m in ("pandas", "pyarrow", "numpy") if m in sys.modules)}}))
"""


def _run(tmp_path, argv, processes=None, setup=""):
    env = dict(os.environ)
    env.pop(ENV, None)
    if processes is not None:
        env[ENV] = str(processes)
    p = subprocess.run([sys.executable, "-c", _SCRIPT.format(setup=textwrap.dedent(setup), argv=argv)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert p.stdout.strip(), p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1]), p.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_to_csv_loads_no_pandas(tmp_path):
    out, _ = _run(tmp_path, ["run", "two_party_basic", "--out", "out"])   # not quiet: the table is printed too
    assert out["status"] == 0
    assert "pandas" not in out["loaded"] and "pyarrow" not in out["loaded"]
    assert (tmp_path / "out" / "flows.csv").read_text().splitlines()[0] == "year,from_party,to_party,agreement,quantity,value"


def test_building_the_command_parser_loads_no_schema_or_simulator():
    code = ("import sys; from a6sim.cli import _parser; _parser(); "
            "print(sorted(m for m in ('pandas', 'pydantic', 'numpy', 'simpy', 'yaml') if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip() == "[]", p.stderr


@pytest.mark.skipif(not FORKS, reason="os.fork is POSIX only")
def test_forked_and_serial_writes_give_the_same_files(tmp_path):
    # swiss_programme has deliveries, uses, OMGE, the AEF tables and recorded serials
    forked, _ = _run(tmp_path, ["run", "swiss_programme", "--out", "forked", "--quiet"])
    serial, _ = _run(tmp_path, ["run", "swiss_programme", "--out", "serial", "--quiet"], processes=1)
    assert (forked["status"], forked["forks"]) == (0, 1)     # the ledger pass went to a child
    assert (serial["status"], serial["forks"]) == (0, 0)
    a, b = _files(tmp_path / "forked"), _files(tmp_path / "serial")
    assert "ledger.csv" in a and "aef/actions.csv" in a and "aef/annual_information.csv" in a
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    assert len(a["ledger.csv"].splitlines()) > 10


_FAILS = {
    "raises": """
        import a6sim.io.csvtables as ct
        def fail(*args):
            raise OSError(28, "No space left on device", "ledger.csv")
        ct._ledger_pass = fail
    """,
    "killed": """
        import signal
        import a6sim.io.csvtables as ct
        def fail(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        ct._ledger_pass = fail
    """,
}


@pytest.mark.skipif(not FORKS, reason="os.fork is POSIX only")
@pytest.mark.parametrize("how", sorted(_FAILS))
def test_a_failed_writing_child_puts_nothing_in_place(tmp_path, how):
    first, _ = _run(tmp_path, ["run", "two_party_basic", "--out", "out", "--quiet"], processes=1)
    assert first["status"] == 0
    before = _files(tmp_path / "out")
    out, stderr = _run(tmp_path, ["run", "swiss_programme", "--out", "out", "--quiet"], setup=_FAILS[how])
    assert (out["status"], out["forks"]) == (2, 1)
    expected = ("No space left on device (ledger.csv)" if how == "raises"
                else "the writing process was ended by SIGKILL")
    assert stderr.strip() == f"a6sim: writing ledger.csv and aef/actions.csv failed: {expected}"
    assert _files(tmp_path / "out") == before                 # the earlier result, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]   # no partial folder left


def test_write_processes_setting(tmp_path, monkeypatch, capsys):
    assert write_processes({}) == 2 and write_processes({ENV: "2"}) == 2 and write_processes({ENV: " 1 "}) == 1
    with pytest.raises(ValueError, match="A6SIM_WRITE_PROCESSES='4': expected 1"):
        write_processes({ENV: "4"})
    from a6sim.cli import main
    monkeypatch.setenv(ENV, "many")
    assert main(["run", "two_party_basic", "--out", str(tmp_path / "out")]) == 2
    assert "A6SIM_WRITE_PROCESSES='many'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


class _Calendar:
    @staticmethod
    def year_of(day: int) -> int:
        return 2030 + day // 365


class _World:
    cal = _Calendar()

    def __init__(self, flows):
        self.flows = flows


def test_flow_rows_sum_per_year_seller_buyer_and_agreement():
    # Ten deliveries of 0.1 (money) under one agreement in 2030: summed left to right,
    # floats give 0.9999999999999999; the compensated sum is 1.0. Tonnes: 10 x 5 = 50.
    # Two more in 2031 (days 400, 500) of 7 t at 2.5 each: 14 t, 5.0. A seller sorted
    # before CHE-GHA ("ABC") comes first within its year.
    flows = [(d, "GHA", "CHE", "gha-che", 5, 0.1) for d in range(10)]
    flows += [(400, "GHA", "CHE", "gha-che", 7, 2.5), (500, "GHA", "CHE", "gha-che", 7, 2.5),
              (3, "ABC", "CHE", "abc-che", 1, 3.0)]
    assert sum(0.1 for _ in range(10)) != 1.0
    assert flow_rows(_World(flows)) == [(2030, "ABC", "CHE", "abc-che", 1, 3.0),
                                        (2030, "GHA", "CHE", "gha-che", 50, 1.0),
                                        (2031, "GHA", "CHE", "gha-che", 14, 5.0)]
    # whole-number values stay whole numbers (the column is then written without cents)
    rows = flow_rows(_World([(1, "A", "B", "g", 2, 20), (2, "A", "B", "g", 3, 30)]))
    assert rows == [(2030, "A", "B", "g", 5, 50)] and type(rows[0][5]) is int
    assert flow_rows(_World([])) == []
