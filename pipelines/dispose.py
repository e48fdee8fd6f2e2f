"""`datamin dispose`: delete what has outlived its retention, provably, and say so in the audit.

The output is laid out so that deleting a partition is the whole job: a Parquet file holds the
rows of one retention class and one event date only (so no other file's statistics hold its
values), quarantine entries hold no content, and audit records hold counts and paths. A file's
retention is the duration recorded in its own footer by the run that wrote it, so editing the
policy later neither extends nor shortens what was promised.

A partition `retention=<class>/date=<d>` expires when `d + duration < now`. Disposal first
renames an expired partition to a hidden `.disposing-...` name (readers skip hidden names, and a
rename is atomic), then deletes its files, so a crash leaves either a whole partition or one no
reader sees; the next dispose finishes what it finds hidden. Disposal runs under the output's
lock, so no run writes while it deletes.

The optional raw quarantine (`_quarantine_raw/<run_id>/`, encrypted record bytes; see
`datamin.rawquarantine`) goes when the run's start plus its policy's `quarantine.raw_retention`
has passed, whatever the data classes say; a store whose run has no audit record cannot be
judged and goes at once.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from datamin.errors import DataminError, OutputError
from datamin.lock import OutputLock
from datamin.policies.model import parse_duration
from datamin.rawquarantine import RAW_DIR, SUFFIX, RawStore, raw_stores
from datamin.tokenkeys import TokenKeyStore

_PARTITION = re.compile(r"^retention=([a-z][a-z0-9_]{0,39})$")
_DATE = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")
_RUN_ID = re.compile(r"^(\d{8})T\d{6}Z-[0-9a-f]+$")
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
        """None for `forever`."""
        length = parse_duration(self.duration)
        if length is None:
            return None
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC) + length


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
    problems: list[str] = field(default_factory=list)  # the verification's findings

    @property
    def verified(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["verified"] = self.verified
        return out


def dispose(
    output: str | Path,
    now: datetime,
    *,
    dry_run: bool = False,
    token_keys: Path | None = None,
    on_step: Step | None = None,
) -> DisposalReport:
    """Dispose of everything expired at `now`, verify the tree, and append the audit record.
    With `dry_run`, report what would go and change nothing."""
    root = _output_root(output)
    step = on_step or (lambda _: None)
    report = DisposalReport(str(root), now.isoformat(), dry_run)
    with OutputLock(root):
        if not dry_run:
            report.leftovers_removed = _finish_leftovers(root, step)
        gone = _dispose_data(root, now, report, dry_run, step, token_keys)
        _dispose_quarantine(root, now, report, dry_run, step)
        _dispose_raw_quarantine(root, now, report, dry_run, step)
        if token_keys is not None:
            _delete_token_keys(root, token_keys, gone, report, dry_run, step, now)
        if not dry_run:
            report.problems = verify(root, now, token_keys=token_keys, locked=True)
            _write_audit(root, report)
            step("audit")
    return report


def verify(
    output: str | Path, now: datetime, *, token_keys: Path | None = None, locked: bool = False
) -> list[str]:
    """Every way the tree holds data past its retention, by path; [] when none does."""
    root = _output_root(output)
    if not locked:
        with OutputLock(root):
            return verify(root, now, token_keys=token_keys, locked=True)
    problems: list[str] = []
    files, unknown = scan(root)
    problems += [f"{_rel(root, p)}: not a datamin data file" for p in unknown]
    for f in files:
        expires = f.expires_at()
        if expires is not None and expires < now:
            problems.append(f"{_rel(root, f.path)}: retention {f.duration} ran out on {expires}")
    data = root / "data"
    if data.is_dir():
        for p in sorted(data.rglob(".*")):
            problems.append(f"{_rel(root, p)}: left by an interrupted run or dispose")
    for run_dir, expires in _quarantine_runs(root):
        if run_dir.name.startswith("."):
            problems.append(f"{_rel(root, run_dir)}: left by an interrupted dispose")
        elif expires is _UNKNOWN:
            problems.append(f"{_rel(root, run_dir)}: quarantine of a run without an audit record")
        elif expires is not None and expires < now:
            problems.append(f"{_rel(root, run_dir)}: quarantine retention ran out on {expires}")
    problems += _raw_problems(root, now)
    if token_keys is not None:
        present = {(f.retention, f.day.isoformat()) for f in files}
        for cls, day in _expired_orphan_keys(root, token_keys, present, now):
            problems.append(f"token key {cls}/{day}: outlives its partition")
    return problems


def _output_root(output: str | Path) -> Path:
    root = Path(output)
    if not (root / "data").is_dir() and not (root / "_audit").is_dir():
        raise OutputError(f"{root} is not a datamin output directory")
    return root


def scan(root: Path) -> tuple[list[DataFile], list[Path]]:
    """The visible data files with their recorded retention, and visible files that are not
    datamin's (or whose footer cannot be read)."""
    files: list[DataFile] = []
    unknown: list[Path] = []
    data = root / "data"
    if not data.is_dir():
        return files, unknown
    for class_dir, cls in _visible_dirs(data, _PARTITION, unknown):
        for day_dir, day_text in _visible_dirs(class_dir, _DATE, unknown):
            try:
                day = date.fromisoformat(day_text)
            except ValueError:  # `date=2026-13-45`: not a partition datamin wrote
                unknown.append(day_dir)
                continue
            for path in sorted(day_dir.iterdir()):
                if path.name.startswith("."):
                    continue
                found = _data_file(path, cls, day)
                if found is None:
                    unknown.append(path)
                else:
                    files.append(found)
    return files, unknown


