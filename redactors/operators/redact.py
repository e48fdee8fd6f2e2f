"""redact: the value becomes a typed placeholder such as `<EMAIL_ADDRESS>`."""

from __future__ import annotations

from typing import Literal

from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams


class RedactParams(OperatorParams):
    action: Literal["redact"] = "redact"
    # Fixed text instead of `<ENTITY>`; it must not be a value, so it is checked to be short.
    placeholder: str | None = None


class Redact(Operator):
    name = "redact"
    params_model = RedactParams
    params: RedactParams
    for_credentials = True

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        if self.params.placeholder is not None:
            return self.params.placeholder
        return f"<{ctx.entity or 'REDACTED'}>"
