"""Serving the dashboard: URLs for every --host form, the network warning, the request
body limit, and the cache folder removed on SIGTERM and SIGHUP."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from a6sim.dashboard.hosts import browser_url, everywhere, listen_host, network_warning
from a6sim.dashboard.security import MAX_REQUEST_BYTES, BodyLimit


@pytest.mark.parametrize("given, listen, url", [
    ("127.0.0.1", "127.0.0.1", "http://localhost:8050/"),
    ("0", "0.0.0.0", "http://localhost:8050/"),
    ("0.0.0.0", "0.0.0.0", "http://localhost:8050/"),
    ("::", "::", "http://[::1]:8050/"),
    ("[::1]", "::1", "http://[::1]:8050/"),
    ("::1", "::1", "http://[::1]:8050/"),
    ("[fe80::1]", "fe80::1", "http://[fe80::1]:8050/"),
    ("192.168.1.20", "192.168.1.20", "http://192.168.1.20:8050/"),
])
def test_every_host_form_gets_a_listen_address_and_a_url(given, listen, url):
    assert listen_host(given) == listen
    assert browser_url(listen, 8050) == url
    assert everywhere(listen) == (listen in ("0.0.0.0", "::"))


def test_the_network_warning_says_who_can_connect():
    text = network_warning("::", 8050)
    assert text.startswith("WARNING: the dashboard listens on every network interface (IPv6 and IPv4), port 8050")
    assert "Use --host 127.0.0.1 to keep it to this machine." in text


def _app(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(len(body)).encode()]


class _Chunks:
    """A chunked body as a WSGI server hands it on: no Content-Length, read until the end."""

    def __init__(self, size):
        self.left = size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return b"x" * n

    def readline(self, n=-1):
        return self.read(n)


@pytest.mark.parametrize("length, chunked, status", [
    (1000, False, "200 OK"), (MAX_REQUEST_BYTES, False, "200 OK"),
    (MAX_REQUEST_BYTES + 1, False, "413 Request Entity Too Large"),
    (1000, True, "200 OK"), (MAX_REQUEST_BYTES + 1, True, "413 Request Entity Too Large"),
    (7_000_000, True, "413 Request Entity Too Large"),   # 7 MB of scenario text sent straight to a callback
])
def test_one_body_limit_for_every_request(length, chunked, status):
    seen = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/_dash-update-component",
               "wsgi.input": _Chunks(length), **({} if chunked else {"CONTENT_LENGTH": str(length)})}
    body = BodyLimit(_app)(environ, lambda s, h: seen.append(s))
    assert seen == [status]
    if status == "200 OK":
        assert b"".join(body) == str(length).encode()


def test_the_app_refuses_a_large_body_on_any_endpoint():
    from a6sim.dashboard import create_app
    client = create_app().server.test_client()
    for path in ("/_dash-update-component", "/", "/anything"):
        r = client.post(path, data=b"x" * (MAX_REQUEST_BYTES + 10), content_type="application/json")
        assert r.status_code == 413, path
    r = client.get("/")
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self' 'sha256-")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_the_cache_folder_is_removed_on_sigterm_and_sighup(tmp_path, sig):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "a6sim", "dashboard", "--host", "0", "--port", "0",
                             "--rooms-db", str(tmp_path / "rooms.sqlite")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines, errors = [], []
    ready = threading.Event()

    def read(stream, into):
        for line in stream:
            into.append(line)
            if "a6sim dashboard on" in line:
                ready.set()
    threads = [threading.Thread(target=read, args=(proc.stdout, lines), daemon=True),
               threading.Thread(target=read, args=(proc.stderr, errors), daemon=True)]
    for t in threads:
        t.start()
    try:
        assert ready.wait(90), "".join(lines + errors)
        url = next(line for line in lines if "a6sim dashboard on" in line).split(" on ", 1)[1].split(" ")[0]
        assert url.startswith("http://localhost:") and url.endswith("/")
        with urllib.request.urlopen(url.replace("localhost", "127.0.0.1"), timeout=30) as page:
            assert page.status == 200
        caches = list(tmp.glob("a6sim-dashboard-*"))
        assert len(caches) == 1 and caches[0].is_dir()
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for t in threads:
        t.join(timeout=5)
    assert list(tmp.glob("a6sim-dashboard-*")) == []
    assert any(line.startswith("WARNING: the dashboard listens on every IPv4 network interface") for line in errors)
    from a6sim.startup import STARTING
    assert errors[0] == STARTING + "\n"   # said at once, before the imports (tests/test_dashboard_starting.py)
    time.sleep(0)


def test_a_run_that_fails_says_what_went_wrong_and_what_to_do(monkeypatch):
    # reproducer: a run that died showed nothing at all (the button came back, no result)
    import json as _json

    import plotly

    import a6sim
    from a6sim.dashboard.pages import scenario as page
    from a6sim.resources import resolve_scenario
    sc = a6sim.load_scenario(resolve_scenario("two_party_basic"))
    alert = page.run_failed(sc, RuntimeError("ledger out of balance"))
    text = _json.dumps(alert, cls=plotly.utils.PlotlyJSONEncoder)
    assert "The run failed" in text and "RuntimeError: ledger out of balance" in text
    assert "What to do: download the scenario (Download YAML), run it with `a6sim run FILE --out DIR`" in text


def test_uploads_and_edits_keep_the_size_and_alias_limits():
    import base64

    import a6sim
    from a6sim.dashboard.bundled import MAX_UPLOAD_BYTES, Library, decode_upload, validate_text
    big = "a6sim: 1\nname: x\ndescription: " + "y" * (MAX_UPLOAD_BYTES + 1) + "\n"
    with pytest.raises(a6sim.ScenarioError) as info:
        validate_text(big, "edited.yaml")      # an edit sent straight to a callback
    assert str(info.value.issues[0]).startswith(f"edited.yaml:1: (top level): {len(big):,} bytes of scenario text; "
                                                f"the dashboard accepts at most {MAX_UPLOAD_BYTES:,} (1 MB)")
    bomb = ("a6sim: 1\na: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")))
    upload = "data:application/x-yaml;base64," + base64.b64encode(bomb.encode()).decode()
    started = time.process_time()
    with pytest.raises(a6sim.ScenarioError) as info:
        Library().validate(decode_upload(upload, "bomb.yaml"), "bomb.yaml")
    assert time.process_time() - started < 5
    assert "aliases expand to more than 100,000 nodes" in str(info.value)
