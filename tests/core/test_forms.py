"""Form and query keys are structure: brackets and dots become paths, anything else a key."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from datamin.core.forms import form_fields, looks_like_form, looks_like_query, parse_form
from datamin.errors import LimitExceeded


def paths(query: str, max_depth: int = 48) -> list[tuple[str, str]]:
    params = parse_qsl(query, keep_blank_values=True)
    return [(p, v) for p, v, _ in form_fields("form", params, max_depth)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Plain keys are as before.
        ("page=2", [("form.page", "2")]),
        # Bracket groups are keys, as PHP, Rails and qs read them.
        ("a[b][c]=v", [("form.a.b.c", "v")]),
        ("customer[email]=x", [("form.customer.email", "x")]),
        # `[]` appends: each one is the next position under its parent.
        ("a[]=1&a[]=2", [("form.a[0]", "1"), ("form.a[1]", "2")]),
        ("a[][b]=1&a[][b]=2", [("form.a[0].b", "1"), ("form.a[1].b", "2")]),
        # A short number in brackets is a position; `[]` after it continues the count.
        ("a[0][b]=v", [("form.a[0].b", "v")]),
        ("a[3]=x&a[]=y", [("form.a[3]", "x"), ("form.a[4]", "y")]),
        ("m[0][1]=v", [("form.m[0][1]", "v")]),
        # Dotted names are keys too, as in `filter.status=...`.
        ("a.b=v", [("form.a.b", "v")]),
        ("filter.created_at.gte=1", [("form.filter.created_at.gte", "1")]),
        ("a.b[c][]=v", [("form.a.b.c[0]", "v")]),
        # Percent-encoded brackets are brackets once decoded.
        ("a%5Bb%5D%5Bc%5D=v", [("form.a.b.c", "v")]),
        # Empty values are kept; `+` is a space in a value.
        ("a[b]=&c=", [("form.a.b", ""), ("form.c", "")]),
        ("address[line1]=12+Main+Street", [("form.address.line1", "12 Main Street")]),
        # Repeated keys stay repeated fields, in order.
        ("a=1&a=2", [("form.a", "1"), ("form.a", "2")]),
        ("a[b]=1&a[b]=2", [("form.a.b", "1"), ("form.a.b", "2")]),
    ],
)
def test_bracket_and_dotted_keys_become_paths(query: str, expected: list[tuple[str, str]]) -> None:
    assert paths(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Malformed brackets: one literal key, escaped so the path still splits into keys.
        ("a[b=v", "form.a%5Bb"),
        ("a]b[=v", "form.a%5Db%5B"),
        ("a[b]c=v", "form.a%5Bb%5Dc"),
        ("[a]=v", "form.%5Ba%5D"),
        ("a[b][=v", "form.a%5Bb%5D%5B"),
        ("]=v", "form.%5D"),
        # A dotted key whose parts are not all names is data, judged whole: an e-mail, an IP,
        # a JWT, empty parts.
        ("ann.lee@example.com=v", "form.ann%2Elee@example%2Ecom"),
        ("10.0.0.1=v", "form.10%2E0%2E0%2E1"),
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig=v",
            "form.eyJhbGciOiJIUzI1NiJ9%2EeyJzdWIiOiIxIn0%2Esig",
        ),
        ("a..b=v", "form.a%2E%2Eb"),
        (".a=v", "form.%2Ea"),
        # Bracket contents are one key each, whatever they hold: the key is judged as written.
        ("hosts[10.0.0.1]=v", "form.hosts.10%2E0%2E0%2E1"),
        # A long number is no position: a card number in a key stays a key.
        ("c[4111111111111111]=v", "form.c.4111111111111111"),
        ("c[007]=v", "form.c.007"),
        # The first key is never a position.
        ("0[a]=v", "form.0.a"),
    ],
)
def test_keys_that_are_not_structure_stay_whole(query: str, expected: str) -> None:
    assert paths(query) == [(expected, "v")]


def test_form_nesting_is_bounded() -> None:
    with pytest.raises(LimitExceeded):
        paths("a" + "[b]" * 60 + "=v", max_depth=48)


def test_pair_values_carry_the_name_as_label() -> None:
    def labels(query: str) -> dict[str, str | None]:
        return {p: label for p, _, label in form_fields("f", parse_form(query), 48)}

    assert labels("Key=API_KEY&Value=x") == {"f.Key": None, "f.Value": "api_key"}
    assert labels("name=token&value=x")["f.value"] == "token"
    got = labels("s[0][name]=token&s[0][value]=x&s[1][name]=phone&s[1][value]=y")
    assert got["f.s[0].value"] == "token"
    assert got["f.s[1].value"] == "phone"
    # Repeated names or values: which goes with which is unknown, so no label.
    assert labels("name=a&name=b&value=x")["f.value"] is None
    # A name that reads as data labels nothing.
    assert labels("name=ann%40example.com&value=x")["f.value"] is None
    # Siblings only: a name under another parent does not label this value.
    assert labels("a[name]=token&b[value]=x")["f.b.value"] is None
    # A typed identifier in a KYC form.
    got = labels("documents[0][id_type]=AADHAAR&documents[0][number]=x&documents[0][verified]=1")
    assert got["f.documents[0].number"] == "aadhaar_number"


@pytest.mark.parametrize(
    ("text", "is_form"),
    [
        ("a=1&b=2", True),
        ("customer[email]=ann%40example.com", True),  # one pair, but a bracket key
        ("Key=API_KEY&Value=abc", True),
        ("a=&b=", True),
        ("status=active", False),  # one plain pair: a string, not a form
        ("dGVzdA==", False),  # base64 padding
        ("https://x.example/?a=1&b=2", False),  # a URL
        ("hello world=1&x=2", False),  # text with spaces
        ("sid=abc; path=/", False),  # a cookie
        ("a=1&&b=2", False),  # an empty key
        ("", False),
        ("x=1&y", False),  # a key without `=`
    ],
)
def test_what_reads_as_a_whole_form(text: str, is_form: bool) -> None:
    assert looks_like_form(text) is is_form


@pytest.mark.parametrize(
    ("text", "is_query"),
    [
        ("?q=Ann%20Lee", True),  # a query with its `?`: one pair is enough
        ("?ssn=536-22-8841&name=Ann%20Lee", True),
        ("q=Ann%20Lee", False),  # no `?`: a plain pair stays a string
        ("?", False),
        ("? what=now", False),  # a question in text
        ("?status", False),
    ],
)
def test_what_reads_as_a_query_with_its_question_mark(text: str, is_query: bool) -> None:
    assert looks_like_query(text) is is_query
