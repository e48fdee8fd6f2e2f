"""Validation errors in a policy author's words, one line each, with a "did you mean" where a
name was mistyped.

Pydantic says where an error is and of what type; this says it as the policy language does:
the actions a rule may name come from the operator registry (through the model's unions), the
keys a mapping may hold from its model, the entity types from the catalogue and the policy's
own patterns. Only names are echoed (keys, actions, classes, entity types), never a value.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from datamin.redactors.entities import ENTITIES
from datamin.redactors.operators.registry import Derived

Loc = tuple[str | int, ...]

# What may be quoted back: a name as a policy writes one, not free text.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$")
_UNKNOWN_ENTITIES = re.compile(
    r"^unknown entity type\(s\): ([A-Z0-9_, ]+) \(declare new ones in detection\.patterns\)$"
)
# Pydantic's wording for a wrong type, said once in the policy's terms.
_TYPES = {
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping (key: value)",
}
_PATTERNS = {
    "^[a-z][a-z0-9_]{0,39}$": "a lower-case name (a-z, 0-9 and _, starting with a letter, "
    "at most 40 characters)",
    "^[A-Z][A-Z0-9_]{1,39}$": "an upper-case name (A-Z, 0-9 and _, starting with a letter, "
    "2 to 40 characters)",
}


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when one candidate is close to `word` (case aside), else ''."""
    if not isinstance(word, str) or not _NAME.match(word):
        return ""
    folded = {c.casefold(): c for c in sorted(set(candidates))}
    match = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean '{folded[match[0]]}'?)" if match else ""


def translate(
    err: Mapping[str, Any], loc: Loc, root: type[BaseModel], data: Any
) -> list[tuple[Loc, str]]:
    """One pydantic error as the lines a policy author reads: each a message and the steps to
    add to `loc` (the error's place in the document) to point at the key it is about. Most
    errors are one line; an entity check naming several types is one line per type."""
    raw: Loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        key = raw[-1] if raw else ""
        model = _type_at(root, raw[:-1])
        keys = _keys(model) if model is not None else []
        return [((), f"unknown key '{key}'{did_you_mean(key, keys)}")]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = str(ctx.get("discriminator", "'action'")).strip("'")
        tags = _tags(_type_at(root, raw)) or re.findall(r"'([^']*)'", ctx.get("expected_tags", ""))
        listed = f"; {key}s: {', '.join(tags)}" if tags else ""
        if kind == "union_tag_not_found":
            if not isinstance(_value_at(data, loc), Mapping):
                return [((), _mapping_expected(_type_at(root, raw), raw))]
            return [((), f"missing key '{key}'{listed}")]
        tag = ctx.get("tag")
        if isinstance(tag, str) and _NAME.match(tag):
            return [((key,), f"unknown {key} '{tag}'{did_you_mean(tag, tags)}{listed}")]
        return [((key,), f"unknown {key}{listed}")]
    if kind == "missing":
        return [((), f"missing required key '{loc[-1]}'" if loc else message)]
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        if not expected:  # not a name: a number (`version: 1`)
            return [((), f"expected {ctx['expected']}" if "expected" in ctx else message)]
        hint = did_you_mean(_value_at(data, loc), expected)
        return [((), f"expected {_one_of(expected)}{hint}")]
    if kind in ("model_type", "model_attributes_type"):
        return [((), _mapping_expected(_type_at(root, raw), raw))]
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return [((), f"expected {_PATTERNS[ctx['pattern']]}")]
    if kind in _TYPES:
        return [((), _TYPES[kind])]
    bound = {"too_short": ("at least", "min_length"), "too_long": ("at most", "max_length")}
    if kind in bound and bound[kind][1] in ctx:
        words, n = bound[kind][0], ctx[bound[kind][1]]
        return [((), f"expected {words} {n} item{'' if n == 1 else 's'}")]
    unknown = _UNKNOWN_ENTITIES.match(message)
    if unknown:
        return _unknown_entities(unknown.group(1).split(", "), loc, data)
    return [((), message)]


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"one of {', '.join(names)}"


