"""Numbers are finite and bounded: what passes validate runs, and summary.json is valid JSON."""
from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

import jsonschema
import pytest
import yaml

import a6sim
from a6sim.cli import main
from a6sim.scenario import ScenarioError, json_schema, scenario_from_text
from a6sim.scenario.limits import MAX_TONNES

ROOT = Path(__file__).resolve().parent.parent
BASIC = (ROOT / "scenarios" / "two_party_basic.yaml").read_text()   # units: MtCO2e
OUTCOME_LINE = BASIC.splitlines().index("    outcome: 1") + 1
PRICE_LINE = BASIC.splitlines().index("    price: 20") + 1
EMISSIONS_LINE = next(i for i, t in enumerate(BASIC.splitlines(), 1) if "emissions: {2021: 45}" in t)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_text(text, "s.yaml")
    return [str(i) for i in info.value.issues]


# Each of these passed validate and then crashed run after simulating (or wrote NaN).
@pytest.mark.parametrize("old, new, expected", [
    ("    outcome: 1\n", "    outcome: .inf\n",
     f"s.yaml:{OUTCOME_LINE}: activities.gha-cookstoves.outcome: must be a finite number, got inf"),
    ("    outcome: 1\n", "    outcome: 1.0e+308\n",
     f"s.yaml:{OUTCOME_LINE}: activities.gha-cookstoves.outcome: must be <= 1e+12, got 1e+308"),
    ("emissions: {2021: 45}", "emissions: {2021: 1.0e+15}",
     f"s.yaml:{EMISSIONS_LINE}: parties.CHE.emissions.2021: must be <= 1e+12, got 1000000000000000.0"),
    ("    price: 20\n", "    price: 1.0e+308\n",
     f"s.yaml:{PRICE_LINE}: agreements.che-gha.price: must be <= 1e+06, got 1e+308"),
    ("    price: 20\n", "    price: .nan\n",
     f"s.yaml:{PRICE_LINE}: agreements.che-gha.price: must be a finite number, got nan"),
    # the file is in MtCO2e: 1,000,001 Mt is more than 10^12 t
    ("    outcome: 1\n", "    outcome: 1000001\n",
     f"s.yaml:{OUTCOME_LINE}: activities.gha-cookstoves.outcome: must be <= 1,000,000 MtCO2e (1e+12 tCO2e), "
     "got 1000001"),
])
def test_numbers_out_of_bounds_are_refused(old, new, expected):
    assert old in BASIC
    assert problems(BASIC.replace(old, new, 1)) == [expected]


def test_a_run_at_the_bounds_writes_valid_json(tmp_path):
    # 1,000,000 Mt a year issued for ten vintages at the highest price: 10^13 t and
    # 10^19 of money, all finite; every number of summary.json is finite
    text = (BASIC.replace("    outcome: 1\n", "    outcome: 1000000\n").replace("    price: 20\n", "    price: 1000000\n")
            .replace("emissions: {2021: 45}", "emissions: {2021: 1000000}").replace("budget: 444", "budget: 1000000"))
    path = tmp_path / "max.yaml"
    path.write_text(text)
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    raw = (tmp_path / "out" / "summary.json").read_text()

    def refuse(constant):
        raise AssertionError(f"{constant} in summary.json")
    summary = json.loads(raw, parse_constant=refuse)
    assert summary["issued"] == 10 * MAX_TONNES
    assert summary["value_paid"] == pytest.approx(summary["first_transferred"] * 1e6)
    assert all(math.isfinite(v) for v in summary.values() if isinstance(v, float))


def test_seed_minus_one_is_refused(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["run", "two_party_basic", "--out", str(tmp_path / "r"), "--seed", "-1"])
    assert info.value.code == 2
    assert "--seed: -1 is not a seed (a whole number from 0 to 2^63 - 1)" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    assert problems(BASIC.replace("seed: 1", "seed: -1")) == [
        f"s.yaml:{BASIC.splitlines().index('seed: 1') + 1}: seed: must be >= 0, got -1"]


