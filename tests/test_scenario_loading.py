"""Scenario loading: every problem of a file in one report, with file, line and field."""
from pathlib import Path

import pytest

import a6sim
from a6sim.scenario import ScenarioError, scenario_from_text

DATA = Path(__file__).parent / "data"


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_text(text, "s.yaml")
    return [str(i) for i in info.value.issues]


def test_minimal_scenario_loads_and_converts_units():
    sc = a6sim.load_scenario(DATA / "minimal.yaml")
    assert sc.name == "Minimal two-party deal"
    # units: ktCO2e -> 10 kt = 10,000 t per vintage
    assert sc.planned_outcome("wind") == {2021: 10_000, 2022: 10_000, 2023: 10_000}
    # emissions given for 2021 only: flat for every simulated year
    assert sc.emissions("HST") == {2021: 1_000_000, 2022: 1_000_000, 2023: 1_000_000, 2024: 1_000_000}
    # trajectory 1000 -> 990 kt over 3 years: 996,667 (996,666.67 rounded), 993,333, 990,000
    assert sc.trajectory("HST") == {2021: 1_000_000, 2022: 996_667, 2023: 993_333, 2024: 990_000}


def test_schema_errors_all_at_once_with_lines():
    with pytest.raises(ScenarioError) as info:
        a6sim.load_scenario(DATA / "broken.yaml")
    text = str(info.value)
    assert "broken.yaml:26: agreements.che-gha.share: must be <= 1, got 1.5" in text
    assert "broken.yaml:27: agreements.che-gha.cap: must be >= 0, got -5.0" in text
    assert len(info.value.issues) == 2


def test_semantic_errors_name_line_and_field():
    base = (DATA / "broken.yaml").read_text().replace("share: 1.5", "share: 0.5").replace("cap: -5.0", "cap: 5.0")
    found = problems(base)
    # the vintage before 2021 is on line 19
    assert found == ["s.yaml:19: activities.gha-cookstoves.vintages: vintages start in 2021 or later "
                     "(Art. 6 outcomes), got 2019"]


def test_unknown_field_is_an_error_with_the_allowed_fields():
    text = (DATA / "minimal.yaml").read_text().replace("price: 10", "prize: 10")
    [msg] = problems(text)
    assert msg.startswith("s.yaml:29: agreements.deal.prize: unknown field (allowed: seller, buyer,")


def test_invalid_yaml_names_the_line():
    [msg] = problems("a6sim: 1\nname: [unclosed\nperiod: {start: 2021}\n")
    assert msg.startswith("s.yaml:3: (top level): invalid YAML")


def test_a_tab_that_indents_a_line_is_named_as_such():
    # an editor's Tab key: libyaml says only "found character that cannot start any token"
    [msg] = problems("a6sim: 1\nname: x\nperiod:\n  start: 2021\n\tend: 2030\n")
    assert msg == ("s.yaml:5: (top level): invalid YAML: a tab at column 1: YAML indents with spaces only; "
                   "replace the tab with spaces")
    [msg] = problems("a6sim: 1\nname: x\nperiod:\n  start: 2021\n  \tend: 2030\n")
    assert "a tab at column 3" in msg
    # a tab between a key and its value is allowed by YAML, and loads
    assert problems("a6sim: 1\nname:\tx\nperiod: {start: 2021, end: 2022}\nparties: {}\n") == [
        "s.yaml:4: parties: expected a mapping with at least 1 entry, got {}"]


def test_duplicate_keys_are_refused():
    text = (DATA / "minimal.yaml").read_text().replace("    price: 10\n", "    price: 10\n    price: 12\n")
    assert problems(text) == ["s.yaml:30: agreements.deal.price: duplicate key (each key may appear once)"]


def test_yaml_cannot_execute_code():
    [msg] = problems("a6sim: 1\nname: !!python/object/apply:os.system ['echo hacked']\n")
    assert msg == "s.yaml:2: name: invalid YAML: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
    [msg] = problems("a6sim: 1\nname: !!python/name:os.system x\n")
    assert msg == "s.yaml:2: name: invalid YAML: tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"


