"""`datamin policy diff`: what changes when a candidate policy replaces a base one, on a sample.

Both policies run in process on the same records with one engine and one key. The report holds
field paths in their shape (`request.query.*` for a key that is not a plain name), counts, entity
types and byte sizes: nothing of a value, so it can be pasted into a pull request.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from datamin.core.records import Item
from datamin.output.schema import class_schema
from datamin.policies.authoring.workbench import Explained, Workbench
from datamin.policies.paths import shape

Format = Literal["text", "markdown", "json"]


@dataclass
class PathChange:
    path: str
    base_kept: int  # records in which the field was stored
    candidate_kept: int
    base_how: str  # `keep -> analytics/method`, or "" when never stored
    candidate_how: str


@dataclass
class DiffReport:
    base: str  # policy name and short hash
    candidate: str
    records: int
    outcomes: dict[str, tuple[int, int]]
    newly_kept: list[PathChange] = field(default_factory=list)
    newly_dropped: list[PathChange] = field(default_factory=list)
    changed: list[PathChange] = field(default_factory=list)
    findings: dict[str, tuple[int, int]] = field(default_factory=dict)
    stored_bytes: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.newly_kept
            or self.newly_dropped
            or self.changed
            or any(a != b for a, b in self.findings.values())
            or any(a != b for a, b in self.outcomes.values())
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Side:
    kept: Counter[str] = field(default_factory=Counter)
    how: dict[str, Counter[str]] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def diff_policies(base: Workbench, candidate: Workbench, items: list[Item]) -> DiffReport:
    sides = [_collect(base, items), _collect(candidate, items)]
    a, b = sides
    paths = sorted(set(a.kept) | set(b.kept))
    report = DiffReport(
        base=_label(base),
        candidate=_label(candidate),
        records=len(items),
        outcomes={k: (a.outcomes[k], b.outcomes[k]) for k in ("written", "dropped", "quarantined")},
    )
    for path in paths:
        change = PathChange(path, a.kept[path], b.kept[path], _how(a, path), _how(b, path))
        if not change.base_kept:
            report.newly_kept.append(change)
        elif not change.candidate_kept:
            report.newly_dropped.append(change)
        elif (change.base_kept, change.base_how) != (change.candidate_kept, change.candidate_how):
            report.changed.append(change)
    for entity in sorted(set(a.findings) | set(b.findings)):
        report.findings[entity] = (a.findings[entity], b.findings[entity])
    classes = sorted(set(base.policy.retention) | set(candidate.policy.retention))
    sizes = [_stored_bytes(wb, side) for wb, side in zip((base, candidate), sides, strict=True)]
    for cls in classes:
        report.stored_bytes[cls] = (sizes[0].get(cls, 0), sizes[1].get(cls, 0))
    return report


def _collect(wb: Workbench, items: list[Item]) -> _Side:
    side = _Side()
    for e in wb.explain(items):
        _add(side, e)
    return side


def _add(side: _Side, e: Explained) -> None:
    side.outcomes[e.trace.outcome] += 1
    seen: set[str] = set()
    for f in e.trace.fields:
        side.findings.update(x.entity for x in f.findings if x.replaced)
        if f.outcome == "dropped":
            continue
        path = shape(f.path)
        if path not in seen:
            seen.add(path)
            side.kept[path] += 1
        where = f.retention or ""
        if f.column:
            where += f"/{f.column}"
        side.how.setdefault(path, Counter())[f"{f.action} -> {where}"] += 1
    if e.written is not None:
        for cls, row in e.written.rows.items():
            side.rows.setdefault(cls, []).append(row)


def _how(side: _Side, path: str) -> str:
    return ", ".join(sorted(side.how.get(path, {})))


def _stored_bytes(wb: Workbench, side: _Side) -> dict[str, int]:
    """Bytes of each class's rows as one zstd Parquet file, as a run would write them."""
    sizes = {}
    for cls, rows in side.rows.items():
        schema = class_schema(wb.policy, cls, "diff")
        table = pa.Table.from_pylist(
            [{**r, "fields": list(r.get("fields", {}).items())} for r in rows], schema=schema
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        sizes[cls] = buffer.tell()
    return sizes


def _label(wb: Workbench) -> str:
    return f"{wb.name} ({wb.loaded.sha256[:12]})"


# -- rendering ------------------------------------------------------------------------------


def render(report: DiffReport, fmt: Format = "text") -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2) + "\n"
    md = fmt == "markdown"
    out: list[str] = []
    title = f"policy diff: {report.base} -> {report.candidate} on {report.records} records"
    out += [f"## {title}" if md else title, ""]

    def table(heading: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        out.append(f"### {heading}" if md else heading)
        if not rows:
            out.extend(["(none)" if not md else "_none_", ""])
            return
        cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
        if md:
            out.append("| " + " | ".join(cells[0]) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            for r in cells[1:]:
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        else:
            widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
            for r in cells:
                out.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        out.append("")

    table(
        "records",
        ("outcome", "base", "candidate"),
        [(k, a, b) for k, (a, b) in report.outcomes.items()],
    )
    for heading, changes in (
        ("fields newly kept", report.newly_kept),
        ("fields newly dropped", report.newly_dropped),
        ("fields stored differently", report.changed),
    ):
        table(
            f"{heading} ({len(changes)})",
            ("path", "records base -> candidate", "base", "candidate"),
            [
                (
                    c.path,
                    f"{c.base_kept} -> {c.candidate_kept}",
                    c.base_how or "-",
                    c.candidate_how or "-",
                )
                for c in changes
            ],
        )
    table(
        "findings replaced, by entity",
        ("entity", "base", "candidate", "change"),
        [(e, a, b, f"{b - a:+d}") for e, (a, b) in report.findings.items()],
    )
    table(
        "bytes stored, by retention class (zstd Parquet)",
        ("class", "base", "candidate", "change"),
        [(c, f"{a:,}", f"{b:,}", f"{b - a:+,}") for c, (a, b) in report.stored_bytes.items()],
    )
    return "\n".join(out).rstrip() + "\n"
