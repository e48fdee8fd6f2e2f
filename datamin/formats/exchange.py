"""The canonical API exchange: the field paths every API log is walked into, whatever wrote it.

A HAR entry (`har_entry`) and each gateway's access log record (`kong`, `apigateway`, `envoy`,
`nginxjson`, `cloudflare`, `textlogs`, `w3c`) come out as the same paths: `started_at`, `time`
(ms), `request.method`, `request.url` and its parts (`scheme`, `host`, `path`, `query.<name>`),
`request.headers.<lower-case name>`, `request.cookies.<name>`, `request.body...`,
`response.status`, `response.headers.*`, `response.body...`, `timings.*`; gateways add `client.ip`,
`consumer.id` and `consumer.name`, and keep their other keys under their own prefix
(`kong.route.name`), so one policy applies to every format.

The gateway records are one record kind, `api` (`ApiExchange`), which asks each gateway's mapping
in turn whether a record is its own; a record none claims is left to the other kinds. A policy
can declare a mapping of its own (`source.map`: `mapped.MappedExchange`), tried before every kind.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

import orjson

from datamin.core import strictjson
from datamin.core.forms import parse_form
from datamin.core.records import Item, RawRecord
from datamin.core.structure import Walker
from datamin.errors import InputError
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind
from datamin.redactors.cookies import cookie_values
from datamin.timeparse import parse_timestamp

# One line per gateway, "module:Class", tried in this order.
GATEWAYS: tuple[str, ...] = (
    "datamin.formats.kong:KongLog",
    "datamin.formats.apigateway:ApiGatewayLog",
    "datamin.formats.apigw_execution:ApiGatewayExecutionLog",
    "datamin.formats.envoy:EnvoyLog",
    "datamin.formats.cloudflare:CloudflareLog",
    "datamin.formats.nginxjson:NginxJsonLog",
    "datamin.formats.appengine:AppEngineRequestLog",  # a LogEntry too: before gcplogging
    "datamin.formats.gcplogging:GcpRequestLog",
    "datamin.formats.caddy:CaddyLog",
    "datamin.formats.traefik:TraefikLog",
    "datamin.formats.azure_appgw:AzureAppGatewayLog",
    "datamin.formats.azure_frontdoor:AzureFrontDoorLog",
    "datamin.formats.azure_apim:AzureApiManagementLog",
    "datamin.formats.aws_waf:AwsWafLog",
    "datamin.formats.tyk:TykLog",
    "datamin.formats.fastly:FastlyLog",
    "datamin.formats.akamai:AkamaiDataStreamLog",
    "datamin.formats.w3c:W3cLog",
)
KIND = "api"


class Gateway(Protocol):
    name: str  # the format's name (`--format kong`)
    prefix: str  # where the record's own other keys go (`kong`)

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether the record is this gateway's, by keys no other kind of record has together."""
        ...

    def fields(self, w: Walker, record: dict[str, Any]) -> None: ...


@cache
def gateways() -> tuple[Gateway, ...]:
    out = []
    for spec in GATEWAYS:
        module, _, cls = spec.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return tuple(out)


def gateway_of(record: dict[str, Any]) -> Gateway | None:
    return next((g for g in gateways() if g.matches(record)), None)


class ApiExchange:
    """An API gateway's access log record, of any gateway in `GATEWAYS`."""

    name = KIND

    def matches(self, record: dict[str, Any]) -> bool:
        return gateway_of(record) is not None

    def parse(self, data: bytes) -> Any:
        """A JSON gateway record, or a line of a text access log (`datamin.formats.textlogs`:
        combined, ALB, Envoy...) that a text format declared of this kind."""
        from datamin.formats.textlogs import is_text_line, parse_line

        return parse_line(data) if is_text_line(data) else strictjson.loads(data)

    def problem(self, record: Any) -> str | None:
        from datamin.formats.textlogs import BadLine, ParsedLine

        if isinstance(record, BadLine):
            return record.problem
        if isinstance(record, ParsedLine) or (
            isinstance(record, dict) and gateway_of(record) is not None
        ):
            return None
        return "not an API gateway access log record"

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        from datamin.formats.textlogs import ParsedLine, walk_line

        if isinstance(record, ParsedLine):
            walk_line(w, record)
            return
        gateway = gateway_of(record)
        if gateway is None:  # a format vouched for it: `problem` was asked first
            raise InputError(self.problem(record) or "")
        w.what = f"{gateway.name} record"
        gateway.fields(w, record)


class GatewayLines:
    """JSON lines whose every record must be an API exchange (`--format kong`, ...): read as
    JSON lines are, each record declared of kind `api`, so one that is not is quarantined
    rather than walked as any JSON. Never chosen by extension or sniff: such files are JSON
    lines, and their records are recognized by content anyway."""

    name = "api"
    extensions: tuple[str, ...] = ()
    kind = ApiExchange()

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        from datamin.formats.jsonlines import JsonLines

        for item in JsonLines().read(path, stream, max_record_bytes):
            yield replace(item, kind=KIND) if isinstance(item, RawRecord) else item

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_api(raw)


