"""Identity claims of a bearer JWT as fields of their own: `Authorization: Bearer eyJ...` gives
`request.jwt.sub`, `request.jwt.email`, `request.jwt.client_id`, ... so a policy can
pseudonymize who made a request into a column while the token itself stays a credential (the
header is dropped or redacted as before).

The payload is decoded, never verified: a forged token's claims are only as trustworthy as
any other logged value, and only the policy's operator (a keyed pseudonym) writes them. A claim
field is derived only where a rule of the policy names its path, so a policy that scans what
it does not name never sees claims it did not ask for.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

import orjson

from datamin.core.structure import Field
from datamin.redactors.context import FieldKind

# Header fields whose value may be a bearer JWT, and the prefix of the fields they give.
SOURCES = {"request.headers.authorization": "request.jwt"}
# The claims that say who: the subject, its e-mail, the OAuth client (`azp` is the client of
# OpenID Connect ID tokens, `cid` Okta's), and the issuer that scopes the subject.
CLAIMS = ("sub", "email", "client_id", "azp", "cid", "iss")
_MAX_TOKEN = 16 * 1024
_MAX_CLAIM = 512


def claim_fields(fields: list[Field], wanted: Callable[[str], bool]) -> list[Field]:
    """Fields derived from the bearer JWTs among `fields`, those whose path `wanted` accepts
    (a rule of the policy names it)."""
    out: list[Field] = []
    for f in fields:
        prefix = SOURCES.get(f.path)
        if prefix is None or not isinstance(f.value, str):
            continue
        paths = {name: f"{prefix}.{name}" for name in CLAIMS}
        named = [name for name, path in paths.items() if wanted(path)]
        if not named:
            continue  # no rule asks for a claim: the token is not decoded at all
        claims = bearer_claims(f.value)
        for name in named:
            value = claims.get(name)
            if value is not None:
                # A leaf of the decoded payload, judged as any JSON leaf is where it is kept.
                out.append(Field(paths[name], value, FieldKind.JSON, position=f.position))
    return out


def bearer_claims(value: str) -> dict[str, str | int]:
    """The scalar claims of `Bearer <JWT>`'s payload, or {} when it is not one."""
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or len(token) > _MAX_TOKEN or token.count(".") != 2:
        return {}
    payload = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = orjson.loads(raw)
    except (binascii.Error, ValueError):  # orjson.JSONDecodeError is a ValueError
        return {}
    if not isinstance(claims, dict):
        return {}
    return {
        k: v
        for k, v in claims.items()
        if k in CLAIMS and ((isinstance(v, str) and 0 < len(v) <= _MAX_CLAIM) or type(v) is int)
    }
