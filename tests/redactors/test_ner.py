"""NER through Presidio: names and places in free text, offline, model configurable."""

from __future__ import annotations

import socket

import pytest
import tldextract.tldextract

from redactors.context import FieldContext, FieldKind
from redactors.ner import ModelNotInstalled, NerDetector


@pytest.fixture(scope="module")
def ner() -> NerDetector:
    return NerDetector()


def test_names_and_places_in_a_sentence(ner: NerDetector) -> None:
    text = "Please call Maria Gonzalez in Springfield before delivery."
    [found] = ner.detect_batch([(text, FieldContext.of("request.body.notes", FieldKind.JSON))])
    spans = {(f.entity, text[f.start : f.end]) for f in found}
    assert ("PERSON", "Maria Gonzalez") in spans
    assert ("LOCATION", "Springfield") in spans
    assert all(f.detector == "ner" for f in found)


def test_a_batch_keeps_its_order(ner: NerDetector) -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    out = ner.detect_batch([("Nothing to see here.", ctx), ("Ask John Smith.", ctx)])
    assert out[0] == [] and [f.entity for f in out[1]] == ["PERSON"]


def test_a_missing_model_is_an_error_not_a_download(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(ModelNotInstalled):
        NerDetector(model="en_core_web_does_not_exist")


def test_building_ner_makes_presidio_email_validation_offline(ner: NerDetector) -> None:
    extractor = tldextract.tldextract.TLD_EXTRACTOR
    assert extractor.suffix_list_urls == ()  # the bundled snapshot, never a fetch
