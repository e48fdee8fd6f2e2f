"""Azure Front Door access logs (Standard/Premium `FrontDoorAccessLog`, classic
`FrontdoorAccessLog`; Azure CDN's `AzureCdnAccessLog` has the same properties), as a diagnostic
setting writes them to a storage account or an event hub: Azure Monitor's common resource log
schema (`time`, `resourceId`, `category`, `operationName`, `properties`), documented at
https://learn.microsoft.com/azure/frontdoor/monitor-front-door (access log) and
https://learn.microsoft.com/azure/frontdoor/front-door-diagnostics. `properties`:
`trackingReference` (the request's `X-Azure-Ref`), `httpMethod`, `httpVersion`, `requestUri`
(scheme, host, port, path and query), `hostName`, `requestBytes`, `responseBytes`, `userAgent`,
`clientIp`, `clientPort`, `socketIp`, `timeToFirstByte` and `timeTaken` (seconds),
`requestProtocol`, `securityProtocol`, `httpStatusCode`, `pop`, `cacheStatus`, `errorInfo`,
`endpoint`, `originUrl`, `originIp`, `originName`, `referer`, `sni`, ... Values are written as
strings (`"timeTaken": "0.057"`).
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

CATEGORIES = frozenset({"frontdooraccesslog", "azurecdnaccesslog"})
_MAPPED = (
    "trackingReference",
    "httpMethod",
    "httpVersion",
    "requestUri",
    "hostName",
    "requestBytes",
    "responseBytes",
    "userAgent",
    "clientIp",
    "clientIP",
    "timeToFirstByte",
    "timeTaken",
    "requestProtocol",
    "httpStatusCode",
    "referer",
    "referrer",
    "originUrl",
)


class AzureFrontDoorLog:
    name = "azure-frontdoor"
    prefix = "azure"

    def matches(self, record: dict[str, Any]) -> bool:
        return x.resource_log(record, CATEGORIES, "httpMethod")

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        props: dict[str, Any] = record["properties"]
        x.meta(w, "started_at", x.started_at(record.get("time")))
        x.meta(w, "time", x.seconds_to_ms(props.get("timeTaken")))
        x.meta(w, "timings.wait", x.seconds_to_ms(props.get("timeToFirstByte")))
        x.meta(w, "request.method", props.get("httpMethod"))
        # `requestUri` is the whole URL; were it a path, the host and protocol say the rest.
        scheme = props.get("requestProtocol")
        scheme = scheme.lower() if isinstance(scheme, str) and scheme.isalpha() else None
        host = props.get("hostName") if isinstance(props.get("hostName"), str) else None
        x.target(w, props.get("requestUri"), scheme, host or None)
        x.meta(w, "request.http_version", props.get("httpVersion"))
        x.header(w, "request", "user-agent", props.get("userAgent"))
        x.header(w, "request", "referer", props.get("referer") or props.get("referrer"))
        x.header(w, "request", "x-request-id", props.get("trackingReference"))
        x.meta(w, "request.body_size", x.number(props.get("requestBytes")))
        x.meta(w, "response.status", x.number(props.get("httpStatusCode")))
        x.meta(w, "response.content_size", x.number(props.get("responseBytes")))
        client = props.get("clientIp") or props.get("clientIP")
        w.add("client.ip", client or None, FieldKind.META)
        # The origin's URL carries the client's query again: judged as a URL, under `azure.`.
        origin = props.get("originUrl")
        if isinstance(origin, str) and origin not in ("", "N/A"):
            w.add("azure.properties.originUrl", origin, FieldKind.URL)
        x.rest(w, "azure.properties", props, _MAPPED)
        x.rest(w, "azure", record, ("properties", "time"))


class AzureFrontDoorFormat(GatewayLines):
    """`--format azure-frontdoor`: JSON lines of Front Door access log records."""

    name = "azure-frontdoor"
