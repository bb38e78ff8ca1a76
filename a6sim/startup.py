"""The ``a6sim`` command's first words, before anything heavy is imported.

Loading the dashboard (Dash, plotly, pandas and the simulator) takes seconds, and
tens of seconds on a busy machine; ``a6sim dashboard`` says at once that it is
starting, on stderr, and prints its address as soon as it listens.
"""
from __future__ import annotations

import sys

__all__ = ["STARTING", "announce", "asks_for_dashboard"]

STARTING = "a6sim: starting the dashboard (loading; its address follows) ..."


def asks_for_dashboard(argv: list[str]) -> bool:
    """Whether ``argv`` (the command's arguments) starts the dashboard, not just its help."""
    if not argv or argv[0] != "dashboard":
        return False
    return not any(a == "-h" or (len(a) > 3 and "--help".startswith(a)) for a in argv[1:])   # --hel, --help


def announce(argv: list[str]) -> None:
    """Print :data:`STARTING` on stderr at once when ``argv`` starts the dashboard."""
    if asks_for_dashboard(argv):
        try:
            print(STARTING, file=sys.stderr, flush=True)
        except (OSError, ValueError):   # no usable stderr: the dashboard starts all the same
            pass
