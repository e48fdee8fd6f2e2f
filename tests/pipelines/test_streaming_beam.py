"""`MinimizeStream` under Beam's TestStream (the BundleBasedDirectRunner, which the DirectRunner
picks for a TestStream, offline): each window committed as one run of the output, rows in
their event date's partition, quarantine without values, counts that balance, and windows
that a retry or a replay commits once."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.test_stream import TestStream as BeamTestStream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import IntervalWindow, TimestampedValue
from apache_beam.utils.timestamp import MIN_TIMESTAMP, Timestamp

from datamin.core.config import RunConfig
from datamin.core.records import RawRecord, Unreadable
from datamin.errors import OutputError
from datamin.keys import KeySource
from datamin.leakscan import needles_for, scan_tree
from datamin.output import commit
from datamin.output.layout import OutputLayout
from datamin.output.manifest import files_of
from datamin.output.rowcheck import verify_rows
from datamin.pipelines import MinimizeStream
from datamin.pipelines.streaming import _CommitWindowFn, _ToRecordFn
from datamin.policies import bundled
from datamin.policies.loader import load_policy


@dataclasses.dataclass(frozen=True)
class Planted:
    entity: str
    value: str


EMAIL = Planted("EMAIL_ADDRESS", "ann.lee@example.com")
CARD = Planted("CREDIT_CARD", "4111 1111 1111 1111")
TOKEN = Planted("BEARER_TOKEN", "4eC39HqLyjWDarjtT1zdp7dc")
IN_BAD = Planted("PERSON", "Quarantina Valueless")  # only in records that are quarantined
NEEDLES = needles_for([EMAIL, CARD, TOKEN, IN_BAD])

STREAM = "test:orders"
WINDOW = 60
FIRST = datetime(2026, 12, 4, 23, 59, tzinfo=UTC)  # a window that ends at midnight
SECOND = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
THIRD = datetime(2026, 12, 5, 0, 1, tzinfo=UTC)
PLANTED_BODY = f"mail {EMAIL.value}, card {CARD.value}, auth Bearer {TOKEN.value}"


def _at(when: datetime, seconds: int = 0) -> Timestamp:
    return Timestamp(when.timestamp() + seconds)


def _message(sid: str, when: str | None, body: str) -> bytes:
    record: dict[str, Any] = {"sid": sid, "status": "sent", "direction": "inbound", "body": body}
    if when is not None:
        record["date_created"] = when
    return json.dumps(record).encode()


def _first_window() -> list[bytes]:
    return [
        _message("SM1", "Fri, 04 Dec 2026 23:59:10 +0000", PLANTED_BODY),
        b'{"sid": "SM2", "body": "' + IN_BAD.value.encode(),  # cut short: quarantined
        b'{"unknown": "nothing a rule keeps"}',  # dropped
    ]


def _events() -> BeamTestStream:
    first = [TimestampedValue(m, _at(FIRST, 10 + i)) for i, m in enumerate(_first_window())]
    # One bundle across two windows: each window gets its own counts. SM4 has no event time
    # (dated by its window); the last message comes with its offset.
    sm3 = _message("SM3", "Sat, 05 Dec 2026 00:00:15 +0000", PLANTED_BODY)
    sm4 = _message("SM4", None, f"Bearer {TOKEN.value}")
    later = [
        TimestampedValue(sm3, _at(SECOND, 15)),
        TimestampedValue(sm4, _at(SECOND, 16)),
        TimestampedValue((42, b'["' + IN_BAD.value.encode() + b'"]'), _at(THIRD, 5)),
    ]
    # In the first window after it fired (the watermark is at its end, so Beam's default trigger
    # would fire it again): dropped by the runner, in no file and no window's counts.
    late = [TimestampedValue(_message("SM5", None, PLANTED_BODY), _at(FIRST, 30))]
    return (
        BeamTestStream()
        .add_elements(first)
        .advance_watermark_to(_at(SECOND))
        .add_elements(later)
        .add_elements(late)
        .advance_watermark_to_infinity()
    )


def _config() -> RunConfig:
    # A run date far from the events: an undated record takes its window's date instead.
    loaded = load_policy(bundled("messages"))
    return RunConfig(loaded, KeySource(env="DATAMIN_KEY"), date(2026, 1, 1), ner=False)


def _run(out: Path, *, replayed: bool = False) -> None:
    options = PipelineOptions([], streaming=True)  # not sys.argv: pytest's flags are not Beam's
    with BeamTestPipeline(options=options) as p:
        counts = (
            p
            | "Messages" >> _events()
            | "Minimize"
            >> MinimizeStream(str(out), _config(), stream=STREAM, window_seconds=WINDOW)
        )
        seen = counts | beam.Map(
            lambda c: (
                c.window_start,
                c.records_in,
                c.records_written,
                c.records_dropped,
                c.records_quarantined,
                c.balanced,
                c.replayed,
            )
        )
        expected = [
            (FIRST.isoformat(), 3, 1, 1, 1, True, replayed),
            (SECOND.isoformat(), 2, 2, 0, 0, True, replayed),
            (THIRD.isoformat(), 1, 0, 0, 1, True, replayed),
        ]
        assert_that(seen, equal_to(expected))


def _parquet_rows(out: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    for path in sorted((out / "data").rglob("*.parquet")):
        partition = path.parent.relative_to(out / "data").as_posix()
        rows[partition] = rows.get(partition, 0) + pq.read_metadata(path).num_rows
    return rows


def _audits(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((out / "_audit" / "runs").glob("*.json"))]


def _quarantine_entries(out: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted((out / "_quarantine").rglob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_each_window_commits_as_a_run_of_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out)
    # Rows in their event date's partition; the undated record in its window's date, not the
    # run date; the late record nowhere.
    assert _parquet_rows(out) == {
        "retention=analytics/date=2026-12-04": 1,
        "retention=operations/date=2026-12-04": 1,
        "retention=analytics/date=2026-12-05": 2,
        "retention=operations/date=2026-12-05": 2,
    }
    audits = _audits(out)
    starts = [a["stream"]["window"]["start"] for a in audits]
    assert starts == [FIRST.isoformat(), SECOND.isoformat(), THIRD.isoformat()]
    for audit in audits:
        assert audit["kind"] == "stream" and audit["balanced"]
        assert audit["records_in"] == (
            audit["records_written"] + audit["records_dropped"] + audit["records_quarantined"]
        )
        files = files_of(OutputLayout(str(out)), audit)  # listed in its manifest
        assert len(files) == audit["files_written"]
        for relative in files + audit["quarantine_files"]:
            assert (out / relative).is_file()
    # File names derive from the stream and the window: the same in every partition of one.
    names = {p.name for p in (out / "data").rglob("*.parquet")}
    stream_id = audits[0]["stream"]["source_id"]
    assert names == {
        f"part-{stream_id}-{int(FIRST.timestamp())}.parquet",
        f"part-{stream_id}-{int(SECOND.timestamp())}.parquet",
    }
    entries = _quarantine_entries(out)
    assert sorted(e["error"] for e in entries) == [
        "InputError: a record must be a JSON object, not an array",
        "InputError: invalid JSON",
    ]
    assert 42 in [e["index"] for e in entries]  # an offset given with the message places it
    assert all(set(e) == {"source", "source_id", "index", "error", "raw_hmac"} for e in entries)
    assert scan_tree(out, NEEDLES) == []  # every file's bytes, hidden ones too
    assert not (out / "_staging").exists()
    assert list(out.rglob(".*")) == []  # no temporary file left
    assert verify_rows(OutputLayout(str(out))) == []  # as `dispose --verify` checks it


def test_a_replayed_stream_writes_nothing_twice(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "_lock"}
    _run(out, replayed=True)  # the recorded counts, nothing written
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "_lock"}
    assert after == before


def test_messages_become_records_and_anything_but_bytes_is_quarantined() -> None:
    fn, at = _ToRecordFn(STREAM), _at(FIRST)
    assert list(fn.process(b"{}", at)) == [RawRecord(STREAM, at.micros, b"{}")]  # its time
    assert list(fn.process((7, b"{}"), at)) == [RawRecord(STREAM, 7, b"{}")]  # its offset
    [text] = fn.process('{"email": "ann.lee@example.com"}', at)
    assert text == Unreadable(STREAM, at.micros, "InputError: a message is bytes, not str")
    with pytest.raises(ValueError, match="timestamps"):  # a source that sets none: no window
        list(fn.process(b"{}", MIN_TIMESTAMP))


def _window_items() -> list[Any]:
    """The first window as `Minimize` hands it on: outcomes, then the window's counts."""
    minimizer = _config().minimizer()
    minimizer.run_date = FIRST.date().isoformat()  # as `Minimize` dates a window's records
    records = [RawRecord(STREAM, i, m) for i, m in enumerate(_first_window())]
    return [o for o in minimizer.process(records) if o is not None] + [minimizer.stats]


