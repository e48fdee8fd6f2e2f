"""How a run becomes part of an output, or leaves no trace: the commit protocol.

A run writes its Parquet and quarantine files whole (hidden, then renamed); the driver then
checks that the files hold exactly the rows it counted, removes what an earlier run of the
same sources left and this run did not rewrite, and writes the audit record: the commit. A run
without one failed or was killed, and the next run on the output removes what it left that no
reader would skip (its quarantine) and its hidden temporary files.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter

from datamin.errors import OutputError
from datamin.output.layout import (
    WRITTEN_DIRS,
    OutputLayout,
)


def write_error(output: str, exc: OSError) -> OutputError:
    """The one-line error for a write that failed (full disk, no permission): the output and the
    system's reason, which names no content."""
    errno = exc.errno
    details = getattr(exc, "exception_details", None)  # Beam's rename and delete wrap the cause
    if not errno and isinstance(details, dict):
        errno = next((e.errno for e in details.values() if isinstance(e, OSError)), None)
    reason = os.strerror(errno) if errno else type(exc).__name__
    return OutputError(f"cannot write to the output {output} ({reason})")


def check_rows(files: list[str], counted: dict[str, int]) -> None:
    """The files the pipeline listed hold exactly the rows it counted, per class (footers only),
    before anything of an earlier run is removed. A runner that lost a bundle's list of files
    (Beam's own DaskRunner drops what finish_bundle emits) or kept a failed attempt's fails the
    run here, instead of deleting committed rows or committing duplicates."""
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    held: Counter[str] = Counter()
    for path in files:
        with FileSystems.open(path) as f:
            meta = pq.ParquetFile(f).metadata
        held[meta.metadata[b"datamin.retention_class"].decode()] += meta.num_rows
    expected = {cls: n for cls, n in counted.items() if n}
    if dict(held) != expected:
        raise OutputError(
            f"the files this run listed hold {sum(held.values())} rows, it counted "
            f"{sum(expected.values())}; the run is not committed"
        )


def stale_files(
    layout: OutputLayout, source_keys: set[str], written: set[str]
) -> tuple[list[str], list[str]]:
    """Parquet files of these sources not in `written`, and hidden temporary files."""
    from apache_beam.io.filesystems import FileSystems

    stale, temporary = [], []
    for match in FileSystems.match([layout.data_files()])[0].metadata_list:
        name = match.path.rsplit("/", 1)[-1]
        if name.startswith(".") and name.endswith(".tmp"):
            temporary.append(match.path)
        elif (
            name.startswith("part-")
            and name.split("-")[1] in source_keys
            and match.path not in written
        ):
            stale.append(match.path)
    return stale, temporary


def remove_stale_files(layout: OutputLayout, source_keys: set[str], written: set[str]) -> list[str]:
    """Delete Parquet files of this run's sources that this run did not write: what an earlier
    run of the same input left (returned). Hidden temporary files of failed attempts go too."""
    from apache_beam.io.filesystems import FileSystems

    stale, temporary = stale_files(layout, source_keys, written)
    if stale or temporary:
        FileSystems.delete(stale + temporary)
    return stale


def remove_uncommitted_quarantine(
    layout: OutputLayout, run_id: str, committed: set[str]
) -> list[str]:
    """Delete this run's quarantine files (plain and raw) that are not in its committed list:
    what a failed attempt of a bundle wrote before Beam retried it (the retry wrote its own)."""
    from apache_beam.io.filesystems import FileSystems

    patterns = [
        layout.join(layout.quarantine_dir(run_id), "*"),
        layout.join(layout.raw_quarantine_dir(run_id), "*"),
    ]
    extra = [
        m.path
        for result in FileSystems.match(patterns)
        for m in result.metadata_list
        if m.path not in committed
    ]
    if extra:
        FileSystems.delete(extra)
    return extra


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
    from datamin.output.nofollow import refuse_links

    output = layout.local
    refuse_links(output)
    for folder in (output, *(output / d for d in WRITTEN_DIRS)):
        if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            what = "not a directory" if not folder.is_dir() else "not writable"
            raise OutputError(f"cannot write to the output {output} ({folder} is {what})")


def discard_run(layout: OutputLayout, run_id: str) -> None:
    """Best effort, as an error propagates: a failed run's quarantine and summary, and (under
    the lock) the temporary files of bundles the failure cut short."""
    from datamin.output.nofollow import remove_own

    for folder in (layout.quarantine_dir(run_id), layout.raw_quarantine_dir(run_id)):
        with contextlib.suppress(Exception):
            remove_own(layout, folder)  # never through a link
    with contextlib.suppress(Exception):
        remove_own(layout, layout.run_summary(run_id))
    if layout.is_local:
        with contextlib.suppress(Exception):
            remove_leftovers(layout)
