"""Google App Engine request logs, as a Cloud Logging sink exports them (JSON lines, one
`LogEntry` each, `logName` `.../logs/appengine.googleapis.com%2Frequest_log`): the request is the
entry's `protoPayload`, of `@type` `type.googleapis.com/google.appengine.logging.v1.RequestLog`
(https://cloud.google.com/logging/docs/reference/v2/rpc/google.appengine.logging.v1#requestlog;
its JSON names are camelCase, as `LogEntry`'s are): `method`, `resource` (path and query),
`host`, `httpVersion`, `status`, `responseSize` (an int64: a string), `latency` (a protobuf
Duration, `"0.057s"`), `startTime`, `endTime`, `ip`, `userAgent`, `referrer`, `requestId`,
`nickname` (the signed-in user's), `line` (the application's log lines, each with a
`logMessage`), `appId`, `versionId`, `moduleId`, `instanceId`, `traceId`, `megaCycles`, ...
The entry's `httpRequest`, when there is one, repeats the status only.

Exports to BigQuery keep `LogEntry`'s names (https://cloud.google.com/logging/docs/export/bigquery:
"exactly the same as the log entry fields"), so an entry read back from there is this shape too.
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.formats.gcplogging import duration_ms, is_request_log
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_MAPPED = (
    "@type",
    "method",
    "resource",
    "host",
    "httpVersion",
    "status",
    "responseSize",
    "latency",
    "startTime",
    "ip",
    "userAgent",
    "referrer",
    "requestId",
    "nickname",
    "line",
)


class AppEngineRequestLog:
    name = "gcp-appengine"
    prefix = "gcp"

    def matches(self, record: dict[str, Any]) -> bool:
        return is_request_log(record) and isinstance(record["protoPayload"].get("method"), str)

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        req: dict[str, Any] = record["protoPayload"]
        x.meta(w, "started_at", x.started_at(req.get("startTime") or record.get("timestamp")))
        x.meta(w, "time", duration_ms(req.get("latency")))
        x.meta(w, "request.method", req.get("method"))
        host = req.get("host") if isinstance(req.get("host"), str) else None
        # App Engine serves HTTPS and HTTP alike and logs neither: the URL is the target's.
        x.target(w, req.get("resource"), None, x.without_port(host))
        x.meta(w, "request.http_version", req.get("httpVersion"))
        x.header(w, "request", "user-agent", req.get("userAgent"))
        x.header(w, "request", "referer", req.get("referrer"))
        x.header(w, "request", "x-request-id", req.get("requestId"))
        x.meta(w, "response.status", x.number(req.get("status")))
        x.meta(w, "response.content_size", x.number(req.get("responseSize")))
        w.add("client.ip", x.without_port(req.get("ip")), FieldKind.META)
        x.consumer_name(w, req.get("nickname"))
        # The application's log lines are its prose: read as text, their other keys as JSON.
        lines = req.get("line")
        for i, line in enumerate(lines if isinstance(lines, list) else []):
            at = f"gcp.protoPayload.line[{i}]"
            if not isinstance(line, dict):
                w.json(at, line, FieldKind.TEXT)
                continue
            for key, value in line.items():
                kind = FieldKind.TEXT if key == "logMessage" else FieldKind.JSON
                w.json(join(at, str(key)), value, kind)
        if lines is not None and not isinstance(lines, list):
            w.json("gcp.protoPayload.line", lines, FieldKind.TEXT)
        x.rest(w, "gcp.protoPayload", req, _MAPPED)
        x.rest(w, "gcp", record, ("protoPayload", "timestamp"))


class AppEngineRequestLogFormat(GatewayLines):
    """`--format gcp-appengine`: JSON lines of App Engine request log entries."""

    name = "gcp-appengine"
