"""`datamin run`: the batch pipeline. It only wires files in and Parquet out around the shared
transforms; everything it checks, it checks before the first record is read.

After the pipeline, the driver finishes the run: files an earlier run wrote for the same sources
and this run did not rewrite are removed (so a re-run replaces rather than adds), and the audit
record `DIR/_audit/runs/<run_id>.json` is written with counts, findings and files, never values.
The audit is the commit: a run without one failed or was killed, and the next run on the output
removes what it left that no reader would skip (its quarantine) and its hidden temporary files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from datamin import __version__
from datamin.errors import OutputError
from datamin.formats import expand_patterns
from datamin.keys import KeySource, resolve_key_source
from datamin.lock import OutputLock
from datamin.pipelines.parquet_sink import write_error
from datamin.pipelines.progress import read_progress
from datamin.pipelines.transforms import (
    SOURCE_PURPOSE,
    Minimize,
    ReadRecords,
    SummarizeRun,
    WritePartitions,
    WriteQuarantine,
)
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import LoadedPolicy, load_policy
from datamin.rawquarantine import RAW_DIR, RUN_ID, RawKeySource, resolve_raw_key

# What a run writes into, under the output; each must be a directory it may write.
_LOG = logging.getLogger(__name__)
_WRITTEN_DIRS = (
    "data",
    "_quarantine",
    "_quarantine_raw",
    "_audit",
    "_audit/runs",
    "_audit/policies",
)


@dataclass(frozen=True)
class RunResult:
    run_id: str
    audit: dict[str, Any]
    audit_path: str
    key_notice: str | None


def new_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def pipeline_options(workers: int, beam_args: Sequence[str]) -> PipelineOptions:
    args = list(beam_args)
    if not any(a.startswith("--runner") for a in args):
        args.append("--runner=DirectRunner")
        if workers > 1:
            args += [f"--direct_num_workers={workers}", "--direct_running_mode=multi_processing"]
        else:
            args += ["--direct_num_workers=1", "--direct_running_mode=in_memory"]
    return PipelineOptions(args)


def build_pipeline(
    p: beam.Pipeline,
    *,
    files: list[str],
    output: str,
    loaded: LoadedPolicy,
    key_source: KeySource,
    ner_model: str | None,
    run_id: str,
    run_date: Any,
    summary_path: str,
    progress_dir: str | None = None,
    raw_key: RawKeySource | None = None,
) -> None:
    """The batch graph; every step has a stable label. With `raw_key`, quarantined records'
    bytes are also kept, encrypted, in `_quarantine_raw/`."""
    records = p | "ReadRecords" >> ReadRecords(files, loaded.policy.limits.max_record_bytes)
    outputs = records | "Minimize" >> Minimize(
        loaded,
        key_source,
        ner_model=ner_model,
        run_date=run_date,
        progress_dir=progress_dir,
        keep_raw=raw_key is not None,
    )
    written = outputs.written | "WritePartitions" >> WritePartitions(
        output, loaded, key_source, run_id, ner_model=ner_model
    )
    quarantined = outputs.quarantine | "WriteQuarantine" >> WriteQuarantine(output, run_id, raw_key)
    _ = (outputs.stats, written, quarantined) | "SummarizeRun" >> SummarizeRun(summary_path)


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
    on_progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Run the batch job; raises `DataminError` subclasses for anything wrong before data flows.
    `raw_quarantine_key` (a key file of its own) enables the encrypted raw quarantine."""
    loaded = load_policy(policy)
    output = str(output)
    local_output = "://" not in output
    if any(c in output for c in "*?[]"):
        # The output's own files are found by pattern: `out?` would match `outx`'s.
        raise OutputError(f"an output path must not hold * ? [ or ]: {output}")
    key_source, notice = resolve_key_source(
        key_file, Path(output) if local_output else None, token_keys
    )
    keys = key_source.load()
    CompiledPolicy(loaded, keys)  # every configuration error surfaces here
    raw_key = None
    if raw_quarantine_key is not None:
        raw_key = resolve_raw_key(raw_quarantine_key, output, keys)
        raw_key.load()
    files = expand_patterns(list(inputs))
    if local_output:
        try:
            Path(output).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create output directory {output} ({type(exc).__name__})"
            ) from None
    # A dispose must not delete what this run writes, nor this run write into what a dispose
    # is deleting: one of them at a time per output (local outputs; remote ones by rule).
    with OutputLock(output) if local_output else contextlib.nullcontext():
        if local_output:
            _check_writable(Path(output))
            remove_leftovers(Path(output))
        plan = _Plan(loaded, key_source, files, output, workers, ner_model, beam_args, raw_key)
        return _execute(plan, notice, on_progress)