def _visible_dirs(
    parent: Path, name: re.Pattern[str], unknown: list[Path]
) -> Iterator[tuple[Path, str]]:
    """Directories of `parent` whose name matches (with the captured value); anything else
    visible is noted as unknown. Hidden names are work in progress, not data."""
    for child in sorted(parent.iterdir()):
        if child.name.startswith("."):
            continue
        m = name.match(child.name)
        if m is None or not child.is_dir():
            unknown.append(child)
        else:
            yield child, m.group(1)


def _data_file(path: Path, cls: str, day: date) -> DataFile | None:
    if not path.name.endswith(".parquet") or not path.is_file():
        return None
    try:
        meta = pq.read_metadata(path)
    except Exception:  # noqa: BLE001 - an unreadable footer is an unknown file, never deleted
        return None
    kv = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
    duration = kv.get("datamin.retention")
    if kv.get("datamin.retention_class") != cls or duration is None:
        return None
    try:
        parse_duration(duration)
    except ValueError:
        return None
    return DataFile(path, cls, day, meta.num_rows, duration, kv.get("datamin.policy_sha256", ""))


# -- data ------------------------------------------------------------------------------------


def _dispose_data(
    root: Path,
    now: datetime,
    report: DisposalReport,
    dry_run: bool,
    step: Step,
    token_keys: Path | None,
) -> set[tuple[str, str]]:
    """Dispose of expired files; returns the (class, date) partitions now wholly gone."""
    gone: set[tuple[str, str]] = set()
    files, unknown = scan(root)
    # A partition holding anything that is not datamin's is never removed whole: its expired
    # files go one by one, the rest stays (and verify reports it).
    foreign = {p.parent for p in unknown}
    by_partition: dict[Path, list[DataFile]] = {}
    for f in files:
        by_partition.setdefault(f.path.parent, []).append(f)
    policies: set[str] = set()
    for partition, members in sorted(by_partition.items()):
        expired = [f for f in members if (e := f.expires_at()) is not None and e < now]
        if not expired:
            report.kept_partitions += 1
            continue
        tally = report.disposed.setdefault(members[0].retention, ClassTally())
        tally.files += len(expired)
        tally.rows += sum(f.rows for f in expired)
        policies.update(f.policy_sha256 for f in expired)
        whole = len(expired) == len(members) and partition not in foreign
        if whole:
            tally.partitions += 1
            report.partitions.append(f"{partition.parent.name}/{partition.name}")
            gone.add((members[0].retention, members[0].day.isoformat()))
        else:
            report.kept_partitions += 1
        if dry_run:
            continue
        if whole and token_keys is not None:
            # The key goes first: a crash after it leaves tokens no one can reverse, never a
            # live key for data that is gone.
            cls, day = members[0].retention, members[0].day.isoformat()
            if TokenKeyStore(token_keys).delete(cls, day):
                report.token_keys_deleted.append(f"{cls}/{day}")
                step(f"delete key {cls}/{day}")
        if whole:
            # Hidden next: from here on no reader sees the partition, whole or in part.
            hidden = partition.with_name(DISPOSING + partition.name)
            partition.rename(hidden)
            step(f"hide {partition.name}")
            _delete_tree(hidden, step)
        else:
            # Files of a partition written under different policies expire one by one.
            for f in expired:
                hidden = f.path.with_name(f".{f.path.name}.disposing")
                f.path.rename(hidden)
                step(f"hide {f.path.name}")
                hidden.unlink()
                step(f"delete {f.path.name}")
    report.policies = sorted(policies)
    if not dry_run:
        for class_dir in (root / "data").glob("retention=*"):
            if class_dir.is_dir() and not any(class_dir.iterdir()):
                class_dir.rmdir()
    return gone


