"""Read an output's audit records and Parquet footers into a `Summary`, without following a
link inside it (`datamin.output.nofollow`) and without reading a single row.

An audit record is a file in the output, and the output is a trust boundary: every field is
checked for its type as it is read (a count that is not a count is 0, a name that is not a
string is left out), so a damaged or planted record cannot break the report, only be absent
from it. Local outputs only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datamin.errors import OutputError
from datamin.output.boundary import check_tree
from datamin.output.intent import intents
from datamin.output.layout import AUDIT, DISPOSALS, INTENT, RUN_ID, OutputLayout
from datamin.output.manifest import files_of
from datamin.output.nofollow import FILE, Root
from datamin.output.report import DataFile
from datamin.output.scan import scan
from datamin.output.stores import UNKNOWN, quarantine_runs
from datamin.report.summary import (
    BATCH,
    COMPACT,
    STREAM,
    DisposalRow,
    PartitionRow,
    RunRow,
    Summary,
)

RUN_ID_HINT = "one looks like 20260101T000000Z-0a1b2c, as the report of the output lists them"


def collect(output: str | Path, *, now: datetime | None = None, run: str | None = None) -> Summary:
    """The report of a local output as of `now` (default: the current time), or of the one
    committed run `run`. Raises `OutputError` (one line) for a path that is not a datamin
    output, or a run it has not committed."""
    path = output_dir(output)
    now = now or datetime.now(UTC)
    records = [r for r in OutputLayout(str(path)).run_records() if _run_id(r) is not None]
    chosen = records
    if run is not None:
        if not RUN_ID.match(run):
            raise OutputError(f"not a run id; {RUN_ID_HINT}")
        chosen = [r for r in records if r["run_id"] == run]
        if not chosen:
            raise OutputError(f"{path} holds no committed run {run}")
    runs = tuple(_run_row(r) for r in chosen)
    counted = [r for r in chosen if _kind(r) != COMPACT]
    files_of_run = _files_of(path, chosen[0]) if run is not None else None
    with Root(path) as root:
        found, unknown = scan(root)
        present = {root.rel(f.path): f for f in found}
        if files_of_run is not None:
            present = {rel: f for rel, f in present.items() if rel in files_of_run}
        stores = [(n, e) for n, e in quarantine_runs(root) if not n.startswith(".")]
        if run is not None:
            stores = [(n, e) for n, e in stores if n == run]
        disposals = [_disposal_row(body, name) for name, body in _disposal_records(root)]
        if run is not None:
            disposals = _touching(disposals, chosen[0], files_of_run or set())
        pending_commits = [
            n for n, kind in root.entries(f"{AUDIT}/commits") if kind == FILE and _visible(n)
        ]
        summary = Summary(
            output=str(output),
            as_of=now.isoformat(),
            run_filter=run,
            runs=runs,
            findings_by_entity=_sum_counts(r.get("findings_by_entity") for r in counted),
            findings_by_path=_sum_nested(r.get("findings_by_entity_and_path") for r in counted),
            quarantine_by_error=_sum_counts(r.get("quarantine_by_error") for r in counted),
            partitions=tuple(_partitions(present.values(), now)),
            disposals=tuple(sorted(disposals, key=lambda d: d.disposal_id)),
            files_gone=len(files_of_run - set(present)) if files_of_run is not None else 0,
            foreign_files=len(unknown),
            quarantine_stores=len(stores),
            quarantine_stores_expired=sum(1 for _, e in stores if _expired(e, now)),
            unfinished_disposals=len(intents(root)),
            unfinished_commits=len(pending_commits),
            links=len(check_tree(root)),
        )
    return summary


def output_dir(output: str | Path) -> Path:
    """`output` as a local datamin output directory, or a one-line `OutputError`."""
    if "://" in str(output):
        raise OutputError(f"datamin report reads local outputs only, not {output}")
    path = Path(output)
    if not path.is_dir():
        raise OutputError(f"{path} is not a directory")
    if not OutputLayout(str(path)).looks_like_output():
        raise OutputError(f"{path} is not a datamin output directory")
    return path


# -- runs --------------------------------------------------------------------------------------


def _run_id(record: dict[str, Any]) -> str | None:
    run_id = record.get("run_id")
    return run_id if isinstance(run_id, str) and RUN_ID.match(run_id) else None


def _kind(record: dict[str, Any]) -> str:
    kind = record.get("kind")
    return kind if kind in (STREAM, COMPACT) else BATCH


def _run_row(record: dict[str, Any]) -> RunRow:
    return RunRow(
        run_id=str(record["run_id"]),
        kind=_kind(record),
        started_at=_text(record.get("started_at")),
        policy=_text(record.get("policy")),
        records_in=_count(record.get("records_in")),
        records_written=_count(record.get("records_written")),
        records_dropped=_count(record.get("records_dropped")),
        records_quarantined=_count(record.get("records_quarantined")),
        files_written=_listed(record.get("files_written")),
        files_replaced=_count(record.get("files_replaced")),
        files_compacted=_listed(record.get("files_compacted")),
        rows_expired=_count(record.get("rows_expired")),
        event_time_missing=_count(record.get("event_time_missing")),
        event_time_future=_count(record.get("event_time_future")),
        recovered=record.get("recovered") is True,
    )


def _sum_counts(maps: Iterable[object]) -> dict[str, int]:
    """Counters summed over runs, largest first (then by name)."""
    total: Counter[str] = Counter()
    for m in maps:
        if isinstance(m, dict):
            total.update({k: _count(v) for k, v in m.items() if isinstance(k, str)})
    return _ordered(total)


def _sum_nested(maps: Iterable[object]) -> dict[str, dict[str, int]]:
    by: dict[str, Counter[str]] = {}
    for m in maps:
        if not isinstance(m, dict):
            continue
        for outer, inner in m.items():
            if isinstance(outer, str) and isinstance(inner, dict):
                counts = {k: _count(v) for k, v in inner.items() if isinstance(k, str)}
                by.setdefault(outer, Counter()).update(counts)
    return {k: _ordered(v) for k, v in sorted(by.items())}


def _ordered(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


# -- partitions ------------------------------------------------------------------------------


@dataclass
class _Acc:
    files: int = 0
    rows: int = 0
    expired: int = 0
    expired_rows: int = 0
    forever: bool = False
    last: datetime | None = None


def _partitions(files: Iterable[DataFile], now: datetime) -> list[PartitionRow]:
    acc: dict[tuple[str, str], _Acc] = {}
    durations: dict[tuple[str, str], set[str]] = {}
    for f in files:
        key = (f.retention, f.day.isoformat())
        a = acc.setdefault(key, _Acc())
        durations.setdefault(key, set()).add(f.duration)
        a.files += 1
        a.rows += f.rows
        expires = f.expires_at()
        if expires is None:
            a.forever = True
        else:
            if expires < now:
                a.expired += 1
                a.expired_rows += f.rows
            a.last = expires if a.last is None else max(a.last, expires)
    return [
        PartitionRow(
            retention=cls,
            day=day,
            files=a.files,
            rows=a.rows,
            durations=tuple(sorted(durations[(cls, day)])),
            expires=None if a.forever or a.last is None else a.last.date().isoformat(),
            expired_files=a.expired,
            expired_rows=a.expired_rows,
        )
        for (cls, day), a in sorted(acc.items())
    ]


def _expired(expires: object, now: datetime) -> bool:
    return expires is not UNKNOWN and isinstance(expires, datetime) and expires < now


# -- disposals -------------------------------------------------------------------------------


def _disposal_records(root: Root) -> list[tuple[str, dict[str, Any]]]:
    """(id, record) of each disposal recorded in the audit; intents and unreadable ones
    left out."""
    out = []
    for name, kind in root.entries(DISPOSALS):
        if kind != FILE or not _visible(name) or not name.endswith(".json"):
            continue
        if name.endswith(INTENT):
            continue
        try:
            body = json.loads(root.read(f"{DISPOSALS}/{name}") or b"")
        except ValueError:
            continue
        if isinstance(body, dict):
            out.append((name.removesuffix(".json"), body))
    return out


def _disposal_row(body: dict[str, Any], name: str) -> DisposalRow:
    by_class: dict[str, dict[str, int]] = {}
    disposed = body.get("disposed")
    for cls, tally in (disposed if isinstance(disposed, dict) else {}).items():
        if isinstance(cls, str) and isinstance(tally, dict):
            by_class[cls] = {k: _count(tally.get(k)) for k in ("partitions", "files", "rows")}
    verified = body.get("verified")
    completed_by = body.get("completed_by")
    return DisposalRow(
        disposal_id=_text(body.get("disposal_id")) or name,
        disposed_at=_text(body.get("disposed_at")),
        as_of=_text(body.get("now")),
        partitions=sum(t["partitions"] for t in by_class.values()),
        files=sum(t["files"] for t in by_class.values()),
        rows=sum(t["rows"] for t in by_class.values()),
        by_class=dict(sorted(by_class.items())),
        partitions_kept=_count(body.get("kept_partitions")),
        quarantine_runs=len(_strings(body.get("quarantine_runs"))),
        raw_quarantine_runs=len(_strings(body.get("raw_quarantine_runs"))),
        token_keys_deleted=len(_strings(body.get("token_keys_deleted"))),
        verified=verified if isinstance(verified, bool) else None,
        problems=len(_strings(body.get("problems"))),
        links=len(_strings(body.get("links"))),
        completed_by=completed_by if isinstance(completed_by, str) else None,
        partition_names=tuple(_strings(body.get("partitions"))),
        quarantine_run_ids=tuple(_strings(body.get("quarantine_runs"))),
    )


def _touching(
    disposals: list[DisposalRow], run: dict[str, Any], files: set[str]
) -> list[DisposalRow]:
    """The disposals after `run` that took one of its partitions or its quarantine."""
    started = _text(run.get("started_at"))
    parts = {"/".join(f.split("/")[1:3]) for f in files}
    return [
        d
        for d in disposals
        if d.disposed_at >= started
        and (parts & set(d.partition_names) or run["run_id"] in d.quarantine_run_ids)
    ]


# -- reading values defensively ----------------------------------------------------------------


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _listed(value: object) -> int:
    """A number of files: a count, or the length of an earlier version's list of them."""
    return len(_strings(value)) if isinstance(value, list) else _count(value)


def _files_of(path: Path, record: dict[str, Any]) -> set[str]:
    """The data files a run wrote, from its manifest (none when it cannot be read)."""
    try:
        return set(files_of(OutputLayout(str(path)), record))
    except OutputError:
        return set()


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _visible(name: str) -> bool:
    return not name.startswith(".")
