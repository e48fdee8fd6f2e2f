"""The token key stores under the default root, whose they are, and which may go (`datamin
keys list` and `keys gc`).

A store records its output's id (`output-id`, see `datamin.output.tokenkeys`) and, since
`keys gc` needs it, the output's absolute path as the last run (or dispose) that used the store
found it: `<store>/output-path.json`, `{"path": ..., "recorded_at": ...}`, replaced whole. From
those a store's output is judged:

- EXISTS: the recorded path holds the output with the store's id, or it was renamed within the
  same directory (a sibling holds that id: `moved_to`).
- GONE: nothing is at the recorded path, the directory that held it is there, and no sibling
  holds the id. Only such a store may be deleted by `keys gc`.
- UNKNOWN, kept: anything that leaves room for doubt. No id or no path recorded (a store from
  before ids or paths were recorded: a run of its output records them); the directory that held
  the output is missing too (an unmounted volume, or a tree moved as a whole); another output,
  or something that is not one, at the recorded path (the output may have moved elsewhere
  first); anything that cannot be read; a link where a store should be (never followed).

An output moved to another directory and not used there since looks GONE: run or dispose it at
its new path (which records the path) before `keys gc`, or its tokens become unrecoverable.

Nothing here follows a link: stores are listed by `lstat`, deleted through `Root` (renamed to a
hidden `.gc-...` name first, so a store is whole or invisible, then removed by descriptors).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datamin.errors import DataminError, KeyConfigError
from datamin.output import identity
from datamin.output.layout import OutputLayout
from datamin.output.nofollow import DIR, Root
from datamin.output.tokenkeys import (
    TokenKeyStore,
    check_day,
    check_retention,
    sync_dir,
    token_keys_root,
)

OUTPUT_PATH = "output-path.json"  # in a store: where its output was last seen
EXISTS, GONE, UNKNOWN = "exists", "gone", "unknown"
GC_PREFIX = ".gc-"  # a store `keys gc` is deleting: hidden first, then removed
_KEY = ".key"
_MAX_RECORD = 8192
_MAX_SIBLINGS = 1000  # how many entries beside a missing output are looked at for it
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


# -- the recorded path ------------------------------------------------------------------------


def record_output(store: Path, output: Path) -> None:
    """Record `output` (absolute) as where the output of `store` is, unless it already is:
    written under a hidden name and renamed over the record, so it is whole or the old one."""
    where = str(output)
    if recorded_output(store) == output:
        return
    body = json.dumps({"path": where, "recorded_at": datetime.now(UTC).isoformat()}) + "\n"
    temp = store / f".{OUTPUT_PATH}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            os.write(fd, body.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, store / OUTPUT_PATH)  # replaces a link itself, never its target
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise KeyConfigError(
            f"cannot record the output of token key directory {store} ({type(exc).__name__})"
        ) from None
    sync_dir(store)


def recorded_output(store: Path) -> Path | None:
    """The output path `store` records, None when it records none or the record is not one
    (a link, malformed, not absolute)."""
    try:
        fd = os.open(store / OUTPUT_PATH, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        raw = os.read(fd, _MAX_RECORD + 1)
    finally:
        os.close(fd)
    try:
        body = json.loads(raw) if len(raw) <= _MAX_RECORD else None
    except ValueError:
        return None
    path = body.get("path") if isinstance(body, dict) else None
    if not isinstance(path, str) or not path.startswith("/") or "\0" in path:
        return None
    return Path(path)


def record_if_owned(store: Path, output: Path) -> None:
    """What a dispose does once its record is written: record where the output is, if the
    store is this output's by id (so a moved output disposed of since is not taken for gone).
    Best effort: a store that cannot be written to is left as it was."""
    with contextlib.suppress(DataminError, OSError):
        output_id = identity.read(OutputLayout(str(output)))
        if output_id is None or store.is_symlink() or not store.is_dir():
            return
        if TokenKeyStore(store).owner() == output_id:
            record_output(store, output.resolve())


# -- judging a store ---------------------------------------------------------------------------


@dataclass
class StoreInfo:
    """One entry of the token key root: a store (or a link, or a gc's leftover) and its output."""

    path: Path
    status: str  # EXISTS, GONE or UNKNOWN
    reason: str  # for UNKNOWN and GONE: why, in a phrase (paths only)
    output_id: str | None = None
    output: Path | None = None  # the recorded path
    moved_to: Path | None = None  # a sibling of the recorded path holding the output
    keys: dict[str, int] = field(default_factory=dict)  # retention class -> days with a key

    @property
    def key_count(self) -> int:
        return sum(self.keys.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "store": str(self.path),
            "output_id": self.output_id,
            "output": str(self.output) if self.output else None,
            "output_exists": {EXISTS: True, GONE: False}.get(self.status),
            "moved_to": str(self.moved_to) if self.moved_to else None,
            "status": self.status,
            "reason": self.reason,
            "keys": self.keys,
        }


def survey(root: Path | None = None) -> list[StoreInfo]:
    """Every store directly under `root` (default: the token key root), judged; [] when there
    is no root. Hidden names are skipped, except what an interrupted `keys gc` left."""
    root = root if root is not None else token_keys_root()
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise KeyConfigError(f"cannot list {root} ({type(exc).__name__})") from None
    out = []
    for entry in entries:
        if entry.name.startswith(".") and not entry.name.startswith(GC_PREFIX):
            continue
        if entry.is_symlink():
            out.append(StoreInfo(Path(entry.path), UNKNOWN, "a link, never followed"))
        elif entry.is_dir(follow_symlinks=False):
            out.append(judge(Path(entry.path)))
    return out


def judge(store: Path) -> StoreInfo:
    """One store (a real directory) and what is known of its output."""
    keys = _count_keys(store)
    try:
        owner = TokenKeyStore(store).owner()
    except KeyConfigError as exc:
        return StoreInfo(store, UNKNOWN, str(exc), keys=keys)
    except OSError as exc:  # not a file where the id should be (a FIFO, ...)
        reason = f"cannot read its output id ({type(exc).__name__})"
        return StoreInfo(store, UNKNOWN, reason, keys=keys)
    if owner is None:
        if store.name.startswith(GC_PREFIX):  # what a gc left when its deletion stopped
            return StoreInfo(store, GONE, "left by an interrupted keys gc", keys=keys)
        return StoreInfo(store, UNKNOWN, "no output id recorded (its owner is unknown)", keys=keys)
    info = StoreInfo(store, UNKNOWN, "", output_id=owner, keys=keys)
    info.output = recorded_output(store)
    if info.output is None:
        info.reason = "no output path recorded (the next run of its output records it)"
        return info
    info.status, info.reason, info.moved_to = _where(info.output, owner)
    if store.name.startswith(GC_PREFIX):
        # Put aside by a `keys gc` that did not finish: it goes, unless its output is back.
        if info.status == EXISTS:
            name = store.name.removeprefix(GC_PREFIX).rsplit("-", 1)[0]
            info.status = UNKNOWN
            info.reason = f"put aside by keys gc, yet its output exists: rename it to {name}"
        else:
            info.status, info.reason = GONE, "left by an interrupted keys gc"
    return info


def _where(output: Path, owner: str) -> tuple[str, str, Path | None]:
    try:
        os.lstat(output)
    except FileNotFoundError:
        return _missing(output, owner)
    except OSError as exc:
        return UNKNOWN, f"cannot look at {output} ({type(exc).__name__})", None
    try:
        found = identity.read(OutputLayout(str(output)))
    except DataminError as exc:
        return UNKNOWN, str(exc), None
    if found == owner:
        return EXISTS, "", None
    if found is None:
        return UNKNOWN, f"{output} holds no output id (not its output, or an older one)", None
    return UNKNOWN, f"{output} holds another output (this one may have moved)", None


def _missing(output: Path, owner: str) -> tuple[str, str, Path | None]:
    parent = output.parent
    try:
        if not stat.S_ISDIR(os.lstat(parent).st_mode):
            raise FileNotFoundError
    except OSError:
        return (
            UNKNOWN,
            f"the directory that held its output, {parent}, is missing (an unmounted volume?)",
            None,
        )
    try:
        with os.scandir(parent) as it:
            siblings = [e for _, e in zip(range(_MAX_SIBLINGS), it, strict=False)]
    except OSError as exc:
        return UNKNOWN, f"cannot list {parent} ({type(exc).__name__})", None
    for entry in siblings:
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            continue
        with contextlib.suppress(DataminError, OSError):
            if identity.read(OutputLayout(entry.path)) == owner:
                return EXISTS, "", Path(entry.path)
    return GONE, f"nothing is at {output}", None


def _count_keys(store: Path) -> dict[str, int]:
    """Days with a key per class, listed without following a link."""
    out: dict[str, int] = {}
    try:
        with os.scandir(store) as it:
            classes = [e for e in it if e.is_dir(follow_symlinks=False) and _is_class(e.name)]
        for entry in sorted(classes, key=lambda e: e.name):
            with os.scandir(entry.path) as it:
                out[entry.name] = sum(
                    1
                    for e in it
                    if e.name.endswith(_KEY)
                    and e.is_file(follow_symlinks=False)
                    and _is_day(e.name.removesuffix(_KEY))
                )
    except OSError:
        pass  # what could be counted; the store is judged all the same
    return out


def _is_class(name: str) -> bool:
    try:
        check_retention(name)
    except KeyConfigError:
        return False
    return True


def _is_day(name: str) -> bool:
    try:
        check_day(name)
    except KeyConfigError:
        return False
    return True


def owning_output(store: Path) -> Path | None:
    """The output `store` belongs to, if it is where the store says (or beside it): whose
    audits tell a disposed key from one that never was."""
    if not store.is_dir():
        return None
    try:
        owner = TokenKeyStore(store).owner()
    except KeyConfigError:
        return None
    output = recorded_output(store)
    if owner is None or output is None:
        return None
    status, _, moved_to = _where(output, owner)
    return (moved_to or output) if status == EXISTS else None


# -- deleting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deleted:
    store: Path
    keys: int  # key files removed
    whole: bool  # False: something (a link) was left inside, or it was not deleted at all
    reason: str = ""  # why it was kept after all
    left: Path | None = None  # where what was left inside is (its hidden name)


def delete_store(info: StoreInfo, root: Path | None = None) -> Deleted:
    """Delete one store judged GONE, judged again first; renamed to a hidden name, judged once
    more there (a run may have recorded a new path meanwhile: then it is put back), then
    removed by descriptors, never through a link."""
    root = root if root is not None else token_keys_root()
    name = info.path.name
    with Root(root) as opened:
        again = judge(root / name) if opened.kind(name) == DIR else None
        if again is None or again.status != GONE or again.output_id != info.output_id:
            return Deleted(info.path, 0, False, "no longer judged gone")
        hidden = name
        if not name.startswith(GC_PREFIX):
            hidden = f"{GC_PREFIX}{name}-{secrets.token_hex(4)}"
            if not opened.rename(name, hidden):
                return Deleted(info.path, 0, False, "changed while it was judged")
            if judge(root / hidden).status != GONE:
                back = opened.rename(hidden, name)
                where = "" if back else f" (left as {root / hidden}: rename it back)"
                return Deleted(info.path, 0, False, f"its output was recorded again{where}")
        removed = opened.remove_tree(hidden)
        whole = opened.kind(hidden) is None
    keys = sum(1 for p in removed if p.endswith(_KEY))
    return Deleted(info.path, keys, whole, left=None if whole else root / hidden)
