"""Growing and rotated JSON-lines files as a datamin source (`dir:PATH`).

`PATH` is a directory (its `*.jsonl`, `*.ndjson` and `*.log` files) or a glob. Each complete line
(ended by a newline) is one record; blank lines are skipped, a line longer than the policy's
record limit is one quarantined record.

A file is known by its identity, not its name: device, inode and a keyed hash of its first line,
so a log renamed by rotation (`app.log` -> `app.log.1`, a new `app.log` created) is read to its
end under its new name (found in the same directory, even when the new name no longer matches
the glob), and a new file that reuses a deleted one's inode starts from its beginning. The
position of a committed batch is each known file's identity and byte offset after its last
committed line, and the record number reached. A file truncated below its offset (rotation by
copy and truncate) is read again from its beginning, and the copy that rotation made, a new file
whose first bytes are those already read of another, is read on from where that one was (known
by a hash of the bytes read, which a runner keeps while it runs: one restarted between the copy
and its first sight of it reads the copy whole). A file written anew in place (`producer >
app.jsonl`), its first line or the last bytes read no longer there, is read from its start too;
one rewritten while no runner ran, with the same first line and at least as long, is not told
from one that grew. Compressed rotations (`app.log.1.gz`) are
not read: rotate with a delay (`delaycompress`) so the runner reaches a file's end first.

A file is followed from the moment the runner has seen it (then under any name in its
directory); one rotated away while no runner had ever seen it is read only if the pattern also
matches its new name: give a glob that takes rotated names (`dir:/var/log/app/app.jsonl*`),
and each file is still read once, by its identity.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from datamin.errors import InputError
from datamin.stream.sources import Message

EXTENSIONS = (".jsonl", ".ndjson", ".log")
_FIRST_LINE_BYTES = 4096  # what identifies a file: its first line, up to this much
_SCAN_SECONDS = 0.25  # how often the directory is listed again while waiting for lines
_POLL_SECONDS = 0.05
_SKIP_CHUNK = 1 << 16
_TAIL_BYTES = 64  # of the last line read: a file rewritten in place is told by them
_IDENTITY = re.compile(r"^\d+:\d+:[0-9a-f]+$")


@dataclass
class _File:
    identity: str  # "<dev>:<inode>:<keyed hash of the first line>"
    inode: tuple[int, int]
    path: str
    offset: int  # bytes read (complete lines), maybe ahead of the committed offset
    handle: IO[bytes] | None = None
    # What was read of it, hashed, while read from its start in this process: a copy of it
    # (rotation by copy and truncate) is known by these bytes, and read on from where it was.
    digest: Any = None
    tail: bytes = b""  # the last bytes read, up to `offset`: a file rewritten holds others
    skipped: int = 0  # how far an overlong line not ended yet has been passed over


class DirSource:
    def __init__(
        self,
        spec: str,
        *,
        fingerprint: Callable[[bytes], str] | None = None,
        max_record_bytes: int = 1 << 20,
    ) -> None:
        path = os.path.abspath(os.path.expanduser(spec))
        self.pattern = os.path.join(path, "*") if os.path.isdir(path) else path
        self.any_extension = not os.path.isdir(path)
        folder = os.path.dirname(self.pattern)
        if not glob.has_magic(folder) and not os.path.isdir(folder):
            raise InputError(f"dir: source: no directory {folder}")
        self.name = f"dir:{self.pattern}"
        self.identity = f"dir {self.pattern}"
        self.fingerprint = fingerprint or (lambda data: str(len(data)))
        self.max_record_bytes = max_record_bytes
        self._files: dict[str, _File] = {}  # by identity
        self._committed: dict[str, int] = {}  # identity -> committed offset
        self._seq = 0  # the record number reached by reading
        self._committed_seq = 0
        self._scanned = 0.0

    # -- the source protocol ----------------------------------------------------------------

    def start(self, position: Mapping[str, Any] | None) -> None:
        files = position.get("files") if position else None
        seq = position.get("seq") if position else 0
        self._committed = {
            k: v
            for k, v in (files if isinstance(files, dict) else {}).items()
            if _IDENTITY.match(str(k)) and isinstance(v, int) and v >= 0
        }
        self._committed_seq = self._seq = seq if isinstance(seq, int) and seq > 0 else 0
        self._scan()

    def fetch(self, max_records: int, max_wait: float) -> list[Message]:
        deadline = time.monotonic() + max_wait
        batch: list[Message] = []
        while True:
            if time.monotonic() - self._scanned >= _SCAN_SECONDS:
                self._scan()
            for f in sorted(self._files.values(), key=_age):
                batch += self._read(f, max_records - len(batch))
                if len(batch) >= max_records:
                    return batch
            if batch or time.monotonic() >= deadline:
                return batch
            time.sleep(_POLL_SECONDS)

    def position_after(self, batch: list[Message]) -> dict[str, Any]:
        offsets = dict(self._committed)
        for m in batch:
            identity, end = m.where
            offsets[identity] = max(offsets.get(identity, 0), end)
        live = {f.identity for f in self._files.values()}
        seq = max((m.seq for m in batch), default=self._committed_seq)
        return {"seq": seq, "files": {k: v for k, v in sorted(offsets.items()) if k in live}}

    def acknowledge(self, batch: list[Message]) -> None:
        position = self.position_after(batch)
        self._committed = position["files"]
        self._committed_seq = position["seq"]

    def lag(self) -> tuple[int, str] | None:
        """Bytes the files hold beyond the committed offsets."""
        behind = 0
        for f in self._files.values():
            try:
                size = os.stat(f.path).st_size
            except OSError:
                continue
            behind += max(0, size - self._committed.get(f.identity, 0))
        return behind, "bytes"

    def close(self) -> None:
        for f in self._files.values():
            _close(f)
        self._files.clear()

    # -- files ------------------------------------------------------------------------------

    def _scan(self) -> None:
        """Track new files matching the pattern, follow renamed ones, forget deleted ones."""
        self._scanned = time.monotonic()
        matching = {p for p in glob.glob(self.pattern) if self._wanted(p)}
        folders = {os.path.dirname(p) for p in matching} | {os.path.dirname(self.pattern)}
        by_inode = {f.inode: f for f in self._files.values()}
        before = list(self._files.values())  # as they were: a copy's original may go below
        wanted_inodes = {_inode_of(k) for k in self._committed}
        seen: set[str] = set()
        for path in sorted(_regular_files(folders)):
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            inode = (st.st_dev, st.st_ino)
            known = by_inode.get(inode)
            if (
                known is not None
                and st.st_size >= known.offset
                and not self._rewritten(known, path)
            ):
                known.path = path
                seen.add(known.identity)
                continue
            if path not in matching and inode not in wanted_inodes:
                continue  # a file beside the pattern's that no position names
            identity = self._identify(path, inode)
            if identity is None:
                continue  # no complete first line yet
            offset = self._committed.get(identity, 0)
            if known is not None:  # truncated or rewritten: read again from the top
                _close(known)
                del self._files[known.identity]
                self._committed.pop(identity, None)  # what was committed of it is not there
                offset = 0
            if offset > st.st_size:
                offset = 0
            digest = hashlib.sha256() if offset == 0 else None
            if known is None and offset == 0:
                copied = _copied_from(path, identity, st.st_size, before)
                if copied is not None:
                    offset, digest = copied.offset, copied.digest.copy()
            self._files[identity] = _File(identity, inode, path, offset, digest=digest)
            seen.add(identity)
        for identity in list(self._files):
            if identity not in seen:
                _close(self._files.pop(identity))

    def _rewritten(self, f: _File, path: str) -> bool:
        """Whether the file at `path`, of `f`'s inode and no shorter than what was read of it,
        was written anew in place (`producer > app.jsonl`): its first line, or the bytes just
        before the offset, are no longer those read. Two short reads a scan."""
        if f.offset <= 0:
            return False
        try:
            with open(path, "rb") as handle:
                head = handle.readline(_FIRST_LINE_BYTES)
                if not _tail_kept(handle, f):
                    return True
        except OSError:
            return False
        whole = head.endswith(b"\n") or len(head) >= _FIRST_LINE_BYTES
        return whole and self.fingerprint(head) != f.identity.rsplit(":", 1)[1]

    def _wanted(self, path: str) -> bool:
        if not os.path.isfile(path) or os.path.islink(path):
            return False
        return self.any_extension or path.endswith(EXTENSIONS)

    def _identify(self, path: str, inode: tuple[int, int]) -> str | None:
        try:
            with open(path, "rb") as f:
                head = f.readline(_FIRST_LINE_BYTES)
        except OSError:
            return None
        if not head.endswith(b"\n") and len(head) < _FIRST_LINE_BYTES:
            return None
        return f"{inode[0]}:{inode[1]}:{self.fingerprint(head)}"

    def _read(self, f: _File, wanted: int) -> list[Message]:
        if wanted <= 0:
            return []
        try:
            if f.handle is None:
                f.handle = open(f.path, "rb")
            if not _tail_kept(f.handle, f):  # written anew: known again from its start
                self._scan()
                return []
            f.handle.seek(f.offset)
        except OSError:
            return []
        return list(self._lines(f, wanted))

    def _lines(self, f: _File, wanted: int) -> Iterator[Message]:
        assert f.handle is not None
        limit = self.max_record_bytes
        while wanted > 0:
            line = f.handle.readline(limit + 1)
            if not line:
                return
            end = f.offset + len(line)
            if not line.endswith(b"\n"):
                if len(line) <= limit:
                    return  # the last line is still being written
                # An overlong line not ended yet is skipped on from where the last poll left it,
                # not read again from its start (a 400 MB line was, on every poll).
                skipped = max(f.skipped, end)
                f.handle.seek(skipped)
                rest = _skip_line(f.handle)
                if rest is None:
                    f.skipped = f.handle.tell()
                    return
                end, f.skipped = skipped + rest, 0
                f.handle.seek(end)  # the skip read on past the line's end
            f.offset = end
            f.tail = line[-_TAIL_BYTES:] if line.endswith(b"\n") else b""
            if f.digest is not None:
                if line.endswith(b"\n"):
                    f.digest.update(line)
                else:
                    f.digest = None  # an overlong line skipped unread: its bytes are not known
            if not line.strip():
                continue
            self._seq += 1
            wanted -= 1
            yield Message(self._seq, line.rstrip(b"\r\n"), None, (f.identity, end))


def _tail_kept(handle: IO[bytes], f: _File) -> bool:
    """Whether the bytes last read of `f` are still where they were: a file written anew in
    place holds others there. (Moves `handle`.)"""
    if not f.tail:
        return True
    handle.seek(f.offset - len(f.tail))
    return handle.read(len(f.tail)) == f.tail


def _copied_from(path: str, identity: str, size: int, files: list[_File]) -> _File | None:
    """The file `path` (new to the runner, first line as `identity` says) is a copy of: one of
    `files` of another inode, with the same first line, whose bytes read so far are `path`'s
    first bytes (`cp app.log app.log.1` before `app.log` is truncated). Its lines were read
    already: the copy is read on from there, not again (rows written twice)."""
    line = identity.rsplit(":", 1)[1]
    for f in files:
        if (
            f.digest is None
            or f.offset <= 0
            or f.offset > size
            or f.identity == identity
            or f.identity.rsplit(":", 1)[1] != line
        ):
            continue
        if _digest_of(path, f.offset) == f.digest.hexdigest():
            return f
    return None


def _digest_of(path: str, length: int) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while length > 0 and (chunk := handle.read(min(length, _SKIP_CHUNK))):
                digest.update(chunk)
                length -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if length == 0 else None


def _skip_line(handle: IO[bytes]) -> int | None:
    """Bytes up to and including the next newline, or None if the file ends first."""
    skipped = 0
    while chunk := handle.read(_SKIP_CHUNK):
        at = chunk.find(b"\n")
        if at >= 0:
            return skipped + at + 1
        skipped += len(chunk)
    return None


def _regular_files(folders: set[str]) -> Iterator[str]:
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                    yield entry.path
            except OSError:
                continue


def _inode_of(identity: str) -> tuple[int, int]:
    dev, ino, _ = identity.split(":", 2)
    return int(dev), int(ino)


def _age(f: _File) -> tuple[float, str]:
    try:
        return os.stat(f.path).st_mtime, f.path
    except OSError:
        return 0.0, f.path


def _close(f: _File) -> None:
    if f.handle is not None:
        f.handle.close()
        f.handle = None
