"""A record's own credentials, searched for where they recur: which values count as terms,
and where they are found."""

from __future__ import annotations

import pytest

from datamin.redactors.listed import secret_findings, secret_pattern, secret_terms


@pytest.mark.parametrize(
    "value",
    [
        "This field is required.",  # a validation error under `password`: not a token
        "-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----",
        "https://oauth2.googleapis.com/token",  # a service account's `token_uri`
        "YOUR_API_KEY",
        "${DB_PASSWORD}",
        "<token>",
        "xxxxxxxx-xxxx-xxxx",
        "********",
        "2026-01-01T00:00:00Z",
        "password",  # a word
        "hunter2",  # shorter than 8
    ],
)
def test_what_a_credentials_key_holds_that_names_no_secret_is_no_term(value: str) -> None:
    assert secret_terms([("SECRET", value, 0.9)]) == {}


def test_a_term_keeps_its_best_score_and_entity() -> None:
    terms = secret_terms([("SECRET", "Sunshine2024", 0.6), ("PASSWORD", "Sunshine2024", 0.9)])
    assert terms == {"Sunshine2024": ("PASSWORD", 0.9)}


def test_occurrences_are_whole_tokens_at_the_terms_score() -> None:
    terms = {"Sunshine2024": ("PASSWORD", 0.8)}
    found = secret_findings("Sunshine2024, xSunshine2024, Sunshine20245 (Sunshine2024)", terms)
    assert [(f.start, f.end, f.entity, f.score) for f in found] == [
        (0, 12, "PASSWORD", 0.8),
        (44, 56, "PASSWORD", 0.8),
    ]


def test_many_terms_are_read_in_one_pass_with_the_same_result() -> None:
    terms = {f"tok{i:04d}-secret": ("SECRET", 0.9) for i in range(40)}
    text = " ".join(f"tok{i:04d}-secret" for i in range(0, 40, 3)) + " tok9999-secret"
    pattern = secret_pattern(terms)
    assert pattern is not None
    found = secret_findings(text, terms, pattern)
    assert [text[f.start : f.end] for f in found] == [f"tok{i:04d}-secret" for i in range(0, 40, 3)]
    assert secret_findings(text, terms) == found  # the same, term by term
    few = {t: v for t, v in list(terms.items())[:5]}
    assert secret_pattern(few) is None
    assert [text[f.start : f.end] for f in secret_findings(text, few)] == [
        "tok0000-secret",
        "tok0003-secret",
    ]
