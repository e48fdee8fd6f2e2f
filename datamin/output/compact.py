"""`datamin compact`: many small data files of a partition merged into a few, as a run commits.

A streaming runner commits a file per micro-batch and class, and every run writes its own files;
readers pay for every file. Compaction merges the visible files of each (retention class, date)
partition, when they are all older than `older_than`, into files of about `target_size`, rows
in a stable order (by file name, then row order). A merged file is named as its first file was.
Files of any sources merge: the manifest records each merged file's sources, rows and the runs
they came from (`datamin.output.manifest`), so a later run of some of those sources still
replaces their rows and nothing else's (`datamin.output.replace`).

Rows, schema and footer metadata stay as they were; a partition whose files differ in schema or
footer (another policy or version), or that holds a file no audit records or whose rows differ
from its record's, is left alone and named in the report. The one footer key a merge may change
is `datamin.run_id`: when the files came from several runs (a stream's batches), the merged
file names the compaction, the run whose audit records it.

It is a run of its own kind through the commit protocol (`datamin.output.commit`): under the
output's lock, after `recover`, the merged files are written to `_staging/<run_id>/data/...`,
then committed with an intent whose deletions are the files merged away, a manifest listing the
merged files (`files`) and those merged away (`removed`), and an audit record saying `"kind":
"compact"` with the counts (`files_written`, `files_replaced`, `files_compacted`). A compaction
stopped anywhere is rolled forward or back by the next run, dispose or compaction. Local outputs
only; nothing is read or written through a link (an output with a link where datamin's files go
is refused, as a run refuses it).
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from datamin import __version__
from datamin.dates import saturating_add
from datamin.errors import DataminError, OutputError
from datamin.output.boundary import refuse_links
from datamin.output.layout import (
    AUDIT,
    DATA,
    DATA_NAME,
    DATE,
    MANIFESTS,
    PARTITION,
    RUN_ID,
    STAGING,
    OutputLayout,
    new_run_id,
)
from datamin.output.lock import STREAM_WAIT_SECONDS, OutputLock
from datamin.output.manifest import FileEntry, Manifest, file_index, merged_segments, sha256
from datamin.output.merge import RUN_ID_KEY, DataFile, Merge, stored_schema, write_merged
from datamin.output.nofollow import DIR, FILE, Root

KIND = "compact"  # the audit record's `kind`
RUNS = f"{AUDIT}/runs"
DEFAULT_OLDER_THAN = timedelta(hours=1)
DEFAULT_TARGET_SIZE = 128 << 20

_SIZE = re.compile(r"^(\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$", re.IGNORECASE)
_UNITS = {"": 0, "b": 0, "k": 10, "m": 20, "g": 30}


@dataclass
class CompactReport:
    """What a compaction did (or, dry, would do). Paths and counts only."""

    output: str
    dry_run: bool
    run_id: str = ""  # the compaction's audit record; "" when nothing was merged, or dry
    groups_merged: int = 0  # partitions
    groups_recent: int = 0  # partitions with a file newer than `older_than`: left alone
    skipped: list[str] = field(default_factory=list)  # partitions left alone, and why
    files_before: int = 0  # visible data files of the output
    files_after: int = 0
    files_compacted: int = 0  # merged away
    files_written: int = 0  # merged files
    rows: int = 0  # rows of the merged files
    bytes_before: int = 0  # of the files merged away
    bytes_after: int | None = None  # of the merged files; None in a dry run
    runs_completed: list[str] = field(default_factory=list)  # stopped commits completed first
    runs_rolled_back: list[str] = field(default_factory=list)  # stopped runs' staging deleted


@dataclass(frozen=True)
class _Footer:
    rows: int
    data_bytes: int  # its compressed column data, without the footer: what it adds to a merge
    schema: Any  # pyarrow.Schema as written (the stored Arrow schema), footer metadata included


def parse_older_than(text: str) -> timedelta:
    """`--older-than` as a policy spells a duration (`12h`, `7d`, `2w`; `0`: every file)."""
    from datamin.policies.model import parse_duration

    try:
        length = parse_duration(text.strip())
    except ValueError:
        raise DataminError("--older-than is a duration like 1h, 7d, 2w, or 0 (all)") from None
    if length is None:
        raise DataminError("--older-than forever would compact nothing")
    return length


def parse_size(text: str) -> int:
    """`--target-size` in bytes: `128MB`, `512KiB`, `1g`, `65536` (K, M, G are powers of 1024)."""
    m = _SIZE.match(text.strip())
    if m is None or int(m.group(1)) == 0:
        raise DataminError("--target-size is a size like 128MB, 512KB or 1GB")
    return int(m.group(1)) << _UNITS[(m.group(2) or "")[:1].lower()]


def compact(
    output: str | Path,
    *,
    older_than: timedelta = DEFAULT_OLDER_THAN,
    target_size: int = DEFAULT_TARGET_SIZE,
    dry_run: bool = False,
    now: datetime | None = None,
) -> CompactReport:
    """Merge each group's small files (see the module), files' ages taken at `now` (default: the
    current time); with `dry_run`, plan and report, and change nothing."""
    from datamin.output import commit

    if "://" in str(output):
        raise OutputError(f"datamin compact works on local outputs only, not {output}")
    path = Path(output)
    if not OutputLayout(str(path)).looks_like_output():
        raise OutputError(f"{path} is not a datamin output directory")
    now = now or datetime.now(UTC)
    report = CompactReport(str(path), dry_run)
    with Root(path) as root, OutputLock(root.path, wait_for_stream=STREAM_WAIT_SECONDS):
        layout = OutputLayout(str(root.path))
        if dry_run:
            refuse_links(root.path)  # what the compaction itself would refuse
        else:
            commit.check_writable(layout)  # refuses a link where datamin's files go, too
            # A stopped run's staging area is deleted by the compaction's commit, which lists
            # it; a compaction that merges nothing writes no record, and leaves it.
            report.runs_completed = commit.roll_forward(layout)
            commit.remove_leftovers(layout)  # and finishes a disposal a kill interrupted
            _past(_newest_run(root))
        started = datetime.now(UTC)
        run_id = new_run_id(started)
        cutoff = (
            None if older_than <= timedelta(0) else saturating_add(now, -older_than).timestamp()
        )
        merges = _plan(root, layout, cutoff, target_size, run_id, report)
        report.files_compacted = sum(len(m.files) for m in merges)
        report.files_written = len(merges)
        report.rows = sum(m.rows for m in merges)
        report.bytes_before = sum(f.size for m in merges for f in m.files)
        report.files_after = report.files_before - report.files_compacted + len(merges)
        if dry_run or not merges:
            report.bytes_after = None if dry_run else 0
            return report
        report.run_id = run_id
        try:
            report.bytes_after = _commit(root, layout, report, merges, started)
        except OSError as exc:
            commit.discard_run(layout, report.run_id)
            raise commit.write_error(layout.root, exc) from None
        except BaseException:
            # Before its intent nothing is left; after it, it is completed now or by the next.
            commit.discard_run(layout, report.run_id)
            raise
        _past(report.run_id)  # the next writer's run id sorts after this one
    return report


def _newest_run(root: Root) -> str | None:
    names = [n.removesuffix(".json") for n, kind in root.entries(RUNS) if kind == FILE]
    return max((n for n in names if RUN_ID.match(n)), default=None)


def _past(run_id: str | None) -> None:
    """Wait, holding the lock, until the clock is past the second `run_id` names. The newest
    audit listing a file is its audit of record, and run ids sort by time to the second: a
    compaction must sort after the runs whose files it merges, and before the next run that
    writes one of its names again, so it shares a second with neither (a pause of under a
    second, and only while the clock is still in that second)."""
    if run_id is None:
        return
    second = datetime.strptime(run_id.split("-", 1)[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    delay = (second + timedelta(seconds=1) - datetime.now(UTC)).total_seconds()
    if 0 < delay <= 1:  # not for an id ahead of the clock (`_footers` leaves its files alone)
        time.sleep(delay)


# -- planning ----------------------------------------------------------------------------------


def _plan(
    root: Root,
    layout: OutputLayout,
    cutoff: float | None,
    target: int,
    run_id: str,
    report: CompactReport,
) -> list[Merge]:
    """The merges to make, partition by partition; tallies those left alone into `report`."""
    index = file_index(layout)
    if index.damaged:
        raise OutputError(f"{index.damaged[0]}; nothing is compacted")
    merges: list[Merge] = []
    for folder, files in _groups(root, report):
        if len(files) < 2:
            continue
        if cutoff is not None and any(f.mtime > cutoff for f in files):
            report.groups_recent += 1
            continue
        footers, why = _footers(root, files, index.files, run_id)
        if footers is None:
            report.skipped.append(f"{folder}: {why}")
            continue
        found = [_merge(chunk, footers, index.files) for chunk in _chunks(files, footers, target)]
        if found:
            report.groups_merged += 1
            merges += found
    return merges


def _groups(root: Root, report: CompactReport) -> Iterator[tuple[str, list[DataFile]]]:
    """The visible data files by partition folder, in name order; counts every visible data
    file into `report.files_before`. Links are never listed here."""
    for cls, cls_kind in root.entries(DATA):
        if cls_kind != DIR or not PARTITION.match(cls):
            continue
        for day, day_kind in root.entries(f"{DATA}/{cls}"):
            if day_kind != DIR or not DATE.match(day):
                continue
            folder = f"{DATA}/{cls}/{day}"
            files: list[DataFile] = []
            with root.opened(folder) as fd:
                if fd is None:
                    continue
                for name, kind in root.entries(folder):
                    if kind != FILE or DATA_NAME.match(name) is None:
                        continue
                    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    files.append(DataFile(f"{folder}/{name}", st.st_size, st.st_mtime))
                    report.files_before += 1
            yield folder, files


def _footers(
    root: Root, files: list[DataFile], entries: dict[str, FileEntry], run_id: str
) -> tuple[dict[str, _Footer] | None, str]:
    """Each file's footer when the partition may be merged: every file committed, by a run
    whose id sorts before this compaction's (else that run's record, not this one, would be
    the newest listing the merged file), with the rows it holds; one schema and one footer (but
    for the run id). Else None and why."""
    footers: dict[str, _Footer] = {}
    for f in files:
        if f.rel not in entries:
            return None, "a file in no run's audit record"
        run, recorded = entries[f.rel].run, entries[f.rel].rows
        if run >= run_id:
            return None, "a file of a run whose id sorts after this compaction's"
        footer = _read_footer(root, f.rel)
        if footer is None:
            return None, "a file that is not readable Parquet"
        if recorded is not None and recorded != footer.rows:
            return None, "a file whose rows differ from its audit record"
        footers[f.rel] = footer
    first = footers[files[0].rel].schema
    for f in files[1:]:
        schema = footers[f.rel].schema
        if not schema.equals(first, check_metadata=False):
            return None, "files differ in schema"
        if _without_run(schema.metadata) != _without_run(first.metadata):
            return None, "files differ in footer metadata (policy, retention or version)"
    return footers, ""


def _read_footer(root: Root, rel: str) -> _Footer | None:
    """A file's footer; its schema the Arrow schema stored in it (`merge.stored_schema`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with root.open_file(rel) as handle:
            if handle is None:
                return None
            parquet = pq.ParquetFile(handle)
            meta, schema = parquet.metadata, stored_schema(parquet)
    except (OSError, ValueError, pa.ArrowException):
        return None
    data = sum(
        meta.row_group(i).column(j).total_compressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.num_columns)
    )
    return _Footer(meta.num_rows, data, schema)


