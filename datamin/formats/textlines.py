"""Lines of text no format claimed: each line read by the access log grammar it matches
(`textlogs`), a JSON object's line as JSON lines are, a line of none quarantined on its own.

The registry reads a file so when no format claims it and it is text (`is_text`), rather than as
one JSON document: a log whose first line a rotation cut, or whose lines mix formats, loses no
line to the others, and its every non-blank line is one record, counted and quarantined on its
own as a JSON-lines file's bad lines are. Binary content has no lines: it stays the JSON
fallback's one record, as a document opening with `{` or `[` does (pretty-printed JSON's
lines are not records).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import IO

import orjson

from datamin.core.records import Item, RawRecord
from datamin.formats.exchange import KIND
from datamin.formats.jsonlines import JsonLines
from datamin.formats.textlogs import _TextLog, is_text_line


class TextLines(_TextLog):
    """`--format text`: lines, each read by the grammar it matches."""

    name = "text"
    kind = None  # each line's own: `api` for a text line, by content for a JSON object's

    def sniff(self, head: bytes) -> bool:
        return False  # the registry's fallback for text (`registry.detect_format`), never sniffed

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        for item in JsonLines().read(path, stream, max_record_bytes):
            if isinstance(item, RawRecord) and is_text_line(item.data):
                item = replace(item, kind=KIND)
            yield item


def is_text(head: bytes) -> bool:
    """Whether a file's head is text to read as lines rather than as a document: UTF-8 (its
    last character may be cut), no NUL byte, not opening as JSON does (`{`, `[`) and not one
    JSON value (`"a"`, `12`)."""
    if b"\x00" in head or not is_text_line(head.split(b"\n", 1)[0] or b"x"):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data":
            return False
    try:
        orjson.loads(head)
    except orjson.JSONDecodeError:
        return True
    return False
