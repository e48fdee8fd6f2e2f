"""What `policy check` says of a mistake: the file, the line and the key, in the policy's words
(never pydantic's), one line each, with a "did you mean" where a name was mistyped. The actions
a message lists come from the operator registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from datamin.policies.loader import check_policy
from datamin.redactors.operators import Operator, OperatorContext, OperatorParams, registry

HEAD = (
    "version: 1\nname: t\nretention:\n  default: debug\n"
    "  classes: {debug: 7d, analytics: 90d}\ndetection: {ner: false}\n"
)  # 6 lines: what a test adds starts at line 7
FIELD_ACTIONS = "actions: keep, scan, drop, redact, mask, pseudonymize, generalize, tokenize"
SPAN_ACTIONS = "actions: drop, redact, mask, pseudonymize, generalize"
# Pydantic's own wording, which a policy author should never have to read.
INTERNALS = (
    "discriminator",
    "Input tag",
    "Unable to extract",
    "Extra inputs",
    "Input should be a valid dictionary",
    "Tuple should",
    "Value error",
)


def errors_of(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + body)
    return [str(e).removeprefix(f"{path}:") for e in check_policy(path)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # An unknown action: its key and line, the nearest action, every action there is
        # (tokenize included: the list is the registry's).
        (
            "fields:\n  - {path: a, action: pseudonymise}\n",
            f"8: fields[0].action: unknown action 'pseudonymise' (did you mean "
            f"'pseudonymize'?); {FIELD_ACTIONS}",
        ),
        (
            "fields:\n  - path: a\n    action: redacted\n",
            f"9: fields[0].action: unknown action 'redacted' (did you mean 'redact'?); "
            f"{FIELD_ACTIONS}",
        ),
        (
            "sources:\n  har:\n    fields:\n      - {path: a, action: tokenise}\n",
            "10: sources.har.fields[0].action: unknown action 'tokenise' (did you mean "
            f"'tokenize'?); {FIELD_ACTIONS}",
        ),
        # Detected spans take the span operators only.
        (
            "entities:\n  PHONE_NUMBER: {action: pseudonymise}\n",
            f"8: entities.PHONE_NUMBER.action: unknown action 'pseudonymise' (did you mean "
            f"'pseudonymize'?); {SPAN_ACTIONS}",
        ),
        (
            "entities:\n  PHONE_NUMBER: masc\n",
            f"8: entities.PHONE_NUMBER: unknown action "
            f"'masc' (did you mean 'mask'?); {SPAN_ACTIONS}",
        ),
        # No action at all is its own mistake.
        ("fields:\n  - {path: a}\n", f"8: fields[0]: missing key 'action'; {FIELD_ACTIONS}"),
        (
            "entities:\n  PHONE_NUMBER: {keep_last: 4}\n",
            f"8: entities.PHONE_NUMBER: missing key 'action'; {SPAN_ACTIONS}",
        ),
        # Unknown keys, wherever they are (a rule's keys are its operator's parameters).
        ("retension: x\n", "7: retension: unknown key 'retension' (did you mean 'retention'?)"),
        (
            "fields:\n  - {path: a, action: mask, keep_lst: 3}\n",
            "8: fields[0].keep_lst: unknown key 'keep_lst' (did you mean 'keep_last'?)",
        ),
        ("sources:\n  jsn: {}\n", "8: sources.jsn: unknown key 'jsn' (did you mean 'json'?)"),
        (
            "limits: {max_dept: 9}\n",
            "7: limits.max_dept: unknown key 'max_dept' (did you mean 'max_depth'?)",
        ),
        ("colour: red\n", "7: colour: unknown key 'colour'"),  # nothing near: no guess
        # Retention classes used but not declared.
        (
            "fields:\n  - {path: a, action: keep, retention: analytic}\n",
            "8: fields[0].retention: class 'analytic' is not declared (did you mean 'analytics'?)",
        ),
        # Entity types: the catalogue's, and those the policy's own patterns declare.
        (
            "fields:\n  - {path: a, action: pseudonymize, entity: EMAIL_ADRESS}\n",
            "8: fields[0].entity: unknown entity type 'EMAIL_ADRESS' (did you mean "
            "'EMAIL_ADDRESS'?)",
        ),
        (
            "detection:\n  ner: false\n  thresholds: {PERSN: 0.7}\n",
            "9: detection.thresholds.PERSN: unknown entity type 'PERSN' (did you mean "
            "'PERSON'?); declare new ones in detection.patterns",
        ),
        (
            "detection:\n  ner: false\n  disable: [US_SSN, EMAIL_ADRESS]\n",
            "9: detection.disable[1]: unknown entity type 'EMAIL_ADRESS' (did you mean "
            "'EMAIL_ADDRESS'?); declare new ones in detection.patterns",
        ),
        (
            "detection:\n  ner: false\n  patterns: [{entity: ORDER_NO, regex: 'O-[0-9]+'}]\n"
            "entities:\n  ORDER_NUM: mask\n",
            "11: entities.ORDER_NUM: unknown entity type 'ORDER_NUM' (did you mean "
            "'ORDER_NO'?); declare new ones in detection.patterns",
        ),
        # (A route template's parameter was an internal error: a dict | frozenset.)
        (
            "fields:\n  - path: p\n    action: generalize\n    kind: url_path\n"
            "    templates:\n      - template: /u/{id}\n        params:\n"
            "          id: {action: pseudonymize, column: u, entity: EMAIL_ADRESS}\n",
            "14: fields[0].templates[0].params.id.entity: unknown entity type 'EMAIL_ADRESS' "
            "(did you mean 'EMAIL_ADDRESS'?)",
        ),
        # A value from a fixed set, a wrong shape.
        (
            "default_action: scann\n",
            "7: default_action: expected one of drop, scan (did you mean 'scan'?)",
        ),
        (
            "fields:\n  - {path: a, action: keep, type: int}\n",
            "8: fields[0].type: expected one of string, int64, float64, bool, timestamp "
            "(did you mean 'int64'?)",
        ),
        (
            "fields:\n  - a\n",
            "8: fields[0]: expected a mapping with path, action; " + FIELD_ACTIONS,
        ),
        (
            "entities:\n  JWT: [redact]\n",
            "8: entities.JWT: expected an action or a mapping with action; " + SPAN_ACTIONS,
        ),
        (
            "entities:\n  JWT: 3\n",
            "8: entities.JWT: expected an action or a mapping with action; " + SPAN_ACTIONS,
        ),
        (
            "limits: 3\n",
            "7: limits: expected a mapping of keys (max_record_bytes, max_depth, "
            "max_fields, max_string_length, max_record_seconds)",
        ),
    ],
)
def test_a_mistake_reads_as_the_policy_language(tmp_path: Path, body: str, expected: str) -> None:
    assert errors_of(tmp_path, body) == [expected]


def test_no_message_is_pydantic_speaking_and_each_is_one_line(tmp_path: Path) -> None:
    body = (
        "retension: x\nentities:\n  PHONE_NUMBER: {action: pseudonymise}\n  JWT: {keep_last: 2}\n"
        "sources:\n  har:\n    fields:\n      - {path: a}\n      - 3\n"
        "fields:\n  - {path: a, action: pseudonymise}\n  - {path: b}\n  - [a]\n"
    )
    errors = errors_of(tmp_path, body)
    assert len(errors) == 8, errors
    for e in errors:
        assert "\n" not in e and not any(word in e for word in INTERNALS), e
    # In the order of the file's lines, not of pydantic's checks.
    lines = [int(e.split(":", 1)[0]) for e in errors]
    assert lines == sorted(lines)


def test_a_value_that_is_not_a_name_is_not_quoted_back(tmp_path: Path) -> None:
    # A policy author pasting a value where a name belongs: the message names the key only.
    errors = errors_of(
        tmp_path,
        "default_action: jo.kim@example.org\nfields:\n  - {path: a, action: jo.kim@example.org}\n",
    )
    assert len(errors) == 2 and not any("jo.kim" in e for e in errors), errors
    assert "fields[0].action: unknown action; actions: keep" in errors[1]


# -- the actions listed are the registry's ---------------------------------------------------


class TruncateParams(OperatorParams):
    action: Literal["truncate"] = "truncate"


class Truncate(Operator):
    name = "truncate"
    params_model = TruncateParams

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        return value[:2]


@pytest.fixture
def truncate() -> Iterator[None]:
    registry.register(Truncate)
    try:
        yield
    finally:
        registry.unregister("truncate")


@pytest.mark.usefixtures("truncate")
def test_a_registered_operator_is_listed_and_suggested(tmp_path: Path) -> None:
    [error] = errors_of(tmp_path, "fields:\n  - {path: a, action: truncat}\n")
    assert error == (
        f"8: fields[0].action: unknown action 'truncat' (did you mean 'truncate'?); "
        f"{FIELD_ACTIONS}, truncate"
    )
    [error] = errors_of(tmp_path, "entities:\n  PHONE_NUMBER: {action: truncat}\n")
    assert error.endswith(f"{SPAN_ACTIONS}, truncate")
