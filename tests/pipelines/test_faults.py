"""Output faults, injected for real: an output that cannot be written, a full disk (a file-size
limit the kernel enforces, or ENOSPC from a wrapped writer), a run killed with SIGKILL while it
writes, a bundle that Beam retries, a step that raises. After each: a one-line error and exit 2
(1 for a step's own failure, which prints its class only), nothing half-written visible, no
audit record claiming success, and the next run on the same output holds every record once.

Inputs are generated (numbers and two status words, no personal data) under a policy without
NER, so each run takes seconds.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml
from apache_beam.io.filesystems import FileSystems
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.core.config import RunConfig
from datamin.core.minimize import Quarantined, Written
from datamin.errors import OutputError
from datamin.keys import KeySource
from datamin.output import commit
from datamin.output.layout import OutputLayout
from datamin.output.lock import OutputLock
from datamin.output.policy_copy import HEADER
from datamin.pipelines import parquet_sink, transforms
from datamin.pipelines.parquet_sink import StagedFile
from datamin.policies.loader import load_policy

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()

POLICY = """\
version: 1
name: faults
event_time: [timestamp]
retention:
  default: short
  classes: {short: 7d, long: 30d}
detection:
  ner: false
fields:
  - {path: status, action: keep, column: status, retention: long}
  - {path: n, action: keep, column: n, type: int64}
"""
CLASSES = ("long", "short")  # every readable record has one row in each
# The day after the records' dates: nothing has expired yet for `dispose --verify`.
VERIFY_NOW = "2026-03-05T00:00Z"


@dataclass(frozen=True)
class Inputs:
    policy: Path
    files: list[Path]
    good: int  # records that reach the output, one row per class each
    bad: int  # lines that are not JSON: one quarantine entry each

    def args(self, out: Path) -> list[str]:
        return [
            "run",
            "-i",
            str(self.files[0].parent / "in-*.jsonl"),
            "-o",
            str(out),
            "-p",
            str(self.policy),
            "--no-progress",
        ]


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    folder = tmp_path / "in"
    folder.mkdir()
    policy = tmp_path / "faults.yaml"
    policy.write_text(POLICY)
    files, good, bad = [], 0, 0
    for s in range(3):
        lines = []
        for i in range(40):
            if i % 13 == 5:
                lines.append("{not json")
                bad += 1
            else:
                day = f"2026-03-0{1 + i % 3}T10:00:00Z"
                lines.append(json.dumps({"timestamp": day, "n": s * 100 + i, "status": "ok"}))
                good += 1
        path = folder / f"in-{s}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        files.append(path)
    return Inputs(policy, files, good, bad)


# -- what an output may hold ------------------------------------------------------------------


def visible(out: Path, pattern: str) -> list[Path]:
    return sorted(p for p in out.glob(pattern) if not any(s.startswith(".") for s in p.parts))


def hidden(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*"))


def audits(out: Path) -> list[Path]:
    return visible(out, "_audit/runs/*.json")


def assert_nothing_half_written(out: Path) -> None:
    """Every file a reader would open is whole: Parquet reads, quarantine lines parse, a saved
    policy matches the hash it is named by."""
    for f in visible(out, "data/**/*.parquet"):
        pq.read_table(f)
    for f in visible(out, "_quarantine/*/*"):
        for line in f.read_text().splitlines():
            json.loads(line)
    for f in visible(out, "_audit/policies/*.yaml"):
        saved = yaml.safe_load(f.read_text())  # whole: it parses, with what disposal reads
        assert f.read_bytes().startswith(HEADER) and saved["retention"]["classes"]


def assert_each_record_once(out: Path, inputs: Inputs, runs: int = 1) -> None:
    """The output a clean run leaves: every readable record once per class, every bad line
    once in each committed run's quarantine (each of `runs` reports what it met), nothing
    hidden, readable by DuckDB, and `dispose --verify` content."""
    assert_nothing_half_written(out)
    assert hidden(out) == []
    rows: Counter[str] = Counter()
    numbers: Counter[tuple[str, int]] = Counter()
    for f in visible(out, "data/retention=*/date=*/*.parquet"):
        cls = f.parent.parent.name.removeprefix("retention=")
        table = pq.read_table(f)
        rows[cls] += table.num_rows
        if cls == "short":
            source_key = f.name.split("-")[1]
            numbers.update((source_key, n) for n in table.column("n").to_pylist())
    assert rows == dict.fromkeys(CLASSES, inputs.good)
    assert len(numbers) == inputs.good and set(numbers.values()) == {1}
    by_class = duckdb.sql(
        f"select retention, count(*) from read_parquet('{out}/data/*/*/*.parquet', "
        "hive_partitioning=true) group by 1 order by 1"
    ).fetchall()
    assert by_class == [(cls, inputs.good) for cls in CLASSES]
    entries = [
        (f.parent.name, json.loads(line))
        for f in visible(out, "_quarantine/*/*")
        for line in f.read_text().splitlines()
    ]
    assert len(entries) == inputs.bad * runs
    assert len({(run, e["source_id"], e["index"]) for run, e in entries}) == inputs.bad * runs
    assert not (out / "_staging").exists() and not visible(out, "_audit/commits/*")
    assert commit.verify_rows(OutputLayout(str(out))) == []
    verify = runner.invoke(app, ["dispose", "--output", str(out), "--verify", "--now", VERIFY_NOW])
    assert verify.exit_code == 0, verify.output


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"{len(lines)} lines on stderr"
    assert "Traceback" not in stderr
    return lines[0]


# -- running datamin ----------------------------------------------------------------------------

# Runs the CLI in a fresh process after patching one point of the output path: `pause` there
# (write the mark, then wait for the test's SIGKILL) or `raise` a KeyError quoting a value.
LAUNCH = """
import logging, os, sys, time
from pathlib import Path
from datamin import safelog
safelog.configure(logging.WARNING)  # as `main` does, before Beam is imported
from apache_beam.io.filesystems import FileSystems
from datamin.cli import app as cli
from datamin.pipelines import transforms

