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
`datamin.output.rawquarantine`) goes when the run's start plus its policy's
`quarantine.raw_retention` has passed, whatever the data classes say; a store whose run has no
audit record cannot be judged and goes at once.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from datamin.errors import OutputError
from datamin.output.identity import store_problems
from datamin.output.layout import OutputLayout
from datamin.output.lock import OutputLock
from datamin.output.rawquarantine import RAW_DIR, SUFFIX
from datamin.output.report import (
    DISPOSING,
    ClassTally,
    DataFile,
    DisposalReport,
    Step,
    parse_now,
    rel,
    totals,
    write_audit,
)
from datamin.output.scan import scan
from datamin.output.stores import (
    UNKNOWN,
    delete_store,
    delete_token_keys,
    dispose_quarantine,
    dispose_raw_quarantine,
    expired_orphan_keys,
    quarantine_runs,
    raw_problems,
)
from datamin.output.tokenkeys import TokenKeyStore, store_of

__all__ = ["DisposalReport", "dispose", "parse_now", "scan", "totals", "verify"]


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
    token_keys = store_of(root, token_keys)  # the output's own store by its id, if not given
    step = on_step or (lambda _: None)
    report = DisposalReport(str(root), now.isoformat(), dry_run)
    with OutputLock(root):
        if not dry_run:
            report.leftovers_removed = _finish_leftovers(root, step)
        gone = _dispose_data(root, now, report, dry_run, step, token_keys)
        dispose_quarantine(root, now, report, dry_run, step)
        dispose_raw_quarantine(root, now, report, dry_run, step)
        if token_keys is not None:
            delete_token_keys(root, token_keys, gone, report, dry_run, step, now)
        if not dry_run:
            report.problems = verify(root, now, token_keys=token_keys, locked=True)
            write_audit(root, report)
            step("audit")
    return report


def verify(
    output: str | Path, now: datetime, *, token_keys: Path | None = None, locked: bool = False
) -> list[str]:
    """Every way the tree holds data past its retention, by path; [] when none does."""
    root = _output_root(output)
    token_keys = store_of(root, token_keys)
    if not locked:
        with OutputLock(root):
            return verify(root, now, token_keys=token_keys, locked=True)
    problems: list[str] = []
    files, unknown = scan(root)
    problems += [f"{rel(root, p)}: not a datamin data file" for p in unknown]
    for f in files:
        expires = f.expires_at()
        if expires is not None and expires < now:
            problems.append(f"{rel(root, f.path)}: retention {f.duration} ran out on {expires}")
    data = root / "data"
    if data.is_dir():
        for p in sorted(data.rglob(".*")):
            problems.append(f"{rel(root, p)}: left by an interrupted run or dispose")
    for run_dir, expires in quarantine_runs(root):
        if run_dir.name.startswith("."):
            problems.append(f"{rel(root, run_dir)}: left by an interrupted dispose")
        elif expires is UNKNOWN:
            problems.append(f"{rel(root, run_dir)}: quarantine of a run without an audit record")
        elif expires is not None and expires < now:
            problems.append(f"{rel(root, run_dir)}: quarantine retention ran out on {expires}")
    problems += raw_problems(root, now)
    if token_keys is not None:
        present = {(f.retention, f.day.isoformat()) for f in files}
        for cls, day in expired_orphan_keys(root, token_keys, present, now):
            problems.append(f"token key {cls}/{day}: outlives its partition")
    problems += store_problems(OutputLayout(str(root)), token_keys)
    return problems


def _output_root(output: str | Path) -> Path:
    root = Path(output)
    if not OutputLayout(str(root)).looks_like_output():
        raise OutputError(f"{root} is not a datamin output directory")
    return root


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
            count += delete_store(hidden, step)
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
