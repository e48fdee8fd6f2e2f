"""`datamin run` and `datamin demo`: thin. Arguments, inputs and the policy are checked before
Beam or Presidio is imported (a mistake costs a fraction of a second); the library runs; this
prints progress, a summary (or `--json`) and chooses the exit code.

Exit codes: 0 done (quarantined records included, unless `--fail-on-quarantine`); 1 the pipeline
failed (its exception class only: Beam's messages can quote data); 2 a usage, policy, input, key
or output error, one line; 3 more records quarantined than `--fail-on-quarantine` allows;
130 interrupted (nothing of the run is committed, its temporaries are removed).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from datamin.cli.console import err, fail, out
from datamin.cli.strict import PASS_THROUGH
from datamin.cli.summary import print_summary, summary_of, warn_expired, warn_future
from datamin.errors import DataminError

HELP = (
    "Minimize archives into Parquet partitioned by retention class and date. Inputs are files, "
    "globs, directories (every file under them) or - for standard input. Beam's own options "
    "(--runner=..., --project=...) go after --."
)
EXAMPLE = "datamin run -i 'logs/*.har' -o out/ -p api_logs -- --runner=FlinkRunner"
DEMO_HELP = "Generate the deterministic sample archive (with planted values) and run it."

# A `-p` that names no file but one of these is the bundled policy of that name.
BUNDLED = ("api_logs", "messages", "redact_only")


def policy_path(value: str) -> Path:
    """`-p`: a policy file, or the name of a bundled policy (`api_logs`, `bundled:api_logs`)."""
    name = value.removeprefix("bundled:")
    path = Path(value)
    if (value.startswith("bundled:") or not path.exists()) and name in BUNDLED:
        from datamin.policies import bundled

        return bundled(name)
    return path


PolicyOption = Annotated[
    str,
    typer.Option(
        "--policy",
        "-p",
        help="Policy YAML file, or a bundled policy's name: " + ", ".join(BUNDLED) + ".",
    ),
]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show Beam's and Dask's own log lines.")
]


def run_command(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Option("--input", "-i", help="File, glob, directory or - (stdin); repeatable."),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory.")],
    policy: PolicyOption,
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
    ner_model: Annotated[
        str | None,
        typer.Option(
            "--ner-model",
            "--spacy-model",
            help="spaCy model package for NER (en_core_web_lg, ...); overrides the policy's "
            "detection.ner_model.",
        ),
    ] = None,
    dask_address: Annotated[
        str | None,
        typer.Option(
            help="Run on Dask: a scheduler (tcp://host:port), or 'local' for a cluster of "
            "--workers processes here (needs the 'dask' extra)."
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
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object on stdout.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary; errors only.")
    ] = False,
    fail_on_quarantine: Annotated[
        int | None,
        typer.Option(
            "--fail-on-quarantine",
            min=0,
            metavar="[N]",
            help="Exit 3 when more than N records (default 0) were quarantined.",
        ),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show live progress.")] = True,
    verbose: Verbose = False,
) -> None:
    beam_args = list(ctx.meta.get(PASS_THROUGH, []))
    chosen = check_first(inputs, policy, format)
    _library_logs(verbose)
    with _quiet_children(verbose), _dask_args(dask_address, workers, verbose) as dask_args:
        result = run_job(
            inputs,
            output,
            chosen,
            workers=workers,
            beam_args=[*beam_args, *dask_args],
            started_ahead=True,
            progress=progress and not quiet and not json_summary,
            key_file=key_file,
            token_keys=token_keys,
            raw_quarantine_key=raw_quarantine_key,
            ner_model=ner_model,
            allow_key_change=allow_key_change,
            format=format,
        )
    if json_summary:
        sys.stdout.write(json.dumps(summary_of(result), sort_keys=True) + "\n")
    elif not quiet:
        print_summary(result)
    if not quiet:
        warn_expired(result)
        warn_future(result)
    quarantined = result.audit["records_quarantined"]
    if fail_on_quarantine is not None and quarantined > fail_on_quarantine:
        raise fail(
            f"{quarantined:,} records quarantined (--fail-on-quarantine allows "
            f"{fail_on_quarantine:,}); see `datamin quarantine list {output}`",
            3,
        )


def check_first(inputs: list[str], policy: str, format: str | None) -> Path:
    """What can be checked before Beam and Presidio load (seconds): the inputs exist, the
    format is known, the policy loads. A bad or hostile policy never starts a pipeline.
    Returns the policy's path."""
    from datamin.formats.inputs import check_inputs
    from datamin.formats.registry import format_named
    from datamin.policies.loader import load_policy

    chosen = policy_path(policy)
    try:
        if format is not None:
            format_named(format)
        load_policy(chosen)
        check_inputs(inputs)
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    if "-" in inputs and sys.stdin.isatty():
        raise fail("- reads standard input, which is a terminal here; pipe the data in", 2)
    return chosen