@dataclass(frozen=True)
class _Plan:
    """What a run was asked to do, checked."""

    loaded: LoadedPolicy
    key_source: KeySource
    files: list[str]
    output: str
    workers: int
    ner_model: str | None
    beam_args: Sequence[str]
    raw_key: RawKeySource | None


def _execute(
    plan: _Plan, notice: str | None, on_progress: Callable[[int], None] | None
) -> RunResult:
    output = plan.output
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    summary_path = FileSystems.join(output, "_audit", "runs", f".{run_id}.summary.json")
    progress_dir = tempfile.mkdtemp(prefix="datamin-progress-") if on_progress else None
    stop = threading.Event()
    watcher = None
    if on_progress and progress_dir:
        watcher = threading.Thread(
            target=_watch, args=(Path(progress_dir), on_progress, stop), daemon=True
        )
        watcher.start()
    audit_path = FileSystems.join(output, "_audit", "runs", f"{run_id}.json")
    try:
        audit = _run_and_commit(plan, run_id, started, summary_path, audit_path, progress_dir)
    except BaseException:
        # Not committed: what this run quarantined goes, so no entry outlives a failed run.
        _discard_run(output, run_id, summary_path)
        raise
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        if progress_dir:
            if on_progress:
                on_progress(read_progress(Path(progress_dir)))
            shutil.rmtree(progress_dir, ignore_errors=True)
    return RunResult(run_id=run_id, audit=audit, audit_path=audit_path, key_notice=notice)


def _run_and_commit(
    plan: _Plan,
    run_id: str,
    started: datetime,
    summary_path: str,
    audit_path: str,
    progress_dir: str | None,
) -> dict[str, Any]:
    """The pipeline, the driver's clean-up, then the audit record: the run's commit."""
    loaded, key_source, files, output = plan.loaded, plan.key_source, plan.files, plan.output
    with beam.Pipeline(options=pipeline_options(plan.workers, plan.beam_args)) as p:
        build_pipeline(
            p,
            files=files,
            output=output,
            loaded=loaded,
            key_source=key_source,
            ner_model=plan.ner_model,
            run_id=run_id,
            run_date=started.date(),
            summary_path=summary_path,
            progress_dir=progress_dir,
            raw_key=plan.raw_key,
        )
    try:
        with FileSystems.open(summary_path) as f:
            summary = json.loads(f.read())
        FileSystems.delete([summary_path])
        keys = key_source.load()
        source_keys = {keys.mac_hex(SOURCE_PURPOSE, path.encode(), 16) for path in files}
        check_rows(summary["files_written"], summary["stats"]["rows_by_retention"])
        replaced, temporary = stale_files(output, source_keys, set(summary["files_written"]))
        _save_policy(output, loaded)
        stats = summary["stats"]
        audit = {
            "run_id": run_id,
            "datamin_version": __version__,
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "policy": loaded.policy.name,
            "policy_sha256": loaded.sha256,
            "key_source": "env" if key_source.env else "file",
            "inputs": files,
            **stats,
            "balanced": stats["records_in"]
            == stats["records_written"] + stats["records_dropped"] + stats["records_quarantined"],
            "files_written": [_relative(output, f) for f in summary["files_written"]],
            "files_replaced": len(replaced),
            "quarantine_files": [_relative(output, f) for f in summary["quarantine_files"]],
            "raw_quarantine": plan.raw_key is not None,
        }
        _write_atomic(audit_path, json.dumps(audit, indent=2, sort_keys=True).encode())
    except OSError as exc:
        raise write_error(output, exc) from None
    # Committed. Only now does what the run replaces go: a failure before the audit would
    # have lost an earlier run's records; one here leaves them beside this run's until the
    # next run of these sources, and the run stands.
    try:
        if replaced or temporary:
            FileSystems.delete(replaced + temporary)
        remove_uncommitted_quarantine(output, run_id, set(summary["quarantine_files"]))
    except OSError as exc:
        _LOG.warning(
            "run %s committed; cleaning up after it failed (%s)", run_id, type(exc).__name__
        )
    return audit


def check_rows(files: list[str], counted: dict[str, int]) -> None:
    """The files the pipeline listed hold exactly the rows it counted, per class (footers only),
    before anything of an earlier run is removed. A runner that lost a bundle's list of files
    (Beam's own DaskRunner drops what finish_bundle emits) or kept a failed attempt's fails the
    run here, instead of deleting committed rows or committing duplicates."""
    held: Counter[str] = Counter()
    for path in files:
        with FileSystems.open(path) as f:
            meta = pq.ParquetFile(f).metadata
        held[meta.metadata[b"datamin.retention_class"].decode()] += meta.num_rows
    expected = {cls: n for cls, n in counted.items() if n}
    if dict(held) != expected:
        raise OutputError(
            f"the files this run listed hold {sum(held.values())} rows, it counted "
            f"{sum(expected.values())}; the run is not committed"
        )


