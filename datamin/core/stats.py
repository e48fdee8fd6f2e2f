"""Run accounting: counts only, mergeable across bundles and workers.

`records_in == records_written + records_dropped + records_quarantined` holds for every
`Stats`, because each record is counted in exactly one outcome at the moment it is counted in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    records_in: int = 0
    records_written: int = 0
    records_dropped: int = 0
    records_quarantined: int = 0
    fields_kept: int = 0  # kept as they were
    fields_changed: int = 0  # kept after an operator or a finding changed them
    fields_dropped: int = 0
    event_time_missing: int = 0
    event_time_future: int = 0  # dated past the run's date: filed under it (core.event_dates)
    findings: Counter[str] = field(default_factory=Counter)  # "ENTITY\tshape.of.path"
    quarantine_errors: Counter[str] = field(default_factory=Counter)  # error class
    rows: Counter[str] = field(default_factory=Counter)  # rows per retention class

    def merge(self, other: Stats) -> Stats:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.findings.update(other.findings)
        self.quarantine_errors.update(other.quarantine_errors)
        self.rows.update(other.rows)
        return self

    def balanced(self) -> bool:
        return self.records_in == (
            self.records_written + self.records_dropped + self.records_quarantined
        )

    def to_dict(self) -> dict[str, Any]:
        by_entity: Counter[str] = Counter()
        by_path: dict[str, dict[str, int]] = {}
        for key, n in self.findings.items():
            entity, path = key.split("\t", 1)
            by_entity[entity] += n
            by_path.setdefault(entity, {})[path] = n
        return {
            "records_in": self.records_in,
            "records_written": self.records_written,
            "records_dropped": self.records_dropped,
            "records_quarantined": self.records_quarantined,
            "fields_kept": self.fields_kept,
            "fields_changed": self.fields_changed,
            "fields_dropped": self.fields_dropped,
            "event_time_missing": self.event_time_missing,
            "event_time_future": self.event_time_future,
            "rows_by_retention": dict(sorted(self.rows.items())),
            "findings_by_entity": dict(by_entity.most_common()),
            "findings_by_entity_and_path": {
                e: dict(sorted(p.items(), key=lambda kv: -kv[1]))
                for e, p in sorted(by_path.items())
            },
            "quarantine_by_error": dict(self.quarantine_errors.most_common()),
        }

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Stats:
        """The inverse of `to_dict` (a summary's counts read back, to merge with others)."""
        stats = cls(**{name: int(value[name]) for name in _COUNTS})
        for entity, paths in value["findings_by_entity_and_path"].items():
            for path, n in paths.items():
                stats.findings[f"{entity}\t{path}"] += int(n)
        stats.quarantine_errors.update(value["quarantine_by_error"])
        stats.rows.update(value["rows_by_retention"])
        return stats


_COUNTS = (
    "records_in",
    "records_written",
    "records_dropped",
    "records_quarantined",
    "fields_kept",
    "fields_changed",
    "fields_dropped",
    "event_time_missing",
    "event_time_future",
)
