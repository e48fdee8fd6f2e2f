"""datamin's parts in Presidio pipelines: its recognizer in an `AnalyzerEngine`, its keyed
pseudonymizer in an `AnonymizerEngine`, giving what a datamin run gives under the same key."""

from __future__ import annotations

from typing import Any

import pytest
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

import datamin
from datamin.redactors.presidio_bridge import DataminPseudonymize, DataminRecognizer

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
