"""A postcode beside a street's city (`datamin.redactors.addresses`): after a street line, the
words of its neighbourhood, city and region, then the postcode in the shapes countries write
it (`, Pyrmont NSW 2009`, `, São Paulo - SP, 01311-000`, `, Col. Roma Norte, C.P. 06700`,
`, Meguro-ku, Tokyo 153-0063`, `, Singapore 520123`), or the postcode before its city (`,
00-514 Warszawa`). What a street line's city is followed by is its postcode; the same digits
alone in a text are a count, an order's number or a year, and stay.
"""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors._name_words import NOT_NAME_WORDS
from datamin.redactors._stop_words import STOP_WORDS

# Between the pieces: a comma, a dash (`São Paulo - SP`), spaces, or the next line of a block.
_SEP = r"(?:[ \t]*[,\-\x{2013}][ \t]*(?:\r?\n[ \t]*)?|[ \t]*\r?\n[ \t]*|[ \t]+)"
_WORD = r"\p{Lu}[\p{L}\p{M}'\x{2019}\-]*"
# A neighbourhood, city, ward, region or country: capitalized words with the particles of a
# place's name (`Ciudad de México`), an abbreviation before them (`Col. Roma Norte`, `Bo.`).
_PLACE = (
    r"(?:\p{Lu}\p{Ll}{0,3}\.[ \t]*)?" + _WORD + r"(?:[ \t]+(?:(?:de|del|do|da|dos|das|la|los|"
    r"las|di|el|sur|norte)[ \t]+)?" + _WORD + r"){0,3}"
)
# A label some countries write before the code: Mexico's `C.P.`, Brazil's `CEP`, Japan's `〒`.
_LABEL = r"(?:(?:(?i:c\.[ \t]?p\.|cp|cep|plz|zip|postcode|post code)[ \t]*:?|\x{3012})[ \t]*)?"
# The shapes: 28009, 01311-000, 97205-1234 (ES FR DE IT US MX BR); 153-0063 (JP); 00-514 (PL);
# 1000-001 (PT); 560231 (SG IN CN RU); 111 21 (SE CZ GR); 2009, 1016 GV (AU NZ AT CH BE DK NO
# NL); the British and Canadian codes.
_CODE = (
    r"(?:\d{5}(?:-\d{3,4})?|\d{3}-\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|\d{6}|\d{3}[ \t]\d{2}"
    r"|\d{4}(?:[ \t]?[A-Z]{2})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
)
_END = r"(?:$|[^\p{L}\p{N}\-/.:]|[.:](?:$|[^\p{N}]))"
# Up to four pieces of place, then the code, then (the code first) its city. A street's own
# number may end its name first (Singapore's `Yishun Avenue 2, Singapore 760088`).
_AFTER = quiet_re2.compile(
    r"(?:[ \t]+\d{1,3}\b)?(?:" + _SEP + r"(" + _PLACE + r")){0,4}?"
    r"(" + _SEP + _LABEL + r"(" + _CODE + r"))(?:[ \t]+(" + _PLACE + r"))?" + _END
)
# In a text written without capitals: a city of up to three words, a state's two letters
# (`portland or 97205`) and a ZIP code; or the city alone after the street, ending its clause
# (`742 evergreen terrace, springfield`).
_AFTER_LOWER = quiet_re2.compile(
    r"[ \t]*,?[ \t]+((?:\p{Ll}[\p{Ll}\p{M}'\-]*[ \t]+){0,2}?\p{Ll}[\p{Ll}\p{M}'\-]*)"
    r"(?:,?[ \t]+(\p{Ll}{2}))?(?:,?[ \t]+(\d{5}(?:-\d{4})?))?(?:$|[ \t]*[,.;!?)\r\n])"
)
_YEAR = quiet_re2.compile(r"(?:19|20)\d\d")
_REGION = quiet_re2.compile(r"[A-Z]{2,4}")


def postcode_after(text: str, end: int) -> int:
    """How far the city, region and postcode after a street line ending at `end` extend it;
    0 unless a postcode is among them."""
    rest = text[end : end + 120]
    m = _AFTER.match(rest)
    if m is None:
        return 0
    code = m.group(3)
    if _YEAR.fullmatch(code) and not _after_region(rest[: m.start(2)]) and m.group(4) is None:
        return 0  # `12 Main Street, Boston 2019`: a year, where no region or city says code
    if m.group(4) is not None and m.group(4).split()[0].lower() in STOP_WORDS:
        return m.end(2)
    return m.end(4) if m.group(4) is not None else m.end(2)


def _after_region(before: str) -> bool:
    """Whether the last piece before a four-digit code is a region's letters (`NSW`, `VIC`)."""
    words = before.replace(",", " ").split()
    return bool(words) and _REGION.fullmatch(words[-1]) is not None


def lower_tail(text: str, end: int) -> int:
    """How far the city, state and ZIP code after a street line written in lower case extend
    it: words none of which is a small word or a label's, ending their clause."""
    m = _AFTER_LOWER.match(text[end : end + 80])
    if m is None:
        return 0
    words = m.group(1).split()
    if any(w in STOP_WORDS or w in NOT_NAME_WORDS for w in words):
        return 0
    if m.group(2) is not None and m.group(3) is None:
        return 0  # two letters with no ZIP code after them: a word, not a state
    return m.end(3) if m.group(3) is not None else m.end(1)
