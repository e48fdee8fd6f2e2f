"""`datamin run`: the batch pipeline. It only wires files in and Parquet out around the shared
transforms; everything it checks, it checks before the first record is read.

Workers write into the run's staging area inside the output; after the pipeline the driver
commits (`datamin.output.commit`): the staged files move into place, the manifest of its files
and the audit record `DIR/_audit/runs/<run_id>.json` are written with counts, findings and files,
never values, and the rows an earlier run wrote for the same sources are removed (their files
deleted, or rewritten without them where they hold other sources' rows), so a re-run replaces
rather than adds. A run that stopped is settled by the next one on the output
before it starts: completed if its commit had begun, else its staging area deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from datamin.core.config import RunConfig
from datamin.core.records import carried_path, disk_path, source_names
from datamin.dates import saturating_add
from datamin.errors import OutputError
from datamin.formats import expand_patterns, format_named
from datamin.formats.inputs import STDIN, named_files
from datamin.keys import KeyRing, KeySource, bind_output, resolve_key_source
from datamin.output import commit
from datamin.output.boundary import create_output, refuse_links
from datamin.output.commit import write_error
from datamin.output.keycheck import check_key, key_check
from datamin.output.layout import DATA, OutputLayout, new_run_id
from datamin.output.lock import STREAM_WAIT_SECONDS, OutputLock
from datamin.output.policy_copy import saved_form
from datamin.output.rawquarantine import RawKeySource, resolve_raw_key
from datamin.output.replace import plan_commit
from datamin.output.runrecord import run_record, staged_relative
from datamin.output.sources import Source, identify, replaced_keys
from datamin.pipelines import shards
from datamin.pipelines.local_runner import LOCAL_RUNNER
from datamin.pipelines.parquet_sink import StagedFile
from datamin.pipelines.progress import BYTES, RECORDS, read_progress
from datamin.pipelines.transforms import (
    Minimize,
    ReadRecords,
    SummarizeRun,
    WritePartitions,
    WriteQuarantine,
)
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.policies.model import Policy

STDIN_NAME = "stdin"  # standard input's copy in the run's staging area


@dataclass(frozen=True)
class RunResult:
    run_id: str
    # The audit record, with the data files its manifest lists for this run under
    # `files_written` (the record itself counts them), as earlier versions' records had them.
    audit: dict[str, Any]
    audit_path: str
    key_notice: str | None
    bytes_read: int = 0  # the inputs' sizes (as stored: compressed files count compressed)
    bytes_written: int = 0  # the data files this run wrote (local outputs; 0 for remote)
    data_path: str = ""
    # Partitions this run wrote that are past their class's retention already: (class, day).
    expired: tuple[tuple[str, str], ...] = ()


def pipeline_options(workers: int, beam_args: Sequence[str]) -> PipelineOptions:
    args = list(beam_args)
    if not shards.chooses_runner(args):
        args.append(f"--runner={LOCAL_RUNNER}")
        if workers > 1:
            args += [f"--direct_num_workers={workers}", "--direct_running_mode=multi_processing"]
        else:
            args += ["--direct_num_workers=1", "--direct_running_mode=in_memory"]
    return PipelineOptions(args)


def _own_or(
    spares: shards.Spares | None, count: Callable[[], int]
) -> contextlib.AbstractContextManager[Any]:
    """The spares given, or this run's own (`count()` of them, asked only then)."""
    return contextlib.nullcontext(spares) if spares is not None else shards.Spares(count())


def local_shares(
    sources: Sequence[Source], workers: int, beam_args: Sequence[str]
) -> list[tuple[Source, ...]] | None:
    """`--workers N` on the local runner with two sources or more: the sources in up to N
    shares, each run as a pipeline of its own (`datamin.pipelines.shards`); else None, one
    pipeline (over Beam's worker processes where a single source is all there is)."""
    if workers < 2 or len(sources) < 2 or shards.chooses_runner(beam_args):
        return None
    return shards.deal(sources, workers, _size)


@dataclass(frozen=True)
class BatchJob:
    """One batch run, checked and resolved: everything its pipeline is built from."""

    sources: tuple[Source, ...]  # distinct by content; each read from its `path`
    layout: OutputLayout
    config: RunConfig  # its keys a `KeySource`: workers load the key themselves
    run_id: str
    raw_key: RawKeySource | None = None  # set: quarantined records' bytes kept, encrypted
    key_changed: bool = False  # written under another key than the output's, as allowed
    format: str | None = None  # every file read as this format; None: by name or content
    # Earlier runs this one found stopped, before it started: completed (each has its own
    # record, `"recovered": true`) and rolled back (their staged files deleted, never visible).
    runs_completed: tuple[str, ...] = ()
    runs_rolled_back: tuple[str, ...] = ()

    @property
    def files(self) -> list[str]:
        return [s.path for s in self.sources]


