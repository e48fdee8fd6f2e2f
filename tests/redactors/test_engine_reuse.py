"""Work the engine does once: spaCy is imported and its model loaded when a value first needs
NER (never for a run whose values do not), NER reads a text once however often it recurs, and
a value's decoded view is made once whether detection, the NER test or NER asks for it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from datamin.redactors import engine as engine_module
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine
from datamin.redactors.findings import Finding
from datamin.redactors.ner_model import DEFAULT_MODEL, ModelNotInstalled


class _CountingNer:
    """Stands for the model: finds `Maria Gonzalez`, and keeps every text it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def detect_batch(self, items: list[tuple[str, FieldContext]]) -> list[list[Finding]]:
        self.seen.extend(text for text, _ in items)
        out = []
        for text, _ in items:
            i = text.find("Maria Gonzalez")
            out.append([] if i < 0 else [Finding("PERSON", i, i + 14, 0.85, "ner")])
        return out


def _engine() -> tuple[DetectionEngine, _CountingNer]:
    engine = DetectionEngine(ner_model=None)
    fake = _CountingNer()
    engine._ner_model = "fake"  # NER on, its model already built: the fake stands for it
    engine._ner = fake  # type: ignore[assignment]
    return engine, fake


def test_a_text_is_read_by_ner_once_however_often_it_recurs() -> None:
    engine, fake = _engine()
    notes = FieldContext.of("request.body.notes", FieldKind.JSON)
    text = "Please call Maria Gonzalez today"
    first = engine.detect_ner([(text, notes), (text, notes), ("Nothing here at all", notes)])
    second = engine.detect_ner([(text, notes)])
    assert fake.seen == [text, "Nothing here at all"]
    assert first[0] == first[1] == second[0] == [Finding("PERSON", 12, 26, 0.85, "ner")]
    assert first[2] == []
    # Each answer is the caller's own list: adding to one changes no other.
    first[0].append(Finding("LOCATION", 0, 6, 0.85, "ner"))
    assert engine.detect_ner([(text, notes)])[0] == second[0]


def test_the_same_text_under_other_context_words_is_read_again() -> None:
    """Presidio is given the field's name as context words: another name, another reading."""
    engine, fake = _engine()
    text = "Please call Maria Gonzalez today"
    engine.detect_ner([(text, FieldContext.of("a.notes", FieldKind.JSON))])
    engine.detect_ner([(text, FieldContext.of("b.notes", FieldKind.JSON))])  # same words
    engine.detect_ner([(text, FieldContext.of("a.comment", FieldKind.JSON))])
    assert fake.seen == [text, text]


def test_an_encoded_text_is_read_decoded_and_mapped_back_from_the_memo_too() -> None:
    engine, fake = _engine()
    ctx = FieldContext.of("body", FieldKind.TEXT)
    plain, encoded = "Hi Maria Gonzalez", "Hi Maria%20Gonzalez"
    [[a]] = engine.detect_ner([(plain, ctx)])
    [[b]] = engine.detect_ner([(encoded, ctx)])
    assert fake.seen == [plain]  # the decoded view is the text NER read already
    assert plain[a.start : a.end] == "Maria Gonzalez"
    assert encoded[b.start : b.end] == "Maria%20Gonzalez"


def test_a_value_going_to_ner_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = _engine()
    calls: list[str] = []
    real = engine_module.decode

    def counting(text: str, plus: Any = "literal") -> Any:
        calls.append(text)
        return real(text, plus)

    monkeypatch.setattr(engine_module, "decode", counting)
    ctx = FieldContext.of("body", FieldKind.TEXT)
    text = "Send it to Maria%20Gonzalez, 12 Main St"
    engine.detect(text, ctx)  # structured detection reads the view
    assert engine.wants_ner(text, ctx)
    engine.detect_ner([(text, ctx)])
    assert calls.count(text) == 1


def test_a_missing_model_is_an_error_when_the_engine_is_built() -> None:
    """Loading waits for the first value that needs NER; knowing it is missing does not."""
    with pytest.raises(ModelNotInstalled):
        DetectionEngine(ner_model="en_core_web_does_not_exist")


def test_spacy_is_imported_only_when_a_value_needs_ner() -> None:
    script = f"""
import sys
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine
engine = DetectionEngine(ner_model={DEFAULT_MODEL!r})
for text, path, kind in [
    ("ann.lee@example.com", "request.body.email", FieldKind.JSON),
    ("4c3575a0-c860-476b-bd5d-01ec6aee27de", "request.headers.x-request-id", FieldKind.HEADER),
    ("application/json", "request.headers.accept", FieldKind.HEADER),
]:
    engine.detect(text, FieldContext.of(path, kind))
assert "spacy" not in sys.modules, "spaCy imported before any value needed NER"
ctx = FieldContext.of("request.body.notes", FieldKind.JSON)
[found] = engine.detect_ner([("Please call Maria Gonzalez in Springfield.", ctx)])
assert "spacy" in sys.modules and any(f.entity == "PERSON" for f in found)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_building_the_detectors_imports_neither_presidio_nor_spacy() -> None:
    script = """
import sys
from datamin.redactors.registry import DetectorSettings, build_detectors
build_detectors(DetectorSettings())
loaded = [m for m in sys.modules if m.split(".")[0] in ("presidio_analyzer", "spacy")]
assert not loaded, loaded
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