def _delete_tree(hidden: Path, step: Step) -> None:
    for path in sorted(hidden.iterdir()):
        path.unlink()
        step(f"delete {path.name}")
    hidden.rmdir()
    step(f"remove {hidden.name}")


def _finish_leftovers(root: Path, step: Step) -> int:
    """Complete an interrupted disposal and remove temporary files of crashed runs: with the
    lock held, nothing else can be writing them."""
    count = 0
    data = root / "data"
    if data.is_dir():
        for hidden in sorted(data.glob(f"retention=*/{DISPOSING}*")):
            count += sum(1 for _ in hidden.iterdir())
            _delete_tree(hidden, step)
        own = ("retention=*/date=*/.part-*.tmp", "retention=*/date=*/.*.disposing")
        for leftover in sorted(p for pattern in own for p in data.glob(pattern)):
            leftover.unlink()
            count += 1
            step(f"delete {leftover.name}")
    quarantine = root / "_quarantine"
    if quarantine.is_dir():
        for hidden in sorted(quarantine.glob(f"{DISPOSING}*")):
            count += 1
            shutil.rmtree(hidden)
            step(f"remove {hidden.name}")
        for leftover in sorted(quarantine.glob("*/.*.tmp")):
            leftover.unlink()
            count += 1
    raw = root / RAW_DIR
    if raw.is_dir():
        for hidden in sorted(p for p in raw.glob(f"{DISPOSING}*") if p.is_dir()):
            count += _delete_store(hidden, step)
        for leftover in sorted(raw.glob(f"*/.*{SUFFIX}.tmp")):
            leftover.unlink()
            count += 1
            step(f"delete {leftover.name}")
    runs = root / "_audit" / "runs"
    if runs.is_dir():
        for leftover in sorted(runs.glob(".*.summary.json")):
            leftover.unlink()
            count += 1
    return count


# -- quarantine ------------------------------------------------------------------------------

_UNKNOWN: Any = object()


def _quarantine_runs(root: Path) -> list[tuple[Path, datetime | None]]:
    """Each run's quarantine with when it expires: the run's date plus its policy's default
    class duration (entries hold no content, but their keyed hashes identify records)."""
    quarantine = root / "_quarantine"
    if not quarantine.is_dir():
        return []
    out: list[tuple[Path, datetime | None]] = []
    for run_dir in sorted(p for p in quarantine.iterdir() if p.is_dir()):
        if run_dir.name.startswith("."):
            out.append((run_dir, _UNKNOWN))
            continue
        out.append((run_dir, _quarantine_expiry(root, run_dir.name)))
    return out


def _quarantine_expiry(root: Path, run_id: str) -> datetime | None:
    m = _RUN_ID.match(run_id)
    audit = root / "_audit" / "runs" / f"{run_id}.json"
    try:
        sha = json.loads(audit.read_text())["policy_sha256"]
        policy = yaml.safe_load((root / "_audit" / "policies" / f"{sha}.yaml").read_text())
        retention = policy["retention"]
        length = parse_duration(str(retention["classes"][retention["default"]]))
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return _UNKNOWN
    if m is None:
        return _UNKNOWN
    if length is None:
        return None
    day = datetime.strptime(m.group(1), "%Y%m%d").replace(tzinfo=UTC)
    return day + length


def _dispose_quarantine(
    root: Path, now: datetime, report: DisposalReport, dry_run: bool, step: Step
) -> None:
    for run_dir, expires in _quarantine_runs(root):
        if expires is _UNKNOWN or expires is None or expires >= now:
            continue
        report.quarantine_runs.append(run_dir.name)
        if dry_run:
            continue
        hidden = run_dir.with_name(DISPOSING + run_dir.name)
        run_dir.rename(hidden)
        step(f"hide {run_dir.name}")
        shutil.rmtree(hidden)
        step(f"remove {hidden.name}")


# -- raw quarantine --------------------------------------------------------------------------


