"""Streaming: the batch job's minimization as an unbounded Beam chain (Dataflow, Flink), wired as
Beam's `leader_board.py` is beside `user_score.py`: any source in, the same `Minimize` in the
middle, and each fixed window of the output committed as one run of it.

    messages = p | beam.io.ReadFromPubSub(subscription=...)  # bytes, timestamped by Pub/Sub
    counts = messages | "Minimize" >> MinimizeStream(output, config, stream="pubsub:orders")

Elements are a message's bytes (a JSON object), `(offset, bytes)` pairs (an int that places the
message in its stream, as a Kafka offset) or `RawRecord`s. A message is windowed by its element
timestamp (fixed windows of `window_seconds`, each fired once, when the watermark passes its
end) and minimized by `Minimize` as `datamin run` minimizes a record; then each window's rows,
quarantine entries and counts are grouped (one group, so one writer, per window) and committed
through `datamin.output.commit`, under the output's lock for a local output: Parquet files in
`data/retention=<class>/date=<event date>/`, value-free quarantine entries, and the window's
audit record (`"kind": "stream"`, the window, counts that balance), so `datamin dispose`,
`--verify` and `datamin quarantine` see a window as they see a run. The transform's output is
one `WindowCounts` per window.

What is guaranteed, and by whom:

- The runner processes every element's effect on the pipeline's state once (Dataflow; Flink
  with checkpoints), but side effects, such as files, may happen more than once: a failed bundle
  or a lost worker is retried.
- The commit makes those retries harmless. A window's run id and file names derive only from
  the stream name, the window size and the window's start (`<start>-<stream key>`,
  `part-<stream key>-<start in epoch seconds>.parquet`): a retry writes the same names in the
  same staging area, completes a commit whose intent was written, and writes nothing for a window
  whose audit record exists (its `WindowCounts` say `replayed`). A window's files become visible
  whole, with the audit that lists them, once per (stream, window size, window), or not at all.
- Neither covers the source. Pub/Sub and Kafka offsets are acknowledged by the runner when it
  has read a message, not when its window commits: a job cancelled (rather than drained) loses
  the windows it had not committed. A message that reaches the window step late (behind the
  watermark, once its window has fired) is dropped by the runner: neither written nor counted in
  any window's audit. A second job that commits a window an earlier job committed under the
  same stream name writes nothing for it: give a new job a stream name of its own. `datamin
  stream`, which acknowledges a batch only after its commit, gives the stronger guarantee.

No encrypted raw quarantine here (`config.keep_raw` is refused), and rows past their retention
are written as `datamin run` writes them (the next `datamin dispose` removes them).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.transforms.trigger import AccumulationMode, AfterWatermark
from apache_beam.transforms.window import FixedWindows, IntervalWindow
from apache_beam.utils.timestamp import Timestamp

from datamin import safelog
from datamin.core.config import RunConfig
from datamin.core.minimize import Quarantined, Written
from datamin.core.records import Item, RawRecord, Unreadable, source_names
from datamin.core.stats import Stats
from datamin.errors import OutputError
from datamin.keys import KeySource, bind_output
from datamin.output import commit
from datamin.output.boundary import refuse_links
from datamin.output.commit import write_error
from datamin.output.keycheck import check_key, key_check, read_json
from datamin.output.layout import OutputLayout
from datamin.output.lock import OutputLock
from datamin.output.manifest import files_of
from datamin.output.policy_copy import saved_form
from datamin.output.replace import plan_commit
from datamin.output.runrecord import run_record
from datamin.pipelines.parquet_sink import PartitionWriter, StagedFile
from datamin.pipelines.quarantine_sink import QuarantineSink
from datamin.pipelines.transforms import Minimize
from datamin.policies.compiled import CompiledPolicy

STREAM_PURPOSE = "beam-stream"  # the keyed hash of a stream's name: its files' and runs' key
DEFAULT_WINDOW_SECONDS = 60
# The longest a window's commit waits for a local output's lock (a disposal, a batch run);
# past it the bundle fails and the runner retries it.
LOCK_WAIT_SECONDS = 600.0


@dataclasses.dataclass(frozen=True)
class WindowCounts:
    """One committed window: its run, its counts (as its audit record holds them) and the files
    it made visible, relative to the output. `replayed`: an earlier attempt decided this window's
    commit (a retry or a replay); nothing was written now but what completes that commit, and the
    counts are the ones it recorded."""

    run_id: str
    window_start: str  # ISO 8601, UTC
    window_end: str
    records_in: int
    records_written: int
    records_dropped: int
    records_quarantined: int
    files_written: tuple[str, ...]
    quarantine_files: tuple[str, ...]
    replayed: bool = False

    @property
    def balanced(self) -> bool:
        out = self.records_written + self.records_dropped + self.records_quarantined
        return self.records_in == out

    @classmethod
    def of(cls, audit: dict[str, Any], files: list[str], *, replayed: bool = False) -> WindowCounts:
        """`files`: the data files its manifest lists (`manifest.files_of`)."""
        window = audit["stream"]["window"]
        return cls(
            audit["run_id"],
            window["start"],
            window["end"],
            audit["records_in"],
            audit["records_written"],
            audit["records_dropped"],
            audit["records_quarantined"],
            tuple(files),
            tuple(audit["quarantine_files"]),
            replayed,
        )


class _ToRecordFn(beam.DoFn):
    """Message in, raw record out: the stream's name is its source, its offset (else its
    timestamp in microseconds) its index. Anything but bytes is quarantined, never parsed."""

    def __init__(self, stream: str) -> None:
        self.stream = stream

    def process(
        self, message: Any, timestamp: Timestamp = beam.DoFn.TimestampParam
    ) -> Iterator[Item]:
        if isinstance(message, RawRecord | Unreadable):
            yield message
            return
        if timestamp < 0:  # a source without timestamps (MIN_TIMESTAMP): no window to commit
            raise ValueError("MinimizeStream windows messages by their timestamps; one has none")
        index = int(timestamp.micros)
        if isinstance(message, tuple) and len(message) == 2 and isinstance(message[0], int):
            index, message = message
        if isinstance(message, bytes):
            yield RawRecord(self.stream, index, message)
        else:
            kind = type(message).__name__
            yield Unreadable(self.stream, index, f"InputError: a message is bytes, not {kind}")


class _CommitWindowFn(beam.DoFn):
    """A window's rows, quarantine entries and counts in; the window committed as one run."""

    def __init__(
        self, output: str, config: RunConfig, stream: str, window_seconds: int, lock_wait: float
    ) -> None:
        self.output = output
        self.config = config
        self.stream = stream
        self.window_seconds = window_seconds
        self.lock_wait = lock_wait

    def setup(self) -> None:
        safelog.guard_process()
        self.engines = self.config.engines()  # the ones this worker's Minimize step holds
        keys = self.engines.keys
        self.layout = OutputLayout(self.output)
        name = f"{self.stream}\n{self.window_seconds}".encode()
        self.stream_id = keys.mac_hex(STREAM_PURPOSE, name, 16)
        plain = self.config.loaded.policy.audit.source_paths == "plain"
        self.shown = source_names(self.stream, keys, plain)[0]
        self.prepared = False  # output bound, writability checked, policy saved: once

    def process(
        self, element: tuple[str, Iterable[Any]], window: IntervalWindow = beam.DoFn.WindowParam
    ) -> Iterator[WindowCounts]:
        start = window.start.to_utc_datetime().replace(tzinfo=UTC)
        run_id = f"{start:%Y%m%dT%H%M%SZ}-{self.stream_id}"
        try:
            with self._locked():
                audit = self._committed(run_id)
                if audit is not None:
                    yield WindowCounts.of(audit, files_of(self.layout, audit), replayed=True)
                    return
                audit = self._commit(run_id, window, element[1])
                yield WindowCounts.of(audit, files_of(self.layout, audit))
        except OSError as exc:  # a full disk, a directory it may not write: one line
            raise write_error(self.output, exc) from None

    def _locked(self) -> Any:
        if not self.layout.is_local:
            return contextlib.nullcontext()  # remote: one writer at a time by rule, as for runs
        self.layout.local.mkdir(parents=True, exist_ok=True)
        return OutputLock(self.output, wait=self.lock_wait)

    def _committed(self, run_id: str) -> dict[str, Any] | None:
        """The audit of a window committed before, its commit completed first if it stopped."""
        audit = read_json(self.layout.run_record(run_id))
        if audit is not None:
            return audit
        intent = commit.read_intent(self.layout, run_id)
        if intent is None:
            return None
        commit.complete(self.layout, intent, recovered=True)
        return intent.audit

    def _commit(self, run_id: str, window: IntervalWindow, items: Iterable[Any]) -> dict[str, Any]:
        layout, loaded, keys = self.layout, self.config.loaded, self.engines.keys
        refuse_links(layout.root)  # one planted since the last window: nothing is written
        if not self.prepared and layout.is_local:
            commit.check_writable(layout)
            bind_output(layout.local)
        key_changed = check_key(layout, key_check(keys), allow_change=False)
        if not self.prepared:
            layout.save_policy(saved_form(loaded.raw, keys), loaded.sha256)
            self.prepared = True
        started = datetime.now(UTC)
        try:
            files, quarantine, stats = self._stage(run_id, window, items)
            plan = plan_commit(layout, run_id, files, dict(stats.rows))  # replaces nothing
            audit = run_record(
                run_id,
                loaded=loaded,
                keys=keys,
                key_from_env=_key_source(self.config) == "env",
                key_changed=key_changed,
                started=started,
                counts=stats.to_dict(),
                staging=layout.staging(run_id),
                plan=plan,
                quarantine=quarantine,
                kind="stream",
                stream={
                    "source": self.shown,
                    "source_id": self.stream_id,
                    "runner": "beam",
                    "window": {"start": _iso(window.start), "end": _iso(window.end)},
                },
                inputs=[],
                raw_quarantine=False,
            )
            commit.commit(layout, plan.intent(audit, audit["quarantine_files"]))
        except BaseException:
            self._discard(run_id)
            raise
        return audit

    def _discard(self, run_id: str) -> None:
        """A window that failed before its intent leaves nothing; one whose intent was written
        is decided, and left whole (staging area and intent) for its retry to complete."""
        try:
            decided = commit.read_intent(self.layout, run_id) is not None
        except Exception:  # noqa: BLE001 - a damaged intent is not this attempt's to delete
            decided = True
        if not decided:
            commit.discard_run(self.layout, run_id)

    def _stage(
        self, run_id: str, window: IntervalWindow, items: Iterable[Any]
    ) -> tuple[list[StagedFile], list[str], Stats]:
        """The window's files in its staging area (named by the window, so a retry rewrites
        them); the data files, the quarantine files and the window's counts."""
        staging = self.layout.staging(run_id)
        writer = PartitionWriter(staging.root, self.engines.policy, run_id)
        sink = QuarantineSink(self.output, run_id, None)
        first = int(window.start.micros // 1_000_000)
        stats = Stats()
        files: list[StagedFile] = []
        try:
            for item in items:
                if isinstance(item, Written):
                    files += writer.add(self.stream_id, first, item.date, item.rows)
                elif isinstance(item, Quarantined):
                    sink.add(item)
                elif isinstance(item, Stats):
                    stats.merge(item)
            files += writer.close_all()
        except BaseException:
            writer.abort()
            sink.abort()
            raise
        return files, sink.finish(), stats


class MinimizeStream(beam.PTransform):
    """Messages in (bytes, `(offset, bytes)` pairs or `RawRecord`s, timestamped by their
    source); one `WindowCounts` out per window committed into the datamin output `output`.

    `config`: the run's configuration, its keys a `KeySource` (workers load the key; the secret
    never travels with the pipeline). `stream`: the stream's name (a subscription, a topic), the
    source quarantine entries and audits name by shape and keyed hash; with the window size, it
    names the windows' runs and files, so use one name per job."""

    def __init__(
        self,
        output: str,
        config: RunConfig,
        *,
        stream: str,
        window_seconds: int = DEFAULT_WINDOW_SECONDS,
        batch_size: int = 128,
        lock_wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        super().__init__()
        if not isinstance(config.keys, KeySource):
            raise TypeError("a streaming job's keys are a KeySource: the key stays off the graph")
        if config.keep_raw:
            raise ValueError("a streaming job keeps no raw quarantine (config.keep_raw)")
        if not isinstance(window_seconds, int) or window_seconds < 1:
            raise ValueError("window_seconds is a whole number of seconds, at least 1")
        output = str(output)
        if any(c in output for c in "*?[]"):
            raise OutputError(f"an output path must not hold * ? [ or ]: {output}")
        keys = config.keys.load()
        CompiledPolicy(config.loaded, keys)  # every configuration error surfaces here
        check_key(OutputLayout(output), key_check(keys), allow_change=False)
        self.output = output
        self.config = config
        self.stream = stream
        self.window_seconds = window_seconds
        self.batch_size = batch_size
        self.lock_wait = lock_wait

    def expand(self, messages: pvalue.PCollection) -> pvalue.PCollection:
        records = (
            messages
            | "Records" >> beam.ParDo(_ToRecordFn(self.stream))
            | "Window"
            >> beam.WindowInto(
                FixedWindows(self.window_seconds),
                trigger=AfterWatermark(),
                accumulation_mode=AccumulationMode.DISCARDING,
                allowed_lateness=0,
            )
        )
        outputs = records | "Minimize" >> Minimize(self.config, batch_size=self.batch_size)
        commit_fn = _CommitWindowFn(
            self.output, self.config, self.stream, self.window_seconds, self.lock_wait
        )
        return (
            (outputs.written, outputs.quarantine, outputs.stats)
            | "Outcomes" >> beam.Flatten()
            | "ByWindow" >> beam.WithKeys(lambda _: "")
            | "GroupWindow" >> beam.GroupByKey()
            | "CommitWindow" >> beam.ParDo(commit_fn)
        )


def _key_source(config: RunConfig) -> str:
    keys = config.keys
    return "env" if isinstance(keys, KeySource) and keys.env else "file"


def _iso(at: Timestamp) -> str:
    return at.to_utc_datetime().replace(tzinfo=UTC).isoformat()
