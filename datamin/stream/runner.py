"""`datamin stream`: micro-batches from a live source, each minimized and committed before the
source hears that it is done.

Per batch (N records or T seconds, whichever first):

1. read it from the source (`datamin.stream.sources`);
2. minimize it with the same core as `datamin run` (`RunConfig.minimizer`); rows whose event date
   is already past their class's retention are counted and not written;
3. under the output lock: write its Parquet files and quarantine into a staging area and commit
   them with the batch's audit record (`datamin.output.commit`: intent, moves, audit), which
   holds the source position after the batch;
4. acknowledge the batch to the source.

A runner killed anywhere repeats at most step 4: on start it settles what a killed batch left
(a commit whose intent was written is completed, any other staging area deleted), reads the
position of its last committed batch from the audit, and resumes right after it. Files are
named by record number (`part-<stream key>-<first record>.parquet`), so a batch read again
after a kill writes the names it would have written. One runner per output and source (the
stream lock); the output lock is held only while a batch is written, so `datamin dispose` and
`datamin run` work beside a live stream.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from datamin.core.config import RunConfig
from datamin.core.records import source_names
from datamin.errors import DataminError, OutputError, SourceError
from datamin.keys import bind_output, resolve_key_source
from datamin.output import commit
from datamin.output.boundary import create_output, refuse_links
from datamin.output.keycheck import check_key, key_check
from datamin.output.layout import OutputLayout
from datamin.output.lock import OutputLock, StreamLock
from datamin.output.rawquarantine import resolve_raw_key
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.stream.batch import (
    LOCK_WAIT_SECONDS,
    StreamState,
    fault,
    run_batch,
)
from datamin.stream.sources import Message, StreamSource, open_source
from datamin.stream.status import MetricsServer, StreamStatus

SOURCE_PURPOSE = "stream-source"  # the keyed hash that tells a stream's batches from others'
FILE_PURPOSE = "stream-file"  # the keyed hash of a followed file's first line


@dataclass(frozen=True)
class StreamSettings:
    batch_size: int = 500
    max_wait: float = 1.0  # seconds a batch waits to fill once its first record is in
    status_every: float = 5.0
    metrics_port: int | None = None
    until_idle: float | None = None  # stop once no record has come for this long
    max_records: int | None = None  # stop after this many records


@dataclass
class StreamResult:
    source_id: str
    status: StreamStatus
    position: dict[str, Any] | None
    metrics_port: int | None = None
    stopped_by: str = "signal"


def stream(
    source: str,
    output: str | Path,
    policy: str | Path,
    *,
    key_file: Path | None = None,
    token_keys: Path | None = None,
    raw_quarantine_key: Path | None = None,
    ner_model: str | None = None,
    settings: StreamSettings = StreamSettings(),
    allow_key_change: bool = False,
    on_status: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> StreamResult:
    """Run until `stop` is set (SIGTERM and SIGINT set it when this runs in the main thread),
    or `settings.until_idle` / `max_records` say so; the batch in hand is finished first.
    Raises `DataminError` for what is wrong before the first batch, and `OutputError` when a
    batch cannot be written (nothing of it acknowledged)."""
    loaded = load_policy(policy)
    output = str(output)
    if "://" in output or any(c in output for c in "*?[]"):
        raise OutputError("a stream writes to a local directory without * ? [ or ] in its path")
    tokenizes = any(rule.action == "tokenize" for *_, rule in loaded.policy.rules())
    key_source, _ = resolve_key_source(key_file, Path(output), token_keys, tokenize=tokenizes)
    keys = key_source.load()
    CompiledPolicy(loaded, keys)  # every configuration error surfaces here
    raw_key = resolve_raw_key(raw_quarantine_key, output, keys) if raw_quarantine_key else None
    if raw_key is not None:
        raw_key.load()
    max_bytes = loaded.policy.limits.max_record_bytes
    src = open_source(
        source,
        fingerprint=lambda head: keys.mac_hex(FILE_PURPOSE, head, 16),
        max_record_bytes=max_bytes,
        batch_size=settings.batch_size,
    )
    source_id = keys.mac_hex(SOURCE_PURPOSE, src.identity.encode(), 16)
    layout = OutputLayout(output)
    create_output(output)
    refuse_links(output)
    stop = stop or threading.Event()
    with StreamLock(output, source_id), _signals(stop):
        with OutputLock(output, wait=LOCK_WAIT_SECONDS):
            commit.check_writable(layout)
            bind_output(layout.local)
            # Stopped commits are completed now (their positions count); a stopped run's
            # staging area is deleted by the next batch, which lists it in its audit record.
            completed = commit.roll_forward(layout)
            commit.remove_leftovers(layout)
            key_changed = check_key(layout, key_check(keys), allow_key_change)
            position = committed_position(layout, source_id)
        config = RunConfig(
            loaded, key_source, datetime.now(UTC).date(), ner_model, keep_raw=bool(raw_key)
        )
        state = StreamState(
            src,
            source_id,
            source_names(src.name, keys)[0],
            layout,
            config,
            keys,
            raw_key,
            key_changed,
            position,
            runs_completed=completed,
        )
        try:
            _from_source("start", lambda: src.start(position))
            return _loop(state, settings, stop, on_status)
        finally:
            src.close()


def committed_position(layout: OutputLayout, source_id: str) -> dict[str, Any] | None:
    """The source position the output's newest committed batch of this source recorded."""
    best: tuple[int, dict[str, Any]] | None = None
    for audit in layout.run_records():
        info = audit.get("stream")
        if not isinstance(info, dict) or info.get("source_id") != source_id:
            continue
        last, position = info.get("last"), info.get("position")
        if (
            isinstance(last, int)
            and isinstance(position, dict)
            and (best is None or last > best[0])
        ):
            best = (last, position)
    return best[1] if best else None


