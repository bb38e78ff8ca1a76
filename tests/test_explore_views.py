"""Explore page figures, from a small sweep's tables (no browser)."""
import math

import diskcache
import pytest

from a6sim.dashboard.explore_store import get_sweep, run_sweep, sweep_spec
from a6sim.dashboard.views import explore as ev


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    cache = diskcache.Cache(str(tmp_path_factory.mktemp("c")))
    return get_sweep(cache, run_sweep(cache, sweep_spec("price_cap_grid.yaml", 5), None, 1))


def test_probability_heat_map_has_one_cell_per_grid_point(grid):
    fig = ev.probability_figure(grid.summary, "parties.CHE.met")
    heat = fig.data[0]
    assert list(heat.x) == ["15", "25", "35"]                     # the first lever: price
    assert list(heat.y) == [f"che-gha cap {c}" for c in (2, 3, 4, 5)]
    s = grid.summary[grid.summary.outcome == "parties.CHE.met"]
    want = s[(s["lever:agreements.che-gha.price"] == 25) & (s["lever:agreements.che-gha.cap"] == 4)]
    assert heat.z[2][1] == want["probability"].iloc[0]


def test_fan_chart_bands_hold_the_runs_and_show_the_target(grid):
    fig = ev.fan_chart(grid.runs, "GHA", 0, grid.targets)
    names = [t.name for t in fig.data]
    assert names[-2:] == ["Trajectory", "Target"] or "Trajectory" in names
    median = next(t for t in fig.data if t.name == "Median")
    runs = grid.runs[grid.runs.grid == 0]
    # the median of 2021 across the runs: Ghana's 2021 balance (40 Mt, no vintage yet issued)
    assert median.y[0] == runs["parties.GHA.balance.2021"].median() == 40_000_000
    assert list(median.x) == list(range(2021, 2032))


def test_gap_histogram_counts_the_missed_share(grid):
    fig = ev.gap_histogram(grid.runs, grid.parties, 0)
    runs = grid.runs[grid.runs.grid == 0]
    missed = (runs["parties.CHE.gap"] > 0).mean()
    assert fig.data[0].name == f"CHE (missed in {missed:.0%})"
    assert len(fig.data[0].x) == 5


def test_tornado_lists_the_drawn_inputs(grid):
    fig = ev.tornado_figure(grid.runs, "used", 0)
    assert set(fig.data[0].y) <= {"gha-cookstoves outcome", "per-solar outcome", "tha-ebus outcome"}
    assert len(fig.data[0].y) >= 1 and not any(math.isnan(v) for v in fig.data[0].x)


def test_grid_labels_skip_levers_set_once(tmp_path):
    cache = diskcache.Cache(str(tmp_path))
    t = get_sweep(cache, run_sweep(cache, sweep_spec("buffer_adequacy.yaml", 3), None, 1))
    assert ev.grid_labels(t.summary) == {0: "slv-forest buffer_share 0.02", 1: "slv-forest buffer_share 0.04",
                                         2: "slv-forest buffer_share 0.1", 3: "slv-forest buffer_share 0.2"}
    bars = ev.probability_figure(t.summary, "buffer_dry").data[0]
    assert list(bars.x) == ["0.02", "0.04", "0.1", "0.2"]


def test_a_lever_with_a_null_value_is_a_dimension_of_the_grid(tmp_path):
    # delivery_risk: price [10, 20, 40] x cap [null, 8] = 6 grid points. A null cap (no cap)
    # must count as a value of its own: counted as "missing", the cap looked set once, the six
    # points got three labels ("che-gha price 10" twice) and the heat map fell back to bars,
    # two stacked per price (88% + 88% drawn past the 110% top of the axis).
    cache = diskcache.Cache(str(tmp_path))
    t = get_sweep(cache, run_sweep(cache, sweep_spec("delivery_risk.yaml", 2), None, 1))
    labels = ev.grid_labels(t.summary)
    assert len(labels) == 6 and len(set(labels.values())) == 6
    assert labels[0] == "che-gha price 10 · che-gha cap none" and labels[1] == "che-gha price 10 · che-gha cap 8"
    heat = ev.probability_figure(t.summary, "parties.CHE.met").data[0]
    assert heat.type == "heatmap"
    assert list(heat.x) == ["10", "20", "40"] and list(heat.y) == ["che-gha cap none", "che-gha cap 8"]


