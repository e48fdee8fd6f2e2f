"""How a run becomes part of an output, or leaves no trace: the commit protocol.

A run's workers write its Parquet and quarantine files into a staging area inside the output
(`_staging/<run_id>/`, laid out as the output is), where no reader of `data/` sees them. After the
pipeline the driver commits, in this order, each step a function of its own:

1. check that the staged files hold exactly the rows the run counted (`check_rows`), and plan
   what the commit replaces: earlier files of the sources it read again are deleted, or
   rewritten into the staging area without those sources' rows when they hold other sources'
   too (`datamin.output.replace`);
2. write the intent (`_audit/commits/<run_id>.json`, atomically): every staged file to move
   into place, every earlier file to delete, the manifest (`_audit/manifests/<run_id>.json`:
   each data file with its sources' rows, `datamin.output.manifest`) and the audit record to
   write (`write_intent`);
3. move each staged file to its place (`move_file`: a rename within the output);
4. write the manifest, then the audit record, the commit of record (`write_audit`), and the
   output's key record;
5. delete the files it replaces (`delete_file`), then the staging area and the intent.

A run that fails or is killed before step 2 leaves only its staging area, which the next run
or disposal deletes (`recover`); one that stops after it is completed by them (roll forward:
its moves, its manifest, its audit marked `"recovered": true`, its deletions). Nothing is
visible in `data/` that no manifest (or an earlier version's audit) lists.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from datamin.errors import OutputError
from datamin.output.keycheck import prepare_key_record, read_json, record_key
from datamin.output.layout import (
    AUDIT,
    DATA,
    QUARANTINE,
    RAW_QUARANTINE,
    RUN_ID,
    STAGING,
    WRITTEN_DIRS,
    OutputLayout,
    temp_for,
    write_atomic,
)
from datamin.output.replace import check_rows as check_rows  # step 1, with `plan_commit`
from datamin.output.rowcheck import verify_rows as verify_rows  # `dispose --verify` calls it

_LOG = logging.getLogger(__name__)


def write_error(output: str, exc: OSError) -> OutputError:
    """The one-line error for a write that failed (full disk, no permission): the output and the
    system's reason, which names no content."""
    errno = exc.errno
    details = getattr(exc, "exception_details", None)  # Beam's rename and delete wrap the cause
    if not errno and isinstance(details, dict):
        errno = next((e.errno for e in details.values() if isinstance(e, OSError)), None)
    reason = os.strerror(errno) if errno else type(exc).__name__
    return OutputError(f"cannot write to the output {output} ({reason})")


def remove_leftovers(layout: OutputLayout) -> None:
    """What runs that died left, removed under the lock (nothing else writes now): hidden
    temporary files, and the quarantine of every run without an audit record (never committed;
    a re-run quarantines its records again). Local outputs."""
    from datamin.output.layout import remove_run_leftovers

    try:
        remove_run_leftovers(layout.local)  # never through a link; finishes a killed dispose
    except OSError as exc:
        raise write_error(layout.root, exc) from None


def check_writable(layout: OutputLayout) -> None:
    """An output the run could not write fails now, in one line, before any record is read;
    so does one with a link where the run's own files and directories go."""
    from datamin.output.boundary import refuse_links

    output = layout.local
    refuse_links(output)
    for folder in (output, *(output / d for d in (*WRITTEN_DIRS, STAGING))):
        if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            what = "not a directory" if not folder.is_dir() else "not writable"
            raise OutputError(f"cannot write to the output {output} ({folder} is {what})")


def discard_run(layout: OutputLayout, run_id: str) -> None:
    """Best effort, as an error propagates. Before its intent, a failed run leaves nothing: its
    staging area and summary go (and, under the lock, hidden files of runs that died). After
    it, the commit was decided and earlier files may be overwritten already: it is completed
    now if it can be, else by the next run or disposal."""
    from apache_beam.io.filesystems import FileSystems

    with contextlib.suppress(Exception):
        FileSystems.delete([layout.run_summary(run_id)])
    try:
        intent = read_intent(layout, run_id)
    except Exception:  # noqa: BLE001 - unreadable: nothing is touched, the next run tells
        return
    if intent is not None:
        # Decided: completed now if it can be; if not (the disk still full), its staged files
        # stay for the next run or disposal to complete it. Never deleted under its intent.
        with contextlib.suppress(Exception):
            complete(layout, intent, recovered=True)
        return
    with contextlib.suppress(Exception):
        _remove_tree(layout, layout.staging(run_id).root)
    if layout.is_local:
        with contextlib.suppress(Exception):
            remove_leftovers(layout)


# -- the staged commit ---------------------------------------------------------------------


@dataclass(frozen=True)
class Intent:
    """A commit decided: staged files to move into place (paths relative to the output, the
    same in the staging area), earlier files to delete after, the audit record, and the
    manifest of the data files (`manifest.Manifest.to_json()`; None: a commit without one)."""

    run_id: str
    files: list[str]
    delete: list[str]
    audit: dict[str, Any]
    manifest: dict[str, Any] | None = None


