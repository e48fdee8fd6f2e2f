"""Operators: parameter tables for each, and the invariants property tests can state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from datamin.errors import KeyConfigError
from datamin.keys import KeyRing
from datamin.redactors.operators import NO_CONTEXT, OPERATORS, OperatorContext, build
from datamin.redactors.operators.drop import DropParams
from datamin.redactors.operators.generalize import GeneralizeParams
from datamin.redactors.operators.mask import MaskParams
from datamin.redactors.operators.pseudonymize import PseudonymizeParams
from datamin.redactors.operators.redact import RedactParams

KEYS = KeyRing(b"k" * 32)
OTHER_KEYS = KeyRing(b"j" * 32)


def test_registry_names_every_operator_by_its_name() -> None:
    assert set(OPERATORS) == {
        "drop",
        "redact",
        "mask",
        "pseudonymize",
        "generalize",
        "tokenize",
    }
    for name, cls in OPERATORS.items():
        assert cls.name == name


def test_drop_removes_the_value() -> None:
    assert build(DropParams(), None).apply("anything", OperatorContext("EMAIL_ADDRESS")) is None


@pytest.mark.parametrize(
    ("params", "entity", "expected"),
    [
        (RedactParams(), "EMAIL_ADDRESS", "<EMAIL_ADDRESS>"),  # typed placeholder
        (RedactParams(), None, "<REDACTED>"),  # field-level redact without an entity
        (RedactParams(placeholder="[x]"), "PERSON", "[x]"),  # fixed placeholder wins
    ],
)
def test_redact(params: RedactParams, entity: str | None, expected: str) -> None:
    assert build(params, None).apply("ann@example.com", OperatorContext(entity)) == expected


@pytest.mark.parametrize(
    ("params", "value", "expected"),
    [
        (MaskParams(), "4111-1111-1111-1111", "****-****-****-1111"),  # separators stay
        (MaskParams(), "4111111111111111", "************1111"),
        (MaskParams(keep_last=0), "secret", "******"),
        (MaskParams(keep_first=2, keep_last=2), "+14155550123", "+14*******23"),
        # never more than half revealed: "last 4" of a 6-character value shows 3
        (MaskParams(), "abcdef", "***def"),
        (
            MaskParams(char="#", keep_separators=False),
            "a-b-c-d",
            "####c-d",
        ),  # separators masked too
    ],
)
def test_mask(params: MaskParams, value: str, expected: str) -> None:
    assert build(params, None).apply(value, NO_CONTEXT) == expected


def test_mask_rejects_a_multi_character_mask() -> None:
    with pytest.raises(ValidationError):
        MaskParams(char="**")


@given(st.text(max_size=80), st.integers(0, 8), st.integers(0, 8))
def test_mask_keeps_length_and_reveals_at_most_half(value: str, first: int, last: int) -> None:
    masked = build(MaskParams(keep_first=first, keep_last=last), None).apply(value, NO_CONTEXT)
    assert masked is not None and len(masked) == len(value)
    revealed = sum(
        1
        for a, b in zip(value, masked, strict=True)
        if a == b and a != "*" and a not in " -./()+@_:"
    )
    assert revealed <= len(value) // 2


def test_pseudonymize_needs_a_key() -> None:
    with pytest.raises(KeyConfigError):
        build(PseudonymizeParams(), None)


@given(st.text(min_size=1, max_size=60))
def test_pseudonym_is_stable_per_key_and_differs_across_keys(value: str) -> None:
    one = build(PseudonymizeParams(), KEYS)
    again = build(PseudonymizeParams(), KeyRing(b"k" * 32))
    other = build(PseudonymizeParams(), OTHER_KEYS)
    token = one.apply(value, NO_CONTEXT)
    assert token == again.apply(value, NO_CONTEXT)
    assert token != other.apply(value, NO_CONTEXT)
    assert token is not None and token.startswith("psn_") and len(token) == 4 + 24
    if value.strip():
        assert value.strip() not in token[4:] or len(value.strip()) < 3


@pytest.mark.parametrize(
    ("a", "b", "entity"),
    [
        ("Ann@Example.com", "ann@example.com", "EMAIL_ADDRESS"),  # emails join case-insensitively
        ("+1 (415) 555-0123", "+14155550123", "PHONE_NUMBER"),  # phones join by digits
    ],
)
def test_pseudonym_normalizes_per_entity(a: str, b: str, entity: str) -> None:
    op = build(PseudonymizeParams(), KEYS)
    assert op.apply(a, OperatorContext(entity)) == op.apply(b, OperatorContext(entity))


def test_pseudonym_is_not_an_unkeyed_hash() -> None:
    import hashlib

    token = build(PseudonymizeParams(length=64, prefix=""), KEYS).apply(
        "ann@example.com", NO_CONTEXT
    )
    assert token != hashlib.sha256(b"ann@example.com").hexdigest()


@pytest.mark.parametrize(
    ("params", "value", "expected"),
    [
        (GeneralizeParams(kind="ip"), "203.0.113.57", "203.0.113.0/24"),
        (GeneralizeParams(kind="ip"), "2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::/48"),
        (
            GeneralizeParams(kind="ip"),
            "203.0.113.57, 198.51.100.7",
            "203.0.113.0/24, 198.51.100.0/24",
        ),
        (GeneralizeParams(kind="ip", ipv4_prefix=16), "203.0.113.57", "203.0.0.0/16"),
        (GeneralizeParams(kind="ip"), "not-an-ip", None),  # cannot generalize: dropped, not kept
        (GeneralizeParams(kind="timestamp"), "2026-03-04T10:22:33.123Z", "2026-03-04T10:00:00Z"),
        (
            GeneralizeParams(kind="timestamp", timestamp_to="day"),
            "Thu, 30 Jul 2026 20:12:31 +0000",
            "2026-07-30T00:00:00Z",
        ),
        (
            GeneralizeParams(kind="timestamp", timestamp_to="minute"),
            "2026-03-04T10:22:33+02:00",
            "2026-03-04T08:22:00Z",
        ),
        (GeneralizeParams(kind="timestamp"), "yesterday", None),
        (GeneralizeParams(kind="url_path"), "/v1/users/8812731/orders", "/v1/users/{id}/orders"),
        # after a collection noun any segment is an id, even one that reads like a word (a slug)
        (GeneralizeParams(kind="url_path"), "/v1/users/ann-lee/profile", "/v1/users/{id}/profile"),
        (
            GeneralizeParams(kind="url_path"),
            "/v1/orders/3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f",
            "/v1/orders/{uuid}",
        ),
        (GeneralizeParams(kind="url_path"), "/v1/lookup/ann%40example.com", "/v1/lookup/{email}"),
        (GeneralizeParams(kind="url_path"), "/v1/search?q=ann", "/v1/search"),  # query never kept
        (
            GeneralizeParams(kind="url_path"),
            "https://api.example.com/v2/items/77?x=1",
            "https://api.example.com/v2/items/{id}",
        ),
        (
            GeneralizeParams(kind="url_path"),
            "/v1/catalog/products",
            "/v1/catalog/products",
        ),  # routes survive
    ],
)
def test_generalize(params: GeneralizeParams, value: str, expected: str | None) -> None:
    assert build(params, None).apply(value, NO_CONTEXT) == expected
