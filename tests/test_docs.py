"""The README's generated parts match the code; every command has its help."""
from pathlib import Path

from a6sim.cli import _parser
from a6sim.scenario.reference import BEGIN, END, reference_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_scenario_reference_is_current():
    section = README.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section.strip() == reference_markdown().strip(), "run: python -m a6sim.scenario.reference --update README.md"


def test_readme_quickstart_has_the_two_commands():
    assert "pip install -e . && a6sim run scenarios/two_party_basic.yaml --out out/basic" in README
    assert "pip install -e '.[test]' && python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && python -m pytest" in ci


def test_every_command_is_documented():
    parser = _parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"a6sim {name}" in README
        assert sub.description, name
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings}"
                assert any(opt in README for opt in action.option_strings), f"{name} {action.option_strings}"


def test_every_bundled_scenario_is_listed_in_the_readme():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert f"`{path.name}`" in README, f"{path.name} is missing from the README's scenario table"
