"""Input paths as they come: a file name that is not UTF-8 is one source among the others, and
an output inside an input folder is not read back."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from datamin.core.records import carried_path, disk_path, source_names, source_shape
from datamin.keys import KeyRing
from datamin.pipelines import batch
from datamin.policies import bundled

CASES = Path(__file__).parent / "cases"


def _quarantine_entries(out: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for part in (out / "_quarantine").rglob("*.jsonl")
        for line in part.read_text().splitlines()
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_name_that_is_not_utf8_is_read_with_the_others(tmp_path: Path, workers: int) -> None:
    """Its name cannot be encoded as it is (Beam's coders, keyed hashes, JSON): it once failed
    the whole run. Now it is read, counted, and named by its shape, the odd byte as U+FFFD."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CASES / "messages.jsonl", folder / "m.jsonl")
    odd = os.fsdecode(os.fsencode(folder) + b"/zqxw\xff.jsonl")
    shutil.copy(CASES / "bad-lines.jsonl", odd)
    out = tmp_path / "out"
    audit = batch.run([str(folder)], out, bundled("redact_only"), workers=workers).audit
    assert audit["records_in"] == 2 + 5  # every line of both files
    assert audit["records_quarantined"] > 0  # bad-lines.jsonl's, named below
    odd_shape = source_shape(str(folder)) + "/a\ufffd.jsonl"
    assert sorted(i["source"] for i in audit["inputs"]) == sorted(
        [source_shape(str(folder / "m.jsonl")), odd_shape]
    )
    entries = _quarantine_entries(out)
    assert len(entries) == audit["records_quarantined"]
    assert {e["source"] for e in entries} == {odd_shape}
    for path in out.rglob("*.json*"):
        assert b"zqxw" not in path.read_bytes(), path  # the name shows by its shape only


def test_a_carried_path_opens_the_same_file_and_leaves_utf8_names_alone() -> None:
    odd = os.fsdecode(b"/in/ann\xff\xfe.jsonl")
    carried = carried_path(odd)
    assert carried.encode() and disk_path(carried) == odd
    assert carried_path("/in/Zoë.jsonl") == "/in/Zoë.jsonl"  # its keyed hashes unchanged
    keys = KeyRing(b"k" * 32)
    assert source_names(odd, keys, plain=True)[0] == "/in/ann\\xff\\xfe.jsonl"
    assert source_names(odd, keys) == source_names(carried, keys)


def test_an_output_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    """Its second run once read the first's audit, policy and Parquet files as input too."""
    folder = tmp_path / "in" / "nest"
    folder.mkdir(parents=True)
    shutil.copy(CASES / "messages.jsonl", folder / "m.jsonl")
    out = folder / "out"
    for _ in range(2):
        audit = batch.run([str(folder)], out, bundled("redact_only")).audit
        assert audit["records_in"] == 2 and len(audit["inputs"]) == 1


def test_a_file_not_utf8_named_that_cannot_be_read_is_still_named(tmp_path: Path) -> None:
    # Named by its path when its bytes cannot be read (gone after listing, or unreadable to
    # this user): the path's own bytes, not an encoding of them that fails (a review's find).
    from datamin.output.sources import identify

    gone = os.fsdecode(bytes(tmp_path) + b"/gone\xe9.jsonl")
    [source] = identify([gone], KeyRing(b"k" * 32))
    assert source.path == gone and len(source.key) == 16
