"""`datamin.report.collect`: what it reads agrees with the audit records and the Parquet footers
it reads them from; expiry is judged as dispose judges it; one run alone; and a damaged or
planted audit record in the output breaks nothing."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from datamin.errors import OutputError
from datamin.output.dispose import verify
from datamin.report import collect
from datamin.report.summary import BATCH, COMPACT, RECORD_COUNTS, STREAM
from tests.report.conftest import Built


def test_record_counts_are_the_audits_and_balance(built: Built) -> None:
    summary = collect(built.out)
    audits = [a for a in built.audits() if a.get("kind") != COMPACT]
    assert [r.run_id for r in summary.counted] == [a["run_id"] for a in audits]
    for row, audit in zip(summary.counted, audits, strict=True):
        assert [getattr(row, n) for n in RECORD_COUNTS] == [audit[n] for n in RECORD_COUNTS]
        assert row.balanced and audit["balanced"]
    totals = summary.totals()
    assert totals == {n: sum(a[n] for a in audits) for n in RECORD_COUNTS}
    assert totals["records_in"] == (
        totals["records_written"] + totals["records_dropped"] + totals["records_quarantined"]
    )
    assert totals["records_quarantined"] == 2  # one bad line in each batch run's input
    assert summary.quarantine_by_error == {
        "InputError: a record must be a JSON object, not an array": 1,
        "InputError: invalid JSON": 1,
    }
    # The timeline sums a day's stream batches into one row; its total is the same.
    timeline = summary.timeline()
    assert sum(t.records_in for t in timeline) == totals["records_in"]
    assert [t.kind for t in timeline] == [BATCH, BATCH, STREAM]
    assert timeline[-1].runs == 2


def test_runs_stream_batches_and_compactions_are_told_apart(built: Built) -> None:
    summary = collect(built.out)
    assert len(summary.of_kind(BATCH)) == 2
    assert len(summary.of_kind(STREAM)) == 2
    (compaction,) = summary.of_kind(COMPACT)
    assert compaction.files_compacted >= 2 and compaction.files_written >= 1


def test_findings_are_the_audits_by_entity_and_by_path(built: Built) -> None:
    summary = collect(built.out)
    by_entity: Counter[str] = Counter()
    by_path: dict[str, Counter[str]] = {}
    for audit in built.audits():
        by_entity.update(audit.get("findings_by_entity", {}))
        for entity, paths in audit.get("findings_by_entity_and_path", {}).items():
            by_path.setdefault(entity, Counter()).update(paths)
    assert summary.findings_by_entity == dict(by_entity)
    assert by_entity, "the sample's messages hold findings"
    assert summary.findings_by_path == {e: dict(c) for e, c in by_path.items()}
    assert list(summary.findings_by_entity.values()) == sorted(by_entity.values(), reverse=True)


def test_partitions_are_the_footers(built: Built) -> None:
    summary = collect(built.out)
    files = sorted((built.out / "data").glob("retention=*/date=*/*.parquet"))
    assert sum(p.files for p in summary.partitions) == len(files)
    assert sum(p.rows for p in summary.partitions) == sum(
        pq.read_metadata(f).num_rows for f in files
    )
    on_disk = {(f.parent.parent.name[10:], f.parent.name[5:]) for f in files}
    assert {(p.retention, p.day) for p in summary.partitions} == on_disk
    assert {p.durations for p in summary.partitions} == {("30d",), ("400d",)}


def test_expired_partitions_are_marked_as_dispose_judges_them(built: Built) -> None:
    short = [p for p in collect(built.out).partitions if p.retention == "operations"]
    last = max(datetime.fromisoformat(p.expires or "") for p in short).replace(tzinfo=UTC)
    later = collect(built.out, now=last + timedelta(hours=1))
    statuses = {(p.retention, p.day): p.status for p in later.partitions}
    assert {s for (cls, _), s in statuses.items() if cls == "operations"} == {"expired"}
    assert {s for (cls, _), s in statuses.items() if cls == "analytics"} == {"current"}
    # What the report calls expired is what `dispose --verify` says outlived its retention.
    problems = verify(built.out, last + timedelta(hours=1))
    expired_files = sum(p.expired_files for p in later.partitions)
    assert len([p for p in problems if p.startswith("data/") and "ran out" in p]) == expired_files
    early = collect(built.out, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert all(p.status == "current" for p in early.partitions)


def test_the_disposal_is_there_and_its_partitions_are_not(built: Built) -> None:
    summary = collect(built.disposed)
    (disposal,) = summary.disposals
    (record_file,) = (built.disposed / "_audit" / "disposals").glob("*.json")
    record = json.loads(record_file.read_text())
    assert disposal.rows == sum(t["rows"] for t in record["disposed"].values()) > 0
    assert disposal.partitions == len(record["partitions"])
    assert disposal.verified is True
    assert disposal.as_of == built.disposed_at.isoformat()
    gone = {tuple(p.removeprefix("retention=").split("/date=")) for p in record["partitions"]}
    assert not gone & {(p.retention, p.day) for p in summary.partitions}
    assert collect(built.out).disposals == ()


def test_one_run_alone(built: Built) -> None:
    first = built.audits()[0]
    summary = collect(built.disposed, run=first["run_id"])
    (run,) = summary.runs
    assert run.run_id == first["run_id"] and run.records_in == first["records_in"]
    assert summary.quarantine_by_error == first["quarantine_by_error"]
    assert summary.findings_by_entity == first["findings_by_entity"]
    present = sum(p.files for p in summary.partitions)
    assert present + summary.files_gone == first["files_written"]  # counted; the manifest lists
    assert summary.files_gone >= 1  # the disposal took its earliest short-class partition
    assert len(summary.disposals) == 1
    second = collect(built.disposed, run=built.audits()[1]["run_id"])
    assert second.runs[0].records_quarantined == 1


def test_what_is_not_an_output_or_not_a_run_is_one_line(built: Built, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is not a directory"):
        collect(tmp_path / "missing")
    with pytest.raises(OutputError, match="is not a datamin output"):
        collect(tmp_path)
    with pytest.raises(OutputError, match="local outputs only"):
        collect("gs://bucket/out")
    with pytest.raises(OutputError, match="no committed run 20200101T000000Z-abcdef"):
        collect(built.out, run="20200101T000000Z-abcdef")
    with pytest.raises(OutputError, match="not a run id"):
        collect(built.out, run="../../etc")


def test_damaged_or_planted_audit_records_break_nothing(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built.out, out)
    runs = out / "_audit" / "runs"
    (runs / "20260101T000000Z-0000aa.json").write_text("{not json")
    (runs / "20260101T000000Z-0000bb.json").write_text("[1, 2]")
    planted = {
        "run_id": "20260101T000000Z-0000cc",
        "policy": "<script>alert(1)</script>\x1b[31m\ud800",
        "records_in": "many",
        "records_written": True,
        "records_dropped": -5,
        "findings_by_entity": {"<b>X</b>": 3, "Y": "no"},
        "findings_by_entity_and_path": {"Z": ["a"], "W": {"p": 2, "q": None}},
        "quarantine_by_error": {"Err\x00": 1},
        "files_written": "not a list",
    }
    (runs / "20260101T000000Z-0000cc.json").write_text(json.dumps(planted))
    (out / "_audit" / "disposals").mkdir(parents=True, exist_ok=True)
    (out / "_audit" / "disposals" / "20260101T000000Z-0000dd.json").write_text(
        json.dumps({"disposed": {"x": {"rows": "9"}, 3: 4}, "verified": "yes", "partitions": 5})
    )
    summary = collect(out)
    odd = next(r for r in summary.runs if r.run_id == "20260101T000000Z-0000cc")
    assert (odd.records_in, odd.records_written, odd.records_dropped, odd.files_written) == (
        0,
        0,
        0,
        0,
    )
    assert summary.findings_by_entity["<b>X</b>"] == 3 and "Y" not in summary.findings_by_entity
    assert summary.findings_by_path["W"] == {"p": 2}
    (disposal,) = summary.disposals
    assert (disposal.rows, disposal.verified, disposal.partition_names) == (0, None, ())
    assert len(summary.runs) == len(built.audits()) + 1


def test_a_link_in_the_output_is_counted_never_followed(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built.out, out)
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"run_id": "20990101T000000Z-aaaaaa", "records_in": 7}))
    (out / "_audit" / "runs" / "20990101T000000Z-aaaaaa.json").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(next((out / "data").iterdir()), elsewhere)
    (out / "data" / "retention=linked").symlink_to(elsewhere)
    summary = collect(out)
    assert "20990101T000000Z-aaaaaa" not in {r.run_id for r in summary.runs}
    assert "linked" not in {p.retention for p in summary.partitions}
    assert summary.links == 2
    assert summary.totals() == collect(built.out).totals()