def replay_api(raw: bytes) -> tuple[str, bytes]:
    """A quarantined `api` record written back: a JSON gateway record as JSON, a text access
    log's line as a `.log` line (a W3C line after its `#Fields:` directive)."""
    from datamin.formats import jsondoc, w3c
    from datamin.formats.textlogs import is_text_line

    if is_text_line(raw):
        return ".log", raw if raw.endswith(b"\n") else raw + b"\n"
    line = w3c.replayed(raw)
    return (".log", line) if line is not None else jsondoc.replay_json(raw)


# -- the shared walk ------------------------------------------------------------------------


def url(w: Walker, value: str, what: str = "request.url") -> str:
    """`request.url` and its parts; returns the query string (the caller decides whether the
    record's own parsed query wins)."""
    w.add("request.url", value, FieldKind.URL)
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        raise InputError(f"{w.what}: {what} is not a URL") from None
    w.add("request.scheme", parts.scheme or None, FieldKind.META)
    w.add("request.host", host, FieldKind.META)
    w.add("request.path", parts.path or "/", FieldKind.URL_PATH)
    if parts.username is not None or parts.password is not None:
        # The user and the password each under its own name: `admin:secret` under one name
        # that says neither was kept whole (the URL itself had its password replaced).
        userinfo = parts.netloc.rsplit("@", 1)[0]
        user, _, password = userinfo.partition(":")
        w.add("request.userinfo", user or None, FieldKind.URL)
        w.add("request.password", password or None, FieldKind.JSON)
    w.add("request.fragment", parts.fragment or None, FieldKind.URL)
    return parts.query


def target(w: Walker, path: str | None, scheme: str | None, host: str | None) -> None:
    """A request known by its target (`/v1/users?id=3`), scheme and host, as gateways log it:
    walked as the URL they make, with the query from the target."""
    if not isinstance(path, str) or not path:
        return
    if "://" in path:  # an absolute-form target is the URL itself
        query(w, parse_form(url(w, path)))
        return
    if not path.startswith("/"):
        path = "/" + path
    if host:
        query(w, parse_form(url(w, f"{scheme or 'http'}://{host}{path}")))
        return
    # No host: the URL is the target alone; its parts are those a target has.
    base, _, rest = path.partition("?")
    w.add("request.url", path, FieldKind.URL)
    w.add("request.scheme", scheme or None, FieldKind.META)
    w.add("request.path", base or "/", FieldKind.URL_PATH)
    query(w, parse_form(rest.partition("#")[0]))


def query(w: Walker, params: list[tuple[str, str]]) -> None:
    w.form("request.query", params, FieldKind.QUERY, 1)


def query_object(value: Any) -> list[tuple[str, str]]:
    """A query string logged as an object (Kong's `querystring`): a bare key is `true`, a
    repeated one a list."""
    out: list[tuple[str, str]] = []
    for name, item in _items(value):
        for v in item if isinstance(item, list) else [item]:
            out.append((name, "" if v is True or v is None else scalar_text(v)))
    return out


def headers(w: Walker, side: str, value: Any, *, with_cookies: bool = True) -> None:
    """Headers as an object (`{"Name": "v"}`, a repeated header's values as a list), as HAR's
    `[{name, value}]` list or as `(name, value)` pairs; names lower-cased, so policies name
    them one way. A request's `Cookie` header is also taken apart into `request.cookies.*`
    (unless the format logs its cookies apart, as HAR does). Repeated values are joined as
    HTTP joins them: with `, `, and a Cookie header's with `; ` (RFC 9113 8.2.3: HTTP/2 sends
    each cookie in a header of its own, which Kong logs as a list)."""
    for name, item in _items(value):
        values = item if isinstance(item, list) else [item]
        glue = "; " if name.lower() == "cookie" else ", "
        text = glue.join(scalar_text(v) for v in values if v is not None)
        w.add(join(f"{side}.headers", header_name(name)), text, FieldKind.HEADER)
        if with_cookies and side == "request" and name.lower() == "cookie":
            cookies(w, "request", text)


# A header's name as HTTP writes one: words of letters and digits joined by `-` (RFC 9110's
# token allows more, which no header in use has), no word a long run with a digit in it.
_HEADER_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
_LONG_RUN = re.compile(r"[A-Za-z0-9]{16,}")


def header_name(name: str) -> str:
    """A header's name lower-cased, as policies name it; a name no header has (a blank in it,
    a key or token sent as a header's name) as written, so what is judged of a key as data
    (`AKIA...` is an AWS key only in capitals; `Maria Lopez` a name with its capitals) still
    sees it."""
    if _HEADER_NAME.fullmatch(name) is None or any(
        any(c.isdigit() for c in run) for run in _LONG_RUN.findall(name)
    ):
        return name
    return name.lower()


def header(w: Walker, side: str, name: str, value: Any) -> None:
    """One header a gateway logs in a key of its own (`user_agent`, `ClientRequestUserAgent`)."""
    if value is not None and value != "" and value != "-":
        w.add(join(f"{side}.headers", name), scalar_text(value), FieldKind.HEADER)
        if side == "request" and name == "cookie":
            cookies(w, "request", scalar_text(value))


