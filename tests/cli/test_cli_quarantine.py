"""`datamin quarantine list|export|new-key`: counts by error class without a key, an export
that `datamin run` replays as the records were first read, all or nothing, never inside the
output, never of a store past its retention, and no value in anything printed.

Exports hold raw records by design, planted values included: they go to directories not named
`out*` (the suite-wide scan holds every `out*` directory to the planted values)."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.core.records import RawRecord
from datamin.formats import read_file
from datamin.output.quarantine import MANIFEST
from datamin.output.rawquarantine import RAW_DIR, RawEntry, RawKeySource, create_raw_key_file
from datamin.output.rawquarantine import write_raw_file as write_store

runner = CliRunner()
CASES = Path(__file__).parents[1] / "pipelines" / "cases"
PLANTED = [p["value"] for p in json.loads((CASES / "planted.json").read_text())]
NOW = datetime.now(UTC)
R1 = (NOW - timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ") + "-a1a1a1"  # raw store, in time
R2 = (NOW - timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ") + "-b2b2b2"  # plain quarantine only
R3 = "20260101T000000Z-c3c3c3"  # a raw store without an audit record
R4 = (NOW - timedelta(days=10)).strftime("%Y%m%dT%H%M%SZ") + "-d4d4d4"  # raw store, expired
POLICY = b"version: 1\nname: q\nretention: {default: a, classes: {a: 30d}}\n"
POLICY += b"quarantine: {raw_retention: 3d}\n"


def _audit(out: Path, run_id: str, started: datetime) -> None:
    sha = hashlib.sha256(POLICY).hexdigest()
    (out / "_audit" / "policies").mkdir(parents=True, exist_ok=True)
    (out / "_audit" / "policies" / f"{sha}.yaml").write_bytes(POLICY)
    (out / "_audit" / "runs").mkdir(parents=True, exist_ok=True)
    body = {"run_id": run_id, "started_at": started.isoformat(), "policy_sha256": sha}
    (out / "_audit" / "runs" / f"{run_id}.json").write_text(json.dumps(body))


def _plain(out: Path, run_id: str, errors: list[str]) -> None:
    folder = out / "_quarantine" / run_id
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"source": "in.jsonl", "index": i, "error": e, "raw_hmac": "ab" * 32})
        for i, e in enumerate(errors, 1)
    ]
    (folder / "part-0001.jsonl").write_text("\n".join(lines) + "\n")


HAR_ENTRY = orjson.dumps(
    {
        "startedDateTime": "2026-03-01T10:00:00Z",
        "request": {"method": "GET", "url": "https://shop.example/v1/items", "headers": []},
        "response": {"status": 200, "headers": []},
    }
)


def benign_entries() -> list[RawEntry]:
    """One of each form a record takes: a JSONL line, a HAR entry, a document of several lines,
    a line that is not JSON, a whole HAR file that is not JSON, and an entry with no bytes."""
    return [
        RawEntry("logs/in.jsonl", 1, "InputError: timeout", b'{"ts": "2026-03-01", "n": 1}\n'),
        RawEntry("caps/t.har", 0, "LimitExceeded: depth", HAR_ENTRY, kind="har"),
        RawEntry("one.json", 0, "InputError: x", b'{\n  "ts": "2026-03-01",\n  "n": 2\n}\n'),
        RawEntry("logs/in.jsonl", 2, "InputError: invalid JSON", b"{not json\n"),
        RawEntry("caps/cut.har.gz", 0, "InputError: invalid JSON document", b'{"log": {\n"en'),
        RawEntry("big.jsonl", 9, "LimitExceeded: record larger than the limit", b""),
    ]


def planted_entries() -> list[RawEntry]:
    return [
        RawEntry("logs/p.jsonl", i, "InputError: invalid JSON", json.dumps({"v": v}).encode())
        for i, v in enumerate(PLANTED, 1)
    ]


@pytest.fixture
def out(tmp_path: Path, key_file: Path) -> Path:
    out = tmp_path / "out"
    key = RawKeySource(str(key_file)).load()
    _audit(out, R1, NOW - timedelta(hours=1))
    _plain(out, R1, ["InputError: invalid JSON"] * 2 + ["LimitExceeded: depth"])
    write_store(str(out), R1, "part-1", key, planted_entries())
    write_store(str(out), R1, "part-2", key, benign_entries())
    _audit(out, R2, NOW - timedelta(hours=2))
    _plain(out, R2, ["InputError: timeout"])
    write_store(str(out), R3, "part-1", key, planted_entries()[:1])
    _audit(out, R4, NOW - timedelta(days=10))
    write_store(str(out), R4, "part-1", key, planted_entries()[:1])
    return out


def export(out: Path, run: str, key: Path, dest: Path) -> object:
    args = ["quarantine", "export", "-o", str(out), "--run", run]
    return runner.invoke(app, [*args, "--raw-quarantine-key", str(key), "--to", str(dest)])


# -- list ------------------------------------------------------------------------------------


def test_list_counts_by_error_class_and_shows_each_raw_store(out: Path) -> None:
    result = runner.invoke(app, ["quarantine", "list", "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    runs = {r["run_id"]: r for r in json.loads(result.output)}
    assert list(runs) == sorted([R1, R2, R3, R4])
    assert runs[R1]["entries"] == 3
    assert runs[R1]["by_error"] == {"InputError: invalid JSON": 2, "LimitExceeded: depth": 1}
    assert runs[R1]["raw_store"] and runs[R1]["raw_files"] == 2 and not runs[R1]["raw_expired"]
    expires = datetime.fromisoformat(runs[R1]["raw_expires"])
    assert expires == datetime.fromisoformat(
        json.loads((out / "_audit" / "runs" / f"{R1}.json").read_text())["started_at"]
    ) + timedelta(days=3)
    assert not runs[R2]["raw_store"] and runs[R2]["raw_expires"] is None
    assert runs[R3]["raw_expired"] and runs[R3]["raw_expires"] is None  # no audit: due now
    assert runs[R4]["raw_expired"] and runs[R4]["entries"] == 0
    text = runner.invoke(app, ["quarantine", "list", "-o", str(out)])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith(R1))
    assert lines[at].startswith(f"{R1}  3 quarantined; raw store: 2 file(s), expires ")
    assert lines[at + 1 : at + 3] == [
        "         2  InputError: invalid JSON",
        "         1  LimitExceeded: depth",
    ]
    assert f"{R2}  1 quarantined; no raw store" in lines
    assert (
        f"{R3}  0 quarantined; raw store: 1 file(s), due for disposal now "
        "(no audit record or saved policy)" in lines
    )
    assert any(ln.startswith(R4) and ln.endswith("(expired)") for ln in lines)


def test_list_of_no_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["quarantine", "list", "-o", str(tmp_path / "typo")])
    assert result.exit_code == 2 and "not a datamin output directory" in result.output
    assert not (tmp_path / "typo").exists()


# -- export ----------------------------------------------------------------------------------


def test_export_writes_each_record_as_it_was_with_a_manifest(
    out: Path, key_file: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "export"
    result = export(out, R1, key_file, dest)
    assert result.exit_code == 0, result.output
    assert "exported 12 record(s)" in result.output and "1 without content" in result.output
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["run_id"] == R1 and len(manifest["entries"]) == 12
    assert manifest["without_content"] == [
        {
            "source": "big.jsonl",
            "index": 9,
            "error": "LimitExceeded: record larger than the limit",
            "store_file": "part-2.dmq",
        }
    ]
    assert sorted(p.name for p in dest.iterdir() if p.is_file()) == sorted(
        e["file"] for e in manifest["entries"]
    )
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in dest.iterdir() if p.is_file())
    # The manifest holds paths, positions, error classes: no planted value.
    assert not any(v in (dest / MANIFEST).read_text() for v in PLANTED)
    # Each file reads back, through datamin's own reader, as the record it first was.
    by_place = {(e.source, e.index): e for e in planted_entries() + benign_entries()}
    suffixes = {}
    for item in manifest["entries"]:
        original = by_place[(item["source"], item["index"])]
        assert item["error"] == original.error
        suffixes[item["source"], item["index"]] = Path(item["file"]).suffix
        (record,) = read_file(str(dest / item["file"]), 1 << 20)
        if isinstance(record, RawRecord):
            assert (record.data, record.kind) == (original.raw, original.kind)
        else:  # the whole HAR file that was not JSON fails again, as it did
            assert original.source == "caps/cut.har.gz" and "invalid JSON" in record.error
    assert suffixes[("logs/in.jsonl", 1)] == ".jsonl"
    assert suffixes[("caps/t.har", 0)] == ".har"
    assert suffixes[("one.json", 0)] == ".json"
    assert suffixes[("caps/cut.har.gz", 0)] == ".har"


def test_datamin_run_replays_an_export(out: Path, key_file: Path, tmp_path: Path) -> None:
    """`datamin run -i 'DEST/*'`: every record once, the manifest never read as input."""
    from datamin.pipelines import batch

    only = tmp_path / "only-benign"
    _audit(only, R1, NOW - timedelta(hours=1))
    write_store(str(only), R1, "part-1", RawKeySource(str(key_file)).load(), benign_entries())
    dest = tmp_path / "export"
    assert export(only, R1, key_file, dest).exit_code == 0
    policy = tmp_path / "replay.yaml"
    policy.write_text(
        "version: 1\nname: replay\nretention: {default: a, classes: {a: 7d}}\n"
        "detection: {ner: false}\nfields:\n  - {path: n, action: keep, column: n}\n"
    )
    result = batch.run([f"{dest}/*"], tmp_path / "out-replay", policy)
    audit = result.audit
    assert audit["records_in"] == 5 and audit["balanced"]
    assert audit["records_quarantined"] == 2  # the line that is not JSON; the cut HAR file


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("inside", "is inside the output directory"),
        ("not empty", "is not an empty directory"),
    ],
)
def test_export_refuses_a_destination_in_the_output_or_not_empty(
    out: Path, key_file: Path, tmp_path: Path, where: str, message: str
) -> None:
    dest = out / "_quarantine" / "x" if where == "inside" else tmp_path / "export"
    if where == "not empty":
        dest.mkdir()
        (dest / "mine.txt").write_text("x")
    result = export(out, R1, key_file, dest)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (out / "_quarantine" / "x").exists()


@pytest.mark.parametrize(
    ("run", "message"),
    [
        (R3, "cannot be judged"),
        (R4, "ran out on"),
        (R2, "no raw quarantine store for run"),
        ("../../etc", "--run is a run id"),
    ],
    # Fixed ids: R2 and R4 are built from the clock, and xdist's workers must collect the same
    # names even when they collect on either side of a second.
    ids=["unjudged", "expired", "missing", "not-a-run-id"],
)
def test_export_refuses_a_store_past_retention_or_missing(
    out: Path, key_file: Path, tmp_path: Path, run: str, message: str
) -> None:
    result = export(out, run, key_file, tmp_path / "export")
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "export").exists()


def test_export_with_a_wrong_key_leaves_nothing(out: Path, tmp_path: Path) -> None:
    other = tmp_path / "keys" / "other.key"
    create_raw_key_file(other)
    result = export(out, R1, other, tmp_path / "export")
    assert result.exit_code == 2 and "was not written under this key" in result.output
    assert not (tmp_path / "export").exists()


def test_export_of_a_tampered_store_is_all_or_nothing(
    out: Path, key_file: Path, tmp_path: Path
) -> None:
    store = out / RAW_DIR / R1 / "part-2.dmq"
    data = store.read_bytes()
    store.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # part-1 reads, part-2 fails at its end
    dest = tmp_path / "export"
    dest.mkdir()
    result = export(out, R1, key_file, dest)
    assert result.exit_code == 2
    assert result.output.strip() == f"error: raw quarantine file {store} is damaged or was altered"
    assert dest.is_dir() and not any(dest.iterdir())  # an existing empty DEST stays, empty


def test_export_refuses_a_key_file_inside_the_output(out: Path, tmp_path: Path) -> None:
    inside = out / "_audit" / "raw.key"
    create_raw_key_file(inside)
    result = export(out, R1, inside, tmp_path / "export")
    assert result.exit_code == 2 and "must not be inside the output directory" in result.output


# -- new-key ---------------------------------------------------------------------------------


def test_new_key_is_created_once_and_never_in_an_output(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "keys" / "new.key"
    made = runner.invoke(app, ["quarantine", "new-key", str(path)])
    assert made.exit_code == 0 and "created a raw quarantine key" in made.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert RawKeySource(str(path)).load()
    before = path.read_bytes()
    again = runner.invoke(app, ["quarantine", "new-key", str(path)])
    assert again.exit_code == 2 and "never overwritten" in again.output
    assert path.read_bytes() == before
    inside = runner.invoke(app, ["quarantine", "new-key", str(out / "keys" / "k")])
    assert inside.exit_code == 2 and "inside the output directory" in inside.output
    assert not (out / "keys").exists()