def write_intent(layout: OutputLayout, intent: Intent) -> None:
    body: dict[str, Any] = {"run_id": intent.run_id, "files": intent.files}
    body["delete"] = intent.delete
    if intent.manifest is not None:
        body["manifest"] = intent.manifest
    write_atomic(
        layout.commit_intent(intent.run_id),
        json.dumps({**body, "audit": intent.audit}, sort_keys=True).encode(),
    )


def read_intent(layout: OutputLayout, run_id: str) -> Intent | None:
    """The intent of `run_id`, in exactly the shapes a commit writes (paths inside the output's
    own data and quarantine, no `.` or `..` parts); a damaged one is a one-line error, never
    acted on."""
    path = layout.commit_intent(run_id)
    body = read_json(path)
    if body is None:
        return None
    try:
        intent = Intent(
            body["run_id"], body["files"], body["delete"], body["audit"], body.get("manifest")
        )
        if intent.run_id != run_id or not isinstance(intent.audit, dict):
            raise ValueError("not this run's")
        for relative in [*intent.files, *intent.delete]:
            _check_relative(relative)
        if intent.manifest is not None:
            from datamin.output.manifest import parse

            parse(intent.manifest, run_id)
    except (KeyError, TypeError, ValueError):
        raise OutputError(
            f"{path} is damaged; datamin does not act on it (move it aside to go on)"
        ) from None
    return intent


_COMMITTED_DIRS = (DATA, QUARANTINE, RAW_QUARANTINE)