def test_dangling_references_and_shares_above_one():
    text = """a6sim: 1
name: refs
period: {start: 2021, end: 2025}
parties:
  A: {name: A, emissions: {2021: 10}, ndc: {type: multi-year, period: [2021, 2025], budget: 40}}
  B: {name: B, emissions: {2021: 10}}
activities:
  x: {host: A, mechanism: "6.2", vintages: [2021, 2022], outcome: 1}
  y: {host: Z, mechanism: "6.2", vintages: [2021, 2022], outcome: 1}
agreements:
  g1: {seller: A, buyer: B, activities: [x, nope], share: 0.7}
  g2: {seller: A, buyer: Q, activities: [x], share: 0.6}
events:
  - {date: 2023-01-01, type: revoke-authorisation, agreement: g9}
"""
    found = problems(text)
    assert found == [
        "s.yaml:9: activities.y.host: unknown party 'Z' (parties: A, B)",
        "s.yaml:11: agreements.g1.activities[1]: unknown activity 'nope'",
        "s.yaml:11: agreements.g1.use.purpose: buyer 'B' has no ndc to use units towards",
        "s.yaml:12: agreements.g2.buyer: unknown party or entity 'Q'",
        "s.yaml:12: agreements.g2.share: agreements drawing on activity 'x' take shares summing to 1.3 > 1: "
        "g1 (0.7), g2 (0.6)",
        "s.yaml:14: events[0].agreement: unknown agreement 'g9'",
    ]


def test_ndc_fields_must_match_type_and_method():
    text = """a6sim: 1
name: ndc
period: {start: 2021, end: 2030}
parties:
  A:
    name: A
    emissions: {2021: 10}
    ndc:
      type: multi-year
      period: [2021, 2030]
      budget: 90
      targets: {2021: 10, 2030: 8}
      target_year: 2030
  B:
    name: B
    emissions: {2021: 10}
    ndc: {type: single-year, period: [2019, 2030], target_year: 2031, target: 9, method: trajectory,
          averaging_divisor: period}
"""
    found = problems(text)
    assert found == [
        "s.yaml:8: parties.A.ndc: a multi-year NDC needs exactly one of budget (period sum) or targets (per year)",
        "s.yaml:13: parties.A.ndc.target_year: only for a single-year NDC (type: single-year)",
        "s.yaml:17: parties.B.ndc.period: NDC period 2019-2030 must start inside the simulated period 2021-2030 "
        "(it may end after it: attainment is then not yet assessed)",
        "s.yaml:17: parties.B.ndc.target_year: must lie inside the NDC period 2019-2030",
        "s.yaml:17: parties.B.ndc.trajectory: required for method: trajectory (the indicative multi-year path)",
        "s.yaml:18: parties.B.ndc.averaging_divisor: applies only to method: averaging",
    ]


def test_unquoted_mechanism_is_accepted():
    text = (DATA / "minimal.yaml").read_text().replace('mechanism: "6.2"', "mechanism: 6.2")
    assert scenario_from_text(text).model.activities["wind"].mechanism == "6.2"


def test_seed_and_digest():
    sc = a6sim.load_scenario(DATA / "minimal.yaml")
    other = sc.with_seed(9)
    assert (sc.seed, other.seed) == (0, 9)
    assert sc.digest != other.digest and sc == a6sim.load_scenario(DATA / "minimal.yaml")


def test_roundtrip_to_dict():
    sc = a6sim.load_scenario(DATA / "minimal.yaml")
    assert a6sim.scenario_from_dict(sc.to_dict()) == sc


def test_json_schema_forbids_unknown_fields():
    schema = a6sim.scenario.json_schema()
    assert schema["additionalProperties"] is False
    assert "agreements" in schema["properties"]
    assert schema["$defs"]["Agreement"]["additionalProperties"] is False


def test_vintages_before_the_simulated_period_are_refused():
    text = (DATA / "minimal.yaml").read_text().replace(
        "period: {start: 2021, end: 2024}", "period: {start: 2022, end: 2024}").replace(
        "period: [2021, 2024]", "period: [2022, 2024]").replace("2021-06-01", "2022-06-01")
    assert problems(text) == [
        "s.yaml:19: activities.wind.vintages: first vintage 2021 is before the simulated period 2022-2024: its "
        "outcome and adjustments would fall in a year a6sim does not account for"]


