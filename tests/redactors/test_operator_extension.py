"""Operators are an extension point: a new one is one module and one `register` call, and then
a policy may name it as a field rule and as an entity action, its rules are checked by its own
hook, and `datamin.minimize` runs it. The registry is restored after each test."""

from __future__ import annotations

import importlib.util
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import ValidationError

import datamin
from datamin.policies.model import Policy
from datamin.policies.schema import policy_schema
from datamin.redactors.operators import OPERATORS, registry

KEY = b"a test key for operators, 32 b++"

# The whole addition: this module's text, as a user would write it in a file of their own.
TRUNCATE = textwrap.dedent(
    '''
    """truncate: keep the first few characters of a value, and say that more was cut."""

    from typing import Literal

    from pydantic import Field

    from datamin.redactors.operators import Operator, OperatorContext, OperatorParams


    class TruncateParams(OperatorParams):
        action: Literal["truncate"] = "truncate"
        keep: int = Field(default=2, ge=0, le=8)


    class Truncate(Operator):
        name = "truncate"
        params_model = TruncateParams
        params: TruncateParams
        rule_doc = "The first `keep` characters of the value."

        @classmethod
        def check_rule(cls, type, entity):
            if type != "string":
                raise ValueError("a truncated value is text: a truncate rule's type is string")

        def apply(self, value: str, ctx: OperatorContext) -> str | None:
            return value[: self.params.keep] + "~" + (ctx.entity or "")
    '''
)


def _module(tmp_path: Path) -> ModuleType:
    path = tmp_path / "truncate_operator.py"
    path.write_text(TRUNCATE)
    spec = importlib.util.spec_from_file_location("truncate_operator", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def truncate(tmp_path: Path) -> Iterator[ModuleType]:
    module = _module(tmp_path)
    registry.register(module.Truncate)  # the one registration line
    try:
        yield module
    finally:
        registry.unregister("truncate")


def _policy(**more: object) -> dict[str, object]:
    return {
        "version": 1,
        "name": "ext",
        "retention": {"default": "short", "classes": {"short": "7d"}},
        **more,
    }


FIELDS = [
    {"path": "ref", "action": "truncate", "keep": 3, "column": "ref"},
    {"path": "note", "action": "scan", "column": "note"},
]


def test_a_registered_operator_runs_as_field_rule_and_entity_action(
    truncate: ModuleType, tmp_path: Path
) -> None:
    policy = tmp_path / "ext.json"  # JSON is YAML: the loader reads it as a policy file
    policy.write_text(json.dumps(_policy(entities={"EMAIL_ADDRESS": "truncate"}, fields=FIELDS)))
    record = {"ref": "ORD-99812-XK", "note": "reply to ann.lee@example.com please"}
    result = datamin.minimize(record, policy=policy, key=KEY, ner=False)
    assert result["status"] == "written"
    row = result["rows"]["short"]
    assert row["ref"] == "ORD~"  # the field rule: no entity named, `keep: 3`
    assert row["note"] == "reply to an~EMAIL_ADDRESS please"  # the span, with its entity


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        # a credential takes only an operator that says it is safe for credentials
        (_policy(entities={"API_KEY": "truncate"}), "only redact, mask or drop apply"),
        # the operator's own rule check
        (_policy(fields=[{**FIELDS[0], "type": "int64"}]), "truncate rule's type is string"),
        # its parameters are typed as its params model says
        (_policy(fields=[{**FIELDS[0], "keep": 99}]), "less than or equal to 8"),
        (_policy(entities={"EMAIL_ADDRESS": {"action": "truncate", "nope": 1}}), "nope"),
    ],
)
def test_a_registered_operator_is_checked_like_a_built_in_one(
    truncate: ModuleType, policy: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Policy.model_validate(policy)


def test_the_schema_and_registry_follow_registration(tmp_path: Path) -> None:
    before = policy_schema()
    assert "truncate" not in OPERATORS
    with pytest.raises(ValidationError):
        Policy.model_validate(_policy(fields=FIELDS))
    module = _module(tmp_path)
    registry.register(module.Truncate)
    try:
        schema = policy_schema()
        assert "TruncateRule" in schema["$defs"]
        assert schema["$defs"]["TruncateRule"]["description"].startswith("The first `keep`")
        assert (
            "truncate"
            in schema["properties"]["entities"]["additionalProperties"]["anyOf"][0]["enum"]
        )
        assert Policy.model_validate(_policy(fields=FIELDS)).fields[0].action == "truncate"
    finally:
        registry.unregister("truncate")
    assert policy_schema() == before  # gone again: other tests see the built-in operators
    with pytest.raises(ValidationError):
        Policy.model_validate(_policy(fields=FIELDS))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("mask", "already registered"),  # a built-in name is taken
        ("keep", "other than"),  # field-rule actions that are not operators
        ("scan", "other than"),
    ],
)
def test_a_name_that_would_clash_is_refused(tmp_path: Path, name: str, message: str) -> None:
    op = _module(tmp_path).Truncate
    clash = type("Clash", (op,), {"name": name})
    with pytest.raises(ValueError, match=message):
        registry.register(clash)
    assert OPERATORS["mask"].__name__ == "Mask"


def test_params_must_name_the_operator(tmp_path: Path) -> None:
    op = _module(tmp_path).Truncate
    with pytest.raises(ValueError, match="must default to 'trim'"):
        registry.register(type("Trim", (op,), {"name": "trim"}))
    assert "trim" not in OPERATORS


def test_a_built_in_operator_cannot_be_unregistered() -> None:
    with pytest.raises(ValueError, match="built-in"):
        registry.unregister("tokenize")
    assert "tokenize" in OPERATORS
