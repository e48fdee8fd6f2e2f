"""A record as it comes off a source: its bytes and where it was, or why none could be read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datamin.keys import KeyRing


@dataclass(frozen=True, slots=True)
class RawRecord:
    source: str  # the file's path or URI
    index: int  # its number in the file, from 1 in every format (a line, an entry, an item)
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


# The keyed hash that names a source path in audits and quarantine entries.
SOURCE_PATH_PURPOSE = "source-path"
# Suffixes that say a file's format, kept in a source's shape; nothing else of a name is.
_FORMAT_SUFFIX = re.compile(
    r"(?:\.(?:har|jsonl|ndjson|jsonlines|json|log|csv|txt))?(?:\.gz|\.gzip)?$"
)
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
# A file name's byte that is not UTF-8, as Python lists it (a lone surrogate, U+DC80-U+DCFF),
# and as datamin carries it (NUL and two hex digits): see `carried_path`.
_UNDECODED = re.compile("[\udc80-\udcff]")
_CARRIED = re.compile("\0([0-9a-f]{2})")


def carried_path(path: str) -> str:
    """A local path that can be encoded: each byte of its name that is not UTF-8 (which Python
    gives as a lone surrogate, and Beam's coders, JSON and keyed hashes cannot encode) as NUL and
    two hex digits. No file name holds NUL, so no other name is carried the same; a name that is
    UTF-8 is unchanged (its keyed hashes with it)."""
    return _UNDECODED.sub(lambda m: f"\0{ord(m.group()) - 0xDC00:02x}", path)


def disk_path(path: str) -> str:
    """The path to open for a `carried_path`."""
    if "\0" not in path:
        return path
    return _CARRIED.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path)


def source_shape(path: str) -> str:
    """A source path as audits and quarantine entries may show it: its scheme, its depth, its
    punctuation and its format suffix; every run of letters is `a` and of digits `9`. A file
    named after a person or holding a key in its name (`ana.souza@mail.com.jsonl`) shows as
    `a.a@a.a.jsonl`; a byte that is not UTF-8 as U+FFFD."""
    path = _CARRIED.sub("\ufffd", carried_path(path))
    scheme, sep, rest = path.partition("://")
    if not sep:
        scheme, rest = "", path
    parts = []
    for part in rest.split("/"):
        suffix = _FORMAT_SUFFIX.search(part)
        keep = suffix.group(0) if suffix and suffix.start() > 0 else ""
        stem = part[: len(part) - len(keep)] if keep else part
        parts.append(_DIGITS.sub("9", _LETTERS.sub("a", stem)) + keep)
    return (scheme + "://" if sep else "") + "/".join(parts)


def source_names(path: str, keys: KeyRing, plain: bool = False) -> tuple[str, str]:
    """How audits and quarantine entries name a source: its shape (the path itself only where
    the policy says `audit.source_paths: plain`) and a keyed hash that tells sources apart."""
    path = carried_path(path)
    shown = _plain(path) if plain else source_shape(path)
    return shown, keys.mac_hex(SOURCE_PATH_PURPOSE, path.encode(), 16)


def _plain(path: str) -> str:
    """A path as it is, its bytes that are not UTF-8 as `\\xff`."""
    if "\0" not in path:
        return path
    return _CARRIED.sub(lambda m: f"\\x{m.group(1)}", path)
