"""Decoded views of encoded runs: gzip inside base64, hex, base32 and quoted-printable.

`datamin.redactors.decode` undoes the encodings a value is written in on the web (percent, HTML
references, base64); these are the ones a value is *hidden* in: `H4sI...` (a gzip stream in
base64, as log shippers and cookies carry JSON), `6a616e6540...` (hex dumps, `0x` literals),
`NJQW4ZJAMV4GC3LQNRSS4Y3PNU======` (base32: TOTP seeds, DNS-safe ids) and `jane.doe=40example=
.com` (mail bodies). Each function here returns the edits `decode` applies: `(start, end, text)`
meaning the original `text[start:end]` reads as `text`. A run is always replaced whole, so a
finding in its decoded text maps back to every character of the run (fail closed: never half a
run survives).

The work is bounded: a run longer than `MAX_RUN` characters is not decoded, a gzip stream gives
at most `MAX_INFLATED` bytes per call and `MAX_RATIO` times its own size (what lies beyond is
not read, and the run is still replaced whole when the part read holds a finding), and `decode`
runs two rounds, so an encoding inside an encoding is read to depth two and no deeper. Cheap
shape tests (the leading characters of printable text, see below) reject hashes, UUIDs and
random ids before anything is decoded. Nothing here logs or raises with a value.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from functools import lru_cache

from datamin.errors import InputError

_Edit = tuple[int, int, str]

MAX_RUN = 256 * 1024  # characters of one encoded run; longer runs are not decoded
MAX_INFLATED = 1024 * 1024  # bytes a gzip stream may give, per call
MAX_RATIO = 200  # ... and no more than this many times its compressed size
_MIN_RUN = 16  # hex: 8 bytes; base32: 10 bytes (`a@b.co` and up)
_CONTROL = {c: " " for c in range(32) if chr(c) not in "\t\n\r"} | {0x7F: " "}
_LINE_BREAKS = str.maketrans("", "", "\t\r\n")

# Python's `re`: each is a character class repeated, with look-arounds of one character, so every
# scan is linear (see the note in decode.py on why not RE2 here).
# Gzip's magic 1f 8b 08 is `H4sI` in base64 at the start of a run, standard or URL-safe.
_GZIP = re.compile(r"H4sI[A-Za-z0-9+/_\-]{12,}={0,2}")
# Hex and base32 runs are whole tokens of letters and digits (an `0x` literal's too, base32
# with its padding), not pieces of a base64 token. One pass finds them all; `_run_text` sorts
# them. (A plain class lets `re` skip ahead by its first char: a third of the time a
# look-behind on every position cost.)
_ALNUM_RUN = re.compile(r"[0-9A-Za-z]{16,}={0,6}")
# Quoted-printable: soft line breaks, and runs of `=XX` escapes (RFC 2045 writes them upper-case).
_HEX = re.compile(r"[0-9A-Fa-f]+")
_QP_SOFT = re.compile(r"=\r?\n")
_QP_ESCAPES = re.compile(r"(?:=[0-9A-F]{2})+")
# What shows a text is quoted-printable: a soft line break, an escaped `=` (every encoder writes
# one so), an escaped `@` before a domain, two escapes in a row (`=C3=A9`), or the encoding's
# name. `?width=20&height=30` and `page=40` are none of these.
_QP_MARK = re.compile(r"=(?:\r?\n|3D|40[A-Za-z]|[0-9A-F]{2}=[0-9A-F]{2})|[Qq]uoted-[Pp]rintable")

# A printable ASCII byte (0x20-0x7e) has a high nibble of 2-7; a UTF-8 lead byte c2-f4 has c-f.
# A hex run fewer than half of whose bytes start so is binary (a hash, a key, an id).
_HEX_TEXT_NIBBLES = frozenset("234567cdefCDEF")
# Base32 writes 5 bytes as 8 chars; the first holds the top 5 bits of a byte: E-P for
# printable ASCII, Y-Z and 2-5 for UTF-8 lead bytes.
_B32_TEXT_LEADERS = frozenset("EFGHIJKLMNOPYZ2345")


def maybe(text: str) -> bool:
    """The cheap test: False means none of these encodings is in `text`. A hex or base32 run is
    decoded here already (in C, and cached for the stage that follows): random ids in hex are
    too common in API traffic (session ids, ETags, trace ids) for a shape test to sort out."""
    if "H4sI" in text:
        return True
    if "=" in text and _qp_marked(text):
        return True
    if len(text) < _MIN_RUN:
        return False
    return any(_run_text(token) is not None for _, _, token in _runs(text))


def gzip_runs(text: str) -> list[_Edit]:
    """Base64 runs holding a gzip stream whose content is text."""
    if "H4sI" not in text:
        return []
    edits: list[_Edit] = []
    budget = MAX_INFLATED
    for m in _GZIP.finditer(text):
        start, end = m.span()
        if budget <= 0 or end - start > MAX_RUN:
            raise UnreadableGzip  # more than may be inflated for one value: unread is unsafe
        decoded, used = _inflate(m.group(), budget)
        budget -= used
        if decoded is not None:
            edits.append((start, end, decoded))
    return edits


def hex_and_base32_runs(text: str) -> list[_Edit]:
    """Hex and base32 runs that decode to printable UTF-8 text."""
    edits: list[_Edit] = []
    for start, end, token in _runs(text):
        decoded = _run_text(token)
        if decoded is not None:
            edits.append((start, end, decoded))
    return edits


def _runs(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, token) of each whole alphanumeric run of 16 chars or more not inside a
    base64 token (no `+`, `/` or `=` next to it); an `0x` is in the span but not the token."""
    size = len(text)
    for m in _ALNUM_RUN.finditer(text):
        start, end = m.span()
        if (start and text[start - 1] in "+/") or (
            end < size and (text[end] in "+/=" or text[end].isalnum())
        ):
            continue
        token = m.group()
        yield start, end, token[2:] if token[:2] in ("0x", "0X") else token