def _without_run(metadata: dict[bytes, bytes] | None) -> dict[bytes, bytes]:
    return {k: v for k, v in (metadata or {}).items() if k != RUN_ID_KEY}


def _chunks(
    files: list[DataFile], footers: dict[str, _Footer], target: int
) -> list[list[DataFile]]:
    """Runs of consecutive files packed up to about `target` (by their data), of two files or
    more. A file of half the target or more is about the target already: it stays as it is, and
    no merge reaches across it (merged files keep disjoint ranges of first indices)."""
    chunks: list[list[DataFile]] = []
    current: list[DataFile] = []
    size = 0
    for f in files:
        data = footers[f.rel].data_bytes
        if data * 2 >= target or (current and size + data > target):
            chunks.append(current)
            current, size = [], 0
        if data * 2 >= target:
            continue
        current.append(f)
        size += data
    chunks.append(current)
    return [c for c in chunks if len(c) >= 2]


def _merge(
    chunk: list[DataFile], footers: dict[str, _Footer], entries: dict[str, FileEntry]
) -> Merge:
    """A chunk to merge, with the files' own schema and footer metadata (`_write_merged` has
    `datamin.run_id` name the compaction when they came from several runs), and what the
    merged file holds: the files' sources' rows in order, with the runs they came from."""
    schema = footers[chunk[0].rel].schema
    runs = {(footers[f.rel].schema.metadata or {}).get(RUN_ID_KEY) for f in chunk}
    segments: list[tuple[str, int | None]] = []
    by_source: dict[str, set[str]] = {}
    for f in chunk:
        entry = entries[f.rel]
        if len(entry.segments) == 1:  # an earlier version's file may not record its rows
            segments.append((entry.segments[0][0], footers[f.rel].rows))
        else:
            segments += entry.segments
        for source, came_from in entry.runs.items():
            by_source.setdefault(source, set()).update(came_from or {entry.run})
    rows = sum(footers[f.rel].rows for f in chunk)
    held = FileEntry(
        "", rows, merged_segments(segments), {s: frozenset(r) for s, r in by_source.items()}
    )
    return Merge(chunk, schema, rows, len(runs) > 1, held)


