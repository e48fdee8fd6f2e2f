"""JSON held inside a value that is read as a whole: a parameter of a whole URL's query
(`?where={"ssn": "536228841"}`, `?filter=...`, percent-encoded or not). The walker parses such
JSON in place when it sees the parameter as a field of its own (`request.query.where.ssn`); the
URL that holds it is one string, so here each string leaf is read under its own key, as the
walker would read it, and its findings map back to where the leaf is written in the value."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson

from datamin.core import strictjson
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.decode import DecodedView
from datamin.redactors.findings import Finding

_MAX_CHARS = 16_384  # a query's JSON filter, not a document
_MAX_DEPTH = 8
_OPENERS = ("{", "[", "%7b", "%5b")

Detect = Callable[[str, FieldContext], list[Finding]]
ViewOf = Callable[[str, FieldContext], DecodedView | None]


def json_leaves(value: str, ctx: FieldContext, detect: Detect, view_of: ViewOf) -> list[Finding]:
    """Findings of each string leaf of the JSON `value` holds (plain or encoded: `view_of` gives
    its decoded view), each read under `ctx.path` and its own keys, in `value`'s offsets."""
    if not value[:3].lower().startswith(_OPENERS) or len(value) > _MAX_CHARS:
        return []  # the usual case: no JSON opens the value
    view = view_of(value, ctx)
    text = view.text if view is not None else value
    stripped = text.strip()
    if stripped[:1] not in ("{", "[") or stripped[-1:] not in ("}", "]"):
        return []
    try:
        parsed = strictjson.loads(text)
    except (orjson.JSONDecodeError, ValueError):
        return []
    found: list[Finding] = []
    for leaf_path, key, leaf in _leaves(parsed, ctx.path, "", 0):
        written = orjson.dumps(leaf).decode()
        if written[1:-1] != leaf:
            continue  # escaped as written: its offsets there are not the leaf's
        findings = detect(leaf, FieldContext(leaf_path, FieldKind.JSON, key))
        at = text.find(written)
        while findings and at >= 0:
            for f in findings:
                start, end = at + 1 + f.start, at + 1 + f.end
                if view is not None:
                    start, end = view.span(start, end)
                found.append(Finding(f.entity, start, end, f.score, f.detector))
            at = text.find(written, at + len(written))
    return found


def _leaves(value: Any, path: str, key: str, depth: int) -> Iterator[tuple[str, str, str]]:
    """(path, key, string) of every string leaf, down to `_MAX_DEPTH`."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}", str(k).lower(), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]", key, depth + 1)
    elif isinstance(value, str) and value and key:
        yield path, key, value
