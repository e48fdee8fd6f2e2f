"""One process at a time per output directory: a run and a dispose on the same tree must not
interleave (a dispose could delete a partition a run is writing into, or a run could write into
a partition being disposed). The lock is an advisory `flock` on `DIR/_lock`, released by the
kernel when its holder dies, so a crashed process never leaves the tree locked.

`_lock` is opened without following a link (and without blocking on a FIFO): a link or
anything but a regular file there is refused in one line, so locking never creates or opens a
file outside the output."""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path
from types import TracebackType

from datamin.errors import OutputError
from datamin.output.layout import LOCK

LOCK_NAME = LOCK


class OutputLock:
    def __init__(self, output: str | Path) -> None:
        self.path = Path(output) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(self.path, flags, 0o600)
        except OSError as exc:
            if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
                raise self._not_a_file() from None
            raise OutputError(f"cannot lock {self.path.parent} ({type(exc).__name__})") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise self._not_a_file()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"{self.path.parent} is in use by another datamin run or dispose; try again "
                "when it has finished"
            ) from None
        self._fd = fd
        return self

    def _not_a_file(self) -> OutputError:
        return OutputError(
            f"cannot lock {self.path.parent} ({LOCK_NAME} is a link or not a regular file; "
            "datamin never follows a link inside an output)"
        )

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
