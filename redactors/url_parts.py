"""A whole URL's parts as the engine reads them apart: where its path starts, its segments' and
its query parameters' names as the keys of the fields they stand for (`/v2/PhoneNumbers/+1...`
is a `phonenumbers` field's value; `?customer[phone]=` is `customer.phone`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from datamin.redactors.context import FieldContext, FieldKind

# A segment an identifier could fill (six digits or more, an `@`).
SEGMENT_SIGN = re.compile(r"\d(?:\D?\d){5}|@")
QUERY_OR_FRAGMENT = re.compile(r"[?#]")
_KEY_PARTS = re.compile(r"[\[\].]")
# Collections of people, and the key one of them is held under: the segment after
# `/users/`, `/authors/` names a person (`/users/jane.roe`, `/authors/Ana%20Souza`).
_PEOPLE = {
    "users": "user", "people": "person", "persons": "person", "customers": "customer",
    "contacts": "contact", "members": "member", "employees": "employee", "authors": "author",
    "patients": "patient", "students": "student", "owners": "owner", "names": "name",
}  # fmt: skip


# RFC 6749's authorization response (4.1.2: `code` with `state`) and access token request
# (4.1.3: `grant_type`, `redirect_uri`, PKCE's `code_verifier`), OpenID Connect's responses
# with an `id_token` or a `session_state`: their `code` is an authorization code, a credential
# while it lives, judged as a token under a credential's name (`code` alone is a country's, a
# coupon's, an error's).
_OAUTH_SIBLINGS = frozenset(
    ("state", "grant_type", "redirect_uri", "code_verifier", "session_state", "id_token")
)
OAUTH_CODE = "oauth_code"


def oauth_code(names: Iterable[str]) -> bool:
    """Whether parameters of these names (lower-cased) are an OAuth message carrying a `code`."""
    seen = set(names)
    return "code" in seen and not seen.isdisjoint(_OAUTH_SIBLINGS)


def segment_context(path: str, name: str, segment: str) -> FieldContext | None:
    """The field a URL path's segment is read as, named by the segment before it (`name`):
    one an identifier could fill, under that name; one after a collection of people, as that
    person's (`/users/jane.roe` is a `user`); None for the rest (resources, versions, ids)."""
    if not name:
        return None
    if SEGMENT_SIGN.search(segment):
        return FieldContext(f"{path}.{name}", FieldKind.URL_PATH, name)
    person = _PEOPLE.get(name)
    return FieldContext(f"{path}.{person}", FieldKind.JSON, person) if person else None


def param_name(name: str) -> str:
    """The name a query parameter's value is judged by: its last key (`customer[phone]`,
    `customer%5Bphone%5D` and `customer.phone` are `phone`), lower-cased."""
    if "%" in name:
        name = unquote_plus(name)
    keys = [k for k in _KEY_PARTS.split(name) if k]
    return keys[-1].lower() if keys else ""


def path_start(text: str, kind: FieldKind) -> int:
    """Where a URL path starts in a path (0) or a whole URL (after its host; -1 if none)."""
    if kind is FieldKind.URL_PATH:
        return 0
    scheme = text.find("://")
    return text.find("/", scheme + 3) if 0 < scheme < 12 else -1


def param_path(name: str) -> str:
    """A query parameter's name as path keys: `customer[name]`, `customer%5Bname%5D` and
    `customer.name` are `customer.name`."""
    if "%" in name:
        name = unquote_plus(name)
    return ".".join(k for k in _KEY_PARTS.split(name) if k)