def cookies(w: Walker, side: str, text: str) -> None:
    """A Cookie header's cookies, each under its name, split as the credential detector splits
    the header (`datamin.redactors.cookies`), so a cookie is judged under its own name."""
    for name, start, end in cookie_values(text, set_cookie=False):
        if name:
            w.add(join(f"{side}.cookies", name), text[start:end], FieldKind.COOKIE)


def message(w: Walker, side: str, heads: Any, size: Any, content: Any) -> None:
    """One side of the exchange as most gateways log it: its headers, the content type they
    give, the body's size (`request.body_size`, `response.content_size`, as HAR names them)
    and the body, read by that type."""
    headers(w, side, heads)
    mime = header_value(heads, "content-type")
    meta(w, f"{side}.content_type", mime)
    meta(w, f"{side}.{'body_size' if side == 'request' else 'content_size'}", number(size))
    body(w, side, content, mime)


def body(w: Walker, side: str, value: Any, mime: str | None) -> None:
    """A body as a gateway logs it: a string (JSON, form or text, by its content type) or an
    already parsed JSON value."""
    if value is None or value == "" or value == "-":
        return
    if isinstance(value, str):
        w.body(f"{side}.body", value, mime or "", None)
    else:
        w.json(f"{side}.body", value, FieldKind.JSON)


def rest(w: Walker, prefix: str, record: Mapping[str, Any], used: Iterable[str]) -> None:
    """The record's keys no mapping took, under the gateway's own prefix."""
    taken = set(used)
    for key, value in record.items():
        if key not in taken:
            w.json(join(prefix, str(key)), value, FieldKind.JSON)


def started_at(value: Any) -> str | None:
    """An event time as ISO 8601 (UTC): ISO strings, epoch seconds to nanoseconds, and the
    Common Log Format's `10/Oct/2000:13:55:36 -0700` (nginx, AWS `requestTime`)."""
    if value is None or isinstance(value, bool) or value in ("", "-"):
        return None
    if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
        value = float(value)
    if isinstance(value, int | float):
        for scale in (1, 1e3, 1e6, 1e9):  # seconds, ms, µs, ns: the first that is a date
            if value / scale < 4102444800:
                value = value / scale
                break
    if isinstance(value, str):
        try:
            parsed = datetime.strptime(value.strip(), "%d/%b/%Y:%H:%M:%S %z")
        except ValueError:
            parsed = parse_timestamp(value)
    else:
        parsed = parse_timestamp(value)
    if parsed is None:
        return None
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def number(value: Any) -> int | float | None:
    """A count or a duration as logs write it: a number, or its text (`"0.123"`, `"-"`)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                result = float(text)
            except ValueError:
                return None
            return result if result == result else None  # not NaN
    return None


def seconds_to_ms(value: Any) -> float | None:
    n = number(value)
    return None if n is None else round(n * 1000.0, 3)


def meta(w: Walker, path: str, value: Any) -> None:
    if value is not None and value != "" and value != "-":
        w.add(path, value, FieldKind.META)


def consumer_name(w: Walker, value: Any) -> None:
    """The name the caller authenticated with (a gateway's consumer, HTTP authentication's
    user): scanned as a person's name field, since a login names a person as often as an app
    (fail closed); `consumer.id` stays a protocol field."""
    if isinstance(value, str | int) and value not in ("", "-"):
        w.add("consumer.name", str(value), FieldKind.JSON)


def header_value(value: Any, name: str) -> str | None:
    """One header's value from headers logged as an object or a list, by case-blind name."""
    for key, item in _items(value) if isinstance(value, dict | list) else []:
        if key.lower() == name:
            return item if isinstance(item, str) else None
    return None


def _items(value: Any) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, tuple) and len(item) == 2:
                out.append(item)
                continue
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise InputError("a name/value list has an item without a name")
            out.append((item["name"], item.get("value")))
        return out
    raise InputError("headers or parameters are neither an object nor a list")


def resource_log(record: dict[str, Any], categories: Collection[str], method: str) -> bool:
    """Whether a record is an Azure Monitor resource log of one of `categories` (lower case)
    whose `properties` name the request's method under `method`."""
    props = record.get("properties")
    category = record.get("category")
    return (
        isinstance(category, str)
        and category.lower() in categories
        and isinstance(props, dict)
        and isinstance(props.get(method), str)
    )


def without_port(value: Any) -> str | None:
    """An address or a host as a log writes it with its port (`203.0.113.7:51234`,
    `[2001:db8::1]:443`, `api.example.com:443`), without it; None for nothing or `-`."""
    if not isinstance(value, str) or value in ("", "-"):
        return None
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    host, colon, port = value.rpartition(":")
    return host if colon and port.isdigit() and ":" not in host else value


def scalar_text(value: Any) -> str:
    """A value's text: a string as it is, a number or a flag as JSON writes it."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # past 64 bits too (`strictjson` keeps those exact)
    if isinstance(value, bool | float):
        return orjson.dumps(value).decode()
    raise InputError(f"unexpected {type(value).__name__} value")
