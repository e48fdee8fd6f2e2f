"""A run's quarantine, read back: entries by error class, and a raw store decrypted for replay.

Exported files hold the records as they were, personal data included, by design: nothing here
prints them, and their names, the manifest and every message hold paths, positions, counts and
error classes only. The commands are in `datamin.cli.quarantine`.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from datamin.errors import DataminError, OutputError
from datamin.formats import replay_format
from datamin.output.layout import QUARANTINE, OutputLayout, write_new
from datamin.output.nofollow import DIR, FILE, Root
from datamin.output.rawquarantine import (
    RUN_ID,
    SUFFIX,
    RawEntry,
    RawKey,
    read_raw_file,
)
from datamin.output.stores import raw_stores

MANIFEST = Path(".datamin") / "manifest.json"


# -- what the commands return ----------------------------------------------------------------


@dataclass
class RunQuarantine:
    run_id: str
    entries: int = 0
    by_error: Counter[str] = field(default_factory=Counter)
    raw_files: int | None = None  # None: no raw store
    raw_expires: datetime | None = None  # None with a store: cannot be judged, due at once

    def to_json(self, now: datetime) -> dict[str, Any]:
        raw = self.raw_files is not None
        return {
            "run_id": self.run_id,
            "entries": self.entries,
            "by_error": dict(self.by_error.most_common()),
            "raw_store": raw,
            "raw_files": self.raw_files or 0,
            "raw_expires": self.raw_expires.isoformat() if self.raw_expires else None,
            "raw_expired": raw and (self.raw_expires is None or self.raw_expires < now),
        }


def quarantine_summary(output: Path) -> list[RunQuarantine]:
    """Every run with a plain quarantine or a raw store, oldest first. Read without following a
    link inside the output: a linked run folder or part file is not counted."""
    _check_output(output)
    runs: dict[str, RunQuarantine] = {}
    with Root(output) as root:
        for run_name, kind in root.entries(QUARANTINE):
            if run_name.startswith(".") or kind != DIR:
                continue
            run = runs.setdefault(run_name, RunQuarantine(run_name))
            for part, part_kind in root.entries(f"{QUARANTINE}/{run_name}"):
                if part_kind == FILE and part.startswith("part-") and part.endswith(".jsonl"):
                    for line in _lines(root.read(f"{QUARANTINE}/{run_name}/{part}")):
                        _count(run, line)
    for store in raw_stores(output):
        run = runs.setdefault(store.run_id, RunQuarantine(store.run_id))
        run.raw_files, run.raw_expires = store.files, store.expires
    return [runs[k] for k in sorted(runs)]


def _check_output(output: Path) -> None:
    if not OutputLayout(str(output)).looks_like_output():
        raise OutputError(f"{output} is not a datamin output directory")


def _lines(body: bytes | None) -> list[str]:
    try:
        if body is None:
            raise OSError
        return [ln for ln in body.decode("utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError):
        return ["(unreadable quarantine file)"]


def _count(run: RunQuarantine, line: str) -> None:
    """One entry: one record, plus the `more` records a source's summary entry stands for
    (past the bound on entries per source), by the error classes it lists."""
    unreadable = "(unreadable quarantine entry)"
    try:
        entry = json.loads(line)
        error = entry["error"]
        more = entry.get("more", 0)
        more_by_error = entry.get("more_by_error") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        run.entries += 1
        run.by_error[unreadable] += 1
        return
    run.entries += 1
    run.by_error[error if isinstance(error, str) else unreadable] += 1
    if not isinstance(more, int) or isinstance(more, bool) or more <= 0:
        return
    run.entries += more
    counted = 0
    if isinstance(more_by_error, dict):
        for name, n in more_by_error.items():
            if isinstance(n, int) and not isinstance(n, bool) and 0 < n <= more - counted:
                run.by_error[str(name)] += n
                counted += n
    if counted < more:  # an entry without its breakdown: its own class stands for the rest
        run.by_error[error if isinstance(error, str) else unreadable] += more - counted


@dataclass(frozen=True)
class Exported:
    dest: Path
    manifest: Path
    files: int  # entries written, one file each
    without_content: int  # entries with no bytes kept (nothing could be read): in the manifest


def export_run(output: Path, run_id: str, key: RawKey, dest: Path, now: datetime) -> Exported:
    """Decrypt one run's raw store into `dest` (a new or empty directory outside the output),
    all or nothing: on any error, what was written is removed again. A store past its retention
    (or one that cannot be judged) is due for disposal and is not exported."""
    from datamin.output.lock import OutputLock

    root = output.expanduser().resolve()
    _check_output(root)
    if not RUN_ID.match(run_id):
        raise DataminError("--run is a run id, like 20260301T120000Z-1a2b3c")
    target = dest.expanduser().resolve()
    if target == root or root in target.parents:
        raise OutputError(f"{dest} is inside the output directory {output}; export elsewhere")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(f"{dest} is not an empty directory")
    with OutputLock(root):
        store = next((s for s in raw_stores(root) if s.run_id == run_id), None)
        if store is None:
            raise DataminError(f"no raw quarantine store for run {run_id} in {output}")
        if store.expired(now):
            when = f"ran out on {store.expires}" if store.expires else "cannot be judged"
            raise DataminError(f"the raw quarantine of run {run_id} {when}; it is due for dispose")
        created = not target.exists()
        written: list[Path] = []
        try:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            return _export(store.path, run_id, key, target, written, now)
        except BaseException:
            for path in reversed(written):
                with contextlib.suppress(OSError):
                    path.unlink()
            with contextlib.suppress(OSError):
                (target / MANIFEST).parent.rmdir()
            if created:
                with contextlib.suppress(OSError):
                    target.rmdir()
            raise


def _export(
    store: Path, run_id: str, key: RawKey, target: Path, written: list[Path], now: datetime
) -> Exported:
    entries: list[dict[str, Any]] = []
    empty: list[dict[str, Any]] = []
    for store_file in sorted(p for p in store.glob(f"*{SUFFIX}") if not p.name.startswith(".")):
        for entry in read_raw_file(str(store_file), key):
            where = {
                "source": entry.source,
                "index": entry.index,
                "error": entry.error,
                "store_file": store_file.name,
            }
            if not entry.raw:
                empty.append(where)
                continue
            suffix, body = replay_form(entry)
            name = f"{run_id}-{len(entries) + 1:06d}{suffix}"
            _write_new(target / name, body, written)
            entries.append({"file": name, **where, "har_entry": entry.kind == "har"})
    manifest = {
        "run_id": run_id,
        "exported_at": now.isoformat(),
        "replay": f"datamin run -i '{target}/*' -o OUT -p POLICY",
        "entries": entries,
        "without_content": empty,
    }
    (target / MANIFEST).parent.mkdir(mode=0o700, exist_ok=True)
    _write_new(target / MANIFEST, json.dumps(manifest, indent=2).encode() + b"\n", written)
    return Exported(target, target / MANIFEST, len(entries), len(empty))


def replay_form(entry: RawEntry) -> tuple[str, bytes]:
    """The file suffix and bytes under which `datamin run` reads the record as it first did
    (`datamin.formats` picks the reader by suffix), as the format of its kind, else of its
    source's name, writes it: a HAR entry inside a one-entry HAR log; a whole document from a
    HAR file as `.har`; one line as `.jsonl`; anything longer as a single `.json` document. The
    record's own bytes are unchanged in every form."""
    return replay_format(entry.source, entry.kind).replay(entry.raw, entry.kind)


def _write_new(path: Path, body: bytes, written: list[Path]) -> None:
    """A new file, complete or not there (a replay of `DEST/*` must never read a record cut
    short by a kill), remembered so that a failed export removes it again."""
    write_new(path, body)
    written.append(path)
