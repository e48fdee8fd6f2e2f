"""datamin's parts in Presidio pipelines: its recognizer in an `AnalyzerEngine`, its keyed
pseudonymizer in an `AnonymizerEngine`, giving what a datamin run gives under the same key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

import datamin
from datamin.errors import KeyConfigError
from datamin.output.reidentify import reidentify
from datamin.output.tokenkeys import TokenKeyStore
from datamin.redactors.presidio_bridge import (
    DataminPseudonymize,
    DataminRecognizer,
    DataminTokenize,
)

KEY = b"a test key for the bridge, 32 b+"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)


@pytest.fixture(scope="module")
def analyzer() -> Any:
    from datamin.evaluation.presidio import build_baseline

    batch, _ = build_baseline()
    engine = batch.analyzer_engine
    engine.registry.add_recognizer(DataminRecognizer(families=("credentials",)))
    return engine


def test_an_analyzer_with_datamins_credential_recognizer_finds_a_bearer_token(
    analyzer: Any,
) -> None:
    text = f"curl -H 'Authorization: Bearer {JWT}' https://api.example.com/v1/me"
    found = [r for r in analyzer.analyze(text, language="en") if r.score >= 0.5]
    covering = [r for r in found if r.start <= text.index(JWT) and r.end >= text.index(JWT) + 20]
    assert {r.entity_type for r in covering} & {"BEARER_TOKEN", "JWT"}
    assert any(r.recognition_metadata["recognizer_name"] == "DataminRecognizer" for r in covering)


def test_the_recognizer_answers_only_for_the_entities_asked() -> None:
    recognizer = DataminRecognizer(families=("credentials",))
    assert "BEARER_TOKEN" in recognizer.supported_entities
    assert recognizer.analyze(f"Bearer {JWT}", entities=["EMAIL_ADDRESS"]) == []
    with pytest.raises(ValueError, match="no datamin detector family"):
        DataminRecognizer(families=("no_such_family",))


def test_the_pseudonymizer_gives_the_pseudonym_a_run_gives() -> None:
    phone = "+15550100199"
    run = datamin.minimize(
        {"from": phone, "to": "+15550100198", "body": "hi", "date_created": "2026-12-01"},
        policy="messages",
        key=KEY,
        ner=False,
    )
    engine = AnonymizerEngine()
    engine.add_anonymizer(DataminPseudonymize)
    text = f"sms from {phone}"
    result = engine.anonymize(
        text=text,
        analyzer_results=[RecognizerResult("PHONE_NUMBER", 9, 9 + len(phone), 0.9)],
        operators={"DEFAULT": OperatorConfig("datamin_pseudonymize", {"key": KEY})},
    )
    assert result.text == f"sms from {run['rows']['analytics']['sender']}"


def test_the_pseudonymizer_needs_a_key() -> None:
    with pytest.raises(ValueError, match="needs a `key`"):
        DataminPseudonymize().validate({})


# -- the tokenizer -------------------------------------------------------------------------------

CUSTOMER = "cust-5551-test"


def _tokenizing_policy(tmp_path: Path) -> Path:
    policy = tmp_path / "tokens.json"  # JSON is YAML
    policy.write_text(
        json.dumps(
            {
                "version": 1,
                "name": "tokens",
                "event_time": ["date"],
                "retention": {"default": "short", "classes": {"short": "7d"}},
                "fields": [
                    {"path": "customer", "action": "tokenize", "column": "customer"},
                    {"path": "email", "action": "tokenize", "entity": "EMAIL_ADDRESS"},
                ],
            }
        )
    )
    return policy


def _anonymize(text: str, start: int, end: int, entity: str, params: dict[str, Any]) -> str:
    engine = AnonymizerEngine()
    engine.add_anonymizer(DataminTokenize)
    return engine.anonymize(
        text=text,
        analyzer_results=[RecognizerResult(entity, start, end, 0.9)],
        operators={"DEFAULT": OperatorConfig("datamin_tokenize", params)},
    ).text


def test_the_tokenizer_gives_the_token_a_run_gives_and_reidentify_reads_it(
    tmp_path: Path,
) -> None:
    store = TokenKeyStore(tmp_path / "token-keys")
    store.init()
    email = "ann.lee@example.com"
    run = datamin.minimize(
        {"customer": CUSTOMER, "email": email, "date": "2026-03-02T10:00:00Z"},
        policy=_tokenizing_policy(tmp_path),
        key=KEY,
        ner=False,
        token_keys=store.root,
    )
    row = run["rows"]["short"]
    params = {"token_keys": str(store.root), "retention": "short", "event_date": "2026-03-02"}
    # The rule names no entity, so the Presidio side says so (`entity: None`).
    text = f"order for {CUSTOMER} shipped"
    got = _anonymize(text, 10, 10 + len(CUSTOMER), "ID", {**params, "entity": None})
    assert got == f"order for {row['customer']} shipped"
    # The rule names the entity Presidio found: its entity type binds the token as in the run.
    got = _anonymize(email, 0, len(email), "EMAIL_ADDRESS", params)
    assert got == row["fields"]["email"]
    [back] = reidentify([(got, "argument 1")], store)
    assert back.value == email


def test_the_tokenizer_binds_the_period_and_entity(tmp_path: Path) -> None:
    store = TokenKeyStore(tmp_path / "token-keys")
    store.init()
    params = {"token_keys": store.root, "retention": "short", "event_date": "2026-03-02"}
    n = len(CUSTOMER)
    one = _anonymize(CUSTOMER, 0, n, "ID", params)
    assert one.startswith("tok_short_20260302_") and CUSTOMER not in one
    assert _anonymize(CUSTOMER, 0, n, "ID", params) == one  # deterministic
    assert _anonymize(CUSTOMER, 0, n, "ID", {**params, "event_date": "2026-03-03"}) != one
    assert _anonymize(CUSTOMER, 0, n, "OTHER", params) != one  # another entity, another token
    assert _anonymize(CUSTOMER, 0, n, "ID", {**params, "prefix": "c_"}).startswith("c_short_")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"retention": "short", "event_date": "2026-03-02"}, "token_keys"),
        ({"token_keys": "k", "event_date": "2026-03-02"}, "retention"),
        ({"token_keys": "k", "retention": "short"}, "event_date"),
        ({"token_keys": "k", "retention": "short", "event_date": "03/02/2026"}, "ISO date"),
        ({"token_keys": "k", "retention": "../x", "event_date": "2026-03-02"}, "retention"),
    ],
)
def test_the_tokenizer_refuses_params_it_cannot_key(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DataminTokenize().validate(params)


def test_the_tokenizer_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    params = {"token_keys": tmp_path / "absent", "retention": "short", "event_date": "2026-03-02"}
    with pytest.raises(KeyConfigError, match="does not exist"):
        _anonymize(CUSTOMER, 0, len(CUSTOMER), "ID", params)