def _dispose_raw_quarantine(
    root: Path, now: datetime, report: DisposalReport, dry_run: bool, step: Step
) -> None:
    for store in raw_stores(root):
        if not store.expired(now):
            continue
        report.raw_quarantine_runs.append(store.run_id)
        if dry_run:
            report.raw_quarantine_files += store.files
            continue
        hidden = store.path.with_name(DISPOSING + store.path.name)
        store.path.rename(hidden)
        step(f"hide raw {store.run_id}")
        report.raw_quarantine_files += _delete_store(hidden, step)


def _delete_store(hidden: Path, step: Step) -> int:
    """Delete a hidden raw store file by file; returns how many encrypted files went."""
    count = 0
    for path in sorted(hidden.iterdir()):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        if path.name.endswith(SUFFIX) and not path.name.startswith("."):
            count += 1
        step(f"delete {path.name}")
    hidden.rmdir()
    step(f"remove {hidden.name}")
    return count


def _raw_problems(root: Path, now: datetime) -> list[str]:
    folder = root / RAW_DIR
    if not folder.is_dir():
        return []
    problems: list[str] = []
    stores: dict[Path, RawStore] = {s.path: s for s in raw_stores(root)}
    for child in sorted(folder.iterdir()):
        store = stores.get(child)
        if child.name.startswith("."):
            problems.append(f"{_rel(root, child)}: left by an interrupted dispose")
        elif store is None:
            problems.append(f"{_rel(root, child)}: not a raw quarantine store")
        elif store.expires is None:
            problems.append(
                f"{_rel(root, child)}: raw quarantine of a run without an audit record or "
                "saved policy (cannot be judged)"
            )
        elif store.expires < now:
            problems.append(
                f"{_rel(root, child)}: raw quarantine retention ran out on {store.expires}"
            )
        if store is not None:
            problems += [
                f"{_rel(root, p)}: left by an interrupted run" for p in sorted(child.glob(".*"))
            ]
    return problems


# -- token keys (crypto-shredding) -----------------------------------------------------------


def _expired_orphan_keys(
    root: Path, store: Path, present: set[tuple[str, str]], now: datetime
) -> list[tuple[str, str]]:
    """Keys with no partition here whose period has run out by the longest duration this
    output's policies give their class: records of that day were all dropped or quarantined,
    or a dispose stopped between partition and key. A key of a class this output never
    declared is not this output's to judge (a store shared with another output)."""
    keys = TokenKeyStore(store)
    longest = _class_durations(root)
    out = []
    for cls in keys.classes():
        if cls not in longest or longest[cls] is None:
            continue
        for day in keys.days(cls):
            start = datetime.fromisoformat(day).replace(tzinfo=UTC)
            if (cls, day) not in present and start + longest[cls] < now:
                out.append((cls, day))
    return out


def _class_durations(root: Path) -> dict[str, timedelta | None]:
    """The longest duration (None: forever) each class has in any policy this output saved."""
    out: dict[str, timedelta | None] = {}
    for saved in sorted((root / "_audit" / "policies").glob("*.yaml")):
        try:
            classes = yaml.safe_load(saved.read_text())["retention"]["classes"]
            for cls, text in classes.items():
                length = parse_duration(str(text))
                if cls in out and out[cls] is None:
                    continue  # forever already
                if length is None or cls not in out or length > out[cls]:
                    out[cls] = length
        except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError):
            continue
    return out


def _delete_token_keys(
    root: Path,
    store: Path,
    gone: set[tuple[str, str]],
    report: DisposalReport,
    dry_run: bool,
    step: Step,
    now: datetime,
) -> None:
    """Delete the keys of periods that have run out and kept no partition here."""
    files, _ = scan(root)
    present = {(f.retention, f.day.isoformat()) for f in files} - gone
    keys = TokenKeyStore(store)
    for cls, day in _expired_orphan_keys(root, store, present, now):
        if f"{cls}/{day}" in report.token_keys_deleted:
            continue
        report.token_keys_deleted.append(f"{cls}/{day}")
        if not dry_run:
            keys.delete(cls, day)
            step(f"delete key {cls}/{day}")


# -- audit -----------------------------------------------------------------------------------


def _write_audit(root: Path, report: DisposalReport) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = root / "_audit" / "disposals"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}-{secrets.token_hex(3)}.json"
    temp = folder / f".{path.name}.tmp"
    body = report.to_json()
    body["disposed_at"] = datetime.now(UTC).isoformat()
    temp.write_text(json.dumps(body, indent=2) + "\n")
    temp.rename(path)


def _rel(root: Path, path: Path) -> str:
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
