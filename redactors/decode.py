"""Decoded views of a value, for detection through encodings.

Invisible format characters, HTML character references, percent-encoding, Unicode compatibility
forms (NFKC), quoted-printable, gzip in base64, hex, base32 and base64 tokens are undone before
the detectors look (`datamin.redactors.encodings` has the four that hide values), so
`ann%40example.com`, `ann&#64;example.com` and `YW5uQGV4YW1wbGUuY29t` all read `ann@example.com`.
A `DecodedView` keeps, for every decoded character, the span of original characters that
produced it: a finding in the view maps back to a span that covers *all* of the encoded value,
so no half of it survives the replacement. Nothing here logs or raises with a value.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from datamin.redactors import encodings

# How `+` reads: always itself; a space (a form-encoded body or query); a space only after the
# first `?` (a whole URL, whose path keeps `+` literal).
Plus = Literal["literal", "space", "query"]

_ROUNDS = 2  # `%2540` is `%40` after one round and `@` after two
# Soft hyphen, grapheme joiner, Mongolian vowel separator, zero-width space/non-joiner/joiner,
# direction marks and embeddings, word joiner, invisible operators, isolates, BOM.
_INVISIBLE = "[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+"
# Named references need their `;` (a URL's `&copy=1` is a parameter, not `©=1`); numeric ones
# are read without it, as browsers do.
_REFERENCE = r"&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)"
_PERCENT = r"(?:%[0-9A-Fa-f]{2})+"
_NON_ASCII = r"[^\x00-\x7f]+"
_B64_MIN_VALUE = 12  # a whole value: 9 bytes, the shortest realistic address
_B64_MIN_TOKEN = 16  # a token inside a longer value
_MIN_HIDDEN = 6  # `a=40b.c`: the shortest value quoted-printable, hex or base32 can hide one in
_B64_RUN = r"[A-Za-z0-9+/_\-]{12,}={0,2}"
_LINE_BREAKS = str.maketrans("", "", "\t\r\n")
# Every 4-char group of base64 starts with a char holding its first byte's top six bits; for a
# printable ASCII byte (0x20-0x7e) that is one of these. A token more than a third of whose
# groups start elsewhere is binary or a random id, and is not decoded (ids and hashes abound).
_ASCII_LEADERS = b"IJKLMNOPQRSTUVWXYZabcdef"
_LEADER_CHARS = frozenset(_ASCII_LEADERS.decode())

# Python's `re`, not RE2, for these five: each is one character class repeated, or a bounded
# alternation whose branches differ at their second char, so nothing can backtrack more than a
# fixed 32 chars and every scan is linear. RE2 costs about 5 us per call and 11 us per match from
# Python: a 1 MB HTML body with 20,000 `&amp;` took 230 ms to scan with it and 13 ms with `re`,
# and the base64 test runs on every plain value.
_invisible = re.compile(_INVISIBLE)
_reference = re.compile(_REFERENCE)
_percent = re.compile(_PERCENT)
_non_ascii = re.compile(_NON_ASCII)
_b64_run = re.compile(_B64_RUN)
# References repeat (`&amp;`, `&nbsp;`); each is one char, never a value.
_unescape = lru_cache(maxsize=1024)(html.unescape)

_Edit = tuple[int, int, str]  # text[start:end] reads as the string


class DecodedView:
    """`text` is the decoded value; `span(start, end)` is the span of the original value that
    produced `text[start:end]`: every original character any of those decoded characters came
    from, and the invisible characters between them."""

    __slots__ = ("_ends", "_starts", "length", "text")

    def __init__(self, length: int, text: str, starts: list[int], ends: list[int]) -> None:
        self.length = length  # of the original
        self.text = text
        self._starts = starts
        self._ends = ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not 0 <= start <= end <= len(self.text):
            raise ValueError("span outside the decoded text")
        if start == end:
            pos = self._starts[start] if start < len(self.text) else self.length
            return pos, pos
        return self._starts[start], self._ends[end - 1]


def same_span(start: int, end: int) -> tuple[int, int]:
    """The mapping of a value that decodes to itself."""
    return start, end


def maybe_encoded(text: str, plus: Plus = "literal") -> bool:
    """The cheap test: False means `decode` has nothing to undo. A plain ASCII value without `%`,
    `&`, a form `+` or a base64-looking token costs a few string scans."""
    if not text.isascii():
        return True
    return (
        "%" in text
        or "&" in text
        or (plus != "literal" and "+" in text)
        or (len(text) >= _B64_MIN_VALUE and bool(_base64_candidates(text)))
        or (len(text) >= _MIN_HIDDEN and encodings.maybe(text))
    )


def decode(text: str, plus: Plus = "literal") -> DecodedView | None:
    """The decoded view of `text`, or None when nothing in it decodes.

    Each round removes invisible characters, then reads HTML references, percent-escapes, NFKC
    compatibility forms, quoted-printable, gzip streams in base64, hex and base32 runs and base64
    tokens; a second round runs when the first changed anything (double encoding), and no third:
    an encoding is read at most two deep. A form `+` is a space in the first round only: a `+`
    that a `%2B` became is a plus sign.
    """
    if not maybe_encoded(text, plus):
        return None
    current = text
    starts: list[int] | None = None
    ends: list[int] = []
    for round_ in range(_ROUNDS):
        changed = False
        stages: tuple[Callable[[str], list[_Edit]] | None, ...] = (
            _invisibles,
            _references,
            (lambda t: _percents(t, plus)) if round_ == 0 else _percents,
            _compatibility,
            None,  # the hidden encodings, when the text shows one (one scan for the three)
            _base64_tokens,
        )
        for stage in stages:
            for step in (stage,) if stage is not None else _hidden_stages(current):
                edits = step(current)
                if not edits:
                    continue
                current, step_starts, step_ends = _rewrite(current, edits)
                if starts is None:
                    starts, ends = step_starts, step_ends
                else:
                    starts = [starts[i] for i in step_starts]
                    ends = [ends[j - 1] for j in step_ends]
                changed = True
        if not changed:
            break
    if starts is None:
        return None
    return DecodedView(len(text), current, starts, ends)


_HIDDEN = (encodings.quoted_printable, encodings.gzip_runs, encodings.hex_and_base32_runs)


def _hidden_stages(text: str) -> tuple[Callable[[str], list[_Edit]], ...]:
    """Quoted-printable, gzip and hex/base32, or none when the text shows none of them. Later
    stages see what quoted-printable made of the text; when it had nothing to do, the text they
    see is the one tested here."""
    return _HIDDEN if len(text) >= _MIN_HIDDEN and encodings.maybe(text) else ()


def _rewrite(text: str, edits: list[_Edit]) -> tuple[str, list[int], list[int]]:
    """`text` with sorted, non-overlapping edits applied, and for each output char the span of
    `text` it came from. Removed chars join the output char before them (the first output char
    when none is), so the spans tile `text` and a decoded span maps to a contiguous original."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for start, end, replacement in edits:
        if pos < start:
            pieces.append(text[pos:start])
            starts.extend(range(pos, start))
            ends.extend(range(pos + 1, start + 1))
        if replacement:
            pieces.append(replacement)
            starts.extend([start] * len(replacement))
            ends.extend([end] * len(replacement))
        elif ends:
            ends[-1] = end
        pos = end
    if pos < len(text):
        pieces.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    if starts:
        starts[0] = 0
    return "".join(pieces), starts, ends


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _invisibles(text: str) -> list[_Edit]:
    if text.isascii():
        return []
    return [(start, end, "") for start, end in _spans(_invisible, text)]


