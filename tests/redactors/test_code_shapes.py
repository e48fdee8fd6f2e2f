"""Code in text is never a name or a place; names that look a little like code still are."""

from __future__ import annotations

import pytest

from datamin.redactors.code_shapes import code_like_at


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("- (NSInteger)sumOfValuesInRange:", True),  # Objective-C selector
        ("Foo::Bar", True),
        ("obj->Street", True),
        ("items[Main]", True),
        ("foo.Bar", True),
        ("user_first_name", True),  # snake_case
        ("Paris.open()", True),
        ("PaymentServiceImpl", True),  # three humps
        ("NSInteger", True),  # capitals running into a word
        ("sumOfValues", True),  # lowerCamel
        ("Jean-Luc", False),  # names keep hyphens, apostrophes and two humps
        ("O'Brien", False),
        ("McDonald", False),
        ("DeShawn", False),
        ("J.R.R. Tolkien", False),  # initials
        ("(John Smith)", False),  # prose brackets around a name
        ("Maria:", False),
    ],
)
def test_code_like_at(token: str, code: bool) -> None:
    assert code_like_at(token, 0, len(token)) is code
