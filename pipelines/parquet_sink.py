"""Parquet output: `DIR/data/retention=<class>/date=<YYYY-MM-DD>/part-<source>-<first>.parquet`.

Files appear only complete: rows go to a hidden temporary file (readers skip names starting
with `.`), which is renamed into place when closed. A file's name derives from a keyed hash of
its source path and the position of its first record, so re-running the same input rewrites the
same names instead of adding copies. The schema of a class is fixed by the policy: `record_id`,
the columns its rules declare, and a `fields` map for kept fields without a column.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from datamin.output.layout import OutputLayout
from datamin.output.schema import class_schema
from datamin.policies.compiled import CompiledPolicy

ROW_GROUP_ROWS = 10_000
# Records of one source that share a file; a longer source is split into several files.
CHUNK_RECORDS = 200_000


@dataclass
class _OpenFile:
    final: str
    temp: str
    handle: Any
    writer: pq.ParquetWriter
    buffer: list[dict[str, Any]]
    chunk: int


class PartitionWriter:
    """Open Parquet files of one bundle, keyed by (class, date, source, chunk)."""

    def __init__(self, output: str, policy: CompiledPolicy, run_id: str) -> None:
        self.output = output
        self.layout = OutputLayout(output)
        self.policy = policy
        self.run_id = run_id
        self._schemas = {c: class_schema(policy, c, run_id) for c in policy.retention}
        self._open: dict[tuple[str, str, str, int], _OpenFile] = {}

    def add(
        self, source_key: str, index: int, day: str, rows: dict[str, dict[str, Any]]
    ) -> list[str]:
        """Add one record's rows; returns the paths of files this closed (a finished chunk)."""
        chunk = index // CHUNK_RECORDS
        closed = self._close_where(lambda k: k[2] == source_key and k[3] != chunk)
        for retention, row in rows.items():
            key = (retention, day, source_key, chunk)
            f = self._open.get(key) or self._start(key, index)
            f.buffer.append(row)
            if len(f.buffer) >= ROW_GROUP_ROWS:
                self._flush(f, retention)
        return closed

    def close_all(self) -> list[str]:
        return self._close_where(lambda k: True)

    def abort(self) -> None:
        """Drop every unfinished file (a failed bundle is retried whole). Never raises: it runs
        while another error (often a full disk, which fails these closes too) propagates."""
        for f in self._open.values():
            _discard(f.temp, f.writer, f.handle)
        self._open.clear()

    def _start(self, key: tuple[str, str, str, int], index: int) -> _OpenFile:
        retention, day, source_key, chunk = key
        name = f"part-{source_key}-{index:010d}.parquet"
        final = self.layout.data_file(retention, day, name)
        # Hidden, and one per attempt: a retried bundle never writes into a failed one's file.
        temp = self.layout.data_file(retention, day, f".{name}.{secrets.token_hex(4)}.tmp")
        handle = FileSystems.create(temp)
        try:
            writer = pq.ParquetWriter(handle, self._schemas[retention], compression="zstd")
        except BaseException:
            _discard(temp, handle)
            raise
        f = _OpenFile(final, temp, handle, writer, [], chunk)
        self._open[key] = f
        return f

    def _flush(self, f: _OpenFile, retention: str) -> None:
        if f.buffer:
            table = pa.Table.from_pylist(
                [_map_fields(r) for r in f.buffer], schema=self._schemas[retention]
            )
            f.writer.write_table(table)
            f.buffer.clear()

    def _close_where(self, predicate: Any) -> list[str]:
        done = [k for k in self._open if predicate(k)]
        paths = []
        for key in done:
            f = self._open.pop(key)
            try:
                self._flush(f, key[0])
                f.writer.close()
                f.handle.close()
                FileSystems.rename([f.temp], [f.final])
            except BaseException:
                _discard(f.temp, f.writer, f.handle)  # no longer in `_open`: `abort` misses it
                raise
            paths.append(f.final)
        return paths


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
