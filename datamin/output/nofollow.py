"""A local output walked, read, renamed and deleted without ever following a link inside it.

The output is a trust boundary: a symbolic link planted where datamin expects its own file or
directory (`data/retention=x`, `.disposing-...`, `_quarantine`, ...) must never lead a walk, a
rename or a delete out of it. So `Root` opens the output once (the output itself may be a link:
that is the user's choice, resolved at that moment) and reaches everything below it one name at
a time, each directory opened relative to its parent's descriptor with `O_NOFOLLOW |
O_DIRECTORY`, each unlink, rename and rmdir done with `dir_fd`. A link met on the way is noted
in `Root.links` (by its path relative to the output: datamin's own names) and left as it is,
never followed, never removed: it is the user's to look at. Swapping a directory for a link
between a listing and an open is caught by the open itself, so no check here can be raced.

Paths are relative to the output, `/`-separated, as the layout spells them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from datamin.errors import OutputError

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO never blocks a read
DIR, FILE, LINK, OTHER = "dir", "file", "link", "other"


class LinkInOutput(OutputError):
    """A link where datamin expects its own file or directory: never followed."""

    def __init__(self, rel: str) -> None:
        super().__init__(rel)
        self.rel = rel

    def __str__(self) -> str:
        return f"{self.rel} is a link; datamin never follows a link inside an output"


def kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return DIR
    return FILE if stat.S_ISREG(mode) else OTHER


def _parent_and_name(rel: str) -> tuple[str, str]:
    parts = _split(rel)
    return "/".join(parts[:-1]), parts[-1]


def _split(rel: str) -> list[str]:
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ValueError("a path inside the output has no . or .. parts")
    return parts


class Root:
    """One local output, opened once; every operation below it follows no link."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(os.path.realpath(path))
        self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self.links: list[str] = []  # links met so far, relative to the output, first seen first

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Root:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def note(self, rel: str) -> None:
        if rel not in self.links:
            self.links.append(rel)

    def rel(self, path: str | Path) -> str:
        return str(Path(path).relative_to(self.path))

    def abs(self, rel: str) -> Path:
        return self.path.joinpath(*_split(rel))

    # -- opening ---------------------------------------------------------------------------

    def _open_at(self, parent: int, name: str, rel: str) -> int | None:
        """`name` under `parent` as a directory; None when missing or not a directory (a link
        is noted)."""
        try:
            return os.open(name, _DIR, dir_fd=parent)
        except FileNotFoundError:
            return None
        except OSError:
            if self._kind_at(parent, name) == LINK:
                self.note(rel)
            return None

    def _walk_to(self, parts: list[str]) -> int | None:
        """A new descriptor of the directory `parts` (the root for []); None as `_open_at`."""
        fd = os.dup(self.fd)
        for i, name in enumerate(parts):
            sub = self._open_at(fd, name, "/".join(parts[: i + 1]))
            os.close(fd)
            if sub is None:
                return None
            fd = sub
        return fd

    @contextlib.contextmanager
    def opened(self, rel: str) -> Iterator[int | None]:
        """The directory `rel`, opened without following a link at any step; None when it is
        missing, not a directory, or a link (noted)."""
        fd = self._walk_to(_split(rel))
        try:
            yield fd
        finally:
            if fd is not None:
                os.close(fd)

    @contextlib.contextmanager
    def _parent(self, rel: str) -> Iterator[tuple[int | None, str]]:
        parts = _split(rel)
        with self.opened("/".join(parts[:-1])) as fd:
            yield fd, parts[-1]

    @staticmethod
    def _kind_at(parent: int, name: str) -> str | None:
        try:
            return kind_of(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
        except FileNotFoundError:
            return None

    # -- looking ---------------------------------------------------------------------------

    def kind(self, rel: str) -> str | None:
        """DIR, FILE, LINK or OTHER for what is at `rel` (not followed); None when nothing is,
        or a link on the way (noted) hides it."""
        with self._parent(rel) as (fd, name):
            return None if fd is None else self._kind_at(fd, name)

    def entries(self, rel: str) -> list[tuple[str, str]]:
        """(name, kind) of each entry of directory `rel`, sorted by name; [] when it is not a
        directory. Links among them are noted (and still listed, as LINK)."""
        with self.opened(rel) as fd:
            return [] if fd is None else self._entries(fd, rel)

    def _entries(self, fd: int, rel: str) -> list[tuple[str, str]]:
        out = []
        with os.scandir(fd) as it:
            for entry in it:
                if entry.is_symlink():
                    kind = LINK
                    self.note(f"{rel}/{entry.name}" if rel else entry.name)
                elif entry.is_dir(follow_symlinks=False):
                    kind = DIR
                elif entry.is_file(follow_symlinks=False):
                    kind = FILE
                else:
                    kind = OTHER
                out.append((entry.name, kind))
        return sorted(out)

    def walk(self, rel: str) -> Iterator[tuple[str, str]]:
        """(path, kind) of everything below directory `rel`, depth first, never into a link."""
        for name, kind in self.entries(rel):
            path = f"{rel}/{name}"
            yield path, kind
            if kind == DIR:
                yield from self.walk(path)

    def read(self, rel: str) -> bytes | None:
        """The bytes of the regular file `rel`; None when missing, a link (noted) or not a
        regular file."""
        with self.open_file(rel) as f:
            return None if f is None else f.read()

    @contextlib.contextmanager
    def open_file(self, rel: str) -> Iterator[object | None]:
        """The regular file `rel` opened for reading (binary), or None as `read`."""
        with self._parent(rel) as (parent, name):
            fd = None
            if parent is not None:
                try:
                    fd = os.open(name, _FILE, dir_fd=parent)
                except OSError:
                    if self._kind_at(parent, name) == LINK:
                        self.note(rel)
            if fd is not None and not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                fd = None
        if fd is None:
            yield None
            return
        with os.fdopen(fd, "rb") as f:
            yield f

    # -- changing --------------------------------------------------------------------------

    def unlink(self, rel: str) -> bool:
        """Remove the file `rel`; False when it is missing, a directory or a link (noted, kept)."""
        with self._parent(rel) as (fd, name):
            if fd is None:
                return False
            kind = self._kind_at(fd, name)
            if kind == LINK:
                self.note(rel)
            if kind not in (FILE, OTHER):
                return False
            try:
                os.unlink(name, dir_fd=fd)
            except FileNotFoundError:
                return False
            return True

    def rename(self, rel: str, new_name: str) -> bool:
        """Rename `rel` within its directory; False when it is missing or a link (noted, kept)
        or `new_name` is taken."""
        with self._parent(rel) as (fd, name):
            if fd is None:
                return False
            kind = self._kind_at(fd, name)
            if kind == LINK:
                self.note(rel)
            if kind in (None, LINK) or self._kind_at(fd, new_name) is not None:
                return False
            os.rename(name, new_name, src_dir_fd=fd, dst_dir_fd=fd)
            return True

    def rmdir(self, rel: str) -> bool:
        """Remove the empty directory `rel`; False when it is missing, not empty or a link."""
        with self._parent(rel) as (fd, name):
            if fd is None or self._kind_at(fd, name) != DIR:
                return False
            try:
                os.rmdir(name, dir_fd=fd)
            except OSError:
                return False
            return True

    def remove_tree(self, rel: str, on_delete: Callable[[str], None] | None = None) -> list[str]:
        """Delete the directory `rel` and everything in it, by descriptors: a link inside is
        noted and kept (so is the directory holding it). Returns the paths of the files
        removed; `on_delete` is told each file's name as it goes."""
        removed: list[str] = []
        with self._parent(rel) as (parent, name):
            if parent is None:
                return removed
            fd = self._open_at(parent, name, rel)
            if fd is None:
                return removed
            try:
                emptied = self._remove_under(fd, rel, removed, on_delete)
            finally:
                os.close(fd)
            if emptied:
                os.rmdir(name, dir_fd=parent)
        return removed

    def _remove_under(
        self, fd: int, rel: str, removed: list[str], on_delete: Callable[[str], None] | None
    ) -> bool:
        kept = False
        for name, kind in self._entries(fd, rel):
            path = f"{rel}/{name}"
            if kind == LINK:
                kept = True
            elif kind == DIR:
                sub = self._open_at(fd, name, path)
                if sub is None:  # swapped for a link since the listing: noted
                    kept = True
                    continue
                try:
                    emptied = self._remove_under(sub, path, removed, on_delete)
                finally:
                    os.close(sub)
                if emptied:
                    os.rmdir(name, dir_fd=fd)
                else:
                    kept = True
            else:
                # An unlink never follows: a file swapped for a link loses the link only.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=fd)
                    removed.append(path)
                    if on_delete is not None:
                        on_delete(name)
        return not kept

    def makedirs(self, rel: str, mode: int = 0o755) -> None:
        """Make the directories of `rel` that are missing; a link on the way is an error."""
        fd = os.dup(self.fd)
        try:
            done: list[str] = []
            for name in _split(rel):
                done.append(name)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, mode, dir_fd=fd)
                sub = self._open_at(fd, name, "/".join(done))
                if sub is None:
                    kind = self._kind_at(fd, name)
                    if kind == LINK:
                        raise LinkInOutput("/".join(done))
                    raise NotADirectoryError(f"{'/'.join(done)} is not a directory")
                os.close(fd)
                fd = sub
        finally:
            os.close(fd)

    def move(self, src: str, dst: str) -> bool:
        """Rename the regular file `src` to `dst` (its directories made as needed), replacing
        what `dst` names (a rename replaces a link itself, never what it points at); False
        when `src` is not there. A link at `src` or on either way is an error (LinkInOutput)."""
        src_folder, src_name = _parent_and_name(src)
        dst_folder, dst_name = _parent_and_name(dst)
        self.makedirs(dst_folder)
        with self.opened(src_folder) as sfd, self.opened(dst_folder) as dfd:
            if sfd is None:  # gone (moved already), or a link on the way (noted)
                if self.links:
                    raise LinkInOutput(self.links[-1])
                return False
            kind = self._kind_at(sfd, src_name)
            if kind is None:
                return False
            if kind != FILE:
                raise LinkInOutput(src)
            if dfd is None:
                raise LinkInOutput(dst_folder)
            os.rename(src_name, dst_name, src_dir_fd=sfd, dst_dir_fd=dfd)
            return True

    def write_new(self, rel: str, body: bytes, *, mode: int = 0o600) -> None:
        """A new file, complete or not there: written under a hidden name that must not exist,
        then linked into place; an existing `rel` is an error, never overwritten (no window
        between a check and a rename). Its directories are
        made as needed; a link on the way is an error (LinkInOutput)."""
        parts = _split(rel)
        folder, name = "/".join(parts[:-1]), parts[-1]
        self.makedirs(folder)
        temp = f".{name}.tmp"
        with self.opened(folder) as fd:
            if fd is None:
                raise LinkInOutput(folder)
            out = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=fd
            )
            try:
                with os.fdopen(out, "wb") as f:
                    f.write(body)
                    f.flush()
                    os.fsync(f.fileno())
                try:  # a link, not a rename: it fails on an existing name, even one just made
                    os.link(temp, name, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
                except FileExistsError:
                    raise FileExistsError(f"{rel} exists") from None
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=fd)


def link_once(dir_fd: int, name: str, body: bytes) -> None:
    """Write `body` whole (fsynced) under a hidden name in the directory open as `dir_fd`, then
    link it to `name` unless `name` exists: of writers racing to create `name`, exactly one
    wins and every one reads a whole file after. Nothing is followed through a link."""
    temp = f".{name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp, flags, 0o600, dir_fd=dir_fd)
    try:
        try:
            os.write(fd, body)
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
