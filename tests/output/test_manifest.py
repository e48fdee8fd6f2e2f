"""A commit's manifest read back: the shapes a commit writes and nothing else, each file's record
the newest commit listing it, and audits of earlier versions (files inline, a file per source,
compactions taking over the runs of the files they merged) read the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from datamin.errors import OutputError
from datamin.output import manifest
from datamin.output.layout import OutputLayout

F1 = "data/retention=short/date=2026-03-01/part-aaaaaaaaaaaaaaaa-0000000001.parquet"
F2 = "data/retention=short/date=2026-03-01/part-bbbbbbbbbbbbbbbb-0000000001.parquet"
F3 = "data/retention=short/date=2026-03-01/part-cccccccccccccccc-0000000001.parquet"
R1, R2, R3 = "20260301T000001Z-aaaaaa", "20260301T000002Z-bbbbbb", "20260301T000003Z-cccccc"
A, B = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"


def _entry(rows: int, segments: list[list[Any]], runs: dict[str, list[str]]) -> dict[str, Any]:
    return {"rows": rows, "segments": segments, "runs": runs}


GOOD = {
    "run_id": R1,
    "version": 1,
    "files": {F1: _entry(5, [[A, 2], [B, 3]], {A: [R1], B: [R1]})},
    "rewritten": {},
    "removed": [],
}


@pytest.mark.parametrize(
    "change",
    [
        {"run_id": R2},
        {"files": {"_audit/key.json": GOOD["files"][F1]}},
        {"files": {F1.replace("part-", "x-"): GOOD["files"][F1]}},
        {"files": {F1: _entry(6, [[A, 2], [B, 3]], {A: [R1], B: [R1]})}},  # do not add up
        {"files": {F1: _entry(5, [[A, 2], [B, 3]], {A: [R1]})}},  # B's runs missing
        {"files": {F1: _entry(5, [[A, -2], [B, 7]], {A: [R1], B: [R1]})}},
        {"files": {F1: _entry(5, [[A, 2, 3]], {A: [R1]})}},
        {"removed": ["data/../../x.parquet"]},
        {"removed": "data"},
    ],
)
def test_a_manifest_not_as_a_commit_writes_it_is_refused(change: dict[str, Any]) -> None:
    assert manifest.parse(GOOD, R1).files[F1].sources == {A, B}
    with pytest.raises((ValueError, TypeError)):
        manifest.parse({**GOOD, **change}, R1)


def _commit(out: Path, run_id: str, body: dict[str, Any] | None, **audit: Any) -> None:
    """An audit record, with its manifest when `body` is given (else as earlier versions)."""
    runs = out / "_audit" / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    record = {"run_id": run_id, **audit}
    if body is not None:
        (out / "_audit" / "manifests").mkdir(parents=True, exist_ok=True)
        (out / "_audit" / "manifests" / f"{run_id}.json").write_bytes(manifest.body(body))
        record.update(manifest=f"_audit/manifests/{run_id}.json")
        record.update(manifest_sha256=manifest.sha256(body))
    (runs / f"{run_id}.json").write_text(json.dumps(record))


def test_the_newest_commit_listing_a_file_is_its_record(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # An earlier version's run: one source per file, named by it; a compaction of those.
    _commit(out, R1, None, files_written=[F1, F2], rows_by_file={F1: 2, F2: 3})
    _commit(out, R2, None, kind="compact", files_written=[F1], files_compacted=[F1, F2])
    # A run of B now: F1 rewritten without B's rows (kept: A's, R1's), F3 its own.
    body = {
        "run_id": R3,
        "version": 1,
        "files": {F3: _entry(4, [[B, 4]], {B: [R3]})},
        "rewritten": {F1: _entry(2, [[A, 2]], {A: [R1]})},
        "removed": [F2],
    }
    _commit(out, R3, body)
    layout = OutputLayout(str(out))
    index = manifest.file_index(layout)
    assert index.problems == [] and set(index.files) == {F1, F3}
    assert index.files[F1].run == R3 and index.files[F1].runs == {A: {R1}}
    assert manifest.files_of(layout, json.loads((out / f"_audit/runs/{R3}.json").read_text())) == [
        F3
    ]
    # What the compaction record of the earlier version said: F1 holds source A only (by its
    # name) and came from R1 (taken over from the file it merged).
    before = manifest.file_index(layout, list(layout.run_records())[:2])
    assert before.files[F1].runs == {A: {R1}} and before.files[F1].run == R2
    assert before.files[F1].rows is None  # that compaction recorded no rows


def test_a_manifest_that_is_missing_or_altered_is_named_not_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _commit(out, R1, GOOD)
    layout = OutputLayout(str(out))
    path = out / "_audit" / "manifests" / f"{R1}.json"
    path.write_bytes(path.read_bytes().replace(b'"rows":5', b'"rows":5 '))
    index = manifest.file_index(layout)
    assert index.files == {} and index.damaged == [
        f"_audit/manifests/{R1}.json: not the manifest run {R1}'s audit record holds"
    ]
    path.unlink()
    assert "missing" in manifest.file_index(layout).damaged[0]
    with pytest.raises(OutputError, match="missing"):
        manifest.files_of(layout, json.loads((out / f"_audit/runs/{R1}.json").read_text()))
