"""Lines of text no format claimed: each line read by the access log grammar it matches
(`textlogs`), a JSON object's line as JSON lines are, and a line that starts like no grammar
(an application's log line, a heading, a note) as a record of one text field, `line`: scanned
as any text, kept as a policy says (`redact_only` keeps it redacted; `api_logs`, whose rules
name no `line`, drops it). A line that starts like a grammar and breaks it (a combined line
cut short) is quarantined on its own, as a JSON-lines file's bad lines are.

The registry reads a file so when no format claims it and it is text (`is_text`), rather than as
one JSON document: a log whose first line a rotation cut, or whose lines mix formats, loses no
line to the others, and its every non-blank line is one record, counted and quarantined on its
own as a JSON-lines file's bad lines are. Binary content has no lines: it stays the JSON
fallback's one record, as a document opening with `{` or `[` does (pretty-printed JSON's
lines are not records).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import IO

import orjson

from datamin.core.records import Item, RawRecord
from datamin.formats.exchange import KIND, started_at
from datamin.formats.jsonlines import JsonLines
from datamin.formats.textlog_formats import TextLogFormat
from datamin.formats.textlogs import NO_GRAMMAR, BadLine, is_text_line, parse_line


class TextLines(TextLogFormat):
    """`--format text`: lines, each read by the grammar it matches."""

    name = "text"
    kind = None  # each line's own: `api` for a text line, by content for a JSON object's

    def sniff(self, head: bytes) -> bool:
        return False  # the registry's fallback for text (`registry.detect_format`), never sniffed

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        for item in JsonLines().read(path, stream, max_record_bytes):
            if isinstance(item, RawRecord) and is_text_line(item.data):
                item = _of_text(item)
            yield item


def of_message(item: RawRecord) -> RawRecord:
    """A streamed message read as a line of a text file is when it is text (`is_text`): an
    access log line as an `api` record, a line of no grammar as a `line` record; anything else
    (JSON, binary) as it came, judged by its content."""
    return _of_text(item) if is_text(item.data) else item


def _of_text(item: RawRecord) -> RawRecord:
    """A text line as an access log record, or, when it starts like no grammar, as a generic
    record whose one field is the line."""
    parsed = parse_line(item.data)
    if isinstance(parsed, BadLine) and parsed.problem == NO_GRAMMAR:
        text = item.data.decode("utf-8", "replace").rstrip("\r\n")
        stamp = _STAMP.match(text)
        when = started_at(stamp.group()) if stamp is not None else None
        record = {LINE: text} if when is None else {TIME: when, LINE: text}
        return replace(item, data=orjson.dumps(record), kind="json")
    return replace(item, kind=KIND)


LINE = "line"  # the field a line of no grammar is read into
TIME = "timestamp"  # its time, when it starts with one: `redact_only` and `api_logs` read it
# An ISO 8601 time at the start of a line, as application logs write it (Python's logging,
# log4j, Go's log, journald's export): `2026-12-01 10:00:01,123`, `2026-12-01T10:00:01.5Z`.
_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?(?!\d)")


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
