"""Cloudflare Logpush, the zone's `http_requests` dataset, as JSON lines. Fields documented at
https://developers.cloudflare.com/logs/reference/log-fields/zone/http_requests/ :
`EdgeStartTimestamp` / `EdgeEndTimestamp` (RFC 3339, or Unix seconds or nanoseconds by the
job's `timestamp_format`), `ClientIP`, `ClientRequestMethod`, `ClientRequestScheme`,
`ClientRequestHost`, `ClientRequestURI` (path and query), `ClientRequestProtocol`,
`ClientRequestUserAgent`, `ClientRequestReferer`, `ClientRequestBytes`, `EdgeResponseStatus`,
`EdgeResponseBytes`, `EdgeResponseContentType`, `EdgeTimeToFirstByteMs`,
`OriginResponseDurationMs`, `RayID`; custom fields as `RequestHeaders`, `ResponseHeaders` and
`Cookies` objects.
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_MAPPED = (
    "EdgeStartTimestamp",
    "ClientIP",
    "ClientRequestMethod",
    "ClientRequestScheme",
    "ClientRequestHost",
    "ClientRequestURI",
    "ClientRequestProtocol",
    "ClientRequestUserAgent",
    "ClientRequestReferer",
    "ClientRequestBytes",
    "EdgeResponseStatus",
    "EdgeResponseBytes",
    "EdgeResponseContentType",
    "OriginResponseDurationMs",
    "RequestHeaders",
    "ResponseHeaders",
    "Cookies",
)


class CloudflareLog:
    name = "cloudflare"
    prefix = "cloudflare"

    def matches(self, record: dict[str, Any]) -> bool:
        return "ClientRequestMethod" in record and (
            "EdgeResponseStatus" in record or "EdgeStartTimestamp" in record
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        start = record.get("EdgeStartTimestamp")
        x.meta(w, "started_at", x.started_at(start))
        took = _duration_ms(start, record.get("EdgeEndTimestamp"))
        if took is None:
            took = x.number(record.get("EdgeTimeToFirstByteMs"))
        x.meta(w, "time", took)
        x.meta(w, "request.method", record.get("ClientRequestMethod"))
        scheme = record.get("ClientRequestScheme")
        x.target(w, record.get("ClientRequestURI"), scheme, record.get("ClientRequestHost"))
        x.meta(w, "request.http_version", record.get("ClientRequestProtocol"))
        x.header(w, "request", "user-agent", record.get("ClientRequestUserAgent"))
        x.header(w, "request", "referer", record.get("ClientRequestReferer"))
        x.headers(w, "request", record.get("RequestHeaders"), with_cookies=False)
        cookies = record.get("Cookies")
        if isinstance(cookies, dict):
            for name, value in cookies.items():
                w.add(join("request.cookies", str(name)), value, FieldKind.COOKIE)
        x.meta(w, "request.body_size", x.number(record.get("ClientRequestBytes")))
        x.meta(w, "response.status", x.number(record.get("EdgeResponseStatus")))
        x.headers(w, "response", record.get("ResponseHeaders"))
        x.meta(w, "response.content_type", record.get("EdgeResponseContentType"))
        x.meta(w, "response.content_size", x.number(record.get("EdgeResponseBytes")))
        x.meta(w, "timings.wait", x.number(record.get("OriginResponseDurationMs")))
        w.add("client.ip", record.get("ClientIP") or None, FieldKind.META)
        x.rest(w, "cloudflare", record, _MAPPED)


def _duration_ms(start: Any, end: Any) -> float | None:
    """The edge's time on the request, from its start and end timestamps."""
    from datetime import datetime

    first, last = x.started_at(start), x.started_at(end)
    if first is None or last is None:
        return None
    delta = datetime.fromisoformat(last) - datetime.fromisoformat(first)
    return round(delta.total_seconds() * 1000.0, 3)


class CloudflareFormat(GatewayLines):
    """`--format cloudflare`: JSON lines of Cloudflare Logpush HTTP request records."""

    name = "cloudflare"
