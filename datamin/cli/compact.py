"""`datamin compact`: thin; `datamin.output.compact` does the work and returns the report.
Exit 0: done (groups left alone are listed on stderr); 2: a one-line error, nothing changed."""

from __future__ import annotations

from typing import Annotated

import typer

from datamin.cli.console import err, fail, out
from datamin.errors import DataminError

HELP = (
    "Merge each source's small data files (a stream's batches, a long source's chunks) into "
    "files of about --target-size, per retention class and date, through the commit protocol: "
    "rows, schema and footers stay as they were, and a re-run of a source still replaces its "
    "files. Local outputs only; a link inside the output is never followed."
)


def compact_command(
    output: Annotated[str, typer.Option("--output", "-o", help="A datamin output directory.")],
    older_than: Annotated[
        str,
        typer.Option(
            help="Only groups whose files are all older than this (by mtime): 12h, 7d, 2w; "
            "0 for every file."
        ),
    ] = "1h",
    target_size: Annotated[
        str,
        typer.Option(help="About how large a merged file grows: 128MB, 512KB, 1GB (K/M/G: 1024)."),
    ] = "128MB",
    dry_run: Annotated[bool, typer.Option(help="Report what would merge; change nothing.")] = False,
) -> None:
    from datamin.output.compact import compact, parse_older_than, parse_size

    try:
        report = compact(
            output,
            older_than=parse_older_than(older_than),
            target_size=parse_size(target_size),
            dry_run=dry_run,
        )
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    for line in report.skipped:
        err.print(f"left alone: {line}", highlight=False, markup=False, soft_wrap=True)
    title = f"compact {report.output}" + (" (dry run)" if dry_run else f" run {report.run_id}")
    written = "?" if report.bytes_after is None else f"{report.bytes_after:,}"
    out.print(
        f"{title}: {report.groups_merged} group(s) merged, "
        f"{report.files_compacted} file(s) into {report.files_written} "
        f"({report.rows:,} rows, {report.bytes_before:,} bytes into {written}); "
        f"data files {report.files_before} -> {report.files_after}; "
        f"groups too recent: {report.groups_recent}; left alone: {len(report.skipped)}; "
        f"interrupted runs committed: {len(report.runs_completed)}; "
        f"rolled back: {len(report.runs_rolled_back)}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
