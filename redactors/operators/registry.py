"""The operators, declared once in `BUILTIN`; everything that depends on which operators exist
derives from the registry: the union policies use to name an operator for detected spans
(`span_union`), the actions safe for credentials, and the policy's field-rule classes
(`datamin.policies.model`).

A new operator is one module (a `name`, a params model whose `action` is that name, `apply`)
and one registration: a line in `BUILTIN` ("module:Class", as detector `FAMILIES` are), or
`register(MyOperator)` from code of your own, before or after policies were first loaded (the
policy model rebuilds its rule union).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Annotated, Any, Union

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema

from datamin.keys import KeyRing
from datamin.redactors.operators.base import Operator, OperatorParams

# The order is the order of the policy schema's unions.
BUILTIN: tuple[str, ...] = (
    "datamin.redactors.operators.drop:Drop",
    "datamin.redactors.operators.redact:Redact",
    "datamin.redactors.operators.mask:Mask",
    "datamin.redactors.operators.pseudonymize:Pseudonymize",
    "datamin.redactors.operators.generalize:Generalize",
    "datamin.redactors.operators.tokenize:Tokenize",
)
# Field-rule actions that are not operators.
RESERVED = frozenset({"keep", "scan", "default"})


def _load(spec: str) -> type[Operator]:
    module, _, name = spec.partition(":")
    cls: type[Operator] = getattr(import_module(module), name)
    return cls


OPERATORS: dict[str, type[Operator]] = {op.name: op for op in map(_load, BUILTIN)}
_BUILTIN_NAMES = frozenset(OPERATORS)
_listeners: list[Callable[[], None]] = []


def register(cls: type[Operator]) -> type[Operator]:
    """Add an operator (usable as a class decorator). Its name must be new and its params
    model's `action` must default to that name."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name.isidentifier() or name in RESERVED:
        raise ValueError(f"an operator's name is an identifier other than {sorted(RESERVED)}")
    if OPERATORS.get(name, cls) is not cls:
        raise ValueError(f"an operator named '{name}' is already registered")
    action = cls.params_model.model_fields.get("action")
    if action is None or action.default != name:
        raise ValueError(f"{cls.__name__}.params_model: `action` must default to '{name}'")
    OPERATORS[name] = cls
    _changed()
    return cls


def unregister(name: str) -> None:
    """Remove an operator registered with `register` (the built-in ones stay)."""
    if name in _BUILTIN_NAMES:
        raise ValueError(f"'{name}' is a built-in operator")
    if OPERATORS.pop(name, None) is not None:
        _changed()


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener` after every (un)registration: models derived from the registry rebuild."""
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


def span_operators() -> tuple[type[Operator], ...]:
    """Operators a policy may apply to a detected span (its `entities:` section)."""
    return tuple(op for op in OPERATORS.values() if op.on_spans)


def span_union() -> Any:
    """The params models of the span operators, as a union discriminated by `action`."""
    models = tuple(op.params_model for op in span_operators())
    return Annotated[Union[models], Field(discriminator="action")]  # noqa: UP007


@dataclass(frozen=True)
class Derived:
    """`Annotated` metadata: validate as the type `build()` gives from the registry now. Read
    when a model's schema is built, so a model rebuilt after `register` sees the new operator."""

    build: Callable[[], Any]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler.generate_schema(self.build())


# What `entities:` may apply to a detected span, e.g. `Policy.entities: dict[str, OperatorSpec]`.
OperatorSpec = Annotated[OperatorParams, Derived(span_union)]


def credential_safe() -> frozenset[str]:
    """Actions that may apply to a credential: nothing of the secret is left to use or join."""
    return frozenset(name for name, op in OPERATORS.items() if op.for_credentials)


def build(params: OperatorParams, keys: KeyRing | None) -> Operator:
    """Instantiate the operator `params.action` names."""
    return OPERATORS[params.action](params, keys)
