"""Where everything of an output lives, and how a file appears there: the one owner of the
on-disk layout.

    DIR/data/retention=<class>/date=<YYYY-MM-DD>/part-<key>-<first>.parquet
    DIR/_quarantine/<run_id>/part-<random>.jsonl          value-free entries
    DIR/_quarantine_raw/<run_id>/<name>.dmq               encrypted raw records (opt-in)
    DIR/_audit/runs/<run_id>.json                         a run's commit record
    DIR/_audit/manifests/<run_id>.json                    the data files it committed
    DIR/_audit/policies/<sha256>.yaml                     the exact policy a run wrote under
    DIR/_audit/disposals/<stamp>-<random>.json            what a disposal did
    DIR/_audit/disposals/<stamp>-<random>.intent.json     what it will do (until it is done)
    DIR/_audit/commits/<run_id>.json                      a commit in progress (its intent)
    DIR/_audit/key.json                                   which key the output is written under
    DIR/_staging/<run_id>/...                             a run's files until it commits
    DIR/_lock                                             one writer at a time
    DIR/_audit/streams/<source id>.lock                   one streaming runner per source

A file appears whole or not at all: it is written under a hidden temporary name (`.<name>.tmp`,
which readers and globs skip) and renamed into place. A data file's `<key>` is the key of the one
source it holds, or a hash of the keys of the sources it holds (`files_key`); `<first>` the
position of its first record (`data_name`). A run id is `<UTC start>-<6 hex>`, so
runs sort by time. Roots are local paths or URIs Beam's filesystems open (`gs://`, `s3://`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

DATA = "data"
QUARANTINE = "_quarantine"
RAW_QUARANTINE = "_quarantine_raw"
AUDIT = "_audit"
LOCK = "_lock"
STAGING = "_staging"  # a run's files before it commits: `_staging/<run_id>/...`
# What a run writes into, under the output; each must be a directory it may write.
WRITTEN_DIRS = (
    DATA,
    QUARANTINE,
    RAW_QUARANTINE,
    AUDIT,
    f"{AUDIT}/runs",
    f"{AUDIT}/policies",
    f"{AUDIT}/manifests",
)

DISPOSALS = f"{AUDIT}/disposals"
STREAMS = f"{AUDIT}/streams"  # a streaming runner's lock, one per (output, source)
INTENT = ".intent.json"  # a disposal's plan, written before it deletes anything

RUN_ID = re.compile(r"^(\d{8})T\d{6}Z-[0-9a-f]+$")  # group 1: the run's UTC day
PARTITION = re.compile(r"^retention=([a-z][a-z0-9_]{0,39})$")
DATE = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")
# A data file's name: `part-<key>-<first>.parquet`, and `-<n>` before the suffix for the n-th
# file one writer would otherwise have given the same name. Group 1: the key.
DATA_NAME = re.compile(r"^part-([0-9a-f]+)-(\d+)(?:-(\d+))?\.parquet$")
MANIFESTS = f"{AUDIT}/manifests"  # a commit's list of data files: `<run_id>.json`
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def new_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def new_disposal_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def disposal_path(disposal_id: str, *, intent: bool = False) -> str:
    """A disposal's record (or its intent), relative to the output."""
    return f"{DISPOSALS}/{disposal_id}{INTENT if intent else '.json'}"


def data_name(key: str, first: int, n: int = 0) -> str:
    """A data file's name (see `DATA_NAME`): `key` a keyed hash, `first` a record position."""
    return f"part-{key}-{first:010d}{f'-{n}' if n else ''}.parquet"


def files_key(sources: Iterable[str]) -> str:
    """The key a data file is named by: its one source's key (as every file was named before
    files held several sources), or a hash of its sources' keys, which are keyed hashes
    themselves (so it derives from no value)."""
    import hashlib

    found = sorted(set(sources))
    if len(found) == 1:
        return found[0]
    return hashlib.sha256("\n".join(found).encode()).hexdigest()[:16]


