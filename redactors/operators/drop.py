"""drop: the value goes, and with it the whole field it sat in."""

from __future__ import annotations

from typing import Literal

from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams


class DropParams(OperatorParams):
    action: Literal["drop"] = "drop"


class Drop(Operator):
    name = "drop"
    params_model = DropParams
    for_credentials = True

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        return None
