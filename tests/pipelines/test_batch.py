"""`datamin run` end to end: output layout, audit, idempotent re-runs, real captures."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml

from datamin.pipelines import batch
from datamin.policies import bundled

CASES = Path(__file__).parent / "cases"


def parquet_files(out: Path) -> list[Path]:
    return sorted(out.glob("data/retention=*/date=*/*.parquet"))


def test_output_layout_audit_and_readers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch.run(
        [str(CASES / "traffic.har"), str(CASES / "messages.jsonl")], out, bundled("api_logs")
    )
    audit = result.audit
    assert audit["records_in"] == 4
    assert (
        audit["records_in"]
        == audit["records_written"] + audit["records_dropped"] + audit["records_quarantined"]
    )
    assert audit["balanced"] is True
    assert (
        audit["policy_sha256"]
        == __import__("hashlib").sha256(bundled("api_logs").read_bytes()).hexdigest()
    )
    assert Path(result.audit_path) == out / "_audit" / "runs" / f"{result.run_id}.json"
    assert json.loads(Path(result.audit_path).read_text())["records_in"] == 4
    saved = out / "_audit" / "policies" / f"{audit['policy_sha256']}.yaml"
    # the saved copy is the policy as validated, with author-written values hashed: same rules
    # and retention, named by the original's sha256
    copy = yaml.safe_load(saved.read_bytes())
    original = yaml.safe_load(bundled("api_logs").read_bytes())
    assert copy["retention"] == original["retention"] and copy["fields"] == original["fields"]
    # messages have none of api_logs' fields: dropped, not written
    assert audit["records_dropped"] == 2 and audit["records_written"] == 2
    files = parquet_files(out)
    assert {f.parent.parent.name for f in files} == {"retention=analytics", "retention=debug"}
    assert {f.parent.name for f in files} == {"date=2026-03-02", "date=2026-03-03"}
    meta = pq.read_schema(files[0]).metadata
    assert meta[b"datamin.policy_sha256"].decode() == audit["policy_sha256"]
    # any engine reads it as is: pyarrow datasets with Hive partitions, and DuckDB
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    assert set(table.column("retention").to_pylist()) == {"analytics", "debug"}
    routes = duckdb.sql(
        f"select route, status from read_parquet('{out}/data/retention=analytics/*/*.parquet',"
        " hive_partitioning=true) order by route"
    ).fetchall()
    assert routes == [("/v1/auth/login", 201), ("/v1/users/{id}/orders", 201)]
    joined = duckdb.sql(
        f"""select count(*) from read_parquet('{out}/data/retention=analytics/*/*.parquet') a
            join read_parquet('{out}/data/retention=debug/*/*.parquet') d using (record_id)"""
    ).fetchall()
    assert joined == [(2,)]  # the record id joins a record's classes
    assert not list(out.rglob(".*.tmp"))  # no temporary file left


def test_rerunning_the_same_input_does_not_duplicate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = [str(CASES / "traffic.har"), str(CASES / "messages.jsonl")]
    batch.run(inputs, out, bundled("redact_only"))
    first = {f.relative_to(out) for f in parquet_files(out)}
    second_run = batch.run(inputs, out, bundled("redact_only"))
    assert {f.relative_to(out) for f in parquet_files(out)} == first
    count = duckdb.sql(f"select count(*) from read_parquet('{out}/data/**/*.parquet')").fetchall()
    assert count == [(4,)]
    assert len(list((out / "_audit" / "runs").glob("*.json"))) == 2
    assert second_run.audit["files_replaced"] == 0


def test_a_path_read_again_with_new_content_replaces_its_older_version(tmp_path: Path) -> None:
    """A log that grew is read again: its first lines must not be kept twice. Its new content
    is another source (another content_id), but the path is the same, so the files of what the
    path held before are replaced."""
    out = tmp_path / "out"
    source = tmp_path / "in.jsonl"
    lines = (CASES / "messages.jsonl").read_text().splitlines(keepends=True)
    source.write_text(lines[0])
    first = batch.run([str(source)], out, bundled("messages")).audit
    source.write_text("".join(lines))  # grown
    result = batch.run([str(source)], out, bundled("messages"))
    assert result.audit["files_replaced"] >= 1
    [before], [after] = first["inputs"], result.audit["inputs"]
    assert before["source_id"] == after["source_id"]  # the same path
    assert before["content_id"] != after["content_id"]  # another content
    count = duckdb.sql(
        f"select count(*) from read_parquet('{out}/data/retention=analytics/**/*.parquet')"
    ).fetchall()
    grown = batch.run([str(source)], tmp_path / "fresh", bundled("messages")).audit
    assert count == [(grown["rows_by_retention"]["analytics"],)]  # as if read once, whole


def test_every_shared_capture_runs(har_corpus: Path, tmp_path: Path) -> None:
    result = batch.run([str(har_corpus / "*.har")], tmp_path / "out", bundled("redact_only"))
    audit = result.audit
    entries = sum(
        len(json.loads(p.read_bytes().decode("utf-8-sig"))["log"]["entries"])
        for p in har_corpus.glob("*.har")
        if p.name != "broken.har"
    )
    assert audit["records_written"] == entries
    assert audit["records_quarantined"] == 1  # broken.har, as one record
    assert audit["balanced"]


def test_multiple_worker_processes(tmp_path: Path) -> None:
    inputs = [
        str(CASES / "traffic.har"),
        str(CASES / "messages.jsonl"),
        str(CASES / "messages-array.json"),
    ]
    result = batch.run(inputs, tmp_path / "out", bundled("redact_only"), workers=2)
    assert result.audit["records_in"] == 6 and result.audit["records_written"] == 6


def test_missing_input_and_bad_policy_fail_before_any_output(tmp_path: Path) -> None:
    from datamin.errors import InputError, PolicyError

    with pytest.raises(InputError):
        batch.run([str(tmp_path / "none-*.jsonl")], tmp_path / "out", bundled("api_logs"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: x\n")
    with pytest.raises(PolicyError):
        batch.run([str(CASES / "traffic.har")], tmp_path / "out2", bad)
    assert not (tmp_path / "out").exists() and not (tmp_path / "out2").exists()