def temp_for(path: str) -> str:
    """The hidden name a file is written under before it is renamed to `path`."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/.{name}.tmp"


@dataclass(frozen=True)
class OutputLayout:
    """The paths of one output. Every path is a string a `FileSystems` call takes; for a local
    output it is also an ordinary path (`layout.local` is the root as a `Path`)."""

    root: str

    @property
    def is_local(self) -> bool:
        return "://" not in self.root

    @property
    def local(self) -> Path:
        if not self.is_local:
            raise ValueError("not a local output")
        return Path(self.root)

    def join(self, *parts: str) -> str:
        if self.is_local:
            return os.path.join(self.root, *parts)
        from apache_beam.io.filesystems import FileSystems

        return FileSystems.join(self.root, *parts)

    def relative(self, path: str) -> str:
        prefix = self.root.rstrip("/") + "/"
        return path[len(prefix) :] if path.startswith(prefix) else path

    def looks_like_output(self) -> bool:
        """A local directory a run or disposal has written (it has data or an audit)."""
        root = self.local
        return (root / DATA).is_dir() or (root / AUDIT).is_dir()

    # -- data ------------------------------------------------------------------------------

    def data_file(self, retention: str, day: str, name: str) -> str:
        return self.join(DATA, f"retention={retention}", f"date={day}", name)

    @staticmethod
    def partition_of(relative: str) -> tuple[str, str] | None:
        """The (class, day) of a data file's path as an audit lists it (`data/retention=c/date=d/
        part-...`), or None for any other path."""
        parts = relative.split("/")
        if len(parts) != 4 or parts[0] != DATA:
            return None
        retention, day = PARTITION.match(parts[1]), DATE.match(parts[2])
        if retention is None or day is None:
            return None
        return retention.group(1), day.group(1)

    def data_files(self) -> str:
        """The pattern every data file (and its hidden temporaries) matches."""
        return self.join(DATA, "retention=*", "date=*", "*")

    # -- quarantine ------------------------------------------------------------------------

    def quarantine_file(self, run_id: str, name: str) -> str:
        return self.join(QUARANTINE, run_id, name)

    def quarantine_dir(self, run_id: str) -> str:
        return self.join(QUARANTINE, run_id)

    def raw_quarantine_dir(self, run_id: str) -> str:
        return self.join(RAW_QUARANTINE, run_id)

    # -- audit -----------------------------------------------------------------------------

    def run_record(self, run_id: str) -> str:
        """The audit record that commits a run."""
        return self.join(AUDIT, "runs", f"{run_id}.json")

    def run_summary(self, run_id: str) -> str:
        """What the pipeline's last step hands the driver (hidden; gone once committed)."""
        return self.join(AUDIT, "runs", f".{run_id}.summary.json")

    def manifest(self, run_id: str) -> str:
        """The data files a commit made visible and removed, each with its sources' rows
        (`datamin.output.manifest`); its audit record holds the counts and the hash."""
        return self.join(MANIFESTS, f"{run_id}.json")

    def policy_copy(self, sha256: str) -> str:
        return self.join(AUDIT, "policies", f"{sha256}.yaml")

    def run_records(self) -> Iterator[dict[str, Any]]:
        """Every committed run's audit record, oldest first (unreadable ones skipped); read
        without following a link in a local output."""
        from apache_beam.io.filesystems import FileSystems

        if self.is_local:
            from datamin.output.nofollow import FILE, Root

            with Root(self.local) as root:
                names = [n for n, kind in root.entries(f"{AUDIT}/runs") if kind == FILE]
                bodies = (root.read(f"{AUDIT}/runs/{n}") for n in names if _is_record(n))
                yield from sorted(_records(bodies), key=_commit_order)
            return
        found = FileSystems.match([self.join(AUDIT, "runs", "*.json")])[0].metadata_list
        paths = sorted(m.path for m in found if _is_record(m.path.rsplit("/", 1)[-1]))
        yield from sorted(_records(_read_remote(p) for p in paths), key=_commit_order)

    def policy_of_run(self, run_id: str) -> tuple[dict[str, Any], Any] | None:
        """A committed run's audit record and the policy it wrote under (parsed YAML), or None
        when either is missing or unreadable. Local outputs."""
        import yaml

        from datamin.output.nofollow import Root

        if not RUN_ID.match(run_id):
            return None
        try:
            # Read without following a link: what decides a deletion comes from this output.
            with Root(self.local) as root:
                audit = json.loads(root.read(f"{AUDIT}/runs/{run_id}.json") or b"")
                sha = audit["policy_sha256"]
                if not isinstance(sha, str) or not _SHA256.match(sha):
                    return None
                policy = yaml.safe_load(root.read(f"{AUDIT}/policies/{sha}.yaml") or b"")
        except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
            return None
        if policy is None:
            return None
        return audit, policy

    # -- commit: staging, intents, the key (kept apart from the rest to ease merging) ------

    def staging(self, run_id: str) -> OutputLayout:
        """Where a run's workers write (`_staging/<run_id>/`, laid out as an output: `data/`,
        `_quarantine/<run_id>/`, `_quarantine_raw/<run_id>/`); nothing there is visible to
        readers of `data/` until the run commits and its files are moved into place."""
        return OutputLayout(self.join(STAGING, run_id))

    def staging_root(self) -> str:
        return self.join(STAGING)

    def commit_intent(self, run_id: str) -> str:
        """What a committing run is about to move and replace, written before the first move:
        the next run or disposal completes it."""
        return self.join(AUDIT, "commits", f"{run_id}.json")

    def key_record(self) -> str:
        """A keyed fingerprint of the key the output is written under (never the key)."""
        return self.join(AUDIT, "key.json")

    # -- writing ---------------------------------------------------------------------------

    def save_policy(self, body: bytes, sha256: str) -> None:
        """Keep the policy a run wrote under (`body`: its saved form, see `policy_copy`), named
        by the original's hash. One left incomplete, or saved by a version that kept another
        form, is written again."""
        from apache_beam.io.filesystems import FileSystems

        path = self.policy_copy(sha256)
        if FileSystems.exists(path):
            with FileSystems.open(path) as f:
                if f.read() == body:
                    return
        write_atomic(path, body)


def write_atomic(path: str, body: bytes) -> None:
    """Write a hidden temporary file and rename it into place: readers see all or nothing."""
    from apache_beam.io.filesystems import FileSystems

    temp = temp_for(path)
    try:
        with FileSystems.create(temp) as f:
            f.write(body)
        FileSystems.rename([temp], [path])
    except BaseException:
        with contextlib.suppress(Exception):
            FileSystems.delete([temp])
        raise


def write_new(path: Path, body: bytes, *, mode: int = 0o600) -> None:
    """A new local file, complete or not there: written under a hidden name that must not exist
    yet, then renamed; an existing `path` is an error, never overwritten."""
    temp = Path(temp_for(str(path)))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        if path.exists():
            raise FileExistsError(path)
        temp.rename(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


# -- the output's identity (see `datamin.output.identity`) ----------------------------------
# A random id the run that creates an output writes into it once: what names its token key
# store, so moving or remounting the output changes nothing. `DIR/_audit/output.json`.
OUTPUT_ID_FILE = "output.json"  # inside AUDIT


def output_id_file(layout: OutputLayout) -> str:
    """Where an output's id is recorded."""
    return layout.join(AUDIT, OUTPUT_ID_FILE)


def remove_run_leftovers(output: Path) -> None:
    """What runs that died left in a local output, removed under its lock: hidden temporary
    files, and the quarantine of every run without an audit record (never committed; a re-run
    quarantines its records again). First, a disposal a kill interrupted is finished and
    audited, so a run never writes beside a half-done disposal. Nothing is reached through a
    link: a link is left where it is (the run refuses the output before this; see
    `boundary.refuse_links`)."""
    from datamin.output.dispose import finish_interrupted
    from datamin.output.nofollow import DIR, Root

    finish_interrupted(output)
    with Root(output) as root:
        temporary = [
            (f"{AUDIT}/runs", ""),
            (f"{AUDIT}/policies", ".tmp"),
            (AUDIT, ".tmp"),
            (f"{AUDIT}/commits", ".tmp"),
            (MANIFESTS, ".tmp"),
        ]
        for cls, kind in root.entries(DATA):
            days = root.entries(f"{DATA}/{cls}") if kind == DIR else []
            temporary += [(f"{DATA}/{cls}/{day}", ".tmp") for day, k in days if k == DIR]
        temporary += [
            (f"{RAW_QUARANTINE}/{run}", ".tmp") for run, _ in root.entries(RAW_QUARANTINE)
        ]
        for folder, suffix in temporary:
            for name, _ in root.entries(folder):
                if name.startswith(".") and name.endswith(suffix):
                    root.unlink(f"{folder}/{name}")
        for quarantine in (QUARANTINE, RAW_QUARANTINE):
            for name, kind in root.entries(quarantine):
                committed = root.kind(f"{AUDIT}/runs/{name}.json") is not None
                if kind == DIR and RUN_ID.match(name) and not committed:
                    root.remove_tree(f"{quarantine}/{name}")


def _commit_order(record: dict[str, Any]) -> tuple[str, str, str]:
    """Run ids order runs by the second they started in; within one second (a re-run, stream
    batches) the record finished first, which was committed first, comes first."""
    run_id = str(record.get("run_id", ""))
    return run_id[:16], str(record.get("finished_at", "")), run_id


def _is_record(name: str) -> bool:
    return name.endswith(".json") and RUN_ID.match(name.removesuffix(".json")) is not None


def _read_remote(path: str) -> bytes | None:
    from apache_beam.io.filesystems import FileSystems

    try:
        with FileSystems.open(path) as f:
            return f.read()
    except OSError:
        return None


def _records(bodies: Iterable[bytes | None]) -> Iterator[dict[str, Any]]:
    for body in bodies:
        try:
            record = json.loads(body or b"")
        except ValueError:
            continue
        if isinstance(record, dict):
            yield record
