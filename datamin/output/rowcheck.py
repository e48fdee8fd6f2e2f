"""Rows against the audits of record, for `dispose --verify`: every Parquet file a reader sees
was committed by a run, holds the rows that run's audit records for it, and no source's rows
come from two runs (a re-run of a source replaces all its earlier files, so two runs' files of
one source are rows twice).

The audit of record for a file is the newest audit listing it (a re-run rewrites the same
names). Audits of versions that recorded no per-file rows are checked for presence only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from datamin.output.layout import AUDIT, DATA, DATE, PARTITION, RUN_ID, OutputLayout


def verify_rows(layout: OutputLayout) -> list[str]:
    """Problems found, one line each by path (no values); [] when the rows are as audited.
    Local outputs, read under the lock."""
    import pyarrow.parquet as pq

    root = layout.local
    claims: dict[str, tuple[str, int | None]] = {}  # relative path -> (run, rows recorded)
    problems: list[str] = []
    for audit_path in sorted((root / AUDIT / "runs").glob("*.json")):
        run_id = audit_path.name.removesuffix(".json")
        if not RUN_ID.match(run_id):
            continue
        try:
            audit = json.loads(audit_path.read_text())
            written, rows = audit.get("files_written", []), audit.get("rows_by_file", {})
        except (OSError, ValueError, AttributeError):
            problems.append(f"{AUDIT}/runs/{audit_path.name}: unreadable audit record")
            continue
        for relative in written:
            claims[relative] = (run_id, rows.get(relative) if isinstance(rows, dict) else None)
    runs_of_source: dict[str, set[str]] = defaultdict(set)
    for path in _visible_parquet(root):
        relative = path.relative_to(root).as_posix()
        claim = claims.get(relative)
        if claim is None:
            problems.append(f"{relative}: in no run's audit record")
            continue
        run_id, recorded = claim
        try:
            held = pq.read_metadata(path).num_rows
        except (OSError, ValueError):
            problems.append(f"{relative}: not a readable Parquet file")
            continue
        if recorded is not None and held != recorded:
            problems.append(f"{relative}: holds {held} rows, run {run_id} recorded {recorded}")
        runs_of_source[path.name.split("-")[1]].add(run_id)
    for source, runs in sorted(runs_of_source.items()):
        if len(runs) > 1:
            problems.append(f"source {source}: rows from runs {', '.join(sorted(runs))} (twice)")
    return problems


def _visible_parquet(root: Path) -> list[Path]:
    """Data files a reader of `data/` opens (hidden names skipped; links never followed)."""
    found = []
    data = root / DATA
    if data.is_dir() and not data.is_symlink():
        for partition in sorted(data.iterdir()):
            if not PARTITION.match(partition.name) or partition.is_symlink():
                continue
            for day in sorted(partition.iterdir()):
                if not DATE.match(day.name) or day.is_symlink() or not day.is_dir():
                    continue
                found += sorted(
                    f
                    for f in day.iterdir()
                    if f.name.startswith("part-") and f.name.endswith(".parquet")
                )
    return found
