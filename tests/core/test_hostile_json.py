"""Hostile JSON arrays: an item nested far deeper than any record is cut out as surely as a
shallow one, and in steps per run of brackets, not per bracket (a gigabyte of `[` took a quarter
of an hour to reach its quarantine entry)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.core import strictjson
from tests.core.test_strictjson import split


def nested(depth: int, shape: str, leaf: Any) -> Any:
    """`leaf` inside `depth` containers, an array or an object by `shape` ('a', 'o') in turn."""
    value = leaf
    for i in range(depth):
        value = [value, "]"] if shape[i % len(shape)] == "a" else {"k]{": value}
    return value


@settings(max_examples=60, deadline=None)
@given(
    depths=st.lists(st.integers(0, 90), min_size=1, max_size=4),
    shape=st.text(alphabet="ao", min_size=1, max_size=3),
    chunk=st.integers(1, 97),
)
def test_deep_items_split_as_shallow_ones_whatever_the_chunk_boundaries(
    depths: list[int], shape: str, chunk: int
) -> None:
    # Depths on both sides of where bracket runs are taken whole, with strings holding brackets
    # between the runs; every item must come out whole and in order.
    items = [nested(d, shape, f"[{{leaf {i}]}}") for i, d in enumerate(depths)]
    data = json.dumps(items).encode()
    pieces = split(data, chunk)
    assert all(p.error is None for p in pieces)
    assert [json.loads(p.data) for p in pieces] == items


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        # Never closed: the cut item is one piece, its bytes not held past the limit.
        (b"[" + b"[" * 300_000, ["InputError: file ends inside an array item"]),
        # Closed, then a good item: the deep one is over the limit, the next one is read.
        (
            b"[" + b"[" * 300_000 + b"]" * 300_000 + b', {"a": 1}]',
            ["LimitExceeded: record larger than the limit", None],
        ),
        # Closed too often: the array ends early and the rest is data after it.
        (b"[" + b"[" * 40 + b"]" * 42, [None, "InputError: data after the array's end"]),
    ],
    ids=["open", "closed-then-good", "closed-too-often"],
)
def test_a_deep_item_is_one_piece_and_what_follows_is_still_read(
    body: bytes, errors: list[str | None]
) -> None:
    assert [p.error for p in split(body, 65536, max_bytes=1 << 16)] == errors


class _Counting:
    """A pattern that counts its `match` calls: the splitter's steps."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern, self.calls = pattern, 0

    def match(self, data: bytes, pos: int) -> re.Match[bytes] | None:
        self.calls += 1
        return self.pattern.match(data, pos)


def test_a_run_of_brackets_is_a_few_steps_not_one_per_bracket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting = _Counting(strictjson._SKIP)
    monkeypatch.setattr(strictjson, "_SKIP", counting)
    depth = 1_000_000
    body = b"[" + b"[" * depth + b"]" * depth + b', {"a": [1, {"b": 2}]}]'
    pieces = split(body, 1 << 20, max_bytes=1 << 16)
    assert [p.error for p in pieces] == ["LimitExceeded: record larger than the limit", None]
    assert counting.calls < 1_000  # one step per bracket was two million
