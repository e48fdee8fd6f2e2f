"""Phone numbers written digit by digit: in words (`five five five, two one two, four four
eight nine`) or as single digits apart (`4 1 5 5 5 5 0 1 9 9`), as people type a number to get
it past a filter or read it out. Their pieces are too many and too short for `phones`' groups,
so they are read here: seven to fifteen digits, each a word or a lone digit, after a phone word
(`call`, `my cell is`) or before one."""

from __future__ import annotations

from collections.abc import Iterator

from datamin import quiet_re2
from datamin.redactors._phone_words import context_after, context_near

_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple|\d)"
# At least seven tokens, each a digit's word or one digit, a blank, comma, dot or dash apart.
_RUN = quiet_re2.compile(r"(?i:\b" + _DIGIT + r"(?:[ ,.\-]{1,3}" + _DIGIT + r"){6,20})\b")
_APART = quiet_re2.compile(r"[ ,.\-]+")
# The prefilter's sign: three digits' words in a row (lone digits reach the phone sign).
SIGN = r"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[ ,.\-]{1,3}" + (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)[ ,.\-]{1,3}"
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b"
)


def spelled_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the numbers `text` spells digit by digit next to a phone word."""
    for m in _RUN.finditer(text):
        start, end = m.span()
        tokens = _APART.split(text[start:end].lower())
        # each token a digit; `double x` is two digits and `triple x` three
        digits = len(tokens) + tokens.count("triple")
        if 7 <= digits <= 15 and (context_near(text, start) or context_after(text, start, end)):
            yield start, end
