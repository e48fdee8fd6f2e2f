"""What every operator is: typed parameters and one method that applies them to a value."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from datamin.keys import KeyRing


class OperatorParams(BaseModel):
    """Parameters of one operator; `action` names the operator in policies."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    action: str


class Operator(ABC):
    """Replaces a value (a whole field or one detected span) with what may be kept.

    `apply` returns the replacement, or None when the value must go entirely (the field is then
    dropped). It never raises with the value in its message.
    """

    name: ClassVar[str]
    params_model: ClassVar[type[OperatorParams]]
    needs_key: ClassVar[bool] = False

    def __init__(self, params: OperatorParams, keys: KeyRing | None = None) -> None:
        self.params = params
        self.keys = keys

    @abstractmethod
    def apply(self, value: str, entity: str | None) -> str | None: ...
