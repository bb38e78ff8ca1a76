"""Messages for a wrong sweep file name the sweep's own fields, as the user writes them."""
import pytest

from a6sim.experiments import SweepError, load_sweep, sweep_from_text


def _issues(text: str) -> list[str]:
    with pytest.raises(SweepError) as exc:
        sweep_from_text(text, "s.yaml")
    return [str(i) for i in exc.value.issues]


def test_unknown_field_lists_the_version_key_as_written():
    # the version key is spelt a6sim-sweep in files; the hint must not show the Python name a6sim_sweep
    issues = _issues("a6sim-sweep: 1\nname: n\nscenario: two_party_basic\nlevrs: {}\n")
    assert len(issues) == 1
    assert issues[0].startswith("s.yaml:4: levrs: unknown field (allowed: a6sim-sweep, name, description,")
    assert "a6sim_sweep" not in issues[0]


def test_an_empty_sweep_file_asks_for_the_sweep_version_key(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SweepError) as exc:
        load_sweep(empty)
    [issue] = exc.value.issues
    assert issue.line == 1
    assert issue.message == "the file is empty; expected a mapping starting with 'a6sim-sweep: 1'"


def test_a_scenario_file_given_as_a_sweep_is_told_so():
    # a scenario (a6sim: 1, parties, ...) instead of a sweep: one message, not one per scenario field
    issues = _issues("a6sim: 1\nname: n\nparties: {}\nperiod: {start: 2021, end: 2030}\n")
    assert issues == ["s.yaml:1: a6sim: this is a scenario file, not a sweep; run it with `a6sim run`, "
                      "or write a sweep file starting with 'a6sim-sweep: 1' that names it in `scenario:`"]


def test_a_bundled_scenario_s_name_or_a_typo_given_as_a_sweep(tmp_path, monkeypatch):
    # `a6sim sweep two_party_basic` said only "cannot read file: No such file or directory"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SweepError) as exc:
        load_sweep("two_party_basic")
    [issue] = [str(i) for i in exc.value.issues]
    assert issue.startswith("two_party_basic: (top level): is a bundled scenario, not a sweep: run it with "
                            "`a6sim run two_party_basic --out DIR`")
    assert "bundled sweeps: buffer_adequacy, delivery_risk, price_cap_grid" in issue
    with pytest.raises(SweepError) as exc:
        load_sweep("delivery_rsk")
    assert str(exc.value.issues[0]).startswith("delivery_rsk: (top level): no sweep file of that name and no "
                                               "bundled sweep (bundled sweeps: buffer_adequacy, delivery_risk,")
