"""`datamin stream` from a real NATS JetStream server, with `policies/messages.yaml`.

    python -m benchmarks.bench_stream [--messages 10000] [--backlog 3000]
                                      [--rate 200] [--seconds 30] [--only kills|drain|latency]

Three measurements, each on its own server (the `nats-server` binary of the venv, free port):

- **kills**: `--messages` generated Twilio-style messages (planted phone numbers, emails,
  names, cards... in their bodies; event times set to the moment of publication) are published
  at a steady pace while `datamin stream` runs as a process and is killed (SIGKILL) five times:
  twice from outside at a random moment, three times by itself at a step of a batch's commit
  (intent written, files moved, audit written); a last run drains the rest. Checked:
  exactly one analytics row per message (the `message` column is the keyed pseudonym of each
  message's sid, so a row written twice is seen), no planted value in any file of the output or
  in anything the runners printed, every batch's audit balanced, `dispose --verify` clean.
- **drain**: `--backlog` messages already in the stream; records/s from the runner's first
  batch to its last commit (start-up, model load included, reported apart).
- **latency**: messages offered at `--rate` per second for `--seconds`; p50/p95 from the
  broker's receipt of a message (its JetStream timestamp) to the commit of its batch, with
  batches of 100 (0.2 s wait) and of 500 (0.5 s wait).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datamin.leakscan import needles_for, scan_text, scan_tree
from datamin.sample import iter_messages
from datamin.stream.natsserver import NatsServer, nats_server

REPO = Path(__file__).resolve().parents[1]
POLICY = REPO / "policies" / "messages.yaml"
STREAM, SUBJECT = "MESSAGES", "messages.in"
KEY = "bench-stream-key-0123456789abcdef0123456789abcdef"


def messages(n: int, seed: int = 11) -> tuple[list[dict[str, Any]], list[Any]]:
    bodies, planted = [], []
    for message, values in iter_messages(seed, n):
        bodies.append(message)
        planted += values
    return bodies, planted


def stamped(message: dict[str, Any]) -> bytes:
    """The message as published now: a live stream's event time is about now."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return json.dumps({**message, "date_created": now, "date_sent": now}).encode()


