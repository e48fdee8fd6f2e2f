"""Policy loading: bundled policies are valid; every mistake names its file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from datamin.errors import PolicyError
from datamin.keys import KeyRing
from datamin.policies import bundled, bundled_policies
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import check_policy, load_policy

KEYS = KeyRing(b"k" * 32)
HEAD = "version: 1\nname: t\nretention:\n  default: a\n  classes: {a: 7d, b: 0, c: forever}\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + body)
    return path


@pytest.mark.parametrize("path", bundled_policies(), ids=lambda p: p.name)
def test_bundled_policies_check_clean_and_compile(path: Path) -> None:
    assert check_policy(path) == []
    CompiledPolicy(load_policy(path), KEYS)


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("fields:\n  - {path: x, action: mask, keep_lst: 3}\n", 7, "unknown key 'keep_lst'"),
        ("retension: 3\n", 6, "unknown key 'retension'"),
        ("fields:\n  - {path: x, action: smash}\n", 7, "unknown action"),
        ("fields:\n  - {path: 'a..b', action: keep}\n", 7, "path pattern"),
        ("entities:\n  JWT: pseudonymize\n", 7, "credential"),  # secrets are never pseudonymized
        ("entities:\n  NOT_AN_ENTITY: redact\n", 7, "unknown entity"),  # at its own key
        ("detection:\n  thresholds: {PERSON: 1.5}\n", 7, "less than or equal"),
        ("detection:\n  deny: {NOBODY: [x1]}\n", 7, "unknown entity"),
    ],
)
def test_errors_name_the_line_and_key(tmp_path: Path, body: str, line: int, needle: str) -> None:
    errors = check_policy(write(tmp_path, body))
    assert errors, "the policy must be refused"
    assert any(e.line == line and needle in e.message for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize(
    ("body", "line", "text"),
    [
        # A class used but not declared, in the policy's rules and in a source section.
        (
            "fields:\n  - {path: x, action: keep}\n  - {path: y, action: keep, retention: nope}\n",
            8,
            "fields[1].retention: class 'nope' is not declared",
        ),
        (
            "sources:\n  har:\n    fields:\n      - {path: x, action: keep, retention: nope}\n",
            9,
            "sources.har.fields[0].retention: class 'nope' is not declared",
        ),
        (
            "fields:\n  - {path: x, action: keep, column: c}\n"
            "  - {path: y, action: keep, column: c, type: int64}\n",
            8,
            "fields[1].column: 'c' is declared with another type",
        ),
        # RE2 refuses what could backtrack forever; the error does not need to quote the regex.
        ("detection:\n  allow_patterns: ['(a)\\1']\n", 7, "invalid regex"),
        (
            "detection:\n  patterns:\n    - {entity: ORDER_NO, regex: '(?<=x)1'}\n",
            8,
            "invalid regex",
        ),
        ("fields:\n  - {path: x, action: pseudonymize, entity: ORDER_NO}\n", 7, "ORDER_NO"),
        ("sources:\n  email: {fields: []}\n", 7, "unknown key 'email'"),
    ],
)
def test_cross_reference_errors_name_the_rule_and_line(
    tmp_path: Path, body: str, line: int, text: str
) -> None:
    errors = check_policy(write(tmp_path, body))
    assert any(e.line == line and text in str(e) for e in errors), [str(e) for e in errors]


def test_entities_declared_by_a_pattern_can_be_used_everywhere(tmp_path: Path) -> None:
    body = (
        "detection:\n  patterns:\n    - {entity: ORDER_NO, regex: 'ORD-[0-9]{6}'}\n"
        "  thresholds: {ORDER_NO: 0.8}\n  deny: {ORDER_NO: [ORD-X]}\n"
        "entities:\n  ORDER_NO: mask\n"
        "fields:\n  - {path: x, action: pseudonymize, entity: ORDER_NO}\n"
    )
    assert check_policy(write(tmp_path, body)) == []


def test_invalid_yaml_points_at_the_line(tmp_path: Path) -> None:
    errors = check_policy(write(tmp_path, "fields: [\n  {path: x\n"))
    assert len(errors) == 1 and errors[0].line is not None and "invalid YAML" in errors[0].message


def test_load_raises_one_policy_error_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "retension: 3\n")
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert str(raised.value).startswith(f"{path}:6:")


def test_first_matching_rule_wins_and_unnamed_fields_take_the_default() -> None:
    policy = CompiledPolicy(load_policy(bundled("api_logs")), KEYS)
    assert policy.rule_for("request.headers.authorization").mode == "drop"
    assert policy.rule_for("request.method").column == "method"
    assert policy.rule_for("request.body.password") is policy.default_rule
    assert policy.default_rule.mode == "drop"  # minimize by default
    assert CompiledPolicy(load_policy(bundled("redact_only")), KEYS).default_rule.mode == "scan"


def test_zero_retention_is_never_written_and_forever_is(tmp_path: Path) -> None:
    policy = CompiledPolicy(load_policy(write(tmp_path, "")), KEYS)
    assert policy.is_written("a") and policy.is_written("c") and not policy.is_written("b")


@pytest.mark.parametrize("duration", ["1000000000d", "200000000w", "99999999999999h"])
def test_a_duration_longer_than_python_can_hold_is_refused_by_name(
    tmp_path: Path, duration: str
) -> None:
    """Not an OverflowError at start-up (`internal error`): the policy's line, and `forever`."""
    path = tmp_path / "p.yaml"
    path.write_text(
        f"version: 1\nname: t\nretention:\n  default: a\n  classes: {{a: {duration}}}\n"
    )
    errors = check_policy(path)
    assert [e.line for e in errors] == [5] and "say forever" in errors[0].message


def test_the_longest_duration_python_holds_is_a_duration(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("version: 1\nname: t\nretention:\n  default: a\n  classes: {a: 999999999d}\n")
    assert check_policy(path) == []


def test_credentials_fall_back_to_redact_when_the_default_cannot_apply(tmp_path: Path) -> None:
    policy = CompiledPolicy(
        load_policy(write(tmp_path, "entities:\n  default: pseudonymize\n")), KEYS
    )
    assert policy.entity_operator("EMAIL_ADDRESS").name == "pseudonymize"
    assert policy.entity_operator("JWT").name == "redact"


def test_check_reports_reference_errors_alongside_other_errors(tmp_path: Path) -> None:
    """An author fixing a policy sees every problem in one pass, not one kind at a time."""
    body = (
        "retension: 3\n"
        "detection:\n  min_score: 2\n"
        "fields:\n  - {path: x, action: keep, retention: nope}\n"
    )
    errors = [str(e) for e in check_policy(write(tmp_path, body))]
    assert any(":6:" in e and "unknown key 'retension'" in e for e in errors), errors
    assert any(":8:" in e and "detection.min_score" in e for e in errors), errors
    assert any(":10:" in e and "fields[0].retention: class 'nope'" in e for e in errors), errors
