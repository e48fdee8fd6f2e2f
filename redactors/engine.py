"""All detectors behind one object, built once per worker.

Structured detection (validated patterns, credentials, names by field) runs on every scanned
string; NER runs only on free text, in batches. Allow lists and score thresholds are the
policy's business and are applied by the caller.
"""

from __future__ import annotations

import re

from redactors.by_field import FieldNameDetector
from redactors.context import FieldContext, FieldKind
from redactors.credentials import CredentialDetector
from redactors.findings import Finding
from redactors.patterns import PatternDetector

_MEMO_MAX_CHARS = 256
_MEMO_ENTRIES = 100_000
# Kinds whose strings can be prose. Headers, cookies and URLs never are.
_PROSE_KINDS = (FieldKind.TEXT, FieldKind.JSON, FieldKind.FORM)
# Two words, one of them capitalized: the least a name in a sentence looks like.
_PROSE = re.compile(r"[A-Za-z]{2,}[\s,;:]+\S*[A-Z][a-z]+|[A-Z][a-z]+[\s,;:]+[A-Za-z]{2,}")


class DetectionEngine:
    def __init__(self, *, ner_model: str | None) -> None:
        """`ner_model=None` turns NER off (patterns, credentials and field names still run)."""
        self._structured = (PatternDetector(), CredentialDetector(), FieldNameDetector())
        self._memo: dict[tuple[str, FieldContext], list[Finding]] = {}
        self._ner = None
        if ner_model is not None:
            from redactors.ner import NerDetector

            self._ner = NerDetector(ner_model)

    @property
    def has_ner(self) -> bool:
        return self._ner is not None

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        """Findings of the structured detectors. Short values repeat across records (headers,
        content types, statuses), so their findings are memoized per worker: detection is a
        pure function of text and context. The memo lives in memory only."""
        if len(text) > _MEMO_MAX_CHARS:
            return self._detect(text, ctx)
        key = (text, ctx)
        found = self._memo.get(key)
        if found is None:
            found = self._detect(text, ctx)
            if len(self._memo) >= _MEMO_ENTRIES:
                self._memo.clear()
            self._memo[key] = found
        return list(found)

    def _detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        findings: list[Finding] = []
        for detector in self._structured:
            findings.extend(detector.detect(text, ctx))
        return findings

    def wants_ner(self, text: str, ctx: FieldContext) -> bool:
        return (
            self._ner is not None
            and ctx.kind in _PROSE_KINDS
            and 5 <= len(text)
            and _PROSE.search(text) is not None
        )

    def detect_ner(self, items: list[tuple[str, FieldContext]]) -> list[list[Finding]]:
        if self._ner is None or not items:
            return [[] for _ in items]
        return self._ner.detect_batch(items)
