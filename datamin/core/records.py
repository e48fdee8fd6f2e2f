"""A record as it comes off a source: its bytes and where it was, or why none could be read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawRecord:
    source: str  # the file's path or URI
    index: int  # position in the file: HAR entry index, JSONL line number (1-based), array item
    data: bytes  # the record as JSON bytes, unparsed
    # The record kind its format says it has (`har`: taken from a HAR file's log.entries, so
    # parsed and checked as a HAR entry); None: the kind is decided by the record's content.
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file, or the rest of one, that yields no records: counted as one quarantined record."""

    source: str
    index: int  # the position where reading stopped
    error: str  # a class of problem, never content
    raw: bytes = b""  # what could be read of the failing unit, for the keyed hash only


Item = RawRecord | Unreadable
