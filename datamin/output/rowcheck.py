"""Rows against the audits of record, for `dispose --verify`: every Parquet file a reader sees
was committed by a run, holds the rows that run's audit records for it, and no source's rows
come from two runs (a re-run of a source replaces all its earlier files, so two runs' files of
one source are rows twice). A stream's batches are many runs of one source: their record
ranges must not overlap instead.

The audit of record for a file is the newest audit listing it (a re-run rewrites the same
names). Audits of versions that recorded no per-file rows are checked for presence only. A
compaction (`"kind": "compact"`, `datamin.output.compact`) adds no rows: its files hold the rows
of the runs whose files of the same source it merged away, so it counts as those runs.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from datamin.output.layout import AUDIT, DATA, DATE, PARTITION, RUN_ID, OutputLayout


def verify_rows(layout: OutputLayout) -> list[str]:
    """Problems found, one line each by path (no values); [] when the rows are as audited.
    Local outputs, read under the lock, never through a link (a link is `--verify`'s to list)."""
    import pyarrow.parquet as pq

    from datamin.output.nofollow import DIR, FILE, Root

    claims: dict[str, tuple[str, int | None]] = {}  # relative path -> (run, rows recorded)
    origins: dict[str, set[str]] = {}  # relative path -> the runs whose rows it holds
    problems: list[str] = []
    streamed: set[str] = set()  # a stream's batches: many runs of one source, by design
    ranges: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for audit in layout.run_records():
        stream = audit.get("stream")
        if isinstance(stream, dict) and isinstance(audit.get("run_id"), str):
            streamed.add(audit["run_id"])
            first, last = stream.get("first"), stream.get("last")
            if isinstance(first, int) and isinstance(last, int):
                ranges[str(stream.get("source_id"))].append((first, last, audit["run_id"]))
        run_id, written, rows = (
            audit.get("run_id"),
            audit.get("files_written"),
            audit.get("rows_by_file"),
        )
        if not isinstance(run_id, str) or not RUN_ID.match(run_id) or not isinstance(written, list):
            problems.append(f"{AUDIT}/runs: an audit record without a run id or its files")
            continue
        taken = _taken_over(audit, claims, origins)
        for relative in written:
            if isinstance(relative, str):
                claims[relative] = (run_id, rows.get(relative) if isinstance(rows, dict) else None)
                origins[relative] = taken.get(_source(relative)) or {run_id}
    runs_of_source: dict[str, set[str]] = defaultdict(set)
    with Root(layout.local) as root:
        for relative in _visible_parquet(root, DIR, FILE):
            claim = claims.get(relative)
            if claim is None:
                problems.append(f"{relative}: in no run's audit record")
                continue
            run_id, recorded = claim
            try:
                with root.open_file(relative) as f:
                    held = pq.read_metadata(f).num_rows if f is not None else None
            except (OSError, ValueError):
                held = None
            if held is None:
                problems.append(f"{relative}: not a readable Parquet file")
                continue
            if recorded is not None and held != recorded:
                problems.append(f"{relative}: holds {held} rows, run {run_id} recorded {recorded}")
            runs_of_source[_source(relative)] |= origins.get(relative) or {run_id}
    for source, batches in sorted(ranges.items()):
        batches.sort()
        for (_, last, run), (first, _, nxt) in itertools.pairwise(batches):
            if first <= last:
                problems.append(f"stream {source}: batches {run} and {nxt} overlap (rows twice)")
    for source, runs in sorted(runs_of_source.items()):
        if len(runs) > 1 and not runs <= streamed:
            problems.append(f"source {source}: rows from runs {', '.join(sorted(runs))} (twice)")
    return problems


def _source(relative: str) -> str:
    """The source key a data file is named by (`part-<source>-<first>.parquet`)."""
    parts = relative.rsplit("/", 1)[-1].split("-")
    return parts[1] if len(parts) > 1 else ""


def _taken_over(
    audit: dict[str, Any], claims: dict[str, Any], origins: dict[str, set[str]]
) -> dict[str, set[str]]:
    """For a compaction: the runs whose rows it took over, by source key; the files it merged
    away are no run's any more. {} for any other audit."""
    compacted = audit.get("files_compacted") if audit.get("kind") == "compact" else None
    taken: dict[str, set[str]] = defaultdict(set)
    for relative in compacted if isinstance(compacted, list) else ():
        if isinstance(relative, str) and relative in claims:
            taken[_source(relative)] |= origins.pop(relative, None) or {claims[relative][0]}
            del claims[relative]
    return taken


def _visible_parquet(root: Any, dir_kind: str, file_kind: str) -> list[str]:
    """Data files a reader of `data/` opens, relative to the output (hidden names skipped;
    links never followed, nor listed here)."""
    found = []
    for partition, kind in root.entries(DATA):
        if kind != dir_kind or not PARTITION.match(partition):
            continue
        for day, day_kind in root.entries(f"{DATA}/{partition}"):
            if day_kind != dir_kind or not DATE.match(day):
                continue
            found += [
                f"{DATA}/{partition}/{day}/{name}"
                for name, name_kind in root.entries(f"{DATA}/{partition}/{day}")
                if name_kind == file_kind and name.startswith("part-") and name.endswith(".parquet")
            ]
    return found
