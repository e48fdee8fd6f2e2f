"""`datamin dispose`: thin; `datamin.output.dispose` does the work and returns the report.
Exit 0: done and verified; 1: something outlived its retention or a link was left alone (each
listed on stderr); 2: a one-line error, nothing deleted."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datamin.cli.console import err, fail, out
from datamin.errors import DataminError

if TYPE_CHECKING:
    from datamin.output.report import DisposalReport

HELP = (
    "Delete every partition whose retention has run out (by the durations recorded when "
    "it was written), its quarantine and its token keys; verify the tree; audit the disposal. "
    "A link inside the output is never followed: it is listed, left alone, and the exit is 1."
)


def dispose_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="A datamin output directory.")],
    now: Annotated[
        str | None,
        typer.Option(help="The time to dispose as of (ISO-8601; UTC if no offset). Default: now."),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Report what would go; change nothing.")] = False,
    verify_only: Annotated[
        bool,
        typer.Option("--verify", help="Only check that nothing outlived its retention."),
    ] = False,
    token_keys: Annotated[
        Path | None,
        typer.Option(
            help="Token key directory, if `run` was given one (default: the output's own, "
            "found by the output's id wherever the output has moved)."
        ),
    ] = None,
) -> None:
    from datamin.output.dispose import dispose, parse_now, totals, verify

    try:
        moment = parse_now(now)
        if verify_only:
            problems = verify(output, moment, token_keys=token_keys)
            for p in problems:
                err.print(p, highlight=False, markup=False, soft_wrap=True)
            out.print(
                f"verify: {len(problems)} problem(s) in {output}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(1 if problems else 0)
        report = dispose(output, moment, dry_run=dry_run, token_keys=token_keys)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    title = f"dispose {output} as of {report.now}"
    table = Table(title=title + (" (dry run): would delete" if dry_run else ""))
    for name in ("class", "partitions", "files", "rows"):
        table.add_column(name, justify="left" if name == "class" else "right")
    for cls, tally in sorted(report.disposed.items()):
        table.add_row(cls, f"{tally.partitions:,}", f"{tally.files:,}", f"{tally.rows:,}")
    all_ = totals(report)
    table.add_row("all", f"{all_['partitions']:,}", f"{all_['files']:,}", f"{all_['rows']:,}")
    out.print(table)
    if dry_run:
        out.print(_would(report), highlight=False, soft_wrap=True)
        return
    out.print(
        f"partitions kept: {report.kept_partitions}; quarantine runs disposed: "
        f"{len(report.quarantine_runs)}; raw quarantine runs disposed: "
        f"{len(report.raw_quarantine_runs)} ({report.raw_quarantine_files} files); "
        f"token keys deleted: {len(report.token_keys_deleted)}; "
        f"leftovers of interrupted work removed: {report.leftovers_removed}; "
        f"interrupted disposals completed: {len(report.completed)}; "
        f"interrupted runs committed: {len(report.runs_completed)}; "
        f"links left alone: {len(report.links)}",
        highlight=False,
        soft_wrap=True,
    )
    for p in report.problems:
        err.print(p, highlight=False, markup=False, soft_wrap=True)
    out.print(f"verified: {'yes' if report.verified else 'NO'}", highlight=False)
    if not report.verified:
        raise typer.Exit(1)


def _would(report: DisposalReport) -> str:
    """A dry run's summary: what a dispose would do, and what it does that is not counted."""
    return (
        f"dry run, nothing changed: would keep {report.kept_partitions} partition(s); would "
        f"dispose of {len(report.quarantine_runs)} quarantine run(s) and "
        f"{len(report.raw_quarantine_runs)} raw quarantine run(s) "
        f"({report.raw_quarantine_files} files); would delete "
        f"{len(report.token_keys_deleted)} token key(s); {len(report.links)} link(s) met "
        "(never followed). Not counted: interrupted disposals and runs a dispose completes first, "
        "and leftovers of interrupted work it removes."
    )
