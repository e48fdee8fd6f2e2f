"""A password said in a sentence (`my password is Tr0ub4dor&3`, `la contraseña es Lm9#x2`),
for `credentials`: the word, a verb of being, then the secret. Only a value with a digit, a
symbol, or a capital inside it counts, so `the password is incorrect` and `the PIN is Required`
stay; a plain lower-case word after the same words is let go (a guessable password is a weak
one, and the word is more often a sentence's).

A secret named right before it, as a log line writes it (`login ann token Xk9fQ2pLm7RtY4vB`,
`using api key gwk_live_7Qx9...`, `password hunter2!x`): the word, a blank, then a value of
eight characters or more with letters and digits in it that is no date, time, address or
number (`token expired at 10:00`, `api key rotated 2024-09-19` stay)."""

from __future__ import annotations

from collections.abc import Iterator

from datamin import quiet_re2

_WORDS = (
    r"password|passwd|passcode|passphrase|pin|pin code|pwd|contraseña|clave|mot de passe|"
    r"passwort|kennwort|senha|wachtwoord|parola|şifre|hasło|salasana|lösenord|adgangskode"
)
_BEING = r"is|was|is now|will be|es|est|ist|é|è|=|:|→"
_NAMED_WORDS = (
    r"password|passwd|pwd|passphrase|token|secret|api[ _-]?key|apikey|access[ _-]?key|"
    r"secret[ _-]?key|client[ _-]?secret|auth[ _-]?token|access[ _-]?token|refresh[ _-]?token"
)
SIGN = r"(?i)\b(?:(?:" + _WORDS + r")\s+(?:" + _BEING + r")|(?:" + _NAMED_WORDS + r")\s)"
_SAID = quiet_re2.compile(
    r"(?i:\b(?:" + _WORDS + r")\s+(?:" + _BEING + r")\s*:?\s+)([^\s\"'<>`]{4,64})"
)


def said_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the passwords `text` says, without a full stop, comma or colon after them."""
    for m in _SAID.finditer(text):
        start, end = m.span(1)
        while end > start and text[end - 1] in ".,;:)":  # `!` and `?` end passwords too
            end -= 1
        value = text[start:end]
        if len(value) >= 4 and _secret_like(value):
            yield start, end


_NAMED = quiet_re2.compile(r"(?i:\b(" + _NAMED_WORDS + r"))[ \t]+([^\s\"'<>`=:]{8,128})")
_NOT_A_SECRET = quiet_re2.compile(
    r"\d{4}-\d\d-\d\d|\d\d?:\d\d|@|://|^[\d.,:/#+\-]+$|^v?\d+(?:\.\d+)+$"
)


def named_secrets(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, entity) of each secret named by the word right before it."""
    for m in _NAMED.finditer(text):
        start, end = m.span(2)
        while end > start and text[end - 1] in ".,;)!?":
            end -= 1
        value = text[start:end]
        if (
            len(value) >= 8
            and any(c.isdigit() for c in value)
            and any(c.isalpha() for c in value)
            and _NOT_A_SECRET.search(value) is None
        ):
            word = m.group(1).lower()
            yield start, end, "PASSWORD" if word.startswith(("pass", "pwd")) else "SECRET"


def _secret_like(value: str) -> bool:
    return (
        any(c.isdigit() for c in value)
        or any(not c.isalnum() for c in value)
        or any(c.isupper() for c in value[1:])
    )
