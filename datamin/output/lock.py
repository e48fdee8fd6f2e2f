"""One process at a time per output directory: a run and a dispose on the same tree must not
interleave (a dispose could delete a partition a run is writing into, or a run could write into
a partition being disposed). The lock is an advisory `flock` on `DIR/_lock`, released by the
kernel when its holder dies, so a crashed process never leaves the tree locked.

`_lock` is opened without following a link (and without blocking on a FIFO): a link or
anything but a regular file there is refused in one line, so locking never creates or opens a
file outside the output.

A streaming runner (`datamin stream`) takes the output lock only while it writes and commits a
micro-batch, and holds a lock of its own for its whole life, one per (output, source)
(`StreamLock`, `DIR/_audit/streams/<source id>.lock`): two runners of one source never write
one output. A disposal (or run) that finds the output lock taken while a stream is live waits
for it (the stream lets go between batches) instead of failing at once."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from pathlib import Path
from types import TracebackType

from datamin.errors import OutputError
from datamin.output.layout import LOCK, STREAMS

LOCK_NAME = LOCK
# How long a disposal or run waits for the output while a stream is live (the stream holds the
# output lock only while it writes a batch, seconds at most).
STREAM_WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.05


class OutputLock:
    """`wait`: seconds to wait for the lock, whoever holds it (a streaming runner between its
    batches); `wait_for_stream`: seconds to wait only while a stream of the output is live (a
    batch run holding the lock fails the caller at once, as it may hold it for hours)."""

    def __init__(
        self, output: str | Path, *, wait: float = 0.0, wait_for_stream: float = 0.0
    ) -> None:
        self.path = Path(output) / LOCK_NAME
        self.wait = wait
        self.wait_for_stream = wait_for_stream
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        fd = _open_lock_file(self.path)
        deadline = None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is None:
                    patience = self.wait
                    if self.wait_for_stream and stream_live(self.path.parent):
                        patience = max(patience, self.wait_for_stream)
                    deadline = time.monotonic() + patience
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise OutputError(
                        f"{self.path.parent} is in use by another datamin run or dispose; try "
                        "again when it has finished"
                    ) from None
                time.sleep(_POLL_SECONDS)
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class StreamLock(OutputLock):
    """Held by a streaming runner for its whole life: one runner per output and source."""

    def __init__(self, output: str | Path, source_id: str) -> None:
        super().__init__(output)
        self.output = Path(output)
        self.path = self.output / STREAMS / f"{source_id}.lock"

    def __enter__(self) -> StreamLock:
        fd = _open_lock_file(self.path, self.output)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"another datamin stream of this source is writing {self.output}"
            ) from None
        self._fd = fd
        return self


def stream_live(output: str | Path) -> bool:
    """Whether a streaming runner holds a stream lock of this output now. The lock folder is
    reached without following a link; nothing is created."""
    try:
        folder = _folder(Path(output), STREAMS, create=False)
    except OSError:
        return False
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".lock")]
        for name in names:
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            try:
                fd = os.open(name, flags, dir_fd=folder)
            except OSError:
                continue
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    continue
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                return True
            finally:
                os.close(fd)
    finally:
        os.close(folder)
    return False


def _folder(output: Path, relative: str, *, create: bool) -> int:
    """A descriptor of `relative` below the output, each part opened without following a link
    (the output itself may be one) and, with `create`, made if missing."""
    fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in relative.split("/"):
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o700, dir_fd=fd)
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
            inner = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_lock_file(path: Path, output: Path | None = None) -> int:
    """The lock file opened for locking: created if absent, never through a link (nor a FIFO).
    With `output`, the folders from it to the file are made and opened without following a link
    too (the output's own lock sits at its top, where the output itself may be a link)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        if output is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o600)
        else:
            folder = _folder(output, str(path.parent.relative_to(output)), create=True)
            try:
                fd = os.open(path.name, flags, 0o600, dir_fd=folder)
            finally:
                os.close(folder)
    except OSError as exc:
        if path.is_symlink() or (path.exists() and not path.is_file()) or exc.errno == errno.ELOOP:
            raise _not_a_file(path) from None
        if exc.errno == errno.ENOTDIR:
            raise OutputError(
                f"cannot lock {path.parent} (a link or a file where a folder of the output goes; "
                "datamin never follows a link inside an output)"
            ) from None
        raise OutputError(f"cannot lock {path.parent} ({type(exc).__name__})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _not_a_file(path)
    return fd


def _not_a_file(path: Path) -> OutputError:
    return OutputError(
        f"cannot lock {path.parent} ({path.name} is a link or not a regular file; "
        "datamin never follows a link inside an output)"
    )