def _as_json(data):
    """YAML data as an editor's JSON view of it: dates as ISO text."""
    if isinstance(data, dict):
        return {str(k): _as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_json(v) for v in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def test_the_json_schema_accepts_what_validate_accepts():
    # an unquoted mechanism: 6.4 is a number in YAML; validate takes it, and so must the schema
    text = (ROOT / "scenarios" / "article64_project.yaml").read_text().replace('mechanism: "6.4"', "mechanism: 6.4")
    assert "mechanism: 6.4" in text
    scenario_from_text(text)
    data = yaml.safe_load(text)
    jsonschema.validate(_as_json(data), json_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_as_json(data | {"seed": -1}), json_schema())
    bad = yaml.safe_load(text.replace("mechanism: 6.4", "mechanism: 6.3"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_as_json(bad), json_schema())


def test_the_reference_states_the_bounds():
    readme = (ROOT / "README.md").read_text()
    assert "#### Limits" in readme and "at most 1e+12 tCO2e once converted" in readme
    assert a6sim.__version__


def test_quantities_nested_in_lists_and_series_are_bounded_in_tonnes():
    # The check skips fields that cannot hold a quantity; these can, nested in a
    # party's emissions series and in a list of events: in a file in MtCO2e,
    # 2,000,000 Mt (2e12 t) breaks the 1e12 t bound in both places, while the schema's
    # own bound (1e12 in the file's units) lets both through.
    data = yaml.safe_load(BASIC)
    data["parties"]["CHE"]["emissions"][2021] = 2_000_000
    data["events"] = [{"type": "reversal", "date": datetime.date(2025, 6, 1), "activity": "gha-cookstoves",
                       "quantity": 2_000_000}]
    with pytest.raises(ScenarioError) as info:
        a6sim.scenario_from_dict(data, "s.yaml")
    paths = sorted(".".join(map(str, i.path)) for i in info.value.issues)
    assert paths == ["events.0.quantity", "parties.CHE.emissions.2021"]
    assert all("must be <= 1,000,000 MtCO2e (1e+12 tCO2e), got 2000000" in i.message for i in info.value.issues)


@pytest.mark.parametrize("value, message", [
    (".inf", "must be a finite number, got inf"),
    ("2.0e+12", "must be <= 1e+12, got 2000000000000.0"),
])
def test_a_recorded_block_quantity_is_bounded_like_every_quantity(value, message):
    # format v2: a credit block of .inf units crashed validation with a traceback
    # (OverflowError converting to tonnes); it is refused at its line like any quantity
    text = (ROOT / "scenarios" / "recorded_history.yaml").read_text()
    old = "vintage: 2023, quantity: 5000,"
    line = next(i for i, t in enumerate(text.splitlines(), 1) if old in t)
    assert problems(text.replace(old, f"vintage: 2023, quantity: {value},", 1)) == \
        [f"s.yaml:{line}: issuances[0].quantity: {message}"]


def test_an_unknown_party_among_10000_gets_one_short_line():
    # every unknown id used to list every party: 10,000 parties made each message ~80 kB
    parties = ", ".join(f"P{i}: {{name: P, emissions: {{2021: 1}}}}" for i in range(10_000))
    text = ("a6sim: 1\nname: many\nperiod: {start: 2021, end: 2022}\n"
            f"parties: {{{parties}}}\n"
            "activities:\n  a: {host: XYZ, mechanism: '6.2', vintages: [2021, 2021], outcome: 1}\n")
    with pytest.raises(ScenarioError) as err:
        scenario_from_text(text, "many.yaml")
    assert [str(i) for i in err.value.issues] == [
        "many.yaml:6: activities.a.host: unknown party 'XYZ' (parties: P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, "
        "P11, ... (9,988 more))"]


def test_a_sweep_run_bounds_the_values_it_changed_in_tonnes():
    """A sweep's run re-checks the bound in tonnes only where it changed the scenario
    (scenario_for_run); a changed quantity over 1,000,000 MtCO2e (10^12 t) is refused
    there as in a file, and a change of ``units`` re-checks everything."""
    from a6sim.experiments.paths import file_data
    from a6sim.scenario import ScenarioError
    from a6sim.scenario.load import scenario_for_run
    from a6sim.resources import find_scenario
    base = a6sim.load_scenario(find_scenario("double_claiming"))
    assert base.model.units == "MtCO2e"
    data = file_data(base)
    act = next(iter(data["activities"]))
    data["activities"][act]["outcome"] = 2_000_000   # 2 million Mt = 2e12 t
    with pytest.raises(ScenarioError, match="must be <= 1,000,000 MtCO2e"):
        scenario_for_run(data, "run 1", [("activities", act, "outcome")])
    with pytest.raises(ScenarioError, match="must be <= 1,000,000 MtCO2e"):
        scenario_for_run(data, "run 1", [("units",)])
    data["activities"][act]["outcome"] = 999_999   # within the bound: accepted
    assert scenario_for_run(data, "run 1", [("activities", act, "outcome")]).model.units == "MtCO2e"
