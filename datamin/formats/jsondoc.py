"""JSON (`.json`): an array, cut into items unparsed so that a bad item is one record, or a
single document, which is one record unless it is a HAR log (then its entries are). What is in
fact JSON lines is read as lines (see `jsonlines`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from datamin.core.records import Item, RawRecord, Unreadable
from datamin.core.strictjson import ArraySplitter, Piece
from datamin.formats.har import read_document
from datamin.formats.registry import BOM, RecordKind, unreadable_from


class JsonDocument:
    name = "json"
    extensions = (".json",)
    kind: RecordKind | None = None

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"[", b"{"))

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        from datamin.formats.jsonlines import JsonLines, read_document_or_lines, read_lines

        head = stream.peek(65536)[:65536].removeprefix(BOM).lstrip()  # type: ignore[attr-defined]
        if head.startswith(b"["):
            return _read_array(path, stream, max_record_bytes)
        if b"\n" in head.rstrip() and JsonLines().sniff(head):
            # JSON lines under this name (exports often are): read as one document, every
            # line would be lost in one quarantined record.
            return read_lines(path, stream, max_record_bytes)
        if b"\n" not in head:
            # A first line past the head: one document, or the first of long lines.
            return read_document_or_lines(path, stream, max_record_bytes)
        # A single document: a HAR file under another name, or one record.
        return read_document(path, stream, max_record_bytes)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_json(raw)


def replay_json(raw: bytes) -> tuple[str, bytes]:
    """One line as `.jsonl`; anything longer as a single `.json` document."""
    if b"\n" not in raw[:-1]:
        return ".jsonl", raw
    return ".json", raw


def _read_array(path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
    """Items cut out unparsed, so each is parsed, and can fail, on its own."""
    splitter = ArraySplitter(max_record_bytes)
    index = 1  # records count from 1 in every format; 0 is the file as a whole
    try:
        if stream.peek(3)[:3] == BOM:  # type: ignore[attr-defined]
            stream.read(3)
        while chunk := stream.read1(1 << 20):  # type: ignore[attr-defined]
            for piece in splitter.feed(chunk):
                yield _array_item(path, index, piece)
                index += 1
    except Exception as exc:  # noqa: BLE001 - corrupt gzip, I/O errors: the rest is unreadable
        yield unreadable_from(path, index, exc)
        return
    for piece in splitter.end():
        yield _array_item(path, index, piece)
        index += 1


def _array_item(path: str, index: int, piece: Piece) -> Item:
    if piece.error is not None:
        return Unreadable(path, index, piece.error, piece.data)
    return RawRecord(path, index, piece.data)
