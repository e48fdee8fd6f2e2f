"""CSV bodies are structure when their first row names the columns; otherwise text."""

from __future__ import annotations

import pytest

from datamin.core.csvbody import csv_table
from datamin.errors import LimitExceeded


def test_a_header_row_names_every_cell() -> None:
    text = (
        'id,Email,Phone Number\r\n1,ann@example.com,"+1 415 555 0132"\r\n\r\n2,bo@example.com,x\r\n'
    )
    assert csv_table(text, 1000) == (
        ["id", "email", "phone_number"],
        [["1", "ann@example.com", "+1 415 555 0132"], ["2", "bo@example.com", "x"]],
    )


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-01,5\n2024-01-02,7\n",  # no header: data in the first row
        "id,email\n1,a@b.c,extra\n",  # ragged
        "id,id\n1,2\n",  # a column named twice
        "id,email\n",  # a header alone
        "just a line of text, with a comma\n",
    ],
)
def test_what_is_no_named_table_stays_text(text: str) -> None:
    assert csv_table(text, 1000) is None


def test_a_table_past_the_field_limit_is_refused() -> None:
    with pytest.raises(LimitExceeded):
        csv_table("a,b\n" + "1,2\n" * 100, 50)
