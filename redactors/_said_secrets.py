"""A password said in a sentence (`my password is Tr0ub4dor&3`, `la contraseña es Lm9#x2`),
for `credentials`: the word, a verb of being, then the secret. Only a value with a digit, a
symbol, or a capital inside it counts, so `the password is incorrect` and `the PIN is Required`
stay; a plain lower-case word after the same words is let go (a guessable password is a weak
one, and the word is more often a sentence's).

A secret named right before it, as a log line writes it (`login ann token Xk9fQ2pLm7RtY4vB`,
`using api key gwk_live_7Qx9...`, `password hunter2!x`): the word, a blank, then a value of
eight characters or more with letters and digits in it that is no date, time, address or
number (`token expired at 10:00`, `api key rotated 2024-09-19` stay).

A one-time code sent or pasted (`Your verification code is 482913`, `482913 is your Acme code`,
`Use 7731 to log in`): short-lived, but a log is read while it is still valid, and it is no
one's business after; it goes as a password. So do a card's security code and a PIN or door
code said with their words, and the password of a login written `user / password`."""

from __future__ import annotations

from collections.abc import Iterator

from datamin import quiet_re2

_WORDS = (
    r"password|passwd|passcode|passphrase|pin|pin code|pwd|contraseña|clave|mot de passe|"
    r"passwort|kennwort|senha|wachtwoord|parola|şifre|hasło|salasana|lösenord|adgangskode"
)
_BEING = r"is|was|is now|will be|es|est|ist|lautet|är|er|jest|to|é|è|=|:|→|->"
_NAMED_WORDS = (
    r"password|passwd|pwd|passphrase|token|secret|api[ _-]?key|apikey|access[ _-]?key|"
    r"secret[ _-]?key|client[ _-]?secret|auth[ _-]?token|access[ _-]?token|refresh[ _-]?token"
)
# A one-time code's words: a kind of code, or the code's own name, in the languages messages
# are sent in (en, es, pt, fr, de, it, nl, pl, tr, sv, da/no).
_CODE_WORDS = (
    r"otp|one[ -]time (?:pass(?:word|code)|code|pin)|passcode|"
    r"(?:verification|confirmation|security|login|log-in|sign[ -]in|auth(?:entication)?|"
    r"access|2fa|mfa|sms|one-time|your) code|"
    r"c[oó]digo de (?:verificaci[oó]n|verifica[cç][aã]o|seguridad|seguran[cç]a|confirmaci[oó]n|"
    r"confirma[cç][aã]o|acceso|acesso)|"
    r"code de (?:v[ée]rification|confirmation|s[ée]curit[ée])|"
    r"(?:best[aä]tigungs|verifizierungs|sicherheits|anmelde)code|"
    r"codice di (?:verifica|sicurezza|conferma)|verificatiecode|kod (?:weryfikacyjny|sms)|"
    r"do[gğ]rulama kodu|verifieringskod|engangskode|"
    # a card's security code, and the codes that open a door
    r"cvv2?|cvc2?|csc|pin|door code|gate code|alarm code"
)
# A login written user and password: `my login is ann / Summer2024!`, `creds -> admin:Zx9!q`.
_LOGIN_WORDS = r"login|log-in|logins|credentials|creds|user(?:name)?"
SIGN = (
    r"(?i)\b(?:(?:"
    + _WORDS
    + r")\s+(?:"
    + _BEING
    + r")|(?:"
    + _NAMED_WORDS
    + r")\s|(?:"
    + _CODE_WORDS
    + r")\W|\d+\s+is\s+your\s|(?:use|enter)\s+\d|(?:"
    + _LOGIN_WORDS
    + r")\W)"
)
_SAID = quiet_re2.compile(
    r"(?i:\b(?:" + _WORDS + r")\s+(?:" + _BEING + r")\s*:?\s+)"
    r"([^\s\"'<>`]{4,64})"
)
# The code after its words, maybe a few words later (`OTP for your payment of 20.00 is 118822`),
# or before them (`482913 is your Acme code`), or to be used (`Use 7731 to sign in`). Digits
# only, maybe after a letter's prefix (`G-551203`) or split in two halves (`482 913`).
_CODE = r"(?:[A-Z]{1,3}-)?(\d{3}[ -]\d{3}|\d{3,8})"
_SAID_CODE = quiet_re2.compile(
    r"(?i:\b(?:" + _CODE_WORDS + r")\b(?:(?:[^.!?\n]|\.\d){0,40}?\s(?:is|es|est|ist|lautet|é|è|to|"
    r"jest|är|er|será|sera)|\s*(?:is|es|est|ist|lautet|é|è|to|jest|är|er)?)\s*[:=#]?\s*)"
    + _CODE
    + r"(?:$|[^\d/:,.\-]|[.,](?:\s|$))"
)
_CODE_FIRST = quiet_re2.compile(
    r"(?:^|[^\w.,/:\-])" + _CODE + r"\s+(?i:is\s+your\s+(?:[\w&'.-]+\s+){0,3}?"
    r"(?:code|otp|pin|passcode|password|verification code|security code|login code)\b)"
)
_USE_CODE = quiet_re2.compile(
    r"(?i:\b(?:use|enter)\s+(?:the\s+)?(?:code\s+)?)" + _CODE + r"(?i:\s+(?:to\s+"
    r"(?:log\s*in|sign\s*in|verify|confirm|continue|complete|reset|access|finish|activate)|"
    r"as\s+your|when\s+prompted|in\s+the\s+app)\b)"
)
_LOGIN = quiet_re2.compile(
    r"(?i:\b(?:" + _LOGIN_WORDS + r")(?:\s+(?:is|are|was)|\s*(?::|=|->|→))\s*)"
    r"[^\s/:|,\"'<>`{}();]{1,64}(?:\s+/\s+|/|:|\s+\|\s+)([^\s\"'<>`{}();]{4,64})(?:\s|$)"
)


