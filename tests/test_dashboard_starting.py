"""``a6sim dashboard`` says at once that it is starting, before the heavy imports; then its URL."""
import subprocess
import sys
import textwrap

import pytest

from a6sim.startup import STARTING, asks_for_dashboard

PROBE = textwrap.dedent("""
    import sys
    import a6sim.startup as startup
    def probe(argv):
        heavy = sorted(m for m in ("dash", "plotly", "pandas", "numpy", "pydantic", "a6sim.dashboard")
                       if m in sys.modules)
        print("loaded before the notice:", heavy, "asked:", startup.asks_for_dashboard(argv), flush=True)
        raise SystemExit(0)
    startup.announce = probe
    import a6sim.cli
    a6sim.cli.main(["dashboard", "--port", "0"])
""")


def test_the_notice_comes_before_any_heavy_import():
    # before: `import a6sim` alone loaded pandas and pydantic, and the parser the lessons and
    # results; the dashboard's first output waited for Dash and plotly too (seconds)
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "loaded before the notice: [] asked: True\n"


@pytest.mark.parametrize("argv, asked", [
    (["dashboard"], True),
    (["dashboard", "--port", "0", "--host", "0.0.0.0"], True),
    (["dashboard", "--help"], False), (["dashboard", "-h"], False), (["dashboard", "--hel"], False),
    (["run", "dashboard", "--out", "r"], False),     # a scenario file named dashboard
    (["--version"], False), ([], False),
])
def test_only_a_dashboard_start_is_announced(argv, asked):
    assert asks_for_dashboard(argv) is asked


def test_the_notice_goes_to_stderr_and_the_help_stays_quiet(capsys):
    from a6sim.startup import announce
    announce(["dashboard", "--port", "0"])
    out, err = capsys.readouterr()
    assert (out, err) == ("", STARTING + "\n")
    announce(["dashboard", "--help"])
    assert capsys.readouterr() == ("", "")
