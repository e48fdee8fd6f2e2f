"""Fastly real-time log streaming in JSON. Fastly has no one JSON format: an endpoint's log line
is a format string of VCL variables. Two are documented and common, and are read here: the
default of Fastly's JSON endpoints such as New Relic Logs
(https://docs.fastly.com/documentation/reference/api/logging/new-relic: `timestamp`,
`time_elapsed`, `is_tls`, `client_ip`, `geo_city`, `geo_country_code`, `request` (the method),
`host`, `url` (path and query), `request_referer`, `request_user_agent`,
`request_accept_language`, `request_accept_charset`, `cache_status`), and the format Fastly's
analytics partners give (its keys and more: `service_id`, `time_start`, `time_end`, `protocol`,
`origin_host`, `response_state`, `response_status`, `response_reason`, `response_body_size`,
`fastly_server`, `fastly_is_edge`; `request_method` for `request` in some). `time_elapsed` is
`time.elapsed.usec`: microseconds
(https://www.fastly.com/documentation/guides/integrations/streaming-logs/custom-log-formats).
Times written with `%{begin:...}t` carry no zone: Fastly's clock is UTC.
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

# Keys of Fastly's formats that no other access log has; one of them, beside its request.
_OWN = ("time_elapsed", "cache_status", "response_state", "fastly_server", "fastly_is_edge")
_MAPPED = (
    "timestamp",
    "time_start",
    "time_elapsed",
    "client_ip",
    "request",
    "request_method",
    "host",
    "url",
    "protocol",
    "request_protocol",
    "is_tls",
    "request_referer",
    "request_user_agent",
    "response_status",
    "response_body_size",
)


class FastlyLog:
    name = "fastly"
    prefix = "fastly"

    def matches(self, record: dict[str, Any]) -> bool:
        method = record.get("request_method", record.get("request"))
        return (
            isinstance(method, str)
            and method.isalpha()
            and isinstance(record.get("url"), str)
            and "client_ip" in record
            and any(k in record for k in _OWN)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        when = record.get("time_start") or record.get("timestamp")
        x.meta(w, "started_at", x.started_at(when))
        elapsed = x.number(record.get("time_elapsed"))
        x.meta(w, "time", None if elapsed is None else round(elapsed / 1000.0, 3))
        x.meta(w, "request.method", record.get("request_method") or record.get("request"))
        tls = str(record.get("is_tls")).lower()
        scheme = "https" if tls == "true" else "http" if tls == "false" else None
        host = record.get("host") if isinstance(record.get("host"), str) else None
        x.target(w, record.get("url"), scheme, x.without_port(host))
        x.meta(w, "request.http_version", record.get("protocol") or record.get("request_protocol"))
        x.header(w, "request", "referer", record.get("request_referer"))
        x.header(w, "request", "user-agent", record.get("request_user_agent"))
        x.meta(w, "response.status", x.number(record.get("response_status")))
        x.meta(w, "response.content_size", x.number(record.get("response_body_size")))
        w.add("client.ip", x.without_port(record.get("client_ip")), FieldKind.META)
        # The rest under `fastly.`: `fastly.cache_status`, `fastly.geo_city`, ...
        x.rest(w, "fastly", record, _MAPPED)


class FastlyFormat(GatewayLines):
    """`--format fastly`: JSON lines of Fastly log records."""

    name = "fastly"
