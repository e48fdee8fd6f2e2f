"""The scaling benchmark's corpus spreads entries evenly over files (Beam parallelizes by file)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_scaling import write_corpus


def test_entries_are_dealt_round_robin_over_the_files(tmp_path: Path) -> None:
    write_corpus(tmp_path, entries=25, files=4)
    counts = sorted(len(p.read_text().splitlines()) for p in tmp_path.glob("*.jsonl"))
    assert counts == [6, 6, 6, 7]


def test_split_for_processes_apart_gives_every_file_to_one_share(tmp_path: Path) -> None:
    from benchmarks.bench_scaling import split_corpus

    write_corpus(tmp_path / "in", entries=30, files=5)
    folders = split_corpus(tmp_path / "in", 2, tmp_path)
    names = [sorted(p.name for p in f.iterdir()) for f in folders]
    assert sorted(names[0] + names[1]) == sorted(p.name for p in (tmp_path / "in").iterdir())
    assert not set(names[0]) & set(names[1])
    assert [len(n) for n in names] == [3, 2]
    # Linked, not copied: the shares hold the very bytes written.
    first = folders[0] / names[0][0]
    assert first.stat().st_ino == (tmp_path / "in" / names[0][0]).stat().st_ino
