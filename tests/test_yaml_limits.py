"""Malformed YAML is bad input: a located message, in bounded time and memory, never a Python error.

Each test is a reproducer of a crash or a hang found by mutating the bundled scenarios.
"""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

import a6sim
from a6sim.scenario import ScenarioError, scenario_from_text
from a6sim.scenario.yamlread import ALIAS_NODE_BUDGET, LOADER, MAX_DEPTH, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
BASIC = (ROOT / "scenarios" / "two_party_basic.yaml").read_text()


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_text(text, "s.yaml")
    return [str(i) for i in info.value.issues]


def test_the_c_parser_is_used():
    import yaml
    assert LOADER is yaml.CSafeLoader


# 362 bytes, 10 levels of 10 aliases each: a billion nodes once expanded
BILLION_LAUGHS = "a6sim: 1\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def test_an_alias_bomb_is_refused_at_its_line_at_once():
    start = time.process_time()
    [msg] = problems(BILLION_LAUGHS)
    assert time.process_time() - start < 5   # was 60 s and 3.7 GB
    # a: 10 nodes, b: 9 x 10 + 1 = 91, c: 820, d: 7,381, e: 66,430 -> over 100,000 during f
    assert msg.startswith("s.yaml:7: f[")
    assert msg.endswith(f"aliases expand to more than {ALIAS_NODE_BUDGET:,} nodes in all (an alias bomb?); "
                        "write the values out")


def test_aliases_within_the_budget_are_expanded_into_copies():
    data, lines = parse_yaml("x: &p {a: 1, b: [2, 3]}\ny: *p\nz: *p\n")
    assert data == {"x": {"a": 1, "b": [2, 3]}, "y": {"a": 1, "b": [2, 3]}, "z": {"a": 1, "b": [2, 3]}}
    assert data["y"] is not data["x"] and data["y"]["b"] is not data["z"]["b"]
    assert lines[("y",)] == 2 and lines[("z",)] == 3


def test_merge_keys_keep_their_meaning():
    data, _ = parse_yaml("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n")
    assert data["m"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("text, line, field", [
    ("a6sim: 1\nx: &a [1, *a]\n", 2, "x[1]"),
    ("a6sim: 1\nx: &a\n  k: *a\n", 3, "x.k"),
])
def test_a_recursive_alias_is_refused(text, line, field):
    [msg] = problems(text)
    assert msg == f"s.yaml:{line}: {field}: alias *a is used inside its own anchor &a (a recursive alias)"


def test_an_alias_to_nothing_is_refused():
    assert problems("a6sim: 1\nx: *nope\n") == ["s.yaml:2: x: alias *nope names no anchor defined before it"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 200_000])
def test_deep_flow_nesting_is_refused_not_a_recursion_error(depth):
    [msg] = problems("a6sim: 1\nname: " + "[" * depth + "]" * depth + "\n")
    assert msg == f"s.yaml:2: name[0][0]: nesting deeper than {MAX_DEPTH} levels is not allowed"


def test_deep_block_nesting_is_refused():
    text = "a6sim: 1\nx:\n" + "".join(" " * (i + 1) + "- \n" for i in range(3_000))
    [msg] = problems(text)
    # the root mapping is level 1, x's list (line 3) level 2, the list of line k level k - 1:
    # level 65 opens on line 66
    assert msg == f"s.yaml:{MAX_DEPTH + 2}: x[0][0]: nesting deeper than {MAX_DEPTH} levels is not allowed"


def test_aliases_cannot_build_nesting_past_the_limit():
    # each anchor nests the previous one 40 levels deeper: within the node budget, not the depth
    text = "a0: &a0 1\n" + "".join(f"a{i}: &a{i} {'[' * 40}*a{i - 1}{']' * 40}\n" for i in range(1, 4))
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "s.yaml")
    assert f"nests deeper than {MAX_DEPTH} levels" in str(info.value)


def test_impossible_dates_are_refused_with_their_lines():
    text = BASIC.replace("initial_report: 2022-03-01", "initial_report: 2021-02-30")
    line = BASIC.splitlines().index("    initial_report: 2022-03-01") + 1
    assert problems(text) == [f"s.yaml:{line}: parties.GHA.initial_report: expected a date like 2022-06-01, "
                              "got '2021-02-30' (day is out of range for month)"]
    assert problems("a6sim: 1\nd: 2022-13-01\n") == [
        "s.yaml:2: d: expected a date like 2022-06-01, got '2022-13-01' (month must be in 1..12)"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\ud800"])
def test_nul_control_characters_and_lone_surrogates_are_refused_with_the_line(char):
    code = f"U+{ord(char):04X}"
    assert problems(f"a6sim: 1\nname: a{char}b\n") == [
        f"s.yaml:2: (top level): character {code} is not allowed in YAML "
        "(control characters, NUL and lone surrogates are refused)"]


def test_an_integer_of_more_than_4300_digits_is_refused():
    assert problems("a6sim: 1\nseed: " + "9" * 5000 + "\n") == [
        "s.yaml:2: seed: expected a whole number, got '9999999999999999999999999999999999999...' "
        "(more than 4,300 digits)"]


def test_bad_number_tags_are_refused():
    assert problems("a6sim: 1\nseed: !!float abc\nx: !!int 1.5\n") == [
        "s.yaml:2: seed: expected a number, got 'abc' (could not convert string to float: 'abc')",
        "s.yaml:3: x: expected a whole number, got '1.5' (invalid literal for int() with base 10: '1.5')"]


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a}", "!custom x", "!!python/tuple [1]"])
def test_other_tags_are_refused(tag):
    [msg] = problems(f"a6sim: 1\nname: {tag}\n")
    assert msg.startswith("s.yaml:2: name: invalid YAML: tag ") and msg.endswith(" is not allowed")


