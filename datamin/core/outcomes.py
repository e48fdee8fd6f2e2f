"""What minimizing a record comes to: its kept rows (`Written`) or its quarantine entry
(`Quarantined`), which holds where the record was and why it failed, never its content."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datamin.core.records import source_shape


@dataclass(frozen=True, slots=True)
class Written:
    """A record's kept values, one row per retention class, joined by a random record id."""

    source: str
    index: int
    record_id: str
    date: str  # YYYY-MM-DD, the event date
    rows: dict[str, dict[str, Any]]  # retention class -> column -> value ("fields": map)


@dataclass(frozen=True, slots=True)
class Quarantined:
    source: str
    index: int
    error: str  # an error class and a value-free message
    raw_hmac: str | None  # keyed hash of the raw bytes, to match a replay; never the bytes
    # The bytes themselves, only where the run keeps an encrypted raw quarantine; never
    # written in the clear (`to_json` leaves them out).
    raw: bytes = field(default=b"", repr=False)
    kind: str | None = None  # the record kind its format declared (`RawRecord.kind`)
    # How the entry names its source: the path's shape (or the path, where the policy says
    # `audit.source_paths: plain`) and a keyed hash of the path that tells sources apart.
    shown_source: str | None = None
    source_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.shown_source or source_shape(self.source),
            "source_id": self.source_id,
            "index": self.index,
            "error": self.error,
            "raw_hmac": self.raw_hmac,
        }
