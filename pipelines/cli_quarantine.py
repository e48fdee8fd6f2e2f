"""`datamin quarantine ...`: what a run quarantined, and the optional raw store's way back.

`list` reads the plain quarantine (entries by error class; no key needed) and says which runs
kept a raw store and until when. `export` decrypts one run's raw store into a directory, one
file per record, named so `datamin run -i 'DEST/*'` replays them after a fix; the manifest
that maps each file to its source, position and error is `DEST/.datamin/manifest.json`, in a
hidden directory so that glob never reads it. `new-key` makes the raw store's key file.

Exported files hold the records as they were, personal data included, by design: nothing here
prints them, and their names, the manifest and every message hold paths, positions, counts and
error classes only.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from datamin.errors import DataminError, KeyConfigError, OutputError
from datamin.pipelines.console import err, fail, out
from datamin.rawquarantine import (
    RAW_DIR,
    RUN_ID,
    SUFFIX,
    RawEntry,
    RawKey,
    create_raw_key_file,
    raw_stores,
    read_raw_file,
    resolve_raw_key,
)

quarantine_app = typer.Typer(
    help="What runs quarantined; export a run's raw quarantine store for replay.",
    no_args_is_help=True,
)

MANIFEST = Path(".datamin") / "manifest.json"
_HAR_HEAD = b'{"log":{"version":"1.2","creator":{"name":"datamin quarantine export","version":"1"},'
_HAR_HEAD += b'"entries":['


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
    """Every run with a plain quarantine or a raw store, oldest first."""
    _check_output(output)
    runs: dict[str, RunQuarantine] = {}
    plain = output / "_quarantine"
    for run_dir in sorted(plain.iterdir()) if plain.is_dir() else []:
        if run_dir.name.startswith(".") or not run_dir.is_dir():
            continue
        run = runs.setdefault(run_dir.name, RunQuarantine(run_dir.name))
        for part in sorted(run_dir.glob("part-*.jsonl")):
            for line in _lines(part):
                run.entries += 1
                run.by_error[_error_class(line)] += 1
    for store in raw_stores(output):
        run = runs.setdefault(store.run_id, RunQuarantine(store.run_id))
        run.raw_files, run.raw_expires = store.files, store.expires
    return [runs[k] for k in sorted(runs)]


def _check_output(output: Path) -> None:
    if not (output / "_audit").is_dir() and not (output / "data").is_dir():
        raise OutputError(f"{output} is not a datamin output directory")


def _lines(path: Path) -> list[str]:
    try:
        return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError):
        return ["(unreadable quarantine file)"]


def _error_class(line: str) -> str:
    try:
        error = json.loads(line)["error"]
    except (ValueError, KeyError, TypeError):
        return "(unreadable quarantine entry)"
    return error if isinstance(error, str) else "(unreadable quarantine entry)"


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
    from datamin.lock import OutputLock

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
            entries.append({"file": name, **where, "har_entry": entry.har})
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
    (`datamin.pipelines.sources` picks the reader by suffix): a HAR entry inside a one-entry HAR
    log; a whole document from a HAR file as `.har`; one line as `.jsonl`; anything longer as a
    single `.json` document. The record's own bytes are unchanged in every form."""
    if entry.har:
        return ".har", _HAR_HEAD + entry.raw + b"]}}\n"
    name = entry.source.lower().removesuffix(".gz").removesuffix(".gzip")
    if name.endswith(".har"):
        return ".har", entry.raw
    if b"\n" not in entry.raw[:-1]:
        return ".jsonl", entry.raw
    return ".json", entry.raw


def _write_new(path: Path, body: bytes, written: list[Path]) -> None:
    """A new file, complete or not there: written hidden, then renamed (a replay of `DEST/*`
    must never read a record cut short by a kill)."""
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written.append(temp)
    with os.fdopen(fd, "wb") as f:
        f.write(body)
    if path.exists():
        raise FileExistsError(path)
    temp.rename(path)
    written[-1] = path


# -- commands --------------------------------------------------------------------------------


@quarantine_app.command(
    "list",
    help="Per run: quarantined entries by error class, and whether a raw store exists and "
    "when it expires. Needs no key; shows no content.",
)
def quarantine_list(
    output: Annotated[Path, typer.Option("--output", "-o", help="A datamin output directory.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    if fmt not in ("text", "json"):
        raise fail("--format is text or json", 2)
    now = datetime.now(UTC)
    try:
        runs = quarantine_summary(output)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if fmt == "json":
        out.print_json(json.dumps([r.to_json(now) for r in runs]))
        return
    if not runs:
        out.print(f"no quarantine in {output}", highlight=False)
        return
    for r in runs:
        if r.raw_files is None:
            raw = "no raw store"
        elif r.raw_expires is None:
            raw = f"raw store: {r.raw_files} file(s), due for disposal now"
            raw += " (no audit record or saved policy)"
        else:
            when = r.raw_expires.isoformat(timespec="seconds")
            raw = f"raw store: {r.raw_files} file(s), expires {when}"
            raw += " (expired)" if r.raw_expires < now else ""
        out.print(
            f"{r.run_id}  {r.entries:,} quarantined; {raw}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        for error, n in r.by_error.most_common():
            out.print(f"  {n:>8,}  {error}", highlight=False, markup=False, soft_wrap=True)


@quarantine_app.command(
    "export",
    help="Decrypt a run's raw quarantine store into DEST, one file per record (the bytes as "
    "they were; personal data included), for `datamin run -i 'DEST/*'` after a fix. The "
    "manifest is DEST/.datamin/manifest.json.",
)
def quarantine_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="A datamin output directory.")],
    run: Annotated[str, typer.Option("--run", help="The run id (see `quarantine list`).")],
    raw_quarantine_key: Annotated[
        Path, typer.Option("--raw-quarantine-key", help="The raw quarantine key file.")
    ],
    to: Annotated[Path, typer.Option("--to", help="A new or empty directory outside the output.")],
) -> None:
    now = datetime.now(UTC)
    try:
        key = resolve_raw_key(raw_quarantine_key, output).load()
        result = export_run(output, run, key, to, now)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    except OSError as exc:
        raise fail(f"cannot write the export under {to} ({type(exc).__name__})", 2) from None
    listed = f" ({result.without_content} without content: listed only)"
    out.print(
        f"exported {result.files} record(s) of run {run} to {result.dest}"
        + (listed if result.without_content else "")
        + f"; manifest {result.manifest}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    err.print(
        "these files hold raw records, personal data included: replay them, then delete them",
        highlight=False,
        soft_wrap=True,
    )


@quarantine_app.command("new-key", help="Create a raw quarantine key file (mode 0600).")
def quarantine_new_key(
    file: Annotated[Path, typer.Argument(help="Where to write it; never overwritten.")],
) -> None:
    try:
        _refuse_inside_an_output(file)
        create_raw_key_file(file)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    out.print(
        f"created a raw quarantine key at {file} (mode 0600); keep it apart from the output "
        "and from datamin's pseudonymization key",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _refuse_inside_an_output(file: Path) -> None:
    for parent in file.expanduser().resolve().parents:
        if (parent / "_audit" / "runs").is_dir() or (parent / RAW_DIR).is_dir():
            raise KeyConfigError(
                f"raw quarantine key file {file} must not be inside the output directory {parent}"
            )
