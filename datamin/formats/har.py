"""HAR 1.2 (`.har`, BOM or not): one entry of `log.entries` a record.

A HAR file is one JSON document, checked whole (up to `MAX_DOCUMENT_BYTES`) but never held
whole: `harstream` cuts its entries out one at a time and spills them until the document is
known to be sound. Invalid JSON anywhere, or a key twice where it makes the document ambiguous,
quarantines the file; a key twice inside one entry quarantines that entry. A file cut short
keeps the entries complete before the cut, and the cut is one quarantined record. Each entry is
written out again by orjson, so its kind parses it without a second strict pass.
`read_document` also serves single JSON documents under other names (`jsondoc`): a HAR log
there is read as one, and so is Azure Monitor's wrapper `{"records": [...]}` (resource logs as a
diagnostic setting sends them to an event hub): each of its records is one record, of the kind
its content says, checked and spilled as a HAR file's entries are. A wrapper with any other key,
or a record that is not an object, is one record as any other document is.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from datamin.core import strictjson
from datamin.core.records import Item, RawRecord, Unreadable
from datamin.formats.har_entry import HarEntry
from datamin.formats.harstream import (
    DUPLICATED,
    ENTRIES,
    RECORD,
    RECORDS,
    FirstPass,
    Spill,
    first_pass,
    is_records_wrapper,
)
from datamin.formats.registry import unreadable_from

# A HAR file is one JSON document: read (not held) up to this size.
MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024
# Its entries are spilled in memory up to this size, then to an unnamed temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
_HEAD = b'{"log":{"version":"1.2","creator":{"name":"datamin quarantine export","version":"1"},'
_HEAD += b'"entries":['


class Har:
    name = "har"
    extensions = (".har",)
    kind = HarEntry()

    def sniff(self, head: bytes) -> bool:
        # A HAR log under another name is a single JSON document: `jsondoc` finds its entries.
        return False

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        return read_document(path, stream, max_record_bytes, must_be_har=True)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        # An entry goes back inside a one-entry log; anything else a HAR file held (a whole
        # document that could not be read) as it was.
        if kind == self.kind.name:
            return ".har", _HEAD + raw + b"]}}\n"
        return ".har", raw


def read_document(
    path: str,
    stream: IO[bytes],
    max_record_bytes: int,
    *,
    must_be_har: bool = False,
) -> Iterator[Item]:
    """A single JSON document: its HAR entries if it is a HAR log, else itself as one record.
    Read in two passes (`harstream`): memory holds one entry, not the document."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as file:
        spill = Spill(file)
        try:
            found = first_pass(stream, max_record_bytes, MAX_DOCUMENT_BYTES, spill)
        except Exception as exc:  # noqa: BLE001 - corrupt gzip, a zip bomb, I/O errors
            yield unreadable_from(path, 0, exc)
            return
        yield from judged_document(path, found, spill, max_record_bytes, must_be_har)


def judged_document(
    path: str, found: FirstPass, spill: Spill, max_record_bytes: int, must_be_har: bool = False
) -> Iterator[Item]:
    """The records of a document its first pass has read: its entries, or itself as one."""
    raw = found.original or b""  # the document, for the keyed hash, when no larger than a record
    if found.cut:
        # Cut short after some entries: those are kept, the cut is one more record.
        records = found.cut_keys == (RECORDS,)
        if records and must_be_har:
            yield Unreadable(path, 0, "InputError: not a HAR 1.2 document (no log.entries list)")
            return
        yield from _spilled(path, spill, found.spilled, None if records else Har.kind.name)
        yield Unreadable(path, found.spilled + 1, found.error or "", found.partial)
        return
    if found.error is not None:
        keep = raw if not found.error.startswith("LimitExceeded") else b""
        yield Unreadable(path, 0, found.error, keep)
        return
    doc = found.skeleton
    if found.duplicated:
        try:
            doc = json.loads(found.skeleton, object_pairs_hook=_marking_duplicates)  # type: ignore[arg-type]
        except RecursionError:  # nested too deep for Python's parser to say where
            yield Unreadable(path, 0, "DuplicateKey: a key appears twice in the document", raw)
            return
    if RECORDS in found.cut_keys and must_be_har and ENTRIES not in found.cut_keys:
        yield Unreadable(path, 0, "InputError: not a HAR 1.2 document (no log.entries list)", raw)
        return
    if RECORDS in found.cut_keys and not must_be_har:
        wrapper = found.arrays == 1 and not found.duplicated and found.objects
        if wrapper and is_records_wrapper(doc, found.marker):
            # Each record judged by its content: an Application Gateway's, a Front Door's...
            yield from _spilled(path, spill, found.spilled, None)
        elif found.original is None:
            yield Unreadable(path, 1, "LimitExceeded: record larger than the limit")
        elif ENTRIES in found.cut_keys:  # a HAR log beside a top-level `records`
            yield Unreadable(path, 0, "InputError: ambiguous HAR document", raw)
        else:  # `records` beside other keys, or not of objects: the document is one record
            yield RawRecord(path, 1, found.original)
        return
    entries = _har_entries(doc)
    if entries is None and not found.arrays:
        if must_be_har:
            yield Unreadable(
                path, 0, "InputError: not a HAR 1.2 document (no log.entries list)", raw
            )
        elif found.original is None:  # the document is the one record: number 1
            yield Unreadable(path, 1, "LimitExceeded: record larger than the limit")
        else:
            yield RawRecord(path, 1, found.original)
        return
    if found.duplicated and (entries is None or _outside_entries_duplicated(doc)):  # type: ignore[arg-type]
        # Which log, which entries: ambiguous for the whole document.
        yield Unreadable(path, 0, "DuplicateKey: a key appears twice in the HAR document", raw)
        return
    kind = Har.kind.name
    if found.arrays:
        if found.arrays != 1 or entries != [found.marker]:
            # An entries array the scanner cut out that is not the document's log.entries.
            yield Unreadable(path, 0, "InputError: ambiguous HAR document", raw)
            return
        yield from _spilled(path, spill, found.spilled)
        return
    # Entries the scanner left in the skeleton (their key written unusually): held, and small.
    for index, entry in enumerate(entries or [], 1):
        if found.duplicated and _has_duplicate(entry):
            yield Unreadable(path, index, "DuplicateKey: a key appears twice in one JSON object")
            continue
        data = strictjson.dumps(entry)
        if len(data) > max_record_bytes:
            yield Unreadable(path, index, "LimitExceeded: record larger than the limit")
        else:
            yield RawRecord(path, index, data, kind)


def _spilled(
    path: str, spill: Spill, count: int, kind: str | None = Har.kind.name
) -> Iterator[Item]:
    """The entries the first pass spilled, numbered from 1, of the kind given (None: each
    judged by its content)."""
    for index, (tag, data) in enumerate(spill.records(count), 1):
        if tag == RECORD:
            yield RawRecord(path, index, data, kind)
        elif tag == DUPLICATED:
            yield Unreadable(path, index, "DuplicateKey: a key appears twice in one JSON object")
        else:
            yield Unreadable(path, index, "LimitExceeded: record larger than the limit")


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
