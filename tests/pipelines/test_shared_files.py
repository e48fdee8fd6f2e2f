"""Files of useful size: one per class and date per worker's bundle, holding many sources' rows,
each source's stretch of rows recorded in the run's manifest. A source read again alone replaces
its own rows and keeps the others' (the files it shares are rewritten without it), through the
same staged commit, killed at any step or not; an earlier version's output (a file per source,
files listed inline in the audits) is replaced source by source; a damaged manifest stops a run
that would replace rows it cannot see.

The inputs: three JSON-lines sources over three days; a run over all of them is built once per
module, with a run over one of them staged and stopped before its commit.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from datamin.errors import OutputError
from datamin.output import commit, manifest
from datamin.output.layout import OutputLayout
from datamin.output.replace import plan_commit
from datamin.pipelines import batch
from datamin.pipelines.parquet_sink import StagedFile
from tests.pipelines.test_staged_commit import STEPS, Killed

POLICY = """\
version: 1
name: shared
event_time: [timestamp]
retention:
  default: short
  classes: {short: 7d, long: 30d}
detection:
  ner: false
fields:
  - {path: n, action: keep, column: n, type: int64}
  - {path: status, action: keep, column: status, retention: long}
"""
DAYS = 3
CLASSES = 2


def _write(folder: Path, name: str, first: int, count: int) -> list[int]:
    lines = [
        json.dumps(
            {"timestamp": f"2026-03-0{1 + i % DAYS}T10:00:00Z", "n": first + i, "status": "ok"}
        )
        for i in range(count)
    ]
    (folder / name).write_text("\n".join(lines) + "\n")
    return [first + i for i in range(count)]


@dataclasses.dataclass(frozen=True)
class Built:
    folder: Path  # a1.jsonl, a2.jsonl, b1.jsonl and the policy
    out: Path  # one run over all three
    numbers: dict[str, list[int]]  # each source's `n`s
    staged: Path  # `out`, then a run over a1 alone staged and stopped before its commit
    job: batch.BatchJob
    started: datetime

    @property
    def policy(self) -> Path:
        return self.folder / "p.yaml"

    def source(self, name: str) -> str:
        return str(self.folder / name)

    def every(self) -> list[int]:
        return [n for ns in self.numbers.values() for n in ns]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("shared")
    folder = root / "in"
    folder.mkdir()
    (folder / "p.yaml").write_text(POLICY)
    numbers = {
        name: _write(folder, name, first, 12)
        for name, first in (("a1.jsonl", 0), ("a2.jsonl", 100), ("b1.jsonl", 200))
    }
    out = root / "out"
    batch.run([str(folder / "*.jsonl")], out, folder / "p.yaml")
    staged = root / "staged"
    shutil.copytree(out, staged)
    captured: dict[str, Any] = {}

    def stop(job: batch.BatchJob, started: datetime) -> None:
        captured.update(job=job, started=started)
        raise Killed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "_commit", stop)
        patch.setattr(commit, "discard_run", lambda *a: None)
        with pytest.raises(Killed):
            batch.run([str(folder / "a1.jsonl")], staged, folder / "p.yaml")
    yield Built(folder, out, numbers, staged, captured["job"], captured["started"])


def _copy(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(source, out, symlinks=True)
    return out


def _column(out: Path, cls: str, column: str) -> list[Any]:
    return [
        v
        for f in sorted(out.glob(f"data/retention={cls}/*/*.parquet"))
        for v in pq.read_table(f).column(column).to_pylist()
    ]


def _audits(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text()) for p in sorted(out.glob("_audit/runs/*.json"))]
    return sorted(found, key=lambda a: a["started_at"])


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.glob("data/*/*/*.parquet"))


def assert_once(out: Path, numbers: list[int]) -> None:
    """Every record once per class, every visible file as its manifest records it, nothing
    staged or pending."""
    assert Counter(_column(out, "short", "n")) == Counter(numbers)
    long_ids = _column(out, "long", "record_id")
    assert sorted(long_ids) == sorted(_column(out, "short", "record_id"))
    assert commit.verify_rows(OutputLayout(str(out))) == []
    assert not list(out.glob("_staging/*")) and not list(out.glob("_audit/commits/*"))
    assert not [p for p in out.rglob(".*")]


# -- what a run writes -------------------------------------------------------------------------


def test_one_file_per_class_and_date_holds_every_source(built: Built) -> None:
    [audit] = _audits(built.out)
    files = _files(built.out)
    assert len(files) == audit["files_written"] == CLASSES * DAYS  # 18 files before: 3 sources
    assert "rows_by_file" not in audit and audit["files_rewritten"] == 0
    listed = manifest.read(OutputLayout(str(built.out)), audit)
    assert sorted(listed.files) == files and listed.removed == () and not listed.rewritten
    for rel, entry in listed.files.items():
        assert len(entry.sources) == 3
        assert entry.runs == {s: {audit["run_id"]} for s in entry.sources}
        assert entry.rows == pq.read_metadata(built.out / rel).num_rows == 12 // DAYS * 3
        # each source's rows together, in the segments' order (by source key)
        assert [s for s, _ in entry.segments] == sorted(entry.sources)
    assert audit["manifest"] == f"_audit/manifests/{audit['run_id']}.json"
    assert_once(built.out, built.every())


def test_two_workers_write_at_most_a_file_per_class_date_and_worker(
    built: Built, tmp_path: Path
) -> None:
    result = batch.run([str(built.folder / "*.jsonl")], tmp_path / "out", built.policy, workers=2)
    assert len(_files(tmp_path / "out")) == len(result.audit["files_written"])
    assert len(_files(tmp_path / "out")) <= CLASSES * DAYS * 2
    assert_once(tmp_path / "out", built.every())


# -- a source read again alone ---------------------------------------------------------------


def test_a_source_read_again_alone_keeps_the_others_rows_in_the_files_they_share(
    built: Built, tmp_path: Path
) -> None:
    out = _copy(built.out, tmp_path)
    [first] = _audits(out)
    ids = zip(_column(out, "short", "n"), _column(out, "short", "record_id"), strict=True)
    others = {(n, rid) for n, rid in ids if n >= 100}
    result = batch.run([built.source("a1.jsonl")], out, built.policy)
    assert_once(out, built.every())
    audit = _audits(out)[-1]
    assert audit["files_written"] == audit["files_rewritten"] == CLASSES * DAYS
    assert audit["files_replaced"] == CLASSES * DAYS  # rewritten, none deleted
    listed = manifest.read(OutputLayout(str(out)), audit)
    [a1] = {s for e in listed.files.values() for s in e.sources}
    assert sorted(listed.rewritten) == sorted(manifest.read(OutputLayout(str(out)), first).files)
    for entry in listed.rewritten.values():
        assert a1 not in entry.sources and len(entry.sources) == 2
        assert set(entry.runs.values()) == {frozenset({first["run_id"]})}  # whose rows they are
    # The other sources' rows are the same rows (copied, not minimized again: same record ids).
    kept = zip(_column(out, "short", "n"), _column(out, "short", "record_id"), strict=True)
    assert {(n, rid) for n, rid in kept if n >= 100} == others
    assert len(result.audit["files_written"]) == CLASSES * DAYS


def test_a_grown_source_replaces_its_earlier_rows_in_shared_files(
    built: Built, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(built.folder, folder)
    out = tmp_path / "out"
    batch.run([str(folder / "*.jsonl")], out, built.policy)
    grown = _write(folder, "a1.jsonl", 0, 15)  # three more lines
    audit = batch.run([str(folder / "a1.jsonl")], out, built.policy).audit
    assert audit["files_replaced"] > 0
    assert_once(out, grown + built.numbers["a2.jsonl"] + built.numbers["b1.jsonl"])


def test_a_run_of_every_source_again_replaces_the_files_whole(built: Built, tmp_path: Path) -> None:
    out = _copy(built.out, tmp_path)
    before = _files(out)
    result = batch.run([str(built.folder / "*.jsonl")], out, built.policy)
    assert _files(out) == before  # the same sources, written the same way: the same names
    assert result.audit["files_replaced"] == 0  # overwritten in place, none rewritten
    assert_once(out, built.every())


# -- a commit with rewrites, stopped at every step -------------------------------------------------


# Every earlier file holds a2's and b1's rows too: rewritten, none deleted (no deletion to stop).
@pytest.mark.parametrize("step", [s for s in STEPS if s != "while-deleting"])
def test_a_commit_with_rewrites_killed_at_any_step_is_settled_by_the_next_run(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    out = _copy(built.staged, tmp_path)
    job = dataclasses.replace(built.job, layout=OutputLayout(str(out)))
    summary = Path(job.layout.run_summary(job.run_id))
    summary.write_text(summary.read_text().replace(str(built.staged), str(out)))
    seen: dict[str, int] = {}
    with monkeypatch.context() as patch:
        STEPS[step][0](patch, seen)
        with pytest.raises(Killed):
            batch._commit(job, built.started)
    if not STEPS[step][1]:
        assert commit.verify_rows(OutputLayout(str(out))) == []  # nothing of it visible
    batch.run([built.source("b1.jsonl")], out, built.policy)  # a source whose files it shares
    assert_once(out, built.every())
    assert (job.run_id in {a["run_id"] for a in _audits(out)}) == STEPS[step][1]


# -- an output an earlier version wrote ---------------------------------------------------------


def _as_earlier_version(out: Path) -> None:
    """Audits as earlier versions wrote them: files listed inline with their rows, no manifest
    (each file here holds one source, named by it, as every file was then)."""
    layout = OutputLayout(str(out))
    for path in sorted(out.glob("_audit/runs/*.json")):
        audit = json.loads(path.read_text())
        files = manifest.read(layout, audit).files
        assert all(len(e.sources) == 1 for e in files.values())
        for key in ("manifest", "manifest_sha256", "files_rewritten"):
            del audit[key]
        audit["files_written"] = sorted(files)
        audit["rows_by_file"] = {rel: e.rows for rel, e in files.items()}
        path.write_text(json.dumps(audit))
    shutil.rmtree(out / "_audit" / "manifests")


@pytest.fixture(scope="module")
def earlier(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "out"
    for name in built.numbers:  # one source per run: files named by their one source
        batch.run([built.source(name)], out, built.policy)
    _as_earlier_version(out)
    assert commit.verify_rows(OutputLayout(str(out))) == []
    return out


@pytest.mark.parametrize("again", [["a1.jsonl"], ["a1.jsonl", "a2.jsonl", "b1.jsonl"]])
def test_an_earlier_version_s_output_is_replaced_source_by_source(
    built: Built, earlier: Path, tmp_path: Path, again: list[str]
) -> None:
    out = _copy(earlier, tmp_path)
    before = _files(out)
    [a1] = [e["content_id"] for e in _audits(out)[0]["inputs"]]  # the first run read a1
    result = batch.run([built.source(n) for n in again], out, built.policy)
    assert_once(out, built.every())
    after = set(_files(out))
    assert _audits(out)[-1]["files_rewritten"] == 0  # an earlier version's file: one source
    if len(again) == 1:  # the others' files stay as they were; a1's go, its new ones come
        assert after == {rel for rel in before if manifest.name_source(rel) != a1} | set(
            result.audit["files_written"]
        )
    else:  # every earlier file replaced
        assert after == set(result.audit["files_written"])


# -- failing closed -------------------------------------------------------------------------------


def test_a_damaged_manifest_stops_a_run_that_would_replace_rows(
    built: Built, tmp_path: Path
) -> None:
    out = _copy(built.out, tmp_path)
    [path] = out.glob("_audit/manifests/*.json")
    path.write_bytes(path.read_bytes().replace(b'"rows":', b'"rows" :', 1))
    before = {rel: (out / rel).read_bytes() for rel in _files(out)}
    with pytest.raises(OutputError, match="not the manifest") as raised:
        batch.run([built.source("a1.jsonl")], out, built.policy)
    assert "\n" not in str(raised.value)
    assert {rel: (out / rel).read_bytes() for rel in _files(out)} == before


def test_a_staged_name_taken_by_a_file_it_does_not_replace_is_renamed(
    built: Built, tmp_path: Path
) -> None:
    """A file of the run may not overwrite one it does not replace whole (a stream whose
    positions started again, say): it is moved in under the next free name."""
    out = _copy(built.out, tmp_path)
    layout = OutputLayout(str(out))
    rel = _files(out)[0]
    staged = Path(layout.staging("20260301T000000Z-aaaaaa").join(rel))
    staged.parent.mkdir(parents=True)
    shutil.copy(out / rel, staged)
    rows = pq.read_metadata(staged).num_rows
    files = [StagedFile(str(staged), rows, (("0123456789abcdef", rows),))]
    cls = rel.split("/")[1].removeprefix("retention=")
    plan = plan_commit(layout, "20260301T000000Z-aaaaaa", files, {cls: rows})
    [moved] = plan.moves
    assert moved == rel.replace(".parquet", "-1.parquet") and not plan.delete
    assert Path(layout.staging("20260301T000000Z-aaaaaa").join(moved)).is_file()


def test_a_remote_output_rewrites_shared_files_as_a_local_one(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through Beam's filesystems only (`fake://`, as `gs://`): listing, rewriting, moving."""
    import fakefs  # registers the `fake://` scheme with Beam

    monkeypatch.setattr(fakefs, "ROOT", str(tmp_path))
    batch.run([str(built.folder / "*.jsonl")], "fake://out", built.policy)
    audit = batch.run([built.source("a1.jsonl")], "fake://out", built.policy).audit
    assert len(audit["files_written"]) == CLASSES * DAYS
    assert_once(tmp_path / "out", built.every())
    assert _audits(tmp_path / "out")[-1]["files_rewritten"] == CLASSES * DAYS