class Publisher(threading.Thread):
    """Publishes `payloads` at `rate` per second (waiting for each second's acks)."""

    def __init__(self, server: NatsServer, payloads: list[dict[str, Any]], rate: float) -> None:
        super().__init__(daemon=True)
        self.server, self.payloads, self.rate = server, payloads, rate
        self.published = 0

    def run(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        import nats

        nc = await nats.connect(self.server.url)
        js = nc.jetstream()
        started = time.monotonic()
        step = max(1, int(self.rate / 10))  # ten bursts a second
        for i in range(0, len(self.payloads), step):
            chunk = self.payloads[i : i + step]
            await asyncio.gather(*(js.publish(SUBJECT, stamped(m)) for m in chunk))
            self.published += len(chunk)
            wait = started + self.published / self.rate - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        await nc.close()


def runner_args(server: NatsServer, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "datamin.cli.app", "stream",
        "-s", f"{server.url}/{STREAM}?durable=bench", "-o", str(out), "-p", str(POLICY),
        "--status-every", "2", *extra,
    ]  # fmt: skip


# How each runner dies: SIGKILL from outside at a random moment, or SIGKILL it sends itself
# the n-th time it reaches a step of a batch's commit (`datamin.stream.batch.FAULT_ENV`).
KILLS = ["random", "intent:2", "moved:3", "random", "audit:2"]


def bench_kills(n: int, rate: float, work: Path) -> dict[str, Any]:
    from datamin.stream.batch import FAULT_ENV

    bodies, planted = messages(n)
    out, logs = work / "out-kills", work / "logs"
    logs.mkdir()
    rng = random.Random(5)
    kills: list[dict[str, Any]] = []
    with nats_server(work / "nats-kills") as server:
        server.create_stream(STREAM, [SUBJECT])
        publisher = Publisher(server, bodies, rate)
        publisher.start()
        for k, how in enumerate(KILLS):
            env = {**os.environ, "DATAMIN_KEY": KEY}
            if how != "random":
                env[FAULT_ENV] = how
            args = runner_args(server, out, "--batch-size", "200")
            with (logs / f"run-{k}.out").open("wb") as o, (logs / f"run-{k}.err").open("wb") as e:
                started = time.monotonic()
                proc = subprocess.Popen(args, stdout=o, stderr=e, env=env)
                try:  # model load takes seconds: a random kill once some batches committed
                    proc.wait(rng.uniform(6.0, 14.0) if how == "random" else 120)
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
            kills.append(
                {
                    "how": how,
                    "after_seconds": round(time.monotonic() - started, 1),
                    "exit": proc.returncode,
                    "left": _left_behind(out),
                }
            )
        publisher.join()
        with (logs / "final.out").open("wb") as o, (logs / "final.err").open("wb") as e:
            started = time.monotonic()
            final = subprocess.run(
                runner_args(server, out, "--until-idle", "5"),
                stdout=o,
                stderr=e,
                env={**os.environ, "DATAMIN_KEY": KEY},
            )
            final_seconds = time.monotonic() - started
    import pyarrow.dataset as ds

    table = ds.dataset(out / "data" / "retention=analytics", format="parquet").to_table()
    ids = table.column("message").to_pylist()
    audits = [json.loads(p.read_text()) for p in (out / "_audit" / "runs").glob("*.json")]
    needles = needles_for(planted)
    leaks = len(scan_tree(out, needles))
    printed = "\n".join(p.read_text(errors="replace") for p in sorted(logs.iterdir()))
    leaks_in_logs = len(scan_text(printed, needles))
    from datamin.output.dispose import verify

    return {
        "messages_published": n,
        "kills": kills,
        "final_run_exit": final.returncode,
        "final_run_seconds": round(final_seconds, 1),
        "rows_analytics": len(ids),
        "distinct_messages": len(set(ids)),
        "duplicates": len(ids) - len(set(ids)),
        "records_in_audited": sum(a["records_in"] for a in audits),
        "records_quarantined": sum(a["records_quarantined"] for a in audits),
        "batches": len(audits),
        "all_batches_balanced": all(a["balanced"] for a in audits),
        "planted_values": len({p.value for p in planted}),
        "leaks_in_output": leaks,
        "leaks_in_logs": leaks_in_logs,
        "verify_problems": len(verify(out, datetime.now(UTC))),
    }


def _left_behind(out: Path) -> str:
    """What a killed runner left: a commit begun (intent), a staged batch, or nothing."""
    committed = len(list((out / "_audit" / "runs").glob("*.json")))
    if list((out / "_audit" / "commits").glob("*.json")):
        return f"{committed} batches committed, one mid-commit (its intent not yet removed)"
    if (out / "_staging").exists() and any((out / "_staging").iterdir()):
        return f"{committed} batches committed, one staged (no intent)"
    return f"{committed} batches committed, none in progress on disk"


def bench_drain(n: int, work: Path) -> dict[str, Any]:
    from datamin.stream import StreamSettings, stream

    bodies, _ = messages(n, seed=12)
    out = work / "out-drain"
    with nats_server(work / "nats-drain") as server:
        server.create_stream(STREAM, [SUBJECT])
        server.publish(SUBJECT, [stamped(m) for m in bodies])
        started = time.monotonic()
        settings = StreamSettings(batch_size=500, max_wait=0.5, until_idle=2.0)
        os.environ["DATAMIN_KEY"] = KEY
        result = stream(f"{server.url}/{STREAM}", out, POLICY, settings=settings)
    s = result.status
    assert s.first_batch_started is not None and s.last_commit is not None
    drain = s.last_commit - s.first_batch_started
    return {
        "backlog": n,
        "records_in": s.records_in,
        "batches": s.batches,
        "startup_seconds": round(s.first_batch_started - started, 1),
        "drain_seconds": round(drain, 1),
        "drain_records_per_s": round(s.records_in / max(drain, 1e-9), 1),
    }


def bench_latency(
    rate: float, seconds: float, work: Path, batch_size: int, max_wait: float
) -> dict[str, Any]:
    from datamin.stream import StreamSettings, stream

    n = int(rate * seconds)
    bodies, _ = messages(n, seed=13)
    out = work / f"out-latency-{batch_size}"
    os.environ["DATAMIN_KEY"] = KEY
    with nats_server(work / f"nats-latency-{batch_size}") as server:
        server.create_stream(STREAM, [SUBJECT])
        stop = threading.Event()
        holder: dict[str, Any] = {}

        def run() -> None:
            settings = StreamSettings(batch_size=batch_size, max_wait=max_wait)
            holder["result"] = stream(
                f"{server.url}/{STREAM}", out, POLICY, settings=settings, stop=stop
            )

        runner = threading.Thread(target=run)
        runner.start()
        time.sleep(15)  # start-up and model load before the clock
        publisher = Publisher(server, bodies, rate)
        publisher.start()
        publisher.join()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if _committed(out) >= n:
                break
        stop.set()
        runner.join()
    s = holder["result"].status
    return {
        "batch_size": batch_size,
        "max_wait": max_wait,
        "offered_rate": rate,
        "seconds": seconds,
        "messages": n,
        "records_in": s.records_in,
        "p50_publish_to_commit_s": round(s.percentile(0.5) or -1, 2),
        "p95_publish_to_commit_s": round(s.percentile(0.95) or -1, 2),
        "batches": s.batches,
    }


def _committed(out: Path) -> int:
    total = 0
    for p in (out / "_audit" / "runs").glob("*.json"):
        try:
            total += json.loads(p.read_text())["records_in"]
        except (OSError, ValueError, KeyError):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--publish-rate", type=float, default=300.0)
    parser.add_argument("--backlog", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--only", choices=["kills", "drain", "latency"])
    args = parser.parse_args()
    results: dict[str, Any] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="datamin-bench-stream-") as tmp:
        work = Path(tmp)
        if args.only in (None, "drain"):
            results["drain"] = bench_drain(args.backlog, work)
            print(json.dumps(results["drain"]), flush=True)
        if args.only in (None, "latency"):
            results["latency"] = [
                bench_latency(args.rate, args.seconds, work, size, wait)
                for size, wait in ((100, 0.2), (500, 0.5))
            ]
            print(json.dumps(results["latency"]), flush=True)
        if args.only in (None, "kills"):
            results["kills"] = bench_kills(args.messages, args.publish_rate, work)
            print(json.dumps(results["kills"]), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
