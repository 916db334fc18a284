"""The JSON Schema of design files, generated from the models."""

from __future__ import annotations

import copy
import json
from typing import Any

from sysdesign.model import Design
from sysdesign.shorthand import LIST_SHORT_FORMS

SCHEMA_ID = "https://sysdesign.invalid/schema/design.schema.json"

# A chain string: ids joined by '->' (sync call) or '~>' (async message); see sysdesign.shorthand.
CHAIN_PATTERN = r"^\s*[^\s>~-][^>~]*?\s*((->|~>)\s*[^\s>~-][^>~]*?\s*)+$"


def design_schema() -> dict[str, Any]:
    """The long form from the models, plus the short forms sysdesign.shorthand accepts."""
    schema = Design.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sysdesign design"
    _add_short_forms(schema)
    return schema


def _add_short_forms(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    defs["Chain"] = {
        "type": "string",
        "pattern": CHAIN_PATTERN,
        "description": "Flows as a chain: 'a -> b -> c' (sync calls), 'a ~> b' (async messages).",
    }
    for holder in (schema, defs["StageAdd"]):
        flows = holder["properties"]["flows"]
        flows["items"] = {"oneOf": [{"$ref": "#/$defs/Flow"}, {"$ref": "#/$defs/Chain"}]}
        components = holder["properties"]["components"]
        components["items"] = {
            "oneOf": [{"$ref": "#/$defs/Component"}, {"$ref": "#/$defs/CompactComponent"}]
        }
    component = defs["Component"]
    compact = {
        key: copy.deepcopy(value)
        for key, value in component["properties"].items()
        if key not in ("id", "kind")
    }
    defs["CompactComponent"] = {
        "type": "object",
        "description": "A component on one line: its first key is 'ID: kind', e.g. "
        "{search: service, replicas: 8}; an id that is also a field name needs the long form.",
        "properties": compact,
        "additionalProperties": {"$ref": "#/$defs/Kind"},
        "minProperties": 1,
        "not": {"anyOf": [{"required": ["id"]}, {"required": ["kind"]}]},
    }
    for name in ("Component", "ComponentChange", "CompactComponent"):
        props = defs[name]["properties"]
        for field in LIST_SHORT_FORMS:
            _allow_single(props[field])


def _allow_single(prop: dict[str, Any]) -> None:
    """A list field that also takes one item on its own (`screens: input`)."""
    options = prop.pop("anyOf", None) or [{k: prop.pop(k) for k in ("items", "type") if k in prop}]
    extended = []
    for option in options:
        extended.append(option)
        if option.get("type") == "array":
            extended.append(option["items"])
    prop["anyOf"] = extended


def design_schema_text() -> str:
    return json.dumps(design_schema(), indent=2, sort_keys=True) + "\n"
