"""The shapes of values and of their surroundings that decide whether an identifier may be
read there: whole tokens, grouped digit runs, letters in capitals, runs too long to hold one."""

from __future__ import annotations

import re

from datamin import quiet_re2
from datamin.redactors._validators import DIGITS, WORD

JOINERS = " .-/:"
GROUPED_NUMBER = quiet_re2.compile(r"\d(?:[ .\-/:]?\d){8,}")
# What a pattern's source holds besides literal letters (to tell a digits-only pattern).
INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z]+[:)]|\(\?P<\w+>")
ESCAPES = re.compile(r"\\[dDbBsSzA]|\{\d*,?\d*\}")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# No identifier is a piece of an unbroken run this long (a base64 blob, a key's body, a hash
# chain): such runs are blanked, offsets kept, before the pattern set reads the text, whose
# DFA would otherwise build new states for every character of random text (1.6 ms for the
# body of one private key).
LONG_RUN_CHARS = 63
LONG_RUN = quiet_re2.compile(rf"[A-Za-z0-9+/=_\-]{{{LONG_RUN_CHARS},}}")


# The number sign written as a word and its dot (`No.383378876239`, `Nr.12345678`): what
# follows it is a number of its own, not the tail of a dotted name.
_NUMBER_SIGN = re.compile(r"(?:^|[^\w])(?i:no|nos|nr|num)\.$")


def after_number_sign(text: str, start: int) -> bool:
    """Whether `text[start:]` follows the number sign's word and its dot (`Tel No.`)."""
    if text[start - 1 : start] != ".":
        return False
    return _NUMBER_SIGN.search(text, max(0, start - 5), start) is not None


ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")  # a percent-escape, not a percent sign


def in_escapes(text: str, at: int) -> bool:
    """Whether the `%` at `at` starts a percent-escape of a percent-encoded text: an escape
    there and another elsewhere (`Screen%20Shot%202019-03-04`). A `%` alone is a wildcard or a
    sign (`LIKE '%4155550100%'`), and the digits after it are a number's."""
    if ESCAPE.match(text, at) is None:
        return False
    return any(m.start() != at for m, _ in zip(ESCAPE.finditer(text), range(2), strict=False))


def whole(text: str, start: int, end: int) -> bool:
    """Not glued to a letter or digit, nor a digit group continued by another through a joiner
    (`.`, `-`, `/`, a space): `2121 1009 0000` inside an IBAN's groups is no Aadhaar. After the
    number sign's word (`No.`), a value stands alone."""
    if start > 0:
        before = text[start - 1]
        if before in WORD or (before == "%" and in_escapes(text, start - 1)):
            return False  # after an escape's `%`, two digits are the escape's
        if before in JOINERS and start > 1 and not after_number_sign(text, start):
            glue = WORD if before != " " else DIGITS  # `ORD-2026-118734`, `0000 0002 3569`
            if text[start - 2] in glue and (before != " " or text[start] in DIGITS):
                return False
    if end < len(text):
        after = text[end]
        if after in WORD:
            return False
        if after in JOINERS and end + 1 < len(text):
            glue = WORD if after != " " else DIGITS
            if text[end + 1] in glue and (after != " " or text[end - 1] in DIGITS):
                return False
    return True


def digits_only(pattern: str) -> bool:
    """Whether a pattern's matches hold no letter (so alone they need a grouped number)."""
    bare = ESCAPES.sub("", INLINE_FLAGS.sub("", pattern))
    return "\\w" not in pattern and "\\S" not in pattern and not any(c.isalpha() for c in bare)


def has_grouped_number(text: str) -> bool:
    """A number of nine digits or more written in groups (`943 476 5919`), the one digit shape
    that may count alone."""
    for m in GROUPED_NUMBER.finditer(text):
        run = m.group()
        joiners = {c for c in run if not c.isdigit()}
        # One kind of joiner: `2026-04-11 17` (a date and an hour) is no grouped number.
        if len(joiners) == 1 and whole(text, m.start(), m.end()):
            return True
    return False


def has_letter(value: str) -> bool:
    return any(c.isalpha() for c in value)


def lower_word(value: str) -> bool:
    """Lower-case letters beyond hex: identifiers are written in capitals, while hex (a MAC)
    is written in either case."""
    return any(c.islower() and c not in "abcdef" for c in value)


def blank_long_runs(text: str) -> str:
    parts: list[str] = []
    at = 0
    for m in LONG_RUN.finditer(text):
        parts += (text[at : m.start()], " " * (m.end() - m.start()))
        at = m.end()
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)
