"""An output's identity: a random id the run that creates an output writes into it, once.

Whatever is keyed to an output outside it (its token key store, see
`datamin.output.tokenkeys`) is named by this id, not by the output's path: an output moved,
renamed or mounted elsewhere is the same output, and disposing of it at its new path still
deletes its keys. The id is `DIR/_audit/output.json`, `{"output_id": "<32 hex>", "created":
"<UTC ISO time>"}`, mode 0600. It is written whole under a hidden name and linked into place,
so of two first runs racing exactly one id wins and both use it; every step is relative to an
opened directory and follows no link, so a link planted at `_audit` or at the file makes
datamin stop rather than read or write outside the output. Only `run` creates an id; `dispose`
and `reidentify` read it and never write.

An output written before ids existed has none until its next run (see
`datamin.keys.resolve_key_source` for how that run adopts the store named by its old path).
Remote outputs (`gs://`, `s3://`) have no id: their store is still named by their URI.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path

from datamin.errors import OutputError
from datamin.output.layout import AUDIT, OUTPUT_ID_FILE, RUN_ID, OutputLayout, output_id_file
from datamin.output.nofollow import link_once

_ID = re.compile(r"^[0-9a-f]{32}$")
_MAX_BYTES = 4096  # the file is ~90 bytes; anything much larger is not ours
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_LINK_ERRORS = (errno.ELOOP, errno.ENOTDIR)  # what O_NOFOLLOW / O_DIRECTORY give for a link


def new_id() -> str:
    return secrets.token_hex(16)


def check_id(text: object) -> str | None:
    """`text` if it is an output id (32 lowercase hex), else None."""
    return text if isinstance(text, str) and _ID.match(text) else None


def read(layout: OutputLayout) -> str | None:
    """The output's id, or None when it has none (an output from before ids, a path that is no
    output yet, a remote output). A malformed id file, or a link where it or `_audit` should
    be, is an `OutputError`."""
    if not layout.is_local:
        return None
    try:
        root = os.open(layout.local, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot open the output {layout.root} ({type(exc).__name__})") from None
    try:
        audit = _open_dir(layout, root, create=False)
        if audit is None:
            return None
        try:
            return _read_at(layout, audit)
        finally:
            os.close(audit)
    finally:
        os.close(root)


def read_or_create(layout: OutputLayout) -> str:
    """The output's id, created (with the output directory and `_audit`) if it has none. What
    the first `run` into an output does, before it writes anything else there."""
    if not layout.is_local:
        raise OutputError(f"{layout.root}: a remote output has no id")
    where = layout.local
    try:
        where.mkdir(parents=True, exist_ok=True)
        root = os.open(where, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise OutputError(
            f"cannot create output directory {layout.root} ({type(exc).__name__})"
        ) from None
    try:
        audit = _open_dir(layout, root, create=True)
        assert audit is not None
        try:
            found = _read_at(layout, audit)
            return found if found is not None else _create_at(layout, audit)
        finally:
            os.close(audit)
    finally:
        os.close(root)


def _open_dir(layout: OutputLayout, root: int, *, create: bool) -> int | None:
    """`_audit`, opened relative to the output without following a link; None if absent."""
    flags = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
    for attempt in (0, 1):
        try:
            return os.open(AUDIT, flags, dir_fd=root)
        except FileNotFoundError:
            if not create or attempt:
                return None
            try:
                os.mkdir(AUDIT, 0o777, dir_fd=root)  # as the run's other directories: umask
            except FileExistsError:
                pass  # another run made it first
            except OSError as exc:
                raise OutputError(
                    f"cannot write to the output {layout.root} ({type(exc).__name__})"
                ) from None
        except OSError as exc:
            if exc.errno in _LINK_ERRORS:
                raise OutputError(
                    f"{layout.join(AUDIT)} is a link or not a directory; datamin follows no "
                    "link inside an output"
                ) from None
            raise OutputError(f"cannot open {layout.join(AUDIT)} ({type(exc).__name__})") from None
    return None


def _read_at(layout: OutputLayout, audit: int) -> str | None:
    name = output_id_file(layout)
    try:
        # Non-blocking: a FIFO planted here must not hang the run (not a file: refused below).
        flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | os.O_NONBLOCK
        fd = os.open(OUTPUT_ID_FILE, flags, dir_fd=audit)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in _LINK_ERRORS:
            raise OutputError(
                f"{name} is a link; datamin follows no link inside an output"
            ) from None
        raise OutputError(f"cannot read {name} ({type(exc).__name__})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"{name} is not a file")
        raw = os.read(fd, _MAX_BYTES + 1)
    finally:
        os.close(fd)
    try:
        found = json.loads(raw) if len(raw) <= _MAX_BYTES else None
    except ValueError:
        found = None
    output_id = check_id(found.get("output_id")) if isinstance(found, dict) else None
    if output_id is None:
        raise OutputError(f"{name} is malformed (expected an output id, 32 hex digits)")
    return output_id


def _create_at(layout: OutputLayout, audit: int) -> str:
    """Write a new id under a hidden name, then link it into place: exclusive, so a racing run
    either wins or reads the winner's id."""
    body = json.dumps({"output_id": new_id(), "created": datetime.now(UTC).isoformat()})
    try:
        link_once(audit, OUTPUT_ID_FILE, body.encode() + b"\n")
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output {layout.root} ({type(exc).__name__})"
        ) from None
    found = _read_at(layout, audit)
    if found is None:  # linked, then removed before it was read: nothing sane to go on
        raise OutputError(f"{output_id_file(layout)} vanished as it was created")
    return found


# -- what the output's runs say about its token key store -------------------------------------


def tokenized(layout: OutputLayout) -> bool:
    """Whether a committed run of this output wrote under a policy with a tokenize rule (from
    each run's audit record and the policy copy it names): then it has, or had, token keys."""
    runs = Path(layout.local) / AUDIT / "runs"
    try:
        names = sorted(os.listdir(runs))
    except OSError:
        return False
    for name in names:
        run_id = name.removesuffix(".json")
        if not name.endswith(".json") or not RUN_ID.match(run_id):
            continue
        found = layout.policy_of_run(run_id)
        if found is not None and _tokenizes(found[1]):
            return True
    return False


def _tokenizes(policy: object) -> bool:
    """A saved policy (parsed YAML) with `action: tokenize` in `fields` or a source's
    `fields`: only field rules tokenize (the model refuses it for detected spans)."""
    if not isinstance(policy, dict):
        return False
    sections = [policy]
    if isinstance(policy.get("sources"), dict):
        sections += [s for s in policy["sources"].values() if isinstance(s, dict)]
    return any(
        isinstance(rule, dict) and rule.get("action") == "tokenize"
        for section in sections
        if isinstance(section.get("fields"), list)
        for rule in section["fields"]
    )


def store_problems(layout: OutputLayout, store: Path | None) -> list[str]:
    """A tokenizing output whose key store is not where it should be: its keys cannot be
    shredded, so disposal must not say it is done."""
    if store is not None and store.is_dir():
        return []
    if not tokenized(layout):
        return []
    return [
        f"token key store {store}: missing, yet runs of this output tokenized; their keys "
        "cannot be shredded here (give dispose the --token-keys the runs were given)"
    ]
