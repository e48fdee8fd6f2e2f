"""`--workers N` on this machine: N pipelines side by side, each on its share of the sources.

Beam's local multi-process mode (`--direct_running_mode=multi_processing`) starts its worker
processes only once the driver has built and planned the pipeline, and they import Beam again
before their first bundle: on two cores `--workers 2` gave 1.44x the records/s of one worker,
where two independent runs on half the files each gave 1.74x (`benchmarks/bench_scaling
--apart`). So a local run with N workers and at least two sources is N single-worker (in-memory)
pipelines: N-1 child processes (`python -m datamin.pipelines.shards`, `Spares`) start before
this process imports Beam, import what they need while it plans the run, and are handed a share
each; this process runs the first share itself. Every share writes into the same run's staging
area and its own summary; the driver merges the summaries and commits once, as for one
pipeline, so a run's audit, manifest and replacement rules do not change.

Sources are dealt by size, largest first to the lightest share, so that the shares end close
together (the children, started before this process imports Beam, are ready about when it is). A
child that fails reports its error's class (or a `DataminError`, whose text is safe) on its
standard output, never a traceback; the others are stopped and nothing commits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

from datamin.errors import DataminError
from datamin.output.layout import AUDIT, OutputLayout
from datamin.output.sources import Source


class ShardFailed(Exception):
    """A share's pipeline failed in a child process with an error not our own: `kind` is its
    class, all that may be said of it (its text can quote a value)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

    def __str__(self) -> str:
        return f"a worker process failed ({self.kind})"


def deal(sources: Sequence[Source], n: int, size: Callable[[str], int]) -> list[tuple[Source, ...]]:
    """`sources` in at most `n` non-empty shares of about equal size, each in path order."""
    loads = [0] * n
    shares: list[list[Source]] = [[] for _ in range(n)]
    sized = [(max(size(s.path), 1), s) for s in sources]  # one stat a file
    for bytes_, source in sorted(sized, key=lambda pair: (-pair[0], pair[1].path)):
        lightest = min(range(n), key=lambda i: (loads[i], i))
        shares[lightest].append(source)
        loads[lightest] += bytes_
    return [tuple(sorted(s, key=lambda x: x.path)) for s in shares if s]


def summary_path(layout: OutputLayout, run_id: str, index: int) -> str:
    """A share's summary (hidden, as the run's own; the same clean-up finds a dead run's)."""
    return layout.join(AUDIT, "runs", f".{run_id}-{index}.summary.json")


@dataclasses.dataclass(frozen=True)
class Share:
    """What one child runs: the job on its sources, into its summary."""

    job: Any  # `datamin.pipelines.batch.BatchJob`, its sources the share's
    summary: str
    progress_dir: str | None
    beam_args: tuple[str, ...]
    tmp: str  # the run's own temporary folder (the child started before it was made)


def spares_for(workers: int, beam_args: Sequence[str], sources: int | None = None) -> int:
    """How many child processes a run with `workers` may hand shares to: none where Beam's
    options choose a runner (Dask, Flink...), which spreads the work itself, and no more than
    the sources beyond the driver's first where their number is known (one file: Beam's own
    worker processes share it, and a child would only take a core while it imports)."""
    if chooses_runner(beam_args):
        return 0
    spare = max(workers - 1, 0)
    return spare if sources is None else min(spare, max(sources - 1, 0))


def chooses_runner(beam_args: Sequence[str]) -> bool:
    return any(a.startswith("--runner") for a in beam_args)


class Spares:
    """Child processes started before the run is planned (sources identified, the output
    locked): each imports what a share needs, then waits for one on its standard input. Those
    given none end when it closes, as the run ends however it ends."""

    def __init__(self, count: int) -> None:
        self.idle = [_spawn() for _ in range(count)]

    def __enter__(self) -> Spares:
        return self

    def __exit__(self, *exc: object) -> None:
        idle, self.idle = self.idle, []
        for child in idle:
            _stop(child, gently=True)

    def take(self) -> subprocess.Popen[bytes]:
        return self.idle.pop(0) if self.idle else _spawn()


