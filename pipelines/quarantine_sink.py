"""Writing a worker's quarantine entries: streamed to disk, and bounded per source.

A source that fails line after line (a million bad lines in a 2 KB gzip) must not write a
million entries nor hold them: after `MAX_ENTRIES_PER_SOURCE` entries for one source, the rest
of it becomes one summary entry per bundle, the first entry past the bound with `"more": K` (the
K further records it stands for) and `"more_by_error"` (K by error, as entries name theirs).
Every quarantined record is still counted: in the run's audit (its counts come from the
minimize step, not from these files) and in `datamin quarantine list` (which adds `more`).
The encrypted raw copies are bounded too: past `MAX_RAW_BYTES_PER_SOURCE` of one source's
bytes, its further entries are kept without their bytes (an export lists them as such).
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from apache_beam.io.filesystems import FileSystems

from datamin.core.minimize import Quarantined
from datamin.output.commit import write_error
from datamin.output.layout import OutputLayout, temp_for
from datamin.output.rawquarantine import RawEntry, RawFileWriter, RawKey

MAX_ENTRIES_PER_SOURCE = 1000
MAX_RAW_BYTES_PER_SOURCE = 32 * 1024 * 1024
# A summary names at most this many distinct errors (each "class: value-free message", as the
# entries' `error`); the rest are counted under OTHER_ERRORS.
MAX_ERRORS_NAMED = 64
OTHER_ERRORS = "(other errors)"


@dataclass
class _Overflow:
    """The entries of one source past the bound, in this bundle: the first one, then a count."""

    first: dict[str, Any]
    more: int = 0
    by_error: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.first,
            "more": self.more,
            "more_by_error": dict(sorted(self.by_error.items())),
        }


class QuarantineSink:
    """One DoFn instance's writer. Counts per source live as long as the instance (a source's
    records can reach it in several bundles); files are written per bundle: `start`, `add`...,
    then `finish` (the paths written) or `abort`."""

    def __init__(
        self,
        output: str,
        run_id: str,
        raw_key: RawKey | None,
        *,
        max_entries: int = MAX_ENTRIES_PER_SOURCE,
        max_raw_bytes: int = MAX_RAW_BYTES_PER_SOURCE,
    ) -> None:
        self.output = output
        self.run_id = run_id
        self.raw_key = raw_key
        self.max_entries = max_entries
        self.max_raw_bytes = max_raw_bytes
        self.entries: Counter[str] = Counter()  # entries written, by source
        self.raw_bytes: Counter[str] = Counter()  # raw bytes kept, by source
        self.start()

    def start(self) -> None:
        self.part = f"part-{secrets.token_hex(8)}"
        self.staging = OutputLayout(self.output).staging(self.run_id)  # moved in at commit
        layout = self.staging
        self.final = layout.quarantine_file(self.run_id, f"{self.part}.jsonl")
        self.temp = temp_for(self.final)
        self._plain: IO[bytes] | None = None
        self._raw: RawFileWriter | None = None
        self._overflow: dict[str, _Overflow] = {}
        # This bundle's share of the counts, given back if it fails (a retry writes it again).
        self._added: Counter[str] = Counter()
        self._added_raw: Counter[str] = Counter()

    def add(self, entry: Quarantined) -> None:
        try:
            self._add(entry)
        except OSError as exc:  # a full disk, a directory it may not write: one line
            self.abort()
            raise write_error(self.output, exc) from None
        except BaseException:
            self.abort()
            raise

    def _add(self, entry: Quarantined) -> None:
        over = self._overflow.get(entry.source)
        if over is not None:
            over.more += 1
            named = entry.error in over.by_error or len(over.by_error) < MAX_ERRORS_NAMED
            over.by_error[entry.error if named else OTHER_ERRORS] += 1
            return
        if self.entries[entry.source] >= self.max_entries:
            self._overflow[entry.source] = _Overflow(entry.to_json())
            return
        self.entries[entry.source] += 1
        self._added[entry.source] += 1
        if self._plain is None:
            self._plain = FileSystems.create(self.temp)
        self._plain.write(_line(entry.to_json()))
        if self.raw_key is not None and entry.raw:
            raw = entry.raw
            if self.raw_bytes[entry.source] + len(raw) > self.max_raw_bytes:
                raw = b""  # counted in the store, its bytes not kept
            self.raw_bytes[entry.source] += len(raw)
            self._added_raw[entry.source] += len(raw)
            if self._raw is None:
                self._raw = RawFileWriter(self.staging.root, self.run_id, self.part, self.raw_key)
            self._raw.add(RawEntry(entry.source, entry.index, entry.error, raw, entry.kind))

    def finish(self) -> list[str]:
        """Close this bundle's files (the summaries of sources past the bound last); their
        final paths, plain first."""
        try:
            return self._finish()
        except OSError as exc:
            self.abort()
            raise write_error(self.output, exc) from None
        except BaseException:
            self.abort()
            raise
        finally:
            self.start()

    def _finish(self) -> list[str]:
        paths: list[str] = []
        if self._overflow and self._plain is None:
            self._plain = FileSystems.create(self.temp)
        if self._plain is not None:
            for over in self._overflow.values():
                self._plain.write(_line(over.to_json()))
            self._plain.close()
            self._plain = None
            FileSystems.rename([self.temp], [self.final])
            paths.append(self.final)
        if self._raw is not None:
            paths.append(self._raw.close())
            self._raw = None
        return paths

    def abort(self) -> None:
        """Best effort: this bundle's unfinished files go, and its share of the counts."""
        self.entries -= self._added
        self.raw_bytes -= self._added_raw
        self._added, self._added_raw = Counter(), Counter()
        if self._plain is not None:
            with contextlib.suppress(Exception):
                self._plain.close()
            self._plain = None
            with contextlib.suppress(Exception):
                FileSystems.delete([self.temp])
        if self._raw is not None:
            self._raw.abort()
            self._raw = None


def _line(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True).encode() + b"\n"
