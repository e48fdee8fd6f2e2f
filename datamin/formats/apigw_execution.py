"""AWS API Gateway execution logs (REST APIs, "full request and response data"), exported from
CloudWatch Logs: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html.

API Gateway writes several log events per request, each message starting with the request id in
parentheses: `(id) HTTP Method: POST, Resource Path: /pets`, `(id) Method request query string:
{email=...}`, `(id) Method request headers: {...}`, `(id) Method request body before
transformations: ...`, ..., `(id) Method completed with status: 200`. An export gives one event
a line, as JSON (`{"timestamp": ms, "message": ..., "logStreamName": ...}`, what `aws logs
filter-log-events` / `get-log-events` list) or as text (`<ISO time> <message>`, an S3 export).

The reader groups the events of one request id (contiguous or interleaved with others) into one
record, `{"aws_execution": {...}}`, of kind `api`; its bytes are that JSON object, so quarantine
replays it as JSON. A request is emitted at its `Method completed` event, after `PENDING_LIMIT`
further events without one, or at the end of the file, as far as it got. `ApiGatewayExecutionLog`
walks the record into the canonical exchange (`exchange`); what it does not map stays under
`aws_execution.*`, which a policy drops unless it names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

import orjson

from datamin.core.records import Item, RawRecord, Unreadable
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import KIND, ApiExchange, replay_api
from datamin.timeparse import parse_timestamp

PREFIX = "aws_execution"
PENDING_LIMIT = 1000  # events after a request's first one before it is emitted incomplete

_ID = r"\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\) "
_MESSAGE = re.compile(_ID + r"(.*)\Z", re.DOTALL)
_TEXT_EVENT = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (\(.*)\Z")
# `{a=b, c=d}`: a Java map's text; a value may hold `, ` but a key has no space, `=` or `,`.
_MAP_SPLIT = re.compile(r", (?=[^\s=,{}]+=)")

# The message prefix (after the request id) and the key its remainder is kept under.
_TEXT_KEYS = (
    ("Extended Request Id: ", "extendedRequestId"),
    ("Method request body before transformations: ", "requestBody"),
    ("Endpoint request URI: ", "endpointUri"),
    ("Endpoint request body after transformations: ", "endpointRequestBody"),
    ("Endpoint response body before transformations: ", "endpointResponseBody"),
    ("Method response body after transformations: ", "responseBody"),
)
_MAP_KEYS = (
    ("Method request path: ", "pathParameters"),
    ("Method request query string: ", "query"),
    ("Method request headers: ", "requestHeaders"),
    ("Endpoint request headers: ", "endpointRequestHeaders"),
    ("Endpoint response headers: ", "endpointResponseHeaders"),
    ("Method response headers: ", "responseHeaders"),
)
_METHOD_LINE = re.compile(r"HTTP Method: (\S+), Resource Path: (\S*)\s*\Z")
_COMPLETED = re.compile(r"Method completed with status: (\d{3})\s*\Z")
_RECEIVED = re.compile(r"Received response\. Status: (\d{3}), Integration latency: (\d+) ms")
_TOOK = re.compile(r"Endpoint request took (\d+) ?ms")
_QUIET = ("Successfully completed execution", "Sending request to ")


class _Request:
    __slots__ = ("events", "first", "seen", "size", "stream")

    def __init__(self, first: int, seen: int, stream: Any) -> None:
        self.first = first  # line number of its first event: the record's index
        self.seen = seen  # the event count when it began
        self.events: list[tuple[int | None, str]] = []
        self.size = 0
        self.stream = stream


def event_of(line: bytes) -> tuple[int | None, str, Any] | None:
    """One exported event as (epoch ms or None, message, log stream name), or None when the line
    is neither a CloudWatch event as JSON nor an `<ISO time> <message>` line."""
    text = line.strip()
    if text.startswith(b"{"):
        try:
            event = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(event, dict) or not isinstance(event.get("message"), str):
            return None
        when = event.get("timestamp")
        ms = when if isinstance(when, int) and not isinstance(when, bool) else None
        return ms, event["message"], event.get("logStreamName")
    found = _TEXT_EVENT.match(text.decode("utf-8", "replace"))
    if found is None:
        return None
    parsed = parse_timestamp(found.group(1))
    ms = None if parsed is None else round(parsed.timestamp() * 1000)
    return ms, found.group(2), None


def parse_map(text: str) -> dict[str, str] | str:
    """`{a=b, c=d}` as an object; text of another shape as it is."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        return text
    inner = body[1:-1].strip()
    out: dict[str, str] = {}
    for part in _MAP_SPLIT.split(inner) if inner else []:
        name, eq, value = part.partition("=")
        if not eq or not name.strip():
            return text
        out[name.strip()] = value
    return out


def build(request_id: str, events: list[tuple[int | None, str]], stream: Any) -> dict[str, Any]:
    """The one record of a request's events (each message without its `(id) ` prefix)."""
    rec: dict[str, Any] = {"requestId": request_id}
    messages: list[str] = []
    times = [t for t, _ in events if t is not None]
    if times:
        rec["startedAt"] = min(times)
    if isinstance(stream, str):
        rec["logStreamName"] = stream
    for when, message in events:
        if found := _METHOD_LINE.match(message):
            rec["httpMethod"], rec["resourcePath"] = found.group(1), found.group(2)
        elif found := _COMPLETED.match(message):
            rec["status"] = int(found.group(1))
            if when is not None and times:
                rec["latencyMs"] = when - min(times)
        elif found := _RECEIVED.match(message):
            rec["endpointStatus"] = int(found.group(1))
            rec["integrationLatencyMs"] = int(found.group(2))
        elif found := _TOOK.match(message):
            rec.setdefault("integrationLatencyMs", int(found.group(1)))
        elif key := _keyed(message, _MAP_KEYS):
            rec[key[0]] = parse_map(key[1])
        elif key := _keyed(message, _TEXT_KEYS):
            rec[key[0]] = key[1]
        elif not message.startswith(_QUIET):
            messages.append(message)  # usage plans, authorizers, errors: kept, never mapped
    if messages:
        rec["messages"] = messages
    return {PREFIX: rec}


