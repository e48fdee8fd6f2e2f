"""Parquet output: `DIR/data/retention=<class>/date=<YYYY-MM-DD>/part-<key>-<first>.parquet`.

One writer (a worker's bundle, a stream's batch) writes one file per class and date, whatever
the number of sources its records come from, and rolls to a new file past `TARGET_FILE_ROWS`
rows or `TARGET_FILE_BYTES` (the rows' size in memory, before compression): files of a useful
size, not one per source. Each file's rows are kept in stretches of one source (`segments`,
rows sorted by source within each row group written), which the commit records in the run's
manifest (`datamin.output.manifest`), so that a later run of some of those sources can rewrite
the file without them.

Files appear only complete: rows go to a hidden temporary file (readers skip names starting
with `.`), which is renamed when closed. Its name derives from its sources' keys (keyed
hashes) and the position of its first record (`layout.data_name`), so the same inputs written
the same way get the same names. The schema of a class is fixed by the policy: `record_id`, the
columns its rules declare, and a `fields` map for kept fields without a column.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from datamin.output.layout import OutputLayout, data_name, files_key
from datamin.output.schema import class_schema
from datamin.policies.compiled import CompiledPolicy

ROW_GROUP_ROWS = 10_000
# A file rolls to the next once it holds this many rows, or this many bytes of them in memory
# (Arrow's size, uncompressed: the file is some times smaller).
TARGET_FILE_ROWS = 1_000_000
TARGET_FILE_BYTES = 512 << 20


@dataclass(frozen=True)
class StagedFile:
    """A data file a writer closed: its path, its rows, and its rows' sources in order."""

    path: str
    rows: int
    segments: tuple[tuple[str, int], ...]  # (source key, rows), neighbours of one source joined

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "rows": self.rows, "segments": [list(s) for s in self.segments]}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> StagedFile:
        segments = tuple((str(s), int(n)) for s, n in value["segments"])
        return cls(str(value["path"]), int(value["rows"]), segments)


@dataclass
class _OpenFile:
    temp: str
    handle: Any
    writer: pq.ParquetWriter
    buffer: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (source, row)
    segments: list[tuple[str, int]] = field(default_factory=list)  # of the rows written
    firsts: dict[str, int] = field(default_factory=dict)  # source -> its first record's index
    rows: int = 0  # written and buffered
    size: int = 0  # Arrow bytes written


class PartitionWriter:
    """Open Parquet files of one bundle, one per (class, date)."""

    def __init__(self, output: str, policy: CompiledPolicy, run_id: str) -> None:
        self.output = output
        self.layout = OutputLayout(output)
        self.policy = policy
        self.run_id = run_id
        self._schemas = {c: class_schema(policy, c, run_id) for c in policy.retention}
        self._open: dict[tuple[str, str], _OpenFile] = {}
        self._names: set[str] = set()  # every path this writer closed a file under

    def add(
        self, source_key: str, index: int, day: str, rows: dict[str, dict[str, Any]]
    ) -> list[StagedFile]:
        """Add one record's rows (`index`: its position in its source); returns the files this
        closed (full: the next rows of their class and date go to a new file)."""
        closed = []
        for retention, row in rows.items():
            key = (retention, day)
            f = self._open.get(key) or self._start(key)
            f.buffer.append((source_key, row))
            f.firsts.setdefault(source_key, index)
            f.rows += 1
            if len(f.buffer) >= ROW_GROUP_ROWS:
                self._flush(f, retention)
            if f.rows >= TARGET_FILE_ROWS or f.size >= TARGET_FILE_BYTES:
                closed.append(self._close(key))
        return closed

    def close_all(self) -> list[StagedFile]:
        return [self._close(key) for key in sorted(self._open)]

    def abort(self) -> None:
        """Drop every unfinished file (a failed bundle is retried whole). Never raises: it runs
        while another error (often a full disk, which fails these closes too) propagates."""
        for f in self._open.values():
            _discard(f.temp, f.writer, f.handle)
        self._open.clear()

    def _start(self, key: tuple[str, str]) -> _OpenFile:
        retention, day = key
        # Hidden, and one per attempt: a retried bundle never writes into a failed one's file.
        temp = self.layout.data_file(retention, day, f".part-{secrets.token_hex(8)}.tmp")
        handle = FileSystems.create(temp)
        try:
            writer = pq.ParquetWriter(handle, self._schemas[retention], compression="zstd")
        except BaseException:
            _discard(temp, handle)
            raise
        f = _OpenFile(temp, handle, writer)
        self._open[key] = f
        return f

    def _flush(self, f: _OpenFile, retention: str) -> None:
        """The buffered rows as one row group, each source's rows together (in arrival order)."""
        if not f.buffer:
            return
        rows = sorted(f.buffer, key=lambda pair: pair[0])  # stable: a source's order stays
        table = pa.Table.from_pylist(
            [_map_fields(r) for _, r in rows], schema=self._schemas[retention]
        )
        f.writer.write_table(table, row_group_size=len(rows))
        f.size += table.nbytes
        for source, _ in rows:
            if f.segments and f.segments[-1][0] == source:
                f.segments[-1] = (source, f.segments[-1][1] + 1)
            else:
                f.segments.append((source, 1))
        f.buffer.clear()

    def _close(self, key: tuple[str, str]) -> StagedFile:
        f = self._open.pop(key)
        try:
            self._flush(f, key[0])
            f.writer.close()
            f.handle.close()
            final = self._name(key, f)
            FileSystems.rename([f.temp], [final])
        except BaseException:
            _discard(f.temp, f.writer, f.handle)  # no longer in `_open`: `abort` misses it
            raise
        return StagedFile(final, f.rows, tuple(f.segments))

    def _name(self, key: tuple[str, str], f: _OpenFile) -> str:
        """Named by its sources and its earliest first record; a name this writer gave already
        (a stream's window: one position for all its records) gets `-<n>`."""
        retention, day = key
        name_key, first = files_key(f.firsts), min(f.firsts.values())
        n = 0
        while True:
            final = self.layout.data_file(retention, day, data_name(name_key, first, n))
            if final not in self._names:
                self._names.add(final)
                return final
            n += 1


def _discard(temp: str, *closables: Any) -> None:
    for c in closables:
        with contextlib.suppress(Exception):
            c.close()
    with contextlib.suppress(Exception):
        FileSystems.delete([temp])


def _map_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields = row.get("fields")
    if isinstance(fields, dict):
        row = dict(row)
        row["fields"] = list(fields.items())
    return row
