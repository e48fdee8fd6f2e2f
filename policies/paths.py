"""Field paths and the patterns policies address them with.

A concrete path joins keys with dots and array positions with brackets:
`request.body.items[2].sku`. Keys holding `.`, `[`, `]` or `%` are percent-escaped so a path
always splits back into its keys. Patterns are matched against the path with positions erased
(`request.body.items[].sku`): `*` matches within one key, a key that is exactly `**` matches any
number of keys (none included), and `[]` matches any position.
"""

from __future__ import annotations

import re
from functools import lru_cache

_INDEX = re.compile(r"\[\d+\]")
_SAFE_KEY = re.compile(r"^[A-Za-z_$@][A-Za-z0-9_\-$:]{0,63}$")
_LONG_DIGITS = re.compile(r"\d{5,}")


def escape_key(key: str) -> str:
    if "." not in key and "[" not in key and "]" not in key and "%" not in key:
        return key  # the usual case, on every key of every record: no generator here
    return key.replace("%", "%25").replace(".", "%2E").replace("[", "%5B").replace("]", "%5D")


def join(parent: str, key: str) -> str:
    key = escape_key(key)
    return f"{parent}.{key}" if parent else key


def erase_positions(path: str) -> str:
    return _INDEX.sub("[]", path)


def shape(path: str) -> str:
    """The path with positions erased and every key that is not an identifier-like name shown
    as `*`. This is the only form of a path that audits, quarantine entries and logs carry:
    JSON keys can themselves be personal data (maps keyed by email or account number)."""
    keys = erase_positions(path).split(".")
    out = []
    for key in keys:
        base, bracket, rest = key.partition("[")
        if not _SAFE_KEY.match(base) or _LONG_DIGITS.search(base):
            base = "*"
        out.append(base + bracket + rest)
    return ".".join(out)


class PathPattern:
    """A compiled path pattern. Matching is anchored: the whole path must match."""

    __slots__ = ("_regex", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._regex = re.compile(_translate(text))

    def matches(self, erased_path: str) -> bool:
        return self._regex.fullmatch(erased_path) is not None

    def __reduce__(self) -> tuple[object, ...]:
        return (PathPattern, (self.text,))

    def __repr__(self) -> str:
        return f"PathPattern({self.text!r})"


@lru_cache(maxsize=1024)
def _translate(pattern: str) -> str:
    if not pattern or pattern.startswith(".") or pattern.endswith(".") or ".." in pattern:
        raise ValueError("a path pattern is keys joined by single dots")
    parts: list[str] = []
    keys = pattern.split(".")
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        if key == "**":
            # Any number of keys, each with optional positions; absorbs its dot.
            parts.append(r"(?:[^.]+(?:\.[^.]+)*)?" if last else r"(?:[^.]+\.)*")
            continue
        if "**" in key:
            raise ValueError("'**' must be a whole key")
        out = []
        j = 0
        while j < len(key):
            c = key[j]
            if c == "*":
                out.append(r"[^.\[]*")
            elif key.startswith("[]", j):
                out.append(r"\[\]")
                j += 1
            else:
                out.append(re.escape(c))
            j += 1
        parts.append("".join(out) + ("" if last else r"\."))
    return "".join(parts)
