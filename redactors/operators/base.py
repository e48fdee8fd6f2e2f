"""What every operator is: typed parameters, what it may apply to, and one method that applies
them to a value in its context."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from datamin.keys import KeyRing


class OperatorParams(BaseModel):
    """Parameters of one operator; `action` names the operator in policies."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    action: str


@dataclass(frozen=True, slots=True)
class OperatorContext:
    """Where a value is being replaced: the entity it is (a finding's, or the one its field
    rule names), the retention class it is written into and its record's event date
    (YYYY-MM-DD). A field rule's context has all three; a detected span's names its entity
    only, as operators that need the partition (tokenize) are not for spans (`on_spans`).
    Callers on a hot path make one per entity, or per field rule and date, not per value."""

    entity: str | None = None
    retention: str | None = None
    event_date: str | None = None


NO_CONTEXT = OperatorContext()


class Operator(ABC):
    """Replaces a value (a whole field or one detected span) with what may be kept.

    `apply` returns the replacement, or None when the value must go entirely (the field is then
    dropped). It never raises with the value in its message. Keys are given at construction,
    when a policy is compiled, not in the context: an operator that cannot get its key (a
    pseudonymizer without a secret, a tokenizer whose store is unwritable) fails before the
    first record is read, not on it.

    The class attributes say where the operator may be used; the registry derives the policy's
    rule classes and checks from them, so a new operator is one module and one registration.
    """

    name: ClassVar[str]
    params_model: ClassVar[type[OperatorParams]]
    needs_key: ClassVar[bool] = False
    # May replace a span that detection found inside a value (`entities:`), not only a field.
    on_spans: ClassVar[bool] = True
    # Safe for credentials: it leaves nothing of the secret that could be used or joined on.
    for_credentials: ClassVar[bool] = False
    # The description of this operator's field rule in the policy's JSON Schema.
    rule_doc: ClassVar[str | None] = None

    def __init__(self, params: OperatorParams, keys: KeyRing | None = None) -> None:
        self.params = params
        self.keys = keys

    @classmethod
    def check_rule(cls, type: str, entity: str | None) -> None:
        """Refuse a field rule this operator cannot serve (its column `type`, its `entity`),
        raising ValueError with a value-free message. Every rule is fine by default."""
        return None

    @classmethod
    def check_span(cls, params: OperatorParams, entity: str) -> None:
        """Refuse parameters that cannot apply to a detected span of `entity` (ValueError)."""
        return None

    @abstractmethod
    def apply(self, value: str, ctx: OperatorContext) -> str | None: ...
