"""Azure Application Gateway access logs, as its diagnostic setting writes them to a storage
account or an event hub: Azure Monitor's common resource log schema (`time` or `timeStamp`,
`resourceId`, `operationName`, `category: ApplicationGatewayAccessLog`, `properties`), documented
at https://learn.microsoft.com/azure/application-gateway/application-gateway-diagnostics
(access log, v1 and v2 SKUs). `properties`: `clientIP`, `clientPort`, `httpMethod`,
`requestUri` (the path), `requestQuery`, `userAgent`, `httpStatus`, `httpVersion`,
`receivedBytes`, `sentBytes`, `timeTaken`, `host`, `originalHost`, and on v2
`originalRequestUriWithArgs`, `transactionId`, `serverRouted`, `serverStatus`,
`serverResponseLatency`, `clientResponseTime`, `WAFEvaluationTime`, `contentType`, `error_info`.

`timeTaken` is in seconds on v2 and in milliseconds on v1; a record says which by its keys (v2's
own, above) or by what v1 writes into `requestQuery` after the client's query
(`SERVER-ROUTED=...&X-AzureApplicationGateway-LOG-ID=...&SERVER-STATUS=...`). A record that says
neither gets no latency rather than one a thousand times off.
"""

from __future__ import annotations

from typing import Any

from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

CATEGORY = "applicationgatewayaccesslog"
_V2 = (
    "transactionId",
    "serverRouted",
    "serverStatus",
    "serverResponseLatency",
    "clientResponseTime",
    "WAFEvaluationTime",
    "upstreamSourcePort",
    "originalRequestUriWithArgs",
    "error_info",
)
# v1's own parameters, appended to the client's query in `requestQuery`.
_V1_PARAMS = ("SERVER-ROUTED", "SERVER-STATUS")
_V1_PREFIX = "X-AzureApplicationGateway-"
_MAPPED = (
    "clientIP",
    "httpMethod",
    "requestUri",
    "requestQuery",
    "userAgent",
    "httpStatus",
    "httpVersion",
    "receivedBytes",
    "sentBytes",
    "host",
    "originalHost",
    "transactionId",
    "serverResponseLatency",
    "contentType",
)


class AzureAppGatewayLog:
    name = "azure-appgw"
    prefix = "azure"

    def matches(self, record: dict[str, Any]) -> bool:
        return x.resource_log(record, (CATEGORY,), "httpMethod")

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        props: dict[str, Any] = record["properties"]
        # v1 appends its own parameters to the client's query: split off, the rest is the
        # client's (v2 logs the client's query alone).
        pieces = (_text(props.get("requestQuery")) or "").split("&")
        own = [p for p in pieces if _v1_param(p.partition("=")[0])]
        query = "&".join(p for p in pieces if p and p not in own)
        v1 = bool(own)
        when = record.get("timeStamp") or record.get("time")
        x.meta(w, "started_at", x.started_at(when))
        taken = x.number(props.get("timeTaken"))
        if taken is not None and v1:
            x.meta(w, "time", taken)
        elif taken is not None and any(k in props for k in _V2):
            x.meta(w, "time", round(taken * 1000.0, 3))
        else:  # of no unit known: kept as written, under `azure.properties.timeTaken`
            taken = None
        x.meta(w, "timings.wait", x.seconds_to_ms(_text(props.get("serverResponseLatency"))))
        x.meta(w, "request.method", props.get("httpMethod"))
        # The host the client asked for: `originalHost`, which a header rewrite leaves alone.
        host = _text(props.get("originalHost")) or _text(props.get("host"))
        path = _text(props.get("requestUri"))
        if path and query:
            path += ("&" if "?" in path else "?") + query
        x.target(w, path, None, host)
        x.meta(w, "request.http_version", _text(props.get("httpVersion")))
        x.header(w, "request", "user-agent", props.get("userAgent"))
        x.header(w, "request", "x-request-id", props.get("transactionId"))
        x.meta(w, "request.body_size", x.number(props.get("receivedBytes")))
        x.meta(w, "response.status", x.number(props.get("httpStatus")))
        x.meta(w, "response.content_size", x.number(props.get("sentBytes")))
        x.meta(w, "response.content_type", _text(props.get("contentType")))
        w.add("client.ip", _text(props.get("clientIP")), FieldKind.META)
        # v1's backend, its status and the gateway's log id, under `azure.gateway.`.
        for name, value in parse_form("&".join(own)):
            w.json(join("azure.gateway", name), value, FieldKind.JSON)
        # The rest under `azure.`: `azure.properties.serverRouted`, `azure.resourceId`, ...
        # (`originalRequestUriWithArgs` holds the query again, and is judged as a URL).
        original = props.get("originalRequestUriWithArgs")
        if isinstance(original, str) and original:
            w.add("azure.properties.originalRequestUriWithArgs", original, FieldKind.URL)
        latency = ("timeTaken",) if taken is not None else ()
        x.rest(w, "azure.properties", props, (*_MAPPED, *latency, "originalRequestUriWithArgs"))
        x.rest(w, "azure", record, ("properties", "timeStamp", "time"))


def _v1_param(name: str) -> bool:
    return name in _V1_PARAMS or name.startswith(_V1_PREFIX)


def _text(value: Any) -> str | None:
    """A property's value, `-` and empty being none (v1 writes `-` for what it lacks)."""
    if value is None or value in ("", "-"):
        return None
    return value if isinstance(value, str) else x.scalar_text(value)


class AzureAppGatewayFormat(GatewayLines):
    """`--format azure-appgw`: JSON lines of Application Gateway access log records."""

    name = "azure-appgw"
