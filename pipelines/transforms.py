"""The composite transforms every datamin pipeline is made of.

`ReadRecords` turns file names into raw records, `Minimize` applies the policy, and
`WritePartitions`, `WriteQuarantine` and `SummarizeRun` write what is left. Batch and streaming
pipelines differ only in the sources and sinks they wire around these. Heavy objects (the policy
compiled with its key) are built in `setup()`, once per worker process, and never pickled with
the pipeline; spaCy loads there too, on the first value that needs NER.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import BoundedWindow, GlobalWindows, IntervalWindow
from apache_beam.utils.windowed_value import WindowedValue

from datamin import safelog
from datamin.core.config import RunConfig
from datamin.core.minimize import Quarantined, Written
from datamin.core.records import Item
from datamin.core.stats import Stats
from datamin.formats import read_file
from datamin.output.commit import write_error
from datamin.output.layout import OutputLayout
from datamin.output.rawquarantine import RawKeySource
from datamin.pipelines.parquet_sink import PartitionWriter, StagedFile
from datamin.pipelines.progress import BYTES, ProgressReporter
from datamin.pipelines.quarantine_sink import QuarantineSink

QUARANTINE = "quarantine"
STATS = "stats"
# What the processes of `--workers N` run: Beam's SDK workers, or a share's pipeline.
WORKER_MAINS = ("apache_beam.runners.worker.sdk_worker_main", "datamin.pipelines.shards")


class _ReadFileFn(beam.DoFn):
    def __init__(
        self, max_record_bytes: int, format: str | None = None, progress_dir: str | None = None
    ) -> None:
        self.max_record_bytes = max_record_bytes
        self.format = format
        self.progress_dir = progress_dir

    def setup(self) -> None:
        safelog.guard_process()
        self.progress = ProgressReporter(self.progress_dir, BYTES) if self.progress_dir else None

    def process(self, path: str) -> Iterator[Item]:
        if self.progress is None:
            yield from read_file(path, self.max_record_bytes, self.format)
            return
        reported = 0

        def seen(total: int) -> None:
            nonlocal reported
            assert self.progress is not None
            self.progress.add(total - reported)
            reported = total

        yield from read_file(path, self.max_record_bytes, self.format, on_bytes=seen)
        self.progress.flush()


class ReadRecords(beam.PTransform):
    """File paths in, raw records (and whole-file failures) out, spread across workers by file.
    `format`: a registered format's name every file is read as (`--format kong`); by default
    each file's extension or content says. With `progress_dir`, workers count the bytes read."""

    def __init__(
        self,
        files: list[str],
        max_record_bytes: int,
        format: str | None = None,
        progress_dir: str | None = None,
    ) -> None:
        super().__init__()
        self.files = files
        self.max_record_bytes = max_record_bytes
        self.format = format
        self.progress_dir = progress_dir

    def expand(self, pbegin: pvalue.PBegin) -> pvalue.PCollection:
        read = _ReadFileFn(self.max_record_bytes, self.format, self.progress_dir)
        return (
            pbegin
            | "Files" >> beam.Create(self.files)
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadFile" >> beam.ParDo(read)
        )