def _check_relative(relative: object) -> None:
    """A path an intent may move or delete: a file below the output's data or quarantine."""
    if not isinstance(relative, str):
        raise TypeError("not a path")
    parts = relative.split("/")
    if (
        len(parts) < 2
        or parts[0] not in _COMMITTED_DIRS
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise ValueError("not a committed file's path")


def move_file(layout: OutputLayout, run_id: str, relative: str) -> None:
    """Move one staged file into place, replacing a file of the same name (an earlier run's of
    the same source); a file already moved is left as it is, so a commit can be completed."""
    from apache_beam.io.filesystems import FileSystems

    source, target = layout.staging(run_id).join(relative), layout.join(relative)
    if not layout.is_local:
        if FileSystems.exists(source):
            FileSystems.rename([source], [target])
        return
    from datamin.output.nofollow import Root

    with Root(layout.local) as root:  # never through a link, at either end
        root.move(layout.relative(source), relative)


def prepare(layout: OutputLayout, intent: Intent) -> None:
    """The audit record and the key record, written whole under their hidden names before the
    intent: putting them in place after the moves is a rename, which a full disk does not
    fail, so a run that fails for space fails before its files are visible."""
    from apache_beam.io.filesystems import FileSystems

    if intent.manifest is not None:
        from datamin.output.manifest import body

        with FileSystems.create(temp_for(layout.manifest(intent.run_id))) as f:
            f.write(body(intent.manifest))
    with FileSystems.create(temp_for(layout.run_record(intent.run_id))) as f:
        f.write(_audit_body(intent.audit))
    prepare_key_record(layout, intent.audit.get("key_check"))


def write_manifest(layout: OutputLayout, intent: Intent) -> None:
    """The manifest in place (the one `prepare` wrote, or written from the intent when another
    run completes this one), before the audit that holds its hash."""
    from apache_beam.io.filesystems import FileSystems

    from datamin.output.manifest import body

    if intent.manifest is None:
        return
    path = layout.manifest(intent.run_id)
    if FileSystems.exists(temp_for(path)):
        FileSystems.rename([temp_for(path)], [path])
    else:
        write_atomic(path, body(intent.manifest))


def write_audit(layout: OutputLayout, intent: Intent, *, recovered: bool = False) -> None:
    """The audit record in place (the one `prepare` wrote; written again, marked, when another
    run completes this one): once it exists, the run is committed."""
    from apache_beam.io.filesystems import FileSystems

    path = layout.run_record(intent.run_id)
    if recovered or not FileSystems.exists(temp_for(path)):
        write_atomic(path, _audit_body({**intent.audit, "recovered": True}))
    else:
        FileSystems.rename([temp_for(path)], [path])


def _audit_body(audit: dict[str, Any]) -> bytes:
    return json.dumps(audit, indent=2, sort_keys=True).encode()


def delete_file(layout: OutputLayout, relative: str) -> None:
    """Delete an earlier file this run replaces (gone already: nothing to do)."""
    from apache_beam.io.filesystems import FileSystems

    path = layout.join(relative)
    if layout.is_local:
        from datamin.output.nofollow import Root

        with Root(layout.local) as root:
            root.unlink(relative)  # a link there stays (and the run refused the output)
    elif FileSystems.exists(path):
        FileSystems.delete([path])


def commit(
    layout: OutputLayout, intent: Intent, on_step: Callable[[str], None] | None = None
) -> None:
    """Steps 2 to 5 of the protocol for a run whose staged files are checked. `on_step` is
    called after each step by name (`prepared`, `intent`, `moved`, `audit`, `done`): where
    a progress report, or a test that stops the process there, hooks in."""
    step = on_step or _no_step
    prepare(layout, intent)
    step("prepared")
    write_intent(layout, intent)
    step("intent")
    complete(layout, intent, on_step=step)


def _no_step(_: str) -> None:
    pass


def complete(
    layout: OutputLayout,
    intent: Intent,
    *,
    recovered: bool = False,
    on_step: Callable[[str], None] = _no_step,
) -> None:
    """Steps 3 to 5, each safe to repeat: moves, key record, audit, deletions, clean-up.
    Once the audit is written the run stands: a failure after it in the run itself is a
    warning (what it replaces stays beside it until the next run or disposal finishes)."""
    from apache_beam.io.filesystems import FileSystems

    for relative in intent.files:
        move_file(layout, intent.run_id, relative)
    on_step("moved")
    record_key(layout, intent.audit.get("key_check"))
    if not FileSystems.exists(layout.run_record(intent.run_id)):
        write_manifest(layout, intent)
        write_audit(layout, intent, recovered=recovered)
    on_step("audit")
    try:
        for relative in intent.delete:
            delete_file(layout, relative)
        _remove_tree(layout, layout.staging(intent.run_id).root)
        FileSystems.delete([layout.commit_intent(intent.run_id)])
        on_step("done")
    except OSError as exc:
        if recovered:
            raise
        _LOG.warning(
            "run %s committed; cleaning up after it failed (%s): the next run or dispose "
            "finishes it",
            intent.run_id,
            type(exc).__name__,
        )


def recover(layout: OutputLayout, rolled_back: list[str] | None = None) -> list[str]:
    """What runs that stopped mid-way left, settled, under the lock (nothing else writes now):
    each intent is completed (roll forward), each staging area without one is deleted (roll
    back). Returns the ids of the runs completed; the ids of those rolled back are appended to
    `rolled_back`, for the caller's audit record (a run killed before its intent left files
    here, and deleting them is this caller's doing). Disposal calls this before anything else."""
    completed = roll_forward(layout)
    found = roll_back(layout)
    if rolled_back is not None:
        rolled_back += found
    return completed


def roll_forward(layout: OutputLayout) -> list[str]:
    """Each run stopped after its intent, completed (its own audit record says `"recovered":
    true`); their ids. Under the lock."""
    completed = []
    try:
        for run_id in _intended_runs(layout):
            intent = read_intent(layout, run_id) if RUN_ID.match(run_id) else None
            if intent is not None:
                complete(layout, intent, recovered=True)
                completed.append(run_id)
    except OSError as exc:
        raise write_error(layout.root, exc) from None
    return completed


def roll_back(layout: OutputLayout) -> list[str]:
    """Each staging area of a run stopped before its intent, deleted (nothing of it was
    visible); their ids, for the audit record of the caller, whose doing the deletion is.
    Under the lock, after `roll_forward`: an area with an intent is a commit's to finish."""
    rolled_back = []
    try:
        for run_id in _staged_runs(layout):
            _remove_tree(layout, layout.staging(run_id).root)
            rolled_back.append(run_id)
    except OSError as exc:
        raise write_error(layout.root, exc) from None
    return rolled_back


def _intended_runs(layout: OutputLayout) -> list[str]:
    """The runs with a commit intent. A local output is listed without Beam (disposal, which
    calls `recover` first, does not load it) and without following a link."""
    if layout.is_local:
        from datamin.output.nofollow import FILE, Root

        with Root(layout.local) as root:
            names = [n for n, kind in root.entries(f"{AUDIT}/commits") if kind == FILE]
    else:
        from apache_beam.io.filesystems import FileSystems

        found = FileSystems.match([layout.commit_intent("*")])[0].metadata_list
        names = [m.path.rsplit("/", 1)[-1] for m in found]
    return sorted(n.removesuffix(".json") for n in names if n.endswith(".json"))


def _staged_runs(layout: OutputLayout) -> list[str]:
    """The runs with a staging area (their files are below `_staging/<run_id>/`). A linked
    `_staging` is not looked into (a run refuses the output; `dispose --verify` lists it)."""
    if layout.is_local:
        from datamin.output.nofollow import DIR, Root

        with Root(layout.local) as root:
            names = [n for n, kind in root.entries(STAGING) if kind == DIR]
    else:
        from apache_beam.io.filesystems import FileSystems

        root_path = layout.join(STAGING)
        found = FileSystems.match([layout.join(STAGING, "**")])[0].metadata_list
        names = [m.path[len(root_path) :].lstrip("/").split("/", 1)[0] for m in found]
    return sorted({n for n in names if RUN_ID.match(n)})


def _remove_tree(layout: OutputLayout, path: str) -> None:
    """Delete a folder datamin owns in the output (a link there is removed, never followed)."""
    from apache_beam.io.filesystems import FileSystems

    if not layout.is_local:
        with contextlib.suppress(Exception):  # object stores: a prefix; absent is fine
            FileSystems.delete([path.rstrip("/") + "/"])
        return
    from datamin.output.boundary import remove_own

    remove_own(layout, path)  # a link there is removed, never followed
    parent = os.path.dirname(path)
    with contextlib.suppress(OSError):
        os.rmdir(parent)  # `_staging/` itself, once empty
