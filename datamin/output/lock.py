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
        self.path = Path(output) / STREAMS / f"{source_id}.lock"

    def __enter__(self) -> StreamLock:
        fd = _open_lock_file(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"another datamin stream of this source is writing {self.path.parent.parent.parent}"
            ) from None
        self._fd = fd
        return self


def stream_live(output: str | Path) -> bool:
    """Whether a streaming runner holds a stream lock of this output now."""
    folder = Path(output) / STREAMS
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".lock")]
    except OSError:
        return False
    for name in names:
        try:
            fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
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
    return False


def _open_lock_file(path: Path) -> int:
    """The lock file opened for locking: created if absent, never through a link (nor a FIFO)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise _not_a_file(path) from None
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