def _loop(
    state: StreamState,
    settings: StreamSettings,
    stop: threading.Event,
    on_status: Callable[[str], None] | None,
) -> StreamResult:
    engines = state.config.engines()
    minimizer = state.config.minimizer(engines)
    status = state.status
    server = (
        MetricsServer(status, settings.metrics_port) if settings.metrics_port is not None else None
    )
    result = StreamResult(state.source_id, status, state.position, server.port if server else None)
    last_status = last_record = time.monotonic()
    try:
        while not stop.is_set():
            batch = _from_source("read", lambda: _collect(state.source, settings, stop))
            now = time.monotonic()
            if batch:
                last_record = now
                run_batch(state, minimizer, batch)
                _from_source("acknowledge", lambda b=batch: state.source.acknowledge(b))
                fault("acknowledged")
                result.position = state.position
            if on_status and now - last_status >= settings.status_every:
                status.lag = state.source.lag()
                on_status(status.line())
                last_status = now
            if settings.max_records is not None and status.records_in >= settings.max_records:
                result.stopped_by = "max_records"
                break
            if settings.until_idle is not None and now - last_record >= settings.until_idle:
                result.stopped_by = "idle"
                break
    finally:
        if server is not None:
            server.close()
    status.lag = state.source.lag()
    if on_status:
        on_status(status.line())
    return result


def _collect(
    source: StreamSource, settings: StreamSettings, stop: threading.Event
) -> list[Message]:
    """One batch: up to `batch_size` records, waiting `max_wait` for the first and then at most
    `max_wait` more for the rest."""
    wanted = settings.batch_size
    if settings.max_records is not None:
        wanted = max(1, min(wanted, settings.max_records))
    batch = source.fetch(wanted, settings.max_wait)
    deadline = time.monotonic() + settings.max_wait
    while batch and len(batch) < wanted and not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        more = source.fetch(wanted - len(batch), min(left, 0.25))
        batch += more
    return batch


T = TypeVar("T")


def _from_source(what: str, call: Callable[[], T]) -> T:
    """A source's own error, told by class: the runner stops, what it committed stands."""
    try:
        return call()
    except DataminError:
        raise
    except Exception as exc:  # noqa: BLE001 - a client library's text can quote a message
        raise SourceError(
            f"the stream source failed to {what} ({type(exc).__name__}); the next start "
            "resumes after the last committed batch"
        ) from None


@contextlib.contextmanager
def _signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT finish the batch in hand and stop (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    for s in previous:
        signal.signal(s, lambda *_: stop.set())
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