def remove_stale_files(output: str, source_keys: set[str], written: set[str]) -> list[str]:
    """Delete Parquet files of this run's sources that this run did not write: what an earlier
    run of the same input left (returned). Hidden temporary files of failed attempts go too."""
    stale, temporary = stale_files(output, source_keys, written)
    if stale or temporary:
        FileSystems.delete(stale + temporary)
    return stale


def stale_files(
    output: str, source_keys: set[str], written: set[str]
) -> tuple[list[str], list[str]]:
    """Parquet files of these sources not in `written`, and hidden temporary files."""
    pattern = FileSystems.join(output, "data", "retention=*", "date=*", "*")
    stale, temporary = [], []
    for match in FileSystems.match([pattern])[0].metadata_list:
        name = match.path.rsplit("/", 1)[-1]
        if name.startswith(".") and name.endswith(".tmp"):
            temporary.append(match.path)
        elif (
            name.startswith("part-")
            and name.split("-")[1] in source_keys
            and match.path not in written
        ):
            stale.append(match.path)
    return stale, temporary


def remove_uncommitted_quarantine(output: str, run_id: str, committed: set[str]) -> list[str]:
    """Delete this run's quarantine files (plain and raw) that are not in its committed list:
    what a failed attempt of a bundle wrote before Beam retried it (the retry wrote its own)."""
    patterns = [FileSystems.join(output, d, run_id, "*") for d in ("_quarantine", RAW_DIR)]
    extra = [
        m.path
        for result in FileSystems.match(patterns)
        for m in result.metadata_list
        if m.path not in committed
    ]
    if extra:
        FileSystems.delete(extra)
    return extra


def remove_leftovers(output: Path) -> None:
    """What runs that died left, removed under the lock (nothing else writes now): hidden
    temporary files, and the quarantine of every run without an audit record (never committed;
    a re-run quarantines its records again)."""
    audits = output / "_audit" / "runs"
    leftovers = [
        *output.glob("data/retention=*/date=*/.*.tmp"),
        *audits.glob(".*"),
        *(output / "_audit" / "policies").glob(".*.tmp"),
        *(output / RAW_DIR).glob("*/.*.tmp"),
    ]
    try:
        for path in leftovers:
            path.unlink(missing_ok=True)
        for quarantine in (output / "_quarantine", output / RAW_DIR):
            if quarantine.is_symlink() or not quarantine.is_dir():
                continue  # a link leads out of this output: never delete through it
            for run_dir in sorted(quarantine.iterdir()):
                if (
                    RUN_ID.match(run_dir.name)
                    and not run_dir.is_symlink()
                    and not (audits / f"{run_dir.name}.json").exists()
                ):
                    shutil.rmtree(run_dir)
    except OSError as exc:
        raise write_error(str(output), exc) from None


def _check_writable(output: Path) -> None:
    """An output the run could not write fails now, in one line, before any record is read."""
    for folder in (output, *(output / d for d in _WRITTEN_DIRS)):
        if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            what = "not a directory" if not folder.is_dir() else "not writable"
            raise OutputError(f"cannot write to the output {output} ({folder} is {what})")


def _discard_run(output: str, run_id: str, summary_path: str) -> None:
    """Best effort, as an error propagates: a failed run's quarantine and summary, and (under
    the lock) the temporary files of bundles the failure cut short."""
    for folder in ("_quarantine", RAW_DIR):
        with contextlib.suppress(Exception):
            FileSystems.delete([FileSystems.join(output, folder, run_id)])
    with contextlib.suppress(Exception):
        FileSystems.delete([summary_path])
    if "://" not in output:
        with contextlib.suppress(Exception):
            remove_leftovers(Path(output))


def _save_policy(output: str, loaded: LoadedPolicy) -> None:
    """Keep the exact policy a run wrote under, by hash: what retention it promised. One left
    incomplete (by a version that wrote it in place) is written again."""
    path = FileSystems.join(output, "_audit", "policies", f"{loaded.sha256}.yaml")
    if FileSystems.exists(path):
        with FileSystems.open(path) as f:
            if hashlib.sha256(f.read()).hexdigest() == loaded.sha256:
                return
    _write_atomic(path, loaded.raw)


def _write_atomic(path: str, body: bytes) -> None:
    """Write a hidden temporary file and rename it into place: readers see all or nothing."""
    folder, name = path.rsplit("/", 1)
    temp = f"{folder}/.{name}.tmp"
    try:
        with FileSystems.create(temp) as f:
            f.write(body)
        FileSystems.rename([temp], [path])
    except BaseException:
        with contextlib.suppress(Exception):
            FileSystems.delete([temp])
        raise


def _relative(output: str, path: str) -> str:
    prefix = output.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _watch(folder: Path, on_progress: Callable[[int], None], stop: threading.Event) -> None:
    while not stop.wait(0.5):
        on_progress(read_progress(folder))
