"""What an `--input` names, found without Beam where it can be: a local file, a local directory
(every file under it), or a pattern or remote path that Beam's filesystems match. `-` is
standard input, which the run reads into its staging area first (see `pipelines.batch`).

Kept free of heavy imports: the CLI calls `check_inputs` before it loads Beam, so a mistyped
path fails in a fraction of a second.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from datamin.errors import InputError

STDIN = "-"
GLOB_CHARS = frozenset("*?[")


def is_pattern(path: str) -> bool:
    return "://" in path or any(c in GLOB_CHARS for c in path)


def local_files(path: str, exclude: str | None = None) -> list[str] | None:
    """The files a local path without glob characters names: itself, or for a directory every
    file under it, recursively, in name order (hidden names, such as `.git` or `.DS_Store`, are
    skipped; linked directories are not entered; nothing under `exclude`, the run's output, is
    taken). None for a pattern or a remote path, which Beam matches. A path that does not exist,
    or a file named inside the output, is an `InputError`."""
    if is_pattern(path) or path == STDIN:
        return None
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(path):
        found = []
        output = resolved(exclude)
        for folder, dirs, files in os.walk(path):
            real = os.path.realpath(folder)  # a folder walked is one, not a link to one
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and not is_under(os.path.join(real, d), output)
            )
            found.extend(
                os.path.join(folder, f)
                for f in files
                if not f.startswith(".") and not is_under(_real(os.path.join(real, f)), output)
            )
        if not found:
            raise InputError(f"no input file in the directory {path}")
        return sorted(found)
    if not os.path.lexists(path):
        raise InputError(f"no input matches {path}")
    if is_under(_real(path), resolved(exclude)):
        # The run's own files (its key, its audits, its Parquet) are never its input.
        raise InputError(f"an input lies inside the output: {path}")
    return [path]


def resolved(path: str | None) -> str | None:
    """A local path made absolute, its links resolved; a remote one without its last `/`."""
    if path is None or "://" in path:
        return path.rstrip("/") if path else path
    return os.path.realpath(os.path.expanduser(path))


def is_under(path: str, folder: str | None) -> bool:
    """Whether `path` is the `folder` or inside it, both `resolved`: a run's output inside one
    of its input folders must not be read back as input on the next run (its audit, its policy,
    its Parquet files). Resolved, `in/./out` or a link into the output are the output too."""
    if folder is None:
        return False
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _real(path: str) -> str:
    return os.path.realpath(path) if os.path.islink(path) else path


def named_files(patterns: Sequence[str | os.PathLike[str]]) -> int | None:
    """How many sources the inputs are, where each names one local file; None where one is a
    directory, a pattern, a remote path or standard input (known only once listed)."""
    paths = [os.fspath(p) for p in patterns]
    if any(p == STDIN or is_pattern(p) or os.path.isdir(os.path.expanduser(p)) for p in paths):
        return None
    return len(paths)


def check_inputs(patterns: list[str]) -> None:
    """Fail at once on what is surely wrong: a local path that does not exist, a pattern whose
    fixed folder does not exist, standard input named twice or read from a terminal."""
    if patterns.count(STDIN) > 1:
        raise InputError("standard input (-) can be an input once")
    for pattern in patterns:
        if pattern == STDIN:
            continue
        if not is_pattern(pattern):
            if not os.path.lexists(os.path.expanduser(pattern)):
                raise InputError(f"no input matches {os.path.abspath(pattern)}")
            continue
        if "://" in pattern:
            continue
        fixed = os.path.dirname(_before_glob(os.path.abspath(os.path.expanduser(pattern))))
        if not os.path.isdir(fixed):
            raise InputError(f"no input matches {pattern}")


def _before_glob(pattern: str) -> str:
    cut = min((i for i, c in enumerate(pattern) if c in GLOB_CHARS), default=len(pattern))
    return pattern[:cut]
