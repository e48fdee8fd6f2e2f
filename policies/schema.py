"""The policy JSON Schema, generated from the pydantic model so it cannot drift from what the
loader accepts. Editors use it for completion and inline errors (YAML language server:
`# yaml-language-server: $schema=policy.schema.json`)."""

from __future__ import annotations

import json
from typing import Any

from datamin.policies.model import Policy


def policy_schema() -> dict[str, Any]:
    schema = Policy.model_json_schema(by_alias=True)
    # A policy that `extends` another may leave out what its base declares.
    schema["required"] = ["version"]
    schema["anyOf"] = [
        {"required": ["extends"]},
        {"required": ["name", "retention"]},
    ]
    # An entity's action may be written as just its name (`PHONE_NUMBER: pseudonymize`).
    entities = schema["properties"]["entities"]
    spec = entities["additionalProperties"]
    entities["additionalProperties"] = {
        "anyOf": [{"enum": sorted(spec["discriminator"]["mapping"])}, spec]
    }
    schema["title"] = "datamin policy"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(policy_schema(), indent=2, sort_keys=False) + "\n"
