"""Kong Gateway's log plugins (`http-log`, `file-log`, `tcp-log`, `udp-log`, `syslog`): one JSON
object per request, documented at https://developer.konghq.com/plugins/file-log/ (the sample log
object): `request` {method, uri, url, querystring, headers, size}, `response` {status, headers,
size}, `latencies` {request, proxy, kong} in milliseconds, `client_ip`, `started_at` (epoch
milliseconds), `consumer`, `authenticated_entity`, `route`, `service`, `upstream_uri`, `tries`.
"""

from __future__ import annotations

from typing import Any

from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

_REQUEST_KEYS = ("method", "uri", "url", "querystring", "headers", "size", "body")
_RESPONSE_KEYS = ("status", "headers", "size", "body")


class KongLog:
    name = "kong"
    prefix = "kong"

    def matches(self, record: dict[str, Any]) -> bool:
        # `latencies` beside a request with a method: no HAR entry or message has it.
        request = record.get("request")
        return (
            isinstance(record.get("latencies"), dict)
            and isinstance(request, dict)
            and isinstance(request.get("method"), str)
            and ("url" in request or "uri" in request)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        req: dict[str, Any] = record["request"]
        resp = record.get("response") if isinstance(record.get("response"), dict) else {}
        latencies: dict[str, Any] = record["latencies"]
        x.meta(w, "started_at", x.started_at(record.get("started_at")))
        x.meta(w, "time", x.number(latencies.get("request")))
        w.add("request.method", req["method"], FieldKind.META)
        url = req.get("url")
        if isinstance(url, str) and url:
            query = x.url(w, url)
            explicit = x.query_object(req.get("querystring"))
            x.query(w, explicit or parse_form(query))
        else:
            x.target(w, req.get("uri"), None, None)
        x.message(w, "request", req.get("headers"), req.get("size"), req.get("body"))
        x.meta(w, "response.status", x.number(resp.get("status")))
        x.message(w, "response", resp.get("headers"), resp.get("size"), resp.get("body"))
        x.meta(w, "timings.wait", x.number(latencies.get("proxy")))
        x.meta(w, "timings.gateway", x.number(latencies.get("kong")))
        x.meta(w, "timings.receive", x.number(latencies.get("receive")))
        w.add("client.ip", record.get("client_ip"), FieldKind.META)
        consumer = record.get("consumer")
        if isinstance(consumer, dict):
            w.add("consumer.id", consumer.get("id"), FieldKind.META)
            x.consumer_name(w, consumer.get("username"))
        # The rest stays addressable under `kong.`: the request's and response's other keys
        # (`kong.request.tls`), the consumer's others (`kong.consumer.custom_id`), route, service.
        x.rest(w, "kong.request", req, _REQUEST_KEYS)
        x.rest(w, "kong.response", resp, _RESPONSE_KEYS)
        x.rest(w, "kong.latencies", latencies, ("request", "proxy", "kong", "receive"))
        if isinstance(consumer, dict):
            x.rest(w, "kong.consumer", consumer, ("id", "username"))
        x.rest(
            w,
            "kong",
            record,
            ("request", "response", "latencies", "started_at", "client_ip", "consumer"),
        )


class KongFormat(GatewayLines):
    """`--format kong`: JSON lines of Kong log records."""

    name = "kong"