def build_pipeline(
    p: beam.Pipeline, job: BatchJob, progress_dir: str | None = None, summary: str | None = None
) -> None:
    """The batch graph; every step has a stable label. `summary`: where its last step writes
    (default: the run's summary, which the commit reads)."""
    output, config = job.layout.root, job.config
    max_bytes = config.loaded.policy.limits.max_record_bytes
    read = ReadRecords(job.files, max_bytes, job.format, progress_dir)
    records = p | "ReadRecords" >> read
    outputs = records | "Minimize" >> Minimize(config, progress_dir=progress_dir)
    source_keys = {s.path: s.key for s in job.sources}
    written = outputs.written | "WritePartitions" >> WritePartitions(
        output, config, job.run_id, source_keys
    )
    quarantined = outputs.quarantine | "WriteQuarantine" >> WriteQuarantine(
        output, job.run_id, job.raw_key
    )
    summary = summary or job.layout.run_summary(job.run_id)
    _ = (outputs.stats, written, quarantined) | "SummarizeRun" >> SummarizeRun(summary)


def run(
    inputs: Sequence[str],
    output: str | Path,
    policy: str | Path,
    *,
    key_file: Path | None = None,
    token_keys: Path | None = None,
    raw_quarantine_key: Path | None = None,
    workers: int = 1,
    ner_model: str | None = None,
    beam_args: Sequence[str] = (),
    on_progress: Callable[[int, int, int], None] | None = None,
    allow_key_change: bool = False,
    format: str | None = None,
    stdin: BinaryIO | None = None,
    spares: shards.Spares | None = None,
) -> RunResult:
    """Run the batch job; raises `DataminError` subclasses for anything wrong before data flows.
    `raw_quarantine_key` (a key file of its own) enables the encrypted raw quarantine;
    `allow_key_change` writes under another key than the output was written under; `format`
    (a registered format's name) reads every input as that format. `on_progress` is called
    with (records minimized, input bytes read, input bytes in all) about twice a second. An
    input `-` is `stdin` (default: this process's standard input), read into the run's
    staging area first: one source, known by its content. `spares`: child processes started
    ahead for a local run with workers (`datamin.pipelines.shards`); by default its own."""

    # `--workers N` here: N-1 child processes start importing now, while this one plans
    # (the CLI starts them sooner still, before it imports Beam, and passes them in).
    def own() -> int:
        return shards.spares_for(workers, beam_args, named_files(inputs))

    with _own_or(spares, own) as spares:
        if format is not None:
            format_named(format)  # an unknown name: `InputError` listing the known ones
        loaded = load_policy(policy)
        output = str(output)
        local_output = "://" not in output
        if any(c in output for c in "*?[]"):
            # The output's own files are found by pattern: `out?` would match `outx`'s.
            raise OutputError(f"an output path must not hold * ? [ or ]: {output}")
        tokenizes = any(rule.action == "tokenize" for *_, rule in loaded.policy.rules())
        key_source, notice = resolve_key_source(
            key_file, Path(output) if local_output else None, token_keys, tokenize=tokenizes
        )
        keys = key_source.load()
        CompiledPolicy(loaded, keys)  # every configuration error surfaces here
        raw_key = None
        if raw_quarantine_key is not None:
            raw_key = resolve_raw_key(raw_quarantine_key, output, keys)
            raw_key.load()
        # Content, not names, makes a source: the same file under two paths is read once.
        named = [i for i in inputs if i != STDIN]
        # An output inside an input folder is not read back as input.
        found = expand_patterns(named, exclude=output) if named else []
        sources = _carried(identify(found, keys)) if named else ()
        if len(named) < len(inputs) and not local_output:
            raise OutputError("standard input (-) needs a local output")
        if local_output:
            create_output(output)
        # A dispose must not delete what this run writes, nor this run write into what a dispose
        # is deleting: one of them at a time per output (local outputs; remote ones by rule).
        layout = OutputLayout(output)
        lock = OutputLock(output, wait_for_stream=STREAM_WAIT_SECONDS)
        with lock if local_output else contextlib.nullcontext():
            if local_output:
                commit.check_writable(layout)
                bind_output(layout.local)  # the output's id, before it holds anything else
            # What runs that stopped left: commits completed, staging areas deleted (both in
            # this run's audit record).
            rolled_back: list[str] = []
            completed = commit.recover(layout, rolled_back)
            if local_output:
                commit.remove_leftovers(layout)
            key_changed = check_key(layout, key_check(keys), allow_key_change)
            started = datetime.now(UTC)
            run_id = new_run_id(started)
            keep_raw = raw_key is not None
            config = RunConfig(
                loaded, key_source, started.date(), ner_model, keep_raw=keep_raw, scope=run_id
            )
            if len(named) < len(inputs):
                piped = _spool_stdin(layout, run_id, stdin or sys.stdin.buffer)
                sources = tuple(sorted((*sources, *identify([piped], keys)), key=lambda s: s.path))
            job = BatchJob(
                sources,
                layout,
                config,
                run_id,
                raw_key,
                key_changed,
                format,
                runs_completed=tuple(completed),
                runs_rolled_back=tuple(rolled_back),
            )
            options = pipeline_options(workers, beam_args)
            shares = local_shares(job.sources, workers, beam_args)
            plan = _Plan(options, tuple(beam_args), shares, spares)
            return _execute(job, plan, started, notice, on_progress)


