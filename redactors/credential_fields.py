"""What a field's name says of the credential under it: whether any rule can find one there
(`located`), which credential any value there is (`entity_for_name`), cookie headers and
cookies' names. Judged once per name (cached); for `datamin.redactors.credentials`."""

from __future__ import annotations

from functools import lru_cache

from datamin.redactors._credential_names import (
    AUTH_HEADERS,
    CREDENTIAL_WORDS,
    NOT_CREDENTIAL_WORDS,
    PASSWORD_ENDINGS,
    PASSWORD_NAMES,
    SECRET_ENDINGS,
    SECRET_NAMES,
    SESSION_COOKIE_WORDS,
    SESSION_ENDINGS,
    SESSION_NAMES,
    STEMS,
)
from datamin.redactors._validators import looks_random, squash
from datamin.redactors.context import FieldContext, FieldKind

HEADER_LIKE_KINDS = (FieldKind.HEADER, FieldKind.JSON)  # a logged headers object is JSON


@lru_cache(maxsize=4096)
def located(kind: FieldKind, name: str) -> bool:
    """Whether `_by_location` can find anything under this field at all: an auth or cookie
    header, a cookie, or a name with a credential stem. Settled once per field name."""
    key = squash(name)
    return (
        kind is FieldKind.COOKIE
        or (
            kind in HEADER_LIKE_KINDS and (key in AUTH_HEADERS or cookie_header_of(key) is not None)
        )
        or stemmed(key)
    )


@lru_cache(maxsize=4096)
def stemmed(key: str) -> bool:
    """Whether a squashed field name holds any credential stem at all."""
    return has_any(key, STEMS)


def entity_for_name(key: str, kind: FieldKind) -> str | None:
    """The credential any value under this squashed name is; None for ordinary names."""
    if has_any(key, NOT_CREDENTIAL_WORDS):
        return None
    if key in SESSION_NAMES or key.endswith(SESSION_ENDINGS):
        return "SESSION_ID"
    if key == "sid":
        return "SESSION_ID" if kind is FieldKind.COOKIE else None
    if key.endswith(("id", "ids")):  # `token_id`, `secret_key_id` name a secret, not hold it
        return None
    if key in PASSWORD_NAMES or key.endswith(PASSWORD_ENDINGS):
        return "PASSWORD"
    if key[-1:].isdigit() and key.rstrip("0123456789") in PASSWORD_NAMES:
        return "PASSWORD"  # a SIM's `pin1`, `puk2`; a form's `password2` (its confirmation)
    if key in SECRET_NAMES or key.endswith(SECRET_ENDINGS):
        return "SECRET"
    return None


@lru_cache(maxsize=4096)
def password_field(name: str) -> bool:
    """Whether a field name says its value is a password, a PIN or a card's security code,
    which may be a JSON number (`"pin": 1234`, `"cvc": 123`)."""
    return entity_for_name(squash(name), FieldKind.JSON) == "PASSWORD"


def is_cookie_field(ctx: FieldContext) -> bool:
    return ctx.kind is FieldKind.COOKIE or (
        ctx.kind in HEADER_LIKE_KINDS and cookie_header_of(squash(ctx.name)) is not None
    )


@lru_cache(maxsize=4096)
def cookie_header_of(key: str) -> str | None:
    """The cookie header (`cookie`, `setcookie`) a squashed field name is: its own name, or that
    name last, after the words a log puts before a header's name (Traefik's `request_Cookie`
    and `downstream_Set-Cookie`, nginx's `http_cookie`, an Envoy format's `req_cookies`)."""
    for header in ("setcookie", "cookie"):
        if key.endswith((header, header + "s")):
            return header
    return None


def credential_word_in(key: str) -> bool:
    """`*token*`, `*secret*`, `*key*`... names, where a random-looking value is a secret."""
    return (
        has_any(key, CREDENTIAL_WORDS)
        and not key.endswith(("id", "ids"))
        and not has_any(key, NOT_CREDENTIAL_WORDS)
    )


def cookie_score(name: str, value: str) -> float:
    """0.9 for a session or auth cookie by name, 0.75 for a random-looking value, else 0."""
    bare = value.strip().strip('"')
    if not bare:
        return 0.0
    lowered = name.lower()
    for prefix in ("__host-", "__secure-"):
        lowered = lowered.removeprefix(prefix)
    words = lowered.replace("-", "_").replace(".", "_").split("_")
    if (
        any(
            w in SESSION_COOKIE_WORDS or w.startswith("sess") or w.endswith(("session", "token"))
            for w in words
        )
        or entity_for_name(squash(lowered), FieldKind.COOKIE) is not None
    ):
        return 0.9
    if len(bare) >= 8 and any(w.endswith("sid") for w in words):
        return 0.9  # Google's `HSID`, `APISID`, `__Secure-3PSID`: letters alone, as often
    return 0.75 if looks_random(bare) else 0.0


def has_any(key: str, words: tuple[str, ...]) -> bool:
    for word in words:  # a plain loop: this runs on every field name, and any() costs twice this
        if word in key:
            return True
    return False
