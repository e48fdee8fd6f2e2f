"""A source's quarantine is bounded: past 1,000 entries the rest is one counted summary entry,
every record still counted (audit and `datamin quarantine list`); raw copies bounded too."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from datamin.core.minimize import Quarantined
from datamin.output.quarantine import quarantine_summary
from datamin.output.rawquarantine import RAW_DIR, RawKeySource, read_raw_file
from datamin.pipelines import batch
from datamin.pipelines.quarantine_sink import MAX_ENTRIES_PER_SOURCE, QuarantineSink

POLICY = """\
version: 1
name: bounded
default_action: scan
retention: {default: short, classes: {short: 30d}}
"""
RUN = "20260301T120000Z-1a2b3c"


def plain_entries(out: Path, files: list[str]) -> list[dict]:
    return [
        json.loads(line)
        for f in files
        if f.startswith("_quarantine/")
        for line in (out / f).read_text().splitlines()
    ]


def test_a_million_bad_lines_would_be_one_thousand_entries_and_a_count(tmp_path: Path) -> None:
    bad = 1_500
    source = tmp_path / "bad.jsonl.gz"
    good = b'{"note": "fine"}\n'
    source.write_bytes(gzip.compress(good + b"not json at all\n" * bad + b"[1]\n" * 20))
    other = tmp_path / "other.jsonl"
    other.write_bytes(b"nope\n" * 3)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    out = tmp_path / "out"
    audit = batch.run([str(source), str(other)], out, policy).audit
    assert audit["records_in"] == 1 + bad + 20 + 3
    assert audit["records_quarantined"] == bad + 20 + 3  # every one, summarized or not
    assert audit["records_in"] == audit["records_written"] + audit["records_quarantined"]

    entries = plain_entries(out, audit["quarantine_files"])
    per_source = Counter(e["source_id"] for e in entries)
    summaries = [e for e in entries if "more" in e]
    assert len(summaries) == 1 and len(entries) == MAX_ENTRIES_PER_SOURCE + 1 + 3
    summary = summaries[0]
    assert summary["more"] == bad + 20 - MAX_ENTRIES_PER_SOURCE - 1
    assert sum(summary["more_by_error"].values()) == summary["more"]
    assert len(summary["more_by_error"]) == 2  # not JSON, and a record that is not an object
    assert set(summary) == {"source", "source_id", "index", "error", "raw_hmac", "more",
                            "more_by_error"}  # fmt: skip
    assert "not json" not in json.dumps(entries)
    assert sorted(per_source.values()) == [3, MAX_ENTRIES_PER_SOURCE + 1]

    (run,) = quarantine_summary(out)
    assert run.entries == audit["records_quarantined"]
    assert sum(run.by_error.values()) == audit["records_quarantined"]
    assert run.by_error["InputError: a record must be a JSON object, not an array"] == 20


def entry(
    source: str, index: int, raw: bytes = b"x", error: str = "InputError: not JSON"
) -> Quarantined:
    return Quarantined(source, index, error, "h" * 16, raw, None, "shape", "id-" + source)


def test_the_sink_bounds_entries_and_raw_bytes_per_source(tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    key = RawKeySource(str(key_file)).load()
    sink = QuarantineSink(str(out), RUN, key, max_entries=5, max_raw_bytes=10)
    for i in range(12):
        sink.add(entry("a", i, raw=b"0123"))
    sink.add(entry("b", 0, error="LimitExceeded: record larger than the limit"))
    paths = sink.finish()
    # A second bundle: the source is still past its bound, counted in a summary of its own.
    for i in range(12, 15):
        sink.add(entry("a", i))
    paths += sink.finish()
    plain = [json.loads(line) for p in paths if p.endswith(".jsonl") for line in open(p)]
    assert [e["index"] for e in plain if e["source_id"] == "id-a"] == [0, 1, 2, 3, 4, 5, 12]
    assert [e.get("more") for e in plain if e["source_id"] == "id-a"] == [None] * 5 + [6, 2]
    assert sum(1 + e.get("more", 0) for e in plain) == 16

    raw = [e for p in paths if p.endswith(".dmq") for e in read_raw_file(p, key)]
    assert [(e.source, e.index, e.raw) for e in raw] == [
        ("a", 0, b"0123"),
        ("a", 1, b"0123"),
        ("a", 2, b""),  # past 10 bytes of source a: counted, its bytes not kept
        ("a", 3, b""),
        ("a", 4, b""),
        ("b", 0, b"x"),
    ]
    assert all(Path(p).parent.parent.name in ("_quarantine", RAW_DIR) for p in paths)


def test_entries_are_on_disk_before_the_bundle_ends(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    sink = QuarantineSink(str(out), RUN, None)
    sink.add(entry("a", 1))
    sink._plain.flush()  # type: ignore[union-attr]
    assert Path(sink.temp).read_bytes().count(b"\n") == 1
    sink.abort()
    assert not Path(sink.temp).exists()
