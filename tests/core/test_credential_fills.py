"""A value that a credential fills whole is not read by the families that cannot find a
credential (`DetectionEngine(applies=...)`): what they found inside would lose to it. The output
must be the same as when every family reads it, and where the policy does not replace the
credential (its threshold, its allow list), every family still reads the value."""

from __future__ import annotations

import base64
from datetime import date
from itertools import islice
from pathlib import Path

import orjson
import pytest

from datamin.core.minimize import Minimizer, Written
from datamin.core.records import RawRecord
from datamin.keys import KeyRing
from datamin.policies import bundled
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.entities import CREDENTIALS
from datamin.sample import iter_har_entries

KEYS = KeyRing(b"c" * 32)
RUN_DATE = date(2026, 12, 7)
PASSWORD = FieldContext.of("request.body.password", FieldKind.JSON)


def policy(path: Path) -> CompiledPolicy:
    return CompiledPolicy(load_policy(path), KEYS)


def rows(policy: CompiledPolicy, engine: DetectionEngine, items: list[RawRecord]) -> list:
    """Each record's rows, without its random record id; or how it ended if not written."""
    out = Minimizer(policy, engine, KEYS, RUN_DATE).process(items)
    return [
        {c: {k: v for k, v in row.items() if k != "record_id"} for c, row in o.rows.items()}
        if isinstance(o, Written)
        else type(o).__name__
        for o in out
    ]


def spans(findings: list) -> set[tuple[str, int, int, float]]:
    return {(f.entity, f.start, f.end, f.score) for f in findings}


def test_an_email_filling_a_password_field_is_read_only_as_the_password() -> None:
    redact_only = policy(bundled("redact_only"))
    every = DetectionEngine(ner_model=None).detect("ann.lee@example.com", PASSWORD)
    assert {f.entity for f in every} == {"PASSWORD", "EMAIL_ADDRESS"}
    engine = DetectionEngine(ner_model=None, applies=redact_only.applies)
    assert {f.entity for f in engine.detect("ann.lee@example.com", PASSWORD)} == {"PASSWORD"}
    # A credential that is part of a value is not all of it: the rest is still read.
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    part = engine.detect(f"{key} from ann.lee@example.com", FieldContext.of("msg", FieldKind.TEXT))
    assert {"API_KEY", "EMAIL_ADDRESS"} <= {f.entity for f in part}


@pytest.mark.parametrize(
    "detection",
    [
        "thresholds: {PASSWORD: 0.999}",  # the credential is not replaced
        "allow_patterns: ['ann\\..*']",  # nor is an allowed value
    ],
)
def test_what_the_policy_does_not_replace_leaves_every_family_reading(
    detection: str, tmp_path: Path
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nname: p\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
        f"detection:\n  {detection}\n"
    )
    compiled = policy(path)
    engine = DetectionEngine(ner_model=None, applies=compiled.applies)
    found = engine.detect("ann.lee@example.com", PASSWORD)
    assert "EMAIL_ADDRESS" in {f.entity for f in found}


def test_generated_traffic_comes_out_the_same_either_way() -> None:
    items = [
        RawRecord("t.har", i, orjson.dumps(entry), "har")
        for i, (entry, _) in enumerate(islice(iter_har_entries(5, 400), 400))
    ]
    redact_only = policy(bundled("redact_only"))
    skipping = DetectionEngine(ner_model=None, applies=redact_only.applies)
    reading_all = DetectionEngine(ner_model=None)
    assert rows(redact_only, skipping, items) == rows(redact_only, reading_all, items)


def test_gitleaks_rules_read_a_header_only_where_its_place_is_not_replaced(tmp_path: Path) -> None:
    header = FieldContext.of("request.headers.authorization", FieldKind.HEADER)
    token = "Bearer ghp_" + "x7Qm2ZrT9vLk4NwP8sYd3HcJ6bF1aE5uGi0o"  # a GitHub token's shape
    every = DetectionEngine(ner_model=None).detect(token, header)
    # The header's place (0.95), its scheme, GitHub's family (0.99), and gitleaks' rule (0.9).
    rule = ("API_KEY", 7, len(token), 0.9)
    assert ("BEARER_TOKEN", 0, len(token), 0.95) in spans(every) and rule in spans(every)
    applied = policy(bundled("redact_only"))
    engine = DetectionEngine(ner_model=None, applies=applied.applies)
    only = engine.detect(token, header)
    assert spans(only) == spans(every) - {rule}
    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nname: p\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
        "detection:\n  thresholds: {BEARER_TOKEN: 0.99}\n"
    )
    strict = DetectionEngine(ner_model=None, applies=policy(path).applies)
    assert spans(strict.detect(token, header)) == spans(every)


def test_a_filled_values_decoded_view_is_read_for_credentials_and_names_only() -> None:
    header = FieldContext.of("request.headers.authorization", FieldKind.HEADER)
    basic = "Basic " + base64.b64encode(b"ann.lee@example.com:hunter2hunter2").decode()
    every = DetectionEngine(ner_model=None).detect(basic, header)
    assert "EMAIL_ADDRESS" in {f.entity for f in every}  # the user name, in the decoded view
    engine = DetectionEngine(ner_model=None, applies=policy(bundled("redact_only")).applies)
    only = engine.detect(basic, header)
    assert ("BASIC_AUTH", 0, len(basic)) in {(f.entity, f.start, f.end) for f in only}
    assert {f.entity for f in only} <= CREDENTIALS


def test_a_credential_the_policy_turns_off_fills_nothing(tmp_path: Path) -> None:
    """A policy that turns the header's own entity off still has the token's rules read: the
    place's finding is dropped later, and what they find is all that redacts the token."""
    header = FieldContext.of("request.headers.authorization", FieldKind.HEADER)
    token = "Bearer ghp_" + "x7Qm2ZrT9vLk4NwP8sYd3HcJ6bF1aE5uGi0o"
    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nname: p\ndefault_action: scan\nretention: {default: a, classes: {a: 7d}}\n"
        "detection:\n  disable: [BEARER_TOKEN]\n"
    )
    off = policy(path)
    engine = DetectionEngine(ner_model=None, settings=off.detection.settings, applies=off.applies)
    found = spans(engine.detect(token, header))
    assert ("API_KEY", 7, len(token), 0.9) in found  # gitleaks' rule, read after all
    assert not any(entity == "BEARER_TOKEN" for entity, *_ in found)


def test_a_name_inside_a_filled_value_still_recurs_in_the_records_other_fields() -> None:
    """Names and places a record gives away anywhere are found in its other fields
    (`Minimizer._recurring`): the families that find them still read a filled value."""
    record = {"api_key": "Name: Henrik Lindqvist", "note": "henrik will call back tomorrow"}
    items = [RawRecord("x", 0, orjson.dumps(record))]
    redact_only = policy(bundled("redact_only"))
    skipping = DetectionEngine(ner_model=None, applies=redact_only.applies)
    written = rows(redact_only, skipping, items)
    assert written == rows(redact_only, DetectionEngine(ner_model=None), items)
    assert "henrik" not in written[0]["standard"]["fields"]["note"]
