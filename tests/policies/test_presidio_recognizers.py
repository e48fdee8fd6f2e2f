"""Presidio ad-hoc recognizers in a policy (`detection.recognizers`, Presidio's own YAML format):
their patterns (RE2, read case-insensitively as Presidio reads them), deny lists and context
words find their entity in a run, under the policy's rules for it."""

from __future__ import annotations

from pathlib import Path

import pytest

import datamin
from datamin.errors import PolicyError

KEY = b"a test key for recognizers, 32 b+"

POLICY = """\
version: 1
extends: bundled:redact_only
name: with_recognizers
detection:
  recognizers:
    - name: Employee id recognizer
      supported_entity: EMPLOYEE_ID
      supported_language: en
      patterns:
        - name: employee id (weak)
          regex: "\\\\bE-\\\\d{6}\\\\b"
          score: 0.3
      context: [employee, staff]
    - name: Codename recognizer
      supported_entity: CODENAME
      deny_list: [Bluebird, "Project Falcon"]
entities:
  CODENAME: {action: pseudonymize}
"""


def body_after(tmp_path: Path, body: str, policy: str = POLICY) -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(policy)
    record = {"from": "+15550100199", "body": body, "date_created": "2026-12-01"}
    out = datamin.minimize(record, policy=path, key=KEY, ner=False)
    assert out["status"] == "written", out
    return out["rows"]["standard"]["fields"]["body"]


def test_deny_lists_match_whole_words_in_any_case(tmp_path: Path) -> None:
    body = body_after(tmp_path, "on project falcon with Bluebird, not Bluebirds")
    assert "falcon" not in body.lower() and "Bluebird," not in body
    assert "Bluebirds" in body  # a whole word only
    assert "psn_" in body  # the policy's rule for the entity applies: pseudonymized


def test_a_weak_pattern_counts_with_its_context_word_only(tmp_path: Path) -> None:
    assert "<EMPLOYEE_ID>" in body_after(tmp_path, "staff member e-123456 called")
    # Score 0.3 without a context word: under the policy's 0.5, kept (Presidio's own scoring).
    assert "E-123456" in body_after(tmp_path, "ticket E-123456 closed")


@pytest.mark.parametrize(
    ("recognizer", "message"),
    [
        # Presidio's regex dialect is Python's; a policy's must also be RE2 (linear time).
        (
            "{supported_entity: X_ID, patterns: [{name: a, regex: '(?<=id )\\\\d+', score: 0.5}]}",
            "RE2",
        ),
        ("{supported_entity: X_ID}", "patterns or a deny_list"),
        ("{supported_entity: lower_case, deny_list: [a]}", "supported_entity"),
    ],
)
def test_bad_recognizers_are_policy_errors(tmp_path: Path, recognizer: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nextends: bundled:redact_only\nname: bad\n"
        f"detection:\n  recognizers:\n    - {recognizer}\n"
    )
    with pytest.raises(PolicyError, match=message):
        datamin.load_policy(path)
