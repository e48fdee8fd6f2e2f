"""`datamin compact`: thin over `datamin.output.compact`; a summary of counts, groups left alone
on stderr, a one-line error (exit 2) for anything it refuses, and never a value printed."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from tests.output.test_compact import FOLDER, make_stream_output

runner = CliRunner()
MARKER = "compact-cli-value-"  # in every row's `fields`; never in what the command prints


def _files(out: Path) -> list[str]:
    return sorted(p.name for p in (out / FOLDER).glob("part-*.parquet"))


def test_compact_merges_and_prints_counts_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = make_stream_output(out, batches=4, rows=3, marker=MARKER)
    result = runner.invoke(app, ["compact", "--output", str(out), "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "1 group(s) merged, 4 file(s) into 1 (12 rows" in result.output
    assert "data files 4 -> 1" in result.output
    assert MARKER not in result.output
    assert _files(out) == [files[0].rsplit("/", 1)[-1]]
    assert pq.read_metadata(out / files[0]).num_rows == 12
    (record,) = [
        json.loads(p.read_text())
        for p in (out / "_audit" / "runs").glob("*.json")
        if json.loads(p.read_text()).get("kind") == "compact"
    ]
    assert record["files_compacted"] == len(files)  # counted; its manifest lists them


def test_a_dry_run_reports_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    make_stream_output(out, batches=3, rows=2, marker=MARKER)
    before = _files(out)
    result = runner.invoke(app, ["compact", "-o", str(out), "--older-than", "0", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "(dry run)" in result.output and "3 file(s) into 1" in result.output
    assert _files(out) == before


def test_recent_files_are_left_by_default(tmp_path: Path) -> None:
    out = tmp_path / "out"
    make_stream_output(out, batches=3, rows=2, marker=MARKER)
    result = runner.invoke(app, ["compact", "-o", str(out)])  # --older-than 1h
    assert result.exit_code == 0, result.output
    assert "0 group(s) merged" in result.output and "groups too recent: 1" in result.output
    assert len(_files(out)) == 3


def test_a_group_left_alone_is_named_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = make_stream_output(out, batches=2, rows=2, marker=MARKER)
    table = pq.read_table(out / files[1])
    meta = {**table.schema.metadata, b"datamin.version": b"0.0.9"}
    pq.write_table(table.replace_schema_metadata(meta), out / files[1])
    result = runner.invoke(app, ["compact", "-o", str(out), "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert f"left alone: {FOLDER}: " in result.output and "footer metadata" in result.output
    assert MARKER not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target-size", "lots"], "--target-size is a size"),
        (["--older-than", "forever"], "--older-than forever"),
        (["--older-than", "90m"], "--older-than is a duration"),
    ],
)
def test_bad_arguments_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    make_stream_output(out, batches=2, rows=2, marker=MARKER)
    result = runner.invoke(app, ["compact", "-o", str(out), *args])
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("output", ["gs://bucket/out", "s3://bucket/out"])
def test_remote_outputs_are_refused(output: str) -> None:
    result = runner.invoke(app, ["compact", "-o", output])
    assert result.exit_code == 2 and "local outputs only" in result.output


def test_a_directory_that_is_no_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    result = runner.invoke(app, ["compact", "-o", str(tmp_path / "plain")])
    assert result.exit_code == 2 and "not a datamin output directory" in result.output
