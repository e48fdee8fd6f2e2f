"""Redaction operators: one per module, each a `name`, a typed params model and `apply()`."""

from redactors.operators.base import Operator, OperatorParams
from redactors.operators.registry import OPERATORS, OperatorSpec, build

__all__ = ["OPERATORS", "Operator", "OperatorParams", "OperatorSpec", "build"]
