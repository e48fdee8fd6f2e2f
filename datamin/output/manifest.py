"""A commit's manifest: the data files it made visible, each with the rows of every source it
holds, and the files it removed. `_audit/manifests/<run_id>.json`, written through the commit
protocol with the audit record, which counts the files and holds the manifest's SHA-256 (an
audit lists no data file itself).

    {"run_id": "...", "version": 1,
     "files": {"data/retention=c/date=d/part-<key>-<first>.parquet":
                   {"rows": 12, "segments": [["<source>", 5], ["<source>", 7]],
                    "runs": {"<source>": ["<run id>"]}}},
     "rewritten": {...the same, for earlier files rewritten without replaced sources...},
     "removed": ["data/..."]}

`segments` are a file's rows in order, each a stretch of one source's rows; `runs` says whose
rows they are: the run that read the source (a file rewritten without a replaced source, or a
compaction, keeps the runs its rows came from). A source is its key (`sources.source_key`, a
stream's id): keyed hashes, never a value.

The audit of record for a data file is the newest commit listing it (`file_index`). Earlier
versions listed files inline (`files_written`, `rows_by_file`) and named each after its one
source (`part-<source>-<first>.parquet`); their audits are read the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from datamin.errors import OutputError
from datamin.output.layout import DATA_NAME, MANIFESTS, RUN_ID, OutputLayout

VERSION = 1
KIND_COMPACT = "compact"


@dataclass(frozen=True)
class FileEntry:
    """What a data file holds, as the commit of record (`run`) lists it."""

    run: str
    rows: int | None  # None: listed by a version that recorded no rows
    segments: tuple[tuple[str, int | None], ...]  # (source, rows) in row order
    runs: Mapping[str, frozenset[str]]  # source -> the runs whose rows of it the file holds

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "segments": [[s, n] for s, n in self.segments],
            "runs": {s: sorted(r) for s, r in sorted(self.runs.items())},
        }


def new_entry(run_id: str, segments: Iterable[tuple[str, int]]) -> FileEntry:
    """A file a run wrote: every row its own."""
    found = merged_segments(segments)
    return FileEntry(
        run_id,
        sum(n for _, n in found),
        found,
        {s: frozenset({run_id}) for s, _ in found},
    )


def merged_segments(
    segments: Iterable[tuple[str, int | None]],
) -> tuple[tuple[str, int | None], ...]:
    """Segments with neighbours of one source joined and empty ones left out."""
    out: list[tuple[str, int | None]] = []
    for source, n in segments:
        if n == 0:
            continue
        if out and out[-1][0] == source:
            before = out[-1][1]
            out[-1] = (source, None if before is None or n is None else before + n)
        else:
            out.append((source, n))
    return tuple(out)


@dataclass(frozen=True)
class Manifest:
    run_id: str
    files: dict[str, FileEntry]  # written by this commit
    rewritten: dict[str, FileEntry] = field(default_factory=dict)
    removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "version": VERSION,
            "files": {rel: e.to_json() for rel, e in sorted(self.files.items())},
            "rewritten": {rel: e.to_json() for rel, e in sorted(self.rewritten.items())},
            "removed": sorted(self.removed),
        }


def body(manifest: dict[str, Any]) -> bytes:
    """A manifest's bytes, the same for the same manifest (its hash is in the audit)."""
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()


