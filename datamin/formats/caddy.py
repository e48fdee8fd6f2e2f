"""Caddy's JSON access logs (the `log` directive, `format json`), documented at
https://caddyserver.com/docs/caddyfile/directives/log and https://caddyserver.com/docs/logging:
`request` {`remote_ip`, `remote_port`, `client_ip`, `proto`, `method`, `host`, `uri` (path and
query), `headers` (each name a list of values), `tls` {...}}, `status`, `duration`, `size`,
`bytes_read`, `user_id`, `resp_headers`, and the logger's `level`, `ts`, `logger`
(`http.log.access...`), `msg` (`handled request`).

`duration` is written as `duration_format` says: `seconds` (the default: a float), `nano` (an
integer of nanoseconds) or `string` (Go's `1m32.05s`, `6.31ms`). A JSON integer is read as the
`nano` format's: in seconds a duration is a whole number once in a billion requests (Caddy
measures in nanoseconds), and nothing that takes nanoseconds is a second long. `ts` is a Unix
time in seconds by default, or a time in any of `time_format`'s layouts.
"""

from __future__ import annotations

import re
from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

_REQUEST = ("method", "uri", "host", "proto", "headers", "client_ip")
_MAPPED = ("ts", "request", "status", "duration", "size", "bytes_read", "user_id", "resp_headers")
# Go's `time.Duration.String()`: `1h2m3.5s`, `6.31ms`, `850µs`, `12ns`.
_GO_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|μs|ns))+$")
_GO_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)")
_UNIT_MS = {"h": 3.6e6, "m": 6e4, "s": 1e3, "ms": 1.0, "us": 1e-3, "µs": 1e-3, "μs": 1e-3}


class CaddyLog:
    name = "caddy"
    prefix = "caddy"

    def matches(self, record: dict[str, Any]) -> bool:
        # A request object with a method and a `uri` beside a top-level status and Caddy's own
        # `duration`, `bytes_read` or access logger: no HAR entry (`url`, a response object) or
        # Kong record (`latencies`, a response object) has them.
        request = record.get("request")
        if not (isinstance(request, dict) and isinstance(request.get("method"), str)):
            return False
        logger = record.get("logger")
        ours = isinstance(logger, str) and logger.startswith("http.log.access")
        return (
            isinstance(request.get("uri"), str)
            and "status" in record
            and ("duration" in record or "bytes_read" in record or ours)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        req: dict[str, Any] = record["request"]
        x.meta(w, "started_at", x.started_at(record.get("ts")))
        x.meta(w, "time", duration_ms(record.get("duration")))
        w.add("request.method", req["method"], FieldKind.META)
        # Caddy logs a `tls` object for a request that came over TLS, and none otherwise.
        scheme = "https" if isinstance(req.get("tls"), dict) else "http"
        host = req.get("host") if isinstance(req.get("host"), str) and req.get("host") else None
        x.target(w, req.get("uri"), scheme, host)
        x.meta(w, "request.http_version", req.get("proto"))
        x.headers(w, "request", req.get("headers"))
        x.meta(w, "request.content_type", _first(req.get("headers"), "content-type"))
        x.meta(w, "request.body_size", x.number(record.get("bytes_read")))
        x.meta(w, "response.status", x.number(record.get("status")))
        x.headers(w, "response", record.get("resp_headers"))
        x.meta(w, "response.content_type", _first(record.get("resp_headers"), "content-type"))
        x.meta(w, "response.content_size", x.number(record.get("size")))
        # `client_ip` is the client's address once trusted proxies are configured, the peer's
        # (`remote_ip`) otherwise; a `remote_ip` that differs is a proxy's, kept under `caddy.`.
        client = req.get("client_ip") or req.get("remote_ip")
        w.add("client.ip", client or None, FieldKind.META)
        # `{http.auth.user.id}`: the user an authentication handler (`basic_auth`) let in.
        x.consumer_name(w, record.get("user_id"))
        taken = (*_REQUEST, "remote_ip") if req.get("remote_ip") == client else _REQUEST
        x.rest(w, "caddy.request", req, taken)
        x.rest(w, "caddy", record, _MAPPED)


def duration_ms(value: Any) -> float | None:
    """Caddy's `duration` in milliseconds, in each of its `duration_format`s."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):  # `nano`
        return round(value / 1e6, 6)
    if isinstance(value, float):  # `seconds`
        return round(value * 1000.0, 6)
    if isinstance(value, str) and _GO_DURATION.match(value.strip()):  # `string`
        total = 0.0
        for amount, unit in _GO_PART.findall(value.strip()):
            total += float(amount) * (1e-6 if unit == "ns" else _UNIT_MS[unit])
        return round(total, 6)
    return None


def _first(headers: Any, name: str) -> str | None:
    """A header's first value, from Caddy's `{"Name": ["value", ...]}`."""
    if not isinstance(headers, dict):
        return None
    for key, values in headers.items():
        if str(key).lower() == name:
            value = values[0] if isinstance(values, list) and values else values
            return value if isinstance(value, str) and value else None
    return None


class CaddyFormat(GatewayLines):
    """`--format caddy`: JSON lines of Caddy access log records."""

    name = "caddy"
