"""`datamin compact`: each partition's small files merged per class and date, whatever sources
they hold, rows, schema and footers as they were, through the commit protocol: `dispose
--verify` passes after it, a second compaction does nothing, a re-run of a batch source (all of
them, or one) still replaces its rows and nothing else's, a compaction stopped anywhere is
completed or undone by the next run, and no link is followed.

Outputs come from the real batch job, its files rolled at 3 rows (`TARGET_FILE_ROWS`, so a
file may hold both sources' rows), once per module; each case copies one. Stream-like outputs
(a file per batch, each its own run, audited as earlier versions did) are made by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datamin.errors import DataminError, OutputError
from datamin.output import commit
from datamin.output import compact as compaction
from datamin.output.compact import compact, parse_older_than, parse_size
from datamin.output.dispose import dispose, verify
from datamin.output.layout import OutputLayout, new_run_id
from datamin.output.manifest import file_index
from datamin.pipelines import batch, parquet_sink

POLICY = """\
version: 1
name: compaction
event_time: [timestamp]
retention:
  default: short
  classes: {short: 7d, long: 30d}
detection:
  ner: false
fields:
  - {path: n, action: keep, column: n, type: int64}
  - {path: status, action: keep, retention: long}
"""
NOW = datetime(2026, 3, 3, tzinfo=UTC)  # every partition within its retention
OTHER = "0123456789abcdef"  # a key no source has
ALL = timedelta(0)  # `--older-than 0`
CHUNK = 3  # rows per file


class Killed(BaseException):
    """A kill, to the code after it: nothing catches it, nothing runs after it."""


def _write_inputs(folder: Path, grown: bool = False) -> None:
    """Two sources of 11 records: 10 on March 1st (20 rows of a class: seven files), 1 on the
    2nd (one file), and a line that is not JSON (quarantined)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, base in (("a1.jsonl", 100), ("a2.jsonl", 200)):
        lines = []
        for i in range(11 + (2 if grown and name == "a1.jsonl" else 0)):
            day = "2026-03-01" if i < 10 else "2026-03-02"
            status = f"s{i % 4}"
            lines.append(
                json.dumps({"timestamp": f"{day}T10:00:00Z", "n": base + i, "status": status})
            )
        lines.append("{not json")
        (folder / name).write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compact")
    _write_inputs(root / "in")
    (root / "p.yaml").write_text(POLICY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parquet_sink, "TARGET_FILE_ROWS", CHUNK)
        result = batch.run([str(root / "in" / "*")], root / "built", root / "p.yaml")
    # Tests skip the compaction's own pause (below): past the build run's second once, here, so
    # that no compaction shares its second (a run id of that second may sort after it).
    compaction._past(result.run_id)
    return root


