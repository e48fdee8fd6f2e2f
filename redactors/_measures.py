"""Measures in markup: the values of SVG's attributes that hold coordinates, boxes, paths and
transforms (`cx="74.7095305"`, `viewBox="0 0 1024 1024"`, `d="M32 13.4c-8.7 9.4.7.6"`). Written
as phones and addresses are written, they hold neither: they are a page's drawing. Each name's
value has its own grammar, and only a value that keeps to it is a measure."""

from __future__ import annotations

import re
from bisect import bisect_left

# A number as a drawing writes one: no `+` before it (`+33 6 12 34 56 78` is a phone's). Atomic,
# so a run of digits is read one way only.
_NUMBER = r"(?>-?(?:\d+\.?\d*|\.\d+)(?:[eE][\-+]?\d+)?)"
_NUMBERS = rf"{_NUMBER}(?:[\s,]+{_NUMBER})*"
_FUNCTIONS = rf"(?:\s*(?:translate|rotate|scale|matrix|skew[XY])\(\s*{_NUMBERS}\s*\)\s*,?)+"
# Each attribute's grammar (SVG 2): a coordinate is one number, a box four, a path starts with
# its move-to and holds commands (one letter at a time) and numbers.
_GRAMMAR = {
    "cx": r"-?\d*\.\d+",
    "viewbox": rf"{_NUMBER}(?:[\s,]+{_NUMBER}){{3}}",
    "points": rf"\s*{_NUMBER}[\s,]+{_NUMBER}(?:[\s,]+{_NUMBER}[\s,]+{_NUMBER})*\s*",  # pairs
    "transform": _FUNCTIONS,
    "d": rf"\s*[Mm](?:[\s,]*(?:{_NUMBER}|[MmLlHhVvCcSsQqTtAaZz](?![A-Za-z])))*\s*",
}
for _coordinate in ("cy", "x1", "x2", "y1", "y2", "rx", "ry"):
    _GRAMMAR[_coordinate] = _GRAMMAR["cx"]
_GRAMMAR["gradienttransform"] = _GRAMMAR["patterntransform"] = _FUNCTIONS
_COMPILED = {name: re.compile(grammar) for name, grammar in _GRAMMAR.items()}
# A field or a log pair under one of these names (squashed) holds no phone when its value is
# one decimal or a box: a drawing's data as a chart's JSON carries it. (Not `x`, `y`, `r`, `d`,
# `fx`: a record's short keys, a fax's.)
MEASURE_NAMES = frozenset(("cx", "cy", "x1", "x2", "y1", "y2", "viewbox"))
# Where an attribute's quoted value opens, inside a tag (`<circle cx="`, `%3csvg viewBox='`).
_OPENS = re.compile(
    r"(?i)[\s<;\"'](d|c[xy]|r[xy]|[xy][12]|viewBox|points|(?:gradient|pattern)?transform)"
    r"\s*=\s*[\"']$"
)
_QUOTES = re.compile(r"[\"']")


def measures_only(name_key: str, value: str) -> bool:
    """A value under a measure's name (squashed) that keeps to its grammar: `cx: "74.7095305"`,
    not `cx: "06 12 34 56 78"` nor `+33 6 12 34 56 78`."""
    return name_key in MEASURE_NAMES and _COMPILED[name_key].fullmatch(value.strip()) is not None


class Measures:
    """Where a text's measure values run: its quotes found once, each value read once, so a
    long page costs one pass however many numbers are judged in it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._quotes = [m.start() for m in _QUOTES.finditer(text)]
        self._ends: dict[int, int] = {}

    def hold(self, start: int, end: int) -> bool:
        """`text[start:end]` lies inside one measure value of a tag's attribute."""
        i = bisect_left(self._quotes, start) - 1  # the last quote before `start`
        if i < 0:
            return False
        quote = self._quotes[i]
        value_end = self._ends.get(quote)
        if value_end is None:
            value_end = self._ends[quote] = self._value_end(quote)
        return end <= value_end

    def _value_end(self, quote: int) -> int:
        """Where the measure value opened at `quote` ends; -1 when it opens none."""
        text = self._text
        opened = _OPENS.search(text, max(0, quote - 40), quote + 1)
        if opened is None or not _in_a_tag(text, opened.start()):
            return -1
        close = text.find(text[quote], quote + 1)
        if close < 0:
            return -1
        grammar = _COMPILED[opened.group(1).lower()]
        return close if grammar.fullmatch(text, quote + 1, close) else -1


def _in_a_tag(text: str, at: int) -> bool:
    """`at` is inside a tag: its `<` (or a data URI's `%3c`) is nearer than any `>`."""
    low = max(0, at - 2000)
    opens = max(text.rfind("<", low, at), text.rfind("%3c", low, at), text.rfind("%3C", low, at))
    closes = max(text.rfind(">", low, at), text.rfind("%3e", low, at), text.rfind("%3E", low, at))
    return opens > closes