def _keyed(message: str, table: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    for prefix, key in table:
        if message.startswith(prefix):
            return key, message[len(prefix) :]
    return None


class ApiGatewayExecutionLog:
    """The gateway mapping (`exchange.GATEWAYS`) of a grouped execution log record."""

    name = "aws-apigateway-execution"
    prefix = PREFIX

    def matches(self, record: dict[str, Any]) -> bool:
        return len(record) == 1 and isinstance(record.get(PREFIX), dict)

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        rec: dict[str, Any] = record[PREFIX]
        used = {"startedAt", "latencyMs", "httpMethod", "status", "integrationLatencyMs"}
        x.meta(w, "started_at", x.started_at(rec.get("startedAt")))
        x.meta(w, "time", x.number(rec.get("latencyMs")))
        x.meta(w, "request.method", rec.get("httpMethod"))
        req_headers = rec.get("requestHeaders")
        if not isinstance(req_headers, dict):
            req_headers = None
        host = x.header_value(req_headers, "host")
        # The route template (`/pets/{petId}`) is the path there is; its values stay apart.
        resource = rec.get("resourcePath")
        if isinstance(resource, str):
            x.target(w, resource, "https", host)
            used.add("resourcePath")
        if isinstance(query := rec.get("query"), dict):
            x.query(w, x.query_object(query))
            used.add("query")
        if req_headers is not None:
            x.headers(w, "request", req_headers)
            used.add("requestHeaders")
        mime = x.header_value(req_headers, "content-type")
        x.meta(w, "request.content_type", mime)
        if isinstance(rec.get("requestBody"), str):
            x.body(w, "request", rec["requestBody"], mime)
            used.add("requestBody")
        x.meta(w, "response.status", x.number(rec.get("status")))
        resp_headers = rec.get("responseHeaders")
        resp_mime = None
        if isinstance(resp_headers, dict):
            x.headers(w, "response", resp_headers)
            resp_mime = x.header_value(resp_headers, "content-type")
            used.add("responseHeaders")
        x.meta(w, "response.content_type", resp_mime)
        if isinstance(rec.get("responseBody"), str):
            x.body(w, "response", rec["responseBody"], resp_mime)
            used.add("responseBody")
        x.meta(w, "timings.wait", x.number(rec.get("integrationLatencyMs")))
        x.rest(w, PREFIX, rec, used)


class ApiGatewayExecutionFormat:
    """`--format aws-apigateway-execution`: CloudWatch-exported execution log events, one
    record per request. Sniffed by its first event (a file named `.jsonl` is JSON lines by its
    name: give the format then)."""

    name = "aws-apigateway-execution"
    extensions: tuple[str, ...] = ()
    kind = ApiExchange()

    def sniff(self, head: bytes) -> bool:
        event = event_of(head.split(b"\n", 1)[0])
        return event is not None and _MESSAGE.match(event[1]) is not None

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        from datamin.formats.jsonlines import JsonLines

        pending: dict[str, _Request] = {}
        seen = 0
        # Lines as JSON lines are read (bounded, numbered from 1, blank ones skipped; a line over
        # the limit or an unreadable rest of the file is one quarantined item, passed on).
        for item in JsonLines().read(path, stream, max_record_bytes):
            if isinstance(item, Unreadable):
                yield item
                continue
            number, line = item.index, item.data
            event = event_of(line)
            found = _MESSAGE.match(event[1]) if event is not None else None
            if event is None or found is None:
                problem = "not an API Gateway execution log event with a request id"
                yield Unreadable(path, number, f"InputError: {problem}")
                continue
            seen += 1
            request_id, message = found.group(1), found.group(2)
            request = pending.get(request_id)
            if request is None:
                request = pending[request_id] = _Request(number, seen, event[2])
            request.events.append((event[0], message))
            request.size += len(message)
            if request.size > max_record_bytes:
                del pending[request_id]
                yield Unreadable(path, request.first, "LimitExceeded: record larger than the limit")
            elif _COMPLETED.match(message):
                del pending[request_id]
                yield _record(path, request_id, request)
            while pending:  # the oldest first: dicts keep insertion order
                oldest_id, oldest = next(iter(pending.items()))
                if seen - oldest.seen < PENDING_LIMIT:
                    break
                del pending[oldest_id]
                yield _record(path, oldest_id, oldest)
        for request_id, request in pending.items():
            yield _record(path, request_id, request)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_api(raw)


def _record(path: str, request_id: str, request: _Request) -> Item:
    try:
        data = orjson.dumps(build(request_id, request.events, request.stream))
    except Exception:  # noqa: BLE001 - never the values: the error names the shape only
        problem = "the execution log events of one request make no record"
        return Unreadable(path, request.first, f"InputError: {problem}")
    return RawRecord(path, request.first, data, kind=KIND)
