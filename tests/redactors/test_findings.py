"""Overlapping findings resolve to a set of disjoint spans, the widest first."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from datamin.redactors.findings import Finding, resolve_overlaps


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(1, 30), st.floats(0, 1), st.booleans()),
        max_size=60,
    )
)
def test_resolved_findings_never_overlap_and_the_widest_wins(spans: list) -> None:
    findings = [
        Finding("JWT" if cred else "EMAIL_ADDRESS", s, s + n, score, "t")
        for s, n, score, cred in spans
    ]
    kept = resolve_overlaps(findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(kept))
    # Every finding left out overlaps a kept one at least as wide.
    for f in findings:
        if f not in kept:
            assert any(k.overlaps(f) and k.end - k.start >= f.end - f.start for k in kept)
    # And nothing any finding found is left outside the kept ones.
    found = {i for f in findings for i in range(f.start, f.end)}
    assert found == {i for k in kept for i in range(k.start, k.end)}


def test_findings_that_overlap_in_part_are_replaced_together() -> None:
    # A street line read from a phone's last group (`98765-4321, Rua das Flores`) beat both
    # the phone and the street line, and left `(11)` and `123` as written.
    text = "telefone (11) 98765-4321, Rua das Flores 123, São Paulo"
    spans = {
        "PHONE_NUMBER": "(11) 98765-4321",
        "LOCATION": "98765-4321, Rua das Flores",
        "ADDRESS": "Rua das Flores 123",
    }
    findings = [
        Finding(entity, text.index(s), text.index(s) + len(s), 0.8, "t")
        for entity, s in spans.items()
    ]
    [kept] = resolve_overlaps(findings)
    assert text[kept.start : kept.end] == "(11) 98765-4321, Rua das Flores 123"
    assert kept.entity == "LOCATION"  # the widest's
    # Nested findings stay as they were: the widest, alone.
    inner = Finding("EMAIL_ADDRESS", 2, 5, 0.9, "t")
    outer = Finding("JWT", 0, 10, 0.9, "t")
    assert resolve_overlaps([inner, outer]) == [outer]