def _references(text: str) -> list[_Edit]:
    if "&" not in text:
        return []
    edits = []
    for start, end in _spans(_reference, text):
        reference = text[start:end]
        decoded = _unescape(reference)
        if decoded != reference:
            edits.append((start, end, decoded))
    return edits


def _utf8_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence this byte starts; 0 when it cannot start one."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _percents(text: str, plus: Plus = "literal") -> list[_Edit]:
    """`%XX` runs read as UTF-8, char by char; an escape that starts no valid sequence is left as
    written. With `plus`, a form `+` is a space, except one that starts a number (`=+1415...`):
    an unencoded phone number is likelier there than a space before digits."""
    edits: list[_Edit] = []
    if "%" in text:
        for start, end in _spans(_percent, text):
            raw = bytes.fromhex(text[start:end].replace("%", ""))
            i = 0
            while i < len(raw):
                size = _utf8_length(raw[i])
                try:
                    char = raw[i : i + size].decode("utf-8") if size else ""
                except UnicodeDecodeError:
                    char = ""
                if len(char) != 1:
                    i += 1
                    continue
                edits.append((start + 3 * i, start + 3 * (i + size), char))
                i += size
    if plus != "literal" and "+" in text:
        pos = text.find("?") + 1 if plus == "query" else 0
        if plus == "space" or pos:
            spaces = []
            while (pos := text.find("+", pos)) != -1:
                after, before = text[pos + 1 : pos + 2], text[pos - 1 : pos]
                if not (after.isdigit() and not before.isdigit()):
                    spaces.append((pos, pos + 1, " "))
                pos += 1
            if spaces:
                edits = sorted(edits + spaces)
    return edits


