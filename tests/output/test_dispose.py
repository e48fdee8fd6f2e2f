"""`datamin dispose`: exactly the expired partitions go, nothing of them is left anywhere, a
crash at any step leaves a tree a rerun completes, and a run and a dispose never interleave.
The raw quarantine store goes by its own short clock: the run's start plus `raw_retention`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from datamin.errors import OutputError
from datamin.leakscan import needles_for, scan_tree
from datamin.output.dispose import dispose, parse_now, scan, verify
from datamin.output.lock import OutputLock
from datamin.output.rawquarantine import (
    RAW_DIR,
    RawEntry,
    RawKeySource,
    create_raw_key_file,
    write_raw_file,
)
from datamin.pipelines import batch

POLICY = """\
version: 1
name: disposal
event_time: [ts]
retention:
  default: short
  classes: {short: 7d, long: 30d, kept: forever, never: 0}
quarantine: {raw_retention: 2d}   # shorter than any class: the raw store has its own clock
fields:
  - {path: ts, action: keep, column: ts, retention: kept}
  - {path: note, action: keep, retention: short}
  - {path: account, action: keep, retention: long}
  - {path: scratch, action: keep, retention: never}
"""
DAYS = ["2026-01-01", "2026-01-10", "2026-02-01"]
ORPHAN_RUN = "20260101T000000Z-0ff0ff"  # a raw store whose run left no audit record


class _Planted:
    def __init__(self, entity: str, value: str) -> None:
        self.entity, self.value = entity, value


def _values(day: str) -> tuple[str, str]:
    """What a record of `day` keeps in its short and long classes: values to look for later."""
    tag = day.replace("-", "")
    return f"dispose-note-{tag}-x7", f"dispose-acct-{tag}-q3"


PLANTED = [_Planted("SECRET", v) for day in DAYS for v in _values(day)]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run's output: records on three dates, each with a short, a long and a forever field,
    one line that is not JSON (quarantined)."""
    root = tmp_path_factory.mktemp("dispose")
    policy = root / "p.yaml"
    policy.write_text(POLICY)
    lines = []
    for day in DAYS:
        note, account = _values(day)
        for i in range(3):
            record = {"ts": f"{day}T0{i}:00:00Z", "note": note, "account": account, "scratch": "s"}
            lines.append(json.dumps(record))
    lines.append("{not json")
    source = root / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = root / "built"
    result = batch.run([str(source)], out, policy)
    # The raw quarantine a run with the store enabled would have left, and one of a run that
    # crashed before its audit record: the bad line's bytes, and a planted value.
    create_raw_key_file(root / "raw.key")
    key = RawKeySource(str(root / "raw.key")).load()
    note = _values(DAYS[0])[0].encode()
    for run_id, name in [(result.run_id, "part-a"), (result.run_id, "part-b"), (ORPHAN_RUN, "p")]:
        entries = [RawEntry(str(source), 10, "InputError: invalid JSON", b"{not json\n")]
        entries.append(RawEntry(str(source), 1, "InputError: x", b'{"note": "' + note + b'"}'))
        write_raw_file(str(out), run_id, name, key, entries)
    return out


def run_of(out: Path) -> tuple[str, datetime]:
    """The built run's id and start, from its audit record."""
    (audit,) = (json.loads(p.read_text()) for p in (out / "_audit" / "runs").glob("*.json"))
    return audit["run_id"], datetime.fromisoformat(audit["started_at"])


def raw_runs(root: Path) -> set[str]:
    return {p.name for p in (root / RAW_DIR).iterdir()} if (root / RAW_DIR).is_dir() else set()


