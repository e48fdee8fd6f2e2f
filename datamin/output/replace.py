"""What a commit makes visible and what it takes away: the plan between a run's staged files and
its intent (`datamin.output.commit`).

A data file holds the rows of many sources (`datamin.pipelines.parquet_sink`), and the output's
manifests say which (`datamin.output.manifest`). A run replaces the earlier rows of the sources
it read (`sources.replaced_keys`): an earlier file holding only such sources is deleted (or
overwritten, when the run writes a file of that name); one that also holds other sources' rows is
rewritten into the run's staging area without the replaced ones (its other rows, row order and
footer as they were) and moved over the original like any staged file, its manifest entry
keeping the runs its rows came from. A visible file no commit lists is taken for what its name
says, as earlier versions named files (one source's).

A staged file never replaces a visible file the run does not replace whole: one whose name is
taken so is renamed in the staging area first (`-<n>`). Works on any Beam filesystem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from datamin.errors import OutputError
from datamin.output.layout import DATA, DATA_NAME, MANIFESTS, OutputLayout, data_name
from datamin.output.manifest import (
    FileEntry,
    Manifest,
    entry_by_name,
    file_index,
    merged_segments,
    new_entry,
)


@dataclass(frozen=True)
class CommitPlan:
    """A run's data files, checked and planned: what its intent moves and deletes, and the
    manifest that lists them."""

    manifest: Manifest
    rows: dict[str, int]  # each staged file's rows (its footer), by its staged path

    @property
    def moves(self) -> list[str]:
        """Staged data files to move into place, relative to the output."""
        return sorted([*self.manifest.files, *self.manifest.rewritten])

    @property
    def delete(self) -> list[str]:
        return sorted(self.manifest.removed)

    @property
    def files_replaced(self) -> int:
        """Earlier files this commit deletes or rewrites."""
        return len(self.manifest.removed) + len(self.manifest.rewritten)

    def audit_fields(self) -> dict[str, Any]:
        """What the audit record says of the data files (the manifest lists them)."""
        from datamin.output.manifest import sha256

        body = self.manifest.to_json()
        return {
            "files_written": len(self.manifest.files),
            "files_rewritten": len(self.manifest.rewritten),
            "files_replaced": self.files_replaced,
            "manifest": f"{MANIFESTS}/{self.manifest.run_id}.json",
            "manifest_sha256": sha256(body),
        }

    def intent(self, audit: dict[str, Any], quarantine: Sequence[str] = ()) -> Any:
        from datamin.output.commit import Intent

        files = [*self.moves, *sorted(quarantine)]  # data first, as the audit lists them
        return Intent(self.manifest.run_id, files, self.delete, audit, self.manifest.to_json())


def plan_commit(
    layout: OutputLayout,
    run_id: str,
    staged: Sequence[Any],
    counted: dict[str, int],
    replaced: AbstractSet[str] = frozenset(),
) -> CommitPlan:
    """Check the staged files (`parquet_sink.StagedFile`s, in `layout.staging(run_id)`) against
    the rows the run counted by class, and plan the commit of a run that replaces the sources
    `replaced` (none: a stream's batch). Rewritten files are written into the staging area
    now; a damaged manifest of an earlier run fails the commit (its files' sources unknown)."""
    from datamin.output.runrecord import staged_relative

    staging = layout.staging(run_id)
    rows = check_rows([f.path for f in staged], counted)
    for f in staged:
        if rows[f.path] != f.rows or sum(n for _, n in f.segments) != f.rows:
            raise OutputError(
                f"{staging.relative(f.path)} holds {rows[f.path]} rows, its writer listed "
                f"{f.rows}; the run is not committed"
            )
    by_rel = dict(zip(staged_relative(staging, [f.path for f in staged]), staged, strict=True))
    visible, entries = _visible(layout, replaced)
    delete: list[str] = []
    partial: list[tuple[str, FileEntry]] = []
    whole: set[str] = set()  # visible files this run replaces whole
    for rel in sorted(entries):
        entry = entries[rel]
        if not entry.sources & replaced:
            continue
        if entry.sources <= replaced:
            whole.add(rel)
            if rel not in by_rel:
                delete.append(rel)
        else:
            partial.append((rel, entry))
    taken = set(visible) if visible is not None else None
    files: dict[str, FileEntry] = {}
    for rel, f in sorted(by_rel.items()):
        if rel not in whole and _exists(layout, rel, taken):
            rel = _rename(layout, staging, rel, taken, set(by_rel) | set(files))
        files[rel] = new_entry(run_id, f.segments)
    rewritten = {rel: _rewrite(layout, staging, rel, e, replaced, run_id) for rel, e in partial}
    return CommitPlan(Manifest(run_id, files, rewritten, tuple(delete)), rows)


def check_rows(files: list[str], counted: dict[str, int]) -> dict[str, int]:
    """The files the pipeline listed hold exactly the rows it counted, per class (footers only),
    before anything of an earlier run is removed; returns each file's rows. A runner that lost a
    bundle's list of files (Beam's own DaskRunner drops what finish_bundle emits) or kept a
    failed attempt's fails the run here, instead of deleting committed rows or committing
    duplicates."""
    held: Counter[str] = Counter()
    rows = {}
    for path in files:
        cls, rows[path] = _footer(path)
        held[cls] += rows[path]
    expected = {cls: n for cls, n in counted.items() if n}
    if dict(held) != expected:
        raise OutputError(
            f"the files this run listed hold {sum(held.values())} rows, it counted "
            f"{sum(expected.values())}; the run is not committed"
        )
    return rows


def _footer(path: str) -> tuple[str, int]:
    """A datamin Parquet file's retention class and row count, from its footer."""
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as f:
        meta = pq.ParquetFile(f).metadata
    return meta.metadata[b"datamin.retention_class"].decode(), meta.num_rows


def _visible(
    layout: OutputLayout, replaced: AbstractSet[str]
) -> tuple[list[str] | None, dict[str, FileEntry]]:
    """The visible data files, each with its entry of record (None and {} when the run
    replaces nothing: it need not list them)."""
    if not replaced:
        return None, {}
    from apache_beam.io.filesystems import FileSystems

    index = file_index(layout)
    if index.damaged:
        raise OutputError(f"{index.damaged[0]}; the run is not committed")
    visible = []
    # `**` rather than one `*` per level: an object store lists by prefix, and `data/` is one.
    for match in FileSystems.match([layout.join(DATA, "**")])[0].metadata_list:
        rel = layout.relative(match.path)
        name = rel.rsplit("/", 1)[-1]
        partition = layout.partition_of(rel)
        if partition and name.startswith("part-") and name.endswith(".parquet"):
            visible.append(rel)
    return visible, {rel: index.files.get(rel) or entry_by_name(rel) for rel in visible}


def _exists(layout: OutputLayout, rel: str, taken: set[str] | None) -> bool:
    if taken is not None:
        return rel in taken
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.exists(layout.join(rel))


def _rename(
    layout: OutputLayout, staging: OutputLayout, rel: str, taken: set[str] | None, mine: set[str]
) -> str:
    """A staged file renamed to the first free `-<n>` of its name; returns its new path."""
    from apache_beam.io.filesystems import FileSystems

    folder, name = rel.rsplit("/", 1)
    m = DATA_NAME.match(name)
    if m is None:
        raise OutputError(f"{rel}: not a data file's name; the run is not committed")
    n = int(m.group(3) or 0) + 1
    while True:
        new = f"{folder}/{data_name(m.group(1), int(m.group(2)), n)}"
        if new not in mine and not _exists(layout, new, taken):
            FileSystems.rename([staging.join(rel)], [staging.join(new)])
            return new
        n += 1


def _rewrite(
    layout: OutputLayout,
    staging: OutputLayout,
    rel: str,
    entry: FileEntry,
    replaced: AbstractSet[str],
    run_id: str,
) -> FileEntry:
    """`rel` written into the staging area without the rows of `replaced` sources: the other
    rows in their order, whole row groups, the same schema and footer. Its entry keeps the runs
    its rows came from; `run_id` is the commit that lists it now."""
    import pyarrow.parquet as pq
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    from datamin.output.merge import stored_schema, write_row_groups

    if any(n is None for _, n in entry.segments):
        raise OutputError(f"{rel}: its sources' rows are not recorded; the run is not committed")
    kept = merged_segments((s, n) for s, n in entry.segments if s not in replaced)
    keep = _ranges(entry.segments, replaced)
    expected = sum(n for _, n in keep)
    with FileSystems.open(layout.join(rel), compression_type=CompressionTypes.UNCOMPRESSED) as f:
        parquet = pq.ParquetFile(f)
        schema = stored_schema(parquet)
        if parquet.metadata.num_rows != entry.rows:
            raise OutputError(
                f"{rel} holds {parquet.metadata.num_rows} rows, its manifest {entry.rows}; "
                "the run is not committed"
            )
        out = FileSystems.create(staging.join(rel))
        with out, pq.ParquetWriter(out, schema, compression="zstd") as writer:
            written = write_row_groups(writer, _kept_rows(parquet, keep), schema.metadata)
    if written != expected:
        raise OutputError(f"{rel} rewritten with {written} rows, not {expected}")
    runs = {s: entry.runs[s] for s, _ in kept}
    return FileEntry(run_id, expected, kept, runs)


def _ranges(
    segments: Sequence[tuple[str, int | None]], replaced: AbstractSet[str]
) -> list[tuple[int, int]]:
    """(start, rows) of the stretches of rows to keep, in order."""
    keep: list[tuple[int, int]] = []
    at = 0
    for source, n in segments:
        assert n is not None
        if source not in replaced:
            if keep and keep[-1][0] + keep[-1][1] == at:
                keep[-1] = (keep[-1][0], keep[-1][1] + n)
            else:
                keep.append((at, n))
        at += n
    return keep


def _kept_rows(parquet: Any, keep: list[tuple[int, int]]) -> Iterator[Any]:
    """The rows in `keep`, read row group by row group."""
    start = 0
    for i in range(parquet.num_row_groups):
        size = parquet.metadata.row_group(i).num_rows
        wanted = [(max(a, start), min(a + n, start + size)) for a, n in keep if a < start + size]
        wanted = [(a, b) for a, b in wanted if a < b]
        if wanted:
            table = parquet.read_row_group(i)
            for a, b in wanted:
                yield table.slice(a - start, b - a)
        start += size