def said_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the passwords `text` says, without a full stop, comma or colon after them, and
    of the one-time codes, security codes and PINs it says."""
    seen: set[tuple[int, int]] = set()
    for pattern in (_SAID, _LOGIN):
        for m in pattern.finditer(text):
            start, end = m.span(1)
            while end > start and text[end - 1] in ".,;:)":  # `!` and `?` end passwords too
                end -= 1
            value = text[start:end]
            if len(value) >= 4 and _secret_like(value) and _login_secret(pattern, value):
                seen.add((start, end))
                yield start, end
    for pattern in (_SAID_CODE, _CODE_FIRST, _USE_CODE):
        for m in pattern.finditer(text):
            if m.span(1) not in seen:
                seen.add(m.span(1))
                yield m.span(1)


_NAMED = quiet_re2.compile(r"(?i:\b(" + _NAMED_WORDS + r"))[ \t]+([^\s\"'<>`=:]{8,128})")
_NOT_A_SECRET = quiet_re2.compile(
    r"\d{4}-\d\d-\d\d|\d\d?:\d\d|@|://|^[\d.,:/#+\-]+$|^v?\d+(?:\.\d+)+$"
)
_NOT_A_PASSWORD = quiet_re2.compile(r"\d{4}-\d\d-\d\d|\d\d?:\d\d|://|^v?\d+(?:\.\d+)+$")


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


def _login_secret(pattern: object, value: str) -> bool:
    """After a login's user, a password has a letter and is no date, URL or number."""
    return pattern is not _LOGIN or (
        any(c.isalpha() for c in value) and _NOT_A_PASSWORD.search(value) is None
    )


def _secret_like(value: str) -> bool:
    return (
        any(c.isdigit() for c in value)
        or any(not c.isalnum() for c in value)
        or any(c.isupper() for c in value[1:])
    )
