"""Measures in markup: the values of SVG's and HTML's attributes that hold coordinates, boxes,
paths and transforms (`cx="74.7095305"`, `viewBox="0 0 1024 1024"`, `d="M32 13.4c-8.7 9.4.7.6"`).
Written as phones and addresses are written, they hold neither: they are a page's drawing."""

from __future__ import annotations

import re
from bisect import bisect_left

# Names whose values are measures and nothing else, squashed: a field or a log pair under one
# holds no phone. (Not `x`, `y`, `r`, `d`, `rx` or `fx`: a record's short keys, a prescription's
# and a fax's.)
MEASURE_NAMES = frozenset(
    "cx cy x1 x2 y1 y2 viewbox points transform gradienttransform patterntransform strokewidth "
    "strokedasharray strokedashoffset stddeviation".split()
)
# An attribute that holds measures, where its quoted value opens: a path's `d` among them.
_OPENS = re.compile(
    r"(?i)(?:^|[\s<;\"'])(?:d|c[xy]|r[xy]|[xy][12]|viewBox|points|(?:gradient|pattern)?"
    r"transform|stroke-(?:width|dasharray|dashoffset)|stdDeviation)\s*=\s*[\"']$"
)
# What such a value holds: numbers and their separators, a path's commands, a transform's
# functions. A `+`, a word or a name ends it (`d="+33 6 12 34 56 78"` holds a phone).
_RUN = re.compile(r"(?:[\d\s,.\-eE()MmLlHhVvCcSsQqTtAaZz]|translate|rotate|scale|matrix|skew[XY])*")
_QUOTES = re.compile(r"[\"']")


def measures_only(name_key: str, value: str) -> bool:
    """A value under a measure's name (squashed) that holds measures alone: `cx="74.7095305"`,
    not `transform="Ana +49 30 12345678"` nor `+33 6 12 34 56 78` under `points`."""
    return name_key in MEASURE_NAMES and _RUN.fullmatch(value.strip()) is not None


class Measures:
    """Where a text's measure values run: its quotes found once, each value read once, so a
    long page costs one pass however many numbers are judged in it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._quotes = [m.start() for m in _QUOTES.finditer(text)]
        self._ends: dict[int, int] = {}

    def hold(self, start: int, end: int) -> bool:
        """`text[start:end]` lies inside one measure value."""
        i = bisect_left(self._quotes, start) - 1  # the last quote before `start`
        if i < 0:
            return False
        quote = self._quotes[i]
        run_end = self._ends.get(quote)
        if run_end is None:
            run_end = self._ends[quote] = self._run_end(quote)
        return end <= run_end

    def _run_end(self, quote: int) -> int:
        if _OPENS.search(self._text, max(0, quote - 40), quote + 1) is None:
            return -1
        match = _RUN.match(self._text, quote + 1)
        return match.end() if match else quote + 1
