"""Reading one JSON document as a stream: its `log.entries` (or, for Azure Monitor's wrapper
`{"records": [...]}`, its `records`) cut out one item at a time.

A HAR file is one JSON document, often hundreds of megabytes, nearly all of it in `log.entries`.
`DocumentScanner` passes over the document's structure (brackets and whole strings, never
parsing) and hands the items of each `log.entries` array to a strict `ArraySplitter`, so no more
than one entry is held; everything else (the *skeleton*: `log.version`, `creator`, `pages`...) is
kept, bounded, with a marker string where the entries were, to be parsed strictly at the end.

A HAR document is still judged whole before any of its entries is trusted (one bad byte, a key
twice outside the entries, data after its end: the whole file is quarantined): `first_pass`
checks every entry as it goes and spills each, rewritten compactly, to a temporary file with no
name (`tempfile.SpooledTemporaryFile`: memory while small, an unlinked file beyond); only when the
document is sound are they read back from it and yielded. A document cut short (its file ends,
or stops being readable, before the document does) is the one exception: the entries complete
before the cut are what any reader of it would read, so they are kept, as a JSON array's items
or a JSON-lines file's lines are, and the cut is one quarantined record. They are kept only
where the document up to its entries is a sound HAR log on its own. What is spilled is sealed
(AES-GCM) under a key that exists only in this process's memory: no value reaches a temporary
file as text.
"""

from __future__ import annotations

import re
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from datamin.core import strictjson
from datamin.core.strictjson import ArraySplitter, DuplicateKey, Piece
from datamin.formats.registry import BOM, unreadable_reason

# Outside strings, what the scanner passes over in one step (as `strictjson`'s splitter does).
_SKIP = re.compile(rb'(?:[^"\[\]{}]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")*+', re.S)
# The keys that lead to the entries, just before the bracket that opens their value. (A key the
# scanner does not see this way, like "entr\u0069es", leaves its entries in the skeleton.)
_LOG_KEY, _ENTRIES_KEY = b'"log"', b'"entries"'
# The top level's `records`: Azure Monitor's resource logs, as a diagnostic setting sends them to
# an event hub (and wrote them to storage before JSON lines), one document of many records.
_RECORDS_KEY = b'"records"'
ENTRIES, RECORDS = "entries", "records"
_KEY_TAIL = 4096  # how far back a key is looked for before its bracket
_SPACE = frozenset(b" \t\n\r\f\v")  # what `\s` is in a bytes pattern
# After a bracket, what holds no string and no colon: no key is before any bracket in it, so its
# brackets only move the depth, applied in one step (`_apply`); a step per bracket, with a copy
# of the skeleton's tail at each, read a file of brackets at under 1 MB/s.
_KEY_FREE = re.compile(rb'[^":]*+')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = re.compile(rb"[\[{]*")
_CLOSERS = re.compile(rb"[\]}]*")
_OPENING_OF = bytes.maketrans(b"]}", b"[{")
_DEEP = 3  # from here no key is looked for: runs of brackets move the depth at once
CHUNK = 1 << 20
# An entry's bytes as written may be longer than its compact form (indentation): the splitter
# holds up to this many times the record limit before calling an entry too large.
WRITTEN_SLACK = 4

# Spilled units: a tag, a length, the bytes.
RECORD, TOO_LARGE, DUPLICATED = b"R", b"L", b"D"
_UNIT = struct.Struct(">cI")


