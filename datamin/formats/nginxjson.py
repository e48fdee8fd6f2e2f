"""nginx access logs written as JSON (`log_format ... escape=json`), keys named after the
variables they log, as is usual: https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format
and https://nginx.org/en/docs/varindex.html. `time_iso8601` / `time_local` / `msec`,
`remote_addr`, `request_method`, `request_uri` (or `uri` and `args`), `request` (the request
line), `status`, `request_time` (seconds), `body_bytes_sent`, `request_length`, `host`,
`scheme`, `server_protocol`, `upstream_response_time`, `request_body`, and the variable
families `http_<header>` (request headers), `sent_http_<header>` (response headers),
`cookie_<name>` and `arg_<name>`. Values are strings, as `escape=json` writes them.
"""

from __future__ import annotations

from typing import Any

from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_TIMES = ("time_iso8601", "time_local", "msec", "@timestamp")
_MAPPED = (
    *_TIMES,
    "remote_addr",
    "request_method",
    "request_uri",
    "uri",
    "args",
    "query_string",
    "request",
    "status",
    "request_time",
    "body_bytes_sent",
    "request_length",
    "host",
    "http_host",
    "scheme",
    "server_protocol",
    "upstream_response_time",
    "request_body",
    "content_type",
    "http_referrer",  # a common misspelling of the variable, kept as nginx users write it
    "remote_user",
)


class NginxJsonLog:
    name = "nginx-json"
    prefix = "nginx"

    def matches(self, record: dict[str, Any]) -> bool:
        has_request = "request_method" in record or _request_line(record.get("request")) is not None
        has_time = any(k in record for k in _TIMES) or "remote_addr" in record
        return has_request and "status" in record and has_time

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        when = next((x.started_at(record[k]) for k in _TIMES if k in record), None)
        x.meta(w, "started_at", when)
        x.meta(w, "time", x.seconds_to_ms(record.get("request_time")))
        line = _request_line(record.get("request"))
        method = record.get("request_method") or (line[0] if line else None)
        x.meta(w, "request.method", method)
        target = record.get("request_uri") or (line[1] if line else None)
        if not target and record.get("uri"):
            args = record.get("args") or record.get("query_string")
            target = record["uri"] + (f"?{args}" if args and args != "-" else "")
        host = record.get("host") or record.get("http_host")
        x.target(w, target, record.get("scheme"), host if host not in ("", "-") else None)
        protocol = record.get("server_protocol") or (line[2] if line else None)
        x.meta(w, "request.http_version", protocol)
        mime = record.get("content_type") or record.get("http_content_type")
        x.meta(w, "request.content_type", mime)
        x.meta(w, "request.body_size", x.number(record.get("request_length")))
        x.body(w, "request", record.get("request_body"), mime)
        x.meta(w, "response.status", x.number(record.get("status")))
        x.meta(w, "response.content_size", x.number(record.get("body_bytes_sent")))
        x.meta(w, "timings.wait", x.seconds_to_ms(_last(record.get("upstream_response_time"))))
        w.add("client.ip", _value(record.get("remote_addr")), FieldKind.META)
        # `$remote_user`: the user HTTP authentication named, as a combined log's `%u`.
        x.consumer_name(w, record.get("remote_user"))
        x.header(w, "request", "referer", record.get("http_referrer"))
        others = {}
        for key, value in record.items():
            if key in _MAPPED:
                continue
            if key.startswith("sent_http_"):
                x.header(w, "response", _header_name(key[10:]), value)
            elif key.startswith("http_") and key != "http_host":
                x.header(w, "request", _header_name(key[5:]), value)
            elif key.startswith("cookie_") and isinstance(value, str) and value not in ("", "-"):
                w.add(join("request.cookies", key[7:]), value, FieldKind.COOKIE)
            elif key.startswith("arg_") and isinstance(value, str) and value not in ("", "-"):
                w.form("request.query", parse_form(f"{key[4:]}={value}"), FieldKind.QUERY, 1)
            else:
                others[key] = value
        x.rest(w, "nginx", others, ())


def _request_line(value: Any) -> tuple[str, str, str] | None:
    """`GET /a?b=1 HTTP/1.1` as its method, target and protocol."""
    if not isinstance(value, str):
        return None
    parts = value.split(" ")
    if len(parts) != 3 or not parts[0].isalpha() or not parts[0].isupper():
        return None
    return parts[0], parts[1], parts[2]


def _header_name(variable: str) -> str:
    return variable.replace("_", "-").lower()


def _last(value: Any) -> Any:
    """`$upstream_response_time` lists each upstream tried (`0.010, 0.200`): the last served."""
    if isinstance(value, str) and "," in value:
        return value.rsplit(",", 1)[1].strip()
    return value


def _value(value: Any) -> Any:
    return None if value in ("", "-") else value


class NginxJsonFormat(GatewayLines):
    """`--format nginx-json`: JSON lines of nginx access log records."""

    name = "nginx-json"