def _carried(sources: Sequence[Source]) -> tuple[Source, ...]:
    """Sources whose paths can be encoded (`carried_path`): a file name that is not UTF-8 would
    otherwise fail Beam's coders, the keyed hashes and the audit, and with them the run."""
    carried = (
        Source(carried_path(s.path), s.key, tuple(map(carried_path, s.also))) for s in sources
    )
    return tuple(sorted(carried, key=lambda s: s.path))


def _spool_stdin(layout: OutputLayout, run_id: str, stream: BinaryIO) -> str:
    """Standard input, copied into the run's staging area (inside the output, 0600), so that
    every worker can read it as a file; the staging area goes when the run commits or fails."""
    path = layout.staging(run_id).local / STDIN_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            shutil.copyfileobj(stream, f, 1 << 20)
    except OSError as exc:
        raise write_error(layout.root, exc) from None
    return str(path)


@dataclass(frozen=True)
class _Plan:
    """How a job runs: one pipeline under `options`, or the `shares` of a local run with
    workers, each a pipeline of its own under `beam_args`."""

    options: PipelineOptions
    beam_args: tuple[str, ...]
    shares: list[tuple[Source, ...]] | None
    spares: shards.Spares


def _execute(
    job: BatchJob,
    plan: _Plan,
    started: datetime,
    notice: str | None,
    on_progress: Callable[[int, int, int], None] | None,
) -> RunResult:
    total = sum(_size(s.path) for s in job.sources)  # before the run: stdin's copy goes
    with _private_tmp() as tmp:
        progress_dir = tempfile.mkdtemp(prefix="progress-", dir=tmp) if on_progress else None
        return _execute_in(job, plan, started, notice, on_progress, total, progress_dir)


@contextlib.contextmanager
def _private_tmp() -> Iterator[str]:
    """Beam's runners and workers make temporary folders and leave some behind (even after
    a run that succeeds; all of them after an interruption). A run gives them a folder of its
    own as TMPDIR, removed when the run ends, however it ends."""
    folder = tempfile.mkdtemp(prefix="datamin-run-")
    saved_env, saved_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = folder, folder
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


def _execute_in(
    job: BatchJob,
    plan: _Plan,
    started: datetime,
    notice: str | None,
    on_progress: Callable[[int, int, int], None] | None,
    total: int,
    progress_dir: str | None,
) -> RunResult:
    stop = threading.Event()
    watcher = None
    if on_progress and progress_dir:
        watcher = threading.Thread(
            target=_watch, args=(Path(progress_dir), on_progress, total, stop), daemon=True
        )
        watcher.start()
    try:
        if plan.shares is None:
            with beam.Pipeline(options=plan.options) as p:
                build_pipeline(p, job, progress_dir)
        else:
            summaries = shards.run_shares(
                job, plan.shares, plan.beam_args, progress_dir, plan.spares
            )
            shards.merge_summaries(summaries, job.layout.run_summary(job.run_id))
        refuse_links(job.layout.root)  # one planted while the pipeline ran: nothing commits
        audit, files = _commit(job, started)
    except BaseException:
        # Not committed: what this run quarantined goes, so no entry outlives a failed run.
        if plan.shares is not None:
            shards.remove_summaries(job.layout, job.run_id, len(plan.shares))
        commit.discard_run(job.layout, job.run_id)
        raise
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        if progress_dir and on_progress:
            _report(Path(progress_dir), on_progress, total)
    audit_path = job.layout.run_record(job.run_id)
    return RunResult(
        run_id=job.run_id,
        audit={**audit, "files_written": files},
        audit_path=audit_path,
        key_notice=notice,
        bytes_read=total,
        bytes_written=sum(_size(job.layout.join(f)) for f in files),
        data_path=job.layout.join(DATA),
        expired=expired_partitions(files, job.config.loaded.policy, started),
    )


