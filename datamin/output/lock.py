"""One process at a time per output directory: a run and a dispose on the same tree must not
interleave (a dispose could delete a partition a run is writing into, or a run could write into
a partition being disposed). The lock is an advisory `flock` on `DIR/_lock`, released by the
kernel when its holder dies, so a crashed process never leaves the tree locked."""

from __future__ import annotations

import fcntl
import os
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
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise OutputError(f"cannot lock {self.path.parent} ({type(exc).__name__})") from None
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