@pytest.fixture
def out(tree: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(tree, copy)
    return copy


def partitions(root: Path) -> set[str]:
    return {f"{p.parent.name}/{p.name}" for p in root.glob("data/retention=*/date=*")}


def snapshot(root: Path) -> set[str]:
    """Every file but the lock (which the first locking process creates, empty)."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "_lock"}


def test_far_future_disposes_every_finite_partition_and_leaves_no_value(out: Path) -> None:
    assert partitions(out) == {
        f"retention={c}/date={d}" for c in ("short", "long", "kept") for d in DAYS
    }
    report = dispose(out, parse_now("2100-01-01"))
    assert partitions(out) == {f"retention=kept/date={d}" for d in DAYS}  # forever stays
    assert report.verified and report.disposed["short"].partitions == 3
    assert report.disposed["short"].rows == 9 and report.disposed["long"].rows == 9
    assert report.quarantine_runs and not list((out / "_quarantine").glob("*/*.jsonl"))
    # No value of a disposed class is left anywhere: data, statistics, audit, quarantine.
    assert scan_tree(out, needles_for(PLANTED)) == []
    audit = [json.loads(p.read_text()) for p in (out / "_audit" / "disposals").glob("*.json")]
    assert len(audit) == 1 and audit[0]["verified"] and audit[0]["now"].startswith("2100-01-01")
    assert audit[0]["disposed"]["long"] == {"partitions": 3, "files": 3, "rows": 9}
    # A second dispose finds nothing more to do, and says so in its own audit record.
    before = snapshot(out)
    again = dispose(out, parse_now("2100-01-01"))
    assert not again.disposed and not again.partitions and again.verified
    assert (
        snapshot(out) - before
        == {str(p.relative_to(out)) for p in (out / "_audit" / "disposals").glob("*.json")} - before
    )


def test_dry_run_removes_nothing(out: Path) -> None:
    before = snapshot(out)
    report = dispose(out, parse_now("2100-01-01"), dry_run=True)
    assert len(report.partitions) == 6 and snapshot(out) == before
    run_id, _ = run_of(out)
    assert report.raw_quarantine_runs == [ORPHAN_RUN, run_id]
    assert report.raw_quarantine_files == 3


@pytest.mark.parametrize(
    ("now", "gone"),
    [
        # 2026-01-08T00:00 is 7 days after 2026-01-01: that short partition expires after it.
        ("2026-01-08T00:00:00Z", set()),
        ("2026-01-08T00:00:01Z", {"retention=short/date=2026-01-01"}),
        (
            "2026-01-31T12:00Z",  # short of the 1st and 10th; long of the 1st (30 days)
            {
                "retention=short/date=2026-01-01",
                "retention=short/date=2026-01-10",
                "retention=long/date=2026-01-01",
            },
        ),
        (
            "2026-02-09T00:00:01Z",
            {
                "retention=short/date=2026-01-01",
                "retention=short/date=2026-01-10",
                "retention=short/date=2026-02-01",
                "retention=long/date=2026-01-01",
                "retention=long/date=2026-01-10",
            },
        ),
    ],
)
def test_exactly_the_expired_partitions_go(out: Path, now: str, gone: set[str]) -> None:
    before = partitions(out)
    report = dispose(out, parse_now(now))
    assert before - partitions(out) == gone
    assert set(report.partitions) == gone and report.verified


def test_a_policy_edit_after_the_run_does_not_change_what_was_promised(out: Path) -> None:
    """The duration comes from each file's footer, written by the run, not today's policy."""
    files, _ = scan(out)
    assert {f.duration for f in files if f.retention == "short"} == {"7d"}


def test_what_is_left_reads_in_duckdb_and_pyarrow(out: Path) -> None:
    dispose(out, parse_now("2026-01-31T12:00Z"))
    data = out / "data"
    table = ds.dataset(data, format="parquet", partitioning="hive").to_table()
    assert sorted(set(table.column("retention").to_pylist())) == ["kept", "long", "short"]
    glob = f"{data}/retention=*/*/*.parquet"
    rows = duckdb.sql(
        f"select retention, count(*) from read_parquet('{glob}', hive_partitioning=true) "
        "group by 1 order by 1"
    ).fetchall()
    assert rows == [("kept", 9), ("long", 6), ("short", 3)]


def test_verify_finds_what_outlived_its_retention(out: Path, tmp_path: Path) -> None:
    now = parse_now("2026-01-31T12:00Z")
    assert verify(out, now) != []  # nothing disposed yet: expired partitions are there
    dispose(out, now)
    assert verify(out, now) == []
    # A copy of an expired file put back, and a crashed run's temporary file, are both found.
    kept = next(out.glob("data/retention=short/date=2026-02-01/*.parquet"))
    back = out / "data" / "retention=short" / "date=2026-01-01"
    back.mkdir()
    shutil.copy(kept, back / kept.name)
    (kept.parent / ".part-x.parquet.1234.tmp").write_bytes(b"partial")
    problems = verify(out, parse_now("2026-02-09T00:00:01Z"))
    assert any("date=2026-01-01" in p and "ran out" in p for p in problems)
    assert any(".part-x" in p and "interrupted" in p for p in problems)
    report = dispose(out, parse_now("2026-02-09T00:00:01Z"))
    assert report.verified and report.leftovers_removed == 1


# -- the raw quarantine store ----------------------------------------------------------------


def test_the_raw_store_goes_at_run_start_plus_raw_retention(out: Path) -> None:
    """Not by a data class: partitions expiring take no raw store with them, and the raw
    store goes while the run's plain quarantine and its forever partitions stay."""
    run_id, started = run_of(out)
    assert raw_runs(out) == {run_id, ORPHAN_RUN}
    report = dispose(out, parse_now("2026-02-09T00:00:01Z"))
    assert report.partitions and report.verified
    # The store of a run without an audit record cannot be judged: it goes at once.
    assert raw_runs(out) == {run_id} and report.raw_quarantine_runs == [ORPHAN_RUN]
    assert report.raw_quarantine_files == 1
    report = dispose(out, started + timedelta(days=2))  # exactly start + 2d: still kept
    assert raw_runs(out) == {run_id} and not report.raw_quarantine_runs and report.verified
    report = dispose(out, started + timedelta(days=2, seconds=1))
    assert raw_runs(out) == set() and report.raw_quarantine_runs == [run_id]
    assert report.raw_quarantine_files == 2 and report.verified
    assert list((out / "_quarantine" / run_id).glob("*.jsonl"))  # 7d from the run's date
    assert {f"retention=kept/date={d}" for d in DAYS} <= partitions(out)
    audits = [json.loads(p.read_text()) for p in (out / "_audit" / "disposals").glob("*.json")]
    (last,) = (a for a in audits if a["now"] == report.now)
    assert last["raw_quarantine_runs"] == [run_id] and last["raw_quarantine_files"] == 2


def test_verify_flags_an_expired_raw_store_and_one_without_an_audit(out: Path) -> None:
    from typer.testing import CliRunner

    from datamin.cli.app import app

    run_id, started = run_of(out)
    soon, late = started + timedelta(hours=1), started + timedelta(days=2, seconds=1)
    assert [p for p in verify(out, soon) if RAW_DIR in p] == [
        f"{RAW_DIR}/{ORPHAN_RUN}: raw quarantine of a run without an audit record or saved "
        "policy (cannot be judged)"
    ]
    expired = [p for p in verify(out, late) if RAW_DIR in p]
    assert len(expired) == 2
    assert expired[1].startswith(f"{RAW_DIR}/{run_id}: raw quarantine retention ran out on ")
    check = CliRunner().invoke(
        app, ["dispose", "-o", str(out), "--now", late.isoformat(), "--verify"]
    )
    assert check.exit_code == 1 and "raw quarantine retention ran out" in check.output
    dispose(out, late)
    assert verify(out, late) == []


def test_a_raw_store_whose_policy_is_lost_goes_at_once(out: Path) -> None:
    run_id, started = run_of(out)
    for saved in (out / "_audit" / "policies").glob("*.yaml"):
        saved.unlink()
    report = dispose(out, started + timedelta(hours=1))
    assert raw_runs(out) == set() and sorted(report.raw_quarantine_runs) == [ORPHAN_RUN, run_id]


def test_raw_store_leftovers_are_finished_and_strangers_kept(out: Path) -> None:
    run_id, started = run_of(out)
    store = out / RAW_DIR / run_id
    (store / ".part-c.dmq.tmp").write_bytes(b"partial")  # a worker died writing it
    hidden = out / RAW_DIR / ".disposing-20260101T000000Z-aaaaaa"  # a dispose died deleting it
    hidden.mkdir()
    (hidden / "p.dmq").write_bytes(b"sealed")
    stranger = out / RAW_DIR / "notes"
    stranger.mkdir()
    soon = started + timedelta(hours=1)
    problems = [p for p in verify(out, soon) if RAW_DIR in p]
    assert f"{RAW_DIR}/{run_id}/.part-c.dmq.tmp: left by an interrupted run" in problems
    assert f"{RAW_DIR}/{hidden.name}: left by an interrupted dispose" in problems
    assert f"{RAW_DIR}/notes: not a raw quarantine store" in problems
    report = dispose(out, soon)
    assert not hidden.exists() and not (store / ".part-c.dmq.tmp").exists()
    assert stranger.is_dir() and report.leftovers_removed == 2
    assert report.problems == [f"{RAW_DIR}/notes: not a raw quarantine store"]
    assert {p.name for p in store.iterdir()} == {"part-a.dmq", "part-b.dmq"}


# -- crash safety ----------------------------------------------------------------------------


def _steps(tree: Path, tmp_path: Path) -> list[str]:
    probe = tmp_path / "probe"
    shutil.copytree(tree, probe)
    names: list[str] = []
    dispose(probe, parse_now("2100-01-01"), on_step=names.append)
    return names


# One process imports `dispose` once, then forks a child per tree that is killed (os._exit) at
# that tree's step: a real crash at every step without paying an interpreter's start each time.
KILL_EACH = """
import json, os, sys
from datamin.output.dispose import dispose, parse_now
codes = []
for tree, at in json.loads(sys.argv[1]):
    pid = os.fork()
    if pid == 0:
        count = 0
        def step(name):
            global count
            count += 1
            if count == at:
                os._exit(9)
        dispose(tree, parse_now(sys.argv[2]), on_step=step)
        os._exit(0)
    codes.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(json.dumps(codes))
"""


def test_a_dispose_killed_at_any_step_is_completed_by_the_next(tree: Path, tmp_path: Path) -> None:
    done = tmp_path / "done"
    shutil.copytree(tree, done)
    dispose(done, parse_now("2100-01-01"))
    expected = {p for p in snapshot(done) if "_audit/disposals" not in p}
    names = _steps(tree, tmp_path)
    steps = len(names)
    assert steps >= 10
    assert sum(n.startswith("hide raw") for n in names) == 2  # both raw stores, step by step
    originals = {
        f"{p.parent.parent.name}/{p.parent.name}": {q.name for q in p.parent.iterdir()}
        for p in tree.glob("data/retention=*/date=*/*.parquet")
    }
    crashes = [tmp_path / f"crash{k}" for k in range(1, steps + 1)]
    for crashed in crashes:
        shutil.copytree(tree, crashed)
    plan = json.dumps([[str(crashed), k] for k, crashed in enumerate(crashes, 1)])
    proc = subprocess.run(
        [sys.executable, "-c", KILL_EACH, plan, "2100-01-01"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert json.loads(proc.stdout) == [9] * steps  # every child died at its step
    for k, crashed in enumerate(crashes, 1):
        # What readers see is whole: every visible partition has all the files it had.
        for part in crashed.glob("data/retention=*/date=*"):
            key = f"{part.parent.name}/{part.name}"
            assert {q.name for q in part.iterdir()} == originals[key], (k, key)
        ds.dataset(crashed / "data", format="parquet", partitioning="hive").to_table()
        report = dispose(crashed, parse_now("2100-01-01"))
        assert report.verified, (k, report.problems)
        assert {p for p in snapshot(crashed) if "_audit/disposals" not in p} == expected, k
        shutil.rmtree(crashed)


# -- a run and a dispose never interleave ---------------------------------------------------


def test_a_dispose_while_the_tree_is_locked_is_refused(out: Path) -> None:
    before = snapshot(out)
    with OutputLock(out), pytest.raises(OutputError, match="in use"):
        dispose(out, parse_now("2100-01-01"))
    assert snapshot(out) == before
    dispose(out, parse_now("2100-01-01"))  # released: it goes through


def test_the_lock_is_released_when_its_holder_dies(out: Path) -> None:
    hold = (
        "import os, sys; from datamin.output.lock import OutputLock; "
        "OutputLock(sys.argv[1]).__enter__(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", hold, str(out)], check=True)
    dispose(out, datetime(2100, 1, 1, tzinfo=UTC))


def test_a_run_while_a_dispose_holds_the_tree_is_refused(out: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"ts": "2026-03-01T00:00:00Z", "note": "n"}) + "\n")
    before = snapshot(out)
    with OutputLock(out), pytest.raises(OutputError, match="in use"):
        batch.run([str(source)], out, policy)
    assert snapshot(out) == before


