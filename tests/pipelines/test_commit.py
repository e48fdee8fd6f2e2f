"""What a run may delete: only its own sources' earlier files in its own output, whatever the
spelling of the paths it is given."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from datamin.core.records import source_shape
from datamin.errors import OutputError
from datamin.pipelines import batch
from datamin.policies import bundled

CASES = Path(__file__).parent / "cases"


def rows(out: Path) -> int:
    return ds.dataset(out / "data", format="parquet", partitioning="hive").count_rows()


def test_the_same_file_named_two_ways_is_one_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CASES / "messages.jsonl", folder / "m.jsonl")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    first = batch.run(["in/m.jsonl"], out, bundled("redact_only")).audit
    once = rows(out)
    # Absolute, `./`-relative and both at once: the same file, so the same output files.
    again = batch.run([str(folder / "m.jsonl"), "./in/m.jsonl"], out, bundled("redact_only"))
    assert first["inputs"] == again.audit["inputs"]
    [named] = first["inputs"]  # one source, named by shape and keyed hash, not by its path
    assert named["source"] == source_shape(str(folder / "m.jsonl"))
    assert "m.jsonl" not in json.dumps(first["inputs"])
    assert again.audit["records_in"] == first["records_in"]
    assert rows(out) == once


@pytest.mark.parametrize("name", ["out?", "out*", "out[x]"])
def test_an_output_path_with_pattern_characters_is_refused(tmp_path: Path, name: str) -> None:
    other = tmp_path / "outx"
    batch.run([str(CASES / "messages.jsonl")], other, bundled("redact_only"))
    before = rows(other)
    with pytest.raises(OutputError, match="must not hold"):
        batch.run([str(CASES / "messages.jsonl")], tmp_path / name, bundled("redact_only"))
    assert rows(other) == before


def test_a_linked_quarantine_folder_is_never_deleted_through(tmp_path: Path) -> None:
    a, b = tmp_path / "outA", tmp_path / "outB"
    run_a = batch.run([str(CASES / "bad-lines.jsonl")], a, bundled("redact_only"))
    assert (a / "_quarantine" / run_a.run_id).is_dir()
    b.mkdir()
    (b / "_quarantine").symlink_to(a / "_quarantine")
    # A link where the run's own folder goes is refused before anything is written.
    with pytest.raises(OutputError, match="_quarantine is a link"):
        batch.run([str(CASES / "messages.jsonl")], b, bundled("redact_only"))
    assert (a / "_quarantine" / run_a.run_id).is_dir()  # outA's committed quarantine stays
    assert sorted(p.name for p in b.iterdir()) == ["_lock", "_quarantine"]


# -- a source is its content ----------------------------------------------------------------


def _link(folder: Path, tmp: Path) -> str:
    (tmp / "linked").symlink_to(folder, target_is_directory=True)
    return str(tmp / "linked" / "m.jsonl")


def _copy(folder: Path, tmp: Path) -> str:
    (tmp / "copy").mkdir()
    return str(shutil.copy(folder / "m.jsonl", tmp / "copy" / "renamed.jsonl"))


def _move(folder: Path, tmp: Path) -> str:
    return str(folder.rename(tmp / "moved") / "m.jsonl")


@pytest.mark.parametrize("elsewhere", [_link, _copy, _move], ids=["symlinked", "copied", "moved"])
def test_the_same_content_under_another_path_adds_no_rows(
    tmp_path: Path, elsewhere: Callable[[Path, Path], str]
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(CASES / "messages.jsonl", folder / "m.jsonl")
    out = tmp_path / "out"
    first = batch.run([str(folder / "m.jsonl")], out, bundled("redact_only")).audit
    files = sorted(p.relative_to(out) for p in out.glob("data/*/*/*.parquet"))
    once = rows(out)
    again = batch.run([elsewhere(folder, tmp_path)], out, bundled("redact_only")).audit
    assert rows(out) == once and again["records_written"] == first["records_written"]
    assert sorted(p.relative_to(out) for p in out.glob("data/*/*/*.parquet")) == files
    [before], [after] = first["inputs"], again["inputs"]
    assert before["content_id"] == after["content_id"] and len(after["content_id"]) == 16
    assert before["source_id"] != after["source_id"]  # the path's own hash still tells them apart


def test_two_paths_with_the_same_content_are_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CASES / "messages.jsonl", folder / "a.jsonl")
    shutil.copy(CASES / "messages.jsonl", folder / "b.jsonl")
    out = tmp_path / "out"
    both = batch.run([str(folder / "*.jsonl")], out, bundled("redact_only")).audit
    one = batch.run([str(folder / "a.jsonl")], tmp_path / "one", bundled("redact_only")).audit
    assert both["records_in"] == one["records_in"] and rows(out) == rows(tmp_path / "one")
    a, b = both["inputs"]
    assert a["content_id"] == b["content_id"] and "read" not in a and b["read"] is False
    digest = hashlib.sha256((folder / "a.jsonl").read_bytes()).hexdigest()
    assert digest not in json.dumps(both) and digest[:32] != a["content_id"]  # keyed, not raw
