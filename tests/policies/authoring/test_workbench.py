"""`policy explain`, `policy diff` and `policy schema` as authors use them: what they show, and
that they never print a detected value. The sample's planted values are scanned for in every
output (the suite's leak hook also scans what these tests print)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.leakscan import needles_for, scan_text
from datamin.policies import BUNDLED_DIR, bundled, bundled_policies
from datamin.policies.authoring.diff import diff_policies, render
from datamin.policies.authoring.workbench import Workbench, finding_counts, read_sample
from datamin.policies.schema import policy_schema, schema_text
from datamin.sample import generate_sample

CASES = Path(__file__).parents[2] / "pipelines" / "cases"
runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("sample")
    manifest = generate_sample(root, seed=7)
    return root, needles_for(manifest.planted)


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.exit_code, result.output[-2000:])
    return result.output


@pytest.mark.parametrize(
    ("policy", "files", "shown"),
    [
        ("redact_only", "traffic/*", "replaced ->"),  # findings with their replacements
        ("api_logs", "traffic/*", "dropped: no rule names it"),  # minimized by default
        ("messages", "messages/*", "replaced ->"),
    ],
)
def test_explain_shows_decisions_and_no_planted_value(
    sample: tuple[Path, list[tuple[str, str]]], policy: str, files: str, shown: str
) -> None:
    root, needles = sample
    text = invoke(
        "policy", "explain", "-p", str(bundled(policy)), "-r", str(root / files), "--limit", "30"
    )
    assert scan_text(text, needles) == []
    assert shown in text and " -> written" in text
    as_json = invoke(
        "policy", "explain", "-p", str(bundled(policy)), "-r", str(root / files),
        "--limit", "30", "--format", "json",
    )  # fmt: skip
    assert scan_text(as_json, needles) == []
    traces = json.loads(as_json)
    assert len(traces) == 30 and all("value" not in f for t in traces for f in t["fields"])


def test_explain_names_the_rule_and_class_of_each_field() -> None:
    text = invoke(
        "policy", "explain", "-p", str(bundled("api_logs")),
        "-r", str(CASES / "traffic.har"), "--index", "1",
    )  # fmt: skip
    lines = {line.split()[0]: line for line in text.splitlines()[1:] if line.startswith("  ")}
    assert "fields[0] (request.headers.authorization)" in lines["request.headers.authorization"]
    assert "dropped: rule" in lines["request.headers.authorization"]
    assert "kept in analytics/method" in lines["request.method"]
    assert (
        "default" in lines["request.body.password"] and "dropped" in lines["request.body.password"]
    )


def test_a_detected_value_kept_below_its_threshold_is_not_printed(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nname: lax\ndefault_action: scan\n"
        "retention: {default: a, classes: {a: 7d}}\n"
        "detection: {ner: false, thresholds: {EMAIL_ADDRESS: 1.0}}\n"
    )
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"note": "write to jo.kim@example.org today"}))
    text = invoke("policy", "explain", "-p", str(policy), "-r", str(record))
    # The run stores the email (the policy says so), but explain shows only that it was kept.
    assert "jo.kim@example.org" not in text
    assert '"write to <EMAIL_ADDRESS kept> today"' in text and "below threshold 1.00" in text


def test_diff_reports_fields_findings_and_bytes_without_values(
    sample: tuple[Path, list[tuple[str, str]]],
) -> None:
    root, needles = sample
    for fmt in ("text", "markdown", "json"):
        text = invoke(
            "policy", "diff", "--base", str(bundled("api_logs")),
            "--candidate", str(bundled("redact_only")),
            "-i", str(root / "traffic" / "*"), "--limit", "40", "--format", fmt,
        )  # fmt: skip
        assert scan_text(text, needles) == []
    report = json.loads(text)
    newly_kept = {c["path"] for c in report["newly_kept"]}
    assert "request.headers.authorization" in newly_kept  # redact_only keeps it (redacted)
    assert report["findings"]["BEARER_TOKEN"][0] == 0 < report["findings"]["BEARER_TOKEN"][1]
    assert set(report["stored_bytes"]) == {"analytics", "debug", "standard"}
    assert report["stored_bytes"]["standard"][0] == 0 < report["stored_bytes"]["standard"][1]


def test_diff_of_a_child_that_keeps_one_more_field(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text(
        "version: 1\nname: child\nextends: bundled:api_logs\nfields:\n"
        "  - {path: request.headers.content-type, action: keep, column: content_type}\n"
    )
    base = Workbench(bundled("api_logs"), ner_model=None)
    candidate = Workbench(child, engine=base.engine, keys=base.keys)
    items = read_sample([str(CASES / "traffic.har")])
    report = diff_policies(base, candidate, items)
    assert [c.path for c in report.newly_kept] == ["request.headers.content-type"]
    assert not report.newly_dropped and not report.changed
    a, b = report.stored_bytes["debug"]
    assert b > a  # one more column in the debug class
    assert "fields newly kept (1)" in render(report)


def test_same_policy_twice_is_no_change() -> None:
    base = Workbench(bundled("messages"))
    same = Workbench(bundled("messages"), engine=base.engine, keys=base.keys)
    report = diff_policies(base, same, read_sample([str(CASES / "messages.jsonl")]))
    assert not report.has_changes
    assert finding_counts(base.explain(read_sample([str(CASES / "messages.jsonl")])))


def test_explain_and_diff_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["policy", "explain", "-p", str(bundled("api_logs")), "-r", str(tmp_path / "x")]
    )
    assert result.exit_code == 2 and "no input matches" in result.output
    result = runner.invoke(
        app,
        [
            "policy", "explain", "-p", str(bundled("api_logs")),
            "-r", str(CASES / "traffic.har"), "--index", "99",
        ],
    )  # fmt: skip
    assert result.exit_code == 2 and "no record at index 99" in result.output


# -- the JSON Schema ----------------------------------------------------------------------


def test_committed_schema_is_the_generated_one() -> None:
    committed = BUNDLED_DIR / "policy.schema.json"
    assert committed.read_text() == schema_text(), "run: datamin policy schema -o " + str(committed)


@pytest.mark.parametrize("path", bundled_policies(), ids=lambda p: p.name)
def test_bundled_policies_validate_against_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text()), policy_schema())


@pytest.mark.parametrize(
    "doc",
    [
        {
            "version": 1,
            "name": "x",
            "retention": {"default": "a", "classes": {"a": "7d"}},
            "retension": 1,
        },
        {
            "version": 1,
            "name": "x",
            "retention": {"default": "a", "classes": {"a": "7d"}},
            "fields": [{"path": "a", "action": "smash"}],
        },
        {"version": 1, "name": "x"},  # neither a base nor its own retention
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(doc: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, policy_schema())


def test_a_child_policy_validates_with_only_what_it_overrides() -> None:
    jsonschema.validate({"version": 1, "extends": "base.yaml", "name": "c"}, policy_schema())


@pytest.mark.parametrize(
    ("findings", "shown"),
    [
        # A replaced span alone shows its replacement; a kept one its placeholder.
        ([("PERSON", 11, 21, True)], "deliver to <PERSON> now"),
        ([("PERSON", 11, 21, False)], "deliver to <PERSON kept> now"),
        # A kept place around a replaced name: no part of the place may show.
        (
            [("LOCATION", 11, 21, False), ("PERSON", 16, 21, True)],
            "deliver to <LOCATION kept: <PERSON>> now",
        ),
        # A replaced span covering a kept one shows just the replacement.
        ([("PERSON", 11, 21, True), ("LOCATION", 11, 15, False)], "deliver to <PERSON> now"),
    ],
)
def test_shown_values_cover_every_detected_span(
    findings: list[tuple[str, int, int, bool]], shown: str
) -> None:
    from datamin.core.trace import cover_spans
    from datamin.redactors.findings import Finding

    text = "deliver to 5708 Oakes now"
    marks, winners = {}, set()
    for entity, start, end, was_replaced in findings:
        f = Finding(entity, start, end, 0.8, "t")
        marks[f] = f"<{entity}>" if was_replaced else f"<{entity} kept>"
        if was_replaced:
            winners.add(f)
    assert cover_spans(text, marks, winners) == shown


def test_findings_replaced_as_one_show_as_replaced() -> None:
    # Findings that overlap in part are replaced together (`resolve_overlaps`): explain shows
    # the one replacement stored, not each of them as kept.
    from datamin.core.trace import trace_findings
    from datamin.redactors.findings import Finding

    wb = Workbench(bundled("redact_only"))
    text = "telefone (11) 98765-4321, Rua das Flores 123, São Paulo"
    spans = [
        ("PHONE_NUMBER", "(11) 98765-4321"),
        ("LOCATION", "98765-4321, Rua das Flores"),
        ("LOCATION", "Rua das Flores 123"),
    ]
    findings = [Finding(e, text.index(s), text.index(s) + len(s), 0.85, "t") for e, s in spans]
    traced, shown = trace_findings(wb.policy, text, findings, "stored")
    assert shown == "telefone <LOCATION>, São Paulo"
    assert {t.status for t in traced} == {"overlapped"}


# -- found in review: no detected value shows, whatever form it is stored in ---------------

LAX = (
    "version: 1\nname: lax\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
    "detection:\n  ner: false\n  thresholds: {PHONE_NUMBER: 0.99}\n  deny: {PERSON: [Bluebird]}\n"
    "fields:\n  - {path: phone_i, action: keep, column: phone_i, type: int64}\n"
    "  - {path: note, action: keep, type: int64}\n"
)


def test_a_kept_span_in_a_typed_field_is_not_shown(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(LAX)
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"phone_i": "+12125550199", "note": "call +1 212 555 0199"}))
    for fmt in ("text", "json"):
        text = invoke("policy", "explain", "-p", str(policy), "-r", str(record), "--format", fmt)
        assert "2125550199" not in text and "555 0199" not in text
        assert "<PHONE_NUMBER kept>" in text


def test_keys_that_are_secrets_or_denied_names_are_replaced(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(LAX)
    record = tmp_path / "r.json"
    secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    record.write_text(json.dumps({"tokens": {secret: True}, "names": {"Bluebird": 1}}))
    text = invoke("policy", "explain", "-p", str(policy), "-r", str(record))
    assert secret not in text and "Bluebird" not in text
    assert "tokens.<API_KEY>" in text and "names.<PERSON>" in text


def test_a_card_written_as_a_json_number_is_scanned(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(LAX)
    wb = Workbench(policy)
    [e] = wb.explain_records([{"card": 4012888888881881, "count": 3}])
    assert e.written is not None
    assert e.written.rows["a"]["fields"] == {"card": "<CREDIT_CARD>", "count": "3"}


def test_a_har_quarantine_message_shows_the_path_shape_not_a_key(tmp_path: Path) -> None:
    entry = {
        "request": {"method": "GET", "url": "https://x.example/", "headers": []},
        "timings": {"jo.smith@example.org": "slow"},
    }
    har = tmp_path / "t.har"
    har.write_text(json.dumps({"log": {"entries": [entry]}}))
    text = invoke("policy", "explain", "-p", str(bundled("redact_only")), "-r", str(har))
    assert "quarantined" in text and "timings.*" in text and "jo.smith" not in text


def test_schema_to_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["policy", "schema", "-o", str(tmp_path / "no" / "x.json")])
    assert result.exit_code == 2 and "cannot write" in result.output
