"""`datamin dispose`: delete what has outlived its retention, provably, and say so in the audit.

The output is laid out so that deleting a partition is the whole job: a Parquet file holds the
rows of one retention class and one event date only (so no other file's statistics hold its
values), quarantine entries hold no content, and audit records hold counts and paths. A file's
retention is the duration recorded in its own footer by the run that wrote it, so editing the
policy later neither extends nor shortens what was promised.

A partition `retention=<class>/date=<d>` expires when `d + duration < now`. Disposal first
decides everything it will remove and writes that down (`datamin.output.intent`), then renames
an expired partition to a hidden `.disposing-...` name (readers skip hidden names, and a rename
is atomic), then deletes its files, so a crash leaves either a whole partition or one no reader
sees; the next dispose carries out what the intent says and writes the record the killed one
could not. Disposal runs under the output's lock, so no run writes while it deletes.

Nothing here follows a link inside the output (`datamin.output.nofollow`): a link where
datamin expects its own file or directory is listed in the report and the verification (exit 1)
and left alone, and the rest of the disposal goes on.

The optional raw quarantine (`_quarantine_raw/<run_id>/`, encrypted record bytes; see
`datamin.output.rawquarantine`) goes when the run's start plus its policy's
`quarantine.raw_retention` has passed, whatever the data classes say; a store whose run has no
audit record cannot be judged and goes at once.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from datamin.errors import OutputError
from datamin.output.boundary import check_tree
from datamin.output.commit import recover, verify_rows
from datamin.output.identity import store_problems
from datamin.output.intent import (
    Plan,
    delete_hidden,
    delete_raw,
    execute,
    finish_intents,
    intents,
    remove_intent,
    write_intent,
)
from datamin.output.keystores import record_if_owned
from datamin.output.layout import (
    AUDIT,
    DATA,
    DISPOSALS,
    PARTITION,
    QUARANTINE,
    STAGING,
    OutputLayout,
    disposal_path,
    new_disposal_id,
)
from datamin.output.lock import STREAM_WAIT_SECONDS, OutputLock
from datamin.output.nofollow import DIR, FILE, LINK, Root
from datamin.output.rawquarantine import RAW_DIR, SUFFIX
from datamin.output.report import (
    DISPOSING,
    ClassTally,
    DataFile,
    DisposalReport,
    Step,
    parse_now,
    totals,
    write_audit,
)
from datamin.output.scan import scan
from datamin.output.stores import (
    UNKNOWN,
    expired_orphan_keys,
    expired_raw_stores,
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
    path = _output_root(output)
    token_keys = store_of(path, token_keys)  # the output's own store by its id, if not given
    step = on_step or (lambda _: None)
    report = DisposalReport(str(path), now.isoformat(), dry_run)
    with Root(path) as root, OutputLock(root.path, wait_for_stream=STREAM_WAIT_SECONDS):
        if not dry_run:
            _audit_dir(root, path)  # nothing goes unless where it is recorded can be written
            report.disposal_id = new_disposal_id(datetime.now(UTC))
            report.completed = finish_intents(root, report.disposal_id, token_keys, step)
            # A run stopped mid-commit: completed (its audit written) or its staging deleted,
            # before anything is judged, so its files are disposed of like any others.
            report.runs_completed = recover(OutputLayout(str(root.path)), report.runs_rolled_back)
            report.leftovers_removed = _finish_leftovers(root, step)
        plan = _plan(root, now, report, token_keys)
        if not dry_run:
            write_intent(root, report.disposal_id, plan, report.to_json())
            step("intent")
            done = execute(root, plan, token_keys, step)
            report.raw_quarantine_files = done.raw_files
            own = disposal_path(report.disposal_id, intent=True) + ":"  # goes next
            problems = verify(root, now, token_keys=token_keys, locked=True)
            report.problems = [p for p in problems if not p.startswith(own)]
            report.links = sorted(root.links)
            write_audit(root, report)
            step("record")
            remove_intent(root, report.disposal_id)
            step("audit")
            if token_keys is not None:
                record_if_owned(token_keys, root.path)  # seen here: `keys gc` keeps its store
        else:
            report.links = sorted(root.links)
    return report


def verify(
    output: str | Path | Root,
    now: datetime,
    *,
    token_keys: Path | None = None,
    locked: bool = False,
) -> list[str]:
    """Every way the tree holds data past its retention, by path; [] when none does."""
    if not isinstance(output, Root):
        path = _output_root(output)
        token_keys = store_of(path, token_keys)
        with (
            Root(path) as root,
            contextlib.nullcontext()
            if locked
            else OutputLock(root.path, wait_for_stream=STREAM_WAIT_SECONDS),
        ):
            return verify(root, now, token_keys=token_keys, locked=True)
    root = output
    problems: list[str] = []
    files, unknown = scan(root)
    problems += [f"{root.rel(p)}: not a datamin data file" for p in unknown]
    for f in files:
        expires = f.expires_at()
        if expires is not None and expires < now:
            problems.append(f"{root.rel(f.path)}: retention {f.duration} ran out on {expires}")
    for rel, kind in root.walk(DATA):
        if rel.rsplit("/", 1)[-1].startswith(".") and kind != LINK:
            problems.append(f"{rel}: left by an interrupted run or dispose")
    for name, expires in quarantine_runs(root):
        where = f"{QUARANTINE}/{name}"
        if name.startswith("."):
            problems.append(f"{where}: left by an interrupted dispose")
        elif expires is UNKNOWN:
            problems.append(f"{where}: quarantine of a run without an audit record")
        elif expires is not None and expires < now:
            problems.append(f"{where}: quarantine retention ran out on {expires}")
    problems += raw_problems(root, now)
    for disposal_id in intents(root):
        problems.append(
            f"{disposal_path(disposal_id, intent=True)}: a disposal that did not finish (the "
            "next dispose or run completes it)"
        )
    if token_keys is not None:
        present = {(f.retention, f.day.isoformat()) for f in files}
        for cls, day in expired_orphan_keys(root.path, token_keys, present, now):
            problems.append(f"token key {cls}/{day}: outlives its partition")
    layout = OutputLayout(str(root.path))
    problems += store_problems(layout, token_keys)
    begun = {
        n.removesuffix(".json")
        for n, _ in root.entries(f"{AUDIT}/commits")
        if not n.startswith(".")
    }
    for run_id in sorted(begun):
        problems.append(
            f"{AUDIT}/commits/{run_id}.json: a run's commit that did not finish (the next run "
            "or dispose completes it)"
        )
    for name, _ in root.entries(STAGING):
        if name not in begun:
            problems.append(
                f"{STAGING}/{name}: left by a run that did not commit (the next run or dispose "
                "deletes it)"
            )
    problems += verify_rows(layout)
    for link in check_tree(root):
        problems.append(f"{link}: a link, never followed by datamin; left in place")
    return problems


def _output_root(output: str | Path) -> Path:
    root = Path(output)
    if not OutputLayout(str(root)).looks_like_output():
        raise OutputError(f"{root} is not a datamin output directory")
    return root


def _audit_dir(root: Root, path: Path) -> None:
    try:
        root.makedirs(DISPOSALS)
    except OutputError as exc:
        raise OutputError(f"cannot record a disposal in {path}: {exc}") from None
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        raise OutputError(f"cannot record a disposal in {path} ({reason})") from None


def _plan(root: Root, now: datetime, report: DisposalReport, token_keys: Path | None) -> Plan:
    """What is expired at `now`, tallied into the report; nothing is changed."""
    plan = Plan()
    gone: set[tuple[str, str]] = set()
    files, unknown = scan(root)
    # A partition holding anything that is not datamin's is never removed whole: its expired
    # files go one by one, the rest stays (and verify reports it).
    foreign = {p.parent for p in unknown}
    by_partition: dict[Path, list[DataFile]] = {}
    for f in files:
        by_partition.setdefault(f.path.parent, []).append(f)
    keys = TokenKeyStore(token_keys) if token_keys is not None else None
    policies: set[str] = set()
    for partition, members in sorted(by_partition.items()):
        expired = [f for f in members if (e := f.expires_at()) is not None and e < now]
        if not expired:
            report.kept_partitions += 1
            continue
        cls, day = members[0].retention, members[0].day.isoformat()
        tally = report.disposed.setdefault(cls, ClassTally())
        tally.files += len(expired)
        tally.rows += sum(f.rows for f in expired)
        policies.update(f.policy_sha256 for f in expired)
        # A link where its hidden name goes would stop the rename: then file by file.
        hidden = root.rel(partition.with_name(DISPOSING + partition.name))
        blocked = root.kind(hidden) == LINK
        if len(expired) == len(members) and partition not in foreign and not blocked:
            tally.partitions += 1
            report.partitions.append(f"{partition.parent.name}/{partition.name}")
            plan.partitions.append(root.rel(partition))
            gone.add((cls, day))
            if keys is not None and keys.identity(cls, day) is not None:
                plan.token_keys.append(f"{cls}/{day}")
        else:
            report.kept_partitions += 1
            plan.files += [root.rel(f.path) for f in expired]
    report.policies = sorted(policies)
    for name, expires in quarantine_runs(root):
        if name.startswith(".") or expires is UNKNOWN or expires is None or expires >= now:
            continue
        if root.kind(f"{QUARANTINE}/{DISPOSING}{name}") == LINK:
            continue  # its hidden name is taken by a link (listed): it waits
        report.quarantine_runs.append(name)
        plan.quarantine_runs.append(name)
    for store in expired_raw_stores(root, now):
        if root.kind(f"{RAW_DIR}/{DISPOSING}{store.run_id}") == LINK:
            continue
        report.raw_quarantine_runs.append(store.run_id)
        report.raw_quarantine_files += store.files
        plan.raw_quarantine_runs.append(store.run_id)
    if token_keys is not None:
        # Keys of periods that have run out and kept no partition here.
        present = {(f.retention, f.day.isoformat()) for f in files} - gone
        for cls, day in expired_orphan_keys(root.path, token_keys, present, now):
            if f"{cls}/{day}" not in plan.token_keys:
                plan.token_keys.append(f"{cls}/{day}")
    report.token_keys_deleted = list(plan.token_keys)
    return plan


def _finish_leftovers(root: Root, step: Step) -> int:
    """Complete an interrupted disposal no intent speaks for, and remove temporary files of
    crashed runs: with the lock held, nothing else can be writing them."""
    count = 0
    for class_name, kind in root.entries(DATA):
        if kind != DIR or not PARTITION.match(class_name):
            continue
        class_dir = f"{DATA}/{class_name}"
        for name, kind in root.entries(class_dir):
            if name.startswith(DISPOSING) and kind == DIR:
                count += delete_hidden(root, f"{class_dir}/{name}", step)
            elif kind == DIR and not name.startswith("."):
                for leftover, kind in root.entries(f"{class_dir}/{name}"):
                    ours = leftover.startswith(".part-") and leftover.endswith(".tmp")
                    if (ours or leftover.endswith(".disposing")) and kind == FILE:
                        if root.unlink(f"{class_dir}/{name}/{leftover}"):
                            count += 1
                            step(f"delete {leftover}")
    for name, kind in root.entries(QUARANTINE):
        if kind != DIR:
            continue
        if name.startswith(DISPOSING):
            root.remove_tree(f"{QUARANTINE}/{name}")
            count += 1
            step(f"remove {name}")
        else:
            count += _remove_temporary(root, f"{QUARANTINE}/{name}", ".tmp")
    for name, kind in root.entries(RAW_DIR):
        if kind != DIR:
            continue
        if name.startswith(DISPOSING):
            count += delete_raw(root, f"{RAW_DIR}/{name}", step)
        else:
            count += _remove_temporary(root, f"{RAW_DIR}/{name}", f"{SUFFIX}.tmp", step)
    runs = f"{AUDIT}/runs"
    for name, kind in root.entries(runs):
        if name.startswith(".") and name.endswith(".summary.json") and kind == FILE:
            count += root.unlink(f"{runs}/{name}")
    return count


def _remove_temporary(root: Root, folder: str, suffix: str, step: Step | None = None) -> int:
    count = 0
    for name, kind in root.entries(folder):
        if name.startswith(".") and name.endswith(suffix) and kind == FILE:
            if root.unlink(f"{folder}/{name}"):
                count += 1
                if step is not None:
                    step(f"delete {name}")
    return count


def finish_interrupted(output: Path) -> list[str]:
    """For a run starting on the output (under its lock): the disposals a kill interrupted,
    carried out and recorded, so a run never writes beside a half-done disposal. Token keys
    wait for the next dispose with the key store (their partitions are gone by then)."""
    with Root(output) as root:
        return finish_intents(root, "run", None, lambda _: None)
