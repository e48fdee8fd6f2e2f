"""The Parquet writer of a bundle: one file per class and date whatever the sources, rolled at
its target size, each source's rows together and recorded (`segments`), names from the sources'
keys and the first record (the one source's key alone: a stream's files are named as before)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from datamin.core.config import RunConfig
from datamin.keys import KeySource
from datamin.output.layout import DATA_NAME, files_key
from datamin.pipelines import parquet_sink
from datamin.pipelines.parquet_sink import PartitionWriter, StagedFile
from datamin.policies.loader import load_policy

POLICY = """\
version: 1
name: sink
event_time: [timestamp]
retention:
  default: short
  classes: {short: 7d, long: 30d}
detection:
  ner: false
fields:
  - {path: n, action: keep, column: n, type: int64}
  - {path: status, action: keep, column: status, retention: long}
"""
A, B, C = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"


@pytest.fixture
def writer(tmp_path: Path) -> PartitionWriter:
    (tmp_path / "p.yaml").write_text(POLICY)
    config = RunConfig(load_policy(tmp_path / "p.yaml"), KeySource(env="DATAMIN_KEY"), date.today())
    return PartitionWriter(
        str(tmp_path / "out"), config.engines().policy, "20260301T000000Z-abcdef"
    )


def _rows(n: int) -> dict[str, dict[str, Any]]:
    return {
        "short": {"record_id": f"r{n}", "n": n, "fields": {}},
        "long": {"record_id": f"r{n}", "status": "ok", "fields": {}},
    }


def _add(writer: PartitionWriter, records: list[tuple[str, int, str]]) -> list[StagedFile]:
    closed = []
    for source, n, day in records:
        closed += writer.add(source, n, day, _rows(n))
    return closed + writer.close_all()


def _check(f: StagedFile) -> list[int]:
    """The file holds the rows it says, each segment's rows its source's (n // 100 here)."""
    numbers = pq.read_table(f.path).column("n").to_pylist() if "short" in f.path else []
    assert pq.read_metadata(f.path).num_rows == f.rows == sum(n for _, n in f.segments)
    at = 0
    for source, n in f.segments:
        assert all(x // 100 == "abc".index(source[0]) for x in numbers[at : at + n])
        at += n
    return numbers


def test_interleaved_sources_share_one_file_per_class_and_date(writer: PartitionWriter) -> None:
    records = [
        (s, base + i, f"2026-03-0{1 + i % 2}")
        for i in range(6)
        for s, base in ((A, 0), (B, 100), (C, 200))
    ]
    files = _add(writer, records)
    assert len(files) == 4  # 2 classes x 2 dates
    for f in files:
        assert [s for s, _ in f.segments] == [A, B, C]  # each source's rows together
        numbers = _check(f)
        assert numbers == sorted(numbers)  # A's rows (0..), then B's (100..), then C's
        m = DATA_NAME.match(Path(f.path).name)
        assert m is not None and m.group(1) == files_key([A, B, C]) and len(m.group(1)) == 16
    assert Counter(n for f in files for n in _check(f)) == Counter(r[1] for r in records)


def test_a_file_of_one_source_is_named_by_it_and_its_first_record(
    writer: PartitionWriter,
) -> None:
    files = _add(writer, [(A, n, "2026-03-01") for n in (7, 8, 9)])
    assert sorted(Path(f.path).name for f in files) == [f"part-{A}-0000000007.parquet"] * 2


def test_a_file_rolls_at_its_target_rows_and_names_stay_unique(
    writer: PartitionWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_sink, "TARGET_FILE_ROWS", 4)
    # One position for every record, as a Beam window's: names taken get `-<n>`.
    files = _add(writer, [(A, 5, "2026-03-01") for _ in range(10)] + [(B, 100, "2026-03-01")])
    short = sorted(Path(f.path).name for f in files if "short" in f.path)
    assert [f.rows for f in files if "short" in f.path] == [4, 4, 3]
    assert short == sorted(
        [
            f"part-{A}-0000000005.parquet",
            f"part-{A}-0000000005-1.parquet",
            f"part-{files_key([A, B])}-0000000005.parquet",
        ]
    )


def test_rows_roll_into_row_groups_with_their_segments(
    writer: PartitionWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_sink, "ROW_GROUP_ROWS", 4)
    records = [(B, 100 + i, "2026-03-01") for i in range(3)] + [
        (A, i, "2026-03-01") for i in range(3)
    ]
    [short, _] = sorted(_add(writer, records), key=lambda f: "long" in f.path)
    # a row group of the first four (A's one row before B's three), then A's last two
    assert short.segments == ((A, 1), (B, 3), (A, 2))
    _check(short)
    assert pq.read_metadata(short.path).num_row_groups == 2
