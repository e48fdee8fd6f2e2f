"""The scaling benchmark's corpus spreads entries evenly over files (Beam parallelizes by file)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_scaling import write_corpus


def test_entries_are_dealt_round_robin_over_the_files(tmp_path: Path) -> None:
    write_corpus(tmp_path, entries=25, files=4)
    counts = sorted(len(p.read_text().splitlines()) for p in tmp_path.glob("*.jsonl"))
    assert counts == [6, 6, 6, 7]
