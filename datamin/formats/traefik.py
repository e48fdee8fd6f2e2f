"""Traefik's JSON access logs (`accessLog.format: json`), documented at
https://doc.traefik.io/traefik/observability/access-logs/ ("Available Fields"): `StartUTC` /
`StartLocal`, `Duration` and `OriginDuration` (nanoseconds), `RequestMethod`, `RequestHost`
(without the port), `RequestAddr`, `RequestPath` (the request URI: path and query),
`RequestProtocol`, `RequestScheme`, `RequestLine`, `RequestContentSize`, `DownstreamStatus`
(to the client), `DownstreamContentSize`, `OriginStatus`, `ClientHost`, `ClientAddr`,
`ClientPort`, `ClientUsername`, `RouterName`, `ServiceName`, `ServiceURL`, `TraceId`, ...; and
the headers kept by `fields.headers`, each in a key of its own: `request_<Name>` (the
client's request), `downstream_<Name>` (the response to the client), `origin_<Name>` (the
origin's response, before Traefik's middlewares).
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

_MAPPED = (
    "StartUTC",
    "StartLocal",
    "Duration",
    "OriginDuration",
    "RequestMethod",
    "RequestHost",
    "RequestAddr",
    "RequestPath",
    "RequestProtocol",
    "RequestScheme",
    # `RequestMethod RequestPath RequestProtocol` again, its query with it: the parts say it.
    "RequestLine",
    "RequestContentSize",
    "DownstreamStatus",
    "DownstreamContentSize",
    "ClientHost",
    "ClientAddr",
    "ClientUsername",
)
# Header keys: the prefix and the side of the exchange they are walked under.
_HEADERS = (
    ("request_", "request"),
    ("downstream_", "response"),
    ("origin_", "traefik.origin"),
)


class TraefikLog:
    name = "traefik"
    prefix = "traefik"

    def matches(self, record: dict[str, Any]) -> bool:
        # Traefik's own names; Cloudflare's are `ClientRequestMethod`, `EdgeResponseStatus`.
        return isinstance(record.get("RequestMethod"), str) and (
            "DownstreamStatus" in record or "OriginStatus" in record
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        start = record.get("StartUTC") or record.get("StartLocal")
        x.meta(w, "started_at", x.started_at(start))
        x.meta(w, "time", _ns_to_ms(record.get("Duration")))
        if x.number(record.get("OriginStatus")) != 0:  # 0: no origin answered (a middleware did)
            x.meta(w, "timings.wait", _ns_to_ms(record.get("OriginDuration")))
        x.meta(w, "request.method", record.get("RequestMethod"))
        host = record.get("RequestHost") or x.without_port(record.get("RequestAddr"))
        x.target(w, record.get("RequestPath"), record.get("RequestScheme"), host or None)
        x.meta(w, "request.http_version", record.get("RequestProtocol"))
        x.meta(w, "request.body_size", x.number(record.get("RequestContentSize")))
        x.meta(w, "response.status", x.number(record.get("DownstreamStatus")))
        x.meta(w, "response.content_size", x.number(record.get("DownstreamContentSize")))
        client = record.get("ClientHost") or x.without_port(record.get("ClientAddr"))
        w.add("client.ip", client or None, FieldKind.META)
        # The user HTTP authentication named (`-` when none), as a combined log's `%u`.
        x.consumer_name(w, record.get("ClientUsername"))
        others: dict[str, Any] = {}
        for key, value in record.items():
            side = next((s for p, s in _HEADERS if key.startswith(p) and len(key) > len(p)), None)
            if side is None:
                if key not in _MAPPED:
                    others[key] = value
                continue
            name = key.split("_", 1)[1].lower()
            x.header(w, side, name, value)
            if name == "content-type" and side in ("request", "response"):
                x.meta(w, f"{side}.content_type", value)
        x.rest(w, "traefik", others, ())


def _ns_to_ms(value: Any) -> float | None:
    n = x.number(value)
    return None if n is None else round(n / 1e6, 6)


class TraefikFormat(GatewayLines):
    """`--format traefik`: JSON lines of Traefik access log records."""

    name = "traefik"
