"""A run killed before its commit leaves a staging area (Parquet of minimized rows, quarantine
entries) that the next run or disposal deletes. Deleting it is that run's or disposal's doing,
so its audit record names the runs it rolled back: what was done to the output is always in the
audit, an interrupted run included."""

from __future__ import annotations

import json
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
    for run_id in KILLED:
        part = out / "_staging" / run_id / "data/retention=short/date=2026-03-01"
        part.mkdir(parents=True)
        (part / "part-0123456789abcdef-0000000001.parquet").write_bytes(b"cut short")
        (part / ".part-0123456789abcdef-0000000002.parquet.tmp").write_bytes(b"")
    return out


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
