"""`datamin stream`: thin; `datamin.stream` does the work. Exit 0 when stopped by SIGTERM or
SIGINT (the batch in hand finished) or by `--until-idle` / `--max-records`; 2 for a one-line
error before the first batch; 1 when a batch could not be written (nothing of it acknowledged,
the next start resumes there) or the source failed mid-run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datamin.cli.console import err, fail, out
from datamin.cli.run import PolicyOption, policy_path
from datamin.errors import BatchNotCommitted, DataminError, SourceError

HELP = (
    "Minimize a live source into the output, micro-batch by micro-batch, effectively once: "
    "nats://HOST:PORT/STREAM[?durable=NAME&subject=FILTER] (NATS JetStream) or dir:PATH "
    "(growing, rotated JSON-lines files). Each batch is committed with its source position "
    "before it is acknowledged; a restarted runner resumes after its last commit. "
    "SIGTERM/SIGINT finish the batch in hand and exit 0."
)


def stream_command(
    source: Annotated[str, typer.Option("--source", "-s", help="nats://... or dir:PATH.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory.")],
    policy: PolicyOption,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Records per batch at most.")
    ] = 500,
    max_wait: Annotated[
        float,
        typer.Option(min=0.01, help="Seconds a batch waits to fill once its first record is in."),
    ] = 1.0,
    key_file: Annotated[Path | None, typer.Option(help="Pseudonymization key file.")] = None,
    token_keys: Annotated[
        Path | None, typer.Option(help="Directory of reversible-token keys (see `run`).")
    ] = None,
    raw_quarantine_key: Annotated[
        Path | None,
        typer.Option(help="Keep quarantined records' bytes, encrypted with this key file."),
    ] = None,
    spacy_model: Annotated[
        str | None, typer.Option("--ner-model", help="spaCy model package for NER.")
    ] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(min=0, max=65535, help="Serve Prometheus text on 127.0.0.1:PORT/metrics."),
    ] = None,
    status_every: Annotated[
        float, typer.Option(min=0.1, help="Seconds between status lines on stderr.")
    ] = 5.0,
    until_idle: Annotated[
        float | None,
        typer.Option(help="Stop once no record has come for this many seconds (drain a backlog)."),
    ] = None,
    max_records: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many records.")
    ] = None,
    allow_key_change: Annotated[
        bool, typer.Option(help="Write under another key than the output's (see `run`).")
    ] = False,
) -> None:
    from datamin.policies.loader import load_policy

    chosen = policy_path(policy)
    try:
        load_policy(chosen)  # before anything heavy is imported: a bad policy fails at once
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    from datamin.stream import StreamSettings, stream

    settings = StreamSettings(
        batch_size=batch_size,
        max_wait=max_wait,
        status_every=status_every,
        metrics_port=metrics_port,
        until_idle=until_idle,
        max_records=max_records,
    )

    def on_status(line: str) -> None:
        err.print(line, highlight=False, markup=False, soft_wrap=True)

    try:
        result = stream(
            source,
            output,
            chosen,
            key_file=key_file,
            token_keys=token_keys,
            raw_quarantine_key=raw_quarantine_key,
            ner_model=spacy_model,
            settings=settings,
            allow_key_change=allow_key_change,
            on_status=on_status,
        )
    except BatchNotCommitted as exc:
        raise fail(f"{exc}; the batch was not acknowledged", 1) from None
    except SourceError as exc:
        raise fail(str(exc), 1) from None
    except DataminError as exc:
        raise fail(str(exc), 2) from None
    except Exception as exc:  # noqa: BLE001 - a traceback can quote values; the class is enough
        raise fail(f"the stream failed ({type(exc).__name__})", 1) from None
    s = result.status
    out.print(
        f"stream stopped ({result.stopped_by}): {s.batches} batches, {s.records_in} records in, "
        f"{s.records_written} written, {s.records_dropped} dropped, {s.records_quarantined} "
        f"quarantined, {s.rows_expired} rows past retention",
        highlight=False,
        soft_wrap=True,
    )
