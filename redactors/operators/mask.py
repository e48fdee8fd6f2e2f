"""mask: every character replaced but the last (or first) few, keeping the value's length."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams

SEPARATORS = frozenset(" -./()+@_:")


class MaskParams(OperatorParams):
    action: Literal["mask"] = "mask"
    keep_last: int = Field(default=4, ge=0, le=8)
    keep_first: int = Field(default=0, ge=0, le=8)
    char: str = Field(default="*", min_length=1, max_length=1)
    # Separators (spaces, dashes, dots...) stay: `4111-1111-1111-1111` reads `****-****-****-1111`.
    keep_separators: bool = True


class Mask(Operator):
    name = "mask"
    params_model = MaskParams
    params: MaskParams
    for_credentials = True

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        p = self.params
        maskable = [i for i, c in enumerate(value) if not (p.keep_separators and c in SEPARATORS)]
        # Never reveal more than half of a value: a short secret masked "last 4" is no secret.
        budget = len(maskable) // 2
        first = min(p.keep_first, budget)
        last = min(p.keep_last, budget - first)
        hidden = set(maskable[first : len(maskable) - last])
        return "".join(p.char if i in hidden else c for i, c in enumerate(value))
