"""The `datamin` command: thin, with progress and a summary; the library does the work.

Errors a user can fix (a bad policy, a missing input, an unwritable output) print one line and
exit 2; a pipeline failure prints its exception class only (Beam's messages can quote data) and
exits 1. Quarantined records are not failures: the run exits 0 and the summary counts them.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from datamin import safelog
from datamin.cli import compact as compact_cli
from datamin.cli import dispose as dispose_cli
from datamin.cli import eval as eval_cli
from datamin.cli import reidentify as reidentify_cli
from datamin.cli import stream as stream_cli
from datamin.cli.console import err, fail, out
from datamin.cli.policy import policy_app
from datamin.cli.quarantine import quarantine_app
from datamin.errors import DataminError


class _BeamStepErrors(logging.Filter):
    """Beam logs a failing step's exception as the message (`str(exc)`, which can quote the value
    that caused it) with its traceback. The CLI prints the error itself: our own in full (its
    text is safe), anyone else's by class only; this drops the duplicate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not isinstance(record.msg, BaseException)


logging.getLogger("apache_beam.runners.common").addFilter(_BeamStepErrors())

app = typer.Typer(
    name="datamin",
    help="Keep only what is needed of API traffic and message archives.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(policy_app, name="policy")
app.add_typer(quarantine_app, name="quarantine")
# Every command is a thin function in its own module (run and demo here), registered here.
app.command("dispose", help=dispose_cli.HELP)(dispose_cli.dispose_command)
app.command("compact", help=compact_cli.HELP)(compact_cli.compact_command)
app.command("stream", help=stream_cli.HELP)(stream_cli.stream_command)
from datamin.cli import report as report_cli  # noqa: E402

app.command("report", help=report_cli.HELP, epilog=f"Example: {report_cli.EXAMPLE}")(
    report_cli.report_command
)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Minimize archives into Parquet partitioned by retention class and date. "
    "Extra options (--runner=..., --project=...) pass through to Beam.",
)
def run(
    ctx: typer.Context,
    inputs: Annotated[
        list[str], typer.Option("--input", "-i", help="File path or glob; repeatable.")
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory.")],
    policy: Annotated[Path, typer.Option("--policy", "-p", help="Policy YAML file.")],
    key_file: Annotated[Path | None, typer.Option(help="Pseudonymization key file.")] = None,
    token_keys: Annotated[
        Path | None,
        typer.Option(
            help="Directory of reversible-token keys, outside the output "
            "(default: one per output under ~/.config/datamin/token-keys)."
        ),
    ] = None,
    raw_quarantine_key: Annotated[
        Path | None,
        typer.Option(
            help="Keep quarantined records' bytes too, encrypted with this key file (made by "
            "`datamin quarantine new-key`), for `quarantine.raw_retention`. Off by default."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Local worker processes.")] = 1,
    spacy_model: Annotated[
        str | None,
        typer.Option(
            "--ner-model",
            "--spacy-model",
            help="spaCy model package for NER (en_core_web_lg, ...); overrides the policy's "
            "detection.ner_model.",
        ),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show live progress.")] = True,
    dask_address: Annotated[
        str | None,
        typer.Option(
            help="Run on Dask: a distributed scheduler (tcp://host:port), or 'local' for a "
            "cluster of --workers processes on this machine (needs the 'dask' extra)."
        ),
    ] = None,
    allow_key_change: Annotated[
        bool,
        typer.Option(
            help="Write under another key than the output was written under (its audit says "
            "so); earlier rows keep the old key's pseudonyms."
        ),
    ] = False,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Read every input as this format (har, jsonl, json, kong, aws-apigateway, "
            "envoy, nginx-json, cloudflare, ...) instead of by its extension or content.",
        ),
    ] = None,
) -> None:
    _check_format_first(format)
    _check_policy_first(policy)
    with _dask_args(dask_address, workers) as dask_args:
        result = _run_with_progress(
            inputs,
            output,
            policy,
            key_file,
            workers,
            spacy_model,
            [*ctx.args, *dask_args],
            progress,
            token_keys=token_keys,
            raw_quarantine_key=raw_quarantine_key,
            allow_key_change=allow_key_change,
            format=format,
        )
    _print_summary(result.audit, result.audit_path)


def _check_format_first(name: str | None) -> None:
    """An unknown `--format` is refused before the policy is loaded or Beam imported, with the
    names that are known."""
    if name is None:
        return
    from datamin.formats.registry import format_named

    try:
        format_named(name)
    except DataminError as exc:
        raise fail(str(exc), 2) from None


def _check_policy_first(policy: Path) -> None:
    """Load the policy before Beam and Presidio are imported (seconds): a bad or hostile policy
    is refused at once, and no pipeline starts for it. The run loads it again, as it always has."""
    from datamin.policies.loader import load_policy

    try:
        load_policy(policy)
    except DataminError as exc:
        raise fail(str(exc), 2) from None


@contextlib.contextmanager
def _dask_args(address: str | None, workers: int) -> Iterator[list[str]]:
    """The Beam options for --dask-address (none without it); a local cluster lives as long as
    the block."""
    if address is None:
        yield []
        return
    try:
        from datamin.pipelines.dask_runner import dask_cluster
    except ImportError:
        raise fail("--dask-address needs Dask: pip install 'datamin[dask]'", 2) from None
    with dask_cluster(address, workers) as args:
        yield args


def _run_with_progress(
    inputs: list[str],
    output: str,
    policy: Path,
    key_file: Path | None,
    workers: int,
    spacy_model: str | None,
    beam_args: list[str],
    progress: bool,
    token_keys: Path | None = None,
    raw_quarantine_key: Path | None = None,
    allow_key_change: bool = False,
    format: str | None = None,
) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from datamin.pipelines import batch

    show = progress and err.is_terminal
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,.0f} records"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not show,
    )
    import time

    started = time.monotonic()
    with bar:
        task = bar.add_task("run", total=None, rate="")

        def on_progress(n: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=n, rate=f"{n / elapsed:,.0f} records/s")

        try:
            result = batch.run(
                inputs,
                output,
                policy,
                key_file=key_file,
                token_keys=token_keys,
                raw_quarantine_key=raw_quarantine_key,
                workers=workers,
                ner_model=spacy_model,
                beam_args=beam_args,
                on_progress=on_progress if show else None,
                allow_key_change=allow_key_change,
                format=format,
            )
        except DataminError as exc:
            raise fail(str(exc), 2) from None
        except Exception as exc:  # noqa: BLE001 - Beam wraps worker errors; print the class only
            raise fail(f"pipeline failed ({type(exc).__name__})", 1) from None
    if result.key_notice:
        err.print(
            f"[yellow]note:[/yellow] {escape(result.key_notice)}", highlight=False, soft_wrap=True
        )
    return result


def _print_summary(audit: dict[str, Any], audit_path: str) -> None:
    table = Table(
        title=f"datamin run {audit['run_id']}  (policy {audit['policy']})", show_header=True
    )
    table.add_column("records", style="bold")
    table.add_column("count", justify="right")
    for name in ("records_in", "records_written", "records_dropped", "records_quarantined"):
        table.add_row(name.removeprefix("records_"), f"{audit[name]:,}")
    out.print(table)
    findings = audit.get("findings_by_entity", {})
    if findings:
        top = Table(title="top findings", show_header=True)
        top.add_column("entity")
        top.add_column("count", justify="right")
        for entity, n in sorted(findings.items(), key=lambda kv: -kv[1])[:10]:
            top.add_row(entity, f"{n:,}")
        out.print(top)
    if audit.get("quarantine_by_error"):
        q = Table(title="quarantined", show_header=True)
        q.add_column("error")
        q.add_column("count", justify="right")
        for error, n in sorted(audit["quarantine_by_error"].items(), key=lambda kv: -kv[1]):
            q.add_row(error, f"{n:,}")
        out.print(q)
    out.print(f"audit: {audit_path}", highlight=False)


@app.command(help="Generate the deterministic sample archive (with planted values) and run it.")
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the sample and its output go.")
    ] = Path("datamin-demo"),
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 7,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    from datamin.policies import bundled
    from datamin.sample import generate_sample

    try:
        manifest = generate_sample(directory / "input", seed=seed)
    except OSError as exc:
        raise fail(f"cannot write the sample under {directory} ({type(exc).__name__})", 2) from None
    out.print(
        f"sample: {manifest.har_entries} HAR entries and {manifest.messages} messages "
        f"with {len(manifest.planted)} planted values in {directory / 'input'}",
        highlight=False,
    )
    jobs = [
        ("api traffic", [str(directory / "input" / "traffic" / "*")], "api_logs", "api"),
        ("messages", [str(directory / "input" / "messages" / "*")], "messages", "messages"),
    ]
    for title, inputs, policy, sub in jobs:
        out.rule(title)
        result = _run_with_progress(
            inputs, str(directory / "output" / sub), bundled(policy), None, workers, None, [], True
        )
        _print_summary(result.audit, result.audit_path)


app.command("eval", help=eval_cli.HELP)(eval_cli.eval_command)
app.command("reidentify", help=reidentify_cli.HELP)(reidentify_cli.reidentify_command)


def main() -> None:
    safelog.configure(logging.WARNING)
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except DataminError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - a traceback can quote values; the class is enough
        err.print(
            f"[red]error:[/red] internal error ({type(exc).__name__})",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
