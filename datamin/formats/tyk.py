"""Tyk Gateway's analytics records (traffic logs), as Tyk Pump writes them out (JSON lines to a
file, Kafka, Elasticsearch...; MongoDB's documents spell the keys without underscores:
`responsecode`, `rawrequest`), documented at
https://tyk.io/docs/tyk-stack/tyk-pump/tyk-analytics-record-fields/: `method`, `host` (with its
port, if any), `path` and `raw_path` (decoded, no query), `content_length`, `user_agent`,
`response_code`, `api_key` (the caller's key, or its hash), `timestamp`, `api_id`, `api_name`,
`api_version`, `org_id`, `oauth_id`, `request_time` (ms), `latency` (`total`, `upstream`: ms),
`ip_address`, `alias` (the key's alias), `tags` (`key-<key>` among them), `geo`, `network`,
`raw_request` and `raw_response`.

`raw_request` and `raw_response` are the request and the response in wire format, base64-encoded,
when detailed recording is on (https://tyk.io/docs/api-management/logs/traffic-logs). Each is
decoded (it is no longer than a record's string may be) and walked as the exchange's: the
request line's query, the headers (cookies apart), the body by its content type; what does not
decode to an HTTP message is never kept (a binary field: its size only, dropped).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from datamin.core.structure import Walker
from datamin.errors import LimitExceeded
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.redactors.context import FieldKind

# Each field as Tyk Pump's JSON writes it, and as its MongoDB documents do.
_KEYS = {
    name: (name, name.replace("_", ""))
    for name in (
        "method",
        "host",
        "path",
        "raw_path",
        "content_length",
        "user_agent",
        "response_code",
        "timestamp",
        "api_id",
        "org_id",
        "oauth_id",
        "request_time",
        "raw_request",
        "raw_response",
        "ip_address",
        "alias",
    )
}
_MAPPED = {k for names in _KEYS.values() for k in names} | {"latency"}
_REQUEST_LINE = re.compile(r"([A-Z]+) (\S+) HTTP/(\d(?:\.\d)?)")
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)? (\d{3})\b")


def _get(record: dict[str, Any], name: str) -> Any:
    return next((record[k] for k in _KEYS[name] if k in record), None)


class TykLog:
    name = "tyk"
    prefix = "tyk"

    def matches(self, record: dict[str, Any]) -> bool:
        return (
            isinstance(_get(record, "method"), str)
            and _get(record, "response_code") is not None
            and _get(record, "api_id") is not None
            and _get(record, "org_id") is not None
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        x.meta(w, "started_at", x.started_at(_when(_get(record, "timestamp"))))
        x.meta(w, "time", x.number(_get(record, "request_time")))
        latency = record.get("latency")
        if isinstance(latency, dict):
            x.meta(w, "timings.wait", x.number(latency.get("upstream")))
        x.meta(w, "request.method", _get(record, "method"))
        host = x.without_port(_get(record, "host"))
        path = _get(record, "path") or _get(record, "raw_path")
        raw = _message(w, _get(record, "raw_request"), "tyk.raw_request")
        if raw is not None and isinstance(path, str) and path:
            # The record's path has no query; the request line has it.
            target = _REQUEST_LINE.match(raw[0])
            query = target.group(2).partition("?")[2] if target else ""
            path = f"{path}?{query}" if query else path
        x.target(w, path if isinstance(path, str) else None, None, host)
        if raw is not None:
            target = _REQUEST_LINE.match(raw[0])
            x.meta(w, "request.http_version", f"HTTP/{target.group(3)}" if target else None)
            x.message(w, "request", raw[1], None, raw[2])
        x.header(w, "request", "user-agent", _get(record, "user_agent"))
        x.meta(w, "request.body_size", x.number(_get(record, "content_length")))
        x.meta(w, "response.status", x.number(_get(record, "response_code")))
        response = _message(w, _get(record, "raw_response"), "tyk.raw_response")
        if response is not None:
            x.message(w, "response", response[1], None, response[2])
        w.add("client.ip", x.without_port(_get(record, "ip_address")), FieldKind.META)
        oauth = _get(record, "oauth_id")
        w.add("consumer.id", oauth if isinstance(oauth, str) and oauth else None, FieldKind.META)
        x.consumer_name(w, _get(record, "alias"))
        if isinstance(latency, dict):
            x.rest(w, "tyk.latency", latency, ("upstream",))
        elif latency is not None:
            w.json("tyk.latency", latency, FieldKind.JSON)
        # The rest under `tyk.`: `tyk.api_key` (a credential, by its name), `tyk.tags`...
        x.rest(w, "tyk", record, _MAPPED)


def _when(value: Any) -> Any:
    """A timestamp as JSON gives it, or as `mongoexport` does (`{"$date": ...}`)."""
    return value.get("$date") if isinstance(value, dict) else value


def _message(w: Walker, value: Any, path: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """A base64 HTTP message decoded: its first line, its headers and its body (text, or None
    for a body that is not). What does not decode to one is a binary field, never kept."""
    if not isinstance(value, str) or not value:
        return None
    if len(value) > w.limits.max_string_length:  # refused, as any string over the limit is
        raise LimitExceeded("string longer than the limit")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        w.add(path, len(value), FieldKind.TEXT, binary=True)
        return None
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not lines or not (_REQUEST_LINE.match(lines[0]) or _STATUS_LINE.match(lines[0])):
        w.add(path, len(data), FieldKind.TEXT, binary=True)
        return None
    heads = []
    for line in lines[1:]:
        name, colon, text = line.partition(":")
        if colon and name.strip():
            heads.append((name.strip(), text.strip()))
    if x.header_value(heads, "transfer-encoding") == "chunked":
        body = _dechunked(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # compressed, or binary: its size only, never kept
        w.add(f"{path}.body", len(body), FieldKind.TEXT, binary=True)
        text = ""
    if "\x00" in text:
        w.add(f"{path}.body", len(body), FieldKind.TEXT, binary=True)
        text = ""
    return lines[0], heads, text


def _dechunked(body: bytes) -> bytes:
    """A chunked body's chunks joined; as it is when it is not chunked after all."""
    out, rest = bytearray(), body
    while rest:
        size, sep, rest = rest.partition(b"\r\n")
        try:
            n = int(size.split(b";")[0], 16)
        except ValueError:
            return body
        if not sep or n == 0:
            return bytes(out)
        out += rest[:n]
        rest = rest[n + 2 :]
    return bytes(out)


class TykFormat(GatewayLines):
    """`--format tyk`: JSON lines of Tyk analytics records."""

    name = "tyk"
