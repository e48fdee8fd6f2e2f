"""The path a kept value is stored under, in a row's `fields` map: keys that are themselves
sensitive (a map keyed by e-mail address, a cookie named after a user) are replaced by their
entity's placeholder, and a key too long to read costs nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from datamin.policies.paths import escape_key, shape
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import resolve_overlaps
from datamin.redactors.listed import deny_findings, pattern_findings

if TYPE_CHECKING:
    from datamin.redactors.engine import DetectionEngine

_LONG_KEY = 256


def stored_path(
    path: str,
    *,
    engine: DetectionEngine,
    deny: list[tuple[str, str]],
    patterns: tuple[tuple[str, Any, float, tuple[str, ...]], ...],
) -> str:
    """`path` with each sensitive key replaced by `<ENTITY>` (escaped as a key)."""
    out = []
    for key in path.split("."):
        base, bracket, rest = key.partition("[")
        if len(base) > _LONG_KEY:
            # Detection on a key this long costs what a value's does, for every record: such a
            # key is stored as a placeholder, never as written.
            out.append(escape_key("<LONG_KEY>") + bracket + rest)
            continue
        if base:
            # A name-like key is read as a value in a neutral field, without its own name as
            # context: `password` as a key is a name, not a password, and `threeDS2RequestData`
            # a program's name, not a token (read under `key`, a credential's word, it was one);
            # `sk_live_...` as a key is still an API key.
            ctx = FieldContext.of(base if shape(base) != base else "value", FieldKind.JSON)
            found = engine.detect(base, ctx)
            if deny:
                found += deny_findings(base, deny)
            if patterns:
                found += pattern_findings(base, patterns)
            if found:
                base = escape_key(f"<{resolve_overlaps(found)[0].entity}>")
        out.append(base + bracket + rest)
    return ".".join(out)