def test_dispose_cli_dry_run_verify_and_errors(out: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from datamin.cli.app import app

    runner = CliRunner()
    before = snapshot(out)
    dry = runner.invoke(app, ["dispose", "-o", str(out), "--now", "2100-01-01", "--dry-run"])
    # The title names the output's path, so it wraps where the path is long: words, not lines.
    assert dry.exit_code == 0 and "(dryrun)" in "".join(dry.output.split())
    assert snapshot(out) == before
    check = runner.invoke(app, ["dispose", "-o", str(out), "--now", "2100-01-01", "--verify"])
    assert check.exit_code == 1  # expired partitions are still there
    done = runner.invoke(app, ["dispose", "-o", str(out), "--now", "2100-01-01"])
    assert done.exit_code == 0 and "verified: yes" in done.output
    check = runner.invoke(app, ["dispose", "-o", str(out), "--now", "2100-01-01", "--verify"])
    assert check.exit_code == 0
    bad = runner.invoke(app, ["dispose", "-o", str(out), "--now", "next tuesday"])
    assert bad.exit_code == 2 and "ISO-8601" in bad.output
    missing = runner.invoke(app, ["dispose", "-o", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "not a datamin output" in missing.output


def test_files_that_are_not_datamin_partitions_are_never_deleted_but_reported(out: Path) -> None:
    odd = [
        out / "data" / "retention=short" / "date=2026-13-45",  # matches the shape, not a date
        out / "data" / "notes.txt",
        out / "data" / "retention=short" / "date=2026-01-01" / "copy.csv",
    ]
    odd[0].mkdir()
    odd[1].write_text("x")
    odd[2].write_text("x")
    report = dispose(out, parse_now("2100-01-01"))
    assert all(p.exists() for p in odd)
    assert not report.verified
    assert {p.split(":")[0] for p in report.problems} >= {
        "data/retention=short/date=2026-13-45",
        "data/notes.txt",
        "data/retention=short/date=2026-01-01/copy.csv",
    }


def test_verify_of_a_path_that_is_no_output_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="not a datamin output"):
        verify(tmp_path / "typo", parse_now("2100-01-01"))
    assert not (tmp_path / "typo").exists()  # and it created nothing


def test_a_hidden_file_of_the_user_is_reported_not_deleted(out: Path) -> None:
    mine = out / "data" / "retention=kept" / "date=2026-01-01" / ".notes"
    mine.write_text("x")
    report = dispose(out, parse_now("2100-01-01"))
    assert mine.exists() and any(".notes" in p for p in report.problems)


def test_keys_of_classes_this_output_never_declared_are_left_alone(
    out: Path, tmp_path: Path
) -> None:
    """A store shared with another output: its keys are not this output's to delete."""
    from datamin.output.tokenkeys import TokenKeyStore

    store = TokenKeyStore(tmp_path / "keys")
    store.init()
    store.key_for("other", "2026-01-01", create=True)  # another output's class
    store.key_for("short", "2026-01-03", create=True)  # this output's, no partition, expired
    store.key_for("short", "2099-12-30", create=True)  # this output's, not expired
    report = dispose(out, parse_now("2100-01-01"), token_keys=tmp_path / "keys")
    assert report.token_keys_deleted == ["short/2026-01-03"]
    assert store.days("other") == ["2026-01-01"] and "2099-12-30" in store.days("short")


# -- ends of retention past the year 9999 ------------------------------------------------------

FAR_OFF = """\
version: 1
name: far_off
event_time: [ts]
retention:
  default: short
  classes: {short: 7d, longest: 999999999d}
fields:
  - {path: note, action: keep, retention: short}
  - {path: account, action: keep, retention: longest}
"""


def test_an_end_of_retention_past_9999_blocks_no_run_dispose_or_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition that ends past the year 9999 (a record dated 9999-12-30 kept 7 days, a class
    kept 999999999 days) is kept, as any partition not yet expired. It made `run` fail after its
    commit, and `dispose`, `--verify` and `report` fail before deleting anything, so the expired
    partition beside it was never deleted."""
    from typer.testing import CliRunner

    from datamin.cli.app import app
    from datamin.core import event_dates

    # Every event date trusted, as datamin did before it filed future ones under the run's date:
    # the output an earlier version left, with a partition dated 9999-12-30.
    monkeypatch.setattr(event_dates, "FUTURE_ALLOWANCE", timedelta.max)
    (tmp_path / "p.yaml").write_text(FAR_OFF)
    source = tmp_path / "in.jsonl"
    records = [
        {"ts": "2020-01-01T00:00:00Z", "note": "a", "account": "b"},
        {"ts": "9999-12-30T00:00:00Z", "note": "x"},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    cli = CliRunner()
    run = cli.invoke(
        app, ["run", "-i", str(source), "-p", str(tmp_path / "p.yaml"), "-o", str(out)]
    )
    assert run.exit_code == 0, run.output
    assert partitions(out) == {
        "retention=short/date=2020-01-01",
        "retention=longest/date=2020-01-01",
        "retention=short/date=9999-12-30",
    }
    for args in (["--dry-run"], ["--verify"], []):
        done = cli.invoke(app, ["dispose", "-o", str(out), *args])
        assert done.exit_code == (1 if args == ["--verify"] else 0), done.output
    # What expired went; what ends past datetime's range is kept, and the tree verifies.
    assert partitions(out) == {
        "retention=longest/date=2020-01-01",
        "retention=short/date=9999-12-30",
    }
    assert cli.invoke(app, ["dispose", "-o", str(out), "--verify"]).exit_code == 0
    shown = cli.invoke(app, ["report", str(out), "--json"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.stdout)
    assert {(p["retention"], p["day"], p["expires"]) for p in body["partitions"]} == {
        ("longest", "2020-01-01", "9999-12-31"),
        ("short", "9999-12-30", "9999-12-31"),
    }


def test_a_record_from_the_future_is_filed_under_the_run_and_its_neighbour_disposed(
    tmp_path: Path,
) -> None:
    """The review's case, as the review ran it: a record dated 9999-12-15 beside one of 2020.
    The run succeeds, files the first under its own date (it would never have expired) and
    counts it; `dispose` deletes the expired 2020 partition; `--verify` and `report` work."""
    from typer.testing import CliRunner

    from datamin.cli.app import app

    source = tmp_path / "p.jsonl"
    source.write_text(
        '{"timestamp":"2020-01-01T00:00:00Z","note":"a"}\n'
        '{"timestamp":"9999-12-15T00:00:00Z","note":"x"}\n'
    )
    out = tmp_path / "OUT"
    cli = CliRunner()
    run = cli.invoke(app, ["run", "-i", str(source), "-p", "redact_only", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "1 records were dated more than a day after the run" in run.stderr
    run_id, started = run_of(out)
    today = started.date().isoformat()
    assert partitions(out) == {
        "retention=standard/date=2020-01-01",
        f"retention=standard/date={today}",
    }
    (audit,) = (json.loads(p.read_text()) for p in (out / "_audit" / "runs").glob("*.json"))
    assert audit["event_time_future"] == 1 and audit["balanced"]
    assert audit["records_in"] == 2 == audit["records_written"]
    done = cli.invoke(app, ["dispose", "--output", str(out)])
    assert done.exit_code == 0 and "verified: yes" in done.output, done.output
    assert partitions(out) == {f"retention=standard/date={today}"}
    assert cli.invoke(app, ["dispose", "--output", str(out), "--verify"]).exit_code == 0
    shown = cli.invoke(app, ["report", str(out), "--json"])
    assert shown.exit_code == 0, shown.output
    (row,) = json.loads(shown.stdout)["runs"]
    assert row["run_id"] == run_id and row["event_time_future"] == 1