def test_deductions_above_the_whole_issuance_are_refused():
    text = (DATA / "minimal.yaml").read_text().replace(
        "    use: {policy: on-receipt}", "    use: {policy: on-receipt}\n    sop: {units: 0.6}\n    omge: {units: 0.5}")
    assert problems(text) == ["s.yaml:32: agreements.deal.omge.units: sop.units + omge.units = 1.1 takes more "
                              "than the whole tranche (at most 1)"]
    text = (DATA / "minimal.yaml").read_text().replace(
        'mechanism: "6.2"', 'mechanism: "6.4"\n    kind: removal\n    buffer_share: 0.95')
    assert problems(text) == ["s.yaml:20: activities.wind.buffer_share: share of proceeds, OMGE and buffer "
                              "take 1.02 of each issuance (at most 1)"]


def test_share_of_proceeds_needs_an_authorisation():
    text = (DATA / "minimal.yaml").read_text().replace(
        "    authorisation: {date: 2021-06-01, purpose: NDC}\n", "").replace(
        "    use: {policy: on-receipt}", "    use: {policy: on-receipt, purpose: NDC}\n    omge: {units: 0.02}")
    assert problems(text) == ["s.yaml:30: agreements.deal.omge: share of proceeds and OMGE apply to authorised "
                              "units; this agreement has no authorisation"]


def test_json_schema_accepts_every_bundled_scenario_and_refuses_typos():
    # what an editor does with `a6sim schema`: validate the YAML as JSON data
    import json

    import jsonschema
    import yaml

    schema = a6sim.scenario.json_schema()
    for path in sorted((DATA.parent.parent / "scenarios").glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        jsonschema.validate(data, schema)
    data = json.loads(json.dumps(yaml.safe_load((DATA / "minimal.yaml").read_text()), default=str))
    data["agreements"]["deal"]["prize"] = 10
    with pytest.raises(jsonschema.ValidationError, match="'prize' was unexpected"):
        jsonschema.validate(data, schema)


def test_an_entity_country_that_is_no_alpha_3_code_says_so():
    # "BA" is two letters: the message names the field and asks for what the schema wants
    # (three capital letters), not for "letters, digits, '-', '_' or '.'", which BA is.
    text = (DATA / "minimal.yaml").read_text() + "entities:\n  air: {name: Air, kind: oimp-user, country: BA}\n"
    [msg] = problems(text)
    assert msg.endswith("entities.air.country: expected an ISO 3166 alpha-3 code: three capital letters, "
                        "e.g. SGP, got 'BA'")


def test_a_party_without_an_ndc_may_buy_to_hold():
    # use policy never: the buyer only holds (banking, or resale to a third party), so
    # having no NDC to use units towards is no problem; with any other policy it is.
    base = """a6sim: 1
name: hold
period: {start: 2021, end: 2022}
parties:
  A: {name: A, emissions: {2021: 100}}
  B: {name: B, emissions: {2021: 100}}
activities:
  x: {host: A, mechanism: "6.2", vintages: [2021, 2021], outcome: 10, issuance_lag_days: 0}
agreements:
  g: {seller: A, buyer: B, activities: [x], authorisation: {date: 2021-01-01, purpose: NDC}, use: {policy: POLICY}}
"""
    r = a6sim.simulate(scenario_from_text(base.replace("POLICY", "never"), "s.yaml"))
    assert (r.summary["first_transferred"], r.summary["used"], r.summary["held"]) == (10, 0, 10)
    assert problems(base.replace("POLICY", "year-end")) == [
        "s.yaml:10: agreements.g.use.purpose: buyer 'B' has no ndc to use units towards"]


def test_a_name_that_is_no_file_and_no_bundled_scenario_says_so(tmp_path, monkeypatch, capsys):
    # `a6sim run two_party_basc` and a6sim.simulate("two_party_basc") said only
    # "cannot read file: No such file or directory"; the sweep command names its bundled sweeps
    import a6sim
    from a6sim.cli import main
    monkeypatch.chdir(tmp_path)
    assert main(["run", "two_party_basc", "--out", "r"]) == 2
    err = capsys.readouterr().err
    assert "two_party_basc: (top level): no scenario file of that name and no bundled scenario (bundled " \
           "scenarios: article64_project, averaging_pitfall," in err and "see: a6sim examples)" in err
    assert not (tmp_path / "r").exists()
    with pytest.raises(a6sim.ScenarioError, match="is a bundled sweep, not a scenario: run it with "
                                                  "`a6sim sweep buffer_adequacy --out DIR`"):
        a6sim.simulate("buffer_adequacy")
