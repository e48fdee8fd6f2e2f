"""`datamin policy test` and its runner: the bundled cases pass, a wrong expectation fails with
the case and path named, a malformed cases file is refused with file and line, `compare` notices
every kind of difference, and no failure message shows a detected value as it was stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.core.trace import FieldTrace, FindingTrace, RecordTrace
from datamin.policies import BUNDLED_DIR, bundled, bundled_policies
from datamin.policies.authoring.cases import (
    SUFFIX,
    Expect,
    compare,
    find_cases,
    load_cases,
    run_cases,
)
from datamin.policies.authoring.workbench import Explained
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.ner import DEFAULT_MODEL

runner = CliRunner()
# Not a planted value anywhere in the suite: the leak hook would not catch it, the tests do.
RAW_EMAIL = "kim.cases@example.net"


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    """One spaCy load for the module (3-5 s each)."""
    return DetectionEngine(ner_model=DEFAULT_MODEL)


@pytest.fixture
def cli_engine(monkeypatch: pytest.MonkeyPatch, engine: DetectionEngine) -> None:
    """`policy test` in process, on the module's engine instead of a fresh spaCy load."""
    real = DetectionEngine
    monkeypatch.setattr(
        "datamin.redactors.engine.DetectionEngine",
        lambda *, ner_model, settings=None: (
            engine if ner_model is not None else real(ner_model=None, settings=settings)
        ),
    )


# -- the bundled cases ---------------------------------------------------------------------


def test_every_bundled_policy_has_its_cases_file_with_distinct_named_cases() -> None:
    policies = bundled_policies()
    assert policies
    for policy in policies:
        path = policy.with_name(policy.stem + SUFFIX)
        assert path.is_file(), f"{policy.name} has no {path.name}"
        cases, policy_path = load_cases(path)
        assert policy_path == policy
        names = [c.name for c in cases.cases]
        assert 6 <= len(names) <= 12, (path.name, len(names))
        assert len(set(names)) == len(names), f"{path.name} repeats a case name"


