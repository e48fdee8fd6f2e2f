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
import dataclasses
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from datamin import __version__
from datamin.core.config import RunConfig
from datamin.core.minimize import Quarantined, Written
from datamin.core.records import Item, RawRecord, Unreadable, source_names
from datamin.core.stats import Stats
from datamin.errors import BatchNotCommitted, DataminError, OutputError, SourceError
from datamin.keys import KeyRing, bind_output, resolve_key_source
from datamin.output import commit
from datamin.output.boundary import refuse_links
from datamin.output.keycheck import check_key, key_check
from datamin.output.layout import OutputLayout, new_run_id
from datamin.output.lock import OutputLock, StreamLock
from datamin.output.policy_copy import saved_form
from datamin.output.rawquarantine import resolve_raw_key
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.stream.sources import Message, StreamSource, open_source
from datamin.stream.status import MetricsServer, StreamStatus

SOURCE_PURPOSE = "stream-source"  # the keyed hash that tells a stream's batches from others'
FILE_PURPOSE = "stream-file"  # the keyed hash of a followed file's first line
# The longest a batch waits for the output lock (a disposal or a batch run holds it).
LOCK_WAIT_SECONDS = 600.0
# Records minimized per call (NER runs over a call's texts together).
MINIMIZE_CHUNK = 128
# Tests stop the process at a named step of a batch: `DATAMIN_FAULT_KILL_AT=<step>:<n>` kills
# it (SIGKILL) the n-th time it reaches <step> (read, minimized, staged, prepared, intent,
# moved, audit, done, acknowledged).
FAULT_ENV = "DATAMIN_FAULT_KILL_AT"


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


