"""Zip-bomb defence: past `RATIO_AFTER` decompressed bytes, a file expanding more than
`MAX_RATIO` times its compressed size ends in one quarantined `LimitExceeded`."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import read_file, reading

LINE = b'{"note": "' + b"x" * 20000 + b'"}\n'


@pytest.fixture(autouse=True)
def small_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "RATIO_AFTER", 1 << 20)  # 1 MiB instead of 16: a fast test


@pytest.mark.parametrize("name", ["bomb.jsonl.gz", "bomb.json.gz", "bomb.har.gz"])
def test_a_bomb_stops_with_one_limit_entry(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".jsonl.gz"):
        body = LINE * 200
    elif name.endswith(".json.gz"):
        body = b"[" + b",".join([LINE.strip()] * 200) + b"]"
    else:
        body = b'{"log": {"entries": [' + b",".join([LINE.strip()] * 200) + b"]}}"
    path.write_bytes(gzip.compress(body))
    assert len(body) / path.stat().st_size > reading.MAX_RATIO
    items = list(read_file(str(path), 4 << 20))
    failed = [i for i in items if isinstance(i, Unreadable)]
    assert len(failed) == 1 and failed[0] is items[-1]
    assert failed[0].error.startswith("LimitExceeded: decompressed more than 500 times")
    assert "x" * 10 not in failed[0].error
    # Stopped soon after the floor: nowhere near the 4,000 records the file expands to.
    assert len(items) < 200 * 2 // 3


def test_an_ordinary_compressed_file_is_read_whole(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [b'{"n": "%s"}\n' % rng.randbytes(60).hex().encode() for _ in range(20000)]
    path = tmp_path / "ok.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(lines)))
    items = list(read_file(str(path), 4 << 20))
    assert len(items) == 20000 and all(isinstance(i, RawRecord) for i in items)