def _unknown_entities(names: list[str], loc: Loc, data: Any) -> list[tuple[Loc, str]]:
    """One line per unknown entity type, at its own key (or list item) where it has one."""
    known = set(ENTITIES) | custom_entities(data) | ({"default"} if loc == ("entities",) else set())
    where = _value_at(data, loc)
    out = []
    for name in names:
        step: Loc = ()
        if isinstance(where, Mapping) and name in where:
            step = (name,)
        elif isinstance(where, list) and name in where:
            step = (where.index(name),)
        message = f"unknown entity type '{name}'{did_you_mean(name, known)}"
        out.append((step, message + "; declare new ones in detection.patterns"))
    return out


def custom_entities(data: Any) -> set[str]:
    """The entity types a policy document's own patterns and recognizers declare."""
    detection = data.get("detection") if isinstance(data, Mapping) else None
    if not isinstance(detection, Mapping):
        return set()
    found = set()
    for key, name in (("patterns", "entity"), ("recognizers", "supported_entity")):
        items = detection.get(key)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, Mapping) and isinstance(item.get(name), str):
                found.add(item[name])
    return found


def _mapping_expected(tp: Any, raw: Loc) -> str:
    message = _mapping_of(tp)
    if raw[:1] == ("entities",) and len(raw) == 2:  # `PHONE_NUMBER: mask` is an action alone
        return message.replace("expected a mapping", "expected an action or a mapping", 1)
    return message


def _mapping_of(tp: Any) -> str:
    members = _members(tp)
    if members:  # a union of rules: what every member requires, and the actions
        required = [k for k in _required(members[0]) if all(k in _keys(m) for m in members)]
        required += [] if "action" in required else ["action"]
        return f"expected a mapping with {', '.join(required)}; actions: {', '.join(_tags(tp))}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        keys = _required(tp) or _keys(tp)
        more = ", ..." if len(keys) < len(_keys(tp)) or len(keys) > 6 else ""
        return f"expected a mapping of keys ({', '.join(keys[:6])}{more})"
    return "expected a mapping (key: value)"


# -- where an error is, in the model -----------------------------------------------------------


def _type_at(root: type[BaseModel], loc: Loc) -> Any:
    """The type pydantic validated at `loc` (its own location, union tags included), or None
    where it cannot be followed."""
    tp: Any = root
    for step in loc:
        tp = _step(_unwrap(tp), step)
        if tp is None:
            return None
    return _unwrap(tp)


def _unwrap(tp: Any) -> Any:
    """Through `Annotated` (a registry-derived type built now) and `X | None`."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            base, *meta = get_args(tp)
            derived = next((m for m in meta if isinstance(m, Derived)), None)
            tp = derived.build() if derived is not None else base
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _step(tp: Any, step: str | int) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):  # a discriminated union: the step is its tag
        return next((m for m in _members(tp) if step in _literal(m, "action")), None)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, field in tp.model_fields.items():
            if step in (name, field.alias):
                derived = next((m for m in field.metadata if isinstance(m, Derived)), None)
                return derived.build() if derived is not None else field.annotation
        return None
    if origin in (tuple, list) and isinstance(step, int):
        return get_args(tp)[0]
    if origin is dict:
        return get_args(tp)[1]
    return None


def _members(tp: Any) -> list[type[BaseModel]]:
    if get_origin(tp) not in (Union, types.UnionType):
        return []
    return [m for m in get_args(tp) if isinstance(m, type) and issubclass(m, BaseModel)]


def _tags(tp: Any) -> list[str]:
    """The actions a union of rules (or of operators' parameters) accepts, in its order."""
    return [tag for m in _members(tp) for tag in _literal(m, "action")]


def _literal(model: type[BaseModel], name: str) -> tuple[str, ...]:
    field = model.model_fields.get(name)
    if field is None or get_origin(field.annotation) is not Literal:
        return ()
    return tuple(a for a in get_args(field.annotation) if isinstance(a, str))


def _keys(model: Any) -> list[str]:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _required(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


def _value_at(data: Any, loc: Loc) -> Any:
    for step in loc:
        if isinstance(data, Mapping) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data
