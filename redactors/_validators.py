"""Small pure checks shared by the pattern and credential detectors: span boundaries, card issuer
prefixes, token randomness, field-name squashing and token decoding.

None of them keeps, logs or raises with the value it is given; each answers yes or no.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Iterable

import re2
from stdnum import luhn

from datamin import quiet_re2

DIGITS = frozenset("0123456789")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WORD = DIGITS | LETTERS | {"_"}


def sign_set(signs: Iterable[str]) -> re2.Set:
    """One RE2 set over a detector's cheap signs: a single scan says which pattern families are
    worth running on a value, so ordinary values cost one call."""
    options = quiet_re2.options()
    options.never_capture = True
    found = re2.Set.SearchSet(options)
    for sign in signs:
        found.Add(sign)
    found.Compile()
    return found


# A counted repetition (`[A-Za-z0-9]{16}`, `{23,27}`) multiplies a set's DFA states by its
# count, and new text (random base64 above all) makes RE2 build them anew: 3 ms for 1.7 kB of a
# private key with every sign in one set, 0.2 ms with these apart.
_COUNTED = re.compile(r"\{(\d+)")
_HEAVY = 5


class SignSet:
    """`sign_set` for signs some of which are costly together: signs with a counted repeat of
    `_HEAVY` or more go in a second set, and those named `alone` each in a set of their own (a
    set's scan is one C call, half a microsecond on a short value). `Match` answers as
    `re2.Set.Match` does: the indices of the signs found, or None."""

    def __init__(self, signs: Iterable[str], alone: Iterable[int] = (), chunk: int = 0) -> None:
        """`chunk`: at most this many signs in one set. Many patterns in one set make more DFA
        states than RE2's cache holds, rebuilt on every value: 92 of Presidio's patterns in
        one set took 33 us on a 50-character value, in sets of 16 at most 14."""
        signs = list(signs)
        apart = set(alone)
        groups: dict[str, list[int]] = {}
        sets: list[tuple[list[int], bool]] = []
        for i, sign in enumerate(signs):
            if i in apart:
                sets.append(([i], True))
                continue
            count = max((int(c) for c in _COUNTED.findall(sign)), default=0)
            groups.setdefault("heavy" if count >= _HEAVY else "light", []).append(i)
        for members in groups.values():
            size = chunk or len(members)
            sets += [(members[at : at + size], False) for at in range(0, len(members), size)]
        self._sets = [
            (members, sign_set(signs[i] for i in members), alone) for members, alone in sets
        ]

    def Match(self, text: str, *, apart: bool = True) -> list[int] | None:
        """The signs found; those set `alone` only when `apart` is true."""
        data = text.encode()  # once for every set (a lone surrogate raises, as `re2` does)
        found = [
            members[j]
            for members, signs, alone in self._sets
            if apart or not alone
            for j in signs.Match(data) or ()
        ]
        return found or None


def re2_safe(text: str) -> str:
    """`text` with each lone surrogate replaced by `?`, so RE2 (which needs UTF-8) can scan it.

    A Python str decoded from JSON may hold lone surrogates; replacing one char by one char keeps
    every offset, so spans found in the copy index the original.
    """
    if text.isascii():  # nearly every value: no copy
        return text
    return text.encode("utf-8", "replace").decode("utf-8")


def squash(name: str) -> str:
    """A field name compared the way people write it: lower case, `-`, `_` and `.` ignored."""
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


def placeholder_digits(digits: str) -> bool:
    """`123-456-7890`, `000 000 0000`: the numbers forms show as examples, nobody's number."""
    return len(set(digits)) == 1 or digits in "12345678901234567890" or digits in "0123456789"


def stands_alone(text: str, start: int, end: int, joiners: str = ".-") -> bool:
    """True when `text[start:end]` is not glued to a letter or digit, nor continued by another
    digit group through a joiner, so `1.2.3.4` inside `1.2.3.4.5` or `555-0123` inside
    `12-555-0123` is not taken for a whole."""
    if start > 0:
        before = text[start - 1]
        if before in WORD or (before in joiners and start > 1 and text[start - 2] in DIGITS):
            return False
    if end < len(text):
        after = text[end]
        if after in WORD or (after in joiners and end + 1 < len(text) and text[end + 1] in DIGITS):
            return False
    return True


def _card_lengths(digits: str) -> range | tuple[int, ...]:
    """Lengths the issuer owning this prefix uses; empty when no known issuer owns it."""
    two, three, four, six = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return (13, 16, 19)  # Visa
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return (16,)  # Mastercard
    if two in (34, 37):
        return (15,)  # American Express
    if four == 6011 or two == 65 or 644 <= three <= 649 or 622126 <= six <= 622925:
        return range(16, 20)  # Discover
    if 3528 <= four <= 3589:
        return range(16, 20)  # JCB
    if two in (36, 38, 39) or 300 <= three <= 305 or four == 3095:
        return range(14, 20)  # Diners Club
    if two == 62 or 2200 <= four <= 2204:
        return range(16, 20)  # UnionPay, Mir
    if two in (50, 56, 57, 58, 67) or four == 6304:
        return range(13, 20)  # Maestro
    if digits[0] == "1":
        return (15,)  # UATP (ISO/IEC 7812's industry 1, airlines)
    if two in (81, 82):
        return (16,)  # RuPay
    return ()


def is_card_number(digits: str) -> bool:
    """A payment card number: 13-19 digits, a known issuer prefix with its length, Luhn-valid."""
    return (
        13 <= len(digits) <= 19
        and digits.isdigit()
        and len(digits) in _card_lengths(digits)
        and luhn.is_valid(digits)
    )


def looks_random(value: str, min_length: int = 16) -> bool:
    """A token-shaped value: long, no whitespace, letters mixed with digits and not repetitive
    (Shannon entropy of at least 3 bits per char). Session ids and keys pass; `dark`, `en-US`,
    words, prices and ISO timestamps (too few letters) do not."""
    n = len(value)
    if n < min_length:
        return False
    counts = Counter(value)
    letters = digits = 0
    for char, k in counts.items():
        if char.isspace():
            return False
        if char in LETTERS:
            letters += k
        elif char in DIGITS:
            digits += k
    if digits < 1 or letters < 4:
        return False
    entropy = -sum(k / n * math.log2(k / n) for k in counts.values())
    return entropy >= 3.0


def password_like(value: str) -> bool:
    """Signs a person picks, not the syntax a program writes: 8 characters or more without a
    blank, a letter, and two signs at least besides `. - _ / :` (`A,.:-¨@*¿?!`,
    `m{{h}o)p${e]nob(ody[...]}}`). Not a URL, JSON, a pattern (`\\d{3}`, `^[a-z]+$`, a
    JSONPath) or a format (`%Y-%m-%d`, `%(name)s`), and what a program writes between words is
    no sign: a placeholder (`{tenant}`), an index (`[0]`, `[*]`), a list's or a key chord's
    separator (`repo,user`, `ctrl+shift+k`), a wildcard segment (`*.orange.#`), a colour."""
    if not 8 <= len(value) <= 200 or "://" in value or any(c.isspace() for c in value):
        return False
    if _TEMPLATE.fullmatch(value) or _PROGRAM.search(value) or value[:2] in ('{"', '["'):
        return False
    if value.startswith(("$.", "$[")) or (value[0] == "^" and value[-1] == "$"):
        return False
    rest = _WRITTEN.sub("", value)
    signs = sum(1 for c in rest if not c.isalnum() and c not in "._-/:")
    return signs >= 2 and any(c.isalpha() for c in value)


_TEMPLATE = re.compile(r"\$\{[^{}]*\}|\{\{[^{}]*\}\}|<[^<>]*>|%[A-Za-z_]+%|\$[A-Za-z_]+")
# A pattern's escape or a format's field: `\d`, `\b`, `%(auth_token)s`, `%Y`, `%-d`.
_PROGRAM = re.compile(r"\\[A-Za-z]|%\([A-Za-z_]\w*\)[a-z]|%-?[A-Za-z](?![A-Za-z])")
_WRITTEN = re.compile(
    r"\{[A-Za-z_][\w.]*\}"  # a placeholder
    r"|\[(?:\d+|\*|[A-Za-z_]\w*)?\]"  # an index
    r"|(?<=[A-Za-z0-9])[,;+|](?=[A-Za-z0-9])"  # a list's, a chord's separator
    r"|(?:^|(?<=\.))[*#](?=\.|$)"  # a wildcard segment
    r"|#[0-9A-Fa-f]{3,8}\b"  # a colour
    r"|(?<=\w)\((?=[\w,]*\))|(?<=[\w,])\)"  # a call's parentheses around names
)


def _b64url_json_object(part: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return isinstance(json.loads(raw), dict)
    except (binascii.Error, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return False


def is_jwt(token: str) -> bool:
    """A JWS compact token: three dot-separated parts, the first two base64url JSON objects; or
    those two alone, the signature cut off."""
    parts = token.split(".")
    return 2 <= len(parts) <= 3 and _b64url_json_object(parts[0]) and _b64url_json_object(parts[1])


def is_basic_credentials(encoded: str) -> bool:
    """Base64 that decodes to printable `user:password` text, as HTTP Basic auth carries."""
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon) and bool(user or password) and decoded.isprintable()
