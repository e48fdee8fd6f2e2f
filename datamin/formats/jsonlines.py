"""JSON lines (`.jsonl`, `.ndjson`, `.jsonlines`): one record a line, numbered from 1.

A line is yielded as it is, JSON or not: the minimize step parses it and quarantines what is not
a record. A line over the record limit is skipped without being held in memory whole. A line that
is Azure Monitor's wrapper `{"records": [...]}` (an event hub's message, one a line) is its
records, each one record, as the same wrapper is in a JSON document (`har.judged_document`).
Records are numbered by their line; a wrapper's records take the numbers after the last one
given, and the lines after them numbers past those, so that no two records have one number.

Recognized by content (standard input, `.log`, no extension) from the file's first 64 KiB: by a
first line that is a JSON object, or, whatever the first line (cut short, or the tail of a line a
rotation split), by complete lines after it that are all JSON objects. A first line longer than
those 64 KiB cannot be told from a one-line JSON document there: `read_document_or_lines` reads it
and lets what follows it decide.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import IO

import orjson

from datamin.core import strictjson
from datamin.core.records import Item, RawRecord, Unreadable
from datamin.formats.har import MAX_DOCUMENT_BYTES, SPOOL_BYTES, judged_document
from datamin.formats.harstream import Spill, first_pass
from datamin.formats.jsondoc import replay_json
from datamin.formats.registry import BOM, RecordKind, unreadable_from

TOO_LARGE = "LimitExceeded: record larger than the limit"
# A line that may be a `{"records": [...]}` wrapper: parsed to find out (no other line is).
_WRAPPER = re.compile(rb'\s*\{\s*"records"\s*:\s*\[')
_WRAPPER_START = (b'{"records"', b'{ "records"')  # how its writers start one


class JsonLines:
    name = "jsonl"
    extensions = (".jsonl", ".ndjson", ".jsonlines")
    kind: RecordKind | None = None

    def sniff(self, head: bytes) -> bool:
        """A first line that is a whole JSON object; or complete lines after the first that are
        all JSON objects, one at least, so that a first line cut short or too long to parse does
        not make the file one JSON document (its every line lost in one quarantined record). A
        pretty-printed document's inner lines are members (`"key": ...`) and brackets, never
        whole objects (an array's items end in commas but its last, and `]` follows that)."""
        first, *later = head.split(b"\n")
        if _is_object(first):
            return True
        if not later:
            return False
        # The last piece may be a line the head's end cut: judged only by how it starts.
        *complete, last = [line.strip() for line in later]
        whole = [line for line in complete if line]
        if last and not last.startswith(b"{"):
            return False
        return all(map(_is_object, whole)) and (bool(whole) or _is_object(last))

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        return read_lines(path, stream, max_record_bytes)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_json(raw)


def _is_object(line: bytes) -> bool:
    line = line.strip()
    if not line.startswith(b"{"):
        return False
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def read_lines(
    path: str, stream: IO[bytes], max_record_bytes: int, number: int = 0, last: int = 0
) -> Iterator[Item]:
    """Every line from the stream's position on; `number`: the lines already read before it,
    `last`: the number of the last record given before it."""
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
                last = max(number, last + 1)
                yield Unreadable(path, last, TOO_LARGE)
                continue
            if number == 1:
                line = line.removeprefix(BOM)
            if not line.strip():
                continue
            maybe = line.startswith(_WRAPPER_START) or line[:1].isspace()
            if not maybe:  # most lines: read as they are, no wrapper
                last = number if number > last else last + 1
                yield RawRecord(path, last, line)
                continue
            for item in line_records(path, line, max(number, last + 1), max_record_bytes):
                last = item.index
                yield item
    except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors: the rest is unreadable
        yield unreadable_from(path, max(number, last) + 1, exc)


def line_records(path: str, line: bytes, index: int, max_record_bytes: int) -> list[Item]:
    """One line's records, numbered from `index`: the line itself, or, when it is a
    `{"records": [...]}` wrapper of objects and nothing else, each of its records."""
    if _WRAPPER.match(line) is None:
        return [RawRecord(path, index, line)]
    try:
        doc = strictjson.loads(line)
    except (orjson.JSONDecodeError, strictjson.DuplicateKey):
        return [RawRecord(path, index, line)]  # quarantined by the minimize step, as it is
    records = doc.get("records") if isinstance(doc, dict) and len(doc) == 1 else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return [RawRecord(path, index, line)]
    out: list[Item] = []
    for n, record in enumerate(records, index):
        data = strictjson.dumps(record)
        too_large = len(data) > max_record_bytes
        out.append(Unreadable(path, n, TOO_LARGE) if too_large else RawRecord(path, n, data))
    return out


def read_document_or_lines(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
    """A file opening with `{` whose first line runs past the 64 KiB a format is recognized by:
    one JSON document on one line (a compact HAR log), or JSON lines whose first line is long
    (a record of 70 KB, or one cut short). The first line is read as a document (entries spilled
    as `har.read_document` does, nothing held but a record's worth), then what follows it
    decides: nothing, and the line was the document; more, and it was the first of the lines."""
    # Blank lines before the first are passed, and counted: the first line is the first that
    # holds anything (`\n{"log": ...}` is a document on its second line, not an empty record).
    if stream.peek(len(BOM))[: len(BOM)] == BOM:  # type: ignore[attr-defined]
        stream.read(len(BOM))
    try:
        lead, _ = _skip_blank(stream)
    except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors
        yield unreadable_from(path, 1, exc)
        return
    number = 1 + lead
    first = _FirstLine(stream, max_record_bytes)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as file:
        spill = Spill(file)
        try:
            found = first_pass(first, max_record_bytes, MAX_DOCUMENT_BYTES, spill)
            first.drain()
        except Exception as exc:  # noqa: BLE001 - corrupt gzip, a zip bomb, I/O errors
            yield unreadable_from(path, number, exc)
            return
        try:
            breaks, more = _skip_blank(stream)
        except Exception as exc:  # noqa: BLE001 - the first line whole, what follows corrupt
            records = first.records(path, number, max_record_bytes)
            yield from records
            yield unreadable_from(path, records[-1].index + 1, exc)
            return
        if not more:
            yield from judged_document(path, found, spill, max_record_bytes)
            return
    records = first.records(path, number, max_record_bytes)
    yield from records
    last = records[-1].index if records else number
    yield from read_lines(path, stream, max_record_bytes, number=number + breaks, last=last)


class _FirstLine:
    """A stream's bytes up to and including its first line break, then nothing; what it gives
    is also kept while no longer than a record."""

    def __init__(self, stream: IO[bytes], max_record_bytes: int) -> None:
        self._stream = stream
        self._limit = max_record_bytes
        self._ended = False
        self.data: bytearray | None = bytearray()

    def read1(self, size: int = -1) -> bytes:
        if self._ended:
            return b""
        chunk = self._stream.peek(1)  # type: ignore[attr-defined]
        chunk = chunk[:size] if size > 0 else chunk
        end = chunk.find(b"\n")
        if end >= 0 or not chunk:
            chunk, self._ended = chunk[: end + 1] if end >= 0 else chunk, True
        chunk = self._stream.read(len(chunk))
        if self.data is not None and len(self.data) + len(chunk) <= self._limit + 1:
            self.data += chunk  # as `read_lines`, the limit does not count the line break
        else:
            self.data = None
        return chunk

    def drain(self) -> None:
        while self.read1(1 << 20):
            pass

    def records(self, path: str, number: int, max_record_bytes: int) -> list[Item]:
        """The line's records from number `number` (the minimize step judges them): the line, a
        wrapper's records, or one too large to be a record."""
        if self.data is None:
            return [Unreadable(path, number, TOO_LARGE)]
        return line_records(path, bytes(self.data), number, max_record_bytes)


def _skip_blank(stream: IO[bytes]) -> tuple[int, bool]:
    """Pass over white space: the line breaks passed, and whether anything else follows."""
    breaks = 0
    while chunk := stream.peek(1):  # type: ignore[attr-defined]
        blank = len(chunk) - len(chunk.lstrip())
        breaks += chunk.count(b"\n", 0, blank)
        stream.read(blank)
        if blank < len(chunk):
            return breaks, True
    return breaks, False