def sha256(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(body(manifest)).hexdigest()


def parse(value: object, run_id: str) -> Manifest:
    """A manifest as a commit wrote it (in an intent, or its file); `ValueError` or `TypeError`
    for anything else, paths outside `data/` included."""
    if not isinstance(value, dict) or value.get("run_id") != run_id:
        raise ValueError("not this run's manifest")
    files, rewritten = value.get("files"), value.get("rewritten", {})
    removed = value.get("removed", [])
    if not isinstance(files, dict) or not isinstance(rewritten, dict):
        raise TypeError("no files")
    if not isinstance(removed, list):
        raise TypeError("no removed files")
    for rel in [*files, *rewritten, *removed]:
        check_data_path(rel)
    return Manifest(
        run_id,
        {rel: _entry(run_id, e) for rel, e in files.items()},
        {rel: _entry(run_id, e) for rel, e in rewritten.items()},
        tuple(removed),
    )


def check_data_path(rel: object) -> None:
    """A data file's path relative to the output, as a manifest lists it."""
    if not isinstance(rel, str):
        raise TypeError("not a path")
    if OutputLayout.partition_of(rel) is None or not DATA_NAME.match(rel.rsplit("/", 1)[-1]):
        raise ValueError("not a data file's path")


def _entry(run_id: str, value: object) -> FileEntry:
    if not isinstance(value, dict):
        raise TypeError("not a file entry")
    rows, segments, runs = value.get("rows"), value.get("segments"), value.get("runs")
    if not _count(rows) or not isinstance(segments, list) or not isinstance(runs, dict):
        raise TypeError("not a file entry")
    found = []
    for segment in segments:
        if not isinstance(segment, list) or len(segment) != 2:
            raise TypeError("not a segment")
        source, n = segment
        if not isinstance(source, str) or not _count(n):
            raise TypeError("not a segment")
        found.append((source, n))
    by_source = {}
    for source, names in runs.items():
        if not isinstance(names, list) or not all(isinstance(r, str) for r in names):
            raise TypeError("not a list of runs")
        by_source[source] = frozenset(names)
    if sum(n for _, n in found) != rows or {s for s, _ in found} != set(by_source):
        raise ValueError("segments that do not add up")
    return FileEntry(run_id, rows, tuple(found), by_source)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# -- reading an output's manifests ---------------------------------------------------------------


def read(layout: OutputLayout, audit: dict[str, Any]) -> Manifest:
    """The manifest of a committed run whose audit names one, checked against the hash its
    audit holds; `OutputError` (one line) when it is missing or does not match."""
    run_id = audit.get("run_id")
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        raise OutputError("an audit record without a run id")
    where = f"{layout.relative(layout.manifest(run_id))}"
    raw = _read_bytes(layout, where)
    if raw is None:
        raise OutputError(f"{where}: missing (run {run_id} lists its files there)")
    if hashlib.sha256(raw).hexdigest() != audit.get("manifest_sha256"):
        raise OutputError(f"{where}: not the manifest run {run_id}'s audit record holds")
    try:
        return parse(json.loads(raw), run_id)
    except (ValueError, TypeError):
        raise OutputError(f"{where}: damaged") from None


def _read_bytes(layout: OutputLayout, rel: str) -> bytes | None:
    if layout.is_local:
        from datamin.output.nofollow import Root

        with Root(layout.local) as root:
            return root.read(rel)  # never through a link
    from apache_beam.io.filesystems import FileSystems

    try:
        with FileSystems.open(layout.join(rel)) as f:
            return f.read()
    except OSError:
        return None


def has_manifest(audit: dict[str, Any]) -> bool:
    return "manifest_sha256" in audit


def files_of(layout: OutputLayout, audit: dict[str, Any]) -> list[str]:
    """The data files a committed run wrote (a compaction: merged), relative to the output:
    from its manifest, or as an earlier version's audit listed them. Raises `OutputError` for
    a manifest that is missing or damaged."""
    if has_manifest(audit):
        return sorted(read(layout, audit).files)
    written = audit.get("files_written")
    return [f for f in written if isinstance(f, str)] if isinstance(written, list) else []


@dataclass
class FileIndex:
    """Every data file some commit lists and no later one removed, with its entry of record;
    `problems`: audits and manifests that could not be read, one line each, no values."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def damaged(self) -> list[str]:
        """The manifests missing or damaged: whatever their files hold is unknown."""
        return [p for p in self.problems if p.startswith(MANIFESTS)]


def file_index(layout: OutputLayout, records: Iterable[dict[str, Any]] | None = None) -> FileIndex:
    """What every committed run says about the data files, oldest first, the newest commit
    listing a file its record (`records`: the output's audits, oldest first, if read already)."""
    index = FileIndex()
    for audit in layout.run_records() if records is None else records:
        run_id = audit.get("run_id")
        if not isinstance(run_id, str) or not RUN_ID.match(run_id):
            index.problems.append("_audit/runs: an audit record without a run id or its files")
            continue
        if has_manifest(audit):
            try:
                manifest = read(layout, audit)
            except OutputError as exc:
                index.problems.append(str(exc))
                continue
            for rel in manifest.removed:
                index.files.pop(rel, None)
            index.files.update(manifest.rewritten)
            index.files.update(manifest.files)
        elif not _legacy(index, audit, run_id):
            index.problems.append("_audit/runs: an audit record without a run id or its files")
    return index


def _legacy(index: FileIndex, audit: dict[str, Any], run_id: str) -> bool:
    """An audit of a version that listed files inline, each file one source's (by its name). A
    compaction's (`files_compacted`) took over the runs of the files it merged away."""
    written, rows = audit.get("files_written"), audit.get("rows_by_file")
    if not isinstance(written, list):
        return False
    compacted = audit.get("files_compacted") if audit.get("kind") == KIND_COMPACT else None
    taken: dict[str, set[str]] = {}
    for rel in compacted if isinstance(compacted, list) else ():
        gone = index.files.pop(rel, None) if isinstance(rel, str) else None
        if gone is not None:
            for source, runs in gone.runs.items():
                taken.setdefault(source, set()).update(runs)
    for rel in written:
        if not isinstance(rel, str):
            continue
        source = name_source(rel)
        n = rows.get(rel) if isinstance(rows, dict) else None
        n = n if _count(n) else None
        runs = frozenset(taken.get(source) or {run_id})
        index.files[rel] = FileEntry(run_id, n, ((source, n),), {source: runs})
    return True


def name_source(rel: str) -> str:
    """The source key a file of an earlier version is named by (`part-<source>-<first>`)."""
    parts = rel.rsplit("/", 1)[-1].split("-")
    return parts[1] if len(parts) > 1 else ""


def entry_by_name(rel: str, rows: int | None = None) -> FileEntry:
    """A visible file no commit lists, taken for what its name says (one source's, as earlier
    versions named every file): a run of that source replaces it, as it did then."""
    source = name_source(rel)
    return FileEntry("", rows, ((source, rows),), {source: frozenset()})
