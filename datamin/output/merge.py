"""Writing one merged data file for `datamin compact`: the rows of a partition's files, in file
order, into a new file in the compaction's staging area, whole row groups, synced, never through
a link; its footer as the files' (with the compaction's run id where they came from several
runs). `write_row_groups` and `stored_schema` serve a run's rewrite of a shared file too
(`datamin.output.replace`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from datamin.errors import OutputError
from datamin.output.nofollow import Root

RUN_ID_KEY = b"datamin.run_id"  # the footer key a merge of several runs' files changes


@dataclass(frozen=True)
class DataFile:
    rel: str  # relative to the output
    size: int
    mtime: float


@dataclass
class Merge:
    """Files of one partition to merge into one, in name order; the merged file takes the
    first's name. `entry`: what it holds (`datamin.output.manifest`), for the manifest."""

    files: list[DataFile]
    schema: Any  # pyarrow.Schema, with the files' footer metadata
    rows: int
    several_runs: bool  # the files' footers name more than one run
    entry: Any = None  # manifest.FileEntry


def write_merged(root: Root, staged: str, merge: Merge, run_id: str) -> tuple[int, int]:
    """The merged file, written new into the staging area (never through a link) and synced:
    the files it replaces are deleted once it commits. Returns its rows and bytes."""
    import pyarrow.parquet as pq

    schema = merge.schema
    if merge.several_runs:
        schema = schema.with_metadata({**(schema.metadata or {}), RUN_ID_KEY: run_id.encode()})
    folder, name = staged.rsplit("/", 1)
    root.makedirs(folder)
    with root.opened(folder) as dir_fd:
        if dir_fd is None:
            raise OutputError(f"{folder} is a link; datamin never follows a link inside an output")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(name, flags, 0o644, dir_fd=dir_fd)
    with os.fdopen(fd, "wb") as sink:
        with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
            write_row_groups(writer, _tables(root, merge.files), schema.metadata)
        sink.flush()
        os.fsync(sink.fileno())
        size = sink.tell()
    with root.open_file(staged) as handle:
        held = pq.read_metadata(handle).num_rows if handle is not None else -1
    return held, size


def _tables(root: Root, files: list[DataFile]) -> Iterator[Any]:
    """Each file's rows, row group by row group, in file order."""
    import pyarrow.parquet as pq

    for f in files:
        with root.open_file(f.rel) as handle:
            if handle is None:
                raise OutputError(f"{f.rel} changed while it was compacted")
            parquet = pq.ParquetFile(handle)
            for i in range(parquet.num_row_groups):
                yield parquet.read_row_group(i)


def write_row_groups(writer: Any, tables: Iterator[Any], metadata: Any) -> int:
    """Write `tables` (one schema, footer `metadata`) in whole row groups of `ROW_GROUP_ROWS`
    (the last one shorter); returns the rows written."""
    from datamin.pipelines.parquet_sink import ROW_GROUP_ROWS

    pending: list[Any] = []
    waiting = written = 0  # rows in `pending`; rows in all
    for table in tables:
        pending.append(table.replace_schema_metadata(metadata))
        waiting += table.num_rows
        written += table.num_rows
        if waiting >= ROW_GROUP_ROWS:
            pending = _write_groups(writer, pending, final=False)
            waiting = sum(t.num_rows for t in pending)
    _write_groups(writer, pending, final=True)
    return written


def stored_schema(parquet: Any) -> Any:
    """A Parquet file's schema as written: the Arrow schema stored in its footer, which a file
    written with it stores again byte for byte (the one read back from the Parquet schema names
    a map's entries otherwise)."""
    import base64

    import pyarrow as pa

    stored = (parquet.metadata.metadata or {}).get(b"ARROW:schema")
    if stored is None:
        return parquet.schema_arrow
    return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(stored)))


def _write_groups(writer: Any, pending: list[Any], *, final: bool) -> list[Any]:
    """Write whole row groups of `ROW_GROUP_ROWS` from `pending` (and the rest too, if
    `final`); returns what is left to write."""
    import pyarrow as pa

    from datamin.pipelines.parquet_sink import ROW_GROUP_ROWS

    if not pending:
        return []
    table = pa.concat_tables(pending)
    whole = table.num_rows if final else table.num_rows - table.num_rows % ROW_GROUP_ROWS
    if whole:
        writer.write_table(table.slice(0, whole), row_group_size=ROW_GROUP_ROWS)
    return [table.slice(whole)] if whole < table.num_rows else []