@pytest.fixture(scope="module")
def bundled_run() -> subprocess.CompletedProcess[str]:
    """`datamin policy test` with no argument, as a user (or CI, 80 columns) runs it."""
    exe = Path(sys.executable).parent / "datamin"
    return subprocess.run(
        [str(exe), "policy", "test"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "80"},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _bundled_case_names() -> list[tuple[str, str]]:
    return [
        (path.name, case.name)
        for path in find_cases([BUNDLED_DIR])
        for case in load_cases(path)[0].cases
    ]


def test_bundled_cases_pass_with_exit_0(bundled_run: subprocess.CompletedProcess[str]) -> None:
    names = _bundled_case_names()
    # Only the summary: a failing case's own lines are in the next test's report.
    assert bundled_run.returncode == 0, bundled_run.stdout.splitlines()[-1:]
    assert f"{len(names)} cases, 0 failed" in bundled_run.stdout
    assert "Traceback" not in bundled_run.stdout + bundled_run.stderr


def test_each_bundled_case_is_reported_on_one_line(
    bundled_run: subprocess.CompletedProcess[str],
) -> None:
    """One line per case, whole, at 80 columns: a CI log is grepped for `FAIL`, `ok` and names.
    (Whether each passed is the test above.)"""
    lines = set(bundled_run.stdout.splitlines())
    names = [f"{file}: {name}" for file, name in _bundled_case_names()]
    assert [n for n in names if f"ok    {n}" not in lines and f"FAIL  {n}" not in lines] == []
    assert len([ln for ln in lines if ln.startswith(("ok ", "FAIL "))]) == len(names)


# -- a wrong expectation, a malformed file ---------------------------------------------------


def test_a_wrong_expectation_fails_naming_the_case_and_the_path(
    tmp_path: Path, cli_engine: None
) -> None:
    policy = bundled("api_logs")
    (tmp_path / policy.name).write_text(policy.read_text())
    cases_path = policy.with_name(policy.stem + SUFFIX)
    data = yaml.safe_load(cases_path.read_text())
    case = next(
        c for c in data["cases"] if c.get("har") and c["expect"].get("outcome") == "written"
    )
    method = case["record"]["request"]["method"]
    wrong = "DELETE" if method != "DELETE" else "PATCH"
    case["expect"]["fields"]["request.method"] = wrong
    (tmp_path / cases_path.name).write_text(yaml.safe_dump(data, sort_keys=False))

    result = runner.invoke(app, ["policy", "test", str(tmp_path)])

    assert result.exit_code == 1, result.output[-2000:]
    text = " ".join(result.output.split())  # names may be wrapped to the terminal's width
    assert f"FAIL {cases_path.name}: {case['name']}" in text
    assert f"request.method: value: expected '{wrong}', got '{method}'" in text
    assert f"{len(data['cases'])} cases, 1 failed" in text
    assert text.count("FAIL ") == 1


@pytest.mark.parametrize(
    ("expect_yaml", "line", "key"),
    [
        # A typo in an expectation must not silently expect nothing.
        ("    expect: {outcom: written}\n", 5, "outcom"),
        # Nor in a field's expectation (`retension` would never be compared).
        ("    expect:\n      fields:\n        a: {value: x, retension: debug}\n", 7, "retension"),
        # A regex that cannot compile is the author's error (exit 2), not a failed case.
        ("    expect:\n      fields:\n        a: {matches: '(x'}\n", 7, "matches"),
    ],
)
def test_an_unknown_key_is_refused_with_file_line_and_key(
    tmp_path: Path, expect_yaml: str, line: int, key: str
) -> None:
    (tmp_path / "p.yaml").write_text(bundled("redact_only").read_text())
    path = tmp_path / f"p{SUFFIX}"
    path.write_text("cases:\n  - name: a typo\n    record: {a: x}\n\n" + expect_yaml)

    result = runner.invoke(app, ["policy", "test", str(path)])

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{path}:{line}" in lines[0] and key in lines[0]
    assert "Traceback" not in result.output


# -- compare: each kind of difference -----------------------------------------------------


def _trace() -> Explained:
    """A written HAR entry: a kept method, a dropped credential, a pseudonym, and free text with
    one email replaced and one name detected below its threshold (kept)."""
    fields = [
        FieldTrace(
            0, "request.method", "fields[9]", "request.method", "keep", "kept",
            "analytics", "method", value="GET", shown="GET",
        ),
        FieldTrace(
            1, "request.headers.authorization", "fields[0]", "request.headers.authorization",
            "drop", "dropped", None, None, reason="rule",
        ),
        FieldTrace(
            2, "request.body.customer.email", "fields[18]", "request.body.customer.email",
            "pseudonymize", "changed", "analytics", "customer",
            value="psn_" + "0a" * 12, shown="psn_" + "0a" * 12,
        ),
        FieldTrace(
            3, "request.body.note", "default_action", "**", "scan", "changed", "debug", None,
            findings=(
                FindingTrace(
                    "EMAIL_ADDRESS", 9, 30, 0.95, "patterns", "replaced", "<EMAIL_ADDRESS>"
                ),
                FindingTrace("PERSON", 35, 41, 0.4, "ner", "below threshold 0.50"),
            ),
            value="write to <EMAIL_ADDRESS> for Kim",
            shown="write to <EMAIL_ADDRESS> for <PERSON kept>",
        ),
    ]  # fmt: skip
    return Explained(RecordTrace("x.cases.yaml:a case", 0, "har", "written", None, fields), None)


def test_an_expectation_that_holds_has_no_problem() -> None:
    expect = Expect.model_validate(
        {
            "outcome": "written",
            "kind": "har",
            "only_these_kept": True,
            "fields": {
                "request.method": {
                    "value": "GET", "action": "keep", "retention": "analytics",
                    "column": "method", "rule": "fields[9]",
                },
                "request.headers.authorization": {"dropped": True},
                "request.body.customer.email": {"matches": "psn_[0-9a-f]{24}"},
                "request.body.note": {"value": "write to <EMAIL_ADDRESS> for Kim"},
            },
            "findings": {"EMAIL_ADDRESS": 1, "PERSON": 0},
            "absent": ["kim.cases"],
        }
    )  # fmt: skip
    assert compare(expect, _trace()) == []


@pytest.mark.parametrize(
    ("expect", "problem"),
    [
        # The record's fate.
        ({"outcome": "dropped"}, "outcome: expected dropped, got written"),
        # The section of the policy that applied.
        ({"kind": "messages"}, "kind: expected messages, got har"),
        # A field that must be gone but is stored: the worst failure a case can catch.
        (
            {"fields": {"request.method": {"dropped": True}}},
            "request.method: expected dropped, stored (keep)",
        ),
        # A field expected stored that the policy drops, with why.
        (
            {"fields": {"request.headers.authorization": {"value": "x"}}},
            "request.headers.authorization: expected stored, dropped (rule)",
        ),
        # A misspelt path expected stored is caught, not passed vacuously.
        (
            {"fields": {"request.headers.autorization": {}}},
            "request.headers.autorization: not in the record",
        ),
        # The stored value, exactly.
        (
            {"fields": {"request.method": {"value": "POST"}}},
            "request.method: value: expected 'POST', got 'GET'",
        ),
        # A pattern must match the whole value: 24 hex characters are not 16.
        (
            {"fields": {"request.body.customer.email": {"matches": "psn_[0-9a-f]{16}"}}},
            "request.body.customer.email: value: expected to match",
        ),
        # Where it is stored, and for how long.
        (
            {"fields": {"request.method": {"retention": "debug"}}},
            "request.method: retention: expected debug, got analytics",
        ),
        (
            {"fields": {"request.method": {"column": "verb"}}},
            "request.method: column: expected verb, got method",
        ),
        # What was done to it, and which rule decided.
        (
            {"fields": {"request.method": {"action": "generalize"}}},
            "request.method: action: expected generalize, got keep",
        ),
        (
            {"fields": {"request.method": {"rule": "default_action"}}},
            "request.method: rule: expected default_action, got fields[9]",
        ),
        # Findings replaced, counted exactly.
        ({"findings": {"EMAIL_ADDRESS": 2}}, "findings EMAIL_ADDRESS: expected 2, got 1"),
        # A finding below its threshold was not replaced, so it does not count.
        ({"findings": {"PERSON": 1}}, "findings PERSON: expected 1, got 0"),
        # A string that must appear in no stored value, named by position, never by itself.
        ({"absent": ["not-stored-anywhere", "for Kim"]}, "absent[1] is stored"),
        # Fields stored that the case does not list.
        (
            {"only_these_kept": True, "fields": {"request.method": {}}},
            "stored but not expected: request.body.customer.email, request.body.note",
        ),
        # A dropped field is still checked for the rule that dropped it.
        (
            {"fields": {"request.headers.authorization": {"dropped": True, "rule": "default"}}},
            "request.headers.authorization: rule: expected default, got fields[0]",
        ),
        # A misspelt path expected dropped must not pass for want of a field.
        (
            {"fields": {"request.headers.autorization": {"dropped": True}}},
            "request.headers.autorization: not in the record",
        ),
    ],
)
def test_compare_reports_each_kind_of_difference(expect: dict[str, Any], problem: str) -> None:
    problems = compare(Expect.model_validate(expect), _trace())
    assert len(problems) == 1, problems
    assert problems[0].startswith(problem), problems


def test_absent_also_covers_a_stored_path() -> None:
    """A map keyed by email is stored with its keys in the `fields` map: a key that escaped
    the placeholder is stored as surely as a value."""
    leaked = FieldTrace(
        0, f"scores.{RAW_EMAIL}", "default_action", "**", "scan", "kept", "standard", None,
        value="3", shown="3",
    )  # fmt: skip
    e = Explained(RecordTrace("x", 0, "json", "written", None, [leaked]), None)
    assert compare(Expect.model_validate({"absent": ["kim.cases"]}), e) == ["absent[0] is stored"]


# -- failure messages say nothing sensitive -------------------------------------------------


def test_a_failure_never_shows_a_kept_detected_value(
    tmp_path: Path, engine: DetectionEngine, cli_engine: None
) -> None:
    """An email under its threshold is stored as it is; a case that fails on that field shows
    `<EMAIL_ADDRESS kept>` in its place, whether it expected a value or a pattern."""
    text = bundled("redact_only").read_text()
    assert "  min_score: 0.5\n" in text
    (tmp_path / "p.yaml").write_text(
        text.replace("  min_score: 0.5\n", "  min_score: 0.5\n  thresholds: {EMAIL_ADDRESS: 1.0}\n")
    )
    path = tmp_path / f"p{SUFFIX}"
    path.write_text(
        "cases:\n"
        "  - name: the email is kept below its threshold, but a placeholder was expected\n"
        f"    record: {{note: 'write to {RAW_EMAIL} today'}}\n"
        "    expect:\n"
        "      fields:\n"
        "        note: 'write to <EMAIL_ADDRESS> today'\n"
        "  - name: a pattern that does not match\n"
        f"    record: {{note: 'write to {RAW_EMAIL} today'}}\n"
        "    expect:\n"
        "      fields:\n"
        "        note: {matches: 'write to psn_.*'}\n"
        "      findings: {EMAIL_ADDRESS: 1}\n"
    )

    results = run_cases(path, engine=engine)
    problems = [p for r in results for p in r.problems]
    assert [r.passed for r in results] == [False, False]
    assert any("<EMAIL_ADDRESS kept>" in p for p in problems), problems
    assert not any(RAW_EMAIL in p or "kim.cases" in p for p in problems)

    result = runner.invoke(app, ["policy", "test", str(path)])
    assert result.exit_code == 1
    assert "<EMAIL_ADDRESS kept>" in result.output
    assert "kim.cases" not in result.output


@pytest.mark.parametrize("want", [{"value": "x"}, {"matches": "x"}, {"dropped": True}])
def test_a_problem_shows_a_kept_finding_as_its_placeholder(want: dict[str, Any]) -> None:
    """The note stores a name below its threshold as it is ("Kim"): no message repeats it."""
    problems = compare(Expect.model_validate({"fields": {"request.body.note": want}}), _trace())
    assert len(problems) == 1
    assert "Kim" not in problems[0]
    if "dropped" not in want:
        assert "<PERSON kept>" in problems[0]


@pytest.mark.parametrize("expect", ["    expect:\n", "    expect: [1]\n"])
def test_an_expectation_that_is_not_a_mapping_is_a_one_line_error(
    tmp_path: Path, expect: str
) -> None:
    (tmp_path / "p.yaml").write_text(bundled("redact_only").read_text())
    path = tmp_path / f"p{SUFFIX}"
    path.write_text("cases:\n  - name: empty\n    record: {a: x}\n" + expect)
    result = runner.invoke(app, ["policy", "test", str(path)])
    assert result.exit_code == 2 and str(path) in result.stderr


def test_a_case_has_either_a_record_or_a_text_line() -> None:
    from pydantic import ValidationError as Invalid

    from datamin.policies.authoring.cases import Case

    expect = {"outcome": "written"}
    assert Case(name="a", line="x", expect=expect).raw() == (b"x", "api")
    assert Case(name="b", record={"a": 1}, expect=expect).raw() == (b'{"a":1}', None)
    for both_or_none in ({"line": "x", "record": {"a": 1}}, {}):
        with pytest.raises(Invalid, match="either a record or a line"):
            Case(name="c", expect=expect, **both_or_none)
