"""A run killed before its commit leaves a staging area (Parquet of minimized rows, quarantine
entries) that the next run or disposal deletes. Deleting it is that run's or disposal's doing,
so its audit record names the runs it rolled back: what was done to the output is always in the
audit, an interrupted run included."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from datamin.output.dispose import dispose, parse_now
from datamin.pipelines import batch

POLICY = """\
version: 1
name: interrupted
event_time: [ts]
retention: {default: short, classes: {short: 30d}}
fields:
  - {path: ts, action: keep, column: ts}
  - {path: note, action: keep}
"""
KILLED = ["20260301T120000Z-0a0b0c", "20260301T120500Z-1a1b1c"]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output with one committed run, and two runs killed mid-pipeline after it: their
    staging areas hold files as a worker leaves them (a finished one and a temporary one)."""
    (tmp_path / "p.yaml").write_text(POLICY)
    (tmp_path / "in.jsonl").write_text(json.dumps({"ts": "2026-03-01T10:00:00Z", "note": "n"}))
    out = tmp_path / "out"
    batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    _stage_killed_runs(out)
    return out


def _stage_killed_runs(out: Path) -> None:
    for run_id in KILLED:
        part = out / "_staging" / run_id / "data/retention=short/date=2026-03-01"
        part.mkdir(parents=True)
        (part / "part-0123456789abcdef-0000000001.parquet").write_bytes(b"cut short")
        (part / ".part-0123456789abcdef-0000000002.parquet.tmp").write_bytes(b"")


def _records(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def test_the_next_run_deletes_a_killed_runs_staging_and_says_so(out: Path, tmp_path: Path) -> None:
    first = {r["run_id"] for r in _records(out / "_audit/runs")}
    result = batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    assert not (out / "_staging").exists()
    [record] = [r for r in _records(out / "_audit/runs") if r["run_id"] not in first]
    assert record["run_id"] == result.run_id
    assert record["runs_rolled_back"] == KILLED
    assert record["runs_completed"] == []
    assert record["balanced"] is True


def test_a_run_with_nothing_to_roll_back_says_none(out: Path, tmp_path: Path) -> None:
    batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    result = batch.run([str(tmp_path / "in.jsonl")], out, tmp_path / "p.yaml")
    record = json.loads((out / "_audit/runs" / f"{result.run_id}.json").read_text())
    assert record["runs_rolled_back"] == [] and record["runs_completed"] == []


def test_a_disposal_deletes_a_killed_runs_staging_and_records_it(out: Path) -> None:
    report = dispose(out, now=parse_now("2026-03-10"))
    assert not (out / "_staging").exists()
    assert report.runs_rolled_back == KILLED
    [record] = _records(out / "_audit/disposals")
    assert record["runs_rolled_back"] == KILLED


def test_a_dry_run_disposal_rolls_nothing_back(out: Path) -> None:
    report = dispose(out, now=parse_now("2026-03-10"), dry_run=True)
    assert report.runs_rolled_back == []
    assert sorted(p.name for p in (out / "_staging").iterdir()) == KILLED


def _new_records(out: Path, before: set[str]) -> list[dict]:
    return [r for r in _records(out / "_audit/runs") if r["run_id"] not in before]


def test_a_streams_first_batch_deletes_a_killed_runs_staging_and_lists_it(
    out: Path, tmp_path: Path
) -> None:
    """The runner completes stopped commits at its start; the batch that deletes a killed run's
    staging area (under its lock) names it. One batch of two lines here."""
    from datamin.stream import StreamSettings, stream

    before = {r["run_id"] for r in _records(out / "_audit/runs")}
    logs = tmp_path / "logs"
    logs.mkdir()
    line = json.dumps({"ts": "2026-03-01T11:00:00Z", "note": "n"})
    (logs / "a.jsonl").write_text(f"{line}\n{line}\n")
    settings = StreamSettings(batch_size=10, max_wait=0.1, until_idle=0.5)
    stream(f"dir:{logs}", out, tmp_path / "p.yaml", settings=settings)
    assert not (out / "_staging").exists()
    [record] = _new_records(out, before)
    assert record["kind"] == "stream" and record["records_in"] == 2 and record["balanced"]
    assert record["runs_rolled_back"] == KILLED and record["runs_completed"] == []


def test_a_stream_that_commits_nothing_deletes_nothing(out: Path, tmp_path: Path) -> None:
    """No batch, no audit record: a killed run's staging area waits for the next writer that
    records its deletion (a run, a batch, a compaction that merges, a disposal)."""
    from datamin.stream import StreamSettings, stream

    (tmp_path / "logs").mkdir()
    settings = StreamSettings(batch_size=10, max_wait=0.1, until_idle=0.3)
    stream(f"dir:{tmp_path / 'logs'}", out, tmp_path / "p.yaml", settings=settings)
    assert sorted(p.name for p in (out / "_staging").iterdir()) == KILLED


def test_a_compaction_deletes_a_killed_runs_staging_and_lists_it(out: Path, tmp_path: Path) -> None:
    from datamin.output.compact import compact

    nothing = compact(out, older_than=timedelta(0))  # one file: nothing merged, no record
    assert nothing.run_id == "" and nothing.runs_rolled_back == []
    assert sorted(p.name for p in (out / "_staging").iterdir()) == KILLED
    # A second file in the partition (another source), and the killed runs' areas again.
    (tmp_path / "more.jsonl").write_text(json.dumps({"ts": "2026-03-01T11:00:00Z", "note": "m"}))
    batch.run([str(tmp_path / "more.jsonl")], out, tmp_path / "p.yaml")
    _stage_killed_runs(out)
    before = {r["run_id"] for r in _records(out / "_audit/runs")}
    report = compact(out, older_than=timedelta(0))
    assert report.groups_merged == 1 and report.runs_rolled_back == KILLED
    assert not (out / "_staging").exists()
    [record] = _new_records(out, before)
    assert record["kind"] == "compact" and record["runs_rolled_back"] == KILLED
    assert record["runs_completed"] == []
