"""Benchmark the workshop room at scale: three rooms of 30 delegations at once.

    python benchmarks/room.py [--rooms 3] [--delegations 30] [--deals 10] [--json FILE]

Starts ``a6sim dashboard`` on a free port and makes the rooms in its rooms database
(a synthetic scenario: half the delegations hosts with one activity each, half
buyers short of their budget). In headless chromium it opens, for every room, the big
screen and one buyer delegation's page. Every other delegation is a client that does
what the page does in a browser: it polls the version counter once a second (the same
``_dash-update-component`` request) and, when the version changed, asks for its page
again (the request the real delegation page sent, with its own delegation and code).

Then it signs ``--deals`` deals in every room, the rooms taking turns, as the
delegation page's action does (:func:`service.perform`: the room's scenario simulated
with the deal, then written), and times from the click (before the action) to the
moment the room's big screen and the buyer's page show the deal. Reports: the action's
own time, click-to-screen latency (median, max), poll and page request times, errors,
the server's CPU share.
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _dashboard_bench():
    spec = importlib.util.spec_from_file_location("dashboard_bench", HERE / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def scenario_text(n: int) -> str:
    """``n`` parties: the first half hosts (one 6.2 activity of 1 Mt a year each, vintages
    2021-2030), the other half buyers 5 Mt short of a 2021-2030 budget."""
    hosts = [f"H{i:02d}" for i in range(n // 2)]
    buyers = [f"B{i:02d}" for i in range(n - n // 2)]
    parties = {}
    for h in hosts:
        parties[h] = {"name": f"Host {h}", "emissions": {2021: 30},
                      "ndc": {"type": "multi-year", "period": [2021, 2030], "budget": 295}}
    for b in buyers:
        parties[b] = {"name": f"Buyer {b}", "emissions": {2021: 40},
                      "ndc": {"type": "multi-year", "period": [2021, 2030], "budget": 395}}
    acts = {f"{h.lower()}-solar": {"host": h, "mechanism": "6.2", "vintages": [2021, 2030], "outcome": 1}
            for h in hosts}
    return yaml.safe_dump({"a6sim": 1, "name": f"Benchmark room, {n} delegations", "units": "MtCO2e",
                           "period": {"start": 2021, "end": 2030}, "parties": parties, "activities": acts},
                          sort_keys=False)


class Poller(threading.Thread):
    """One delegation's laptop, without a browser: the poll, and its page when the version changed."""

    def __init__(self, port, room, me, draw_body, stop, stats):
        super().__init__(daemon=True)
        self.port, self.room, self.me, self.draw_body, self.stop, self.stats = port, room, me, draw_body, stop, stats
        self.seen = None
        self.n = 0

    def _post(self, body: dict) -> tuple[int, float]:
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", "/_dash-update-component", body=json.dumps(body),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        return resp.status, time.perf_counter() - t0, data

    def run(self):
        while not self.stop.is_set():
            started = time.perf_counter()
            self.n += 1
            body = {"output": "room-seen-del.data", "outputs": {"id": "room-seen-del", "property": "data"},
                    "inputs": [{"id": "room-tick-del", "property": "n_intervals", "value": self.n},
                               {"id": "room-code-del", "property": "data", "value": self.room}],
                    "changedPropIds": ["room-tick-del.n_intervals"],
                    "state": [{"id": "room-seen-del", "property": "data", "value": self.seen}]}
            try:
                status, took, data = self._post(body)
                self.stats["poll"].append(took)
                if status == 200:
                    self.seen = json.loads(data)["response"]["room-seen-del"]["data"]
                    draw = json.loads(json.dumps(self.draw_body))
                    for item in draw["inputs"]:
                        if item["id"] == "room-seen-del":
                            item["value"] = self.seen
                        if item["id"] == "room-me":
                            item["value"] = self.me
                    status, took, _ = self._post(draw)
                    self.stats["draw"].append(took)
                    if status != 200:
                        self.stats["errors"].append(f"draw HTTP {status}")
                elif status != 204:
                    self.stats["errors"].append(f"poll HTTP {status}")
            except (OSError, ValueError, KeyError) as exc:
                self.stats["errors"].append(f"{type(exc).__name__}: {exc}")
            self.stop.wait(max(0.0, 1.0 - (time.perf_counter() - started)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rooms", type=int, default=3)
    ap.add_argument("--delegations", type=int, default=30)
    ap.add_argument("--deals", type=int, default=10, help="deals signed in every room")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    bench = _dashboard_bench()
    from playwright.sync_api import sync_playwright

    import psutil

    from a6sim.dashboard.room.service import create_room, perform
    from a6sim.dashboard.room.store import RoomStore
    from a6sim.resources import SCENARIO_DIR

    tmp = Path(tempfile.mkdtemp(prefix="a6sim-room-bench-"))
    cache = tmp / "cache"
    cache.mkdir()
    server = bench.Server(SCENARIO_DIR, cache, 16, tmp / "server.log")
    print(f"starting the dashboard ... {server.start():.1f} s", flush=True)
    port = int(server.url.rsplit(":", 1)[1])
    store = RoomStore(cache / "rooms.sqlite")
    text = scenario_text(args.delegations)
    rooms = []
    for _ in range(args.rooms):
        t0 = time.perf_counter()
        state = create_room(store, text, "benchmark.yaml", minutes=60)
        perform(store, state["code"], "start_round", code=state["facilitator_code"])
        rooms.append(state)
        print(f"room {state['code']}: {args.delegations} delegations, made in {time.perf_counter() - t0:.2f} s",
              flush=True)
    hosts = [d for d in rooms[0]["delegations"] if d.startswith("H")]
    buyers = [d for d in rooms[0]["delegations"] if d.startswith("B")]
    stats = {"poll": [], "draw": [], "errors": []}
    stop = threading.Event()
    proc = psutil.Process(server.proc.pid)
    results = {"sign": [], "screen": [], "buyer_page": []}
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=bench.CHROMIUM, args=bench.CHROMIUM_ARGS)
        pages = []
        draw_body = None
        for state in rooms:
            screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            screen.on("console", lambda m: m.type == "error" and problems.append(m.text))
            screen.goto(f"{server.url}/room/{state['code']}/screen")
            screen.wait_for_selector("#room-deals")
            buyer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            buyer.on("console", lambda m: m.type == "error" and problems.append(m.text))
            captured = []
            buyer.on("request", lambda r, c=captured: "_dash-update-component" in r.url
                     and "room-body.children" in (r.post_data or "") and c.append(r.post_data))
            b0 = buyers[0]
            buyer.goto(f"{server.url}/room/{state['code']}")
            buyer.evaluate("([k, v]) => sessionStorage.setItem(k, v)",
                           ["room-me", json.dumps({"room": state["code"], "delegation": b0,
                                                   "code": state["delegations"][b0]["code"]})])
            buyer.reload()
            buyer.wait_for_selector("#room-my-attainment")
            draw_body = draw_body or json.loads(captured[-1])
            pages.append((state, screen, buyer))
        pollers = [Poller(port, state["code"], {"room": state["code"], "delegation": d,
                                                "code": state["delegations"][d]["code"]}, draw_body, stop, stats)
                   for state in rooms for d in state["delegations"] if d != buyers[0]]
        for p in pollers:
            p.start()
        time.sleep(3)
        proc.cpu_percent(None)
        t_start = time.perf_counter()
        print(f"{len(pollers)} polling delegations, {len(pages) * 2} browser pages; signing deals ...", flush=True)
        for k in range(args.deals):
            for state, screen, buyer_page in pages:
                seller = hosts[k % len(hosts)]
                buyer = buyers[0] if k % 3 == 0 else buyers[(k + 1) % len(buyers)]
                terms = {"activity": f"{seller.lower()}-solar", "vintages": [2021, 2030], "mode": "quantity",
                         "quantity": 0.5, "share": None, "price": 10 + k, "purpose": "NDC"}
                t0 = time.perf_counter()
                _, st, _ = perform(store, state["code"], "make_offer", delegation=seller,
                                   code=state["delegations"][seller]["code"], to=buyer, terms=terms)
                oid = max(st["offers"], key=lambda o: int(o[1:]))
                t1 = time.perf_counter()
                _, st, _ = perform(store, state["code"], "respond", delegation=buyer,
                                   code=state["delegations"][buyer]["code"], offer_id=oid, answer="accept")
                t2 = time.perf_counter()
                results["sign"].append(t2 - t1)
                n = len(st["deals"])
                screen.wait_for_function("n => (document.querySelector('#room-deals') || {}).innerText"
                                         " && document.querySelector('#room-deals').innerText.startsWith(n + ' ')",
                                         arg=n, timeout=30_000)
                results["screen"].append(time.perf_counter() - t1)
                if buyer == buyers[0]:
                    buyer_page.wait_for_function(
                        "n => [...document.querySelectorAll('#room-my-deals tbody tr')].length === n",
                        arg=sum(1 for d in st["deals"].values() if d["buyer"] == buyers[0]), timeout=30_000)
                    results["buyer_page"].append(time.perf_counter() - t1)
                del t0
        elapsed = time.perf_counter() - t_start
        cpu = proc.cpu_percent(None)
        children = sum(c.cpu_percent(None) for c in proc.children(recursive=True)) if proc.children() else 0
        stop.set()
        for p in pollers:
            p.join(timeout=35)
        browser.close()
    server.stop()

    def summary(xs):
        xs = sorted(xs)
        return {"n": len(xs), "median": round(statistics.median(xs), 3) if xs else None,
                "p95": round(xs[int(0.95 * (len(xs) - 1))], 3) if xs else None, "max": round(max(xs), 3) if xs else None}

    out = {"rooms": args.rooms, "delegations": args.delegations, "deals_per_room": args.deals,
           "sign_s": summary(results["sign"]), "click_to_screen_s": summary(results["screen"]),
           "click_to_buyer_page_s": summary(results["buyer_page"]),
           "poll_request_s": summary(stats["poll"]), "page_request_s": summary(stats["draw"]),
           "errors": stats["errors"][:10], "n_errors": len(stats["errors"]), "console_errors": problems[:10],
           "server_cpu_percent": round(cpu, 1), "seconds": round(elapsed, 1), "server_errors": server.server_errors()}
    print(json.dumps(out, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0 if not stats["errors"] and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
