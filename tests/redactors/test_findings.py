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
