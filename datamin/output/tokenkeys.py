"""The keys behind reversible tokens: one random AES-SIV key per (retention class, event date).

A token written into `retention=<class>/date=<day>/` is encrypted under that partition's key
alone, so disposing of a partition can delete its key, and every copy of its tokens, wherever
they went, becomes unrecoverable (crypto-shredding). Keys live in their own directory, never in
an output tree, as `<root>/<class>/<YYYY-MM-DD>.key`: 64 random bytes, hex, mode 0600, in
directories of mode 0700. Worker processes create keys as they first need them; a new key is
written whole to a temporary file and linked into place, so of several processes racing for the
same key exactly one wins and the others read the winner's, never a partial file.

A store records the id of the output it belongs to (`<root>/output-id`, see
`datamin.output.identity`), and is refused to any other output: the default store is named by
that id, so it follows its output through moves and remounts. It also records where that output
was last seen (`output-path.json`, see `datamin.output.keystores`), for `datamin keys gc`.

A `TokenKeyStore` is just its path: it pickles, and opens nothing until asked for a key. Its
root is made by `init()` on the driver (`resolve_key_source`), never by a worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from datetime import date
from pathlib import Path
from typing import Protocol

from datamin.errors import KeyConfigError
from datamin.output import identity
from datamin.output.layout import OutputLayout
from datamin.output.nofollow import link_once

KEY_BYTES = 64  # AES-SIV with AES-256: two 256-bit keys
_CLASS = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # a retention class name, as policies allow
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SUFFIX = ".key"
OWNER = "output-id"  # in a store: the id of the output it belongs to (never a class name)


def token_keys_root() -> Path:
    """`$XDG_CONFIG_HOME/datamin/token-keys`: where every output's default store lives."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "datamin" / "token-keys"


def default_token_keys_path(output: str | Path | None = None) -> Path:
    """The root of all default stores, and within it one store per output: `<root>/<output
    id>` (see `datamin.output.identity`), so the store follows the output wherever it is moved
    and disposing of one output deletes keys of its own partitions only. An output without an
    id (written before ids, or remote) keeps the store named by its path."""
    root = token_keys_root()
    if output is None:
        return root
    if "://" not in str(output):
        output_id = identity.read(OutputLayout(str(output)))
        if output_id is not None:
            return root / output_id
    return legacy_token_keys_path(output)


def legacy_token_keys_path(output: str | Path) -> Path:
    """The store of an output as named before outputs had ids: by a hash of its absolute path
    (or URI). Moving the output lost it; a run adopts it (`adopt_legacy_store`)."""
    where = str(output) if "://" in str(output) else str(Path(output).expanduser().resolve())
    return token_keys_root() / hashlib.sha256(where.encode()).hexdigest()[:16]


def adopt_legacy_store(output: Path, output_id: str) -> Path:
    """The default store of a local output with id `output_id`. If it does not exist yet and
    the output has a store named by its path from before ids, that store is renamed to it (one
    atomic rename in the same directory): keys written before the change stay this output's,
    and are shredded when it is disposed of. A legacy store another output has claimed is
    not taken."""
    store = token_keys_root() / output_id
    legacy = legacy_token_keys_path(output)
    if store.exists() or store.is_symlink() or legacy.is_symlink() or not legacy.is_dir():
        return store
    if TokenKeyStore(legacy).owner() not in (None, output_id):
        return store
    try:
        os.rename(legacy, store)
    except FileNotFoundError:
        return store  # another run adopted it first
    except OSError as exc:
        raise KeyConfigError(
            f"cannot adopt token key directory {legacy} as {store} ({type(exc).__name__})"
        ) from None
    sync_dir(store.parent)
    return store


def store_of(output: Path, token_keys: Path | None) -> Path:
    """The token key store of a local output, as `dispose` and `reidentify` find it: the one
    given, else the output's default. Refused when the store records another output's id
    (or any id, when this output has none): its keys are not this output's to read or delete."""
    store = token_keys.expanduser() if token_keys is not None else default_token_keys_path(output)
    TokenKeyStore(store).check_owner(identity.read(OutputLayout(str(output))))
    return store


