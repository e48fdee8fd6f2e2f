"""The output as a whole, seen from the trust boundary: which top-level names are datamin's own,
every link planted among them (`check_tree`), a run refusing an output that has one
(`refuse_links`), and deleting one of the output's own paths without following a link
(`remove_own`). Built on `datamin.output.nofollow`'s primitives."""

from __future__ import annotations

import os
from pathlib import Path

from datamin.errors import OutputError
from datamin.output.layout import (
    AUDIT,
    DATA,
    LOCK,
    QUARANTINE,
    RAW_QUARANTINE,
    STAGING,
    OutputLayout,
)
from datamin.output.nofollow import DIR, LINK, Root

# What datamin writes at the top of an output; everything below these is datamin's own.
OWN = (DATA, QUARANTINE, RAW_QUARANTINE, AUDIT, STAGING, LOCK)


def check_tree(root: str | Path | Root) -> list[str]:
    """Every link where datamin expects its own file or directory, relative to the output:
    its own top-level names and everything below them. The output itself may be a link."""
    if not isinstance(root, Root):
        with Root(root) as opened:
            return check_tree(opened)
    for name in OWN:
        kind = root.kind(name)
        if kind == LINK:
            root.note(name)
        elif kind == DIR:
            for _ in root.walk(name):
                pass  # walking notes every link it meets
    return sorted(root.links)


def create_output(output: str | Path) -> None:
    """A local output directory, created with its parents if missing; one line if it cannot be."""
    try:
        Path(output).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output directory {output} ({type(exc).__name__})"
        ) from None


def refuse_links(output: str | Path) -> None:
    """A run writes nothing into an output with a link where its own files go: one line.
    Remote outputs have no links; a missing output has nothing in it yet."""
    if "://" in str(output) or not os.path.isdir(output):
        return
    links = check_tree(output)
    if links:
        more = f" (and {len(links) - 1} more)" if len(links) > 1 else ""
        raise OutputError(
            f"cannot write to the output {output}: {links[0]} is a link{more}; datamin never "
            "follows a link inside an output (remove it and run again)"
        )


def remove_own(layout: OutputLayout, path: str) -> None:
    """Delete one of the output's own files or directories (`path` as the layout spells it):
    in a local output without following a link (a link stays), elsewhere through Beam."""
    if not layout.is_local:
        from apache_beam.io.filesystems import FileSystems

        FileSystems.delete([path])
        return
    with Root(layout.local) as root:
        rel = layout.relative(path)
        kind = root.kind(rel)
        if kind == DIR:
            root.remove_tree(rel)
        elif kind is not None:
            root.unlink(rel)
