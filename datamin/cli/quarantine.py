"""`datamin quarantine ...`: what a run quarantined, and the optional raw store's way back.

`list` reads the plain quarantine (entries by error class; no key needed) and says which runs
kept a raw store and until when. `export` decrypts one run's raw store into a directory, one
file per record, named so `datamin run -i 'DEST/*'` replays them after a fix; the manifest
that maps each file to its source, position and error is `DEST/.datamin/manifest.json`, in a
hidden directory so that glob never reads it. `new-key` makes the raw store's key file.

Exported files hold the records as they were, personal data included, by design: nothing here
prints them, and their names, the manifest and every message hold paths, positions, counts and
error classes only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from datamin.cli.console import err, fail, out
from datamin.errors import DataminError, KeyConfigError
from datamin.output.quarantine import export_run, quarantine_summary
from datamin.output.rawquarantine import (
    RAW_DIR,
    create_raw_key_file,
    resolve_raw_key,
)

quarantine_app = typer.Typer(
    help="What runs quarantined; export a run's raw quarantine store for replay.",
    no_args_is_help=True,
)

# -- commands --------------------------------------------------------------------------------


@quarantine_app.command(
    "list",
    help="Per run: quarantined entries by error class, and whether a raw store exists and "
    "when it expires. Needs no key; shows no content.",
)
def quarantine_list(
    output: Annotated[Path, typer.Option("--output", "-o", help="A datamin output directory.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    if fmt not in ("text", "json"):
        raise fail("--format is text or json", 2)
    now = datetime.now(UTC)
    try:
        runs = quarantine_summary(output)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if fmt == "json":
        out.print_json(json.dumps([r.to_json(now) for r in runs]))
        return
    if not runs:
        out.print(f"no quarantine in {output}", highlight=False)
        return
    for r in runs:
        if r.raw_files is None:
            raw = "no raw store"
        elif r.raw_expires is None:
            raw = f"raw store: {r.raw_files} file(s), due for disposal now"
            raw += " (no audit record or saved policy)"
        else:
            when = r.raw_expires.isoformat(timespec="seconds")
            raw = f"raw store: {r.raw_files} file(s), expires {when}"
            raw += " (expired)" if r.raw_expires < now else ""
        out.print(
            f"{r.run_id}  {r.entries:,} quarantined; {raw}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        for error, n in r.by_error.most_common():
            out.print(f"  {n:>8,}  {error}", highlight=False, markup=False, soft_wrap=True)


@quarantine_app.command(
    "export",
    help="Decrypt a run's raw quarantine store into DEST, one file per record (the bytes as "
    "they were; personal data included), for `datamin run -i 'DEST/*'` after a fix. The "
    "manifest is DEST/.datamin/manifest.json.",
)
def quarantine_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="A datamin output directory.")],
    run: Annotated[str, typer.Option("--run", help="The run id (see `quarantine list`).")],
    raw_quarantine_key: Annotated[
        Path, typer.Option("--raw-quarantine-key", help="The raw quarantine key file.")
    ],
    to: Annotated[Path, typer.Option("--to", help="A new or empty directory outside the output.")],
) -> None:
    now = datetime.now(UTC)
    try:
        key = resolve_raw_key(raw_quarantine_key, output).load()
        result = export_run(output, run, key, to, now)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    except OSError as exc:
        raise fail(f"cannot write the export under {to} ({type(exc).__name__})", 2) from None
    listed = f" ({result.without_content} without content: listed only)"
    out.print(
        f"exported {result.files} record(s) of run {run} to {result.dest}"
        + (listed if result.without_content else "")
        + f"; manifest {result.manifest}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    err.print(
        "these files hold raw records, personal data included: replay them, then delete them",
        highlight=False,
        soft_wrap=True,
    )


@quarantine_app.command("new-key", help="Create a raw quarantine key file (mode 0600).")
def quarantine_new_key(
    file: Annotated[Path, typer.Argument(help="Where to write it; never overwritten.")],
) -> None:
    try:
        _refuse_inside_an_output(file)
        create_raw_key_file(file)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    out.print(
        f"created a raw quarantine key at {file} (mode 0600); keep it apart from the output "
        "and from datamin's pseudonymization key",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _refuse_inside_an_output(file: Path) -> None:
    for parent in file.expanduser().resolve().parents:
        if (parent / "_audit" / "runs").is_dir() or (parent / RAW_DIR).is_dir():
            raise KeyConfigError(
                f"raw quarantine key file {file} must not be inside the output directory {parent}"
            )
