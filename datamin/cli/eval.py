"""`datamin eval`: thin; `datamin.evaluation` builds the corpora and measures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from datamin.cli.console import err, fail, out
from datamin.errors import DataminError

HELP = (
    "Measure leaks and destroyed look-alikes of datamin (policy redact_only) and plain "
    "Presidio on labelled corpora: the project's generator and public ones (a DEV part and a "
    "FROZEN part nobody tunes on; these need Faker: pip install 'datamin[eval]'); prints a "
    "table per corpus."
)


def eval_command(
    corpus: Annotated[
        str, typer.Option(help="generated, public-dev, public-frozen or all.")
    ] = "all",
    seed: Annotated[int, typer.Option(help="Seed (generated and public-dev).")] = 11,
    har_entries: Annotated[int, typer.Option(min=1, help="HAR entries generated.")] = 400,
    messages: Annotated[int, typer.Option(min=0, help="Messages generated.")] = 200,
    public_records: Annotated[
        int, typer.Option(min=1, help="Records in each public corpus.")
    ] = 240,
    presidio_records: Annotated[
        int, typer.Option(min=1, help="Records plain Presidio (and datamin) compare on.")
    ] = 120,
    presidio: Annotated[bool, typer.Option(help="Run plain Presidio alongside.")] = True,
    html: Annotated[Path | None, typer.Option(help="Also write an HTML chart here.")] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
) -> None:
    import json
    import tempfile

    from datamin.evaluation.run import CORPORA, build_named, evaluate, format_table, write_html

    if corpus != "all" and corpus not in CORPORA:
        raise fail(f"--corpus must be one of {', '.join(CORPORA)} or all", 2)
    names = CORPORA if corpus == "all" else (corpus,)

    def step(what: str) -> None:
        err.print(f"running {what}...", highlight=False)

    reports = []
    for name in names:
        with tempfile.TemporaryDirectory(prefix="datamin-eval-corpus-") as tmp:
            try:
                built = build_named(
                    name, Path(tmp), seed=seed, har_entries=har_entries, messages=messages,
                    public_records=public_records,
                )  # fmt: skip
                step(f"corpus {name}")
                report = evaluate(
                    built,
                    include_presidio=presidio,
                    baseline_records=presidio_records,
                    on_step=step,
                    name=name,
                )
            except DataminError as exc:
                raise fail(str(exc), 2) from None
        out.print(format_table(report), highlight=False, markup=False, soft_wrap=True)
        reports.append(report)
    if html is not None:
        _write_or_fail(html, lambda: write_html(reports, html))
    if json_file is not None:
        figures = {r.name: r.to_dict() for r in reports}
        _write_or_fail(
            json_file, lambda: json_file.write_text(json.dumps(figures, indent=2) + "\n")
        )


def _write_or_fail(path: Path, write: Any) -> None:
    try:
        write()
    except OSError as exc:
        raise fail(f"cannot write {path} ({type(exc).__name__})", 2) from None
