"""Google Cloud Logging entries of HTTP requests (Cloud Load Balancing, Cloud Run, App Engine,
API Gateway and Cloud Endpoints), as a sink exports them (JSON lines, one `LogEntry` each).
`LogEntry`: https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry (`timestamp`,
`logName`, `insertId`, `resource`, `labels`, `severity`, `trace`, `spanId`, `jsonPayload` /
`protoPayload`, `httpRequest`); `HttpRequest`:
https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#HttpRequest
(`requestMethod`, `requestUrl` with scheme, host, path and query, `requestSize`, `status`,
`responseSize`, `userAgent`, `remoteIp` and `serverIp` (a port may follow), `referer`,
`latency` as a protobuf Duration, `"0.057s"` in JSON, `protocol`, `cacheHit`, ...). Int64 values
are strings in JSON (`"requestSize": "412"`). Cloud Endpoints' ESP logs its request in
`jsonPayload` instead (https://cloud.google.com/endpoints/docs/openapi/ref-endpoints-logs:
`url` (the path), `http_method`, `http_response_code`, `request_latency_in_ms`,
`request_size_in_bytes`, `response_size_in_bytes`, `api_key`, `api_method`, ...).
"""

from __future__ import annotations

import re
from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

# Keys every exported LogEntry has; an ESP payload is recognized only inside one.
_ENTRY_KEYS = ("logName", "insertId", "receiveTimestamp")
_HTTP = ("requestMethod", "requestUrl", "requestSize", "status", "responseSize")
_HTTP_MAPPED = (*_HTTP, "userAgent", "remoteIp", "referer", "latency", "protocol")
# ESP's `jsonPayload` keys that the exchange takes; the rest (`api_key`, `api_method`...) stays.
_ESP = (
    "url",
    "http_method",
    "http_response_code",
    "request_latency_in_ms",
    "request_size_in_bytes",
    "response_size_in_bytes",
)
_DURATION = re.compile(r"^(-?\d+(?:\.\d+)?)s$")
# App Engine's request log entries: `appengine.AppEngineRequestLog`'s, whatever their
# `httpRequest` holds.
REQUEST_LOG = "type.googleapis.com/google.appengine.logging.v1.RequestLog"


class GcpRequestLog:
    name = "gcp-logging"
    prefix = "gcp"

    def matches(self, record: dict[str, Any]) -> bool:
        if is_request_log(record):
            return False
        http = record.get("httpRequest")
        if isinstance(http, dict) and isinstance(http.get("requestMethod"), str):
            # `HttpRequest` is Cloud Logging's own message: a method with a URL or a status.
            return "requestUrl" in http or "status" in http
        payload = record.get("jsonPayload")
        return (
            isinstance(payload, dict)
            and any(k in record for k in _ENTRY_KEYS)
            and isinstance(payload.get("http_method"), str)
            and "http_response_code" in payload
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        http = record.get("httpRequest") if isinstance(record.get("httpRequest"), dict) else {}
        raw_payload = record.get("jsonPayload")
        payload: dict[str, Any] = raw_payload if isinstance(raw_payload, dict) else {}
        esp = "http_method" in payload and "http_response_code" in payload
        x.meta(w, "started_at", x.started_at(record.get("timestamp")))
        took = duration_ms(http.get("latency"))
        if took is None and esp:
            took = x.number(payload.get("request_latency_in_ms"))
        x.meta(w, "time", took)
        x.meta(w, "request.method", http.get("requestMethod") or payload.get("http_method"))
        target = http.get("requestUrl") or (payload.get("url") if esp else None)
        x.target(w, target, None, None)
        x.meta(w, "request.http_version", http.get("protocol"))
        x.header(w, "request", "user-agent", http.get("userAgent"))
        x.header(w, "request", "referer", http.get("referer"))
        size = http.get("requestSize", payload.get("request_size_in_bytes") if esp else None)
        x.meta(w, "request.body_size", x.number(size))
        status = http.get("status", payload.get("http_response_code") if esp else None)
        x.meta(w, "response.status", x.number(status))
        size = http.get("responseSize", payload.get("response_size_in_bytes") if esp else None)
        x.meta(w, "response.content_size", x.number(size))
        w.add("client.ip", x.without_port(http.get("remoteIp")), FieldKind.META)
        # The rest under `gcp.`: the request's other keys (`gcp.httpRequest.cacheHit`,
        # `serverIp`), the payload's (`gcp.jsonPayload.api_key`, a credential, judged by its
        # name and dropped unless a rule keeps it), `resource`, `labels`, `trace`, ...
        x.rest(w, "gcp.httpRequest", http, _HTTP_MAPPED)
        x.rest(w, "gcp.jsonPayload", payload, _ESP if esp else ())
        x.rest(w, "gcp", record, ("httpRequest", "jsonPayload", "timestamp"))


def is_request_log(record: dict[str, Any]) -> bool:
    """Whether a LogEntry's payload is App Engine's `RequestLog`."""
    payload = record.get("protoPayload")
    return isinstance(payload, dict) and payload.get("@type") == REQUEST_LOG


def duration_ms(value: Any) -> float | None:
    """A protobuf Duration in milliseconds: its JSON form (`"0.057s"`, `"3s"`) or its object
    form (`{"seconds": "3", "nanos": 500000000}`). A bare number says no unit: none."""
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        return round(float(match.group(1)) * 1000.0, 3) if match else None
    if isinstance(value, dict) and ("seconds" in value or "nanos" in value):
        seconds, nanos = x.number(value.get("seconds", 0)), x.number(value.get("nanos", 0))
        if seconds is None or nanos is None:
            return None
        return round(seconds * 1000.0 + nanos / 1e6, 3)
    return None


class GcpRequestLogFormat(GatewayLines):
    """`--format gcp-logging`: JSON lines of Cloud Logging entries of HTTP requests."""

    name = "gcp-logging"
