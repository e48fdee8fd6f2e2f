"""What a field's name says of a phone (`datamin.redactors._phone_words`): a call record's
parties hold one when the value has a phone's shape; a radio cell's id holds none."""

from __future__ import annotations

import pytest

from datamin.redactors._phone_words import SAYS_PHONE, phone_hint


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        # A call record's parties, phone-shaped: a phone (`called_number` was read as nothing).
        ("called_number", "447700900771", 1),
        ("calling_number", "447700900418", 1),
        ("redirecting_number", "+447700900556", 1),
        ("dialed_number", "18005550199", 1),
        ("forwarded_number", "+447700900556", 1),
        # ... not when the value has no phone's shape.
        ("called_number", "ext-42", 0),
        # A radio cell's id is no phone, though `cell` says mobile (`23415-1071-22417` has a
        # phone's groups).
        ("cell_id", "23415-1071-22417", -1),
        ("cellId", "23415-1071-22417", -1),
        ("cell_tower_id", "1071", -1),
        # ... and a cell is still a mobile's number.
        ("cell", "+447700900418", SAYS_PHONE),
        ("cell_phone", "+447700900418", SAYS_PHONE),
    ],
)
def test_phone_hints_by_name(name: str, value: str, hint: int) -> None:
    assert phone_hint(name, value) == hint