def run_shares(
    job: Any,
    shares: Sequence[tuple[Source, ...]],
    beam_args: Sequence[str],
    progress_dir: str | None,
    spares: Spares,
) -> list[str]:
    """Runs every share, the first here and the rest in child processes (`spares`) given theirs
    first; returns the summaries' paths in share order. Raises the first failure after
    stopping the rest."""
    plans = [
        Share(
            dataclasses.replace(job, sources=share),
            summary_path(job.layout, job.run_id, i),
            progress_dir,
            tuple(beam_args),
            tempfile.gettempdir(),
        )
        for i, share in enumerate(shares)
    ]
    children: list[subprocess.Popen[bytes]] = []
    try:
        for plan in plans[1:]:
            children.append(spares.take())
            _give(children[-1], plan)
        run_share(plans[0])
        for child in children:
            _wait(child)
    except BaseException:
        for child in children:
            _stop(child, gently=False)
        raise
    return [plan.summary for plan in plans]


def merge_summaries(paths: Sequence[str], into: str) -> None:
    """The shares' summaries as one, the run's (`SummarizeRun`'s form); theirs deleted."""
    import json

    from apache_beam.io.filesystems import FileSystems

    from datamin.core.stats import Stats
    from datamin.pipelines.parquet_sink import StagedFile
    from datamin.pipelines.transforms import write_summary

    stats, files, quarantine = Stats(), [], []
    for path in paths:
        with FileSystems.open(path) as f:
            summary = json.loads(f.read())
        stats.merge(Stats.from_dict(summary["stats"]))
        files += [StagedFile.from_json(f) for f in summary["files"]]
        quarantine += summary["quarantine_files"]
    write_summary(stats, files, quarantine, into)
    FileSystems.delete(list(paths))


def remove_summaries(layout: OutputLayout, run_id: str, count: int) -> None:
    """Best effort, as a failed run's error propagates: the shares' summaries."""
    from apache_beam.io.filesystems import FileSystems

    for i in range(count):
        with contextlib.suppress(Exception):
            FileSystems.delete([summary_path(layout, run_id, i)])


def run_share(plan: Share) -> None:
    """One share's pipeline, single-worker and in memory, in this process."""
    import apache_beam as beam

    from datamin.pipelines.batch import build_pipeline, pipeline_options

    options = pipeline_options(1, plan.beam_args)
    with beam.Pipeline(options=options) as p:
        build_pipeline(p, plan.job, plan.progress_dir, summary=plan.summary)


def _spawn() -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - this interpreter, this module
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        close_fds=True,
    )


def _give(child: subprocess.Popen[bytes], plan: Share) -> None:
    assert child.stdin is not None
    child.stdin.write(pickle.dumps(plan))
    child.stdin.close()


def _stop(child: subprocess.Popen[bytes], *, gently: bool) -> None:
    """Gently: its input closed, it ends by itself (within 10 s, else it is killed)."""
    with contextlib.suppress(OSError):
        if not gently:
            child.kill()
        elif child.stdin is not None and not child.stdin.closed:
            child.stdin.close()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _wait(child: subprocess.Popen[bytes]) -> None:
    assert child.stdout is not None
    report = child.stdout.read()
    child.wait()
    if child.returncode == 0:
        return
    try:
        kind, error = pickle.loads(report)  # noqa: S301 - our own child's, over its pipe
    except Exception:  # noqa: BLE001 - killed, or died before it could say: its exit status
        raise ShardFailed(f"exit status {child.returncode}") from None
    if kind == "datamin" and isinstance(error, DataminError):
        raise error
    raise ShardFailed(str(error))


def _child() -> int:
    from datamin import safelog

    safelog.guard_process()
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    # The report goes on a copy of the standard output; the descriptor itself and Python's
    # stdout become the standard error's, so nothing a library prints, from Python or from C,
    # mixes into the report or fills its pipe while the parent is busy with its own share.
    sys.stdout.flush()
    report = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        import datamin.pipelines.batch  # noqa: F401 - imported while the parent plans

        given = sys.stdin.buffer.read()
        if not given:  # no share for this one
            return 0
        plan = pickle.loads(given)  # noqa: S301 - the parent's, over a pipe
        os.environ["TMPDIR"] = tempfile.tempdir = plan.tmp
        run_share(plan)
    except BaseException as exc:  # noqa: BLE001 - reported by class only, or as our own
        report.write(_report(exc))
    else:
        return 0
    report.flush()
    return 1


def _report(exc: BaseException) -> bytes:
    """What a failed child says: a `DataminError` itself (its text is safe), else the class
    of what was raised; the class too where the error cannot be pickled."""
    if isinstance(exc, DataminError):
        with contextlib.suppress(Exception):
            return pickle.dumps(("datamin", exc))
    return pickle.dumps(("other", type(exc).__name__))


if __name__ == "__main__":
    code = _child()
    sys.stderr.flush()
    # Nothing is left to do but exit: no last garbage collection over the worker's heap.
    os._exit(code)
