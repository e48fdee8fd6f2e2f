"""Azure API Management gateway logs (`GatewayLogs`), as a diagnostic setting writes them to a
storage account or an event hub: Azure Monitor's common resource log schema (`time`,
`resourceId`, `operationName: Microsoft.ApiManagement/GatewayLogs`, `category: GatewayLogs`,
`durationMs`, `callerIpAddress`, `correlationId`, `location`, `isRequestSuccess`, `properties`),
documented at https://learn.microsoft.com/azure/api-management/gateway-log-schema-reference.
`properties`: `method`, `url` (the whole URL), `clientProtocol`, `responseCode`, `responseSize`,
`requestSize`, `cache`, `backendTime`, `clientTime`, `cacheTime` (ms), `apiId`, `operationId`,
`productId`, `userId`, `apimSubscriptionId`, `backendMethod`, `backendUrl`,
`backendResponseCode`, `lastError`, and, where the diagnostic setting logs them, the headers and
bodies (`requestHeaders`, `requestBody`, `responseHeaders`, `responseBody`, and the backend's).
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

_MAPPED = (
    "method",
    "url",
    "clientProtocol",
    "responseCode",
    "responseSize",
    "requestSize",
    "backendTime",
    "userId",
    "requestHeaders",
    "requestBody",
    "responseHeaders",
    "responseBody",
    "backendUrl",
)


class AzureApiManagementLog:
    name = "azure-apim"
    prefix = "azure"

    def matches(self, record: dict[str, Any]) -> bool:
        if not x.resource_log(record, ("gatewaylogs",), "method"):
            return False
        props = record["properties"]
        return "url" in props or "responseCode" in props

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        props: dict[str, Any] = record["properties"]
        x.meta(w, "started_at", x.started_at(record.get("time")))
        x.meta(w, "time", x.number(record.get("durationMs")))
        x.meta(w, "timings.wait", x.number(props.get("backendTime")))
        x.meta(w, "request.method", props.get("method"))
        x.target(w, props.get("url"), None, None)
        x.meta(w, "request.http_version", props.get("clientProtocol"))
        x.header(w, "request", "x-request-id", record.get("correlationId"))
        x.message(
            w,
            "request",
            props.get("requestHeaders"),
            props.get("requestSize"),
            props.get("requestBody"),
        )
        x.meta(w, "response.status", x.number(props.get("responseCode")))
        x.message(
            w,
            "response",
            props.get("responseHeaders"),
            props.get("responseSize"),
            props.get("responseBody"),
        )
        w.add("client.ip", record.get("callerIpAddress") or None, FieldKind.META)
        # The user entity the subscription key belongs to: the caller API Management let in.
        w.add(
            "consumer.id",
            x.scalar_text(props["userId"]) if props.get("userId") else None,
            FieldKind.META,
        )
        # The backend's URL carries the client's query again: judged as a URL, under `azure.`.
        backend = props.get("backendUrl")
        if isinstance(backend, str) and backend:
            w.add("azure.properties.backendUrl", backend, FieldKind.URL)
        x.rest(w, "azure.properties", props, _MAPPED)
        taken = ("properties", "time", "durationMs", "callerIpAddress", "correlationId")
        x.rest(w, "azure", record, taken)


class AzureApiManagementFormat(GatewayLines):
    """`--format azure-apim`: JSON lines of API Management gateway log records."""

    name = "azure-apim"