def _library_logs(verbose: bool) -> None:
    """Beam and Dask speak at INFO (pipeline options, worker start-up: dozens of lines for a
    local run with workers); only with --verbose. Their warnings and errors always show."""
    level = logging.INFO if verbose else logging.WARNING
    if not verbose:
        # gRPC's C core (Beam's runners) logs its own errors to stderr, e.g. an epoll error
        # as a process with a file size limit ends; our one-line error says what failed.
        os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    for name in ("apache_beam", "distributed", "dask"):
        logging.getLogger(name).setLevel(level)
    # What Beam's workers log comes back through the job service at their own level.
    relayed = logging.getLogger("apache_beam.runners.portability.local_job_service")
    relayed.setLevel(logging.INFO if verbose else logging.ERROR)
    if verbose:
        logging.getLogger().setLevel(logging.INFO)


@contextlib.contextmanager
def _quiet_children(verbose: bool) -> Iterator[None]:
    """Beam's worker processes and Dask's write their INFO start-up (dozens of lines: options,
    channels, handlers) to the standard error they inherit. Unless --verbose, they inherit a
    pipe that passes on only their ERROR and CRITICAL lines; this process's own messages
    and logging keep the real stderr. Only where stderr is a real file descriptor."""
    try:
        real = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        real = False
    if verbose or not real:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    reader, writer = os.pipe()
    os.dup2(writer, 2)
    os.close(writer)
    own = open(saved, "w", buffering=1, errors="replace")  # closes `saved` when closed
    previous = sys.stderr
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and h.stream is previous
    ]
    sys.stderr = own
    for h in handlers:
        h.setStream(own)
    relay = threading.Thread(target=_pass_errors, args=(reader, own), daemon=True)
    relay.start()
    try:
        yield
    finally:
        own.flush()
        os.dup2(saved, 2)  # this process's end of the pipe closes; children's close as they end
        sys.stderr = previous
        for h in handlers:
            h.setStream(previous)
        relay.join(timeout=2)
        own.close()


def _pass_errors(reader: int, to: Any) -> None:
    with open(reader, "rb") as lines:
        for line in lines:
            if line.startswith((b"ERROR", b"CRITICAL")):
                to.write(line.decode("utf-8", "replace"))


@contextlib.contextmanager
def _dask_args(address: str | None, workers: int, verbose: bool) -> Iterator[list[str]]:
    """The Beam options for --dask-address (none without it); a local cluster lives as long as
    the block."""
    if address is None:
        yield []
        return
    try:
        from datamin.pipelines.dask_runner import dask_cluster
    except ImportError:
        raise fail("--dask-address needs Dask: pip install 'datamin[dask]'", 2) from None
    _library_logs(verbose)  # importing distributed set its loggers to INFO again
    with dask_cluster(address, workers) as args:
        yield args