class _MinimizeFn(beam.DoFn):
    def __init__(self, config: RunConfig, progress_dir: str | None) -> None:
        self.config = config
        self.progress_dir = progress_dir

    def setup(self) -> None:
        safelog.guard_process()
        self.engines = self.config.engines()  # held: shared with this worker's other steps
        self.minimizer = self.config.minimizer(self.engines)
        self.progress = ProgressReporter(self.progress_dir)
        # What the worker has built lives as long as it does: frozen, Python's full garbage
        # collections no longer walk it (they took a tenth of a run). Again when the NER
        # model or Presidio's checks load, on first need (`DetectionEngine.loads`). Young
        # objects are collected every 10,000 allocations, not 700: records make many.
        gc.freeze()
        self.loads = self.engines.engine.loads()
        self.gc_threshold = gc.get_threshold()
        gc.set_threshold(max(10_000, self.gc_threshold[0]), *self.gc_threshold[1:])

    def start_bundle(self) -> None:
        self.counts: dict[BoundedWindow, Stats] = {}

    def process(
        self, batch: list[Item], window: BoundedWindow = beam.DoFn.WindowParam
    ) -> Iterator[Any]:
        # Counted by window: a streaming pipeline commits each window with its own counts. A
        # record without an event time is dated by its window there, not the pipeline's start.
        self.minimizer.stats = self.counts.setdefault(window, Stats())
        if isinstance(window, IntervalWindow):
            self.minimizer.run_date = window.start.to_utc_datetime().date().isoformat()
        for outcome in self.minimizer.process(batch):
            if isinstance(outcome, Written):
                yield outcome
            elif isinstance(outcome, Quarantined):
                yield pvalue.TaggedOutput(QUARANTINE, outcome)
        self.progress.add(len(batch))
        if self.engines.engine.loads() != self.loads:
            gc.freeze()
            self.loads = self.engines.engine.loads()

    def finish_bundle(self) -> Iterable[Any]:
        self.progress.flush()
        for window, stats in self.counts.items():
            at = WindowedValue(stats, window.max_timestamp(), (window,))
            yield pvalue.TaggedOutput(STATS, at)

    def teardown(self) -> None:
        # A process that runs on (tests, the Python API, a Dask worker) collects it all as
        # before. A Beam SDK worker process ends after its teardown: left frozen, it exits
        # without a last walk over its heap (0.3 s, and Beam stops its workers one by one).
        gc.set_threshold(*self.gc_threshold)
        if not _exits_after_pipeline():
            gc.unfreeze()


