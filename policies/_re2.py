"""RE2 for a policy's own patterns: compiled without RE2's error log, which writes the pattern
itself (and so whatever value an author wrote into it) to stderr."""

from __future__ import annotations

from typing import Any

from datamin import quiet_re2


def compile_pattern(text: str) -> Any:
    """`re2.compile`, quietly; raises `re2.error` whose message quotes the pattern: callers
    say what is wrong in their own words."""
    return quiet_re2.compile(text)
