"""What a streaming runner reports: a status line every few seconds, and the same figures as
Prometheus text on `--metrics-port`. Counts and times only, never a value."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_LATENCIES_KEPT = 10_000


@dataclass
class StreamStatus:
    records_in: int = 0
    records_written: int = 0
    records_dropped: int = 0
    records_quarantined: int = 0
    rows_expired: int = 0
    batches: int = 0
    lag: tuple[int, str] | None = None
    last_batch_seconds: float = 0.0
    # Seconds from a message's publication to its batch's commit (sources that know when).
    latencies: deque[float] = field(
        default_factory=lambda: deque(maxlen=_LATENCIES_KEPT), repr=False
    )
    started: float = field(default_factory=time.monotonic)
    first_batch_started: float | None = None  # monotonic: when the first batch was read
    last_commit: float | None = None  # monotonic: when the newest batch committed
    _mark: tuple[float, int] = field(default=(0.0, 0), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._mark = (self.started, 0)

    def add_batch(self, stats: dict[str, Any], expired: int, seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            if self.first_batch_started is None:
                self.first_batch_started = now - seconds
            self.last_commit = now
            self.batches += 1
            self.records_in += stats["records_in"]
            self.records_written += stats["records_written"]
            self.records_dropped += stats["records_dropped"]
            self.records_quarantined += stats["records_quarantined"]
            self.rows_expired += expired
            self.last_batch_seconds = seconds

    def add_latencies(self, published: list[float], committed: float) -> None:
        with self._lock:
            self.latencies.extend(max(0.0, committed - p) for p in published)

    def percentile(self, q: float) -> float | None:
        with self._lock:
            ordered = sorted(self.latencies)
        if not ordered:
            return None
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        """records/s since the last line, lag, batch latency, quarantined."""
        now = time.monotonic()
        with self._lock:
            since, count = self._mark
            rate = (self.records_in - count) / max(now - since, 1e-9)
            self._mark = (now, self.records_in)
            lag = f"{self.lag[0]} {self.lag[1]}" if self.lag else "unknown"
            text = (
                f"stream: {rate:.0f} records/s, {self.records_in} in, {self.records_written} "
                f"written, {self.records_quarantined} quarantined, lag {lag}, last batch "
                f"{self.last_batch_seconds:.2f}s"
            )
        p95 = self.percentile(0.95)
        if p95 is not None:
            text += f", p95 publish-to-commit {p95:.2f}s"
        return text

    def prometheus(self) -> str:
        with self._lock:
            lines = [
                _metric("records_in_total", "counter", "Records read.", self.records_in),
                _metric(
                    "records_written_total", "counter", "Records written.", self.records_written
                ),
                _metric(
                    "records_dropped_total",
                    "counter",
                    "Records with nothing kept.",
                    self.records_dropped,
                ),
                _metric(
                    "records_quarantined_total",
                    "counter",
                    "Records quarantined.",
                    self.records_quarantined,
                ),
                _metric(
                    "rows_expired_total",
                    "counter",
                    "Rows past their retention, not written.",
                    self.rows_expired,
                ),
                _metric("batches_total", "counter", "Batches committed.", self.batches),
                _metric(
                    "batch_seconds", "gauge", "Last batch, read to commit.", self.last_batch_seconds
                ),
                _metric(
                    "uptime_seconds",
                    "gauge",
                    "Since the runner started.",
                    time.monotonic() - self.started,
                ),
            ]
            if self.lag is not None:
                lines.append(
                    _metric(
                        f"lag_{self.lag[1]}",
                        "gauge",
                        "Source head beyond the committed position.",
                        self.lag[0],
                    )
                )
        for q in (0.5, 0.95):
            value = self.percentile(q)
            if value is not None:
                name = f"publish_to_commit_seconds_p{int(q * 100)}"
                lines.append(
                    _metric(name, "gauge", "Publication to commit, recent messages.", value)
                )
        return "".join(lines)


def _metric(name: str, kind: str, doc: str, value: float) -> str:
    full = f"datamin_stream_{name}"
    return f"# HELP {full} {doc}\n# TYPE {full} {kind}\n{full} {value}\n"


class MetricsServer:
    """`GET /metrics` on 127.0.0.1:`port` (0: any free port; `port` tells which), in a thread."""

    def __init__(self, status: StreamStatus, port: int, host: str = "127.0.0.1") -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.split("?")[0] not in ("/metrics", "/"):
                    self.send_error(404)
                    return
                body = status.prometheus().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:  # no request lines on stderr
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
