"""`datamin compact` on what a stream wrote: the same rows in fewer files, `dispose --verify`
clean, and the stream resumes after it as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from datamin.output.compact import compact
from datamin.output.dispose import verify
from datamin.stream import StreamSettings, stream
from tests.stream.conftest import POLICY, Nats, audits, message, rows

SETTINGS = StreamSettings(batch_size=20, max_wait=0.1, until_idle=0.5)


def data_files(out: Path) -> list[Path]:
    return sorted(out.glob("data/*/*/part-*.parquet"))


def test_compact_on_a_streamed_output_keeps_the_rows_in_fewer_files(
    nats_server: Nats, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 201)])
    stream(nats_server.source(), out, POLICY, settings=SETTINGS)
    before = sorted(map(repr, rows(out))), sorted(map(repr, rows(out, "short")))
    files = data_files(out)
    assert len(files) >= 20  # two classes, one file each per batch of 20
    report = compact(out, older_than=timedelta(0))
    assert report.files_after == 2 < len(files)  # one per class and date
    assert (sorted(map(repr, rows(out))), sorted(map(repr, rows(out, "short")))) == before
    assert verify(out, datetime.now(UTC)) == []
    # The stream goes on after a compaction: resumes after its last batch, rows once.
    nats_server.publish([message(n) for n in range(201, 261)])
    stream(nats_server.source(), out, POLICY, settings=SETTINGS)
    numbers = sorted(r["n"] for r in rows(out))
    assert numbers == sorted(set(numbers)) and len(numbers) == len(rows(out, "short"))
    assert sum(a.get("records_in", 0) for a in audits(out) if a.get("kind") == "stream") == 260
    compact(out, older_than=timedelta(0))
    assert len(data_files(out)) == 2
    assert sorted(r["n"] for r in rows(out)) == numbers
    assert verify(out, datetime.now(UTC)) == []
