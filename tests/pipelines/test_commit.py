"""What a run may delete: only its own sources' earlier files in its own output, whatever the
spelling of the paths it is given."""

from __future__ import annotations

import json
import shutil
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
