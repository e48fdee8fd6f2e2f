"""tokenize: a reversible token, deterministic AEAD (AES-SIV) under the key of the retention
class and event date the value is written into.

`tok_<class>_<yyyymmdd>_<base64url(AES-SIV(value, associated data: entity))>`. The same value in
the same period gives the same token, so joins work within a period; another period or class
has another key and another token. Holders of the token keys read values back with `datamin
reidentify`; disposing of a partition deletes its key, and its tokens are then unrecoverable
(crypto-shredding). Values are encrypted as written, not normalized: a token gives back exactly
what it replaced. A token reveals the length of its value, as any encryption without padding.

A token needs its field's retention class and its record's event date, from the context
`apply()` is given; without them it refuses rather than guess. A token is a field rule's action
only (a whole identifier in its own field, never a span of free text), and never a credential's.
"""

from __future__ import annotations

import base64
from collections import OrderedDict
from typing import Literal

from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from pydantic import Field

from datamin.errors import KeyConfigError, TokenError
from datamin.keys import KeyRing
from datamin.output.tokenkeys import TokenKeys, check_day, check_retention
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams

# A prefix ends at its one underscore, so `datamin reidentify` can find where the class begins.
PREFIX = r"^[A-Za-z][A-Za-z0-9]{0,14}_$"
_CACHED_KEYS = 256  # (class, day) ciphers per worker; a run touches a few dates per class


class TokenizeParams(OperatorParams):
    action: Literal["tokenize"] = "tokenize"
    prefix: str = Field(default="tok_", max_length=16, pattern=PREFIX)


def associated_data(entity: str | None) -> list[bytes]:
    """What a token is bound to besides its key: the entity the rule names (or none)."""
    return [(entity or "").encode()]


def encode(ciphertext: bytes) -> str:
    return base64.urlsafe_b64encode(ciphertext).rstrip(b"=").decode("ascii")


class Tokenize(Operator):
    name = "tokenize"
    params_model = TokenizeParams
    params: TokenizeParams
    needs_key = True
    on_spans = False
    rule_doc = (
        "A reversible token, keyed per retention class and event date (`datamin reidentify`)."
    )

    @classmethod
    def check_rule(cls, type: str, entity: str | None) -> None:
        if type != "string":
            raise ValueError("a token is text: a tokenize rule's type must be string")
        if entity in CREDENTIALS:
            raise ValueError(f"{entity} is a credential: it is never tokenized")

    def __init__(self, params: OperatorParams, keys: KeyRing | None = None) -> None:
        if keys is None or keys.token_store is None:
            raise KeyConfigError("tokenize needs a token key store (--token-keys)")
        super().__init__(params, keys)
        self.store: TokenKeys = keys.token_store
        # At compile time, before the first record: an unwritable store is a configuration error.
        self.store.ensure_writable()
        self._ciphers: OrderedDict[tuple[str, str], tuple[object | None, AESSIV]] = OrderedDict()

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        # Keyed by the partition the token is written into: disposing of it shreds the token.
        if ctx.retention is None or ctx.event_date is None:
            raise TokenError(
                "tokenize needs the field's retention class and the record's event date"
            )
        return self.tokenize(value, ctx.entity, ctx.retention, ctx.event_date)

    def tokenize(self, value: str, entity: str | None, retention: str, day: str) -> str:
        """The token of `value` in the partition `retention=<retention>/date=<day>`, whose
        key is created if this is the period's first token."""
        sealed = self._cipher(retention, day).encrypt(value.encode(), associated_data(entity))
        return f"{self.params.prefix}{retention}_{day.replace('-', '')}_{encode(sealed)}"

    def _cipher(self, retention: str, day: str) -> AESSIV:
        """The cipher of the period's key. A cipher is kept only while the key it was made from
        is the store's key (one `stat`): a key disposed or replaced since, by a `dispose` between
        two runs in one process, is never used again."""
        at = (retention, day)
        identity = self.store.identity(check_retention(retention), check_day(day))
        held = self._ciphers.get(at)
        if held is not None and identity is not None and held[0] == identity:
            self._ciphers.move_to_end(at)
            return held[1]
        try:
            key = self.store.key_for(retention, day, create=True)
        except KeyConfigError as exc:
            # The store's message names the key file, and so the record's event date: a
            # quarantine entry gets the class of failure only.
            raise KeyConfigError(f"token key unavailable ({_cause(exc)})") from None
        if key is None:  # a store that will not create: never write the value instead
            raise KeyConfigError("no token key for this retention class and date")
        cipher = AESSIV(key)
        self._ciphers[at] = (self.store.identity(retention, day), cipher)
        if len(self._ciphers) > _CACHED_KEYS:
            self._ciphers.popitem(last=False)
        return cipher


def _cause(exc: KeyConfigError) -> str:
    """What kind of failure, from the store's message, without its path."""
    text = str(exc)
    for kind in ("cannot create", "cannot read", "malformed", "vanished", "does not exist"):
        if kind in text:
            return kind
    return "store error"