@contextlib.contextmanager
def _interrupts() -> Iterator[list[int]]:
    """Ctrl-C (or SIGTERM) while a run works: noted, then raised as KeyboardInterrupt in the
    main thread, so the run fails the way any failure does (nothing committed, its staging
    area and quarantine removed) and the CLI can tell an interruption from a failure: Beam
    turns what a worker process saw into RuntimeError."""
    seen: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    def thread_failed(args: threading.ExceptHookArgs) -> None:
        # Beam's worker threads fail when their processes are stopped: expected after an
        # interruption; otherwise the class only (a traceback's text can quote data).
        if not seen:
            err.print(f"error in a pipeline thread ({args.exc_type.__name__})", highlight=False)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    hook, threading.excepthook = threading.excepthook, thread_failed
    try:
        yield seen
    finally:
        threading.excepthook = hook
        for s, handler in previous.items():
            signal.signal(s, handler)


def run_job(
    inputs: list[str],
    output: str,
    policy: Path,
    *,
    workers: int = 1,
    beam_args: list[str] | None = None,
    progress: bool = True,
    started_ahead: bool = False,
    **options: Any,
) -> Any:
    """The library's run, with a progress bar on a terminal; errors become exits.
    `started_ahead`: a local run's worker processes start before Beam is imported here."""
    from datamin.formats.inputs import named_files
    from datamin.pipelines import shards

    ahead = 0
    if started_ahead:
        ahead = shards.spares_for(workers, beam_args or [], named_files(inputs))
    with shards.Spares(ahead) as spares:
        from datamin.pipelines import batch

        show = progress and err.is_terminal
        bar, on_progress = _progress_bar(show)
        with bar, _interrupts() as interrupted:
            try:
                result = batch.run(
                    inputs,
                    output,
                    policy,
                    workers=workers,
                    beam_args=beam_args or [],
                    on_progress=on_progress if show else None,
                    spares=spares if started_ahead else None,
                    **options,
                )
            except DataminError as exc:
                raise fail(str(exc), 2) from None
            except KeyboardInterrupt:
                raise fail("interrupted; nothing of this run was kept", 130) from None
            except Exception as exc:  # noqa: BLE001 - Beam wraps worker errors: the class only
                if interrupted:
                    raise fail("interrupted; nothing of this run was kept", 130) from None
                # A share's child reports its error's class; any other exception is named by
                # its own class, never by what it carries (an attribute can hold a value).
                kind = exc.kind if isinstance(exc, shards.ShardFailed) else type(exc).__name__
                raise fail(f"pipeline failed ({kind})", 1) from None
    if result.key_notice:
        err.print(
            f"[yellow]note:[/yellow] {escape(result.key_notice)}", highlight=False, soft_wrap=True
        )
    return result


def _progress_bar(show: bool) -> tuple[Any, Any]:
    """A bar of records and records/s; once the inputs' size is known (local files), also
    percent and time left, from the bytes the readers have got through."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.fields[records]:,} records"),
        TextColumn("{task.fields[rate]}"),
        BarColumn(bar_width=20),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not show,
    )
    task = bar.add_task("run", total=None, records=0, rate="")
    started = time.monotonic()

    def on_progress(records: int, bytes_read: int, bytes_total: int) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = f"{records / elapsed:,.0f} records/s"
        if bytes_total:
            bar.update(task, total=bytes_total, completed=min(bytes_read, bytes_total))
        bar.update(task, records=records, rate=rate)

    return bar, on_progress


def demo_command(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the sample and its output go.")
    ] = Path("datamin-demo"),
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 7,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    verbose: Verbose = False,
) -> None:
    from datetime import UTC, datetime

    from datamin.policies import bundled
    from datamin.sample import generate_sample

    _library_logs(verbose)
    try:
        # Dated the days before today, so nothing the demo writes is already expired.
        manifest = generate_sample(directory / "input", seed=seed, today=datetime.now(UTC))
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
        result = run_job(inputs, str(directory / "output" / sub), bundled(policy), workers=workers)
        print_summary(result)
        warn_expired(result)