_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of any script but ASCII's
# A dash of Unicode's (hyphen, non-breaking hyphen, figure dash, en and em dash, minus sign,
# small and full-width hyphen-minus) between digits: what word processors and chat apps make
# of `-` in `123-45-6789` or `+1-415-555-0132`. Read as `-` there, and only there: prose's
# dashes between words stay as written.
_DASHES = "\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_DIGIT_DASH = re.compile(rf"(?<=\d)\s?([{_DASHES}])\s?(?=\d)")


def _compatibility(text: str) -> list[_Edit]:
    """NFKC per base character and the combining marks on it (full-width digits, ligatures,
    non-breaking spaces), the decimal digits of other scripts as ASCII ones (`+৮৮০ ১৬২৪`,
    `٠١٢`: NFKC leaves them, and every number pattern reads ASCII), and a dash between digits
    as `-`; each cluster maps to its own source chars."""
    if text.isascii():
        return []
    dashes = {m.start(1) for m in _DIGIT_DASH.finditer(text)}
    if not dashes and (
        unicodedata.is_normalized("NFKC", text) and _FOREIGN_DIGIT.search(text) is None
    ):
        return []
    edits = []
    for run_start, run_end in _spans(_non_ascii, text):
        i = run_start
        if i and unicodedata.combining(text[i]):
            i -= 1  # the ASCII base the first mark sits on
        while i < run_end:
            j = i + 1
            while j < run_end and unicodedata.combining(text[j]):
                j += 1
            cluster = text[i:j]
            normal = "-" if i in dashes else unicodedata.normalize("NFKC", cluster)
            if not normal.isascii() and _FOREIGN_DIGIT.search(normal):
                normal = _FOREIGN_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), normal)
            if normal != cluster:
                edits.append((i, j, normal))
            i = j
    return edits


def _base64_tokens(text: str) -> list[_Edit]:
    """Base64 or base64url tokens that decode to printable UTF-8 text. The whole token maps to
    every char decoded from it, so a finding inside replaces all of it."""
    if len(text) < _B64_MIN_VALUE or not text.isascii():
        return []
    edits = []
    for start, end in _base64_candidates(text):
        decoded = _base64_text(text[start:end])
        if decoded is not None:
            edits.append((start, end, decoded))
    return edits


def _base64_candidates(text: str) -> list[tuple[int, int]]:
    """Spans of base64-alphabet runs (the whole value from 12 chars, a token inside it from 16)
    whose 4-char groups mostly start the way printable text's do; in a run with `/` (a URL path)
    that fails this, its slash-separated segments are tried instead."""
    spans: list[tuple[int, int]] = []
    whole = len(text)
    m = _b64_run.search(text)
    while m is not None:  # search, not finditer: cheaper on the short values most are
        start, end = m.span()
        if end - start >= _B64_MIN_TOKEN or (start == 0 and end == whole):
            token = text[start:end]
            if _text_leaders(token):
                spans.append((start, end))
            elif "/" in token and end - start > _B64_MIN_TOKEN:
                pos = start
                for segment in token.split("/"):
                    if len(segment) >= _B64_MIN_TOKEN and _text_leaders(segment):
                        spans.append((pos, pos + len(segment)))
                    pos += len(segment) + 1
        m = _b64_run.search(text, end)
    return spans


def _text_leaders(token: str) -> bool:
    if token[0] not in _LEADER_CHARS:  # most ids and hashes stop here
        return False
    leaders = token[::4].encode()
    return len(leaders.translate(None, _ASCII_LEADERS)) * 3 <= len(leaders)


def _base64_text(token: str) -> str | None:
    body = token.rstrip("=")
    if len(body) % 4 == 1:
        return None
    url = "-" in body or "_" in body
    if url and ("+" in body or "/" in body):
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        raw = base64.b64decode(padded, altchars=b"-_" if url else None, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    if not decoded or not (decoded.isprintable() or decoded.translate(_LINE_BREAKS).isprintable()):
        return None
    return decoded
