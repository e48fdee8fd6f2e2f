"""Reading a policy file: YAML parsed with line numbers, validated, errors that point at lines.

Every problem becomes a `PolicyError` naming the file, the line and the key; nothing is
read from data before this has passed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from datamin.errors import PolicyError
from policies.model import Policy

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    sha256: str  # of the policy file's bytes: what audits and output metadata record
    source: str
    raw: bytes  # those very bytes, saved beside the output so the hash can be checked


def load_policy(path: str | Path) -> LoadedPolicy:
    """Load and validate one policy file; raises `PolicyError` listing every problem found.
    The file is read once: what is validated is what is hashed and saved."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read policy ({type(exc).__name__})", file=name) from None
    policy, errors = _parse(raw, name)
    if policy is None:
        if len(errors) == 1:
            raise errors[0]
        raise PolicyError(
            "; ".join(
                e.message if e.line is None else f"line {e.line}: {e.message}" for e in errors
            ),
            file=name,
        )
    return LoadedPolicy(policy, hashlib.sha256(raw).hexdigest(), name, raw)


def check_policy(path: str | Path) -> list[PolicyError]:
    """Every problem of a policy file, each with its line; [] when it is valid."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return [PolicyError(f"cannot read policy ({type(exc).__name__})", file=str(path))]
    return _parse(raw, str(path))[1]


def _parse(raw: bytes, name: str) -> tuple[Policy | None, list[PolicyError]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [PolicyError("cannot read policy (not UTF-8)", file=name)]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", "syntax error")
        return None, [PolicyError(f"invalid YAML ({problem})", file=name, line=line)]
    if not isinstance(data, dict):
        message = "a policy is a mapping of keys (version, name, retention, ...)"
        return None, [PolicyError(message, file=name, line=1)]
    try:
        return Policy.model_validate(data), []
    except ValidationError as exc:
        lines = _line_map(node)
        return None, [_to_policy_error(e, lines, name) for e in exc.errors(include_input=False)]


def _to_policy_error(err: Any, lines: dict[Loc, int], file: str) -> PolicyError:
    loc = _data_loc(tuple(err["loc"]), lines)
    key = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'" if loc else "unknown key"
    elif err["type"] == "union_tag_invalid":
        message = "unknown action (one of keep, scan, drop, redact, mask, pseudonymize, generalize)"
    elif err["type"] == "missing":
        message = f"missing required key '{loc[-1]}'" if loc else message
    message = message.removeprefix("Value error, ")
    # A validator over a whole mapping names the offending key first: point at that key.
    first_word = message.split(" ", 1)[0].rstrip(":")
    if (*loc, first_word) in lines:
        loc = (*loc, first_word)
    line = lines.get(loc)
    probe = loc
    while line is None and probe:
        probe = probe[:-1]
        line = lines.get(probe)
    return PolicyError(f"{key}: {message}" if key else message, file=file, line=line)


def _data_loc(loc: Loc, lines: dict[Loc, int]) -> Loc:
    """Pydantic's error location with the union tags it inserts (`fields.3.mask.keep_last`)
    removed, keeping only the steps that exist in the document (`fields[3].keep_last`)."""
    out: list[str | int] = []
    for step in loc:
        candidate = (*out, step)
        if candidate in lines or isinstance(step, int):
            out.append(step)
        elif step == loc[-1]:
            out.append(step)
    return tuple(out)


def _line_map(node: yaml.Node | None, loc: Loc = ()) -> dict[Loc, int]:
    """1-based line of every key and list item in the document."""
    found: dict[Loc, int] = {}
    if node is None:
        return found
    found[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, str(key_node.value))
            found.update(_line_map(value_node, child))
            found[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(_line_map(item, (*loc, i)))
    return found