@pytest.fixture(autouse=True)
def _pause_only_where_it_matters(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compaction holds the lock until the clock leaves the second of its run id (and starts
    only once it has left the newest run's): up to a second each. Only cases with a writer right
    after it (`pause`) wait; the rest skip it, to keep the suite fast."""
    if "pause" not in request.fixturenames:
        monkeypatch.setattr(compaction, "_past", lambda run_id: None)


@pytest.fixture
def pause() -> None:
    """The real pause (see `_pause_only_where_it_matters`)."""


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(built / "built", target, symlinks=True)
    return target


# -- reading an output back ------------------------------------------------------------------------


def _files(out: Path) -> list[str]:
    return sorted(
        str(p.relative_to(out)) for p in (out / "data").glob("*/*/part-*.parquet") if p.is_file()
    )


def _group(rel: str) -> str:
    """The partition folder of a data file."""
    return rel.rsplit("/", 1)[0]


def _groups(out: Path) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for rel in _files(out):
        groups.setdefault(_group(rel), []).append(rel)
    return groups


def _rows(path: Path) -> list[str]:
    """A file's rows in order, each as canonical JSON (the `fields` map as pairs)."""
    return [json.dumps(r, sort_keys=True, default=str) for r in pq.read_table(path).to_pylist()]


def _rows_by_group(out: Path) -> dict[str, list[str]]:
    """Each group's rows in the order compaction keeps: by file name, then row order."""
    return {g: [r for rel in files for r in _rows(out / rel)] for g, files in _groups(out).items()}


def _content(out: Path) -> list[str]:
    """Every row of the output without its record id, sorted."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k != "record_id"}, sort_keys=True)
        for rel in _files(out)
        for r in pq.read_table(out / rel).to_pylist()
    )


def _footers(out: Path) -> dict[str, set[tuple[tuple[bytes, bytes], ...]]]:
    found: dict[str, set[tuple[tuple[bytes, bytes], ...]]] = {}
    for rel in _files(out):
        meta = pq.read_metadata(out / rel).metadata
        found.setdefault(_group(rel), set()).add(tuple(sorted(meta.items())))
    return found


def _schemas(out: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rel in _files(out):
        found.setdefault(_group(rel), set()).add(str(pq.read_schema(out / rel)))
    return found


def _by_source(out: Path) -> dict[tuple[str, str], int]:
    """Rows of each (partition, source), as the manifests record the visible files."""
    index = file_index(OutputLayout(str(out)))
    found: dict[tuple[str, str], int] = {}
    for rel in _files(out):
        for source, rows in index.files[rel].segments:
            found[(_group(rel), source)] = found.get((_group(rel), source), 0) + (rows or 0)
    return found


def _manifest(out: Path, run_id: str) -> dict[str, Any]:
    return json.loads((out / "_audit" / "manifests" / f"{run_id}.json").read_text())


def _audits(out: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text()) for p in sorted((out / "_audit" / "runs").glob("*.json"))
    }


def _snapshot(out: Path) -> dict[str, Any]:
    """Everything under the output, links not followed: kinds, times, bodies, link targets."""
    found: dict[str, Any] = {}
    for folder, dirs, names in os.walk(out):
        for name in dirs + names:
            path = Path(folder) / name
            st = path.lstat()
            body: Any = None
            if stat.S_ISREG(st.st_mode):
                body = path.read_bytes()
            elif stat.S_ISLNK(st.st_mode):
                body = os.readlink(path)
            found[str(path.relative_to(out))] = (stat.S_IFMT(st.st_mode), st.st_mtime_ns, body)
    return found


# -- a batch output --------------------------------------------------------------------------------


def test_each_partition_s_files_merge_into_one(out: Path) -> None:
    groups, rows, footers = _groups(out), _rows_by_group(out), _footers(out)
    schemas, quarantine, by_source = _schemas(out), _snapshot(out / "_quarantine"), _by_source(out)
    index = file_index(OutputLayout(str(out))).files
    assert any(len(index[rel].sources) > 1 for rel in _files(out))  # both sources in one file
    singles = {
        rel: (out / rel).read_bytes()
        for files in groups.values()
        if len(files) == 1
        for rel in files
    }
    assert any(len(files) > 1 for files in groups.values()) and singles  # the fixture's shape
    assert all(len(f) == 1 for f in footers.values())  # one footer per group to start with

    report = compact(out, older_than=ALL, now=NOW)

    merged = [files for files in groups.values() if len(files) > 1]
    assert report.groups_merged == len(merged)
    assert report.files_compacted == sum(len(f) for f in merged)
    assert report.files_before == len(_files(out)) + report.files_compacted - len(merged)
    assert report.files_after == len(groups) == len(_files(out)) < report.files_before
    assert report.rows == sum(len(rows[g]) for g, f in groups.items() if len(f) > 1)
    assert report.bytes_after is not None and 0 < report.bytes_after < report.bytes_before
    assert not report.skipped and report.groups_recent == 0
    after = _groups(out)
    # One file per group, named as its first file was: a re-run writes that name again.
    assert after == {g: files[:1] for g, files in groups.items()}
    assert _rows_by_group(out) == rows  # the same rows, in the same order
    assert _by_source(out) == by_source  # each source's, as the manifest records them
    assert _footers(out) == footers and _schemas(out) == schemas
    assert {rel: (out / rel).read_bytes() for rel in singles} == singles  # left as they were
    assert _snapshot(out / "_quarantine") == quarantine
    assert not (out / "_staging").exists() and not list((out / "_audit" / "commits").glob("*"))

    record = _audits(out)[report.run_id]
    assert record["kind"] == "compact" and record["run_id"] == report.run_id
    assert record["files_written"] == len(merged)
    assert record["files_compacted"] == record["files_replaced"] == report.files_compacted
    assert {"datamin_version", "started_at", "finished_at"} <= set(record)
    assert "records_in" not in record and "policy_sha256" not in record
    listed = _manifest(out, report.run_id)
    assert record["manifest"] == f"_audit/manifests/{report.run_id}.json"
    assert sorted(listed["files"]) == sorted(f[0] for f in merged)
    assert {rel: e["rows"] for rel, e in listed["files"].items()} == {
        f[0]: len(rows[_group(f[0])]) for f in merged
    }
    assert listed["removed"] == sorted(rel for f in merged for rel in f[1:])

    assert verify(out, NOW) == []  # rows as audited, no source from two runs
    snapshot = _snapshot(out)
    again = compact(out, older_than=ALL, now=NOW)
    assert (again.groups_merged, again.files_compacted, again.run_id) == (0, 0, "")
    assert _snapshot(out) == snapshot  # a second compaction is a no-op


@pytest.mark.parametrize("inputs", ["same", "grown"])
def test_a_re_run_after_compaction_still_replaces_its_source_s_rows(
    built: Path,
    out: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    inputs: str,
    pause: None,
) -> None:
    """The same inputs replace the merged files whole; a grown input is a new source key, whose
    run replaces the old key's rows in the merged files too. Either way each row once, as a
    run of these inputs writes them on a new output (record ids are each run's own)."""
    expected = _content(out)
    compact(out, older_than=ALL, now=NOW)
    monkeypatch.setattr(parquet_sink, "TARGET_FILE_ROWS", CHUNK)
    try:
        if inputs == "grown":
            _write_inputs(built / "in", grown=True)
            batch.run([str(built / "in" / "*")], tmp_path / "expected", built / "p.yaml")
            expected = _content(tmp_path / "expected")
        batch.run([str(built / "in" / "*")], out, built / "p.yaml")
    finally:
        _write_inputs(built / "in")
    assert _content(out) == expected
    assert verify(out, NOW) == []
    if inputs == "grown":
        assert _audits(out)[max(_audits(out))]["files_replaced"] > 0


def test_one_source_re_run_after_compaction_keeps_the_other_s_rows_in_the_merged_files(
    built: Path, out: Path, tmp_path: Path, pause: None
) -> None:
    """The merged files hold both sources: a run of one rewrites them without its old rows and
    writes its own; the other source's rows stay, once, with the runs they came from."""
    expected, by_source = _content(out), _by_source(out)
    report = compact(out, older_than=ALL, now=NOW)
    shutil.copy(built / "in" / "a1.jsonl", tmp_path / "a1.jsonl")  # the same content, elsewhere
    result = batch.run([str(tmp_path / "a1.jsonl")], out, built / "p.yaml")
    assert _content(out) == expected and _by_source(out) == by_source
    assert verify(out, NOW) == []
    audit = _audits(out)[result.run_id]
    assert audit["files_rewritten"] > 0 and audit["files_replaced"] >= audit["files_rewritten"]
    listed = _manifest(out, result.run_id)
    [a1] = {s for e in listed["files"].values() for s in e["runs"]}
    for rel, entry in listed["rewritten"].items():
        assert a1 not in entry["runs"] and (out / rel).is_file()
        assert set().union(*entry["runs"].values()) == {_audits(out)[min(_audits(out))]["run_id"]}
    assert set(listed["rewritten"]) & set(_manifest(out, report.run_id)["files"])  # merged ones


def test_groups_with_a_recent_file_are_left_alone(out: Path) -> None:
    groups = _groups(out)
    old = time.time() - 2 * 3600
    for rel in _files(out):
        os.utime(out / rel, (old, old))
    recent = next(files for files in groups.values() if len(files) > 1)
    os.utime(out / recent[-1])  # written just now
    bodies = {rel: (out / rel).read_bytes() for rel in recent}

    report = compact(out, older_than=parse_older_than("1h"))

    assert report.groups_recent == 1
    assert report.groups_merged == sum(1 for f in groups.values() if len(f) > 1) - 1
    assert {rel: (out / rel).read_bytes() for rel in recent} == bodies
    assert all(len(f) == 1 for g, f in _groups(out).items() if g != _group(recent[0]))
    assert verify(out, NOW) == []


def test_a_dry_run_changes_nothing(out: Path) -> None:
    before = _snapshot(out)
    planned = compact(out, older_than=ALL, dry_run=True, now=NOW)
    assert _snapshot(out) == before
    assert planned.dry_run and planned.run_id == "" and planned.bytes_after is None
    done = compact(out, older_than=ALL, now=NOW)
    for name in ("groups_merged", "files_before", "files_after", "files_compacted", "rows"):
        assert getattr(planned, name) == getattr(done, name)


@pytest.mark.parametrize("change", ["footer", "unaudited"])
def test_a_group_that_cannot_merge_is_left_alone_and_reported(out: Path, change: str) -> None:
    groups = _groups(out)
    folder = group = next(g for g, files in groups.items() if len(files) > 1)
    if change == "footer":  # as if another policy had written it
        path = out / groups[group][1]
        table = pq.read_table(path)
        meta = {**table.schema.metadata, b"datamin.policy_sha256": b"0" * 64}
        pq.write_table(table.replace_schema_metadata(meta), path, compression="zstd")
    else:  # a file no run's audit lists
        shutil.copy(out / groups[group][0], out / folder / f"part-{OTHER}-0000009999.parquet")
    kept = {rel: (out / rel).read_bytes() for rel in _groups(out)[group]}

    report = compact(out, older_than=ALL, now=NOW)

    assert len(report.skipped) == 1 and report.skipped[0].startswith(f"{folder}: ")
    assert {rel: (out / rel).read_bytes() for rel in _groups(out)[group]} == kept
    assert report.groups_merged == sum(1 for f in groups.values() if len(f) > 1) - 1


def test_dispose_and_the_output_s_other_readers_after_compaction(out: Path) -> None:
    from datamin.output.identity import tokenized
    from datamin.output.keycheck import recorded_key
    from datamin.output.quarantine import quarantine_summary

    key = recorded_key(OutputLayout(str(out)))
    quarantined = [q.entries for q in quarantine_summary(out)]
    total = sum(len(r) for r in _rows_by_group(out).values())
    report = compact(out, older_than=ALL, now=NOW)
    layout = OutputLayout(str(out))
    assert layout.policy_of_run(report.run_id) is None  # no policy: nothing to read there
    assert recorded_key(layout) == key and not tokenized(layout)
    assert [q.entries for q in quarantine_summary(out)] == quarantined
    assert dispose(out, NOW).verified
    gone = dispose(out, NOW + timedelta(days=400))  # by the retention in each footer
    assert gone.verified and _files(out) == []
    assert sum(t.rows for t in gone.disposed.values()) == total


# -- stopped mid-way -------------------------------------------------------------------------------


def _kill_at(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    monkeypatch.setattr(commit, "discard_run", lambda *a: None)  # a kill runs no clean-up
    if where == "intent":

        def write_intent(*args: Any) -> None:
            raise Killed

        monkeypatch.setattr(commit, "write_intent", write_intent)
    elif where == "move":
        real_move = commit.move_file

        def move_file(*args: Any) -> None:
            real_move(*args)
            raise Killed  # after the first move

        monkeypatch.setattr(commit, "move_file", move_file)
    else:

        def delete_file(*args: Any) -> None:
            raise Killed  # the audit is written; the first deletion dies

        monkeypatch.setattr(commit, "delete_file", delete_file)


@pytest.mark.parametrize("by", ["compact", "dispose"])
@pytest.mark.parametrize("where", ["move", "delete"])
def test_a_compaction_stopped_after_its_intent_is_completed_by_the_next_writer(
    out: Path, where: str, by: str
) -> None:
    groups, rows = _groups(out), _rows_by_group(out)
    with pytest.MonkeyPatch.context() as patch:
        _kill_at(patch, where)
        with pytest.raises(Killed):
            compact(out, older_than=ALL, now=NOW)
    (intent,) = (out / "_audit" / "commits").glob("*.json")
    run_id = intent.stem
    assert any("did not finish" in p for p in verify(out, NOW))

    if by == "compact":
        again = compact(out, older_than=ALL, now=NOW)
        assert again.runs_completed == [run_id] and again.groups_merged == 0
    else:
        assert dispose(out, NOW).runs_completed == [run_id]

    assert _groups(out) == {g: files[:1] for g, files in groups.items()}
    assert _rows_by_group(out) == rows
    assert _audits(out)[run_id]["kind"] == "compact"
    assert verify(out, NOW) == []
    assert not (out / "_staging").exists()


def test_a_compaction_stopped_before_its_intent_leaves_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, rows = {rel: (out / rel).read_bytes() for rel in _files(out)}, _rows_by_group(out)
    audits = set(_audits(out))
    with pytest.MonkeyPatch.context() as patch:
        _kill_at(patch, "intent")
        with pytest.raises(Killed):
            compact(out, older_than=ALL, now=NOW)
    assert {rel: (out / rel).read_bytes() for rel in _files(out)} == files  # nothing visible
    assert set(_audits(out)) == audits and (out / "_staging").is_dir()

    report = compact(out, older_than=ALL, now=NOW)  # its staging area goes; this one commits
    assert report.runs_completed == [] and report.groups_merged > 0
    assert _rows_by_group(out) == rows and verify(out, NOW) == []


def test_a_write_error_is_one_line_and_leaves_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {rel: (out / rel).read_bytes() for rel in _files(out)}

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commit, "prepare", full)
    with pytest.raises(OutputError, match="No space left on device"):
        compact(out, older_than=ALL, now=NOW)
    assert {rel: (out / rel).read_bytes() for rel in _files(out)} == before
    assert not (out / "_staging").exists()
    assert not list((out / "_audit" / "commits").glob("*.json"))


# -- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["data file", "staging", "partition"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_link_inside_the_output_is_never_followed(
    out: Path, tmp_path: Path, where: str, dry_run: bool
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    groups = _groups(out)
    folder = next(g for g, files in groups.items() if len(files) > 1)
    if where == "data file":  # a file of a partition to merge, planted as a link
        shutil.copy(out / groups[folder][0], outside / "x.parquet")
        os.symlink(outside / "x.parquet", out / folder / f"part-{OTHER}-0000000099.parquet")
    elif where == "staging":  # where the merged files would be written
        os.symlink(outside, out / "_staging")
    else:  # a whole date partition
        shutil.copytree(out / folder, outside / "day")
        os.symlink(outside / "day", out / folder.rsplit("/", 1)[0] / "date=2026-03-09")
    before, away = _snapshot(out), _snapshot(outside)
    with pytest.raises(OutputError, match="is a link"):
        compact(out, older_than=ALL, dry_run=dry_run, now=NOW)
    assert _snapshot(out) == before and _snapshot(outside) == away


# -- a stream's batches, made by hand --------------------------------------------------------------

STREAM = "5e5e5e5e5e5e5e5e"
FOLDER = "data/retention=short/date=2026-03-01"


def _note(marker: str, n: int) -> str:
    """A value that compresses as little together as apart, so merged sizes add up."""
    return marker + hashlib.sha256(str(n).encode()).hexdigest()


def make_stream_output(out: Path, batches: int, rows: int, marker: str = "x") -> list[str]:
    """An output a stream wrote: one file of `rows` rows per batch, each batch its own run with
    its own run id in the footer, as `datamin stream` commits them. Returns the files."""
    sha = hashlib.sha256(b"policy").hexdigest()
    (out / FOLDER).mkdir(parents=True)
    (out / "_audit" / "runs").mkdir(parents=True)
    files = []
    for b in range(batches):
        run_id = f"20260301T1000{b:02d}Z-abcd{b:02d}"
        first = b * rows + 1
        rel = f"{FOLDER}/part-{STREAM}-{first:010d}.parquet"
        metadata = {
            "datamin.version": "0.1.0",
            "datamin.policy": "streamed",
            "datamin.policy_sha256": sha,
            "datamin.retention_class": "short",
            "datamin.retention": "7d",
            "datamin.run_id": run_id,
        }
        schema = pa.schema(
            [
                pa.field("record_id", pa.string(), nullable=False),
                pa.field("n", pa.int64()),
                pa.field("fields", pa.map_(pa.string(), pa.string())),
            ],
            metadata=metadata,
        )
        ns = range(first, first + rows)
        table = pa.Table.from_pylist(
            [{"record_id": f"r{n}", "n": n, "fields": [("note", _note(marker, n))]} for n in ns],
            schema=schema,
        )
        pq.write_table(table, out / rel, compression="zstd")
        audit = {
            "run_id": run_id,
            "kind": "stream",
            "stream": {"source_id": STREAM, "first": first, "last": first + rows - 1},
            "files_written": [rel],
            "rows_by_file": {rel: rows},
            "files_replaced": 0,
        }
        (out / "_audit" / "runs" / f"{run_id}.json").write_text(json.dumps(audit))
        files.append(rel)
    return files


def _without_run(metadata: dict[bytes, bytes]) -> dict[bytes, bytes]:
    """Footer metadata but the run id (and the stored Arrow schema, which repeats it)."""
    return {k: v for k, v in metadata.items() if k not in (b"datamin.run_id", b"ARROW:schema")}


def _data_bytes(path: Path) -> int:
    meta = pq.read_metadata(path)
    return sum(
        meta.row_group(i).column(j).total_compressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.num_columns)
    )


def test_a_stream_s_batches_merge_and_the_merged_file_names_the_compaction(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = make_stream_output(out, batches=6, rows=5)
    rows = [r for rel in files for r in _rows(out / rel)]
    footer, schema = pq.read_metadata(out / files[0]).metadata, pq.read_schema(out / files[0])
    problems = verify(out, NOW)

    report = compact(out, older_than=ALL, now=NOW)

    assert (report.groups_merged, report.files_compacted, report.files_after) == (1, 6, 1)
    assert _files(out) == files[:1] and _rows(out / files[0]) == rows
    merged = pq.read_metadata(out / files[0]).metadata
    # Several runs' rows: the footer names the compaction, whose audit records the file (and
    # the Arrow schema stored in the footer, which holds the same keys, says so too).
    assert merged[b"datamin.run_id"] == report.run_id.encode()
    assert _without_run(merged) == _without_run(footer)
    after = pq.read_schema(out / files[0])
    assert after.equals(schema) and _without_run(after.metadata) == _without_run(schema.metadata)
    assert verify(out, NOW) == problems == []


def test_the_target_size_bounds_merged_files_and_a_second_compaction_does_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    files = make_stream_output(out, batches=7, rows=300)
    rows = [r for rel in files for r in _rows(out / rel)]
    sizes = [_data_bytes(out / rel) for rel in files]
    target = 2 * max(sizes) + min(sizes) // 2  # two files fit, three do not

    report = compact(out, older_than=ALL, target_size=target, now=NOW)

    # Pairs in name order, the seventh file alone (nothing to merge it with): left as it was.
    assert _files(out) == [files[0], files[2], files[4], files[6]]
    assert (report.files_compacted, report.files_written) == (6, 3)
    assert [r for rel in _files(out) for r in _rows(out / rel)] == rows
    assert verify(out, NOW) == []
    snapshot = _snapshot(out)
    assert compact(out, older_than=ALL, target_size=target, now=NOW).groups_merged == 0
    assert _snapshot(out) == snapshot
    # A target below every file's half leaves everything as it is.
    assert compact(out, older_than=ALL, target_size=1, now=NOW).files_compacted == 0


def test_merged_files_have_whole_row_groups(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = make_stream_output(out, batches=3, rows=4_000)
    rows = [r for rel in files for r in _rows(out / rel)]
    compact(out, older_than=ALL, now=NOW)
    meta = pq.read_metadata(out / files[0])
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [parquet_sink.ROW_GROUP_ROWS, 2_000] and _rows(out / files[0]) == rows


def test_a_run_id_ahead_of_the_clock_is_not_waited_for_and_its_files_stay(
    tmp_path: Path, pause: None
) -> None:
    """The newest audit listing a file is its audit of record: a compaction's own must sort
    after those of the files it merges."""
    out = tmp_path / "out"
    files = make_stream_output(out, batches=3, rows=2)
    runs = out / "_audit" / "runs"
    ahead = "29990101T000000Z-abcd02"
    audit = json.loads((runs / "20260301T100002Z-abcd02.json").read_text())
    (runs / "20260301T100002Z-abcd02.json").unlink()
    (runs / f"{ahead}.json").write_text(json.dumps({**audit, "run_id": ahead}))
    started = time.monotonic()
    report = compact(out, older_than=ALL, now=NOW)
    assert time.monotonic() - started < 5
    assert report.skipped == [f"{FOLDER}: a file of a run whose id sorts after this compaction's"]
    assert _files(out) == files


def test_a_compaction_s_run_id_sorts_between_the_runs_before_and_after_it(
    tmp_path: Path, pause: None
) -> None:
    """Run ids sort by time to the second, and the newest audit listing a file is its audit of
    record: a compaction shares a second with neither the run before it nor the one after."""
    out = tmp_path / "out"
    make_stream_output(out, batches=2, rows=2)
    runs = out / "_audit" / "runs"
    just_now = new_run_id(datetime.now(UTC))  # a batch committed this very second
    newest = json.loads((runs / "20260301T100001Z-abcd01.json").read_text())
    (runs / "20260301T100001Z-abcd01.json").unlink()
    (runs / f"{just_now}.json").write_text(json.dumps({**newest, "run_id": just_now}))
    report = compact(out, older_than=ALL, now=NOW)
    after = new_run_id(datetime.now(UTC))  # the next writer, as soon as the lock is free
    assert just_now[:16] < report.run_id[:16] < after[:16]
    assert verify(out, NOW) == []


def test_files_of_another_source_merge_with_a_stream_s_each_source_s_rows_recorded(
    tmp_path: Path,
) -> None:
    """Audits of earlier versions name a file's one source by its name; a merged file's
    manifest entry keeps each source's rows, in order, and the runs they came from."""
    out = tmp_path / "out"
    files = make_stream_output(out, batches=2, rows=3)
    later = "fedcba9876543210"  # another source, whose file's name sorts after the stream's
    other = files[1].replace(STREAM, later)
    os.rename(out / files[1], out / other)
    audit_path = next(p for p in (out / "_audit" / "runs").glob("*.json") if "abcd01" in p.name)
    audit = json.loads(audit_path.read_text())
    audit.update(files_written=[other], rows_by_file={other: 3})
    audit_path.write_text(json.dumps(audit))
    report = compact(out, older_than=ALL, now=NOW)
    assert report.groups_merged == 1 and _files(out) == [files[0]]
    entry = _manifest(out, report.run_id)["files"][files[0]]
    assert entry["segments"] == [[STREAM, 3], [later, 3]]
    runs = {STREAM: ["20260301T100000Z-abcd00"], later: ["20260301T100001Z-abcd01"]}
    assert entry["runs"] == runs and entry["rows"] == 6
    assert verify(out, NOW) == []


# -- arguments -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("128MB", 128 << 20),
        ("512kb", 512 << 10),
        ("1GiB", 1 << 30),
        ("4096", 4096),
        ("3 m", 3 << 20),
    ],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "-1MB", "1.5MB", "12 TB", "big"])
def test_sizes_refused(text: str) -> None:
    with pytest.raises(DataminError, match="--target-size"):
        parse_size(text)


@pytest.mark.parametrize(
    ("text", "length"), [("1h", timedelta(hours=1)), ("7d", timedelta(days=7)), ("0", ALL)]
)
def test_ages(text: str, length: timedelta) -> None:
    assert parse_older_than(text) == length


@pytest.mark.parametrize("text", ["forever", "1m", "an hour", ""])
def test_ages_refused(text: str) -> None:
    with pytest.raises(DataminError, match="--older-than"):
        parse_older_than(text)


@pytest.mark.parametrize("output", ["gs://bucket/out", "s3://bucket/out"])
def test_remote_outputs_are_refused_in_one_line(output: str) -> None:
    with pytest.raises(OutputError, match="local outputs only"):
        compact(output)


def test_a_directory_that_is_no_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(OutputError, match="not a datamin output"):
        compact(tmp_path / "plain")
