"""RE2, quietly: every pattern datamin compiles goes through here, with RE2's error log off.
That log goes straight to the process's stderr, past every logging filter: a compile error
quotes the pattern (and so whatever value a policy author wrote into it), and at run time RE2
reports "DFA out of memory" for large patterns on long texts (a line per text, falling back to
its slower matcher, which is correct).

The patterns it compiles also match ASCII text faster than google-re2's own wrapper does: that
wrapper maps every match's byte offsets back to character offsets, which for ASCII text (nearly
every value a record holds) are the same numbers; here they are taken as they are."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import re2

_NULL_SPAN = (-1, -1)


def options(**settings: Any) -> Any:
    """`re2.Options` with `settings` and the error log off."""
    found = re2.Options()
    found.log_errors = False
    for name, value in settings.items():
        setattr(found, name, value)
    return found


_QUIET = options()
_QUIET_VALUES = tuple(getattr(_QUIET, name) for name in re2.Options.NAMES)


def compile(pattern: str | bytes, with_options: Any = None) -> Any:
    """`re2.compile` with the error log off (pass `options(...)` for more settings)."""
    if with_options is None and isinstance(pattern, str | bytes):
        return _quiet(pattern)  # most calls: one cache lookup (some compile as they run)
    if with_options is not None:
        with_options.log_errors = False
    found = with_options or _QUIET
    if not isinstance(pattern, str | bytes):
        return re2.compile(pattern, found)
    return _compiled(pattern, tuple(getattr(found, name) for name in re2.Options.NAMES))


class Lazy:
    """A pattern compiled when it is first used, then answering as the compiled one does.
    For the large grammars of rare forms (a street's in Turkish, a name after a sign-off):
    RE2 compiles each Unicode class afresh, 0.5 ms apiece, and a run or a test process may
    never read a text that needs them."""

    def __init__(self, pattern: str, with_options: Any = None) -> None:
        settings = _QUIET_VALUES
        if with_options is not None:
            with_options.log_errors = False
            settings = tuple(getattr(with_options, name) for name in re2.Options.NAMES)
        self._args = (pattern, settings)  # plain values: a Lazy pickles

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_args":
            raise AttributeError(name)
        found = getattr(_compiled(*self._args), name)
        self.__dict__[name] = found  # the next lookup is the instance's own
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {"_args": self._args}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._args = state["_args"]


@functools.lru_cache(maxsize=4096)
def _quiet(pattern: str | bytes) -> Regexp:
    return _compiled(pattern, _QUIET_VALUES)


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str | bytes, values: tuple[Any, ...]) -> Regexp:
    settings = re2.Options()
    for name, value in zip(re2.Options.NAMES, values, strict=True):
        setattr(settings, name, value)
    return Regexp(pattern, settings)


class Regexp(re2._Regexp):
    """`re2`'s compiled pattern, answering alike; a str of ASCII is matched as its bytes,
    whose offsets are its characters'. Its group count is read once."""

    __slots__ = ("_groups",)

    def __init__(self, pattern: str | bytes, settings: Any) -> None:
        super().__init__(pattern, settings)
        self._groups = self._regexp.NumberOfCapturingGroups()

    def __setstate__(self, state: Any) -> None:
        super().__setstate__(state)
        self._groups = self._regexp.NumberOfCapturingGroups()

    @property
    def groups(self) -> int:
        return self._groups

    def _match(
        self, anchor: Any, text: Any, pos: int | None = None, endpos: int | None = None
    ) -> Iterator[Any]:
        if not (isinstance(text, str) and text.isascii()):
            yield from super()._match(anchor, text, pos, endpos)
            return
        n = len(text)
        pos = 0 if pos is None else max(0, min(pos, n))
        endpos = n if endpos is None else max(0, min(endpos, n))
        if pos > endpos:
            return
        encoded = text.encode("ascii")
        start = pos
        match = self._regexp.Match
        while True:
            spans = match(anchor, encoded, start, endpos)
            if spans[0] == _NULL_SPAN:
                return
            yield re2._Match(self, text, pos, endpos, spans)
            if start == endpos:
                return
            # An empty match at `start`: step one character on, as `re2` does.
            start = start + 1 if start == spans[0][1] else spans[0][1]