# -- writing and committing ----------------------------------------------------------------------


def _commit(
    root: Root, layout: OutputLayout, report: CompactReport, merges: list[Merge], started: datetime
) -> int:
    """Write every merged file into the staging area, check its rows, and commit; returns the
    merged files' bytes."""
    from datamin.output import commit

    run_id = report.run_id
    report.runs_rolled_back = commit.roll_back(layout)  # before its own staging area exists
    files: dict[str, FileEntry] = {}
    written_bytes = 0
    for merge in merges:
        rel = merge.files[0].rel
        staged = f"{STAGING}/{run_id}/{rel}"
        held, size = write_merged(root, staged, merge, run_id)
        if held != merge.rows:
            raise OutputError(
                f"{staged} holds {held} rows, its files {merge.rows}; the compaction is not "
                "committed"
            )
        files[rel] = dataclasses.replace(merge.entry, run=run_id)
        written_bytes += size
    compacted = sorted(f.rel for m in merges for f in m.files)
    # Every file merged away but those whose names merged files took (listed anew).
    removed = tuple(rel for rel in compacted if rel not in files)
    manifest = Manifest(run_id, files, removed=removed).to_json()
    audit = {
        "kind": KIND,
        "run_id": run_id,
        "datamin_version": __version__,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "files_written": len(files),
        "files_replaced": len(compacted),
        "files_compacted": len(compacted),
        "manifest": f"{MANIFESTS}/{run_id}.json",
        "manifest_sha256": sha256(manifest),
        "runs_completed": report.runs_completed,
        "runs_rolled_back": report.runs_rolled_back,
    }
    intent = commit.Intent(run_id, sorted(files), list(removed), audit, manifest)
    commit.commit(layout, intent)
    return written_bytes
