"""JSON Schema of the scenario format, for editors that autocomplete YAML."""
from __future__ import annotations

import json

from .model import ScenarioModel

__all__ = ["json_schema", "json_schema_text"]


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of scenario format version 1."""
    schema = ScenarioModel.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "a6sim scenario, format version 1"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
