"""What the minimizer decided for each field of a record, for `policy explain`, `policy diff`,
`policy test` and the notebooks. A trace holds paths, rules, entity types, scores and values in
their stored form only: a detected value appears as its replacement, never as itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

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
