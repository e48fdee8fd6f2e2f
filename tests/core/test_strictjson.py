from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.core.strictjson import ArraySplitter, DuplicateKey, Piece, loads

# JSON values whose strings hold what a splitter must not stop at: quotes, backslashes,
# brackets, commas, colons, and text beyond ASCII.
_TEXT = st.text(alphabet=st.sampled_from('ab "\\[]{},:\n\té😀'), max_size=12)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=12,
)
_RECORDS = st.dictionaries(_TEXT, _VALUES, max_size=5)


def split(data: bytes, chunk: int, max_bytes: int = 1 << 20) -> list[Piece]:
    splitter = ArraySplitter(max_bytes)
    pieces = []
    for i in range(0, len(data), chunk):
        pieces += splitter.feed(data[i : i + chunk])
    return pieces + list(splitter.end())


@settings(max_examples=100, deadline=None)
@given(records=st.lists(_RECORDS, max_size=6), chunk=st.integers(1, 64), ascii_only=st.booleans())
def test_an_array_splits_into_its_items_whatever_the_chunk_boundaries(
    records: list[dict[str, object]], chunk: int, ascii_only: bool
) -> None:
    data = json.dumps(records, ensure_ascii=ascii_only, indent=1).encode()
    pieces = split(data, chunk)
    assert all(p.error is None for p in pieces)
    assert [loads(p.data) for p in pieces] == records


@settings(max_examples=100, deadline=None)
@given(record=_RECORDS)
def test_a_record_without_repeated_keys_loads_as_orjson_reads_it(record: dict[str, object]) -> None:
    data = orjson.dumps(record)
    assert loads(data) == orjson.loads(data)
    assert loads(data.decode()) == record


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": {"b": 1, "b": 1}}',
        b'[{"x": ":"}, {"k": "v", "k": "w"}]',
        b'{"note": "a:b:c", "u\\u0073er": 1, "user": 2}',  # the same key, escaped once
    ],
)
def test_a_key_given_twice_is_an_error(text: bytes) -> None:
    with pytest.raises(DuplicateKey):
        loads(text)
    with pytest.raises(DuplicateKey):
        loads(text.decode())


def test_colons_and_quotes_inside_strings_are_not_keys() -> None:
    assert loads(b'{"a": "x:\\"y\\": z", "b": "\\\\", "c": ["::"]}')["c"] == ["::"]
    assert loads(b'{"a": ":x", "b": ": y"}') == {"a": ":x", "b": ": y"}


def test_a_bad_item_is_one_piece_and_the_items_after_it_are_still_read() -> None:
    data = b'[{"a": 1}, {"n": NaN}, 7, "text", {"b": [1, {"c": "]"}]}]'
    pieces = split(data, 5)
    assert [p.data for p in pieces] == [b'{"a": 1}', b'{"n": NaN}', b"7", b'"text"', pieces[4].data]
    assert loads(pieces[4].data) == {"b": [1, {"c": "]"}]}


def test_an_item_over_the_limit_is_not_held_and_is_reported() -> None:
    big = b'{"note": "' + b"x" * 5000 + b'"}'
    pieces = split(b"[" + big + b', {"a": 1}]', 100, max_bytes=1024)
    assert pieces[0] == Piece(b"", "LimitExceeded: record larger than the limit")
    assert pieces[1] == Piece(b'{"a": 1}')


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'[{"a": 1}, {"b": "cut', "InputError: file ends inside an array item"),
        (b'[{"a": 1}, ', "InputError: file ends before the array does"),
        (b'[{"a": 1}] {"b": 2}', "InputError: data after the array's end"),
    ],
)
def test_what_a_broken_array_leaves_is_one_error_after_the_good_items(
    data: bytes, error: str
) -> None:
    pieces = split(data, 3)
    assert pieces[0] == Piece(b'{"a": 1}')
    assert [p.error for p in pieces[1:]] == [error]


@pytest.mark.parametrize(
    ("data", "items"),
    [
        # A backslash before a raw newline: the item is bad, the splitter keeps its place.
        (b'[{"a": "x\\\n"}, {"b": 1}, {"c": 2}]', [b'{"a": "x\\\n"}', b'{"b": 1}', b'{"c": 2}']),
        # A stray closing brace between items is a unit of its own, not the array's end.
        (b'[{"a": 1}}, {"b": 1}, {"c": 2}]', [b'{"a": 1}', b"}", b'{"b": 1}', b'{"c": 2}']),
    ],
)
def test_a_malformed_stretch_costs_only_itself(data: bytes, items: list[bytes]) -> None:
    pieces = split(data, 4)
    assert [p.data for p in pieces] == items and all(p.error is None for p in pieces)


def test_a_huge_unit_between_items_is_not_held() -> None:
    splitter = ArraySplitter(1024)
    pieces = list(splitter.feed(b'[{"a": 1}, "' + b"x" * 5000))
    pieces += splitter.feed(b'", {"b": 2}]')
    pieces += splitter.end()
    assert Piece(b"", "LimitExceeded: record larger than the limit") in pieces
    assert pieces[0] == Piece(b'{"a": 1}') and pieces[-1] == Piece(b'{"b": 2}')
    assert len(splitter._buf) < 2048
