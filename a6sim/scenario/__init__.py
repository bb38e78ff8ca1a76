"""Scenario files: loading, validation, the schema (format version 1)."""
from .errors import Issue, ScenarioError
from .load import load_scenario, scenario_from_dict, scenario_from_text
from .model import ScenarioModel
from .scenario import Scenario
from .schema import json_schema

__all__ = ["Issue", "Scenario", "ScenarioError", "ScenarioModel", "json_schema",
           "load_scenario", "scenario_from_dict", "scenario_from_text"]
