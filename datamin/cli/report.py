"""`datamin report`: thin; `datamin.report` reads the output and renders, this prints or writes.
Exit 0: the report is out; 2: a one-line error (not an output, an unknown run, a report file
inside the output, a file that cannot be written)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datamin.cli.console import fail, out
from datamin.errors import DataminError

if TYPE_CHECKING:
    from datamin.report.summary import Summary

HELP = (
    "Report on an output from its audit records and Parquet footers: records in, written, "
    "dropped and quarantined per run, findings, quarantine, partitions and their expiry, "
    "disposals. Tables in the terminal; with -o, one self-contained HTML page (never inside "
    "the output). No value from the data appears."
)
EXAMPLE = "datamin report datamin-demo/output/api -o report.html"
FORMATS = ("text", "html", "json")


def report_command(
    output: Annotated[
        Path, typer.Argument(metavar="OUT", help="A datamin output directory.", show_default=False)
    ],
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            "-o",
            metavar="FILE",
            help="Write the report to this file (HTML unless --format says otherwise); it may "
            "not be inside the output directory.",
        ),
    ] = None,
    run: Annotated[
        str | None, typer.Option("--run", metavar="RUN_ID", help="Report on this one run only.")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text, html or json (default: html with -o, else text).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    now: Annotated[
        str | None,
        typer.Option(
            metavar="TIME",
            help="Judge expiry as of this time (ISO-8601; UTC if no offset). Default: now.",
        ),
    ] = None,
) -> None:
    from datamin.output.report import parse_now
    from datamin.report import collect, render_html

    kind = _format(format, as_json, to)
    if to is not None:
        _check_target(to, output)
    try:
        summary = collect(output, now=parse_now(now), run=run)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if kind == "html":
        body = render_html(summary)
    elif kind == "json":
        import json

        body = json.dumps(summary.to_json(), indent=2) + "\n"
    elif to is not None:
        body = _plain_text(summary)
    else:
        from datamin.report.terminal import tables

        for table in tables(summary):
            out.print(table)
        return
    if to is None:
        typer.echo(body, nl=False)
        return
    try:
        to.write_text(body, encoding="utf-8")
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        raise fail(f"cannot write {to} ({reason})", 2) from None
    out.print(f"report: {to}", highlight=False, markup=False, soft_wrap=True)


def _format(name: str | None, as_json: bool, to: Path | None) -> str:
    if as_json and name not in (None, "json"):
        raise fail("--json and --format: give one of them", 2)
    kind = "json" if as_json else name or ("html" if to is not None else "text")
    if kind not in FORMATS:
        raise fail(f"--format is one of {', '.join(FORMATS)}", 2)
    return kind


def _check_target(to: Path, output: Path) -> None:
    """The output is a trust boundary that holds data and its audit only: no report goes in."""
    target = Path(os.path.realpath(to))
    base = Path(os.path.realpath(output))
    if target == base or base in target.parents:
        raise fail(f"{to} is inside the output directory {output}; write the report elsewhere", 2)
    if target.is_dir():
        raise fail(f"{to} is a directory; give a file name", 2)


def _plain_text(summary: Summary) -> str:
    """The terminal's tables as plain text, for a file."""
    import io

    from rich.console import Console

    from datamin.report.terminal import tables

    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
    for table in tables(summary):
        console.print(table)
    return buffer.getvalue()
