"""How long ``a6sim dashboard`` takes to say something, and to print its address.

    python benchmarks/dashboard_start.py [--repeat 3] [--a6sim PATH]

Starts ``a6sim dashboard --port 0`` (the ``a6sim`` command next to this interpreter,
or ``--a6sim``) as a subprocess, reads its stdout and stderr as they come, and reports
the wall-clock seconds from the launch to the first line on either stream (the
"starting the dashboard" notice) and to the line with the address
(``a6sim dashboard on http://...``); then stops the server (SIGTERM). Prints one line
per start and the load average, as the machine's load decides most of the figure.
"""
from __future__ import annotations

import argparse
import os
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path


def one_start(exe: str, timeout: float = 180) -> tuple[float, float]:
    """``(seconds to the first line, seconds to the address)`` of one start."""
    started = time.perf_counter()
    proc = subprocess.Popen([exe, "dashboard", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, bufsize=1, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    sel.register(proc.stderr, selectors.EVENT_READ)
    first = url = None
    try:
        while url is None and time.perf_counter() - started < timeout:
            for key, _ in sel.select(timeout=1):
                line = key.fileobj.readline()
                if not line:
                    continue
                now = time.perf_counter() - started
                first = now if first is None else first
                if "a6sim dashboard on http" in line:
                    url = now
            if proc.poll() is not None and url is None:
                raise SystemExit(f"the dashboard stopped (exit {proc.returncode}): {proc.stderr.read()}")
    finally:
        proc.terminate()
        proc.wait(30)
    if url is None:
        raise SystemExit(f"no address within {timeout:.0f} s")
    return first, url


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3, help="starts to time (default 3)")
    p.add_argument("--a6sim", help="the a6sim command (default: the one beside this Python, else on PATH)")
    args = p.parse_args(argv)
    beside = Path(sys.executable).with_name("a6sim")
    exe = args.a6sim or (str(beside) if beside.exists() else shutil.which("a6sim"))
    if not exe:
        raise SystemExit("no a6sim command found (pip install a6sim, or give --a6sim)")
    for i in range(args.repeat):
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        first, url = one_start(exe)
        print(f"start {i + 1}: first line {first:.2f} s, address {url:.2f} s (load average {load:.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
