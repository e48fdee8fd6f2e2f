"""What lives beside the data and when it goes: each run's quarantine, the encrypted raw
quarantine and token keys, by their own retention. Read without following a link inside the
output (`datamin.output.nofollow`); the deleting is the disposal's (`datamin.output.dispose`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from datamin.dates import saturating_add
from datamin.output.layout import AUDIT, QUARANTINE, RUN_ID, OutputLayout
from datamin.output.nofollow import DIR, FILE, LINK, Root
from datamin.output.rawquarantine import RAW_DIR, SUFFIX
from datamin.output.tokenkeys import TokenKeyStore
from datamin.policies.model import parse_duration

# -- quarantine ------------------------------------------------------------------------------

UNKNOWN: Any = object()


def quarantine_runs(root: Root) -> list[tuple[str, datetime | None]]:
    """Each run's quarantine (by directory name) with when it expires: the run's date plus its
    policy's default class duration (entries hold no content, but their keyed hashes identify
    records). Hidden names (an interrupted dispose) come as UNKNOWN; links are noted, skipped."""
    out: list[tuple[str, datetime | None]] = []
    for name, kind in root.entries(QUARANTINE):
        if kind != DIR:
            continue
        if name.startswith("."):
            out.append((name, UNKNOWN))
            continue
        out.append((name, _quarantine_expiry(root.path, name)))
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
    return saturating_add(day, length)


# -- raw quarantine --------------------------------------------------------------------------


def expired_raw_stores(root: Root, now: datetime) -> list[RawStore]:
    """The raw stores due at `now`. None while `_audit/runs` or `_audit/policies` is a link:
    a store that cannot be judged goes at once, and a link must not make every store look so."""
    if any(root.kind(p) == LINK for p in (AUDIT, f"{AUDIT}/runs", f"{AUDIT}/policies")):
        return []
    if root.kind(RAW_DIR) != DIR:
        return []
    return [s for s in raw_stores(root.path) if s.expired(now)]


def raw_problems(root: Root, now: datetime) -> list[str]:
    if root.kind(RAW_DIR) != DIR:
        return []
    problems: list[str] = []
    stores: dict[str, RawStore] = {s.run_id: s for s in raw_stores(root.path)}
    for name, kind in root.entries(RAW_DIR):
        if kind == LINK:
            continue  # reported as a link
        where = f"{RAW_DIR}/{name}"
        store = stores.get(name)
        if name.startswith("."):
            problems.append(f"{where}: left by an interrupted dispose")
        elif store is None:
            problems.append(f"{where}: not a raw quarantine store")
        elif store.expires is None:
            problems.append(
                f"{where}: raw quarantine of a run without an audit record or "
                "saved policy (cannot be judged)"
            )
        elif store.expires < now:
            problems.append(f"{where}: raw quarantine retention ran out on {store.expires}")
        if store is not None:
            problems += [
                f"{where}/{child}: left by an interrupted run"
                for child, kind in root.entries(where)
                if child.startswith(".") and kind != LINK
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
            if (cls, day) not in present and saturating_add(start, longest[cls]) < now:
                out.append((cls, day))
    return out


def _class_durations(root: Path) -> dict[str, timedelta | None]:
    """The longest duration (None: forever) each class has in any policy this output saved."""
    out: dict[str, timedelta | None] = {}
    with Root(root) as opened:
        saved = [
            opened.read(f"{AUDIT}/policies/{name}") or b""
            for name, kind in opened.entries(f"{AUDIT}/policies")
            if kind == FILE and name.endswith(".yaml") and not name.startswith(".")
        ]
    for body in saved:
        try:
            classes = yaml.safe_load(body)["retention"]["classes"]
            for cls, text in classes.items():
                length = parse_duration(str(text))
                if cls in out and out[cls] is None:
                    continue  # forever already
                if length is None or cls not in out or length > out[cls]:
                    out[cls] = length
        except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError):
            continue
    return out


# -- stores in a local output and when they expire ------------------------------------------


@dataclass(frozen=True)
class RawStore:
    """One run's raw quarantine directory. `expires` is None when it cannot be judged (no
    audit record, or no saved policy to read the retention from): such a store goes at once."""

    path: Path
    run_id: str
    expires: datetime | None
    files: int  # visible .dmq files

    def expired(self, now: datetime) -> bool:
        return self.expires is None or self.expires < now


def raw_stores(output: Path) -> list[RawStore]:
    """The visible run directories under `OUT/_quarantine_raw` named like a run id."""
    folder = output / RAW_DIR
    if not folder.is_dir():
        return []
    out = []
    for run_dir in sorted(folder.iterdir()):
        if run_dir.name.startswith(".") or not RUN_ID.match(run_dir.name):
            continue
        if run_dir.is_symlink() or not run_dir.is_dir():
            continue  # not datamin's: reported by verify, never followed or deleted
        files = sum(1 for p in run_dir.glob(f"*{SUFFIX}") if not p.name.startswith("."))
        out.append(RawStore(run_dir, run_dir.name, raw_expiry(output, run_dir.name), files))
    return out


def raw_expiry(output: Path, run_id: str) -> datetime | None:
    """The run's start (from its audit record) plus its policy's `quarantine.raw_retention`;
    None when either cannot be read."""
    from datamin.policies.model import Quarantine

    found = OutputLayout(str(output)).policy_of_run(run_id)
    if found is None:
        return None
    audit, policy = found
    try:
        started = datetime.fromisoformat(audit["started_at"])
        section = Quarantine.model_validate(policy.get("quarantine") or {})
        length = parse_duration(section.raw_retention)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError):
        return None  # pydantic's ValidationError is a ValueError
    if length is None:
        return None
    return saturating_add(started, length)
