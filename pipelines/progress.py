"""Live progress across worker processes on one machine, without a network or Beam metrics.

Each worker process writes its count (records minimized, or input bytes read) to a small file
of its own in a run-scoped folder, at most once a second; the CLI sums them to show records per
second and, from the bytes, how far the run is. Counts only. With a remote runner the folder
is simply not seen, and no progress is shown.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

RECORDS = "records"
BYTES = "bytes"


class ProgressReporter:
    def __init__(self, folder: str | None, kind: str = RECORDS) -> None:
        self.folder = Path(folder) if folder else None
        self.count = 0
        self._last = 0.0
        self._file = None
        if self.folder is not None and self.folder.is_dir():
            self._file = self.folder / f"{kind}-{os.getpid()}-{id(self):x}"

    def add(self, n: int) -> None:
        self.count += n
        if self._file is not None and time.monotonic() - self._last > 1.0:
            self.flush()

    def flush(self) -> None:
        if self._file is None:
            return
        self._last = time.monotonic()
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(str(self.count))
        tmp.replace(self._file)


def read_progress(folder: Path, kind: str = RECORDS) -> int:
    total = 0
    for f in folder.glob(f"{kind}-*"):
        if f.suffix == ".tmp":
            continue
        try:
            total += int(f.read_text() or 0)
        except (OSError, ValueError):
            continue
    return total