def expired_partitions(
    files: Sequence[str], policy: Policy, now: datetime
) -> tuple[tuple[str, str], ...]:
    """The (class, day) partitions among `files` (as an audit lists them) that are past their
    class's retention at `now`: written, they are what the next disposal deletes."""
    found = set()
    for path in files:
        partition = OutputLayout.partition_of(path)
        if partition is None:
            continue
        retention, day = partition
        length = policy.retention.duration(retention)
        if length is not None and saturating_add(date.fromisoformat(day), length) < now:
            found.add(partition)
    return tuple(sorted(found))


def _size(path: str) -> int:
    if "://" in path:
        return 0
    try:
        return os.stat(disk_path(path)).st_size
    except OSError:
        return 0


def _commit(job: BatchJob, started: datetime) -> tuple[dict[str, Any], list[str]]:
    """After the pipeline: the driver checks the staged files, plans what they replace
    (`datamin.output.replace`: earlier files of the run's sources deleted, or rewritten without
    them where they hold other sources' rows too), then commits (see `datamin.output.commit`);
    returns the audit record and the data files the run wrote, relative to the output."""
    layout, run_id, config = job.layout, job.run_id, job.config
    loaded, output = config.loaded, layout.root
    staging = layout.staging(run_id)
    assert isinstance(config.keys, KeySource)
    summary_path = layout.run_summary(run_id)
    try:
        with FileSystems.open(summary_path) as f:
            summary = json.loads(f.read())
        FileSystems.delete([summary_path])
        keys = config.keys.load()
        stats = summary["stats"]
        staged = [StagedFile.from_json(f) for f in summary["files"]]
        quarantine = staged_relative(staging, summary["quarantine_files"])
        replaced = replaced_keys(job.sources, keys, layout.run_records())
        plan = plan_commit(layout, run_id, staged, stats["rows_by_retention"], replaced)
        layout.save_policy(saved_form(loaded.raw, keys), loaded.sha256)
        audit = run_record(
            run_id,
            loaded=loaded,
            keys=keys,
            key_from_env=bool(config.keys.env),
            key_changed=job.key_changed,
            started=started,
            counts=stats,
            staging=staging,
            plan=plan,
            quarantine=summary["quarantine_files"],
            inputs=_inputs(job.sources, keys, loaded.policy.audit.source_paths == "plain"),
            raw_quarantine=job.raw_key is not None,
            runs_completed=list(job.runs_completed),
            runs_rolled_back=list(job.runs_rolled_back),
        )
        commit.commit(layout, plan.intent(audit, quarantine))
    except OSError as exc:
        raise write_error(output, exc) from None
    return audit, sorted(plan.manifest.files)


def _inputs(sources: Sequence[Source], keys: KeyRing, plain: bool) -> list[dict[str, Any]]:
    """The run's input paths as its audit names them: shape and keyed hash of the path, as
    quarantine does, and `content_id`, the keyed hash of the content that names the source's
    files. A path whose content another path given already holds is marked `"read": false`."""
    entries: list[dict[str, Any]] = []
    for source in sources:
        for path in source.paths:
            shown, source_id = source_names(path, keys, plain)
            entry = {"source": shown, "source_id": source_id, "content_id": source.key}
            entries.append(entry if path == source.path else {**entry, "read": False})
    return entries


def _watch(
    folder: Path, on_progress: Callable[[int, int, int], None], total: int, stop: threading.Event
) -> None:
    while not stop.wait(0.5):
        _report(folder, on_progress, total)


def _report(folder: Path, on_progress: Callable[[int, int, int], None], total: int) -> None:
    on_progress(read_progress(folder, RECORDS), read_progress(folder, BYTES), total)
