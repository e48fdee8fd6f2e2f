"""Operators by name, and the typed union policies use to name one with its parameters."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from datamin.keys import KeyRing
from datamin.redactors.operators.base import Operator, OperatorParams
from datamin.redactors.operators.drop import Drop, DropParams
from datamin.redactors.operators.generalize import Generalize, GeneralizeParams
from datamin.redactors.operators.mask import Mask, MaskParams
from datamin.redactors.operators.pseudonymize import Pseudonymize, PseudonymizeParams
from datamin.redactors.operators.redact import Redact, RedactParams
from datamin.redactors.operators.tokenize import Tokenize

OPERATORS: dict[str, type[Operator]] = {
    op.name: op for op in (Drop, Redact, Mask, Pseudonymize, Generalize, Tokenize)
}

# What `entities` may apply to a detected span. Not tokenize: a reversible token is a field
# rule's action only (a whole identifier in its own field, never a span of free text).
OperatorSpec = Annotated[
    DropParams | RedactParams | MaskParams | PseudonymizeParams | GeneralizeParams,
    Field(discriminator="action"),
]


def build(params: OperatorParams, keys: KeyRing | None) -> Operator:
    """Instantiate the operator `params.action` names."""
    return OPERATORS[params.action](params, keys)
