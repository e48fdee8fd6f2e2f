"""pseudonymize: a keyed HMAC-SHA256 token, the same for the same value and key in every run.

Values are normalized per entity first (emails case-folded, phone numbers reduced to digits) so
`Ann@Example.com` and `ann@example.com` join. Never an unkeyed hash: without a key this operator
cannot be built.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from datamin.errors import KeyConfigError
from datamin.keys import KeyRing
from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams

PURPOSE = "pseudonym"


class PseudonymizeParams(OperatorParams):
    action: Literal["pseudonymize"] = "pseudonymize"
    prefix: str = Field(default="psn_", max_length=16, pattern=r"^[A-Za-z0-9_:\-]*$")
    length: int = Field(default=24, ge=16, le=64)  # hex characters of the HMAC kept


def normalize(value: str, entity: str | None) -> str:
    value = value.strip()
    if entity == "EMAIL_ADDRESS" or (entity is None and "@" in value and " " not in value):
        return value.casefold()
    if entity == "PHONE_NUMBER":
        digits = "".join(c for c in value if c.isdigit())
        return ("+" if value.startswith("+") else "") + digits
    return value


class Pseudonymize(Operator):
    name = "pseudonymize"
    params_model = PseudonymizeParams
    params: PseudonymizeParams
    needs_key = True

    def __init__(self, params: OperatorParams, keys: KeyRing | None = None) -> None:
        if keys is None:
            raise KeyConfigError("pseudonymize needs a key")
        super().__init__(params, keys)

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        assert self.keys is not None
        digest = self.keys.mac_hex(
            PURPOSE, normalize(value, ctx.entity).encode(), self.params.length
        )
        return self.params.prefix + digest
