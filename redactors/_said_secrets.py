"""A password said in a sentence (`my password is Tr0ub4dor&3`, `la contraseña es Lm9#x2`),
for `credentials`: the word, a verb of being, then the secret. Only a value with a digit, a
symbol, or a capital inside it counts, so `the password is incorrect` and `the PIN is Required`
stay; a plain lower-case word after the same words is let go (a guessable password is a weak
one, and the word is more often a sentence's)."""

from __future__ import annotations

from collections.abc import Iterator

from datamin import quiet_re2

_WORDS = (
    r"password|passwd|passcode|passphrase|pin|pin code|pwd|contraseña|clave|mot de passe|"
    r"passwort|kennwort|senha|wachtwoord|parola|şifre|hasło|salasana|lösenord|adgangskode"
)
_BEING = r"is|was|is now|will be|es|est|ist|é|è|=|:|→"
SIGN = r"(?i)\b(?:" + _WORDS + r")\s+(?:" + _BEING + r")"
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


def _secret_like(value: str) -> bool:
    return (
        any(c.isdigit() for c in value)
        or any(not c.isalnum() for c in value)
        or any(c.isupper() for c in value[1:])
    )
