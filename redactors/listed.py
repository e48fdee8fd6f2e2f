"""Findings a policy itself declares: its own patterns (`detection.patterns`, RE2) and its deny
lists (`detection.deny`), found wherever they occur in a kept field."""

from __future__ import annotations

from typing import Any

from redactors.findings import Finding


def pattern_findings(text: str, patterns: tuple[tuple[str, Any, float], ...]) -> list[Finding]:
    """Every match of the policy's own patterns."""
    return [
        Finding(entity, m.start(), m.end(), score, "policy")
        for entity, regex, score in patterns
        for m in regex.finditer(text)
        if m.end() > m.start()
    ]


def deny_findings(text: str, deny: list[tuple[str, str]]) -> list[Finding]:
    """Every occurrence of a deny-listed value, as a certain finding of its entity."""
    found = []
    for entity, value in deny:
        start = text.find(value)
        while start >= 0:
            found.append(Finding(entity, start, start + len(value), 1.0, "deny"))
            start = text.find(value, start + len(value))
    return found
