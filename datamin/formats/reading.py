"""Opening a file, any format: decompressed, buffered, its format recognized, read by that format.

Files are opened through Beam's filesystems, so `gs://` and `s3://` work where those extras are
installed. Nothing here judges a record: only what makes a file unreadable as a whole is
reported here, as `Unreadable`; the minimize step quarantines every other failure.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
from collections.abc import Callable, Iterator
from typing import IO

from datamin.core.records import Item, Unreadable, disk_path, source_shape
from datamin.errors import LimitExceeded
from datamin.formats.registry import BOM, Format, detect_format, format_named

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 65536
# Zip-bomb defence: once a file has decompressed to RATIO_AFTER bytes, an output more than
# MAX_RATIO times what was read ends the file with one quarantined `LimitExceeded`. Ordinary
# logs compress 5-20:1; a run of identical bad lines can pass 500:1 while small, hence the floor.
MAX_RATIO = 500
RATIO_AFTER = 16 * 1024 * 1024


class DecompressionLimit(LimitExceeded):
    """A compressed file expanding past the ratio limit."""


def read_file(
    path: str,
    max_record_bytes: int,
    format: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Item]:
    """Every record of one file, streamed; a failure mid-file ends it with one `Unreadable`.
    `format`: a registered format's name, read whatever the file's name or content say;
    `on_bytes` is told how many bytes of the file have been read, after each record."""
    chosen = format_named(format) if format is not None else None  # an unknown name: at once
    return _read(path, max_record_bytes, chosen, on_bytes)


def _read(
    path: str,
    max_record_bytes: int,
    chosen: Format | None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Item]:
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    if "://" not in path and (shape := special_file(disk_path(path))) is not None:
        # Found in an input folder or by a pattern (one named is refused before the run):
        # opening it would block on a FIFO, or never end on a device.
        yield Unreadable(path, 0, f"InputError: not a regular file ({shape})")
        return
    try:
        handle = FileSystems.open(disk_path(path), compression_type=CompressionTypes.UNCOMPRESSED)
    except Exception as exc:  # noqa: BLE001 - any filesystem's error: the file is unreadable
        yield Unreadable(path, 0, f"InputError: cannot open ({type(exc).__name__})")
        return
    with handle:
        compressed = _Raw(handle)
        stream = io.BufferedReader(compressed, buffer_size=1 << 20)
        # Python's gzip, not Beam's: it raises on a stream cut short instead of ending quietly.
        if stream.peek(2)[:2] == GZIP_MAGIC:
            inflated = _Inflated(gzip.GzipFile(fileobj=stream), compressed)
            stream = io.BufferedReader(inflated, buffer_size=1 << 20)
        try:
            head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]
        except Exception as exc:  # noqa: BLE001
            yield Unreadable(path, 0, f"InputError: cannot read ({type(exc).__name__})")
            return
        if not head.removeprefix(BOM).strip():
            yield Unreadable(path, 0, "InputError: empty file")
            return
        if cr_only(head):
            stream = io.BufferedReader(_LineBreaks(stream), buffer_size=1 << 20)
            head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]
        fmt = chosen or format_named(detect_format(path, head))
        if on_bytes is None:
            yield from fmt.read(path, stream, max_record_bytes)
            return
        for item in fmt.read(path, stream, max_record_bytes):
            yield item
            on_bytes(compressed.total)


class _Raw(io.RawIOBase):
    """Any file object with `read(n)` (Beam's compressed files have no `readinto`) as a raw
    stream, so `io.BufferedReader` can give it `peek` and bounded `readline`."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._error: Exception | None = None
        self.total = 0  # bytes given out so far

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill `buffer` as far as the stream goes. Read in `read1` steps, so that a gzip stream
        cut short first gives what it decoded before the cut (`read(n)` would raise and lose
        it); the error comes on the next call."""
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        read = getattr(self._handle, "read1", self._handle.read)
        n, want = 0, len(buffer)
        while n < want:
            try:
                data = read(want - n)
            except Exception as exc:
                if not n:
                    raise
                self._error = exc
                break
            if not data:
                break
            buffer[n : n + len(data)] = data
            n += len(data)
        self.total += n
        return n


def cr_only(head: bytes) -> bool:
    """Whether a file's lines end in a carriage return alone (classic Mac OS, some exporters):
    its head holds one and no line feed. Text only: a NUL byte says binary, whose bytes no line
    break splits."""
    return b"\r" in head.rstrip(b"\r") and b"\n" not in head and b"\x00" not in head


class _LineBreaks(io.RawIOBase):
    """A stream whose line breaks are carriage returns, each given as a line feed (a CRLF
    there, as one), chunk by chunk: the readers' lines are the file's, in bounded memory."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._after_cr = False  # the last chunk ended in CR: a LF opening the next is its pair

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while True:
            data = self._stream.read1(len(buffer))  # type: ignore[attr-defined]
            if not data:
                return 0
            if self._after_cr and data[:1] == b"\n":
                data = data[1:]
            self._after_cr = False
            if data:
                break
        self._after_cr = data.endswith(b"\r")
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        buffer[: len(data)] = data
        return len(data)


class _Inflated(_Raw):
    """A decompressing stream that stops at the ratio limit, measured against the bytes read
    from the compressed file (`source`)."""

    def __init__(self, handle: IO[bytes], source: _Raw) -> None:
        super().__init__(handle)
        self._source = source

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = super().readinto(buffer)
        if self.total > RATIO_AFTER and self.total > MAX_RATIO * max(self._source.total, 1):
            raise DecompressionLimit(
                f"decompressed more than {MAX_RATIO} times its size "
                f"({self.total >> 20} MiB from {max(self._source.total >> 10, 1)} KiB)"
            )
        return n


def expand_patterns(patterns: list[str], exclude: str | None = None) -> list[str]:
    """Every file the patterns match, sorted and deduplicated (a directory: every file under
    it, but none under `exclude`, the run's output, nor a pattern's match there); a pattern
    matching nothing is an error the CLI reports before the pipeline starts, and so is a FIFO,
    a socket or a device named as an input (one found in a folder or by a pattern is listed,
    and read as one quarantined record).
    Local paths are made absolute and normal: a file's identity (its output file names) must
    not depend on how or where it was named, and workers on other machines or in other
    directories open the same path."""
    from apache_beam.io.filesystems import FileSystems

    from datamin.errors import InputError
    from datamin.formats.inputs import is_under, local_files, resolved

    output = resolved(exclude)
    found: set[str] = set()
    for pattern in patterns:
        files = local_files(pattern, exclude)
        if files is not None:
            if files == [os.path.abspath(os.path.expanduser(pattern))]:
                _refuse_special(files[0])  # named: refused at once, the run not started
            found.update(files)
            continue
        if "://" not in pattern:
            pattern = os.path.abspath(os.path.expanduser(pattern))
        results = FileSystems.match([pattern])[0].metadata_list
        if not results:
            raise InputError(f"no input matches {pattern}")
        matched = [m.path for m in results if m.size_in_bytes >= 0]
        kept = [p for p in matched if not is_under(resolved(p), output)]
        if matched and not kept:
            raise InputError(f"no input matches {pattern} outside the output")
        found.update(kept)
    return sorted(found)


def _refuse_special(path: str) -> None:
    """A FIFO, a socket or a device named as an input is an error of one line: reading it
    would block the run or never end. (One found in a folder or by a pattern is one
    quarantined record, `InputError: not a regular file (a FIFO)`, and the run goes on.)"""
    from datamin.errors import InputError

    shape = special_file(path)
    if shape is not None:
        # Named by its shape: a path can itself be personal data (see `source_shape`).
        raise InputError(f"not a regular file ({shape}): {source_shape(path)}")


_SPECIAL = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


def special_file(path: str) -> str | None:
    """What a local path is when it is no regular file (links followed): `a FIFO`, `a socket`,
    `a character device`...; None for a regular file, or one gone or unreadable (read, then,
    as any unreadable file: one quarantined record)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _SPECIAL.get(stat.S_IFMT(mode), "not a file")