mark, point, *argv = sys.argv[1:]

def pause(where):
    Path(mark).write_text(where)
    time.sleep(120)
    os._exit(99)  # never reached: the test kills this process first

_rename = FileSystems.rename
renamed = 0

def rename(sources, destinations):
    # Patched on Beam's class: every module that renames (the sink, the commit) goes through it.
    global renamed
    dst = destinations[0]
    if point == "before-audit" and "/_audit/runs/" in dst:
        pause(dst)
    _rename(sources, destinations)
    if point == "after-parquet" and dst.endswith(".parquet"):
        renamed += 1
        if renamed == 3:
            pause(dst)

FileSystems.rename = staticmethod(rename)

if point == "raise":
    def process(self, written):
        raise KeyError(os.environ["FAULT_VALUE"])
    transforms._WriteFn.process = process

sys.argv = ["datamin", *argv]
cli.main()
"""


def launch(args: list[str], point: str, mark: Path, **kw: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), **kw.pop("env", {})}
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(mark), point, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


def run_to_end(args: list[str], tmp_path: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    proc = launch(args, "none", tmp_path / "mark", **kw)
    stdout, stderr = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def run_in_process(inputs: Inputs, out: Path) -> None:
    result = runner.invoke(app, inputs.args(out))
    assert result.exit_code == 0, result.output


# -- 1. an output that cannot be written ---------------------------------------------------------


def _data_is_a_file(out: Path) -> Callable[[], None]:
    out.mkdir()
    (out / "data").write_text("")
    return lambda: (out / "data").unlink()


def _chmod(relative: str) -> Callable[[Path], Callable[[], None]]:
    def make(out: Path) -> Callable[[], None]:
        probe = out.parent / "probe"
        probe.mkdir(0o555)
        try:
            (probe / "f").touch()
            pytest.skip("chmod does not bind this user (root with CAP_DAC_OVERRIDE)")
        except PermissionError:
            pass
        folder = out / relative
        folder.mkdir(parents=True)
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)

    return make


@pytest.mark.parametrize(
    "make_unwritable",
    [
        pytest.param(_data_is_a_file, id="data-is-a-file"),
        pytest.param(_chmod("."), id="chmod-output"),
        pytest.param(_chmod("data"), id="chmod-data"),
        pytest.param(_chmod("data/retention=short/date=2026-03-02"), id="chmod-partition"),
    ],
)
def test_an_unwritable_output_is_one_line_exit_2_and_commits_nothing(
    inputs: Inputs, tmp_path: Path, make_unwritable: Callable[[Path], Callable[[], None]]
) -> None:
    out = tmp_path / "out"
    undo = make_unwritable(out)
    proc = run_to_end(inputs.args(out), tmp_path)
    assert proc.returncode == 2, proc.stderr
    line = one_error_line(proc.stderr)
    assert line.startswith("error: cannot ") and str(out) in line  # write to, or lock
    assert_nothing_half_written(out)
    assert audits(out) == [] and visible(out, "_quarantine/*/*") == []
    undo()
    run_in_process(inputs, out)
    assert_each_record_once(out, inputs)


# -- 2. a full disk -----------------------------------------------------------------------------


def _file_size_limit(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        # The kernel then fails a write past `limit` with EFBIG, as a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_file_size_limit_fails_the_run_cleanly_and_a_rerun_completes(
    inputs: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = run_to_end(inputs.args(out), tmp_path, preexec_fn=_file_size_limit(1500))
    assert proc.returncode == 2, proc.stderr
    line = one_error_line(proc.stderr)
    assert f"cannot write to the output {out} (File too large)" in line
    assert_nothing_half_written(out)
    assert audits(out) == [] and hidden(out) == []
    run_in_process(inputs, out)
    assert_each_record_once(out, inputs)


class _FullHandle:
    """A file on a disk with `room` bytes left: writes what fits, then fails with ENOSPC."""

    def __init__(self, inner: Any, room: int, error: int) -> None:
        self.inner, self.room, self.error = inner, room, error

    def write(self, data: bytes) -> int:
        n = min(len(data), self.room)
        self.inner.write(bytes(data[:n]))
        self.room -= n
        if n < len(data):
            raise OSError(self.error, os.strerror(self.error))
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> _FullHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


def fill_disk(
    monkeypatch: pytest.MonkeyPatch, where: Callable[[str], bool], error: int = errno.ENOSPC
) -> None:
    """Every file created at a path `where` accepts 100 bytes, then fails with `error`."""

    real = FileSystems.create

    def create(path: str, *args: Any, **kwargs: Any) -> Any:
        handle = real(path, *args, **kwargs)
        return _FullHandle(handle, 100, error) if where(path) else handle

    # On Beam's class: every module that writes (sink, quarantine, commit) goes through it.
    monkeypatch.setattr(FileSystems, "create", staticmethod(create))


TARGETS: dict[str, Callable[[str], bool]] = {
    "parquet": lambda p: "/data/" in p,
    "quarantine": lambda p: "/_quarantine/" in p,
    "summary": lambda p: p.endswith(".summary.json"),
    "saved-policy": lambda p: "/_audit/policies/" in p,
    "audit": lambda p: "/_audit/runs/" in p and not p.endswith(".summary.json"),
    "intent": lambda p: "/_audit/commits/" in p,
}


@pytest.mark.parametrize(
    ("target", "error"),
    [(t, errno.ENOSPC) for t in TARGETS] + [("parquet", errno.EACCES)],
    ids=[*TARGETS, "parquet-EACCES"],
)
def test_a_write_that_fails_anywhere_is_exit_2_and_leaves_nothing_half_written(
    inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, error: int
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        fill_disk(patch, TARGETS[target], error)
        result = CliRunner().invoke(app, inputs.args(out))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: cannot write to the output {out}")
    assert os.strerror(error) in result.output and "Traceback" not in result.output
    assert_nothing_half_written(out)
    assert audits(out) == [] and hidden(out) == []
    assert visible(out, "_quarantine/*/*") == []  # a failed run's quarantine goes with it
    assert visible(out, "data/*/*/*.parquet") == [] and not (out / "_staging").exists()
    assert visible(out, "_audit/commits/*") == []
    # the lock went with the failed run, though this very process held it
    with OutputLock(out):
        pass


def test_after_a_run_failed_in_this_process_the_next_one_completes(
    inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        fill_disk(patch, TARGETS["parquet"])
        assert CliRunner().invoke(app, inputs.args(out)).exit_code == 2
    run_in_process(inputs, out)
    assert_each_record_once(out, inputs)


def test_a_saved_policy_left_incomplete_is_written_again(inputs: Inputs, tmp_path: Path) -> None:
    """What a crash of the earlier in-place write left: the audit must not point at half a
    policy (dispose reads it for the quarantine's retention)."""
    out = tmp_path / "out"
    sha = load_policy(inputs.policy).sha256
    saved = out / "_audit" / "policies" / f"{sha}.yaml"
    saved.parent.mkdir(parents=True)
    saved.write_text(POLICY[:40])
    run_in_process(inputs, out)
    assert yaml.safe_load(saved.read_text())["retention"] == yaml.safe_load(POLICY)["retention"]
    assert_each_record_once(out, inputs)


# -- 3. killed while writing, then run again ------------------------------------------------------


@pytest.mark.parametrize("point", ["after-parquet", "before-audit"])
def test_a_run_killed_while_writing_then_rerun_holds_every_record_once(
    inputs: Inputs, tmp_path: Path, point: str
) -> None:
    out, mark = tmp_path / "out", tmp_path / "mark"
    proc = launch(inputs.args(out), point, mark)
    deadline = time.monotonic() + 120
    while not mark.exists():
        assert proc.poll() is None, proc.communicate()[1][-300:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # what the kill left: whole files only, no audit
    assert_nothing_half_written(out)
    assert audits(out) == []
    if point == "after-parquet":  # staged only: nothing a reader sees, no intent
        assert visible(out, "_staging/*/data/*/*/*.parquet")
        assert visible(out, "data/*/*/*.parquet") == [] and visible(out, "_audit/commits/*") == []
    else:  # the commit had begun: its files moved into place, the audit not yet
        assert visible(out, "_quarantine/*/*") and visible(out, "data/*/*/*.parquet")
        assert visible(out, "_audit/commits/*.json")
    run_in_process(inputs, out)
    assert_each_record_once(out, inputs, runs=1 if point == "after-parquet" else 2)
    # in the order the runs started (run ids sort by second only: both can share one)
    records = sorted(
        (json.loads(p.read_text()) for p in audits(out)), key=lambda a: a["started_at"]
    )
    # the killed run's commit is completed (and says so) only when it had begun
    assert [bool(a.get("recovered")) for a in records] == (
        [False] if point == "after-parquet" else [True, False]
    )
    assert all(a["balanced"] for a in records)


# -- 4. a bundle that Beam retries ----------------------------------------------------------------

RUN_ID = "20260305T000000Z-abcdef"


def _written(inputs: Inputs) -> list[Written]:
    return [
        Written(
            source=str(inputs.files[i % 2]),
            index=i,
            record_id=f"r{i}",
            date=f"2026-03-0{1 + i % 2}",
            rows={
                "short": {"record_id": f"r{i}", "n": i, "fields": {}},
                "long": {"record_id": f"r{i}", "status": "ok", "fields": {}},
            },
        )
        for i in range(20)
    ]


def _drain(results: Any) -> list[Any]:
    return [getattr(r, "value", r) for r in results or ()]


def _commit_staged(out: Path, staged: list[StagedFile] | list[str]) -> None:
    """What the driver does with the files a run's bundles listed (data files with their rows,
    or quarantine files' paths): move them into place."""
    layout = OutputLayout(str(out))
    staging = layout.staging(RUN_ID)
    files = sorted(staging.relative(f if isinstance(f, str) else f.path) for f in staged)
    commit.commit(layout, commit.Intent(RUN_ID, files, [], {"run_id": RUN_ID}))


@pytest.mark.parametrize("failed_at", ["mid-bundle", "after-finish"])
@pytest.mark.parametrize("retry_order", ["same", "reversed"])
def test_a_retried_parquet_bundle_leaves_each_row_once(
    inputs: Inputs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failed_at: str,
    retry_order: str,
) -> None:
    """Beam retries a failed bundle with the same elements (in any order) and keeps only the
    retry's outputs; whatever the failed attempt staged must not add rows."""
    monkeypatch.setattr(parquet_sink, "TARGET_FILE_ROWS", 4)  # files complete mid-bundle too
    out = tmp_path / "out"
    elements = _written(inputs)
    config = RunConfig(load_policy(inputs.policy), KeySource(env="DATAMIN_KEY"), date.today())
    source_keys = {str(f): f"{i:016x}" for i, f in enumerate(inputs.files)}
    fn = transforms._WriteFn(str(out), config, RUN_ID, source_keys)
    fn.setup()
    fn.start_bundle()
    for w in elements[: 2 * len(elements) // 3]:
        _drain(fn.process(w))
    if failed_at == "after-finish":
        for w in elements[2 * len(elements) // 3 :]:
            _drain(fn.process(w))
        _drain(fn.finish_bundle())
    assert visible(out, "_staging/*/data/*/*/*.parquet")  # the failed attempt's, staged
    assert visible(out, "data/*/*/*.parquet") == []  # and not visible
    fn.start_bundle()  # the retry; the failed attempt's outputs are discarded
    committed = []
    for w in elements if retry_order == "same" else elements[::-1]:
        committed += _drain(fn.process(w))
    committed += _drain(fn.finish_bundle())
    _commit_staged(out, committed)
    assert hidden(out) == [] and not (out / "_staging").exists()
    staging = OutputLayout(str(out)).staging(RUN_ID)
    assert sorted(str(p) for p in visible(out, "data/*/*/*.parquet")) == sorted(
        str(out / staging.relative(f.path)) for f in committed
    )
    for cls, column in (("short", "n"), ("long", "record_id")):
        values = [
            v
            for f in visible(out, f"data/retention={cls}/*/*.parquet")
            for v in pq.read_table(f).column(column).to_pylist()
        ]
        assert len(values) == len(elements) and len(set(values)) == len(elements)


def _entries(inputs: Inputs) -> list[Quarantined]:
    return [
        Quarantined(
            str(inputs.files[i % 3]), i, "InputError: invalid JSON", None, source_id=f"s{i % 3}"
        )
        for i in range(7)
    ]


def _visible_entries(out: Path) -> list[tuple[str, int]]:
    return [
        (e["source_id"], e["index"])
        for f in visible(out, f"_quarantine/{RUN_ID}/*")
        for e in map(json.loads, f.read_text().splitlines())
    ]


@pytest.mark.parametrize("retry_order", ["same", "reversed"])
def test_a_retried_quarantine_bundle_leaves_each_entry_once(
    inputs: Inputs, tmp_path: Path, retry_order: str
) -> None:
    out = tmp_path / "out"
    entries = _entries(inputs)
    fn = transforms._WriteQuarantineFn(str(out), RUN_ID)
    fn.setup()
    fn.start_bundle()
    for e in entries:
        fn.process(e)
    _drain(fn.finish_bundle())  # staged; then the bundle fails, and is retried
    assert _visible_entries(out) == []
    fn.start_bundle()
    for e in entries if retry_order == "same" else entries[::-1]:
        fn.process(e)
    committed = _drain(fn.finish_bundle())
    _commit_staged(out, committed)
    got = _visible_entries(out)
    assert sorted(got) == sorted((e.source_id, e.index) for e in entries)
    assert hidden(out) == []


def test_a_quarantine_bundle_failing_mid_write_leaves_no_temporary_file(
    inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    entries = _entries(inputs)
    fn = transforms._WriteQuarantineFn(str(out), RUN_ID)
    fn.setup()
    with monkeypatch.context() as patch:
        fill_disk(patch, TARGETS["quarantine"])
        fn.start_bundle()
        # Entries are streamed: the disk fills while they are written or as the file closes.
        with pytest.raises(OutputError, match="No space left on device"):
            for e in entries:
                fn.process(e)
            _drain(fn.finish_bundle())
    assert hidden(out) == [] and _visible_entries(out) == []
    fn.start_bundle()
    for e in entries:
        fn.process(e)
    committed = _drain(fn.finish_bundle())
    _commit_staged(out, committed)
    assert len(_visible_entries(out)) == len(entries)


# -- 5. a step that raises ------------------------------------------------------------------------


def test_a_step_raising_with_a_value_prints_its_class_only(inputs: Inputs, tmp_path: Path) -> None:
    """Beam puts the exception's text (a KeyError's is the missing key: possibly a value) into
    its own error log, with a traceback; the CLI must print neither."""
    value = "fault-value-7f3a9c@example.org"
    out = tmp_path / "out"
    proc = launch(inputs.args(out), "raise", tmp_path / "mark", env={"FAULT_VALUE": value})
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert one_error_line(stderr) == "error: pipeline failed (KeyError)"
    assert value not in stdout + stderr
    assert audits(out) == [] and hidden(out) == []
    assert visible(out, "_quarantine/*/*") == []


SITECUSTOMIZE = """
import os
import sys
if os.environ.get("FAULT_VALUE"):
    from datamin.pipelines import transforms

    def process(self, written):
        spec = getattr(sys.modules["__main__"], "__spec__", None)
        if os.environ.get("FAULT_ONLY") in (None, getattr(spec, "name", None)):
            os.write(1, b"noise a C library printed ")  # on the standard output's descriptor
            raise KeyError(os.environ["FAULT_VALUE"])
        yield from saved(self, written)

    saved, transforms._WriteFn.process = transforms._WriteFn.process, process
"""
SHARD_MAIN = "datamin.pipelines.shards"


@pytest.mark.parametrize(
    ("runner", "sources", "only", "failed"),
    [
        # three sources: a pipeline per share, the first in the CLI's process
        (["--workers", "2"], 3, None, "KeyError"),
        # the share a child process runs fails: it says which class, and the driver stops
        (["--workers", "2"], 3, SHARD_MAIN, "KeyError"),
        # one source: Beam's own worker processes, which report a RuntimeError
        (["--workers", "2"], 1, None, "RuntimeError"),
        (["--dask-address", "local", "--workers", "2"], 3, None, "KeyError"),
    ],
    ids=["shares", "shares-child", "direct-processes", "dask"],
)
def test_a_worker_process_raising_with_a_value_logs_its_class_only(
    inputs: Inputs,
    tmp_path: Path,
    runner: list[str],
    sources: int,
    only: str | None,
    failed: str,
) -> None:
    """With `--workers 2` the steps run in other processes, whose logging is Beam's (or
    distributed's, which logs a failed task's exception as text): the fault goes in through
    `sitecustomize`, which every process (workers too) imports."""
    if "--dask-address" in runner:
        pytest.importorskip("distributed")
    args = inputs.args(tmp_path / "out")
    if sources == 1:
        args[args.index("-i") + 1] = str(inputs.files[0])
    value = "fault-value-worker-41c2@example.org"
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SITECUSTOMIZE)
    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(inject), str(REPO)]),
        "FAULT_VALUE": value,
        **({"FAULT_ONLY": only} if only else {}),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "datamin.cli.app", *args, *runner],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 1
    assert value not in proc.stdout + proc.stderr
    # The step ran and failed, and nothing of its text came out.
    assert f"error: pipeline failed ({failed})" in proc.stderr
    assert audits(out) == [] and hidden(out) == []
