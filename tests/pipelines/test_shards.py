"""`--workers N` on the local runner: the sources dealt into shares, one pipeline each (the
first in this process, the rest in child processes started ahead), one commit. A sharded run
writes what a single-worker run writes, counts the same, leaves no summary, child or temporary
file behind, and spare children end when the run does."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datamin.core.stats import Stats
from datamin.errors import DataminError
from datamin.formats.inputs import named_files
from datamin.output.sources import Source
from datamin.pipelines import batch, shards

POLICY = """\
version: 1
name: shares
event_time: [timestamp]
retention:
  default: short
  classes: {short: 7d, long: 30d}
detection:
  ner: false
fields:
  - {path: n, action: keep, column: n, type: int64}
  - {path: note, action: redact, column: note, retention: long}
"""
DAYS, CLASSES = 3, 2


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=30), st.integers(1, 5))
def test_shares_hold_every_source_once_and_about_equal_sizes(sizes: list[int], n: int) -> None:
    sources = [Source(f"/in/f{i:02d}", f"k{i}") for i in range(len(sizes))]
    size = {s.path: b for s, b in zip(sources, sizes, strict=True)}.__getitem__
    dealt = shards.deal(sources, n, size)
    assert len(dealt) == min(n, len(sources)) and all(dealt)
    assert sorted(s.path for share in dealt for s in share) == [s.path for s in sources]
    assert all(list(share) == sorted(share, key=lambda s: s.path) for share in dealt)
    totals = [sum(max(size(s.path), 1) for s in share) for share in dealt]
    if totals:  # largest first to the lightest: no two shares differ by more than one file
        assert max(totals) - min(totals) <= max(max(sizes), 1)


def test_a_summarys_counts_read_back_merge_as_the_counts_themselves() -> None:
    a, b = Stats(records_in=3, records_written=2, records_quarantined=1), Stats(records_in=2)
    a.findings.update({"EMAIL_ADDRESS\tbody.to": 2, "PHONE_NUMBER\tq": 1})
    a.quarantine_errors["InputError"] += 1
    a.rows.update({"short": 2, "long": 2})
    b.records_dropped = 2
    b.findings["EMAIL_ADDRESS\tbody.to"] += 5
    merged = Stats.from_dict(a.to_dict()).merge(Stats.from_dict(b.to_dict()))
    assert merged == Stats().merge(a).merge(b) and merged.balanced()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "p.yaml").write_text(POLICY)
    for s in range(5):
        lines = [
            json.dumps(
                {
                    "timestamp": f"2026-03-0{1 + i % DAYS}T10:00:00Z",
                    "n": s * 100 + i,
                    "note": f"call +1 415 555 01{i:02d} or mail u{s}x{i}@example.org",
                }
            )
            for i in range(12)
        ]
        lines.insert(4, "{not json")  # one quarantined per source
        (folder / f"in-{s}.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path


def _rows(out: Path) -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for f in out.glob("data/*/*/*.parquet"):
        table = pq.read_table(f)
        for row in table.drop_columns(["record_id"]).to_pylist():
            found[(f.parent.parent.name, f.parent.name, json.dumps(row, sort_keys=True))] += 1
    return found


def test_two_shares_write_and_count_what_one_worker_does(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = corpus / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    pattern, policy = str(corpus / "in" / "*.jsonl"), corpus / "p.yaml"
    one = batch.run([pattern], corpus / "one", policy)
    seen: list[tuple[int, int, int]] = []
    two = batch.run(
        [pattern], corpus / "two", policy, workers=2, on_progress=lambda *p: seen.append(p)
    )
    keep = ("records_in", "records_written", "records_quarantined", "findings_by_entity")
    assert {k: two.audit[k] for k in keep} == {k: one.audit[k] for k in keep}
    assert two.audit["records_in"] == 65 and two.audit["records_quarantined"] == 5
    assert _rows(corpus / "two") == _rows(corpus / "one") and sum(_rows(corpus / "one").values())
    # each share wrote its own file per class and date: both shares ran
    written = list((corpus / "two").glob("data/*/*/*.parquet"))
    assert len(written) == len(two.audit["files_written"]) == CLASSES * DAYS * 2
    records, read, total = seen[-1]  # every share's progress counted
    assert records == 65 and read == total > 0
    assert not [p for p in (corpus / "two").rglob(".*")]  # no summary of a share left
    assert not list((corpus / "two").glob("_staging/*"))
    assert not list(private.iterdir())  # the children's temporary folders went with the run's


def test_spare_children_end_with_the_run_whether_given_a_share_or_not(corpus: Path) -> None:
    pattern, policy = str(corpus / "in" / "in-[01].jsonl"), corpus / "p.yaml"
    with shards.Spares(3) as spares:  # two sources: one share for a child, two left idle
        children = list(spares.idle)
        result = batch.run([pattern], corpus / "out", policy, workers=4, spares=spares)
        assert len(spares.idle) == 2
    assert result.audit["records_in"] == 26
    assert [c.returncode for c in children] == [0, 0, 0]


def test_a_runner_chosen_in_beams_options_gets_no_children() -> None:
    assert shards.spares_for(4, ["--runner=DirectRunner"]) == 0
    assert shards.spares_for(4, ["--temp_location=/tmp/x"]) == 3
    assert shards.spares_for(1, []) == 0


def test_no_more_children_than_sources_beyond_the_first(tmp_path: Path) -> None:
    one, two = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    one.write_text("{}\n")
    two.write_text("{}\n")
    assert named_files([str(one)]) == 1 and named_files([one, two]) == 2
    assert named_files([str(tmp_path)]) is None  # a directory: known once listed
    assert named_files([str(tmp_path / "*.jsonl")]) is None
    assert named_files(["-"]) is None
    assert shards.spares_for(4, [], 1) == 0  # one file: Beam's own workers share it
    assert shards.spares_for(4, [], 2) == 1
    assert shards.spares_for(4, [], None) == 3
    assert batch.local_shares([Source("/a", "k")], 2, []) is None  # one source: Beam's workers


def test_a_library_run_starts_children_for_its_named_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count `batch.run` asks for as it starts (the policy then fails to load: no run)."""
    asked: list[int] = []
    real = shards.Spares.__init__

    def spy(self: shards.Spares, count: int) -> None:
        asked.append(count)
        real(self, count)

    monkeypatch.setattr(shards.Spares, "__init__", spy)
    files = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for f in files:
        f.write_text("{}\n")
    policy = tmp_path / "broken.yaml"
    policy.write_text("version: [\n")
    for inputs, expected in (([files[0]], 0), (files, 1), ([tmp_path], 2)):
        with pytest.raises(DataminError):
            batch.run([str(p) for p in inputs], tmp_path / "out", policy, workers=3)
        assert asked.pop() == expected


def test_a_childs_report_is_the_error_or_its_class_never_a_traceback() -> None:
    import pickle

    class Unpicklable(DataminError):
        def __init__(self) -> None:
            super().__init__("safe text")
            self.hook = lambda: None  # a lambda cannot be pickled

    assert pickle.loads(shards._report(Unpicklable())) == ("other", "Unpicklable")
    kind, error = pickle.loads(shards._report(DataminError("safe text")))
    assert kind == "datamin" and str(error) == "safe text"
    assert pickle.loads(shards._report(ValueError("a planted value"))) == ("other", "ValueError")
