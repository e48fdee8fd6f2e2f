"""A disposal's plan, written down before anything is deleted, and carried out.

A disposal decides everything it will remove first (partitions, single files, quarantine runs,
raw stores, token keys), writes that plan as `_audit/disposals/<id>.intent.json`, then deletes,
then writes its record `<id>.json` and removes the intent. A disposal killed at any point after
the intent leaves a plan on disk, and the next dispose (or run) carries the same plan out again
(every step is idempotent: a partition may be visible, hidden or gone) and writes the record the
killed one could not, marked `completed_by`. So no deletion goes unaudited. The plan names
datamin's own paths, run ids and token key names (`class/day`), never a value.

Everything here walks the output through `datamin.output.nofollow`: no link is followed, and
a path from an intent file is accepted only in the shapes a disposal writes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datamin.errors import DataminError
from datamin.output.layout import (
    DATA,
    DATE,
    DISPOSALS,
    INTENT,
    PARTITION,
    QUARANTINE,
    RAW_QUARANTINE,
    RUN_ID,
    disposal_path,
)
from datamin.output.nofollow import DIR, FILE, Root
from datamin.output.rawquarantine import SUFFIX as RAW_SUFFIX
from datamin.output.report import DISPOSING, Step
from datamin.output.tokenkeys import TokenKeyStore, check_day, check_retention


@dataclass
class Plan:
    partitions: list[str] = field(default_factory=list)  # `data/retention=c/date=d`, whole
    files: list[str] = field(default_factory=list)  # `data/retention=c/date=d/<file>`, one by one
    quarantine_runs: list[str] = field(default_factory=list)  # run ids under `_quarantine`
    raw_quarantine_runs: list[str] = field(default_factory=list)  # under `_quarantine_raw`
    token_keys: list[str] = field(default_factory=list)  # `class/day`

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """A plan read back from an intent file, in exactly the shapes a disposal writes."""
        plan = cls(**{k: [str(v) for v in data[k]] for k in asdict(cls())})
        for rel in plan.partitions:
            _partition(rel)
        for rel in plan.files:
            *parent, name = rel.split("/")
            _partition("/".join(parent))
            if name.startswith(".") or not name:
                raise ValueError("not a data file")
        for run in plan.quarantine_runs + plan.raw_quarantine_runs:
            if not RUN_ID.match(run):
                raise ValueError("not a run id")
        for key in plan.token_keys:
            cls_, day = key.split("/")
            check_retention(cls_)
            check_day(day)
        return plan


def _partition(rel: str) -> tuple[str, str]:
    """(class, day) of `data/retention=c/date=d`; ValueError for any other shape."""
    parts = rel.split("/")
    c = PARTITION.match(parts[1]) if len(parts) == 3 and parts[0] == DATA else None
    d = DATE.match(parts[2]) if c else None
    if c is None or d is None:
        raise ValueError("not a partition")
    return c.group(1), d.group(1)


@dataclass
class Done:
    raw_files: int = 0  # encrypted files of raw stores removed
    keys: list[str] = field(default_factory=list)  # token keys deleted


def execute(root: Root, plan: Plan, store: Path | None, step: Step) -> Done:
    """Carry the plan out; any step may have been done already. Without a key store the keys
    stay (a later dispose with the store finds them: their partitions are gone)."""
    done = Done()
    keys = TokenKeyStore(store) if store is not None else None

    def delete_key(name: str) -> None:
        if keys is None or name not in plan.token_keys or name in done.keys:
            return
        cls, day = name.split("/")
        keys.delete(cls, day)
        done.keys.append(name)
        step(f"delete key {name}")

    for rel in plan.partitions:
        cls, day = _partition(rel)
        # The key goes first: a crash after it leaves tokens no one can reverse, never a live
        # key for data that is gone.
        delete_key(f"{cls}/{day}")
        folder, name = rel.rsplit("/", 1)
        hidden = f"{folder}/{DISPOSING}{name}"
        delete_hidden(root, hidden, step)  # what an interrupted attempt hid, if anything
        # Hidden next: from here on no reader sees the partition, whole or in part.
        if root.rename(rel, DISPOSING + name):
            step(f"hide {name}")
            delete_hidden(root, hidden, step)
    for rel in plan.files:
        # Files of a partition written under different policies expire one by one.
        folder, name = rel.rsplit("/", 1)
        if root.kind(rel) == FILE and root.rename(rel, f".{name}.disposing"):
            step(f"hide {name}")
        if root.unlink(f"{folder}/.{name}.disposing"):
            step(f"delete {name}")
    for folder in sorted({rel.rsplit("/", 1)[0] for rel in plan.files}):
        root.rmdir(folder)  # only when nothing is left in it
    for run in plan.quarantine_runs:
        if root.rename(f"{QUARANTINE}/{run}", DISPOSING + run):
            step(f"hide {run}")
        if root.kind(f"{QUARANTINE}/{DISPOSING}{run}") == DIR:
            root.remove_tree(f"{QUARANTINE}/{DISPOSING}{run}")
            step(f"remove {DISPOSING}{run}")
    for run in plan.raw_quarantine_runs:
        if root.rename(f"{RAW_QUARANTINE}/{run}", DISPOSING + run):
            step(f"hide raw {run}")
        done.raw_files += delete_raw(root, f"{RAW_QUARANTINE}/{DISPOSING}{run}", step)
    for name in plan.token_keys:
        delete_key(name)
    for name, kind in root.entries(DATA):
        if kind == DIR and PARTITION.match(name):
            root.rmdir(f"{DATA}/{name}")  # only when empty
    return done


def delete_hidden(root: Root, hidden: str, step: Step) -> int:
    """Delete a hidden partition file by file; returns how many files went."""
    if root.kind(hidden) != DIR:
        return 0
    removed = root.remove_tree(hidden, lambda name: step(f"delete {name}"))
    step(f"remove {hidden.rsplit('/', 1)[-1]}")
    return len(removed)


def delete_raw(root: Root, hidden: str, step: Step) -> int:
    """Delete a hidden raw store; returns how many encrypted files went."""
    if root.kind(hidden) != DIR:
        return 0
    removed = root.remove_tree(hidden, lambda name: step(f"delete {name}"))
    step(f"remove {hidden.rsplit('/', 1)[-1]}")
    return sum(
        1
        for p in removed
        if (n := p.rsplit("/", 1)[-1]).endswith(RAW_SUFFIX) and not n.startswith(".")
    )


# -- the intent on disk ----------------------------------------------------------------------


def write_intent(root: Root, disposal_id: str, plan: Plan, report: dict[str, Any]) -> None:
    """Before anything is deleted: the plan and the report it will make (tallies and names)."""
    body = {
        "disposal_id": disposal_id,
        "written_at": datetime.now(UTC).isoformat(),
        "plan": asdict(plan),
        "report": report,
    }
    root.write_new(
        disposal_path(disposal_id, intent=True),
        (json.dumps(body, indent=2) + "\n").encode(),
        mode=0o644,
    )


def remove_intent(root: Root, disposal_id: str) -> None:
    root.unlink(disposal_path(disposal_id, intent=True))


def intents(root: Root) -> list[str]:
    """The ids of disposals whose intent is still there, oldest first."""
    return [
        name[: -len(INTENT)]
        for name, kind in root.entries(DISPOSALS)
        if kind == FILE and name.endswith(INTENT) and not name.startswith(".")
    ]


def finish_intents(root: Root, by: str, store: Path | None, step: Step) -> list[str]:
    """Carry out every plan an interrupted disposal left, and write the record it did not;
    returns their ids. An intent that cannot be read stays (verify reports it)."""
    finished = []
    for disposal_id in intents(root):
        try:
            body = json.loads(root.read(disposal_path(disposal_id, intent=True)) or b"")
            plan = Plan.from_json(body["plan"])
            record = dict(body["report"])
        except (ValueError, KeyError, TypeError, AttributeError, DataminError):
            continue
        if root.kind(disposal_path(disposal_id)) is None:  # killed before its record
            done = execute(root, plan, store, step)
            record.update(
                disposal_id=disposal_id,
                completed_by=by,
                disposed_at=datetime.now(UTC).isoformat(),
                raw_quarantine_files=done.raw_files,
                token_keys_deleted=done.keys,
                # Checked by the disposal that finished it, whose record holds the result.
                problems=[],
                verified=None,
            )
            if store is None:
                record["token_keys_left"] = plan.token_keys
            root.write_new(
                disposal_path(disposal_id),
                (json.dumps(record, indent=2) + "\n").encode(),
                mode=0o644,
            )
            step(f"record {disposal_id}")
        remove_intent(root, disposal_id)
        finished.append(disposal_id)
    return finished
