"""Akamai DataStream 2 logs in JSON (one record a line), documented at
https://techdocs.akamai.com/datastream2/docs/log-format-1 (sample lines) and
https://techdocs.akamai.com/datastream2/reference/data-set-parameters-api (each field):
`version`, `streamId`, `cp`, `reqId`, `reqTimeSec` (epoch seconds, as a string), `reqHost`,
`reqMethod`, `reqPath`, `reqPort`, `queryStr`, `proto`, `statusCode`, `bytes`, `totalBytes`,
`rspContentLen`, `rspContentType`, `cliIP`, `UA`, `referer`, `cookie`, `accLang`,
`xForwardedFor`, `reqEndTimeMSec` (reading the request), `turnAroundTimeMSec` (its last byte to
the response's first), `transferTimeMSec` (sending the response), `tlsVersion`, `edgeIP`,
`country`, `city`, `cacheStatus`, `errorCode`, `customField`, ... Every value is a string; a
field logged as `-` or null is left out. Values holding spaces or bytes outside printable ASCII
are URL-encoded (RFC 1738), so `UA`, `referer` and `cookie` are decoded once before they are
read as headers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, unquote_plus

from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

_TIMES = ("reqEndTimeMSec", "turnAroundTimeMSec", "transferTimeMSec")
_MAPPED = (
    "reqTimeSec",
    "reqHost",
    "reqMethod",
    "reqPath",
    "queryStr",
    "proto",
    "statusCode",
    "totalBytes",
    "rspContentLen",
    "rspContentType",
    "cliIP",
    "UA",
    "referer",
    "cookie",
    "xForwardedFor",
    "reqId",
    *_TIMES,
)


class AkamaiDataStreamLog:
    name = "akamai-datastream"
    prefix = "akamai"

    def matches(self, record: dict[str, Any]) -> bool:
        return (
            isinstance(record.get("reqMethod"), str)
            and "statusCode" in record
            and ("reqTimeSec" in record or "cliIP" in record)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        x.meta(w, "started_at", x.started_at(record.get("reqTimeSec")))
        # From the request's first byte to the response's last: the three times summed, when
        # the one between them is logged.
        times = [x.number(record.get(k)) for k in _TIMES]
        if times[1] is not None:
            x.meta(w, "time", sum(t for t in times if t is not None))
            x.meta(w, "timings.wait", times[1])
        x.meta(w, "request.method", record.get("reqMethod"))
        proto = record.get("proto")
        scheme = proto.lower() if isinstance(proto, str) and proto.isalpha() else None
        host = record.get("reqHost") if isinstance(record.get("reqHost"), str) else None
        x.target(w, record.get("reqPath"), scheme, x.without_port(host))
        query = record.get("queryStr")
        if isinstance(query, str) and query:
            x.query(w, parse_form(query))
        x.header(w, "request", "user-agent", _decoded(record.get("UA"), plus=True))
        x.header(w, "request", "referer", _decoded(record.get("referer")))
        x.header(w, "request", "x-forwarded-for", record.get("xForwardedFor"))
        x.header(w, "request", "x-request-id", record.get("reqId"))
        cookie = record.get("cookie")
        if isinstance(cookie, str):
            # A space after `;` may be written as `+` (as the sample's user agent writes it).
            x.header(w, "request", "cookie", _decoded(cookie.replace(";+", "; ")))
        x.meta(w, "response.status", x.number(record.get("statusCode")))
        x.meta(w, "response.content_size", x.number(record.get("rspContentLen")))
        x.meta(w, "response.content_type", _decoded(record.get("rspContentType")))
        w.add("client.ip", record.get("cliIP") or None, FieldKind.META)
        # The rest under `akamai.`: `akamai.cp`, `akamai.cacheStatus`, `akamai.customField`...
        x.rest(w, "akamai", record, _MAPPED)


def _decoded(value: Any, plus: bool = False) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return unquote_plus(value) if plus else unquote(value)


class AkamaiDataStreamFormat(GatewayLines):
    """`--format akamai-datastream`: JSON lines of DataStream 2 log records."""

    name = "akamai-datastream"
