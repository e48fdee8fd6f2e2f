"""What a disposal reports and records: its tallies, its audit record, and the names an
output's partitions and runs are written under."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from datamin.dates import saturating_add
from datamin.errors import DataminError
from datamin.output.layout import disposal_path
from datamin.output.nofollow import Root
from datamin.policies.model import parse_duration

DISPOSING = ".disposing-"

Step = Callable[[str], None]


@dataclass(frozen=True)
class DataFile:
    path: Path
    retention: str
    day: date
    rows: int
    duration: str  # as the writing run recorded it: `7d`, `forever`...
    policy_sha256: str

    def expires_at(self) -> datetime | None:
        """None for `forever`. Saturates (`datamin.dates`): a partition dated near the year 9999
        is kept, not an error that blocks the disposal of every other one."""
        length = parse_duration(self.duration)
        if length is None:
            return None
        return saturating_add(self.day, length)


@dataclass
class ClassTally:
    partitions: int = 0
    files: int = 0
    rows: int = 0


@dataclass
class DisposalReport:
    output: str
    now: str
    dry_run: bool
    disposed: dict[str, ClassTally] = field(default_factory=dict)  # by retention class
    partitions: list[str] = field(default_factory=list)  # `retention=c/date=d`
    kept_partitions: int = 0
    quarantine_runs: list[str] = field(default_factory=list)
    raw_quarantine_runs: list[str] = field(default_factory=list)  # raw stores disposed of
    raw_quarantine_files: int = 0  # their encrypted files
    token_keys_deleted: list[str] = field(default_factory=list)  # `class/day`
    leftovers_removed: int = 0  # temporary files of crashed runs and interrupted disposals
    policies: list[str] = field(default_factory=list)  # hashes of the disposed files' policies
    disposal_id: str = ""  # names its intent and its record in `_audit/disposals`
    links: list[str] = field(default_factory=list)  # links met in the output: never followed
    completed: list[str] = field(default_factory=list)  # interrupted disposals it finished
    runs_completed: list[str] = field(default_factory=list)  # runs stopped mid-commit, finished
    # Runs stopped before their commit: their staged files deleted (nothing of them was visible).
    runs_rolled_back: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the verification's findings

    @property
    def verified(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["verified"] = self.verified
        return out


# -- audit -----------------------------------------------------------------------------------


def write_audit(root: Root, report: DisposalReport) -> None:
    """The disposal's record, `_audit/disposals/<id>.json`, written whole and never through a
    link."""
    body = report.to_json()
    body["disposed_at"] = datetime.now(UTC).isoformat()
    root.write_new(
        disposal_path(report.disposal_id), (json.dumps(body, indent=2) + "\n").encode(), mode=0o644
    )


def rel(root: Path, path: Path) -> str:
    return str(path.relative_to(root))


def totals(report: DisposalReport) -> Counter[str]:
    """Partitions, files and rows disposed over every class."""
    out: Counter[str] = Counter()
    for tally in report.disposed.values():
        out.update(asdict(tally))
    return out


def parse_now(text: str | None) -> datetime:
    """`--now` as an aware datetime (UTC when no offset is given); the current time if None."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DataminError(
            "--now is an ISO-8601 time, like 2027-01-01 or 2027-01-01T12:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
