"""Reading archives: each file becomes a stream of raw records, in bounded memory.

Formats by extension, then by content: HAR 1.2 (`.har`, BOM or not; one entry a record),
JSONL/NDJSON (one record a line), JSON arrays (cut into items unparsed, so a bad item is one
record) and single JSON documents; any of them gzip-compressed. Files are opened through Beam's
filesystems, so `gs://` and `s3://` work where those extras are installed. Nothing here judges
a record: a line that is not JSON is still yielded as raw bytes, and the minimize step
quarantines it with every other failure. Only what makes a file unreadable as a whole is
reported here, as `Unreadable`.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator
from typing import IO, Any, Literal

import orjson
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from datamin.core import strictjson
from datamin.core.records import Item, RawRecord, Unreadable
from datamin.core.strictjson import ArraySplitter, DuplicateKey, Piece

BOM = b"\xef\xbb\xbf"
GZIP_MAGIC = b"\x1f\x8b"
Format = Literal["har", "jsonl", "json"]
# A HAR file is one JSON document: it is held in memory whole, up to this size.
MAX_HAR_FILE_BYTES = 1024 * 1024 * 1024


def detect_format(path: str, head: bytes) -> Format:
    name = path.lower().removesuffix(".gz").removesuffix(".gzip")
    if name.endswith(".har"):
        return "har"
    if name.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    # Unknown extension: a document whose first line is a whole JSON value is JSON lines.
    text = head.removeprefix(BOM).lstrip()
    first_line = text.split(b"\n", 1)[0].strip()
    if first_line.startswith(b"{"):
        try:
            orjson.loads(first_line)
        except orjson.JSONDecodeError:
            return "json"
        return "jsonl"
    return "json"


def read_file(path: str, max_record_bytes: int) -> Iterator[Item]:
    """Every record of one file, streamed; a failure mid-file ends it with one `Unreadable`."""
    try:
        handle = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    except Exception as exc:  # noqa: BLE001 - any filesystem's error: the file is unreadable
        yield Unreadable(path, 0, f"InputError: cannot open ({type(exc).__name__})")
        return
    with handle:
        stream = io.BufferedReader(_Raw(handle), buffer_size=1 << 20)
        # Python's gzip, not Beam's: it raises on a stream cut short instead of ending quietly.
        if stream.peek(2)[:2] == GZIP_MAGIC:
            stream = io.BufferedReader(_Raw(gzip.GzipFile(fileobj=stream)), buffer_size=1 << 20)
        try:
            head = stream.peek(65536)[:65536]
        except Exception as exc:  # noqa: BLE001
            yield Unreadable(path, 0, f"InputError: cannot read ({type(exc).__name__})")
            return
        if not head.removeprefix(BOM).strip():
            yield Unreadable(path, 0, "InputError: empty file")
            return
        fmt = detect_format(path, head)
        reader = {"har": _read_har, "jsonl": _read_jsonl, "json": _read_json}[fmt]
        yield from reader(path, stream, max_record_bytes)


def _read_jsonl(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
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
                yield RawRecord(path, number, line, har=False)
    except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors: the rest is unreadable
        yield Unreadable(
            path, number + 1, f"InputError: unreadable from here on ({type(exc).__name__})"
        )


def _read_json(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
    head = stream.peek(65536)[:65536].removeprefix(BOM).lstrip()  # type: ignore[attr-defined]
    if head.startswith(b"["):
        yield from _read_array(path, stream, max_record_bytes)
        return
    # A single document: a HAR file under another name, or one record.
    yield from _read_document(path, stream, max_record_bytes)


def _read_array(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
    """Items cut out unparsed, so each is parsed, and can fail, on its own."""
    splitter = ArraySplitter(max_record_bytes)
    index = 0
    try:
        _skip_bom(stream)
        while chunk := stream.read1(1 << 20):  # type: ignore[attr-defined]
            for piece in splitter.feed(chunk):
                yield _array_item(path, index, piece)
                index += 1
    except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors: the rest is unreadable
        yield Unreadable(path, index, f"InputError: unreadable from here on ({type(exc).__name__})")
        return
    for piece in splitter.end():
        yield _array_item(path, index, piece)
        index += 1


def _array_item(path: str, index: int, piece: Piece) -> Item:
    if piece.error is not None:
        return Unreadable(path, index, piece.error, piece.data)
    return RawRecord(path, index, piece.data, har=False)


def _read_har(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
    yield from _read_document(path, stream, max_record_bytes, must_be_har=True)


def _read_document(
    path: str,
    stream: IO[bytes],
    max_record_bytes: int,
    *,
    must_be_har: bool = False,
) -> Iterator[Item]:
    try:
        raw = stream.read(MAX_HAR_FILE_BYTES + 1)
    except Exception as exc:  # noqa: BLE001
        yield Unreadable(path, 0, f"InputError: cannot read ({type(exc).__name__})")
        return
    if len(raw) > MAX_HAR_FILE_BYTES:
        yield Unreadable(path, 0, "LimitExceeded: document larger than the limit")
        return
    try:
        doc = strictjson.loads(raw.removeprefix(BOM))
    except orjson.JSONDecodeError:
        yield Unreadable(path, 0, "InputError: invalid JSON document", raw)
        return
    except DuplicateKey:
        try:
            doc = json.loads(raw.removeprefix(BOM), object_pairs_hook=_marking_duplicates)
        except RecursionError:  # nested too deep for Python's parser to say where
            yield Unreadable(path, 0, "DuplicateKey: a key appears twice in the document", raw)
            return
        duplicated = True
    else:
        duplicated = False
    entries = _har_entries(doc)
    if entries is None:
        if must_be_har:
            yield Unreadable(
                path, 0, "InputError: not a HAR 1.2 document (no log.entries list)", raw
            )
        elif len(raw) > max_record_bytes:
            yield Unreadable(path, 0, "LimitExceeded: record larger than the limit")
        else:
            yield RawRecord(path, 0, raw.removeprefix(BOM), har=False)
        return
    if duplicated and _outside_entries_duplicated(doc):  # type: ignore[arg-type]
        # Which log, which entries: ambiguous for the whole document.
        yield Unreadable(path, 0, "DuplicateKey: a key appears twice in the HAR document", raw)
        return
    for index, entry in enumerate(entries):
        if duplicated and _has_duplicate(entry):
            yield Unreadable(path, index, "DuplicateKey: a key appears twice in one JSON object")
            continue
        data = orjson.dumps(entry)
        if len(data) > max_record_bytes:
            yield Unreadable(path, index, "LimitExceeded: record larger than the limit")
        else:
            yield RawRecord(path, index, data, har=True)


class _Raw(io.RawIOBase):
    """Any file object with `read(n)` (Beam's compressed files have no `readinto`) as a raw
    stream, so `io.BufferedReader` can give it `peek` and bounded `readline`."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._error: Exception | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill `buffer` as far as the stream goes. Read in `read1` steps, so that a gzip stream
        cut short first gives what it decoded before the cut (`read(n)` would raise and lose
        it); the error comes on the next call."""
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        read = getattr(self._handle, "read1", self._handle.read)
        n, want = 0, len(buffer)
        while n < want:
            try:
                data = read(want - n)
            except Exception as exc:
                if not n:
                    raise
                self._error = exc
                break
            if not data:
                break
            buffer[n : n + len(data)] = data
            n += len(data)
        return n


def _har_entries(doc: object) -> list[object] | None:
    if not isinstance(doc, dict):
        return None
    log = doc.get("log")
    if not isinstance(log, dict) or not isinstance(log.get("entries"), list):
        return None
    return log["entries"]


class _Duplicated(dict):  # type: ignore[type-arg]
    """An object of a document that had a key twice (read only to say which entries did)."""


def _marking_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = {k for k, _ in pairs}
    return _Duplicated(pairs) if len(keys) < len(pairs) else dict(pairs)


def _has_duplicate(value: object) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, _Duplicated):
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _outside_entries_duplicated(doc: dict[str, Any]) -> bool:
    log = doc["log"]
    return (
        isinstance(doc, _Duplicated)
        or isinstance(log, _Duplicated)
        or any(_has_duplicate(v) for k, v in doc.items() if k != "log")
        or any(_has_duplicate(v) for k, v in log.items() if k != "entries")
    )


def _skip_bom(stream: IO[bytes]) -> None:
    if stream.peek(3)[:3] == BOM:  # type: ignore[attr-defined]
        stream.read(3)


def expand_patterns(patterns: list[str]) -> list[str]:
    """Every file the patterns match, sorted and deduplicated; a pattern matching nothing is an
    error the CLI reports before the pipeline starts. Local paths are made absolute and normal:
    a file's identity (its output file names) must not depend on how or where it was named,
    and workers on other machines or in other directories open the same path."""
    from datamin.errors import InputError

    found: set[str] = set()
    for pattern in patterns:
        if "://" not in pattern:
            pattern = os.path.abspath(os.path.expanduser(pattern))
        results = FileSystems.match([pattern])[0].metadata_list
        if not results:
            raise InputError(f"no input matches {pattern}")
        found.update(m.path for m in results if m.size_in_bytes >= 0)
    return sorted(found)