def quoted_printable(text: str) -> list[_Edit]:
    """Soft line breaks removed and `=XX` runs read as UTF-8, in a text that shows it is
    quoted-printable (`_qp_marked`: a lone `=20` in a query string is a number, not an
    escape)."""
    if "=" not in text or not _qp_marked(text):
        return []
    edits: list[_Edit] = [(m.start(), m.end(), "") for m in _QP_SOFT.finditer(text)]
    for m in _QP_ESCAPES.finditer(text):
        raw = bytes.fromhex(m.group().replace("=", ""))
        edits.append((m.start(), m.end(), _printable(raw.decode("utf-8", "replace"))))
    return sorted(edits)


def _qp_marked(text: str) -> bool:
    return _QP_MARK.search(text) is not None


def _is_hex(token: str) -> bool:
    return len(token) % 2 == 0 and _HEX.fullmatch(token) is not None


def _run_text(token: str) -> str | None:
    """The text a hex or base32 run decodes to, or None; short runs (ids, hashes: the common
    ones) from a cache that cannot pin much memory (4,096 runs of at most 4 KiB)."""
    return _short_run_text(token) if len(token) <= _CACHED_RUN else _decode_run(token)


_CACHED_RUN = 4096


@lru_cache(maxsize=4096)
def _short_run_text(token: str) -> str | None:
    return _decode_run(token)


def _decode_run(token: str) -> str | None:
    """The first character rejects most hashes and random ids before any decoding."""
    if len(token) > MAX_RUN:
        return None
    if token[0] in _HEX_TEXT_NIBBLES and _is_hex(token):
        decoded = _hex_text(token)
        if decoded is not None:
            return decoded
    body = token.rstrip("=")
    if body[:1] in _B32_TEXT_LEADERS and body.isupper() and body.isalnum():
        return _base32_text(token)
    return None


def _hex_text(token: str) -> str | None:
    try:
        return _text(bytes.fromhex(token))
    except ValueError:
        return None


def _base32_text(token: str) -> str | None:
    body = token.rstrip("=")
    padding = len(token) - len(body)
    if padding and len(token) % 8:
        return None  # padded runs come in whole 8-char groups
    if len(body) % 8 not in (0, 2, 4, 5, 7):
        return None  # no byte count encodes to this many chars
    padded = body + "=" * (-len(body) % 8)
    if padding and padded != token:
        return None  # the wrong amount of padding for the data
    try:
        return _text(base64.b32decode(padded))
    except (binascii.Error, ValueError):
        return None


def _inflate(token: str, budget: int) -> tuple[str | None, int]:
    """The text in a base64 gzip stream, at most `budget` bytes of it and `MAX_RATIO` times its
    compressed size; and the bytes inflated. A gzip stream that cannot be read whole (damaged,
    cut by a cap or short, or with a second member) raises `UnreadableGzip`."""
    body = token.rstrip("=")
    url = "-" in body or "_" in body
    if url and ("+" in body or "/" in body):
        return None, 0
    try:
        raw = base64.b64decode(
            body + "=" * (-len(body) % 4), altchars=b"-_" if url else None, validate=True
        )
    except (binascii.Error, ValueError):
        return None, 0
    limit = min(budget, MAX_RATIO * len(raw))
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing only
    try:
        out = inflater.decompress(raw, limit)
    except zlib.error:
        if _holds_data(raw):
            raise UnreadableGzip from None  # a gzip stream, damaged: what it holds is unread
        return None, 0  # not gzip at all, past its first bytes
    if not inflater.eof or inflater.unused_data:
        # Cut by a cap, cut short, or another member after the first: part of what it holds
        # was not read, and a value there would pass unseen. The record is not safe to keep.
        raise UnreadableGzip
    # A stream cut by a cap can end inside a UTF-8 sequence: one replacement char, no more.
    text = out.decode("utf-8", "replace")
    return (_mostly_text(text) if text else None), len(out)


_GZIP_MAGIC = b"\x1f\x8b\x08"


def _holds_data(raw: bytes) -> bool:
    """Whether a gzip stream that failed (a bad checksum, a cut) had data in it: its deflate
    body, past a plain 10-byte header, inflates to something."""
    if not raw.startswith(_GZIP_MAGIC):
        return False
    try:
        return bool(zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw[10:], 64))
    except zlib.error:
        return False


class UnreadableGzip(InputError):
    """A value holds a gzip stream that could not be read whole (damaged, past the limits,
    more than one member): its record is quarantined, not passed with part of it unread."""

    def __init__(self) -> None:
        super().__init__("a gzip value in the record could not be read whole")


def _text(raw: bytes) -> str | None:
    """`raw` as UTF-8 text of printable characters and line breaks, or None."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if decoded and (decoded.isprintable() or decoded.translate(_LINE_BREAKS).isprintable()):
        return decoded
    return None


def _mostly_text(text: str) -> str | None:
    """A decompressed body is text when nearly all of it is printable (logs hold the odd control
    character); the others read as spaces. A binary stream (an image, a protobuf) is not."""
    cleaned = text.translate(_CONTROL)
    sample = cleaned[:4096]
    bad = sum(1 for c in sample if c == "\ufffd" or not (c.isprintable() or c in "\t\n\r"))
    return cleaned if bad * 20 <= len(sample) else None


def _printable(text: str) -> str:
    return text.translate(_CONTROL)