class DocumentScanner:
    """Feed the bytes of one JSON document; get the pieces of its `log.entries` items as they
    complete. The rest of the document is `skeleton` (None once over `max_skeleton`)."""

    def __init__(self, max_item: int, max_skeleton: int) -> None:
        self.max_item = max_item
        self.max_skeleton = max_skeleton
        self.marker = f"datamin-entries-{secrets.token_hex(8)}"
        self.skeleton: bytearray | None = bytearray()
        self.arrays = 0  # `log.entries` (or top-level `records`) arrays cut out
        self.cut: list[str] = []  # which each was: ENTRIES or RECORDS
        self.before_entries = 0  # the skeleton's length up to the (first) entries' marker
        self._buf = b""
        self._depth = 0
        self._in_log = False  # the container at depth 2 is the top level's `log`
        self._splitter: ArraySplitter | None = None
        # The top level has closed once, or a bracket closed what it did not open: what is left
        # open at the end is then no document cut short but one that is not sound.
        self.ended = False
        self._open = bytearray()  # the brackets open, innermost last

    def feed(self, chunk: bytes) -> Iterator[Piece]:
        while chunk and self.skeleton is not None:
            if self._splitter is not None:
                yield from self._splitter.feed(chunk)
                if not self._splitter.closed:
                    return
                chunk, self._splitter = self._splitter.rest, None
                continue
            chunk = self._scan(self._buf + chunk)

    def end(self) -> Iterator[Piece]:
        """The document's end: an entries array left open is an error piece."""
        if self._splitter is not None:
            yield from self._splitter.end()
            self._splitter = None
        elif self._buf and self.skeleton is not None:
            self._keep(self._buf)  # an unterminated string: the skeleton's parse refuses it

    @property
    def closed(self) -> bool:
        """Whether what was fed ends where the document does (its brackets and strings closed);
        else the file was cut short."""
        return self._splitter is None and self._depth == 0 and not self._buf

    def sound_log(self) -> bool:
        """Whether the document up to its one entries array, closed there, is a HAR log with a
        key at most once (or a `{"records": [...]}` wrapper and nothing else): the entries
        before a cut are then those of `log.entries`, not of a look-alike key or of one of two
        logs."""
        if self.arrays != 1 or self.skeleton is None:
            return False
        closing = b"}" if self.cut == [RECORDS] else b"}}"
        try:
            doc = strictjson.loads(bytes(self.skeleton[: self.before_entries]) + closing)
        except (orjson.JSONDecodeError, DuplicateKey):
            return False
        if self.cut == [RECORDS]:
            return is_records_wrapper(doc, self.marker)
        log = doc.get("log") if isinstance(doc, dict) else None
        return isinstance(log, dict) and log.get("entries") == [self.marker]

    def _scan(self, buf: bytes) -> bytes:
        """Skeleton bytes up to the opening of an entries array; returns what follows it (to be
        fed to its splitter), or b"" with the unscanned tail kept for the next chunk."""
        pos, n = 0, len(buf)
        while pos < n:
            at = _SKIP.match(buf, pos).end()  # type: ignore[union-attr]
            self._keep(buf[pos:at])
            if at == n or buf[at] == 0x22:  # all read, or a string that goes on past the chunk
                pos = at
                break
            bracket = buf[at]
            opens_array = bracket == 0x5B
            entries = opens_array and self._depth == 2 and self._in_log and self._key(_ENTRIES_KEY)
            records = opens_array and self._depth == 1 and self._key(_RECORDS_KEY)
            if entries or records:
                self._keep(b'["' + self.marker.encode() + b'"]')
                self.arrays += 1
                self.cut.append(ENTRIES if entries else RECORDS)
                if self.skeleton is not None and self.arrays == 1:
                    self.before_entries = len(self.skeleton)
                self._splitter = ArraySplitter(self.max_item, strict=True, nested=True)
                self._buf = b""
                return buf[at:]
            if bracket in b"[{":
                if bracket == 0x7B and self._depth == 1 and self._key(_LOG_KEY):
                    self._in_log = True
                self._depth += 1
                self._open.append(bracket)
            else:
                if not self._open or self._open.pop() != _OPENS[bracket]:
                    self.ended = True  # a bracket closing what did not open: no cut, a fault
                self._depth -= 1
                if self._depth <= 1:
                    self._in_log = False
                if self._depth == 0:
                    self.ended = True
            pos = _KEY_FREE.match(buf, at + 1).end()  # type: ignore[union-attr]
            self._keep(buf[at:pos])
            self._apply(buf[at + 1 : pos].translate(None, _NOT_BRACKET))
        self._buf = buf[pos:]
        if len(self._buf) > self.max_skeleton:
            self.skeleton = None
        return b""

    def _apply(self, brackets: bytes) -> None:
        """Brackets no key is before (none opens the log or its entries): each opens or closes
        a level, one by one near the top; past `_DEEP`, a run of them at once."""
        depth, opened, i, n = self._depth, self._open, 0, len(brackets)
        while i < n:
            bracket = brackets[i]
            if depth >= _DEEP:
                if bracket in b"[{":
                    end = _OPENERS.match(brackets, i).end()  # type: ignore[union-attr]
                    opened += brackets[i:end]
                    depth += end - i
                else:  # as far as `_DEEP - 1` (at least `depth` brackets are open)
                    end = _CLOSERS.match(brackets, i, i + depth - _DEEP + 1).end()  # type: ignore[union-attr]
                    innermost = len(opened) - (end - i)
                    if brackets[i:end].translate(_OPENING_OF)[::-1] != opened[innermost:]:
                        self.ended = True  # a bracket closing what it did not open
                    del opened[innermost:]
                    depth -= end - i
                i = end
                continue
            if bracket in b"[{":
                depth += 1
                opened.append(bracket)
            else:
                if not opened or opened.pop() != _OPENS[bracket]:
                    self.ended = True
                depth -= 1
                if depth <= 1:
                    self._in_log = False
                if depth == 0:
                    self.ended = True
            i += 1
        self._depth = depth

    def _key(self, key: bytes) -> bool:
        """Whether the skeleton ends with `key`, a colon and white space around it, within its
        last `_KEY_TAIL` bytes: looked for backwards, nothing copied."""
        skeleton = self.skeleton
        if skeleton is None:
            return False
        stop = max(len(skeleton) - _KEY_TAIL, 0)
        at = _before_space(skeleton, len(skeleton), stop)
        if at == stop or skeleton[at - 1] != 0x3A:
            return False
        at = _before_space(skeleton, at - 1, stop)
        return at - len(key) >= stop and skeleton[at - len(key) : at] == key

    def _keep(self, data: bytes) -> None:
        if self.skeleton is None or not data:
            return
        if len(self.skeleton) + len(data) > self.max_skeleton:
            self.skeleton = None  # too large to judge: the document is refused
        else:
            self.skeleton += data


