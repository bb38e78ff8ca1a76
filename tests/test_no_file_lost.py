"""No file is ever lost: --out replaces only an unchanged a6sim result, with no gap, and
nothing that happens after the results are written turns into a failure."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import a6sim
from a6sim.cli import main
from a6sim.io.replace import MANIFEST, clean_leftovers, exchange

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
RESULT_FILES = sorted([MANIFEST, "aef", "attainment.csv", "balances.csv", "flows.csv", "holdings.csv", "integrity.csv",
                       "iamc.csv", "ledger.csv", "scenario.yaml", "structured_summary.csv", "summary.json"])
AEF_FILES = [f"aef/{n}.csv" for n in ("actions", "annual_information", "authorisations", "holdings")]


def cli(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "a6sim", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env, **kw)


@pytest.fixture(scope="module")
def minimal_results():
    return a6sim.simulate(MINIMAL)


def test_a_folder_with_a_summary_json_and_a_thesis_is_not_replaced(tmp_path, capsys):
    # reproducer: a folder holding summary.json with the user's thesis.tex was deleted (exit 0)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    (out / "summary.json").write_text("{}")
    assert main(["run", str(MINIMAL), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"a6sim: {out} does not hold a6sim results (no a6sim manifest); nothing was replaced: "
                        "choose another --out folder\n")
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "thesis.tex"]
    assert (out / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]   # no hidden leftovers either


def test_a_result_is_replaced_only_while_it_is_exactly_what_a6sim_wrote(tmp_path, minimal_results):
    out = tmp_path / "out"
    minimal_results.write(out)
    assert sorted(p.name for p in out.iterdir()) == RESULT_FILES
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == sorted(set(RESULT_FILES) - {MANIFEST, "aef"} | set(AEF_FILES))
    minimal_results.write(out)                      # unchanged: replaced
    (out / "notes.txt").write_text("mine")          # a file of the user's: refused
    with pytest.raises(a6sim.io.OutputError, match="holds files a6sim did not write \\(notes.txt\\)"):
        minimal_results.write(out)
    (out / "notes.txt").unlink()
    with open(out / "ledger.csv", "a") as fh:       # an edited result file: refused
        fh.write("my own row\n")
    with pytest.raises(a6sim.io.OutputError, match="holds ledger.csv, changed since a6sim wrote it"):
        minimal_results.write(out)
    assert (out / "ledger.csv").read_text().endswith("my own row\n")
    (out / "attainment.csv").unlink()
    with pytest.raises(a6sim.io.OutputError, match="misses files of its a6sim result \\(attainment.csv\\)"):
        minimal_results.write(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symbolic_link_as_out_is_refused(tmp_path, minimal_results):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    assert main(["run", str(MINIMAL), "--out", str(tmp_path / "link")]) == 2
    assert list(target.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the one-step exchange is tested on Linux")
def test_the_folder_always_holds_a_complete_result(tmp_path, minimal_results):
    # While results are replaced ten times, a reader keeps opening DIR/summary.json: it is
    # always there and always a whole file, of the old run or of the new one.
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert exchange(a, b)                    # the system can swap two folders in one step
    out = tmp_path / "out"
    minimal_results.write(out)
    seeds = [minimal_results.scenario.seed]
    misses, reads, stop = [], [0], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                summary = json.loads((out / "summary.json").read_text())
                assert summary["seed"] in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                reads[0] += 1
            except (OSError, ValueError) as exc:
                misses.append(repr(exc))
    t = threading.Thread(target=reader)
    t.start()
    try:
        for seed in range(1, 11):
            a6sim.simulate(minimal_results.scenario, seed=seed).write(out)
            seeds.append(seed)
    finally:
        stop.set()
        t.join()
    assert misses == [] and reads[0] > 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "out"]


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_leftovers_of_killed_runs_are_cleaned_by_the_next_run(tmp_path, minimal_results):
    out = tmp_path / "out"
    dead = _dead_pid()
    killed = tmp_path / f".out.partial-{dead}-abc123"      # a run killed while writing
    killed.mkdir()
    (killed / "ledger.csv").write_text("half a ledger")
    aside = tmp_path / f".out.old-{dead}-def456"            # killed between the two renames
    aside.mkdir()
    (aside / "summary.json").write_text("{}")
    strange = tmp_path / f".out.partial-{dead}-zzz999"      # holds something else: kept
    strange.mkdir()
    (strange / "thesis.tex").write_text("precious")
    alive = tmp_path / f".out.partial-{os.getpid()}-live00"  # a run still going: kept
    alive.mkdir()
    minimal_results.write(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", strange.name, alive.name])
    assert (strange / "thesis.tex").read_text() == "precious"
    assert clean_leftovers(out) == []


@pytest.mark.parametrize("make, args, message", [
    (lambda d: (d / "afile").write_text("x"), ["--out", "{d}/afile"], "{d}/afile exists and is not a folder"),
    (lambda d: (d / "afile").write_text("x"), ["--out", "{d}/afile/sub"], "{d}/afile/sub: {d}/afile is not a folder"),
    (lambda d: None, ["--out", "/proc/a6sim-nowhere/r"], "/proc/a6sim-nowhere/r: cannot write in /proc"),
])
def test_an_unwritable_destination_is_found_before_simulating(tmp_path, monkeypatch, capsys, make, args, message):
    make(tmp_path)
    monkeypatch.setattr("a6sim.results.run_world", lambda *a, **k: pytest.fail("simulated anyway"))
    assert main(["run", str(MINIMAL), *[a.format(d=tmp_path) for a in args]]) == 2
    assert capsys.readouterr().err.startswith("a6sim: " + message.format(d=tmp_path))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_folder_is_found_before_simulating(tmp_path, monkeypatch, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    monkeypatch.setattr("a6sim.results.run_world", lambda *a, **k: pytest.fail("simulated anyway"))
    try:
        assert main(["run", str(MINIMAL), "--out", str(ro / "r")]) == 2
    finally:
        ro.chmod(0o755)
    assert "cannot write in" in capsys.readouterr().err


def test_schema_out_to_a_missing_folder_exits_2(tmp_path, capsys):
    assert main(["schema", "--out", "/missing/x.json"]) == 2
    assert capsys.readouterr().err == "a6sim: /missing/x.json: the folder /missing does not exist\n"
    assert main(["schema", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"a6sim: {tmp_path} is a folder; give a file name\n"


def _closed_stdout(*args, lines=0):
    """Run a6sim with a standard output that its reader closes after ``lines`` lines."""
    p = subprocess.Popen([sys.executable, "-m", "a6sim", *map(str, args)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    for _ in range(lines):
        p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    return p.wait(timeout=120), err


def test_a_closed_pipe_after_the_results_are_written_is_not_a_failure(tmp_path):
    # reproducer: a6sim run ... | true gave exit 1 after writing the results
    code, err = _closed_stdout("run", MINIMAL, "--out", tmp_path / "r")
    assert (code, err) == (0, "")
    assert json.loads((tmp_path / "r" / "summary.json").read_text())["issued"] == 30_000


def test_lesson_list_into_head_is_not_a_failure():
    # a6sim lesson list | head -1
    code, err = _closed_stdout("lesson", "list", lines=1)
    assert (code, err) == (0, "")


def test_unencodable_names_after_the_results_are_written_are_not_a_failure(tmp_path):
    # reproducer: a folder name that the console cannot encode (a lone surrogate, from
    # bytes that are not UTF-8; or any accent on an ASCII console) gave exit 1
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    name = os.fsdecode(b"r\xff") + "\u00e9"
    r = subprocess.run([sys.executable, "-m", "a6sim", "run", str(MINIMAL), "--out", name], capture_output=True,
                       timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr
    assert (tmp_path / name / "summary.json").exists()
    assert b"results in r\\udcff\\xe9/" in r.stdout


def test_a_result_folder_has_the_permissions_of_any_folder_the_user_makes(tmp_path, minimal_results):
    """Not mkdtemp's owner-only 0700: with umask 022 the folder is 0755, as mkdir makes it."""
    old = os.umask(0o022)
    try:
        minimal_results.write(tmp_path / "out")
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out" / "summary.json").stat().st_mode & 0o777 == 0o644