def _exits_after_pipeline() -> bool:
    """Whether this process is a worker subprocess of `--workers N` (Beam's, or a share's)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) in WORKER_MAINS


class Minimize(beam.PTransform):
    """Raw records in; outputs `written` (main), `quarantine` and `stats` per bundle and window
    (in the window they count, so windowed counts group with the window's rows)."""

    def __init__(
        self, config: RunConfig, *, batch_size: int = 128, progress_dir: str | None = None
    ) -> None:
        """`config.keep_raw`: quarantine entries carry the record's bytes, for an encrypted raw
        quarantine (`WriteQuarantine` with a key) and nowhere else."""
        super().__init__()
        self.fn = _MinimizeFn(config, progress_dir)
        self.batch_size = batch_size

    def expand(self, records: pvalue.PCollection) -> pvalue.DoOutputsTuple:
        return (
            records
            | "Batch" >> beam.BatchElements(min_batch_size=8, max_batch_size=self.batch_size)
            | "Apply" >> beam.ParDo(self.fn).with_outputs(QUARANTINE, STATS, main="written")
        )


class _WriteFn(beam.DoFn):
    def __init__(
        self, output: str, config: RunConfig, run_id: str, source_keys: dict[str, str]
    ) -> None:
        self.output = output
        self.config = config
        self.run_id = run_id
        # Each source path's key (a keyed hash of its content, computed by the driver): the
        # name its files share with every other run of the same content.
        self.source_keys = source_keys

    def setup(self) -> None:
        safelog.guard_process()
        self.engines = self.config.engines()  # the ones this worker's Minimize step holds
        self.policy = self.engines.policy

    def start_bundle(self) -> None:
        # Into the run's staging area: the files become visible only when the run commits.
        staging = OutputLayout(self.output).staging(self.run_id)
        self.writer = PartitionWriter(staging.root, self.policy, self.run_id)

    def process(self, written: Written) -> Iterator[StagedFile]:
        key = self.source_keys[written.source]
        try:
            yield from self.writer.add(key, written.index, written.date, written.rows)
        except OSError as exc:  # a full disk, a partition it may not write: say so in one line
            self.writer.abort()
            raise write_error(self.output, exc) from None
        except BaseException:
            self.writer.abort()
            raise

    def finish_bundle(self) -> Iterable[Any]:
        try:
            paths = self.writer.close_all()
        except OSError as exc:
            self.writer.abort()
            raise write_error(self.output, exc) from None
        except BaseException:
            self.writer.abort()
            raise
        for staged in paths:
            yield GlobalWindows.windowed_value(staged)


class WritePartitions(beam.PTransform):
    """Written records in; the Parquet files written out (`StagedFile`s: path, rows, and the
    rows' sources in order), one per class and date per bundle, more where one grew past its
    target size. `source_keys`: every source path's key (`datamin.output.sources`), which the
    files record for each stretch of rows."""

    def __init__(
        self, output: str, config: RunConfig, run_id: str, source_keys: dict[str, str]
    ) -> None:
        super().__init__()
        self.fn = _WriteFn(output, config, run_id, source_keys)

    def expand(self, written: pvalue.PCollection) -> pvalue.PCollection:
        return written | "WriteParquet" >> beam.ParDo(self.fn)


class _WriteQuarantineFn(beam.DoFn):
    """Entries are written as they come, never held for the bundle's end; a source past its
    bound becomes one counted summary entry (`datamin.pipelines.quarantine_sink`)."""

    def __init__(self, output: str, run_id: str, raw_key: RawKeySource | None = None) -> None:
        self.output = output
        self.run_id = run_id
        self.raw_key_source = raw_key

    def setup(self) -> None:
        safelog.guard_process()
        raw_key = self.raw_key_source.load() if self.raw_key_source is not None else None
        self.sink = QuarantineSink(self.output, self.run_id, raw_key)

    def start_bundle(self) -> None:
        self.sink.start()

    def process(self, entry: Quarantined) -> None:
        self.sink.add(entry)

    def finish_bundle(self) -> Iterable[Any]:
        for path in self.sink.finish():
            yield GlobalWindows.windowed_value(path)


class WriteQuarantine(beam.PTransform):
    """Quarantine entries in (source, position, error class, keyed hash); file paths out. With
    a raw quarantine key, the entries' bytes also go to `_quarantine_raw/`, encrypted."""

    def __init__(self, output: str, run_id: str, raw_key: RawKeySource | None = None) -> None:
        super().__init__()
        self.output = output
        self.run_id = run_id
        self.raw_key = raw_key

    def expand(self, entries: pvalue.PCollection) -> pvalue.PCollection:
        return entries | "WriteQuarantineFiles" >> beam.ParDo(
            _WriteQuarantineFn(self.output, self.run_id, self.raw_key)
        )


class _MergeStats(beam.CombineFn):
    def create_accumulator(self) -> Stats:
        return Stats()

    def add_input(self, acc: Stats, stats: Stats) -> Stats:
        return acc.merge(stats)

    def merge_accumulators(self, accs: Iterable[Stats]) -> Stats:
        out = Stats()
        for acc in accs:
            out.merge(acc)
        return out

    def extract_output(self, acc: Stats) -> Stats:
        return acc


def write_summary(stats: Stats, files: list[StagedFile], quarantine: list[str], path: str) -> None:
    body = {
        "stats": stats.to_dict(),
        "files": [f.to_json() for f in sorted(files, key=lambda f: f.path)],
        "quarantine_files": sorted(quarantine),
    }
    try:
        with FileSystems.create(path) as f:
            f.write(json.dumps(body, sort_keys=True).encode())
    except OSError as exc:  # `path` is `<output>/_audit/runs/.<run>.summary.json`
        raise write_error(path.rsplit("/_audit/", 1)[0], exc) from None


class SummarizeRun(beam.PTransform):
    """Merges every bundle's counts and the files written (with their sources' rows) into one
    summary file, which the driver turns into the run's manifest and audit record."""

    def __init__(self, summary_path: str) -> None:
        super().__init__()
        self.summary_path = summary_path

    def expand(self, inputs: tuple[Any, Any, Any]) -> pvalue.PCollection:
        stats, files, quarantine = inputs
        file_list = files | "ListFiles" >> beam.combiners.ToList()
        quarantine_list = quarantine | "ListQuarantine" >> beam.combiners.ToList()
        return (
            stats
            | "MergeStats" >> beam.CombineGlobally(_MergeStats())
            | "WriteSummary"
            >> beam.Map(
                write_summary,
                pvalue.AsSingleton(file_list),
                pvalue.AsSingleton(quarantine_list),
                self.summary_path,
            )
        )
