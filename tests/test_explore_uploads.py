"""A sweep file of one's own on the Explore page (no browser): kept in the dashboard's own
folder, checked with the located messages of ``a6sim sweep``, refused above the dashboard's
maximum of runs, then run like a bundled sweep.

The sweep below is the bundled ``delivery_risk`` (3 prices x 2 caps = 6 grid points) with
``runs: 2``: 6 x 2 = 12 runs.
"""
from __future__ import annotations

import base64
import subprocess
import sys

import diskcache
import pytest

from a6sim.dashboard.explore_store import MAX_DASHBOARD_RUNS, get_sweep, run_sweep
from a6sim.dashboard.pages.explore import sweep_options, upload_report
from a6sim.dashboard.sweep_uploads import MAX_FILES, PREFIX, SweepUploads
from a6sim.resources import EXAMPLES_DIR, SWEEP_DIR

SWEEP = (SWEEP_DIR / "delivery_risk.yaml").read_text().replace("runs: 400", "runs: 2")
MINE = SWEEP.replace("scenario: two_party_basic", "scenario: my_base.yaml")
BASE = (EXAMPLES_DIR / "two_party_basic.yaml").read_text()


def url(text: str) -> str:
    return "data:application/x-yaml;base64," + base64.b64encode(text.encode()).decode()


@pytest.fixture
def uploads(tmp_path):
    return SweepUploads(tmp_path / "uploads")


def test_a_sweep_and_then_its_scenario_are_checked_as_a6sim_sweep_checks_them(uploads, tmp_path):
    token, problems = uploads.add(None, [("mine.yaml", url(MINE))])
    assert problems == [] and [p.name for p in uploads.sweeps(token)] == ["mine.yaml"]
    [path] = uploads.sweeps(token)
    first = uploads.check(path, MAX_DASHBOARD_RUNS)
    assert first.spec is None
    # the same report as `a6sim sweep` prints for the same file, its folder left out
    (tmp_path / "mine.yaml").write_text(MINE)
    cli = subprocess.run([sys.executable, "-m", "a6sim.cli", "sweep", str(tmp_path / "mine.yaml"), "--out",
                          str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
    assert cli.returncode == 2 and not (tmp_path / "out").exists()
    assert first.error.startswith(cli.stderr.strip().replace(f"{tmp_path}/", ""))
    assert "mine.yaml:14: scenario: no scenario file 'my_base.yaml'" in first.error
    assert "upload the scenario file together with the sweep" in first.error
    # the scenario uploaded after it, to the same session: now valid, 6 grid points x 2 runs
    same, _ = uploads.add(token, [("my_base.yaml", url(BASE))])
    assert same == token
    ok = uploads.check(path, MAX_DASHBOARD_RUNS)
    assert (ok.error, ok.total, ok.spec.source, ok.value) == ("", 12, "mine.yaml", f"{PREFIX}{token}/mine.yaml")
    assert ok.spec.scenario.name.startswith("Two-party basic deal")
    assert sweep_options([ok])[-1] == {"label": "yours: mine.yaml", "value": ok.value}
    assert "mine.yaml: ok: sweep" in str(upload_report([ok], [], [])) and "6 grid points x 2 runs = 12" in str(
        upload_report([ok], [], []))


def test_an_uploaded_sweep_runs_like_a_bundled_one(uploads, tmp_path):
    token, _ = uploads.add(None, [("mine.yaml", url(MINE)), ("my_base.yaml", url(BASE))])
    spec = uploads.load(uploads.path(f"{PREFIX}{token}/mine.yaml"))
    cache = diskcache.Cache(str(tmp_path / "cache"))
    seen = []
    t = get_sweep(cache, run_sweep(cache, spec, None, 1, lambda done, total: seen.append((done, total))))
    assert t.manifest["runs_done"] == 12 and len(t.runs) == 12 and t.parties == ["CHE", "GHA"]
    assert seen[-1] == (12, 12)


def test_a_sweep_above_the_dashboards_maximum_is_refused_at_its_runs_line(uploads):
    # 6 grid points x 4,000 runs = 24,000 > 20,000: refused before anything is drawn or run
    token, _ = uploads.add(None, [("big.yaml", url(SWEEP.replace("runs: 2", "runs: 4000")))])
    c = uploads.check(uploads.sweeps(token)[0], MAX_DASHBOARD_RUNS)
    assert c.spec is not None and c.total == 24_000
    assert ("big.yaml:15: runs: 6 grid points x 4,000 runs = 24,000 runs, more than the dashboard's maximum of "
            "20,000") in c.error
    assert sweep_options([c])[-1]["label"] == "yours: big.yaml", "listed: a smaller runs on the page runs it"
    report = str(upload_report([c], [], []))
    assert "big.yaml: otherwise valid" in report and "big.yaml: ok" not in report


def test_no_upload_reaches_a_file_outside_its_sessions_folder(uploads, tmp_path):
    evil = SWEEP.replace("scenario: two_party_basic", "scenario: ../../secret.yaml")
    (tmp_path / "secret.yaml").write_text(BASE)
    token, problems = uploads.add(None, [("../../a.yaml", url(evil)), ("notes.txt", url("hello")),
                                         ("big.yaml", url("x" * (1_000_001)))])
    assert problems[0].startswith("notes.txt: expected a sweep or scenario file ending in .yaml")
    assert problems[1].startswith("big.yaml: 1,000,001 bytes")
    assert sorted(p.name for p in uploads.root.rglob("*") if p.is_file()) == ["a.yaml"]   # its own name only
    c = uploads.check(uploads.sweeps(token)[0], MAX_DASHBOARD_RUNS)
    assert c.spec is None and ("a.yaml:14: scenario: '../../secret.yaml': on the dashboard, name a bundled "
                               "scenario or upload the scenario file") in c.error
    # a page value must name a file in a session's folder
    other, _ = uploads.add(None, [("mine.yaml", url(MINE))])
    assert uploads.path(f"{PREFIX}{other}/mine.yaml") is not None
    for value in (f"{PREFIX}{other}/../{token}/a.yaml", f"{PREFIX}../{other}/mine.yaml", f"{PREFIX}{other}",
                  f"{PREFIX}abc/mine.yaml", "mine.yaml", f"{PREFIX}{other}/nosuch.yaml"):
        assert uploads.path(value) is None, value


def test_a_session_keeps_a_limited_number_of_files(uploads):
    token, _ = uploads.add(None, [(f"s{i}.yaml", url(BASE)) for i in range(MAX_FILES)])
    _, problems = uploads.add(token, [("one_more.yaml", url(BASE)), ("s0.yaml", url(MINE))])
    assert problems == [f"one_more.yaml: this session keeps at most {MAX_FILES} files; reload the page for a new one"]
    assert (uploads.folder(token) / "s0.yaml").read_text() == MINE, "an upload of the same name replaces it"


def test_the_folder_the_app_creates_is_its_own(tmp_path):
    own = SweepUploads()
    try:
        assert own.root.name.startswith("a6sim-sweep-uploads-") and own.root.is_dir()
        assert not any(own.root.iterdir())
    finally:
        own.root.rmdir()