def test_hazard_figures_are_named_in_the_tornado(tmp_path):
    # buffer_adequacy has one hazard (a wildfire reversal) and no drawn input: the tornado's bars
    # are that hazard's events and tonnes, named as such (they read "0 events", "0 tonnes")
    cache = diskcache.Cache(str(tmp_path))
    t = get_sweep(cache, run_sweep(cache, sweep_spec("buffer_adequacy.yaml", 40), None, 1))
    fig = ev.tornado_figure(t.runs, "parties.SLV.gap", 0)
    assert set(fig.data[0].y) <= {"hazard 1: events", "hazard 1: tonnes reversed"} and len(fig.data[0].y) >= 1
    assert "<br>" in fig.layout.xaxis.title.text      # two lines: one is cut off at half width


def test_legends_sit_at_the_bottom_of_the_figure_below_the_axis_title(grid):
    # anchored to the figure's bottom edge, not at a share of the plotting area that plotly
    # shrinks when the legend needs rows: that share rose into the "Year" title at 1280x720
    figs = [ev.fan_chart(grid.runs, "CHE", 0, grid.targets), ev.gap_histogram(grid.runs, grid.parties, 0),
            ev.tornado_figure(grid.runs, "used", 0)]
    for fig in figs:
        legend = fig.layout.legend
        assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0), fig.layout.title.text


def test_sobol_and_morris_are_offered_only_for_a_sweep_that_draws_inputs():
    # buffer_adequacy has a hazard and no uncertain input: Sobol or Morris would be refused
    # after the click ("needs at least one uncertain input"); the page offers them disabled
    from a6sim.dashboard.pages.explore import sensitivity_options
    hazard_only = sensitivity_options(sweep_spec("buffer_adequacy.yaml"))
    assert [(o["value"], o["disabled"]) for o in hazard_only] == [("none", False), ("sobol", True), ("morris", True)]
    assert hazard_only[1]["label"] == "Sobol (no uncertain input to rank)"
    drawn = sensitivity_options(sweep_spec("delivery_risk.yaml"))
    assert [(o["label"], o["disabled"]) for o in drawn] == [("none (Monte Carlo)", False), ("Sobol", False),
                                                            ("Morris", False)]


def test_a_file_that_is_no_sweep_zip_is_refused_with_what_to_upload(tmp_path):
    # The page's upload takes any file (an ``accept`` filter would drop the others
    # silently); load_zip names the file and says what it expected.
    import base64
    import io
    import zipfile

    from dash import dcc

    from a6sim.dashboard.explore_store import LoadError, load_zip
    from a6sim.dashboard.pages.explore import layout

    uploads = [c for c in layout()._traverse() if isinstance(c, dcc.Upload) and c.id == "explore-upload"]
    assert len(uploads) == 1 and getattr(uploads[0], "accept", None) is None

    cache = diskcache.Cache(str(tmp_path / "c"))
    as_upload = lambda raw: "data:application/octet-stream;base64," + base64.b64encode(raw).decode()  # noqa: E731
    with pytest.raises(LoadError, match=r"^runs\.csv: not a zip file; zip the folder that 'a6sim sweep --out DIR' wrote$"):
        load_zip(cache, as_upload(b"run,value\n1,2\n"), "runs.csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("out/summary.csv", "x\n1\n")
    with pytest.raises(LoadError, match=r"^r\.zip: not a sweep's result folder: missing runs\.parquet, "
                                        r"manifest\.json, scenario\.yaml$"):
        load_zip(cache, as_upload(buf.getvalue()), "r.zip")
