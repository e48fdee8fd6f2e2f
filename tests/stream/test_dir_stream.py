"""`datamin stream --source dir:PATH`: growing and rotated JSON-lines files, every line once."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from datamin.output.dispose import verify
from datamin.stream import StreamSettings, stream
from datamin.stream.batch import FAULT_ENV
from tests.stream.conftest import POLICY, audits, is_good, message, rows

SETTINGS = StreamSettings(batch_size=40, max_wait=0.1, until_idle=1.0)


def lines(numbers: range) -> bytes:
    return b"".join(message(n) + b"\n" for n in numbers)


def assert_each_line_once(out: Path, numbers: range) -> None:
    got = Counter(r["n"] for r in rows(out))
    assert sorted(got) == [n for n in numbers if is_good(n)]
    assert max(got.values()) == 1, "a line written twice"
    records = audits(out)
    assert all(a["balanced"] for a in records)
    assert sum(a["records_in"] for a in records) == len(numbers)
    assert verify(out, datetime.now(UTC)) == []


def stream_while(out: Path, source: str, change: Callable[[], None]) -> None:
    """Run the stream, and once its first batch is committed (it has seen the files and follows
    them from then on) make `change` to them in another thread."""

    def after_first_commit() -> None:
        deadline = time.monotonic() + 60
        while not audits(out) and time.monotonic() < deadline:
            time.sleep(0.02)
        change()

    thread = threading.Thread(target=after_first_commit)
    thread.start()
    stream(source, out, POLICY, settings=SETTINGS)
    thread.join()


def test_lines_appended_and_a_file_rotated_during_the_run_are_each_written_once(
    tmp_path: Path,
) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    live = logs / "app.jsonl"
    live.write_bytes(lines(range(1, 101)))

    def writer() -> None:
        with live.open("ab") as f:  # appends, a line written in two pieces among them
            for start in range(101, 301, 50):
                chunk = lines(range(start, start + 50))
                f.write(chunk[:-30])
                f.flush()
                time.sleep(0.15)
                f.write(chunk[-30:])
                f.flush()
        live.rename(logs / "app.jsonl.1")  # rotation: the old file keeps being read
        (logs / "app.jsonl").write_bytes(lines(range(301, 401)))
        with (logs / "other.ndjson").open("ab") as f:
            f.write(lines(range(401, 451)))

    stream_while(out, f"dir:{logs}", writer)
    assert_each_line_once(out, range(1, 451))


def test_a_glob_takes_rotated_names_the_runner_never_saw_and_reads_each_file_once(
    tmp_path: Path,
) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    (logs / "app.jsonl.1").write_bytes(lines(range(1, 61)))  # rotated before the first start
    (logs / "app.jsonl").write_bytes(lines(range(61, 101)))
    stream(f"dir:{logs}/app.jsonl*", out, POLICY, settings=SETTINGS)
    (logs / "app.jsonl").rename(logs / "app.jsonl.2")  # matches the glob under both names
    (logs / "app.jsonl").write_bytes(lines(range(101, 121)))
    stream(f"dir:{logs}/app.jsonl*", out, POLICY, settings=SETTINGS)
    assert_each_line_once(out, range(1, 121))


def test_a_runner_killed_mid_file_resumes_at_the_committed_line_even_after_rotation(
    tmp_path: Path,
) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    (logs / "app.log").write_bytes(lines(range(1, 201)))

    def child() -> None:
        os.environ[FAULT_ENV] = "moved:3"
        stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
        os._exit(0)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(120)
    assert proc.exitcode == -signal.SIGKILL
    # Rotated while the runner was down: the committed offset is found by the file's identity
    # under its new name, which no longer matches the pattern's extensions.
    (logs / "app.log").rename(logs / "app.log.1")
    (logs / "app.log").write_bytes(lines(range(201, 261)))
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    assert_each_line_once(out, range(1, 261))


def test_copy_and_truncate_rotation_reads_the_new_content_from_its_start(tmp_path: Path) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    live = logs / "app.jsonl"
    live.write_bytes(lines(range(1, 81)))
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    live.write_bytes(lines(range(81, 101)))  # truncated in place, shorter than before
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    assert_each_line_once(out, range(1, 101))


def test_the_copy_a_copy_and_truncate_rotation_makes_is_not_read_again(tmp_path: Path) -> None:
    """logrotate's `copytruncate` under a glob that takes rotated names: the copy holds lines
    already read (a review found every one written twice); it is known by those bytes and read
    on from where its original was, the truncated file from its new start."""
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    live = logs / "app.jsonl"
    live.write_bytes(lines(range(1, 61)))

    def rotate() -> None:
        shutil.copy(live, logs / "app.jsonl.1")
        with live.open("r+b") as f:
            f.truncate(0)
        time.sleep(0.3)
        with live.open("ab") as f:
            f.write(lines(range(61, 81)))

    stream_while(out, f"dir:{logs}/app.jsonl*", rotate)
    assert_each_line_once(out, range(1, 81))


def test_a_file_written_anew_in_place_while_followed_is_read_from_its_start(
    tmp_path: Path,
) -> None:
    """`producer > app.jsonl` on the same inode, longer than what was read: its new lines from
    the first (a review lost the first ten and quarantined half a line)."""
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    live = logs / "app.jsonl"
    live.write_bytes(lines(range(1, 11)))

    def rewrite() -> None:
        time.sleep(0.3)
        live.write_bytes(lines(range(101, 131)))  # truncated and written at once

    stream_while(out, f"dir:{logs}", rewrite)
    got = Counter(r["n"] for r in rows(out))
    expected = [n for n in [*range(1, 11), *range(101, 131)] if is_good(n)]
    assert sorted(got) == expected and max(got.values()) == 1
    assert all(a["balanced"] and not a["records_quarantined"] for a in audits(out))


def test_blank_lines_are_skipped_and_an_overlong_line_is_one_quarantined_record(
    tmp_path: Path,
) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.read_text() + "limits: {max_record_bytes: 2000}\n", encoding="utf-8")
    overlong = b'{"n": 0, "body": "' + b"x" * 5000 + b'"}\n'
    (logs / "a.jsonl").write_bytes(lines(range(1, 4)) + b"\n  \n" + overlong + lines(range(4, 6)))
    stream(f"dir:{logs}", out, policy, settings=SETTINGS)
    assert sorted(r["n"] for r in rows(out)) == [1, 2, 3, 4, 5]
    (record,) = audits(out)
    assert record["records_in"] == 6
    assert record["quarantine_by_error"] == {"LimitExceeded: record larger than the limit": 1}


def test_an_overlong_line_still_being_written_is_passed_over_once(tmp_path: Path) -> None:
    """Each poll goes on from where the last one left an overlong line not yet ended, instead
    of reading it again from its start (a review's 400 MB line kept a core busy); ended, it is
    one record, and the lines after it are read."""
    from datamin.stream.dir_source import DirSource

    logs = tmp_path / "logs"
    logs.mkdir()
    log = logs / "a.jsonl"
    log.write_bytes(lines(range(1, 3)) + b'{"body": "' + b"x" * 300_000)
    source = DirSource(str(logs), max_record_bytes=2000)
    source.start(None)
    assert [m.seq for m in source.fetch(10, 0.1)] == [1, 2]
    (watched,) = source._files.values()
    assert watched.skipped == log.stat().st_size  # passed over to the end, not yet ended
    with log.open("ab") as f:
        f.write(b"x" * 100_000)
    assert source.fetch(10, 0.1) == []
    assert watched.skipped == log.stat().st_size
    with log.open("ab") as f:
        f.write(b'"}\n' + lines(range(3, 5)))
    got = source.fetch(10, 0.1)
    assert [len(m.data) > 2000 for m in got] == [True, False, False]
    assert watched.skipped == 0 and watched.offset == log.stat().st_size
    source.close()


def test_a_file_replaced_under_the_same_name_is_read_from_its_start(tmp_path: Path) -> None:
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    (logs / "app.jsonl").write_bytes(lines(range(1, 51)))
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    (logs / "app.jsonl").unlink()
    (logs / "app.jsonl").write_bytes(lines(range(51, 171)))  # longer than the old one
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    assert_each_line_once(out, range(1, 171))


def test_a_directory_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    import pytest

    from datamin.errors import InputError

    with pytest.raises(InputError, match="no directory"):
        stream(f"dir:{tmp_path / 'nowhere'}/*.jsonl", tmp_path / "out", POLICY, settings=SETTINGS)


def test_a_line_dated_in_the_future_is_filed_under_its_batchs_date_and_counted(
    tmp_path: Path,
) -> None:
    """As `datamin run` does (`datamin.core.event_dates`): a stream keeps a line dated 2126 or
    9999 no longer than what it wrote today. A line of yesterday keeps its own date."""
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    days = [yesterday, "2126-12-01", "9999-12-31"]
    (logs / "app.jsonl").write_bytes(
        b"".join(message(n, day=d) + b"\n" for n, d in enumerate(days, 1))
    )
    stream(f"dir:{logs}", out, POLICY, settings=SETTINGS)
    (record,) = audits(out)
    today = record["started_at"][:10]
    assert record["event_time_future"] == 2 and record["balanced"]
    assert record["records_in"] == 3 == record["records_written"]
    filed = {p.name for p in (out / "data" / "retention=long").glob("date=*")}
    assert filed == {f"date={yesterday}", f"date={today}"}
    assert verify(out, datetime.now(UTC)) == []
