"""Disposal of what lives beside the data: each run's quarantine, the encrypted raw quarantine
and token keys, by their own retention."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from datamin.output.layout import AUDIT, QUARANTINE, RUN_ID, OutputLayout
from datamin.output.rawquarantine import RAW_DIR, SUFFIX, RawStore, raw_stores
from datamin.output.report import DISPOSING, DisposalReport, Step, rel
from datamin.output.scan import scan
from datamin.output.tokenkeys import TokenKeyStore
from datamin.policies.model import parse_duration

# -- quarantine ------------------------------------------------------------------------------

UNKNOWN: Any = object()


def quarantine_runs(root: Path) -> list[tuple[Path, datetime | None]]:
    """Each run's quarantine with when it expires: the run's date plus its policy's default
    class duration (entries hold no content, but their keyed hashes identify records)."""
    quarantine = root / QUARANTINE
    if not quarantine.is_dir():
        return []
    out: list[tuple[Path, datetime | None]] = []
    for run_dir in sorted(p for p in quarantine.iterdir() if p.is_dir()):
        if run_dir.name.startswith("."):
            out.append((run_dir, UNKNOWN))
            continue
        out.append((run_dir, _quarantine_expiry(root, run_dir.name)))
    return out


def _quarantine_expiry(root: Path, run_id: str) -> datetime | None:
    m = RUN_ID.match(run_id)
    found = OutputLayout(str(root)).policy_of_run(run_id)
    if found is None:
        return UNKNOWN
    _, policy = found
    try:
        retention = policy["retention"]
        length = parse_duration(str(retention["classes"][retention["default"]]))
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return UNKNOWN
    if m is None:
        return UNKNOWN
    if length is None:
        return None
    day = datetime.strptime(m.group(1), "%Y%m%d").replace(tzinfo=UTC)
    return day + length


def dispose_quarantine(
    root: Path, now: datetime, report: DisposalReport, dry_run: bool, step: Step
) -> None:
    for run_dir, expires in quarantine_runs(root):
        if expires is UNKNOWN or expires is None or expires >= now:
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


def dispose_raw_quarantine(
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
        report.raw_quarantine_files += delete_store(hidden, step)


def delete_store(hidden: Path, step: Step) -> int:
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


def raw_problems(root: Path, now: datetime) -> list[str]:
    folder = root / RAW_DIR
    if not folder.is_dir():
        return []
    problems: list[str] = []
    stores: dict[Path, RawStore] = {s.path: s for s in raw_stores(root)}
    for child in sorted(folder.iterdir()):
        store = stores.get(child)
        if child.name.startswith("."):
            problems.append(f"{rel(root, child)}: left by an interrupted dispose")
        elif store is None:
            problems.append(f"{rel(root, child)}: not a raw quarantine store")
        elif store.expires is None:
            problems.append(
                f"{rel(root, child)}: raw quarantine of a run without an audit record or "
                "saved policy (cannot be judged)"
            )
        elif store.expires < now:
            problems.append(
                f"{rel(root, child)}: raw quarantine retention ran out on {store.expires}"
            )
        if store is not None:
            problems += [
                f"{rel(root, p)}: left by an interrupted run" for p in sorted(child.glob(".*"))
            ]
    return problems


# -- token keys (crypto-shredding) -----------------------------------------------------------


def expired_orphan_keys(
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
    for saved in sorted((root / AUDIT / "policies").glob("*.yaml")):
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


def delete_token_keys(
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
    for cls, day in expired_orphan_keys(root, store, present, now):
        if f"{cls}/{day}" in report.token_keys_deleted:
            continue
        report.token_keys_deleted.append(f"{cls}/{day}")
        if not dry_run:
            keys.delete(cls, day)
            step(f"delete key {cls}/{day}")