def _before_space(data: bytearray, end: int, stop: int) -> int:
    """Where the white space ending `data[:end]` starts, not before `stop`."""
    while end > stop and data[end - 1] in _SPACE:
        end -= 1
    return end


@dataclass
class FirstPass:
    """What the first pass found: `error` (the whole document is one quarantined record), or a
    sound document with its `skeleton` parsed, and `spilled` entries to read back."""

    error: str | None = None
    skeleton: object = None
    duplicated: bool = False  # the skeleton has a key twice (judged by the caller)
    marker: str = ""
    arrays: int = 0
    cut_keys: tuple[str, ...] = ()  # which array each cut was: ENTRIES or RECORDS
    objects: bool = True  # every item spilled is a JSON object
    spilled: int = 0
    original: bytes | None = None  # the document's bytes, while within the record limit
    # With `error`, for a document cut short after some entries: `spilled` of them are records
    # (read back), and the cut is one more, holding what was read of its entry (`partial`).
    cut: bool = False
    partial: bytes = b""


_OPENS = {0x5D: 0x5B, 0x7D: 0x7B}  # `]` closes `[`, `}` closes `{`


def first_pass(
    stream: IO[bytes], max_record_bytes: int, max_document: int, spill: Spill
) -> FirstPass:
    """Read the whole document once: check it, spill its entries. Raises what reading raises."""
    scanner = DocumentScanner(max_record_bytes * WRITTEN_SLACK, max_record_bytes)
    result = FirstPass(marker=scanner.marker)
    original: bytearray | None = bytearray()
    total, first = 0, True
    while True:
        try:
            chunk = stream.read1(CHUNK)  # type: ignore[attr-defined]
        except Exception as exc:  # a corrupt or cut gzip, an I/O error, the ratio limit
            if not _can_keep(result, scanner):
                raise
            return _cut(result, unreadable_reason(exc))
        if not chunk:
            break
        if first:
            chunk, first = chunk.removeprefix(BOM), False
        total += len(chunk)
        if total > max_document:
            return FirstPass("LimitExceeded: document larger than the limit")
        if original is not None:
            if len(original) + len(chunk) <= max_record_bytes:
                original += chunk
            else:
                original = None
        for piece in scanner.feed(chunk):
            error = _spill(piece, max_record_bytes, spill, result)
            if error is not None:
                return FirstPass(error, original=_bytes(original))
            result.spilled += 1
        if scanner.skeleton is None:
            return FirstPass("LimitExceeded: record larger than the limit")
    for piece in scanner.end():
        error = _spill(piece, max_record_bytes, spill, result)
        if error is not None:
            if _can_keep(result, scanner):  # the file ends inside the entries
                partial = piece.data if len(piece.data) <= max_record_bytes else b""
                return _cut(result, piece.error or error, partial)
            return FirstPass(error, original=_bytes(original))
        result.spilled += 1
    # ends after the entries, not the log (and not after the log, with more after it)
    if not scanner.closed and not scanner.ended and _can_keep(result, scanner):
        return _cut(result, "InputError: file ends before the JSON document does")
    result.original, result.arrays = _bytes(original), scanner.arrays
    result.cut_keys = tuple(scanner.cut)
    if scanner.skeleton is None:
        return FirstPass("LimitExceeded: record larger than the limit")
    try:
        result.skeleton = strictjson.loads(bytes(scanner.skeleton))
    except orjson.JSONDecodeError:
        return FirstPass("InputError: invalid JSON document", original=result.original)
    except DuplicateKey:
        result.duplicated = True
        result.skeleton = bytes(scanner.skeleton)
    return result


