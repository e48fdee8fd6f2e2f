"""The policy language beyond single rules: `extends`, per-source sections, the policy's own
patterns and allow patterns, and the order in which rules apply."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
import yaml

from datamin.core.minimize import Minimizer, Written
from datamin.core.records import RawRecord
from datamin.errors import PolicyError
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import check_policy, load_policy
from datamin.redactors.engine import DetectionEngine

KEYS = KeyRing(b"l" * 32)
HEAD = "version: 1\nname: t\nretention:\n  default: a\n  classes: {a: 7d, b: 30d}\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(ner_model=None)


def run(engine: DetectionEngine, policy: Path, record: dict, *, har: bool = False) -> Written:
    m = Minimizer(CompiledPolicy(load_policy(policy), KEYS), engine, KEYS, date(2026, 11, 23))
    [out] = m.process([RawRecord("t.jsonl", 1, orjson.dumps(record), "har" if har else None)])
    assert isinstance(out, Written)
    return out


# -- extends --------------------------------------------------------------------------------


def test_a_child_overrides_its_base_and_its_rules_come_first(tmp_path: Path) -> None:
    write(
        tmp_path / "base.yaml",
        HEAD + "detection:\n  min_score: 0.4\n  ner: false\n"
        "fields:\n  - {path: a, action: keep}\n  - {path: b, action: keep}\n",
    )
    child = write(
        tmp_path / "child.yaml",
        "version: 1\nname: child\nextends: base.yaml\ndetection:\n  min_score: 0.7\n"
        "fields:\n  - {path: a, action: drop}\n",
    )
    loaded = load_policy(child)
    policy = loaded.policy
    assert policy.name == "child" and policy.retention.default == "a"  # inherited
    assert policy.detection.min_score == 0.7 and policy.detection.ner is False  # merged by key
    assert [(r.path, r.action) for r in policy.fields] == [
        ("a", "drop"),
        ("a", "keep"),
        ("b", "keep"),
    ]
    assert CompiledPolicy(loaded, KEYS).rule_for("a").mode == "drop"  # the child's rule wins
    # What is hashed and saved is the resolved policy, naming both files and their hashes.
    saved = loaded.raw.decode()
    assert "resolved from" in saved and "base.yaml" in saved
    assert yaml.safe_load(saved)["detection"]["min_score"] == 0.7


def test_an_error_in_the_base_names_the_base_file_and_line(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", HEAD + "fields:\n  - {path: a, action: keep, colum: x}\n")
    child = write(tmp_path / "c.yaml", "version: 1\nname: c\nextends: base.yaml\n")
    [error] = check_policy(child)
    assert error.file == str(base) and error.line == 7 and "unknown key 'colum'" in str(error)


def test_a_childs_rule_error_keeps_its_own_line(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", HEAD + "fields:\n  - {path: a, action: keep}\n")
    child = write(
        tmp_path / "c.yaml",
        "version: 1\nname: c\nextends: base.yaml\nfields:\n  - {path: b, action: keep}\n"
        "  - {path: c, action: keep, retention: nope}\n",
    )
    [error] = check_policy(child)
    assert (error.file, error.line) == (str(child), 6) and "fields[1].retention" in str(error)


def test_bundled_policies_can_be_extended_by_name(tmp_path: Path) -> None:
    child = write(
        tmp_path / "c.yaml",
        "version: 1\nname: mine\nextends: bundled:api_logs\nfields:\n"
        "  - {path: request.headers.accept, action: keep}\n",
    )
    policy = CompiledPolicy(load_policy(child), KEYS)
    assert policy.rule_for("request.headers.accept").mode == "keep"
    assert policy.rule_for("request.headers.authorization").mode == "drop"  # from api_logs


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ({"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}, "cycle"),
        ({"a.yaml": "extends: missing.yaml\n"}, "no policy file"),
        ({"a.yaml": "extends: a.yaml\n"}, "cycle"),
        ({"a.yaml": "extends: [x]\n"}, "a path or bundled:<name>"),
    ],
)
def test_bad_extends_is_refused_with_its_line(
    tmp_path: Path, files: dict[str, str], needle: str
) -> None:
    for name, body in files.items():
        write(tmp_path / name, "version: 1\nname: x\n" + body)
    [error] = check_policy(tmp_path / "a.yaml")
    assert needle in str(error) and error.line == 3
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "a.yaml")


# -- per-source sections ----------------------------------------------------------------------

SECTIONS = HEAD + (
    "sources:\n"
    "  har:\n    fields:\n      - {path: request.method, action: keep, column: method}\n"
    "  messages:\n    default_action: scan\n    fields:\n      - {path: from, action: drop}\n"
    "  json:\n    fields:\n      - {path: id, action: keep, column: id}\n"
    "fields:\n  - {path: status, action: keep}\n"
)


def test_each_kind_of_record_gets_its_section_then_the_common_rules(
    engine: DetectionEngine, tmp_path: Path
) -> None:
    policy = write(tmp_path / "p.yaml", SECTIONS)
    har = {
        "startedDateTime": "2026-03-02T10:00:00Z",
        "request": {"method": "GET", "url": "https://api.example/x", "headers": []},
        "response": {"status": 200, "headers": []},
    }
    out = run(engine, policy, har, har=True)
    assert out.rows["a"]["method"] == "GET" and out.rows["a"]["fields"] == {}
    message = {"body": "see you at 5", "from": "+15551230000", "to": "x", "status": "sent"}
    out = run(engine, policy, message)
    # The messages default is scan: `to` and `body` are kept; `from` is dropped by its rule.
    assert out.rows["a"]["fields"] == {"body": "see you at 5", "to": "x", "status": "sent"}
    out = run(engine, policy, {"id": "r1", "status": "ok", "note": "x"})
    assert out.rows["a"]["id"] == "r1" and out.rows["a"]["fields"] == {"status": "ok"}


def test_sections_resolve_in_order_section_then_policy_then_default(tmp_path: Path) -> None:
    policy = CompiledPolicy(load_policy(write(tmp_path / "p.yaml", SECTIONS)), KEYS)
    assert policy.rule_for("from", "messages").where == "sources.messages.fields[0]"
    assert policy.rule_for("status", "messages").where == "fields[0]"
    assert policy.rule_for("other", "messages").where == "sources.messages.default_action"
    assert policy.rule_for("other", "har").where == "default_action"
    assert policy.rule_for("other", "har").mode == "drop"
    assert policy.rule_for("id", "har").mode == "drop"  # the json section is not har's


# -- the policy's own detectors ---------------------------------------------------------------


def test_custom_patterns_find_and_allow_patterns_spare(
    engine: DetectionEngine, tmp_path: Path
) -> None:
    policy = write(
        tmp_path / "p.yaml",
        HEAD + "default_action: scan\ndetection:\n  ner: false\n"
        "  patterns:\n    - {entity: ORDER_NO, regex: 'ORD-[0-9]{6}'}\n"
        "  allow_patterns: ['[a-z]+@example\\.com']\n"
        "entities:\n  ORDER_NO: {action: mask, keep_last: 2}\n",
    )
    out = run(engine, policy, {"note": "order ORD-123456 for ana@shop.test, cc help@example.com"})
    note = out.rows["a"]["fields"]["note"]
    assert "ORD-123456" not in note and note.startswith("order ***-****56 ")
    assert "ana@shop.test" not in note and "<EMAIL_ADDRESS>" in note
    assert note.endswith("help@example.com")  # spared by the allow pattern


def test_one_column_has_one_type_across_sections(tmp_path: Path) -> None:
    policy = write(
        tmp_path / "p.yaml",
        HEAD + "sources:\n"
        "  har:\n    fields:\n      - {path: a, action: keep, column: c, type: int64}\n"
        "  messages:\n    fields:\n      - {path: b, action: keep, column: c}\n",
    )
    [error] = check_policy(policy)
    assert error.line == 12 and "sources.messages.fields[0].column: 'c'" in str(error)


def test_errors_in_a_chain_name_each_file_and_the_key_as_written_there(tmp_path: Path) -> None:
    base = write(
        tmp_path / "base.yaml",
        HEAD + "fields:\n  - {path: a, action: keep}\n  - {path: b, action: keep, colum: x}\n",
    )
    mid = write(
        tmp_path / "mid.yaml",
        "version: 1\nname: mid\nextends: base.yaml\nfields:\n  - {path: m, action: kep}\n",
    )
    child = write(
        tmp_path / "child.yaml",
        "version: 1\nname: c\nextends: mid.yaml\nfields:\n  - {path: c, action: keep}\n",
    )
    errors = sorted(str(e) for e in check_policy(child))
    assert errors == [
        # fields[3] of the merged policy
        f"{base}:8: fields[1].colum: unknown key 'colum' (did you mean 'column'?)",
        f"{mid}:5: fields[0].action: unknown action 'kep' (did you mean 'keep'?); actions: "
        "keep, scan, drop, redact, mask, pseudonymize, generalize, tokenize",
    ]
    with pytest.raises(PolicyError) as raised:
        load_policy(child)
    assert f"{base}:8:" in str(raised.value) and f"{mid}:5:" in str(raised.value)


def test_a_child_replaces_an_entity_operator_whole(tmp_path: Path) -> None:
    write(
        tmp_path / "base.yaml", HEAD + "entities:\n  PHONE_NUMBER: {action: mask, keep_last: 4}\n"
    )
    child = write(
        tmp_path / "c.yaml",
        "version: 1\nname: c\nextends: base.yaml\nentities:\n  PHONE_NUMBER: {action: redact}\n",
    )
    assert load_policy(child).policy.entities["PHONE_NUMBER"].action == "redact"


def test_yaml_merge_keys_in_a_child_are_read(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", HEAD)
    child = write(
        tmp_path / "c.yaml",
        "version: 1\nname: c\nextends: base.yaml\nx-common: &thr {min_score: 0.7}\n"
        "detection:\n  <<: *thr\n",
    )
    [error] = check_policy(child)  # the anchor's holder is an unknown key; no crash
    assert "unknown key 'x-common'" in str(error)


def test_a_chain_of_more_than_eight_files_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "p0.yaml", HEAD)
    for i in range(1, 9):
        write(tmp_path / f"p{i}.yaml", f"version: 1\nname: p{i}\nextends: p{i - 1}.yaml\n")
    assert check_policy(tmp_path / "p7.yaml") == []  # eight files
    [error] = check_policy(tmp_path / "p8.yaml")
    assert "more than 8 files" in str(error)
