"""Envoy and Istio JSON access logs: the keys of Envoy's default format written as a JSON
dictionary, as Istio's `accessLogEncoding: JSON` does. Documented at
https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage
(default format: `START_TIME`, `REQ(:METHOD)`, `REQ(X-ENVOY-ORIGINAL-PATH?:PATH)`, `PROTOCOL`,
`RESPONSE_CODE`, `RESPONSE_FLAGS`, `BYTES_RECEIVED`, `BYTES_SENT`, `DURATION`,
`RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)`, `REQ(X-FORWARDED-FOR)`, `REQ(USER-AGENT)`,
`REQ(X-REQUEST-ID)`, `REQ(:AUTHORITY)`, `UPSTREAM_HOST`) and Istio's JSON keys
(https://istio.io/latest/docs/tasks/observability/logs/access-log/): `start_time`, `method`,
`path`, `protocol`, `response_code`, `duration`, `upstream_service_time`, `x_forwarded_for`,
`user_agent`, `request_id`, `authority`, `upstream_host`, `downstream_remote_address`, ...
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

# Request headers Envoy's operators log under their own key, in either spelling.
_HEADERS = {
    "x_forwarded_for": "x-forwarded-for",
    "x-forwarded-for": "x-forwarded-for",
    "user_agent": "user-agent",
    "user-agent": "user-agent",
    "request_id": "x-request-id",
    "x_request_id": "x-request-id",
    "x-request-id": "x-request-id",
    "referer": "referer",
}
_PATHS = ("x-envoy-original-path", "x_envoy_original_path", "original_path", "path")
_MAPPED = (
    "start_time",
    "method",
    "protocol",
    "response_code",
    "duration",
    "bytes_received",
    "bytes_sent",
    "upstream_service_time",
    "x_envoy_upstream_service_time",
    "authority",
    "downstream_remote_address",
    *_PATHS,
    *_HEADERS,
)


class EnvoyLog:
    name = "envoy"
    prefix = "envoy"

    def matches(self, record: dict[str, Any]) -> bool:
        return "start_time" in record and "response_code" in record and "method" in record

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        x.meta(w, "started_at", x.started_at(record.get("start_time")))
        x.meta(w, "time", x.number(record.get("duration")))
        x.meta(w, "request.method", record.get("method"))
        path = next((record[k] for k in _PATHS if record.get(k) not in (None, "", "-")), None)
        # Envoy logs no scheme; the authority is the host the client asked for.
        x.target(w, path, None, _host(record.get("authority")))
        x.meta(w, "request.http_version", record.get("protocol"))
        for key, name in _HEADERS.items():
            if key in record:
                x.header(w, "request", name, record[key])
        x.meta(w, "request.body_size", x.number(record.get("bytes_received")))
        x.meta(w, "response.status", x.number(record.get("response_code")))
        x.meta(w, "response.content_size", x.number(record.get("bytes_sent")))
        upstream = record.get("upstream_service_time", record.get("x_envoy_upstream_service_time"))
        x.meta(w, "timings.wait", x.number(upstream))
        w.add("client.ip", x.without_port(record.get("downstream_remote_address")), FieldKind.META)
        x.rest(w, "envoy", record, _MAPPED)


def _host(authority: Any) -> str | None:
    return authority if isinstance(authority, str) and authority not in ("", "-") else None


class EnvoyFormat(GatewayLines):
    """`--format envoy`: JSON lines of Envoy / Istio access log records."""

    name = "envoy"
