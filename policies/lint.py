"""Warnings about a policy that is valid but does not do what its author likely means: a
threshold no detector can reach makes its entity undetectable, so every value of it is kept."""

from __future__ import annotations

from dataclasses import dataclass

from datamin.policies.model import Policy


@dataclass(frozen=True)
class PolicyWarning:
    key: str  # the key as written (`detection.thresholds.PERSON`)
    message: str

    def __str__(self) -> str:
        return f"{self.key}: warning: {self.message}"


def threshold_warnings(policy: Policy) -> list[PolicyWarning]:
    """A warning for each threshold (and `min_score`) above the highest score the detectors,
    NER and the policy's own patterns give the entities it governs."""
    from datamin.redactors.registry import score_ceilings

    detection = policy.detection
    ceilings = score_ceilings(ner=detection.ner)
    for p in detection.patterns:
        best = max(min(p.score + 0.35, 1.0), 0.4) if p.context else p.score  # with context
        ceilings[p.entity] = max(ceilings.get(p.entity, 0.0), best)
    warnings = []
    for entity, threshold in sorted(detection.thresholds.items()):
        ceiling = ceilings.get(entity, 0.0)
        if threshold > ceiling:
            warnings.append(
                PolicyWarning(
                    f"detection.thresholds.{entity}",
                    f"{threshold} is above the highest score {entity} is given ({ceiling}): "
                    "it is never detected, and every such value is kept",
                )
            )
    governed = sorted(e for e in ceilings if e not in detection.thresholds)
    unreachable = [e for e in governed if detection.min_score > ceilings[e]]
    if unreachable:
        warnings.append(
            PolicyWarning(
                "detection.min_score",
                f"{detection.min_score} is above the highest score of "
                f"{', '.join(unreachable)}: never detected, every such value is kept",
            )
        )
    return warnings