def _can_keep(result: FirstPass, scanner: DocumentScanner) -> bool:
    """Whether the entries spilled before a cut can be kept: some were, and they are the log's
    (a wrapper's records: all of them objects, else the document was one record)."""
    if result.spilled == 0 or not scanner.sound_log():
        return False
    result.cut_keys = tuple(scanner.cut)
    return scanner.cut != [RECORDS] or result.objects


def _cut(result: FirstPass, error: str, partial: bytes = b"") -> FirstPass:
    return FirstPass(
        error, spilled=result.spilled, cut=True, partial=partial, cut_keys=result.cut_keys
    )


def is_records_wrapper(doc: object, marker: str) -> bool:
    """Whether a document's skeleton is `{"records": [...]}` and nothing else (its one array
    cut out where `marker` is)."""
    return isinstance(doc, dict) and doc.keys() == {RECORDS} and doc[RECORDS] == [marker]


def _bytes(original: bytearray | None) -> bytes | None:
    return bytes(original) if original is not None else None


class Spill:
    """Entries waiting for the document's verdict, in `file`, each sealed under a fresh key held
    only here (a spilled temporary file holds ciphertext, never an input's values)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._aead = AESGCM(AESGCM.generate_key(bit_length=128))
        self._sealed = 0

    def put(self, tag: bytes, data: bytes = b"") -> None:
        if data:
            data = self._aead.encrypt(self._sealed.to_bytes(12, "big"), data, None)
            self._sealed += 1
        self._file.write(_UNIT.pack(tag, len(data)) + data)

    def records(self, count: int) -> Iterator[tuple[bytes, bytes]]:
        """The spilled entries back, in order: (tag, compact JSON bytes or b"")."""
        self._file.seek(0)
        opened = 0
        for _ in range(count):
            tag, length = _UNIT.unpack(self._file.read(_UNIT.size))
            data = self._file.read(length)
            if data:
                data = self._aead.decrypt(opened.to_bytes(12, "big"), data, None)
                opened += 1
            yield tag, data


def _spill(piece: Piece, max_record_bytes: int, spill: Spill, found: FirstPass) -> str | None:
    """One entry checked and written to the spill; an error that spoils the document returned.
    An entry that is not a JSON object is noted (`found.objects`)."""
    if piece.error is not None:
        if piece.error.startswith("LimitExceeded"):
            spill.put(TOO_LARGE)
            return None
        return "InputError: invalid JSON document"
    try:
        value = strictjson.loads(piece.data)
    except orjson.JSONDecodeError:
        return "InputError: invalid JSON document"
    except DuplicateKey:
        spill.put(DUPLICATED)
        return None
    if not isinstance(value, dict):
        found.objects = False
    data = strictjson.dumps(value)
    if len(data) > max_record_bytes:
        spill.put(TOO_LARGE)
    else:
        spill.put(RECORD, data)
    return None
