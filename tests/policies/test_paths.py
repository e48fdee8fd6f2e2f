"""Path patterns: the addressing policies depend on."""

from __future__ import annotations

import pytest

from datamin.policies.paths import PathPattern, erase_positions, escape_key, join, shape


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("request.headers.*", "request.headers.authorization", True),
        ("request.headers.*", "request.headers", False),  # `*` is exactly one key
        ("request.headers.*", "request.headers.a.b", False),
        ("request.headers.x-*", "request.headers.x-api-key", True),  # `*` within a key
        ("request.body.**", "request.body.items[].sku", True),  # `**` spans keys and positions
        ("request.body.**", "request.body", False),  # ...but needs something after the dot
        ("**.email", "customer.email", True),
        ("**.email", "email", True),  # `**` can be no key at all
        ("**.email", "customer.emails", False),
        ("a.**.b", "a.x.y.b", True),
        ("a.**.b", "a.x.y.c", False),
        ("items[].sku", "items[].sku", True),
        ("items.sku", "items[].sku", False),  # arrays are addressed with []
        ("request.query.*token*", "request.query.access_token", True),
    ],
)
def test_pattern_matching(pattern: str, path: str, matches: bool) -> None:
    assert PathPattern(pattern).matches(path) is matches


@pytest.mark.parametrize("bad", ["", ".a", "a.", "a..b", "a.b**"])
def test_malformed_patterns_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        PathPattern(bad)


def test_keys_with_dots_are_escaped_so_paths_split_back() -> None:
    assert join("body", "a.b[0]") == "body.a%2Eb%5B0%5D"
    assert escape_key("plain") == "plain"
    assert erase_positions("a.items[12].b[3]") == "a.items[].b[]"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("request.headers.authorization", "request.headers.authorization"),
        # keys that are values (maps keyed by email or by account number) never reach an audit
        ("customers.ann@example%2Ecom.orders[3].id", "customers.*.orders[].id"),
        ("accounts.8812731.balance", "accounts.*.balance"),
        ("request.query.first name", "request.query.*"),
    ],
)
def test_shape_hides_keys_that_may_be_values(path: str, expected: str) -> None:
    assert shape(path) == expected
