"""A finding: an entity detected at a span of one field's text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """`text[start:end]` of a field is an `entity`, said by `detector` with `score` in [0, 1].

    A finding never holds the matched text: it travels into audits, explain output and logs.
    """

    entity: str
    start: int
    end: int
    score: float
    detector: str

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep a set of non-overlapping findings: on conflict the wider span wins, then the higher
    score, so a JWT inside an Authorization value is replaced whole rather than in pieces.
    Credentials win ties over identifiers because a leaked secret costs more.
    """
    from redactors.entities import CREDENTIALS

    ranked = sorted(
        findings,
        key=lambda f: (-(f.end - f.start), f.entity not in CREDENTIALS, -f.score, f.start),
    )
    kept: list[Finding] = []
    for f in ranked:
        if all(not f.overlaps(k) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
