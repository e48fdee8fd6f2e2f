"""drop: the value goes, and with it the whole field it sat in."""

from __future__ import annotations

from typing import Literal

from datamin.redactors.operators.base import Operator, OperatorParams


class DropParams(OperatorParams):
    action: Literal["drop"] = "drop"


class Drop(Operator):
    name = "drop"
    params_model = DropParams

    def apply(self, value: str, entity: str | None) -> str | None:
        return None
