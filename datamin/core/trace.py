"""What the minimizer decided for each field of a record, for `policy explain`, `policy diff`,
`policy test` and the notebooks. A trace holds paths, rules, entity types, scores and values in
their stored form only: a detected value appears as its replacement, never as itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from datamin.policies.compiled import CompiledPolicy, CompiledRule
from datamin.redactors.findings import Finding, resolve_overlaps

if TYPE_CHECKING:
    from datamin.core.structure import Field

Outcome = Literal["kept", "changed", "dropped"]


@dataclass(frozen=True, slots=True)
class FindingTrace:
    entity: str
    start: int  # span in the field's value
    end: int
    score: float
    detector: str
    # `replaced`, or why not: `below threshold 0.60`, `allow list`, `overlapped`
    status: str
    replacement: str | None = None  # what took its place; None when the field was dropped

    @property
    def replaced(self) -> bool:
        return self.status == "replaced"


@dataclass(frozen=True, slots=True)
class FieldTrace:
    position: int  # the field's order in the record as read
    path: str  # the field's path as stored: keys that are themselves sensitive are replaced
    rule: str  # `fields[3]`, `sources.har.fields[0]` or `default_action`
    pattern: str  # the rule's path pattern (`**` for a default)
    action: str  # keep, scan, or the operator's name (drop, redact, mask, ...)
    outcome: Outcome
    retention: str | None  # the class it is stored under; None when dropped
    column: str | None  # the column it is stored in; None for the `fields` map or when dropped
    reason: str = ""  # why a field was dropped: `rule`, `binary content`, `retention 0`, ...
    findings: tuple[FindingTrace, ...] = ()
    # The stored value (None when dropped). Compared by `policy test`; never printed.
    value: str | None = field(default=None, repr=False)
    # What may be shown of it: the stored value with every detected span that was kept (below
    # its threshold, allow-listed) shown as `<ENTITY kept>`, so no display prints a detected value.
    shown: str | None = None


@dataclass(slots=True)
class RecordTrace:
    source: str
    index: int
    kind: str  # har, messages, json; "" when the record could not be parsed
    outcome: Literal["written", "dropped", "quarantined"] = "dropped"
    error: str | None = None  # the quarantine reason: an error class, never content
    fields: list[FieldTrace] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for f in out["fields"]:
            del f["value"]
        return out

    def kept(self) -> dict[str, FieldTrace]:
        """Stored fields by path (repeated paths of arrays keep their first)."""
        out: dict[str, FieldTrace] = {}
        for f in self.fields:
            if f.outcome != "dropped":
                out.setdefault(f.path, f)
        return out


class Tracer:
    """The hook `Minimizer.explain` passes through a record's processing: each decision the
    minimizer takes is told here and becomes part of the record's trace. `Minimizer.process`
    passes None, and a decision then costs one `is None` test."""

    def __init__(self, source: str, index: int, stored_path: Callable[[str], str]) -> None:
        self.trace = RecordTrace(source, index, "")
        self._stored_path = stored_path  # a field's path as stored: sensitive keys replaced

    def kind(self, kind: str) -> None:
        self.trace.kind = kind

    def not_written(self, f: Field, rule: CompiledRule) -> None:
        """A field dropped before detection: by a rule, a default, its content or its class."""
        if rule.mode == "drop":
            why = "no rule names it" if rule.pattern.text == "**" else "rule"
        else:
            why = "binary content" if f.binary else f"class {rule.retention} is 0"
        self.dropped(f, rule, why)

    def dropped(
        self, f: Field, rule: CompiledRule, why: str, findings: tuple[FindingTrace, ...] = ()
    ) -> None:
        self._field(f, rule, "dropped", reason=why, findings=findings)

    def stored(
        self,
        f: Field,
        rule: CompiledRule,
        stored: str,
        *,
        changed: bool,
        value: str,
        findings: tuple[FindingTrace, ...] = (),
        shown: str | None = None,
    ) -> None:
        """A field kept as `stored` (its column's converted form, or `value` as text)."""
        self._field(
            f,
            rule,
            "changed" if changed else "kept",
            findings=findings,
            value=stored,
            # A typed column stores the converted value; shown differs from the value only
            # where a detected span was kept, and then it is what shows.
            shown=shown if shown is not None and shown != value else stored,
        )

    def written(self) -> None:
        self.trace.fields.sort(key=lambda t: t.position)
        self.trace.outcome = "written"

    def nothing_kept(self) -> None:
        self.trace.fields.sort(key=lambda t: t.position)

    def quarantined(self, error: str) -> None:
        trace = self.trace
        trace.outcome, trace.error, trace.fields = "quarantined", error, []

    def _field(self, f: Field, rule: CompiledRule, outcome: Outcome, **more: Any) -> None:
        kept = outcome != "dropped"
        self.trace.fields.append(
            FieldTrace(
                f.position,
                self._stored_path(f.path),
                rule.where,
                rule.pattern.text,
                rule.operator.name if rule.operator is not None else rule.mode,
                outcome,
                rule.retention if kept else None,
                rule.column if kept else None,
                **more,
            )
        )


def trace_findings(
    policy: CompiledPolicy, text: str, findings: list[Finding], value: str | None
) -> tuple[tuple[FindingTrace, ...], str]:
    """The fate of every finding in a field whose stored value is `value`, and the value as it
    may be shown: spans detected but kept appear as `<ENTITY kept>`."""
    accepted = [
        f for f in findings if policy.accepts(f) and not policy.allowed(text[f.start : f.end])
    ]
    winners = resolve_overlaps(accepted)
    traced = []
    marks: dict[Finding, str] = {}
    # Findings that overlap in part are replaced as one (`resolve_overlaps`): that span is shown
    # as replaced, and each finding in it is `overlapped`, as one lost to a wider span is.
    known = set(findings)
    for w in winners:
        if w not in known:
            replacement = _replaced(policy, text, w, value)
            marks[w] = replacement if replacement is not None else f"<{w.entity} kept>"
    for f in sorted(findings, key=lambda f: (f.start, -f.end, f.entity)):
        threshold = policy.detection.thresholds.get(f.entity, policy.detection.min_score)
        replacement = None
        if f.score < threshold:
            status = f"below threshold {threshold:.2f}"
        elif policy.allowed(text[f.start : f.end]):
            status = "allow list"
        elif f not in winners:
            status = "overlapped"
        else:
            status = "replaced"
            replacement = _replaced(policy, text, f, value)
        marks[f] = replacement if replacement is not None else f"<{f.entity} kept>"
        traced.append(
            FindingTrace(f.entity, f.start, f.end, f.score, f.detector, status, replacement)
        )
    return tuple(traced), cover_spans(text, marks, set(winners))


def _replaced(policy: CompiledPolicy, text: str, f: Finding, value: str | None) -> str | None:
    """What the policy's operator writes for `f`; None where the value is not stored."""
    if value is None:
        return None
    op, ctx = policy.entity_operation(f.entity)
    return op.apply(text[f.start : f.end], ctx)


def cover_spans(text: str, marks: dict[Finding, str], replaced: set[Finding]) -> str:
    """`text` with every detected span covered: overlapping findings merge into one region,
    shown as the replacement when one replaced finding covers it, else as
    `<ENTITY kept: replacement...>`, so no part of a kept span shows."""
    regions: list[list[Finding]] = []
    for f in sorted(marks, key=lambda f: (f.start, -f.end)):
        if regions and f.start < max(g.end for g in regions[-1]):
            regions[-1].append(f)
        else:
            regions.append([f])
    out = text
    for region in reversed(regions):
        start, end = region[0].start, max(f.end for f in region)
        whole = [f for f in region if f in replaced and (f.start, f.end) == (start, end)]
        if whole:
            label = marks[whole[0]]
        else:
            kept = sorted({f.entity for f in region if f not in replaced})
            inner = [marks[f] for f in resolve_overlaps([f for f in region if f in replaced])]
            label = f"<{'/'.join(kept)} kept" + (f": {' '.join(inner)}>" if inner else ">")
        out = out[:start] + label + out[end:]
    return out
