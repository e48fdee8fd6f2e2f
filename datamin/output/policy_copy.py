"""The copy of a run's policy kept beside its output (`_audit/policies/<sha256>.yaml`): what
disposal reads back (retention classes, the quarantine's raw retention) and what a reviewer
needs to see what the run promised, with every value an author wrote into the policy replaced
by a keyed hash. Allow and deny lists, the policy's own regexes and Presidio recognizers' deny
lists and patterns name the very people and values the policy protects; the copy keeps how
many there were and a hash that tells them apart (under the output's key), never the text.
Comments go too: the copy is written from the parsed document.

The file keeps the original's sha256 as its name (audits and Parquet footers name it), and a
header says it is this form."""

from __future__ import annotations

from typing import Any

import yaml

from datamin.keys import KeyRing

PURPOSE = "saved-policy-value"
HEADER = (
    b"# datamin: the policy these runs wrote under, as validated (its sha256 names this file).\n"
    b"# Values of allow and deny lists and of patterns are keyed hashes (hmac:...), not text.\n"
)


def saved_form(raw: bytes, keys: KeyRing) -> bytes:
    """The policy `raw` (validated YAML) with its values hashed under `keys`: deterministic, so
    the same policy under the same key always saves the same bytes."""
    document = yaml.safe_load(raw) or {}

    def hashed(value: Any) -> str:
        return "hmac:" + keys.mac_hex(PURPOSE, str(value).encode(), 24)

    detection = document.get("detection")
    if isinstance(detection, dict):
        for key in ("allow", "allow_patterns"):
            if isinstance(detection.get(key), list):
                detection[key] = [hashed(v) for v in detection[key]]
        if isinstance(detection.get("deny"), dict):
            detection["deny"] = {
                entity: [hashed(v) for v in values] if isinstance(values, list) else values
                for entity, values in detection["deny"].items()
            }
        for pattern in _dicts(detection.get("patterns")):
            if "regex" in pattern:
                pattern["regex"] = hashed(pattern["regex"])
        for recognizer in _dicts(detection.get("recognizers")):
            if isinstance(recognizer.get("deny_list"), list):
                recognizer["deny_list"] = [hashed(v) for v in recognizer["deny_list"]]
            for pattern in _dicts(recognizer.get("patterns")):
                if "regex" in pattern:
                    pattern["regex"] = hashed(pattern["regex"])
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    return HEADER + body.encode("utf-8")


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
