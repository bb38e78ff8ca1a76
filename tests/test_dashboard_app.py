"""The dashboard app without a browser: every page's layout, the levers, uploads, the run cache."""
from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from pathlib import Path

import plotly
import pytest
import yaml

import a6sim
from a6sim.dashboard import create_app
from a6sim.dashboard.app import PAGES, render_page
from a6sim.dashboard.bundled import MAX_UPLOAD_BYTES, Library, UploadError, bundled_scenarios, bundled_text, decode_upload
from a6sim.dashboard.levers import apply_overrides, changed_overrides, describe_overrides, edited_text, levers_of
from a6sim.dashboard.pages.scenario import edited_scenario, run_inputs, session_base
from a6sim.dashboard.runs import RunStore, run_key

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def store(app):
    return app.run_store


@pytest.fixture(scope="module")
def sg_run(store):
    return store.run(a6sim.load_scenario(ROOT / "scenarios" / "singapore_mongolia.yaml"))


def _walk(component):
    """Every component of a layout tree."""
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _json(component) -> str:
    """The layout as Dash sends it to the browser."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def _types(component) -> list[str]:
    return [type(c).__name__ for c in _walk(component)]


# --- pages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_before_any_run(path, app, store):
    page = render_page(path, store, app.library, None, None, None, None, None)
    _json(page)   # serialisable as Dash sends it
    if path == "/":
        assert "Accordion" in _types(page)           # the levers
    elif path == "/compare":
        assert "Run at least two variants" in _json(page)
    elif path == "/classroom":                        # lessons need no run of the session
        assert "Step 1 of" in _json(page)
    elif path == "/explore":                          # sweeps need no run of the session either
        assert "Run sweep" in _json(page)
    elif path == "/room":                             # the workshop room needs no run either
        assert "Make a room" in _json(page)
    elif path == "/docs":                             # the guides shipped with the package
        assert "a6sim docs economics" in _json(page)
    else:
        assert "No run yet" in _json(page)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_a_run(path, app, store, sg_run):
    other = store.run(a6sim.load_scenario(ROOT / "scenarios" / "singapore_mongolia.yaml").with_seed(3))
    runs = [{"key": sg_run.key, "label": "a"}, {"key": other.key, "label": "b"}]
    for party in (None, "MNG"):
        page = render_page(path, store, app.library, None, None, runs, sg_run.key, party)
        text = _json(page)
        if path in ("/", "/ndc", "/integrity", "/units", "/money", "/network", "/compare"):
            assert "Graph" in _types(page), path
        if path == "/ledger":
            assert "AgGrid" in _types(page)
            assert f"{len(sg_run.ledger):,} rows" in text
        if path == "/compare":
            assert "Differences per party" in text


def test_unknown_page_says_so(app, store):
    page = render_page("/nowhere", store, app.library, None, None, None, None, None)
    assert "No page at /nowhere" in _json(page)


def test_index_and_assets_are_served_locally(app):
    client = app.server.test_client()
    index = client.get("/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    # no CDN: workshops are offline. Every stylesheet and script comes from this server.
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(u.startswith("/") for u in links), links
    assert '"disable_version_check":true' in html
    assert "bootstrap.min.css" in html and "theme.css" in html
    css = client.get("/assets/bootstrap.min.css")
    assert css.status_code == 200 and b"Bootstrap" in css.data[:200]
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies").status_code == 200


def test_the_app_keeps_no_session_state_on_the_server(app):
    # Everything a participant edits lives in session-storage stores in the browser.
    layout = app.layout()
    stores = {c.id: c.storage_type for c in _walk(layout) if type(c).__name__ == "Store"}
    assert stores == {"base": "session", "overrides": "session", "runs": "session", "current": "session",
                      "party": "session", "run-request": "memory", "classroom": "session"}


# --- levers ------------------------------------------------------------------------------------
def _sg():
    return a6sim.load_scenario(ROOT / "scenarios" / "singapore_mongolia.yaml")


def test_levers_come_from_the_schema():
    levers = {l.id: l for l in levers_of(_sg())}
    sop = levers["agreements/sgp-mng/sop/value"]
    assert (sop.kind, sop.minimum, sop.maximum, sop.value) == ("number", 0, 1, 0.05)   # Share: 0..1, file 5%
    assert levers["agreements/sgp-mng/use/policy"].options == ("on-receipt", "year-end", "as-needed", "never")
    assert levers["parties/MNG/ndc/averaging_divisor"].options == ("elapsed", "period")
    assert levers["parties/MNG/corresponding_adjustments"].kind == "switch"
    assert levers["settings/ca_attribution"].options == ("vintage", "first-transfer-year")
    cap = levers["agreements/sgp-mng/cap"]
    assert cap.optional and cap.value is None                # no cap in the file


def test_only_changed_levers_are_kept_and_applied():
    sc = _sg()
    levers = levers_of(sc)
    values = {l.id: l.value for l in levers}
    assert changed_overrides(levers, values) == {}
    values["agreements/sgp-mng/omge/units"] = 0.1
    values["parties/MNG/corresponding_adjustments"] = False
    values["agreements/sgp-mng/cap"] = ""                    # emptied: still no cap
    over = changed_overrides(levers, values)
    assert over == {"agreements/sgp-mng/omge/units": 0.1, "parties/MNG/corresponding_adjustments": False}
    data = apply_overrides(sc.to_dict(), over)
    assert data["agreements"]["sgp-mng"]["omge"]["units"] == 0.1
    assert data["parties"]["MNG"]["corresponding_adjustments"] is False
    assert describe_overrides(over) == "sgp-mng omge.units 0.1; MNG corresponding_adjustments off"


def test_run_runs_what_the_page_shows_when_the_stores_lag_behind():
    # The stores are written by their own callbacks, a round trip behind the page.
    library = Library()
    sg = {"file": "singapore_mongolia.yaml", "origin": "bundled", "text": library.text("singapore_mongolia.yaml")}
    sop, omge = "agreements/sgp-mng/sop/value", "agreements/sgp-mng/omge/units"
    # a SOP share typed and not yet confirmed when Run is clicked: run with it, and keep
    # the confirmed OMGE edit of a lever not on the page
    base, over, seed = run_inputs(sg, {omge: 0.1}, 7, "singapore_mongolia.yaml", [sop], [0.2], library)
    assert (base, over, seed) == (sg, {omge: 0.1, sop: 0.2}, 7)
    # the page shows the file's value again: the edit is dropped
    assert run_inputs(sg, {sop: 0.2}, 7, "singapore_mongolia.yaml", [sop], [0.05], library)[1] == {}
    # another file picked, its scenario not loaded yet: run that file as it is (its own
    # seed), not the one still in the store with its edits
    base, over, seed = run_inputs(sg, {sop: 0.2}, 7, "swiss_programme.yaml", [sop], [0.2], library)
    assert (base["file"], base["origin"], over, seed) == ("swiss_programme.yaml", "bundled", {}, None)
    assert base["text"] == library.text("swiss_programme.yaml")
    # an uploaded file in the store and nothing picked since: the upload runs
    up = {"file": "mine.yaml", "origin": "upload", "text": sg["text"]}
    assert run_inputs(up, None, None, None, [], [], library) == (up, {}, None)


def test_edited_text_is_a_valid_scenario_with_the_edits():
    base = {"file": "singapore_mongolia.yaml", "origin": "bundled", "text": bundled_text("singapore_mongolia.yaml")}
    over = {"agreements/sgp-mng/cap": 500000, "settings/ca_attribution": "first-transfer-year"}
    text, sc = edited_scenario(base, over, seed=4)
    assert text.startswith("# Edited in the a6sim dashboard from singapore_mongolia.yaml")
    assert sc.model.agreements["sgp-mng"].cap == 500000
    assert sc.model.settings.ca_attribution == "first-transfer-year"
    assert sc.seed == 4
    assert yaml.safe_load(text)["name"] == _sg().name
    # nothing changed: the file's own text, byte for byte
    assert edited_text(base["text"], {}, base["file"]) == base["text"]


def test_an_invalid_edit_is_reported_like_validate():
    # 70% share of proceeds plus 50% OMGE would take more than the whole tranche
    base = session_base(None, Library())
    with pytest.raises(a6sim.ScenarioError) as exc:
        edited_scenario(base, {"agreements/che-gha/sop/units": 0.7, "agreements/che-gha/omge/units": 0.5})
    assert str(exc.value).startswith("1 problem in scenario:\n  two_party_basic-edited.yaml:")
    assert "agreements.che-gha" in str(exc.value)


# --- uploads -----------------------------------------------------------------------------------
def _data_url(payload: bytes) -> str:
    return "data:application/x-yaml;base64," + base64.b64encode(payload).decode()


def test_upload_of_a_broken_file_names_file_line_and_field():
    text = (ROOT / "tests" / "data" / "broken.yaml").read_text()
    decoded = decode_upload(_data_url(text.encode()), "broken.yaml")
    with pytest.raises(a6sim.ScenarioError) as exc:
        a6sim.scenario_from_text(decoded, "broken.yaml")
    with pytest.raises(a6sim.ScenarioError) as cli:
        a6sim.load_scenario(ROOT / "tests" / "data" / "broken.yaml")
    # the same words as `a6sim validate`, apart from the file's folder
    assert str(exc.value) == str(cli.value).replace(str(ROOT / "tests" / "data") + "/", "")
    assert "broken.yaml:" in str(exc.value)


def test_upload_limits():
    with pytest.raises(UploadError, match="limited to 1,000,000 bytes"):
        decode_upload(_data_url(b"#" * (MAX_UPLOAD_BYTES + 1)), "big.yaml")
    with pytest.raises(UploadError, match="not UTF-8"):
        decode_upload(_data_url(b"name: \xff\xfe"), "latin.yaml")
    with pytest.raises(UploadError, match="could not be read"):
        decode_upload("garbage", "x.yaml")
    assert decode_upload(_data_url(b"a6sim: 1\n"), "ok.yaml") == "a6sim: 1\n"


def test_bundled_list_and_names_are_safe():
    files = [s["file"] for s in bundled_scenarios()]
    assert files == sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    for bad in ("../pyproject.toml", "/etc/passwd", "nope.yaml"):
        with pytest.raises(FileNotFoundError):
            bundled_text(bad)


# --- run cache ---------------------------------------------------------------------------------
def test_the_same_scenario_and_seed_run_once(tmp_path):
    store = RunStore(tmp_path)
    sc = a6sim.load_scenario(ROOT / "scenarios" / "two_party_basic.yaml")
    first = store.run(sc)
    again = store.run(a6sim.load_scenario(ROOT / "scenarios" / "two_party_basic.yaml"))
    assert store.runs_done() == 1 and again.key == first.key == run_key(sc)
    store.run(sc.with_seed(sc.seed + 1))
    assert store.runs_done() == 2
    # another process (here: another store on the same folder) reads the same entry
    assert RunStore(tmp_path).get(first.key).summary == first.summary


def test_concurrent_twins_cost_one_run(tmp_path, monkeypatch):
    # four sessions press Run on the same scenario at once: one simulation, four answers
    import threading
    calls = []
    real = a6sim.simulate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(a6sim, "simulate", counting)
    store = RunStore(tmp_path)
    sc = a6sim.load_scenario(ROOT / "scenarios" / "article64_project.yaml")
    keys = []
    threads = [threading.Thread(target=lambda: keys.append(store.run(sc).key)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and keys == [run_key(sc)] * 4


@pytest.mark.parametrize("method, jobs", [("forkserver", 6), ("spawn", 2)])   # spawn: without a fork server
def test_runs_start_in_a_fork_server_not_in_the_threaded_web_server(tmp_path, method, jobs):
    # Jobs forked straight from the web server could inherit a lock another thread held
    # (SQLite's, in the result cache) and hang. Here, while a thread of this process keeps
    # writing to the cache, jobs each run a scenario into the shared cache: every one
    # finishes, and none is a child of this process (the fork server forked them) or each
    # is a fresh interpreter (spawn).
    import os
    import threading
    import time

    import psutil

    from a6sim.dashboard.jobs import ForkServerManager
    store = RunStore(tmp_path / "runs")
    manager = ForkServerManager(store.cache, preload=["a6sim"], method=method)
    path = str(ROOT / "scenarios" / "two_party_basic.yaml")

    def job(key, progress_key, args, context):
        assert os.nice(0) >= 10   # runs yield the CPU to the web server
        store.cache.set(("job", key), (os.getppid(), store.run(a6sim.load_scenario(path).with_seed(args)).key))

    stop = threading.Event()

    def busy():
        i = 0
        while not stop.is_set():
            store.cache.set(("busy", i % 50), i)
            i += 1
    writer = threading.Thread(target=busy)
    writer.start()
    try:
        pids = [manager.call_job_fn(f"k{seed}", job, seed, None) for seed in range(jobs)]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(store.cache.get(("job", f"k{s}")) is None for s in range(jobs)):
            time.sleep(0.1)
    finally:
        stop.set()
        writer.join()
    done = {s: store.cache.get(("job", f"k{s}")) for s in range(jobs)}
    assert all(v is not None for v in done.values()), f"jobs that never finished: {done}"
    if method == "forkserver":   # spawned jobs are this process's children, but fresh interpreters
        assert all(ppid != os.getpid() for ppid, _ in done.values())
    assert sorted(key for _, key in done.values()) == sorted(
        run_key(a6sim.load_scenario(path).with_seed(s)) for s in range(jobs))
    for pid in pids:   # the fork server reaps its children
        try:
            psutil.Process(pid).wait(timeout=30)
        except psutil.NoSuchProcess:
            pass


def test_a_job_reaped_between_two_looks_is_not_running(tmp_path, monkeypatch):
    # The fork server reaps a finished job at once: Dash may find its pid and then not its
    # process. That must read as "not running", and terminating it must not fail.
    import psutil

    from a6sim.dashboard.jobs import ForkServerManager
    manager = ForkServerManager(RunStore(tmp_path).cache, preload=[])

    def vanished(pid):
        raise psutil.NoSuchProcess(pid)
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: True)
    monkeypatch.setattr(psutil, "Process", vanished)
    assert manager.job_running(4242) is False
    assert manager.terminate_job(4242) is None
    assert manager.terminate_unhealthy_job(4242) is True   # Dash then reports the job as ended


def test_a_job_that_ended_with_its_result_uncollected_still_counts_as_running(tmp_path):
    # Dash reads a job's result, then asks whether it runs. A job that writes its result
    # and exits between the two looks must not be taken for cancelled: until the result
    # is collected it counts as running; after, it does not.
    import time

    import psutil

    from a6sim.dashboard.jobs import ForkServerManager
    cache = RunStore(tmp_path).cache
    manager = ForkServerManager(cache, preload=[])

    def job(key, progress_key, args, context):
        cache.set(key, {"answer": args})

    pid = manager.call_job_fn("result-key", job, 42, None)
    deadline = time.monotonic() + 60
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)   # the fork server reaps it
    assert manager.job_running(pid) is True                       # ended, result not collected
    assert manager.get_result("result-key", pid) == {"answer": 42}
    assert manager.job_running(pid) is False                      # collected: done
    assert manager.job_running(pid + 10_000_000) is False          # never a job of ours


def test_the_run_store_and_library_travel_to_a_job_without_their_memory(store, app):
    import dill
    copy = dill.loads(dill.dumps(store))
    assert copy.cache.directory == store.cache.directory and copy._memory == {} and copy._lock is not store._lock
    library = dill.loads(dill.dumps(app.library))
    assert library.entries() == app.library.entries() and library._validated == {}


def test_results_zip_holds_the_files_of_a6sim_run(sg_run, tmp_path):
    names = zipfile.ZipFile(io.BytesIO(sg_run.zip_bytes)).namelist()
    out = a6sim.simulate(ROOT / "scenarios" / "singapore_mongolia.yaml").write(tmp_path / "r")
    assert sorted(names) == sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert any(n.startswith("aef/") for n in names)
    with zipfile.ZipFile(io.BytesIO(sg_run.zip_bytes)) as z:
        assert z.read("balances.csv") == (out / "balances.csv").read_bytes()


# --- the command -------------------------------------------------------------------------------
def test_dashboard_command_refuses_bad_options(tmp_path, capsys):
    from a6sim.cli import main
    assert main(["dashboard", "--port", "70000"]) == 2
    assert "--port 70000: expected 0-65535" in capsys.readouterr().err
    assert main(["dashboard", "--scenarios", str(tmp_path / "missing")]) == 2
    assert f"--scenarios {tmp_path / 'missing'}: not a folder" in capsys.readouterr().err
    assert main(["dashboard", "--lessons", str(tmp_path / "none")]) == 2
    assert f"--lessons {tmp_path / 'none'}: not a folder" in capsys.readouterr().err
    assert main(["dashboard", "--scenarios", str(tmp_path), "--port", "0"]) == 2   # no scenario in it
    assert "no valid scenario files" in capsys.readouterr().err


def test_dashboard_command_reports_a_busy_port(tmp_path, capsys):
    import socket
    from a6sim.cli import main
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dashboard", "--port", str(port), "--cache-dir", str(tmp_path)]) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_scenario_folder_of_ones_own(tmp_path):
    # a facilitator's folder: only its valid files are offered; the first is the default
    (tmp_path / "b_deal.yaml").write_text((ROOT / "scenarios" / "revocation.yaml").read_text())
    (tmp_path / "a_broken.yaml").write_text((ROOT / "tests" / "data" / "broken.yaml").read_text())
    library = Library(tmp_path)
    assert [e["file"] for e in library.entries()] == ["b_deal.yaml"]
    assert library.default == "b_deal.yaml"
    app = create_app(tmp_path / "cache", tmp_path)
    page = render_page("/", app.run_store, app.library, None, None, None, None, None)
    assert "b_deal.yaml" in _json(page) and "a_broken.yaml" not in _json(page)


def test_a_big_world_draws_bounded_levers_and_grids(tmp_path):
    # 150 parties and 1,500 agreements: at most 40 lever groups per section, and long
    # tables as one grid component instead of thousands of cells
    import sys
    sys.path.append(str(ROOT / "benchmarks"))
    from synthetic import synthetic_world
    from a6sim.dashboard.components import records_table
    from a6sim.dashboard.pages.scenario import MAX_GROUPS, levers_panel
    sc = a6sim.scenario_from_dict(synthetic_world(150, 300, 1500, 3, 1))
    panel = levers_panel(sc, {})
    accordion = [c for c in _walk(panel) if type(c).__name__ == "Accordion"][0]
    assert len(accordion.children) == 2 * MAX_GROUPS + 1          # agreements, parties, settings
    assert "1460 more agreements" in _json(panel) and "110 more parties" in _json(panel)
    assert "AgGrid" in _types(records_table([{"a": i} for i in range(26)]))
    assert "AgGrid" not in _types(records_table([{"a": i} for i in range(25)]))


def test_the_library_validates_a_text_once_and_never_remembers_errors(monkeypatch):
    import a6sim.dashboard.bundled as bundled
    calls = []
    real = bundled.validate_text
    monkeypatch.setattr(bundled, "validate_text", lambda text, source: calls.append(source) or real(text, source))
    library = Library()
    text = library.text("revocation.yaml")
    first = library.validate(text, "revocation.yaml")
    assert library.validate(text, "revocation.yaml") is first and calls == ["revocation.yaml"]
    broken = (ROOT / "tests" / "data" / "broken.yaml").read_text()
    for _ in range(2):
        with pytest.raises(a6sim.ScenarioError):
            library.validate(broken, "broken.yaml")
    assert calls == ["revocation.yaml", "broken.yaml", "broken.yaml"]


# --- a screen that tells the story -------------------------------------------------------------
def test_levers_have_plain_labels_units_and_the_field_path_as_tooltip(app, store):
    levers = {l.id: l for l in levers_of(_sg())}   # Singapore-Mongolia: MtCO2e, SGD
    sop = levers["agreements/sgp-mng/sop/units"]
    assert (sop.label, sop.unit, sop.field) == ("Share of proceeds, in units", "share, 0-1", "sop.units")
    assert levers["agreements/sgp-mng/omge/units"].label == "Cancelled for OMGE"
    assert levers["agreements/sgp-mng/price"].unit == "SGD per tCO2e"
    assert levers["agreements/sgp-mng/cap"].unit == "MtCO2e"
    assert levers["settings/ca_attribution"].label == "Year a first transfer is added for"
    assert all("." not in l.label and "_" not in l.label for l in levers.values())
    text = _json(render_page("/", store, app.library, None, None, None, None, None))   # two_party_basic
    assert '"title": "price in the file"' in text and "Price" in text and "USD per tCO2e" in text


def test_results_pages_open_with_the_headline_strip_in_the_scenario_units(app, store, sg_run):
    for path in ("/ndc", "/integrity", "/units", "/money", "/network", "/ledger"):
        text = _json(render_page(path, store, app.library, None, None, None, sg_run.key, None))
        assert "headline-strip" in text, path
        # Singapore-Mongolia is written in MtCO2e: 2 Mt used, 1.02 Mt claimed twice in the 2030 target year
        assert "SGP subtracted 2 Mt used" in text and "1.02 Mt in the 2030 target year" in text, path
        assert "2,000,000 t" not in text, path


def test_compare_opens_on_the_party_that_changed(app, store):
    from a6sim.dashboard.pages.compare import changed_party
    from a6sim.dashboard.views.compare import party_differences
    base = a6sim.load_scenario(ROOT / "scenarios" / "two_party_basic.yaml")
    data = yaml.safe_load(Path(base.source).read_text())
    assert list(data["parties"]) == ["CHE", "GHA"]
    data["parties"]["GHA"]["corresponding_adjustments"] = False   # only the host's balance changes
    a = store.run(base)
    b = store.run(a6sim.scenario_from_dict(data))
    diff = party_differences(a.balances, a.attainment, b.balances, b.attainment)
    assert changed_party(diff) == "GHA"                           # not CHE, the first party
    assert changed_party(party_differences(a.balances, a.attainment, a.balances, a.attainment)) is None


@pytest.mark.parametrize("page, bar, output", [("/", "run-progress", "run-result"),
                                               ("/explore", "explore-progress", "explore-status")])
def test_a_progress_bar_shows_only_while_its_run_goes_on(app, page, bar, output):
    # an empty grey bar stayed on the page after a run ended (and before any): the bar starts
    # hidden, the run callback shows it while it runs and hides it again when it ends
    layout = render_page(page, app.run_store, app.library, None, None, None, None, None)
    [progress] = [c for c in _walk(layout) if getattr(c, "id", None) == bar]
    assert progress.style.get("display") == "none"
    [cb] = [c for c in app._callback_list if f"{output}.children" in c["output"] and c.get("running")]
    assert cb["running"]["running"][f"{bar}.style"].get("display") != "none"
    assert cb["running"]["runningOff"][f"{bar}.style"].get("display") == "none"
