"""JSON as datamin reads it: strictly, and splitting arrays without trusting their items.

`loads` is orjson (no NaN or Infinity, no lone surrogates, no number past a double's range) plus
one check orjson does not make: a key given twice in one object is an error, because which of its
values the record holds is ambiguous (orjson keeps the last silently, other readers the first).
An integer past 64 bits (an id of 30 digits), which orjson reads as the nearest double, is kept
exact, as a Python `int` (`dumps` writes it back as it was).

`ArraySplitter` cuts a JSON array into the bytes of its items without parsing them, so each
item is parsed (and can fail) on its own: a bad item is one quarantined record, and the items
after it are still read. It holds at most one item in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from datamin.errors import InputError

# A whole JSON string (RE2 is not needed: the two alternatives never overlap, so this is linear).
# DOTALL throughout: a backslash before a raw newline is still one escape to skip (the item is
# invalid JSON and is quarantined, but the splitter must not lose its place).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_STRING_TEXT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_KEY_END = re.compile(rb'"\s*:')
_KEY_END_TEXT = re.compile(r'"\s*:')
# Outside strings, what the splitter passes over in one step: anything but brackets and quotes,
# and whole strings. It stops at a bracket, or at a quote whose string runs past the buffer.
_SKIP = re.compile(rb'(?:[^"\[\]{}]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")*+', re.S)
# Deep inside an item, a run of opening brackets, or of closing ones that leaves it deep, moves
# the depth in one step: a file of nested brackets is cut as fast as any other (one step per
# bracket read a megabyte a second, a gigabyte of them in a quarter of an hour).
_OPENERS = re.compile(rb"[\[{]*")
_CLOSERS = re.compile(rb"[\]}]+")
_DEEP = 32  # from here (deeper than records go but for the odd one), bracket runs in one step
# The rest of a string that began in an earlier buffer: up to its closing quote or the end.
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.S)
# What may stand between items, as `_gap` sees it: V a value, `,` a comma (strict mode).
_SEPARATED = re.compile(r"(?:V(?:,V)*)?")
BAD_SEPARATOR = "InputError: invalid JSON (array separators)"


class DuplicateKey(InputError):
    """A JSON object with a key given twice."""


def loads(data: bytes | str) -> Any:
    """Parse strictly; raises `orjson.JSONDecodeError` or `DuplicateKey`."""
    value = orjson.loads(data)
    keys, wide = _key_count(value)
    # Every key as written ends in a quote and a colon; so do a few things inside strings
    # (`\\":`, a value starting with a colon). No more of those than keys parsed: no repeats.
    quick = len(_KEY_END.findall(data) if isinstance(data, bytes) else _KEY_END_TEXT.findall(data))
    if quick != keys and _structural_colons(data) != keys:
        raise DuplicateKey("a key appears twice in one JSON object")
    return _exact(data, value) if wide else value


def exact(data: bytes | str) -> Any:
    """orjson's parse with its integers exact, for data already judged by `loads` (no
    duplicate key check); raises `orjson.JSONDecodeError`."""
    value = orjson.loads(data)
    return _exact(data, value) if _key_count(value)[1] else value


def dumps(value: Any) -> bytes:
    """Compact JSON as orjson writes it; a value holding an integer past 64 bits (which orjson
    refuses to write) as the standard library writes it, the integer as it was read."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _exact(data: bytes | str, value: Any) -> Any:
    """`data` parsed again by the standard library, whose integers are exact: orjson read one
    past 64 bits as a double. Only when orjson accepted it (it refuses a number past a double's
    range, so the digits are at most some 310); `value` where it cannot (nesting past its
    recursion limit)."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return value


def _structural_colons(data: bytes | str) -> int:
    """The `:` outside strings: one per key of every object, as written."""
    if isinstance(data, bytes):
        return data.count(b":") if b'"' not in data else _STRING.sub(b"", data).count(b":")
    return data.count(":") if '"' not in data else _STRING_TEXT.sub("", data).count(":")


# orjson's integers: from -2**63 to 2**64 - 1; a whole number past them is read as a double.
_LOWEST, _PAST_HIGHEST = float(-(2**63)), float(2**64)


def _key_count(value: Any) -> tuple[int, bool]:
    """The keys of every object in `value`, and whether it holds a double that may be an
    integer past 64 bits (or a double that large written as one: read again all the same)."""
    count, wide, stack = 0, False, [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            count += len(v)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif v.__class__ is float and not _LOWEST < v < _PAST_HIGHEST:
            wide = True
    return count, wide


@dataclass(frozen=True, slots=True)
class Piece:
    """One unit of an array: an item's bytes (`data`), or what could not be one (`error`)."""

    data: bytes
    error: str | None = None


