"""A finding: an entity detected at a span of one field's text."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from datamin.redactors.entities import CREDENTIALS


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


# Whether the policy replaces a finding in the text it was found in (its entity on, its threshold
# met, its span not allowed): `CompiledPolicy.applies`, handed to the engine.
Applies = Callable[[Finding, str], bool]


def fills(
    findings: list[Finding],
    text: str,
    applies: Applies,
    *,
    entities: frozenset[str] | None = None,
    at_least: float = 0.0,
) -> bool:
    """Whether one of `findings` spans all of `text` and the policy replaces it (of `entities`
    if given, scoring `at_least`): then nothing else found inside can change what is written."""
    end = len(text)
    return any(
        f.start == 0
        and f.end == end
        and f.score >= at_least
        and (entities is None or f.entity in entities)
        and applies(f, text)
        for f in findings
    )


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep a set of non-overlapping findings: on conflict the wider span wins, then the higher
    score, so a JWT inside an Authorization value is replaced whole rather than in pieces.
    Credentials win ties over identifiers because a leaked secret costs more.
    """
    ranked = sorted(findings, key=_rank)
    # Kept spans never overlap, so sorted by start they are sorted by end too: a candidate can
    # only overlap its neighbours there. (Checking every kept span was quadratic: 13 s for a
    # 100 kB body of addresses.)
    starts: list[int] = []
    kept: list[Finding] = []
    for f in ranked:
        i = bisect.bisect_left(starts, f.start)
        if (i < len(kept) and kept[i].overlaps(f)) or (i > 0 and kept[i - 1].overlaps(f)):
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    if len(kept) == len(findings):
        return kept
    return _covering(findings, kept)


def _rank(f: Finding) -> tuple[int, bool, float, int]:
    """Wider first, then credentials, then the higher score: `resolve_overlaps`' order."""
    return (-(f.end - f.start), f.entity not in CREDENTIALS, -f.score, f.start)


def _covering(findings: list[Finding], kept: list[Finding]) -> list[Finding]:
    """`kept` (sorted, apart), where findings that overlap leave part of what they found outside
    the kept ones, one finding over all of them: the winner's entity, from the first character
    found to the last. (`(11) 98765-4321, Rua das Flores 123`: a street line read from the
    phone's last group would otherwise leave `(11)` and `123` as written.)"""
    out: list[Finding] = []
    i = 0
    for start, end in _runs(findings):
        inside = []
        while i < len(kept) and kept[i].start < end:
            inside.append(kept[i])
            i += 1
        if sum(f.end - f.start for f in inside) == end - start:
            out += inside  # every character found is in a kept finding
            continue
        top = min(inside, key=_rank)
        score = max(f.score for f in inside)
        out.append(Finding(top.entity, start, end, score, top.detector))
    return out


def _runs(findings: list[Finding]) -> list[tuple[int, int]]:
    """The stretches of text that overlapping findings cover together, in order."""
    runs: list[tuple[int, int]] = []
    for f in sorted(findings, key=lambda f: f.start):
        if runs and f.start < runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], f.end))
        else:
            runs.append((f.start, f.end))
    return runs
