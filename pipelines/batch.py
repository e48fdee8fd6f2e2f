"""`datamin run`: the batch pipeline. It only wires files in and Parquet out around the shared
transforms; everything it checks, it checks before the first record is read.

After the pipeline, the driver finishes the run: files an earlier run wrote for the same sources
and this run did not rewrite are removed (so a re-run replaces rather than adds), and the audit
record `DIR/_audit/runs/<run_id>.json` is written with counts, findings and files, never values.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from datamin import __version__
from datamin.errors import OutputError
from datamin.keys import KeySource, resolve_key_source
from datamin.lock import OutputLock
from pipelines.progress import read_progress
from pipelines.sources import expand_patterns
from pipelines.transforms import (
    SOURCE_PURPOSE,
    Minimize,
    ReadRecords,
    SummarizeRun,
    WritePartitions,
    WriteQuarantine,
)
from policies.compiled import CompiledPolicy
from policies.loader import LoadedPolicy, load_policy
from redactors.ner import DEFAULT_MODEL


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
) -> None:
    """The batch graph; every step has a stable label."""
    records = p | "ReadRecords" >> ReadRecords(files, loaded.policy.limits.max_record_bytes)
    outputs = records | "Minimize" >> Minimize(
        loaded, key_source, ner_model=ner_model, run_date=run_date, progress_dir=progress_dir
    )
    written = outputs.written | "WritePartitions" >> WritePartitions(
        output, loaded, key_source, run_id, ner_model=ner_model
    )
    quarantined = outputs.quarantine | "WriteQuarantine" >> WriteQuarantine(output, run_id)
    _ = (outputs.stats, written, quarantined) | "SummarizeRun" >> SummarizeRun(summary_path)


def run(
    inputs: Sequence[str],
    output: str | Path,
    policy: str | Path,
    *,
    key_file: Path | None = None,
    token_keys: Path | None = None,
    workers: int = 1,
    ner_model: str = DEFAULT_MODEL,
    beam_args: Sequence[str] = (),
    on_progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Run the batch job; raises `DataminError` subclasses for anything wrong before data flows."""
    loaded = load_policy(policy)
    output = str(output)
    local_output = "://" not in output
    key_source, notice = resolve_key_source(
        key_file, Path(output) if local_output else None, token_keys
    )
    CompiledPolicy(loaded, key_source.load())  # every configuration error surfaces here
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
        return _execute(
            loaded, key_source, notice, files, output, workers, ner_model, beam_args, on_progress
        )


def _execute(
    loaded: LoadedPolicy,
    key_source: KeySource,
    notice: str | None,
    files: list[str],
    output: str,
    workers: int,
    ner_model: str,
    beam_args: Sequence[str],
    on_progress: Callable[[int], None] | None,
) -> RunResult:
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
    try:
        with beam.Pipeline(options=pipeline_options(workers, beam_args)) as p:
            build_pipeline(
                p,
                files=files,
                output=output,
                loaded=loaded,
                key_source=key_source,
                ner_model=ner_model,
                run_id=run_id,
                run_date=started.date(),
                summary_path=summary_path,
                progress_dir=progress_dir,
            )
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        if progress_dir:
            if on_progress:
                on_progress(read_progress(Path(progress_dir)))
            shutil.rmtree(progress_dir, ignore_errors=True)

    with FileSystems.open(summary_path) as f:
        summary = json.loads(f.read())
    FileSystems.delete([summary_path])
    keys = key_source.load()
    source_keys = {keys.mac_hex(SOURCE_PURPOSE, path.encode(), 16) for path in files}
    replaced = remove_stale_files(output, source_keys, set(summary["files_written"]))
    _save_policy(output, loaded)
    audit = {
        "run_id": run_id,
        "datamin_version": __version__,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "policy": loaded.policy.name,
        "policy_sha256": loaded.sha256,
        "key_source": "env" if key_source.env else "file",
        "inputs": files,
        **summary["stats"],
        "balanced": summary["stats"]["records_in"]
        == summary["stats"]["records_written"]
        + summary["stats"]["records_dropped"]
        + summary["stats"]["records_quarantined"],
        "files_written": [_relative(output, f) for f in summary["files_written"]],
        "files_replaced": len(replaced),
        "quarantine_files": [_relative(output, f) for f in summary["quarantine_files"]],
    }
    audit_path = FileSystems.join(output, "_audit", "runs", f"{run_id}.json")
    _write_json(audit_path, audit)
    return RunResult(run_id=run_id, audit=audit, audit_path=audit_path, key_notice=notice)


def remove_stale_files(output: str, source_keys: set[str], written: set[str]) -> list[str]:
    """Delete Parquet files of this run's sources that this run did not write: what an earlier
    run of the same input left. Hidden temporary files of crashed runs go too."""
    pattern = FileSystems.join(output, "data", "retention=*", "date=*", "*")
    stale = []
    for match in FileSystems.match([pattern])[0].metadata_list:
        name = match.path.rsplit("/", 1)[-1]
        if name.startswith(".") and name.endswith(".tmp"):
            stale.append(match.path)
        elif (
            name.startswith("part-")
            and name.split("-")[1] in source_keys
            and match.path not in written
        ):
            stale.append(match.path)
    if stale:
        FileSystems.delete(stale)
    return stale


def _save_policy(output: str, loaded: LoadedPolicy) -> None:
    """Keep the exact policy a run wrote under, by hash: what retention it promised."""
    path = FileSystems.join(output, "_audit", "policies", f"{loaded.sha256}.yaml")
    if not FileSystems.exists(path):
        with FileSystems.create(path) as f:
            f.write(loaded.raw)


def _write_json(path: str, body: dict[str, Any]) -> None:
    temp = path.rsplit("/", 1)
    temp_path = f"{temp[0]}/.{temp[1]}.tmp"
    with FileSystems.create(temp_path) as f:
        f.write(json.dumps(body, indent=2, sort_keys=True).encode())
    FileSystems.rename([temp_path], [path])


def _relative(output: str, path: str) -> str:
    prefix = output.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _watch(folder: Path, on_progress: Callable[[int], None], stop: threading.Event) -> None:
    while not stop.wait(0.5):
        on_progress(read_progress(folder))