class ArraySplitter:
    """Feed the bytes of a file holding one JSON array; get its items' bytes as they complete.

    Items are cut where the nesting depth returns to one, skipping strings whole. Anything
    between items other than one comma (a number, a string, garbage) comes out as pieces too, to
    be quarantined. An item longer than `max_bytes` is not held: it comes out as an error piece.

    `strict`: what stands between items must be exactly JSON's commas (else a `BAD_SEPARATOR`
    piece), for a caller that must know the whole array is valid JSON. `nested`: the array is
    inside a larger document; scanning stops at its closing bracket, and `rest` is what followed.
    """

    def __init__(self, max_bytes: int, *, strict: bool = False, nested: bool = False) -> None:
        self.max_bytes = max_bytes
        self.strict = strict
        self.nested = nested
        self._seen = False  # a value has come since the opening bracket (strict mode)
        self._buf = b""
        self._pos = 0  # scan position in _buf
        self._start = 0  # where the unit in progress (an item, or the gap before one) begins
        self._depth = 0
        self._in_string = False
        self._oversize = False
        self._closed = False  # the array's closing bracket has been read
        self._trailing = False  # something other than whitespace came after it

    def feed(self, chunk: bytes) -> Iterator[Piece]:
        self._buf = self._buf[self._start :] + chunk
        self._pos -= self._start
        self._start = 0
        yield from self._scan()
        if self._depth >= 2 and self._pos - self._start > self.max_bytes:
            # Too long to be a record: forget its bytes, keep following its brackets.
            self._oversize = True
        elif self._depth == 1 and self._pos - self._start > self.max_bytes:
            # Between items, something too long to be one (a huge string or number): one
            # unit over the limit, its bytes not held.
            yield Piece(b"", "LimitExceeded: record larger than the limit")
            self._start = self._pos
        if self._oversize or self._depth < 1:
            self._buf, self._pos, self._start = self._buf[self._pos :], 0, 0

    def end(self) -> Iterator[Piece]:
        """The end of the file: an array left open loses what follows, counted as one."""
        if self._closed:
            if self._trailing or self._buf[self._pos :].strip():
                yield Piece(b"", "InputError: data after the array's end")
            return
        if self._depth >= 2 or self._in_string:
            partial = b"" if self._oversize else self._buf[self._start :]
            yield Piece(partial, "InputError: file ends inside an array item")
        else:
            yield from self._gap(self._buf[self._start :])
            yield Piece(b"", "InputError: file ends before the array does")

    def _scan(self) -> Iterator[Piece]:
        buf, n = self._buf, len(self._buf)
        while self._pos < n:
            if self._in_string:
                end = _STRING_REST.match(buf, self._pos).end()  # type: ignore[union-attr]
                if end < n and buf[end] == 0x22:  # the closing quote
                    self._in_string, self._pos = False, end + 1
                    continue
                self._pos = end  # all read, or a backslash whose escape is in the next chunk
                return
            if self._closed:
                if self.nested:
                    return  # the rest is the enclosing document's
                if buf[self._pos :].strip():
                    self._trailing = True
                self._pos = n
                return
            at = _SKIP.match(buf, self._pos).end()  # type: ignore[union-attr]
            if at == n:
                self._pos = n
                return
            first, self._pos = buf[at], at + 1
            if first == 0x22:  # a quote: its string goes on in the next chunk
                self._in_string = True
            elif first in b"[{":
                self._depth += 1
                if self._depth == 2:
                    yield from self._gap(buf[self._start : at], before_item=True)
                    self._start = at
                elif self._depth == 1:
                    self._start = at + 1
                elif self._depth > _DEEP:
                    end = _OPENERS.match(buf, self._pos).end()  # type: ignore[union-attr]
                    self._depth += end - self._pos
                    self._pos = end
            elif self._depth > _DEEP:
                end = _CLOSERS.match(buf, at).end()  # type: ignore[union-attr]
                end = min(end, at + self._depth - _DEEP)  # the item stays open
                self._depth -= end - at
                self._pos = end
            elif self._depth == 1 and first == 0x7D:  # a stray `}` between items: not the end
                if self.strict:
                    yield Piece(b"", BAD_SEPARATOR)
                continue
            else:
                self._depth -= 1
                if self._depth == 1:
                    yield self._item(buf[self._start : at + 1])
                    self._start = at + 1
                elif self._depth == 0:
                    yield from self._gap(buf[self._start : at])
                    self._start, self._closed = at + 1, True
                elif self._depth < 0:
                    self._trailing, self._closed, self._depth = True, True, 0

    def _item(self, data: bytes) -> Piece:
        if self._oversize or len(data) > self.max_bytes:
            self._oversize = False
            return Piece(b"", "LimitExceeded: record larger than the limit")
        return Piece(data)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def rest(self) -> bytes:
        """In nested mode, once `closed`: the bytes fed after the array's closing bracket."""
        return self._buf[self._pos :]

    def _gap(self, gap: bytes, *, before_item: bool = False) -> Iterator[Piece]:
        """Between items there is one comma; anything else is a unit to quarantine."""
        parts = [part.strip() for part in gap.split(b",")]
        if self.strict:
            seq = "V" if self._seen else ""
            seq += ",".join("V" if part else "" for part in parts)
            seq += "V" if before_item else ""
            if not _SEPARATED.fullmatch(seq):
                yield Piece(b"", BAD_SEPARATOR)
            self._seen = self._seen or before_item or any(parts)
        for part in parts:
            if part:
                yield Piece(part[: self.max_bytes])
