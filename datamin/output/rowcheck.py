"""Rows against the commits of record, for `dispose --verify`: every Parquet file a reader sees
was committed by a run, holds the rows its manifest records for it, and no source's rows come
from two runs (a re-run of a source replaces all its earlier rows: two runs' rows of one source
are rows twice). A stream's batches are many runs of one source: their record ranges must not
overlap instead.

The record of a file is the newest commit listing it (`manifest.file_index`: a re-run may
rewrite the same names; a file rewritten without a replaced source keeps its other sources'
runs, and a compaction's merged files the runs of the files it merged). Audits of versions that
listed files inline are read as well; those that recorded no per-file rows are checked for
presence only.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from datamin.output.layout import DATA, DATE, PARTITION, OutputLayout
from datamin.output.manifest import file_index


def verify_rows(layout: OutputLayout) -> list[str]:
    """Problems found, one line each by path (no values); [] when the rows are as committed.
    Local outputs, read under the lock, never through a link (a link is `--verify`'s to list)."""
    import pyarrow.parquet as pq

    from datamin.output.nofollow import DIR, FILE, Root

    records = list(layout.run_records())
    streamed: set[str] = set()  # a stream's batches: many runs of one source, by design
    ranges: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for audit in records:
        stream = audit.get("stream")
        if isinstance(stream, dict) and isinstance(audit.get("run_id"), str):
            streamed.add(audit["run_id"])
            first, last = stream.get("first"), stream.get("last")
            if isinstance(first, int) and isinstance(last, int):
                ranges[str(stream.get("source_id"))].append((first, last, audit["run_id"]))
    index = file_index(layout, records)
    problems = list(index.problems)
    runs_of_source: dict[str, set[str]] = defaultdict(set)
    with Root(layout.local) as root:
        for relative in _visible_parquet(root, DIR, FILE):
            entry = index.files.get(relative)
            if entry is None:
                problems.append(f"{relative}: in no run's audit record")
                continue
            try:
                with root.open_file(relative) as f:
                    held = pq.read_metadata(f).num_rows if f is not None else None
            except (OSError, ValueError):
                held = None
            if held is None:
                problems.append(f"{relative}: not a readable Parquet file")
                continue
            if entry.rows is not None and held != entry.rows:
                problems.append(
                    f"{relative}: holds {held} rows, run {entry.run} recorded {entry.rows}"
                )
            for source, runs in entry.runs.items():
                runs_of_source[source] |= runs or {entry.run}
    for source, batches in sorted(ranges.items()):
        batches.sort()
        for (_, last, run), (first, _, nxt) in itertools.pairwise(batches):
            if first <= last:
                problems.append(f"stream {source}: batches {run} and {nxt} overlap (rows twice)")
    for source, runs in sorted(runs_of_source.items()):
        if len(runs) > 1 and not runs <= streamed:
            problems.append(f"source {source}: rows from runs {', '.join(sorted(runs))} (twice)")
    return problems


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
