"""The path a kept value is stored under, in a row's `fields` map: keys that are themselves
sensitive (a map keyed by e-mail address, a cookie named after a user) are replaced by their
entity's placeholder, and a key too long to read costs nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from datamin.policies.paths import escape_key, shape
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding, resolve_overlaps
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
            # A name-like key is read without its own name as context (`password` as a key is a
            # name, not a password): under `key`, a credential's word, so a random key (a map
            # keyed by session ids) goes; a key that is words (`threeDS2RequestData`) is read
            # as a neutral field's value. `sk_live_...` as a key is still an API key.
            ctx = FieldContext.of(
                base if shape(base) != base else "value" if _in_words(base) else "key",
                FieldKind.JSON,
            )
            found = engine.detect(base, ctx) or _name_as_key(base, engine)
            if deny:
                found += deny_findings(base, deny)
            if patterns:
                found += pattern_findings(base, patterns)
            if found:
                base = escape_key(f"<{resolve_overlaps(found)[0].entity}>")
        out.append(base + bracket + rest)
    return ".".join(out)


_NAME_FIELD = FieldContext.of("name", FieldKind.JSON)


def _name_as_key(key: str, engine: DetectionEngine) -> list[Finding]:
    """A key of two to five words with a blank between them (`{"John Smith": {...}}`, a map
    keyed by people) read as a name's field reads its value: a program's keys have no blanks
    (2 of the keys in the ten API descriptions' dev half and the HAR captures do), and the
    by-field judgement keeps a label's or a thing's words (`Product Name`, `Annual Leave`)."""
    if not 2 <= len(key.split()) <= 5:
        return []
    return [f for f in engine.detect(key, _NAME_FIELD) if f.entity == "PERSON"]


# A program's name in camelCase or snake_case: words of three letters or more, acronyms, numbers.
_PARTS = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|\d+")


def _in_words(key: str) -> bool:
    """A key made of at most six words (`threeDS2RequestData`, `billing_address_2`), each of
    three letters or more unless it is an acronym or a number: random keys (`mBXuDL7Dxtp`) break
    into short pieces. A period at its end is a word (`phone_change_count_90d`, Plaid's;
    `errors_24h`)."""
    bare = _SEPARATORS.sub("", _PERIOD.sub("", key))
    parts = _PARTS.findall(bare)
    return (
        0 < len(parts) <= 6
        and sum(map(len, parts)) == len(bare)
        and all(p.isdigit() or p.isupper() or len(p) >= 3 for p in parts)
    )


_SEPARATORS = re.compile(r"[_\-.$:]")
_PERIOD = re.compile(r"(?<=[A-Za-z])[_\-]\d{1,4}[a-z]{1,3}$")
