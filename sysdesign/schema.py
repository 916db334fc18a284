"""The JSON Schema of design files, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from sysdesign.model import Design

SCHEMA_ID = "https://sysdesign.invalid/schema/design.schema.json"


def design_schema() -> dict[str, Any]:
    schema = Design.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sysdesign design"
    return schema


def design_schema_text() -> str:
    return json.dumps(design_schema(), indent=2, sort_keys=True) + "\n"