def test_non_utf8_names_the_line_not_a_byte_offset(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASIC.replace("Ghana", "Gh\u00e2na", 1).encode("latin-1"))
    line = next(i for i, text in enumerate(BASIC.splitlines(), 1) if "Ghana" in text)
    col = BASIC.splitlines()[line - 1].index("Ghana") + 3
    with pytest.raises(ScenarioError) as info:
        a6sim.load_scenario(path)
    assert [str(i) for i in info.value.issues] == [
        f"{path}:{line}: (top level): not UTF-8 text: byte 0xe2 at column {col} (save the file as UTF-8)"]


def test_keys_that_are_lists_or_mappings_are_refused():
    assert problems("a6sim: 1\n? [a, b]\n: 1\n{c: 1}: 2\n") == [
        "s.yaml:2: (top level): keys must be plain words or numbers",
        "s.yaml:4: (top level): keys must be plain words or numbers"]


def test_a_second_document_and_an_empty_file_are_refused():
    assert problems("a6sim: 1\n---\na: 2\n") == [
        "s.yaml:2: (top level): expected a single document in the file (found a second '---')"]
    assert problems("") == ["s.yaml:1: (top level): the file is empty; expected a mapping starting with 'a6sim: 1'"]
    assert problems("# only a comment\n") == [
        "s.yaml:1: (top level): the file is empty; expected a mapping starting with 'a6sim: 1'"]


def test_a_utf8_byte_order_mark_is_accepted():
    assert scenario_from_text("\ufeff" + BASIC).name == a6sim.load_scenario(ROOT / "scenarios/two_party_basic.yaml").name


def test_values_and_lines_are_those_of_the_yaml_text():
    data, lines = parse_yaml("a: 1\nb:\n  - 2021-06-01\n  - [x, 'y']\nc: {d: null, e: 1.5, f: true}\n")
    assert data == {"a": 1, "b": [datetime.date(2021, 6, 1), ["x", "y"]], "c": {"d": None, "e": 1.5, "f": True}}
    assert lines == {(): 1, ("a",): 1, ("b",): 2, ("b", 0): 3, ("b", 1): 4, ("b", 1, 0): 4, ("b", 1, 1): 4,
                     ("c",): 5, ("c", "d"): 5, ("c", "e"): 5, ("c", "f"): 5}


def _bigger_than_the_old_cap() -> str:
    """The basic scenario with a 6 MB description (the old limit was 5 MB)."""
    filler = "  " + "a deal between two parties, written out at length. " * 20 + "\n"
    body = filler * (6_000_000 // len(filler) + 1)
    return BASIC.replace("description: >\n", "description: >\n" + body, 1)


def test_a_file_above_the_old_5_mb_cap_loads(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(_bigger_than_the_old_cap())
    assert path.stat().st_size > 6_000_000
    assert a6sim.load_scenario(path).name.startswith("Two-party basic deal")


def test_many_errors_are_reported_in_linear_time():
    # 4,000 activities with two errors each: 8,000 issues (this took minutes when the
    # report compared every error's path with every other's)
    acts = "".join(f"  bad{i}: {{host: GHA, mechanism: '6.2', vintages: [2021, 2022], outcome: x{i}, colour: red}}\n"
                   for i in range(4_000))
    text = BASIC.replace("\nactivities:\n", "\nactivities:\n" + acts, 1)
    start = time.process_time()
    found = problems(text)
    assert len(found) == 8_000
    assert time.process_time() - start < 30
    first = BASIC.splitlines().index("activities:") + 2
    assert found[0].startswith(f"s.yaml:{first}: activities.bad0.colour: unknown field (allowed: host, mechanism,")
    assert found[1] == f"s.yaml:{first}: activities.bad0.outcome: expected a number or a mapping (key: value), got 'x0'"
    assert found[-1] == (f"s.yaml:{first + 3_999}: activities.bad3999.outcome: expected a number or a mapping "
                         "(key: value), got 'x3999'")
