"""Redaction operators: one per module, each a `name`, a typed params model and `apply()`."""

from datamin.redactors.operators.base import NO_CONTEXT, Operator, OperatorContext, OperatorParams
from datamin.redactors.operators.registry import OPERATORS, OperatorSpec, build, register

__all__ = [
    "NO_CONTEXT",
    "OPERATORS",
    "Operator",
    "OperatorContext",
    "OperatorParams",
    "OperatorSpec",
    "build",
    "register",
]