def _commit_fn(out: Path) -> _CommitWindowFn:
    fn = _CommitWindowFn(str(out), _config(), STREAM, WINDOW, lock_wait=5.0)
    fn.setup()
    return fn


def test_a_failed_window_leaves_nothing_and_its_retry_commits_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fn, window, items = _commit_fn(out), IntervalWindow(_at(FIRST), _at(SECOND)), _window_items()

    def lost_worker() -> Iterator[Any]:
        yield from items[:2]  # a row staged, an entry written
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        list(fn.process(("", lost_worker()), window))
    assert not list((out / "data").rglob("*.parquet")) and _audits(out) == []
    assert not (out / "_staging").exists() and list(out.rglob(".*")) == []
    (counts,) = fn.process(("", items), window)
    assert (counts.records_in, counts.records_written, counts.replayed) == (3, 1, False)
    (again,) = fn.process(("", items), window)  # the same window, retried after its commit
    assert again == dataclasses.replace(counts, replayed=True)
    assert len(_audits(out)) == 1 and len(_quarantine_entries(out)) == 1
    assert scan_tree(out, NEEDLES) == []


def test_a_message_dated_past_its_window_is_filed_under_the_windows_date() -> None:
    """A window's records are dated as a run's (`datamin.core.event_dates`), the window's start
    being the run's date: one dated 2126 is kept as long as the window's own, no longer."""
    from datamin.core.minimize import Written
    from datamin.pipelines.transforms import _MinimizeFn

    fn = _MinimizeFn(_config(), None)
    fn.setup()
    fn.start_bundle()
    window = IntervalWindow(_at(FIRST), _at(SECOND))
    messages = [
        _message("SM1", "Fri, 04 Dec 2026 23:59:10 +0000", "hello"),
        _message("SM2", "Sat, 05 Dec 2026 10:00:00 +0000", "hello"),  # within the day's allowance
        _message("SM3", "Tue, 01 Dec 2126 10:00:00 +0000", "hello"),
    ]
    try:
        out = list(fn.process([RawRecord(STREAM, i, m) for i, m in enumerate(messages)], window))
    finally:
        fn.teardown()
    assert [o.date for o in out if isinstance(o, Written)] == [
        "2026-12-04",
        "2026-12-05",
        "2026-12-04",
    ]
    assert fn.counts[window].event_time_future == 1 and fn.counts[window].balanced()


def test_a_window_stopped_after_its_intent_is_completed_by_its_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    fn, window, items = _commit_fn(out), IntervalWindow(_at(FIRST), _at(SECOND)), _window_items()
    real = commit.complete

    def stopped(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commit, "complete", stopped)  # stops right after its intent
    with pytest.raises(OutputError, match="No space left"):
        list(fn.process(("", items), window))
    assert _audits(out) == [] and not list((out / "data").rglob("*.parquet"))
    # Decided: intent and staged files are kept for the retry (none deleted, none visible).
    assert list((out / "_audit" / "commits").glob("*.json"))
    assert list((out / "_staging").rglob("*.parquet"))
    monkeypatch.setattr(commit, "complete", real)
    (counts,) = fn.process(("", items), window)
    assert counts.replayed and counts.balanced  # decided by the stopped attempt, completed now
    assert _parquet_rows(out) == {
        "retention=analytics/date=2026-12-04": 1,
        "retention=operations/date=2026-12-04": 1,
    }
    assert verify_rows(OutputLayout(str(out))) == []
    assert not (out / "_staging").exists()