def check_retention(retention: str) -> str:
    """A retention class name, refused unless it is one a policy may declare (so it is a safe
    single path component)."""
    if not isinstance(retention, str) or not _CLASS.match(retention):
        raise KeyConfigError("token keys: not a retention class name")
    return retention


def check_day(day: str) -> str:
    """An ISO date, `YYYY-MM-DD` exactly."""
    if not isinstance(day, str) or not _DAY.match(day):
        raise KeyConfigError("token keys: not an ISO date (YYYY-MM-DD)")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise KeyConfigError("token keys: not an ISO date (YYYY-MM-DD)") from None
    return day


class TokenKeys(Protocol):
    """Where the tokenize operator gets a period's key: a `TokenKeyStore`, or in memory."""

    def key_for(self, retention: str, day: str, *, create: bool) -> bytes | None: ...

    def identity(self, retention: str, day: str) -> object | None:
        """What tells this key from a later one of the same period (None: no key now), so a
        cipher kept for it is dropped once the key is disposed or replaced."""
        ...

    def ensure_writable(self) -> None: ...


class TokenKeyStore:
    """Token keys in a directory, one file per (retention class, event date)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"TokenKeyStore({str(self.root)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenKeyStore) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    def path_for(self, retention: str, day: str) -> Path:
        return self.root / check_retention(retention) / (check_day(day) + _SUFFIX)

    def key_for(self, retention: str, day: str, *, create: bool) -> bytes | None:
        """The key of one retention class and event date. When it does not exist: None, or with
        `create`, a new random key, written durably before it is returned."""
        path = self.path_for(retention, day)
        key = _read_key(path)
        if key is not None or not create:
            return key
        return self._create(path)

    def identity(self, retention: str, day: str) -> object | None:
        try:
            st = os.stat(self.path_for(retention, day), follow_symlinks=False)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    def delete(self, retention: str, day: str) -> bool:
        """Delete one period's key; its tokens can never be read again. Returns whether it
        existed. The directory is synced so the deletion survives a crash."""
        path = self.path_for(retention, day)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise KeyConfigError(f"cannot delete token key {path} ({type(exc).__name__})") from None
        sync_dir(path.parent)
        return True

    def days(self, retention: str) -> list[str]:
        """The event dates of one class that have a key, oldest first."""
        folder = self.root / check_retention(retention)
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise KeyConfigError(
                f"cannot list token keys in {folder} ({type(exc).__name__})"
            ) from None
        return sorted(
            day
            for name in names
            if name.endswith(_SUFFIX) and _is_day(day := name.removesuffix(_SUFFIX))
        )

    def classes(self) -> list[str]:
        """The retention classes that have a key directory."""
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise KeyConfigError(
                f"cannot list token keys in {self.root} ({type(exc).__name__})"
            ) from None
        return sorted(n for n in names if _CLASS.match(n) and (self.root / n).is_dir())

    def init(self) -> None:
        """Create the root directory (0700, its missing parents too) if it does not exist. Only
        the driver does this: a worker never creates a root, so a worker on another machine
        fails rather than make keys no one will find again."""
        if not self.root.is_dir():
            with contextlib.suppress(OSError):
                self.root.parent.mkdir(parents=True, exist_ok=True)
            _mkdir(self.root)

    def owner(self) -> str | None:
        """The id of the output this store belongs to, None when it records none."""
        try:
            fd = os.open(self.root / OWNER, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyConfigError(
                f"cannot read the owner of token key directory {self.root} ({type(exc).__name__})"
            ) from None
        with os.fdopen(fd, "rb") as f:
            raw = f.read(256)
        found = identity.check_id(raw.decode("ascii", "replace").strip())
        if found is None:
            raise KeyConfigError(f"{self.root / OWNER} is malformed (expected an output id)")
        return found

    def check_owner(self, output_id: str | None) -> None:
        """Refuse a store that records another output's id (or any id, for an output that has
        none): one output's disposal must never delete, nor its reader use, another's keys."""
        owner = self.owner()
        if owner is not None and owner != output_id:
            raise KeyConfigError(
                f"token key directory {self.root} belongs to another output (its id differs)"
            )

    def claim(self, output_id: str) -> None:
        """Record that this store (whose root exists) belongs to `output_id`, unless it already
        records it; another id is refused. Written whole and linked into place, so two runs
        racing to claim it cannot both win."""
        self.check_owner(output_id)
        if self.owner() == output_id:
            return
        try:
            folder = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                link_once(folder, OWNER, output_id.encode() + b"\n")
            finally:
                os.close(folder)
        except OSError as exc:
            raise KeyConfigError(
                f"cannot claim token key directory {self.root} ({type(exc).__name__})"
            ) from None
        sync_dir(self.root)
        self.check_owner(output_id)  # lost a race to another output: refused now

    def ensure_writable(self) -> None:
        """Check keys can be made here: the root exists and is writable. What a tokenizing run
        checks before the first record is read, rather than failing record by record."""
        if not self.root.is_dir():
            raise KeyConfigError(f"token key directory {self.root} does not exist")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise KeyConfigError(f"token key directory {self.root} is not writable")

    def _create(self, path: Path) -> bytes:
        if not self.root.is_dir():
            raise KeyConfigError(f"token key directory {self.root} does not exist")
        _mkdir(path.parent)
        key = secrets.token_bytes(KEY_BYTES)
        temp = path.parent / f".{path.stem}.{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            try:
                os.write(fd, key.hex().encode() + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                # Atomic and exclusive: fails if another process linked its key first.
                os.link(temp, path)
            except FileExistsError:
                won = False
            else:
                won = True
        except OSError as exc:
            raise KeyConfigError(f"cannot create token key {path} ({type(exc).__name__})") from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()
        if won:
            sync_dir(path.parent)
            return key
        theirs = _read_key(path)
        if theirs is None:  # created and deleted in between: a disposal raced this run
            raise KeyConfigError(f"token key {path} vanished while it was being created")
        return theirs


class EphemeralTokenKeys:
    """Token keys that live in memory and die with the process: for `policy explain`, `policy
    test` and notebooks, which must neither read nor create a production key."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], bytes] = {}

    def __repr__(self) -> str:
        return "EphemeralTokenKeys(<secret>)"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("ephemeral token keys must not be pickled")

    def ensure_writable(self) -> None:
        pass

    def key_for(self, retention: str, day: str, *, create: bool) -> bytes | None:
        at = (check_retention(retention), check_day(day))
        if at not in self._keys and create:
            self._keys[at] = secrets.token_bytes(KEY_BYTES)
        return self._keys.get(at)

    def identity(self, retention: str, day: str) -> object | None:
        return id(self._keys[(retention, day)]) if (retention, day) in self._keys else None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _is_day(text: str) -> bool:
    try:
        check_day(text)
    except KeyConfigError:
        return False
    return True


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyConfigError(f"cannot read token key {path} ({type(exc).__name__})") from None
    with os.fdopen(fd, "rb") as f:
        raw = f.read(4 * KEY_BYTES).strip()
    try:
        key = bytes.fromhex(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyConfigError(f"token key {path} is malformed (expected {KEY_BYTES} bytes, hex)")
    return key


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise KeyConfigError(
            f"cannot create token key directory {folder} ({type(exc).__name__})"
        ) from None
    if not folder.is_dir():
        raise KeyConfigError(f"token key directory {folder} is not a directory")


def sync_dir(folder: Path) -> None:
    """fsync a directory, so a key's creation or deletion is on disk, not just in the cache."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
