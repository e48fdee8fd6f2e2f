"""What makes two input paths one source: their content, not their names.

A source's identity is a SHA-256 digest of its bytes as stored (a `.gz` is digested
compressed), computed by the driver before the pipeline. The same file reached through a
symbolic link, copied elsewhere, or in an archive that was moved is therefore the same source:
it is read once per run, and its rows (recorded in the run's manifest under its key, a keyed
hash of the digest; a file holding its rows alone is named by that key) replace what an earlier
run wrote for it (`datamin.output.replace`). A path is also its own newest version: when a run
reads a path an earlier run read with other content (a log that grew, a file rewritten), the
earlier content's rows are replaced too, so a grown log's first lines are not kept twice.
(Rows only the old content held go with it: re-run a rotated-away file with its successor, or
under its own path, to keep them.)
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from datamin.core.records import SOURCE_PATH_PURPOSE
from datamin.keys import KeyRing

CONTENT_PURPOSE = "source-content"  # the key naming a source's files, from its digest
# What earlier versions named files by (a keyed hash of the path): a re-run of such a path
# replaces those files too, so upgrading never doubles an output's rows.
LEGACY_PATH_PURPOSE = "source"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Source:
    path: str  # the one path it is read from (the first, in sorted order, of its paths)
    key: str  # keyed hash of the content digest: names its files, `content_id` in the audit
    also: tuple[str, ...] = ()  # other paths given with the same content, not read again

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.also)


def content_digest(path: str) -> bytes:
    """SHA-256 of a file's stored bytes, streamed (any Beam filesystem; never decompressed)."""
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    if "://" not in path:
        # Not blocking on a FIFO (nor reading a device): a file that is no regular one is named
        # by its path, and quarantined when read (`formats.reading`).
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            os.set_blocking(fd, True)
            return hashlib.file_digest(f, "sha256").digest()
    digest = hashlib.sha256()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.digest()


def source_key(path: str, keys: KeyRing) -> str:
    """The key a source's files are named by: a keyed hash of its content digest and of the
    format its name selects (the same bytes named `.har` and `.jsonl` are read differently; a
    name that selects none is read by content). A file that cannot be read now is named by its
    path, as before, and read (and quarantined) as any unreadable file."""
    from datamin.formats.registry import by_extension

    try:
        digest = content_digest(path)
    except OSError:  # (its bytes as the file system has them: a name need not be UTF-8)
        return keys.mac_hex(LEGACY_PATH_PURPOSE, os.fsencode(path), 16)
    named = by_extension(path)
    return keys.mac_hex(
        CONTENT_PURPOSE, digest + b"\0" + (named.name if named else "").encode(), 16
    )


def identify(files: Sequence[str], keys: KeyRing) -> list[Source]:
    """The distinct sources among `files` (as `expand_patterns` lists them), in path order."""
    by_key: dict[str, list[str]] = {}
    for path in sorted(files):
        by_key.setdefault(source_key(path, keys), []).append(path)
    sources = [Source(paths[0], key, tuple(paths[1:])) for key, paths in by_key.items()]
    return sorted(sources, key=lambda s: s.path)


def replaced_keys(
    sources: Sequence[Source], keys: KeyRing, earlier: Iterable[dict[str, Any]] = ()
) -> set[str]:
    """The source keys whose earlier rows a run of `sources` replaces: each source's content
    key (the same bytes under any path); the content keys earlier runs (`earlier`: their audit
    records) read from the same paths, so a file that grew or was rewritten replaces its older
    version rather than adding its rows again; and the path keys earlier versions named the same
    paths' files by."""
    paths = [path for s in sources for path in s.paths]
    legacy = {keys.mac_hex(LEGACY_PATH_PURPOSE, path.encode(), 16) for path in paths}
    path_ids = {keys.mac_hex(SOURCE_PATH_PURPOSE, path.encode(), 16) for path in paths}
    same_path = {
        entry["content_id"]
        for record in earlier
        for entry in record.get("inputs") or ()
        if isinstance(entry, dict)
        and entry.get("source_id") in path_ids
        and isinstance(entry.get("content_id"), str)
    }
    return {s.key for s in sources} | same_path | legacy
