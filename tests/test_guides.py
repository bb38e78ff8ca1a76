"""The guides ship inside the package: ``a6sim docs``, the dashboard's /docs pages, and no
user-facing text that points at a file an installed a6sim does not have."""
from __future__ import annotations

import json
import re
from pathlib import Path

import plotly
import pytest

import a6sim
from a6sim.cli import _parser, main
from a6sim.guides import GUIDE_DIR, find_guide, guides
from a6sim.resources import EXAMPLES_DIR

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))


def _json(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_every_doc_is_a_guide_found_by_name():
    assert DOCS == ["economics", "how-a6sim-counts", "lessons"]
    names = [g.name for g in guides()]
    assert names == ["readme", *DOCS]
    assert {g.name: g.title for g in guides()}["how-a6sim-counts"] == "How a6sim counts"
    for name in ("economics", "economics.md", "docs/economics.md"):
        assert find_guide(name).path == GUIDE_DIR / "economics.md"
    assert find_guide("README.md").name == find_guide("readme").name == "readme"
    for bad in ("../pyproject.toml", "../README", "/etc/passwd", "nosuch", "economics/../lessons"):
        assert find_guide(bad) is None, bad
    assert find_guide("readme").text().startswith("# a6sim\n")


def test_a6sim_docs_lists_and_prints_the_guides(capsys):
    assert main(["docs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "guides shipped with a6sim; print one with: a6sim docs NAME (the dashboard: /docs)"
    assert out[1:] == ["  readme            README: commands, file formats, result files",
                       "  economics         The economics of a deal",
                       "  how-a6sim-counts  How a6sim counts",
                       "  lessons           Writing a lesson"]
    assert main(["docs", "economics"]) == 0
    assert capsys.readouterr().out == (ROOT / "docs" / "economics.md").read_text(encoding="utf-8")
    assert main(["docs", "../pyproject.toml"]) == 2
    assert capsys.readouterr().err == ("a6sim: docs ../pyproject.toml: no such guide (there are: readme, economics, "
                                       "how-a6sim-counts, lessons)\n")


def test_guide_markdown_for_the_web_links_guides_and_drops_what_is_not_shipped():
    from a6sim.dashboard.pages.guides import for_web
    names = {"readme", "economics", "how-a6sim-counts", "lessons"}
    text = ("See [economics.md](economics.md), (docs/how-a6sim-counts.md, para 7), `docs/lessons.md`, "
            "`a6sim docs x.md`, ![shot](docs/images/ndc.png)[Executors](#executors), [file](scenarios/a.yaml), "
            "[UNFCCC](https://unfccc.int/a.md), README.md<!-- hidden -->\n```\ndocs/economics.md\n```\n")
    assert for_web(text, names) == (
        "See [economics.md](/docs/economics), ([docs/how-a6sim-counts.md](/docs/how-a6sim-counts), para 7), "
        "[`docs/lessons.md`](/docs/lessons), `a6sim docs x.md`, Executors, file, "
        "[UNFCCC](https://unfccc.int/a.md), [README.md](/docs/readme)\n```\ndocs/economics.md\n```\n")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from a6sim.dashboard import create_app
    return create_app(tmp_path_factory.mktemp("cache"))


def _page(app, path, current=None):
    from a6sim.dashboard.app import render_page
    return render_page(path, app.run_store, app.library, None, None, None, current, None)


def test_the_dashboard_shows_every_guide(app):
    index = _json(_page(app, "/docs"))
    for g in guides():
        assert f'"href": "/docs/{g.name}"' in index and g.title in index
    page = _json(_page(app, "/docs/how-a6sim-counts"))
    assert '"id": "guide-text"' in page and "a6sim docs how-a6sim-counts" in page
    # its link to the economics guide points at that page
    assert "[economics.md](/docs/economics)" in page
    for bad in ("/docs/nosuch", "/docs/../pyproject.toml", "/docs/economics/x"):
        assert "No guide named" in _json(_page(app, bad)), bad
    # Flask answers the page (Dash's single-page shell) like every other path
    assert app.server.test_client().get("/docs/economics").status_code == 200


def test_the_economics_and_integrity_pages_link_the_shipped_guides(app):
    run = app.run_store.run(a6sim.load_scenario(EXAMPLES_DIR / "two_party_basic.yaml"))   # no cost curves
    econ = _json(_page(app, "/economics", run.key))
    assert "No party of this scenario has an abatement cost curve" in econ
    assert '"href": "/docs/economics"' in econ and "a6sim docs economics" in econ
    costs = app.run_store.run(a6sim.load_scenario(EXAMPLES_DIR / "china_ccer_costs.yaml"))
    assert '"href": "/docs/economics"' in _json(_page(app, "/economics", costs.key))
    assert '"href": "/docs/how-a6sim-counts"' in _json(_page(app, "/integrity", run.key))
    for page in (econ, _json(_page(app, "/integrity", run.key))):
        assert not re.search(r"docs/[\w-]+\.md", page)


def _user_texts():
    """What a user of the installed package reads: every command's help, the JSON Schema,
    the bundled example and lesson files."""
    parser = _parser()
    out = [("a6sim", parser.format_help())]
    for name, sub in parser._subparsers._group_actions[0].choices.items():
        out.append((f"a6sim {name}", sub.format_help()))
        for action in sub._actions:
            if isinstance(action.choices, dict):   # sub-commands: a6sim lesson run, ...
                for nested, parser_of in action.choices.items():
                    out.append((f"a6sim {name} {nested}", parser_of.format_help()))
    from a6sim.scenario.schema import json_schema_text
    out.append(("a6sim schema", json_schema_text()))
    for path in sorted(EXAMPLES_DIR.rglob("*.yaml")):
        out.append((path.name, path.read_text(encoding="utf-8")))
    return out


def test_no_user_facing_text_points_at_a_file_that_is_not_shipped():
    # before: "see docs/economics.md" in the Economics page, the lesson help, the schema's
    # abatement_cost description and three bundled scenarios; an installed a6sim has no docs/
    names = {g.name for g in guides()}
    for where, text in _user_texts():
        assert not re.search(r"docs/[\w-]+\.md", text), where
        for name in re.findall(r"a6sim docs ([\w-]+)", text):
            assert name in names, f"{where}: a6sim docs {name}"
