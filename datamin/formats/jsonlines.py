"""JSON lines (`.jsonl`, `.ndjson`, `.jsonlines`): one record a line, numbered from 1.

A line is yielded as it is, JSON or not: the minimize step parses it and quarantines what is not
a record. A line over the record limit is skipped without being held in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import orjson

from datamin.core.records import Item, RawRecord, Unreadable
from datamin.formats.jsondoc import replay_json
from datamin.formats.registry import BOM, RecordKind, unreadable_from


class JsonLines:
    name = "jsonl"
    extensions = (".jsonl", ".ndjson", ".jsonlines")
    kind: RecordKind | None = None

    def sniff(self, head: bytes) -> bool:
        """A file whose first line is a whole JSON object."""
        first_line = head.split(b"\n", 1)[0].strip()
        if not first_line.startswith(b"{"):
            return False
        try:
            orjson.loads(first_line)
        except orjson.JSONDecodeError:
            return False
        return True

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        number = 0
        try:
            while True:
                # readline with a bound: a line over the limit is not held in memory whole.
                line = stream.readline(max_record_bytes + 1)
                if not line:
                    return
                number += 1
                if len(line) > max_record_bytes and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of the long line
                        line = stream.readline(1 << 20)
                    yield Unreadable(path, number, "LimitExceeded: record larger than the limit")
                    continue
                if number == 1:
                    line = line.removeprefix(BOM)
                if line.strip():
                    yield RawRecord(path, number, line)
        except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors: the rest is unreadable
            yield unreadable_from(path, number + 1, exc)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_json(raw)