@dataclass
class _Stream:
    """A runner's state between batches."""

    source: StreamSource
    source_id: str
    shown: str  # the source as audits show it
    layout: OutputLayout
    config: RunConfig
    keys: KeyRing
    raw_key: Any
    key_changed: bool
    position: dict[str, Any] | None
    status: StreamStatus = field(default_factory=StreamStatus)
    policy_saved: bool = False


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
    try:
        Path(output).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output directory {output} ({type(exc).__name__})"
        ) from None
    refuse_links(output)
    stop = stop or threading.Event()
    with StreamLock(output, source_id), _signals(stop):
        with OutputLock(output, wait=LOCK_WAIT_SECONDS):
            commit.check_writable(layout)
            bind_output(layout.local)
            commit.recover(layout)
            commit.remove_leftovers(layout)
            key_changed = check_key(layout, key_check(keys), allow_key_change)
            position = committed_position(layout, source_id)
        config = RunConfig(
            loaded, key_source, datetime.now(UTC).date(), ner_model, keep_raw=bool(raw_key)
        )
        state = _Stream(
            src,
            source_id,
            source_names(src.name, keys)[0],
            layout,
            config,
            keys,
            raw_key,
            key_changed,
            position,
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
    state: _Stream,
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
                _batch(state, minimizer, batch)
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


def _batch(state: _Stream, minimizer: Any, batch: list[Message]) -> None:
    started = time.monotonic()
    _fault("read")
    today = datetime.now(UTC)
    minimizer.stats = Stats()
    minimizer.run_date = today.date().isoformat()
    limit = state.config.loaded.policy.limits.max_record_bytes
    items: list[Item] = [
        Unreadable(state.source.name, m.seq, "LimitExceeded: record larger than the limit")
        if len(m.data) > limit
        else RawRecord(state.source.name, m.seq, m.data)
        for m in batch
    ]
    outcomes: list[Written | Quarantined | None] = []
    for i in range(0, len(items), MINIMIZE_CHUNK):
        outcomes += minimizer.process(items[i : i + MINIMIZE_CHUNK])
    stats: Stats = minimizer.stats
    written, expired = _unexpired(
        minimizer.policy, [o for o in outcomes if isinstance(o, Written)], stats, today.date()
    )
    quarantined = [o for o in outcomes if isinstance(o, Quarantined)]
    _fault("minimized")
    position = state.source.position_after(batch)
    run_id = new_run_id(today)
    with OutputLock(state.layout.root, wait=LOCK_WAIT_SECONDS):
        try:
            audit = _write_and_commit(
                state, run_id, batch, written, quarantined, stats, expired, position, today
            )
        except OSError as exc:
            commit.discard_run(state.layout, run_id)
            raise BatchNotCommitted(str(commit.write_error(state.layout.root, exc))) from None
        except OutputError as exc:
            commit.discard_run(state.layout, run_id)
            raise BatchNotCommitted(str(exc)) from None
        except BaseException:
            commit.discard_run(state.layout, run_id)
            raise
    state.position = position
    _from_source("acknowledge", lambda: state.source.acknowledge(batch))
    _fault("acknowledged")
    committed = time.time()
    state.status.add_batch(audit, expired, time.monotonic() - started)
    state.status.add_latencies([m.published for m in batch if m.published is not None], committed)


def _write_and_commit(
    state: _Stream,
    run_id: str,
    batch: list[Message],
    written: list[Written],
    quarantined: list[Quarantined],
    stats: Stats,
    expired: int,
    position: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    from datamin.pipelines.parquet_sink import PartitionWriter
    from datamin.pipelines.quarantine_sink import QuarantineSink

    layout, keys = state.layout, state.keys
    refuse_links(layout.root)  # one planted since the last batch: nothing is written
    staging = layout.staging(run_id)
    policy = state.config.engines().policy
    writer = PartitionWriter(staging.root, policy, run_id)
    files: list[str] = []
    try:
        for w in written:
            files += writer.add(state.source_id, w.index, w.date, w.rows)
        files += writer.close_all()
    except BaseException:
        writer.abort()
        raise
    raw = state.raw_key.load() if state.raw_key is not None else None
    sink = QuarantineSink(layout.root, run_id, raw)
    for q in quarantined:
        sink.add(q)
    quarantine_files = sink.finish()
    _fault("staged")
    rows = commit.check_rows(files, dict(stats.rows))
    loaded = state.config.loaded
    if not state.policy_saved:
        layout.save_policy(saved_form(loaded.raw, keys), loaded.sha256)
        state.policy_saved = True
    counts = stats.to_dict()
    prefix = staging.root.rstrip("/") + "/"
    relative = sorted(p[len(prefix) :] for p in [*files, *quarantine_files])
    audit = {
        "run_id": run_id,
        "kind": "stream",
        "datamin_version": __version__,
        "started_at": now.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "policy": loaded.policy.name,
        "policy_sha256": loaded.sha256,
        "key_source": "env" if state.config.keys.env else "file",
        "key_check": key_check(keys),
        "key_changed": state.key_changed,
        "stream": {
            "source": state.shown,
            "source_id": state.source_id,
            "first": batch[0].seq,
            "last": batch[-1].seq,
            "messages": len(batch),
            "position": position,
        },
        "inputs": [],
        **counts,
        "rows_expired": expired,
        "balanced": stats.balanced(),
        "files_written": sorted(p[len(prefix) :] for p in files),
        "rows_by_file": {p[len(prefix) :]: n for p, n in rows.items()},
        "files_replaced": 0,
        "quarantine_files": sorted(p[len(prefix) :] for p in quarantine_files),
        "raw_quarantine": state.raw_key is not None,
    }
    commit.commit(layout, commit.Intent(run_id, relative, [], audit), on_step=_fault)
    return counts


def _unexpired(
    policy: CompiledPolicy, written: list[Written], stats: Stats, today: date
) -> tuple[list[Written], int]:
    """Rows already past their class's retention (an event date further back than the class
    keeps) are not written: counted, and a record left with no row counts as dropped."""
    kept, expired = [], 0
    for w in written:
        day = date.fromisoformat(w.date)
        rows = {}
        for cls, row in w.rows.items():
            duration = policy.retention.get(cls)
            if duration is not None and day + duration < today:
                expired += 1
                stats.rows[cls] -= 1
            else:
                rows[cls] = row
        if len(rows) == len(w.rows):
            kept.append(w)
        elif rows:
            kept.append(dataclasses.replace(w, rows=rows))
        else:
            stats.records_written -= 1
            stats.records_dropped += 1
    stats.rows = +stats.rows  # no zero counts
    return kept, expired


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


_reached: dict[str, int] = {}


def _fault(step: str) -> None:
    """Where tests kill the runner (see FAULT_ENV); nothing otherwise."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    _reached[step] = _reached.get(step, 0) + 1
    if _reached[step] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


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
