"""RE2, quietly: every pattern datamin compiles goes through here, with RE2's error log off.
That log goes straight to the process's stderr, past every logging filter: a compile error
quotes the pattern (and so whatever value a policy author wrote into it), and at run time RE2
reports "DFA out of memory" for large patterns on long texts (a line per text, falling back to
its slower matcher, which is correct)."""

from __future__ import annotations

from typing import Any

import re2


def options(**settings: Any) -> Any:
    """`re2.Options` with `settings` and the error log off."""
    found = re2.Options()
    found.log_errors = False
    for name, value in settings.items():
        setattr(found, name, value)
    return found


_QUIET = options()


def compile(pattern: str | bytes, with_options: Any = None) -> Any:
    """`re2.compile` with the error log off (pass `options(...)` for more settings)."""
    if with_options is not None:
        with_options.log_errors = False
    return re2.compile(pattern, with_options or _QUIET)
