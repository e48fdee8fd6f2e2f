"""Redaction operators: one per module, each a `name`, a typed params model and `apply()`."""

from datamin.redactors.operators.base import Operator, OperatorParams
from datamin.redactors.operators.registry import OPERATORS, OperatorSpec, build

__all__ = ["OPERATORS", "Operator", "OperatorParams", "OperatorSpec", "build"]
