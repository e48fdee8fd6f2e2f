"""What `datamin report` knows of an output: typed, value-free, ready to render.

Everything here comes from the output's audit records (runs, stream batches, compactions,
disposals) and its Parquet footers (rows, retention class, duration): counts, dates, run ids,
class names, entity names, field path shapes and error classes. None of it is a value from the
data; the renderers escape it all the same, since an audit record is a file in the output and
the output is a trust boundary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

BATCH, STREAM, COMPACT = "batch", "stream", "compact"
RECORD_COUNTS = ("records_in", "records_written", "records_dropped", "records_quarantined")


@dataclass(frozen=True)
class RunRow:
    """One committed run, stream batch or compaction, from its audit record."""

    run_id: str
    kind: str  # BATCH, STREAM or COMPACT
    started_at: str
    policy: str
    records_in: int = 0
    records_written: int = 0
    records_dropped: int = 0
    records_quarantined: int = 0
    files_written: int = 0
    files_replaced: int = 0
    files_compacted: int = 0  # a compaction's: files merged away
    rows_expired: int = 0  # a stream's: rows already past retention, not written
    event_time_missing: int = 0
    event_time_future: int = 0  # records dated past the run's date, filed under it
    recovered: bool = False  # committed by the next run after it was stopped mid-commit

    @property
    def balanced(self) -> bool:
        return self.records_in == (
            self.records_written + self.records_dropped + self.records_quarantined
        )

    @property
    def day(self) -> str:
        return self.started_at[:10]


@dataclass(frozen=True)
class TimelineRow:
    """A point of the records-over-runs chart: one batch run, or a day's stream batches."""

    label: str
    kind: str
    runs: int
    records_in: int
    records_written: int
    records_dropped: int
    records_quarantined: int
    day: str = ""  # a stream row's day

    @property
    def balanced(self) -> bool:
        return self.records_in == (
            self.records_written + self.records_dropped + self.records_quarantined
        )


@dataclass(frozen=True)
class PartitionRow:
    """One `retention=<class>/date=<day>` partition as its files' footers describe it."""

    retention: str
    day: str
    files: int
    rows: int
    durations: tuple[str, ...]  # as the writing runs recorded them: `7d`, `forever`
    expires: str | None  # the day its last file expires; None: forever
    expired_files: int  # files whose retention has run out at the report's time
    expired_rows: int = 0  # the rows they hold

    @property
    def status(self) -> str:
        if self.expired_files == 0:
            return "current"
        return "expired" if self.expired_files == self.files else "partly expired"


@dataclass(frozen=True)
class DisposalRow:
    """One disposal, from its record in the audit."""

    disposal_id: str
    disposed_at: str
    as_of: str  # the time it disposed as of (`--now`)
    partitions: int
    files: int
    rows: int
    by_class: dict[str, dict[str, int]]  # class -> partitions, files, rows
    partitions_kept: int
    quarantine_runs: int
    raw_quarantine_runs: int
    token_keys_deleted: int
    verified: bool | None  # None: finished by a later run or disposal, which verified
    problems: int
    links: int
    completed_by: str | None  # the disposal or "run" that finished an interrupted one
    partition_names: tuple[str, ...] = ()  # `retention=<class>/date=<day>`
    quarantine_run_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """An output (or one run of it, `run_filter`) as of `as_of`."""

    output: str
    as_of: str
    run_filter: str | None
    runs: tuple[RunRow, ...]
    findings_by_entity: dict[str, int]
    findings_by_path: dict[str, dict[str, int]]  # entity -> field path shape -> count
    quarantine_by_error: dict[str, int]
    partitions: tuple[PartitionRow, ...]
    disposals: tuple[DisposalRow, ...]
    files_gone: int = 0  # with `run_filter`: files the run wrote that are no longer there
    foreign_files: int = 0  # visible files under `data/` that are not datamin's
    quarantine_stores: int = 0  # runs whose (value-free) quarantine is still kept
    quarantine_stores_expired: int = 0
    unfinished_disposals: int = 0
    unfinished_commits: int = 0
    links: int = 0  # links where datamin's own files go: never followed, only counted
    notes: tuple[str, ...] = field(default_factory=tuple)

    def of_kind(self, kind: str) -> list[RunRow]:
        return [r for r in self.runs if r.kind == kind]

    @property
    def counted(self) -> list[RunRow]:
        """The runs that count records (a compaction moves rows, it reads no record)."""
        return [r for r in self.runs if r.kind != COMPACT]

    def totals(self) -> dict[str, int]:
        return {name: sum(getattr(r, name) for r in self.counted) for name in RECORD_COUNTS}

    @property
    def balanced(self) -> bool:
        return all(r.balanced for r in self.counted)

    def timeline(self) -> list[TimelineRow]:
        """Batch runs one by one; stream batches (often thousands) summed per day they
        started, in the order the runs sort (by time)."""
        out: list[TimelineRow] = []
        streams: dict[str, int] = {}  # day -> index in out
        for run in self.counted:
            counts = [getattr(run, name) for name in RECORD_COUNTS]
            if run.kind != STREAM:
                out.append(TimelineRow(run.run_id, run.kind, 1, *counts))
                continue
            if run.day not in streams:
                streams[run.day] = len(out)
                out.append(TimelineRow(f"stream batches {run.day}", STREAM, 0, 0, 0, 0, 0))
            i = streams[run.day]
            row = out[i]
            sums = [a + b for a, b in zip(counts, _counts(row), strict=True)]
            out[i] = TimelineRow(row.label, STREAM, row.runs + 1, *sums, day=run.day)
        return out

    def rows_by_class(self) -> dict[str, dict[str, int]]:
        """Per retention class: rows, and of them those past retention at `as_of`."""
        out: dict[str, dict[str, int]] = {}
        for p in self.partitions:
            tally = out.setdefault(p.retention, {"rows": 0, "expired_rows": 0})
            tally["rows"] += p.rows
            tally["expired_rows"] += p.expired_rows
        return out

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["totals"] = self.totals()
        body["balanced"] = self.balanced
        body["batch_runs"] = len(self.of_kind(BATCH))
        body["stream_batches"] = len(self.of_kind(STREAM))
        body["compactions"] = len(self.of_kind(COMPACT))
        body["rows_by_class"] = self.rows_by_class()
        for run, row in zip(body["runs"], self.runs, strict=True):
            run["balanced"] = row.balanced
        for part, row in zip(body["partitions"], self.partitions, strict=True):
            part["status"] = row.status
        return body


def short_time(text: str) -> str:
    """An ISO time from an audit record as people read it (`2026-12-06 05:00:48 UTC`); what
    does not parse, as it is."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None and moment.utcoffset() == UTC.utcoffset(None):
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return moment.isoformat(" ", "seconds")


def _counts(row: TimelineRow) -> list[int]:
    return [row.records_in, row.records_written, row.records_dropped, row.records_quarantined]
