"""`datamin run --raw-quarantine-key`: the bytes of quarantined records are kept, encrypted under
a key of their own, read back whole by its holder, and disposed of after `raw_retention`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from datamin.core.records import SOURCE_PATH_PURPOSE
from datamin.errors import KeyConfigError
from datamin.keys import resolve_key_source
from datamin.leakscan import needles_for, scan_tree
from datamin.output.dispose import dispose
from datamin.output.rawquarantine import RAW_DIR, RawKeySource, create_raw_key_file, read_raw_file
from datamin.pipelines import batch
from tests.conftest import TEST_KEY

POLICY = """\
version: 1
name: raw_kept
default_action: scan
retention: {default: short, classes: {short: 30d}}
quarantine: {raw_retention: 2d}
"""


@dataclass
class Planted:
    entity: str
    value: str


SECRET = Planted("EMAIL_ADDRESS", "raw-only-9c1e@example.org")
GOOD = b'{"note": "fine", "timestamp": "2026-03-02T10:00:00Z"}\n'
# Three records the run cannot take: invalid JSON, a key twice, a record that is an array.
BAD = [
    b'{"note": "' + SECRET.value.encode() + b'", "broken": }',
    b'{"note": "' + SECRET.value.encode() + b'", "note": "twice"}',
    b'["' + SECRET.value.encode() + b'"]',
]


@pytest.fixture
def setup(tmp_path: Path, key_file: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(GOOD + b"\n".join(BAD) + b"\n" + GOOD)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    return folder / "a.jsonl", policy, key_file


def test_quarantined_bytes_are_kept_encrypted_and_read_back_whole(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, policy, key = setup
    out = tmp_path / "out"
    result = batch.run([str(source)], out, policy, raw_quarantine_key=key)
    audit = result.audit
    assert audit["raw_quarantine"] is True and audit["records_quarantined"] == 3
    raw_files = [f for f in audit["quarantine_files"] if f.startswith(f"{RAW_DIR}/")]
    assert len(raw_files) == 1
    entries = list(read_raw_file(str(out / raw_files[0]), RawKeySource(str(key)).load()))
    assert sorted(e.raw for e in entries) == sorted(line + b"\n" for line in BAD)  # as read
    plain = [
        json.loads(line)
        for f in audit["quarantine_files"]
        if f.startswith("_quarantine/")
        for line in (out / f).read_text().splitlines()
    ]
    keys = resolve_key_source(None, out)[0].load()
    assert {
        (keys.mac_hex(SOURCE_PATH_PURPOSE, e.source.encode(), 16), e.index, e.error)
        for e in entries
    } == {(p["source_id"], p["index"], p["error"]) for p in plain}
    # Encrypted: the value is nowhere in the output tree, in any encoding the scan knows.
    assert scan_tree(out, needles_for([SECRET])) == []


def test_without_the_key_no_raw_store_is_written(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, policy, _ = setup
    out = tmp_path / "out"
    audit = batch.run([str(source)], out, policy).audit
    assert audit["raw_quarantine"] is False and audit["records_quarantined"] == 3
    assert not (out / RAW_DIR).exists()


def test_the_raw_store_goes_after_its_own_retention_not_the_data_class(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, policy, key = setup
    out = tmp_path / "out"
    result = batch.run([str(source)], out, policy, raw_quarantine_key=key)
    started = datetime.fromisoformat(result.audit["started_at"])
    dispose(out, started + timedelta(days=2) - timedelta(seconds=1))
    assert (out / RAW_DIR / result.run_id).is_dir()
    report = dispose(out, started + timedelta(days=2, seconds=1))
    assert report.raw_quarantine_runs == [result.run_id]
    assert not (out / RAW_DIR / result.run_id).exists()
    assert (out / "_quarantine" / result.run_id).is_dir()  # the plain quarantine: 30 days


def test_a_key_that_is_not_separate_is_refused_before_any_record_is_read(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, policy, _ = setup
    out = tmp_path / "out"
    out.mkdir()
    inside = out / "raw.key"
    create_raw_key_file(inside)
    with pytest.raises(KeyConfigError, match="inside the output"):
        batch.run([str(source)], out, policy, raw_quarantine_key=inside)
    master = tmp_path / "master.key"
    master.write_text(TEST_KEY)
    with pytest.raises(KeyConfigError):
        batch.run([str(source)], out, policy, raw_quarantine_key=master)
    assert not (out / "_audit").exists() and not (out / RAW_DIR).exists()
