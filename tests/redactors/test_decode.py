"""Decoded views: each encoding undone, and every decoded span mapped back to exactly the original
characters that produced it (or more, never fewer)."""

from __future__ import annotations

import base64
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.redactors.decode import DecodedView, decode, maybe_encoded, same_span


def view(text: str, plus: str = "literal") -> DecodedView:
    decoded = decode(text, plus)  # type: ignore[arg-type]
    assert decoded is not None
    return decoded


def original_of(text: str, decoded: DecodedView, needle: str) -> str:
    """The original characters behind the first `needle` in the decoded text."""
    start = decoded.text.index(needle)
    a, b = decoded.span(start, start + len(needle))
    return text[a:b]


B64_EMAIL = base64.b64encode(b"ann.lee@example.com").decode()
B64URL_EMAIL = base64.urlsafe_b64encode(b"ann@example.com").decode().rstrip("=")
B64_ESCAPED = B64_EMAIL.replace("=", "%3D")


def fullwidth(text: str) -> str:
    """`text` in full-width forms (`+1` -> U+FF0B U+FF11), as East Asian input methods type it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# (original, plus mode, decoded text, a decoded needle, the original chars it must map back to)
CASES = [
    # Percent-encoding, in URLs and free text, and doubly encoded.
    ("ann%40example.com", "literal", "ann@example.com", "ann@example.com", "ann%40example.com"),
    ("x ann%40example.com y", "literal", "x ann@example.com y", "@", "%40"),
    ("ann%2540example.com", "literal", "ann@example.com", "@", "%2540"),
    ("%2B14155550123", "literal", "+14155550123", "+14155550123", "%2B14155550123"),
    # A multi-byte UTF-8 char maps to all its escapes.
    ("jos%C3%A9@example.com", "literal", "josé@example.com", "é", "%C3%A9"),
    # `+` is a space only where the value is form-encoded, and never a phone's leading `+`.
    ("q=John+Smith", "space", "q=John Smith", "John Smith", "John+Smith"),
    ("a?q=John+Smith", "query", "a?q=John Smith", "John Smith", "John+Smith"),
    ("a+b?q=c+d", "query", "a+b?q=c d", "a+b", "a+b"),
    ("p=+14155550123&q=a%20b", "space", "p=+14155550123&q=a b", "+1415", "+1415"),
    # A `+` a `%2B` became stays a plus sign in the second round.
    ("n=ann%2Btag%40example.com", "space", "n=ann+tag@example.com", "ann+tag", "ann%2Btag"),
    # HTML character references: decimal, hex, named; a bare `&` is itself.
    ("ann&#64;example.com", "literal", "ann@example.com", "@", "&#64;"),
    ("ann&#x40;example.com", "literal", "ann@example.com", "@", "&#x40;"),
    ("ann&commat;example.com", "literal", "ann@example.com", "@", "&commat;"),
    ("Tom &amp; Ann", "literal", "Tom & Ann", "Tom & Ann", "Tom &amp; Ann"),
    ("ann&#64example.com", "literal", "ann@example.com", "@", "&#64"),
    # A named reference without its `;` is a URL parameter, not an entity (`&copy=1`).
    ("a=1&copy=2&x=%20", "literal", "a=1&copy=2&x= ", "&copy=2", "&copy=2"),
    # Invisible characters: removed, and joined to the char before them.
    ("ann\u200b@example.com", "literal", "ann@example.com", "n@", "n\u200b@"),
    ("a\u00adn\u2060n\ufeff@x.io", "literal", "ann@x.io", "ann", "a\u00adn\u2060n\ufeff"),
    ("\u200b\u200bann", "literal", "ann", "ann", "\u200b\u200bann"),
    # NFKC: full-width digits and signs, ligatures (one char, two decoded), combining marks.
    (fullwidth("+1 415"), "literal", "+1 415", "+1 415", fullwidth("+1 415")),
    (f"ann{fullwidth('@')}example.com", "literal", "ann@example.com", "@", fullwidth("@")),
    ("\ufb01le", "literal", "file", "i", "\ufb01"),
    ("415\u00a0555", "literal", "415 555", "415 555", "415\u00a0555"),
    ("Jose\u0301", "literal", "José", "é", "e\u0301"),
    # Decimal digits of other scripts read as ASCII ones (Bengali, Arabic-Indic, Devanagari).
    ("+৮৮০ ১৬২৪", "literal", "+880 1624", "880", "৮৮০"),
    ("رقم ٠١٢", "literal", "رقم 012", "012", "٠١٢"),
    ("फ़ोन ९८७", "literal", "फ़ोन 987", "987", "९८७"),
    # A dash between digits, as word processors and chat apps write `-`: en dash, non-breaking
    # hyphen, minus sign; with a space either side too.
    ("123\u201345\u20136789", "literal", "123-45-6789", "-45-", "\u201345\u2013"),
    ("+1\u2011415\u2011555", "literal", "+1-415-555", "1-4", "1\u20114"),
    ("415 \u2212 555", "literal", "415 - 555", "-", "\u2212"),
    # Base64 and base64url: every decoded char maps to the whole token.
    (B64_EMAIL, "literal", "ann.lee@example.com", "@", B64_EMAIL),
    (f"data: {B64_EMAIL} end", "literal", "data: ann.lee@example.com end", "ann", B64_EMAIL),
    (f"/u/{B64URL_EMAIL}/x", "literal", "/u/ann@example.com/x", "example", B64URL_EMAIL),
    # Encodings inside each other: a percent-encoded base64 token, an entity inside a URL.
    (B64_ESCAPED, "literal", "ann.lee@example.com", "ann", B64_ESCAPED),
    ("ann&#x25;40example.com", "literal", "ann@example.com", "@", "&#x25;40"),
]


@pytest.mark.parametrize(("text", "plus", "decoded", "needle", "original"), CASES)
def test_decodes_and_maps_back(
    text: str, plus: str, decoded: str, needle: str, original: str
) -> None:
    v = view(text, plus)
    assert v.text == decoded
    assert original_of(text, v, needle) == original
    assert v.span(0, len(v.text)) == (0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "application/json",  # a base64-alphabet run that does not decode to text
        "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f",  # a UUID
        "100%",  # a percent sign with no escape after it
        "50% off, 100%ZZ",
        "a & b",  # a bare ampersand
        "&&&&#;&#x;",  # references without digits
        "+14155550123",  # a phone: `+` is literal outside form values
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # a SHA-256
        "internationalization",  # a long word
        "Berlin \u2013 Paris, 2019 \u2014 today",  # dashes between words stay
        "%FF%FE",  # escapes of bytes that start no UTF-8 char stay as written
        "plain ascii text, nothing encoded",
        "café",  # non-ASCII that NFKC leaves alone
    ],
)
def test_nothing_to_decode(text: str) -> None:
    assert decode(text) is None


@pytest.mark.parametrize(
    "text", ["gzip, deflate, br", "application/json", "en-US,en;q=0.9", "keep-alive", "200"]
)
def test_the_cheap_test_passes_ordinary_header_values(text: str) -> None:
    assert not maybe_encoded(text)


@pytest.mark.parametrize(
    "token",
    [
        # binary, not text: a PNG header
        base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").decode(),
        # mixed alphabets are neither base64 nor base64url
        "YW5uQGV4YW1w+GxlLmNv_Q",
    ],
)
def test_base64_that_is_not_text_stays(token: str) -> None:
    assert decode(token) is None


def test_a_short_base64_value_decodes_only_whole() -> None:
    token = base64.b64encode(b"a@b.co.uk").decode()  # 12 chars
    assert view(token).text == "a@b.co.uk"
    assert decode(f"x {token} y") is None  # inside text a token needs 16 chars


def test_empty_spans_and_bounds() -> None:
    text = "a%40b\u200b"
    v = view(text)
    assert v.text == "a@b"
    assert v.span(1, 1) == (1, 1)
    assert v.span(3, 3) == (len(text), len(text))
    assert v.span(0, 3) == (0, len(text))  # the trailing invisible char joins the `b`
    with pytest.raises(ValueError):
        v.span(2, 4)


def test_same_span_is_the_identity() -> None:
    assert same_span(3, 7) == (3, 7)


def test_lone_surrogates_do_not_break_decoding() -> None:
    text = "\ud800ann%40example.com\u200b"
    v = view(text)
    assert v.text == "\ud800ann@example.com"
    assert v.span(1, len(v.text)) == (1, len(text))


# -- properties ---------------------------------------------------------------------------------

_INSERTS = st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "%40", "%20", "%2B", "%C3%A9",
     "&#64;", "&amp;", "&#x41;", "\uff11", "\ufb01", "+", "%", "&", "%%", "&#"]
)  # fmt: skip
_PLAIN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@st.composite
def encoded_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_PLAIN, _INSERTS), max_size=12))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(encoded_texts(), st.sampled_from(["literal", "space", "query"]))
def test_the_whole_view_maps_to_the_whole_original(text: str, plus: str) -> None:
    v = decode(text, plus)  # type: ignore[arg-type]
    if v is None or not v.text:
        return
    assert v.span(0, len(v.text)) == (0, len(text))


@settings(max_examples=400, deadline=None)
@given(encoded_texts(), st.data())
def test_mapped_spans_are_ordered_and_in_bounds(text: str, data: st.DataObject) -> None:
    v = decode(text)
    if v is None:
        return
    n = len(v.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    start, end = v.span(a, b)
    assert 0 <= start <= end <= len(text)
    if a < b:
        assert start < end
        # A longer decoded span never maps to a shorter original one, and spans keep their order.
        wider = v.span(max(a - 1, 0), min(b + 1, n))
        assert wider[0] <= start and end <= wider[1]
    # Each decoded char comes from original chars that contain no later decoded char's source.
    spans = [v.span(i, i + 1) for i in range(n)]
    assert all(s1 <= s2 and e1 <= e2 for (s1, e1), (s2, e2) in pairwise(spans))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_a_planted_escape_maps_back_whole(prefix: str) -> None:
    """An `@` written as an escape, anywhere, maps back to all of its escape."""
    for escape in ("%40", "&#64;", "&#x40;", "&commat;", "%2540", fullwidth("@")):
        text = prefix.replace("@", "") + escape + "x"
        v = view(text)
        at = v.text.rindex("@")
        a, b = v.span(at, at + 1)
        assert escape in text[a:b]
