"""Benchmark: a recorded block cut into many lots by small transactions (format v2).

    python benchmarks/history_fragments.py [--sizes 2000,4000,8000,16000] [--json FILE]
    python benchmarks/history_fragments.py --write N FILE   # the scenario for N, to time a6sim run

A registry's history often retires or transfers one big issuance in thousands of
small pieces. For each N, this builds (in memory) a v2 scenario with one Verra-style
issuance of 2N t, authorised by Ghana for Switzerland's NDC, and N + 1 transactions:

* N/2 first transfers to Switzerland of one serial each, by ``serials``, the odd
  serials in a scattered order (each cuts a lot out of the middle of what Ghana holds);
* N/2 uses by Switzerland of one unit each, by ``select`` (oldest first);
* one transfer of the N even serials Ghana has left, by ``select``: N lots in one pick.

It times loading (validation with the dry replay of the history) and the run
(``a6sim.simulate``, which replays it again and reads the ledger), each in this
process, and prints seconds per N and the growth per doubling: 2x is linear in the
transactions, 4x quadratic. The numbers are synthetic; they only measure scaling.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SERIAL = "10183-{0}-{1}-VCS-VCU-263-VER-GH-1-2250-01012023-31122023-0"
BASE = 182_400_000   # external serial of internal serial 0


def scenario_text(n: int) -> str:
    """The v2 scenario of the docstring for N transactions (N even)."""
    half = n // 2
    units = 2 * half
    lines = [
        "a6sim: 2",
        f"name: One block in {n:,} pieces",
        "period: {start: 2023, end: 2030}",
        "parties:",
        "  GHA: {name: Ghana, emissions: {2023: 10000000},",
        "        ndc: {type: multi-year, period: [2023, 2030], budget: 80000000}}",
        "  CHE: {name: Switzerland, emissions: {2023: 5000000},",
        "        ndc: {type: multi-year, period: [2023, 2030], budget: 39000000}}",
        "authorisations:",
        "  GHA-CHE-1: {host: GHA, date: 2023-06-01, purpose: NDC, cooperative_approach: GHA-CHE}",
        "issuances:",
        f"  - {{date: 2023-12-20, host: GHA, programme: VCS, project: \"2250\", vintage: 2023, quantity: {units},",
        f"     serials: \"{SERIAL.format(BASE + 1, BASE + units)}\", authorisation: GHA-CHE-1, holder: GHA}}",
        "transactions:",
    ]
    step = 7919   # coprime to half: i * step mod half visits every odd serial once, scattered
    while math.gcd(step, half) != 1:
        step += 2
    for i in range(half):
        s = BASE + 2 * ((i * step) % half) + 1
        lines.append(f"  - {{date: 2024-02-01, action: transfer, from: GHA, to: CHE, quantity: 1, "
                     f"serials: \"{SERIAL.format(s, s)}\"}}")
    for _ in range(half):
        lines.append("  - {date: 2024-12-15, action: use, holder: CHE, quantity: 1, select: {project: \"2250\"}}")
    lines.append(f"  - {{date: 2025-01-15, action: transfer, from: GHA, to: CHE, quantity: {half}, "
                 "select: {project: \"2250\"}}")
    return "\n".join(lines) + "\n"


def measure(n: int) -> dict:
    import a6sim
    text = scenario_text(n)
    t0 = time.perf_counter()
    scenario = a6sim.scenario_from_text(text)
    t1 = time.perf_counter()
    results = a6sim.simulate(scenario)
    t2 = time.perf_counter()
    b = results.balances
    used = int(b.loc[b.party == "CHE", "used"].sum())
    added = int(b.loc[b.party == "GHA", "first_transferred"].sum())
    if (used, added) != (n // 2, 2 * (n // 2)):
        raise SystemExit(f"N={n}: Switzerland used {used:,} t (expected {n // 2:,}), Ghana first-transferred "
                         f"{added:,} t (expected {2 * (n // 2):,})")
    return {"n": n, "load_s": round(t1 - t0, 3), "run_s": round(t2 - t1, 3), "ledger_rows": len(results.ledger)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,4000,8000,16000", help="transaction counts N (even)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--write", nargs=2, metavar=("N", "FILE"),
                    help="only write the scenario for N transactions to FILE (a new file), and time nothing")
    args = ap.parse_args(argv)
    if args.write:
        n, path = args.write
        if not n.isdigit() or int(n) < 2 or int(n) % 2:
            ap.error(f"--write: N must be an even number of at least 2, got {n!r}")
        if Path(path).exists():
            ap.error(f"--write: {path} exists; give a new file")
        Path(path).write_text(scenario_text(int(n)), encoding="utf-8")
        return 0
    try:
        sizes = [int(x) for x in args.sizes.split(",")]
    except ValueError:
        ap.error(f"--sizes: expected whole numbers separated by commas, got {args.sizes!r}")
    if any(n < 2 or n % 2 for n in sizes):
        ap.error("--sizes: each N must be an even number of at least 2")
    rows, last = [], None
    print(f"{'N':>8} {'load s':>8} {'run s':>8} {'growth':>7}")
    for n in sizes:
        row = measure(n)
        total = row["load_s"] + row["run_s"]
        growth = f"{total / last:.2f}x" if last else ""
        print(f"{n:>8,} {row['load_s']:>8.2f} {row['run_s']:>8.2f} {growth:>7}", flush=True)
        rows.append(row)
        last = total
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
