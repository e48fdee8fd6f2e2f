"""Access logs written as text, not JSON, each line parsed by its documented grammar and walked
into the canonical API exchange (`exchange`), so `api_logs` applies to them unchanged:

- the NCSA Common and Combined Log Formats, as Apache and nginx write them
  (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`, the last two absent in Common):
  https://httpd.apache.org/docs/current/logs.html#accesslog,
  https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format. nginx writes `"`, `\\`
  and control or non-ASCII bytes in a field as `\\xHH`; Apache writes `\\"` and `\\\\`.
  Apache's virtual host may come first (`%v`, `%v:%p`); fields may follow (nginx's stock `main`,
  Traefik's CLF, ingress-nginx's `upstreaminfo`, `key=value` pairs...), read by
  `combined_tail`.
- Envoy's default text access log and Istio's (`envoytext`), read as their JSON form is.
- AWS Application Load Balancer access logs: space-separated fields, some quoted, in the order
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
  gives; the fields after `domain_name` are optional (older logs end there, newer add more).
- AWS Classic Load Balancer access logs, the ALB's predecessor: the same fields from `time` to
  `ssl_protocol`, without a type first or a target group after:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html.
- HAProxy's HTTP log format (`option httplog`), after a syslog header or logged raw:
  https://docs.haproxy.org/2.8/configuration.html#8.2.3. Its accept date has no zone: read as
  UTC. Captured headers and cookies are logged without their names (the configuration gives
  them): each is scanned as any JSON value, under `haproxy.request_headers[i]`.

- Amazon S3 server access logs (`s3access`), and requests logged as `key=value` pairs, as
  Heroku's router logs them (`logfmt_access`).

Each of these is also read behind a syslog relay's header (`syslog_header`).

A line is kept as read (its quarantine entry replays it as a `.log` line) and parsed by the
`api` record kind (`exchange.ApiExchange`), which reads both these lines and JSON gateway records.
A line of no grammar is one quarantined record, with an error that names the grammar it started
like, or says it started like none. Lines of a file no format claimed are read by `textlines`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from datamin.core.structure import Walker
from datamin.formats import combined_tail as tail
from datamin.formats import envoytext, logfmt_access, s3access, syslog_header
from datamin.formats import exchange as x
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

# A quoted field: anything but a bare `"`, a backslash escaping the next character.
_Q = r'"((?:[^"\\]|\\.)*)"'
# Common, Combined, and either with a virtual host before (Apache's `%v` or `%v:%p`) or fields
# after (`combined_tail`: nginx's `main`, Traefik's CLF, ...).
COMBINED = re.compile(
    rf"(?:(\S+) )?(\S+) (\S+) (\S+) \[([^\]]+)\] {_Q} (\d{{3}}) (\d+|-)((?: {tail.TOKEN})*)"
    r"[ \t]*\r?\n?\Z"
)
_COMBINED_START = re.compile(r"(?:\S+ )?\S+ \S+ \S+ \[")
_ALB_TYPES = "https?|h2|grpcs?|wss?"
ALB = re.compile(
    rf"({_ALB_TYPES}) (\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (\S+) (\S+) (\S+)"
    r" (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (\d{3}|-) (\d{3}|-) (\d+|-) (\d+|-)"
    rf" {_Q} {_Q} (\S+) (\S+) (\S+) {_Q} {_Q}((?: (?:{_Q}|[^ \"\r\n]+))*)[ \t]*\r?\n?\Z"
)
_ALB_REQUIRED = (
    "type time elb client target request_processing_time target_processing_time"
    " response_processing_time elb_status_code target_status_code received_bytes sent_bytes"
    " request user_agent ssl_cipher ssl_protocol target_group_arn trace_id domain_name"
).split()
_ALB_OPTIONAL = (
    "chosen_cert_arn matched_rule_priority request_creation_time actions_executed redirect_url"
    " error_reason target_port_list target_status_code_list classification"
    " classification_reason conn_trace_id transformed_host transformed_uri"
    " request_transform_status"
).split()
HAPROXY = re.compile(
    r"(?:.*?\]: )?"  # `Feb  6 12:14:14 localhost haproxy[14389]: `
    r"(\S+):(\d+) \[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)?)\] (\S+) ([^\s/]+)/(\S+)"
    r" (-?\d+(?:/-?\d+){3,4}) (-?\d{1,3}) \+?(\d+) (\S+) (\S+) (\S{4})"
    r" (\d+/\d+/\d+/\d+/\+?\d+) (\d+/\d+)(?: \{([^}]*)\})?(?: \{([^}]*)\})?"
    r' "((?:[^"\\]|\\.)*)"?[ \t]*\r?\n?\Z'
)
ELB = re.compile(
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (\S+) (\S+) (\S+)"
    r" (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (\d{3}|-) (\d{1,3}|-) (\d+|-) (\d+|-)"  # backend: 0
    rf" {_Q} {_Q} (\S+) (\S+)[ \t]*\r?\n?\Z"
)
_ELB_FIELDS = (
    "time elb client backend request_processing_time backend_processing_time"
    " response_processing_time elb_status_code backend_status_code received_bytes sent_bytes"
    " request user_agent ssl_cipher ssl_protocol"
).split()
_HAPROXY_HEADER = re.compile(r".{0,64}?haproxy\[\d+\]: ")
_HAPROXY_FIELDS = (
    "client port accept_date frontend backend server timers status bytes request_cookie"
    " response_cookie termination connections queues request_headers response_headers request"
).split()
_ALB_TOKEN = re.compile(rf" (?:{_Q}|([^ \"\r\n]+))")
_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})|\\(.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"t": b"\t", b"r": b"\r"}
_METHOD = re.compile(r"[A-Z][A-Z_-]*")
# How a JSON array's first item starts; a year and a dash (`[2024-`) is no JSON number's.
_JSON_ARRAY = re.compile(rb'\[\s*(?:[\[{"\]]|-?\d(?!\d{3}-)|(?:true|false|null)\b)')
# A DNS name with a letter in its last label (an address is no server name).
_HOST_NAME = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
)


class ParsedLine(dict[str, Any]):
    """A text line's fields by their documented names, and which grammar gave them; never
    what a JSON record parses to, so a JSON record cannot pass for one."""

    def __init__(self, grammar: str, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.grammar = grammar
        self.syslog: syslog_header.Header | None = None  # the relay's header before the line


class BadLine(dict[str, Any]):
    """A text line of no grammar: its `problem` names the grammar it was taken for."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


_NOT_ELB = "not a Classic Load Balancer access log line"
NO_GRAMMAR = "not a line of a known access log format"


def parse_line(data: bytes) -> ParsedLine | BadLine:
    """One line by the grammar it starts like (`_parse`), or, after the header a syslog relay
    wrote before it (`syslog_header`), by the grammar the rest starts like."""
    text = data.decode("utf-8", "replace")
    parsed = _parse(text)
    if isinstance(parsed, ParsedLine):
        return parsed
    header = syslog_header.read(text)
    if header is None:
        return parsed
    inner = _parse(text[header.length :])
    if isinstance(inner, ParsedLine):
        inner.syslog = header
        return inner
    # A header's ISO time is where a Classic Load Balancer's line starts too: no CLB line it is.
    return inner if parsed.problem == _NOT_ELB else parsed


def _parse(text: str) -> ParsedLine | BadLine:
    """One line by the grammar it starts like: an ALB type and an ISO time, an ISO time (the
    Classic Load Balancer), a bracketed date (Envoy), else HAProxy's, combined, S3's or
    `key=value` pairs."""
    if re.match(rf"(?:{_ALB_TYPES}) \d{{4}}-", text):
        found = ALB.match(text)
        if found is None:
            return BadLine("not an ALB access log line")
        values = list(found.groups())
        fields = dict(zip(_ALB_REQUIRED, values[:19], strict=True))
        tokens = [t[1] if t[1] is not None else t[2] for t in _ALB_TOKEN.finditer(values[19])]
        for i, token in enumerate(tokens):
            name = _ALB_OPTIONAL[i] if i < len(_ALB_OPTIONAL) else f"field_{i + 20}"
            fields[name] = token
        return ParsedLine("alb", {k: unescape(v) for k, v in fields.items()})
    if re.match(r"\d{4}-\d\d-\d\dT", text):
        found = ELB.match(text)
        if found is None:
            return BadLine(_NOT_ELB)
        return ParsedLine("elb", dict(zip(_ELB_FIELDS, map(unescape, found.groups()), strict=True)))
    if envoytext.START.match(text):
        envoy = envoytext.parse(text)
        return (
            BadLine("not an Envoy access log line") if envoy is None else ParsedLine("envoy", envoy)
        )
    found = HAPROXY.match(text)
    if found is not None:
        fields = dict(zip(_HAPROXY_FIELDS, found.groups(), strict=True))
        return ParsedLine("haproxy", {k: v for k, v in fields.items() if v is not None})
    found = COMBINED.match(text)
    rest = tail.tokens(found.group(9)) if found is not None else None
    if found is None or rest is None:
        if (s3 := s3access.parse(text)) is not None:
            return ParsedLine("s3", s3)
        if (pairs := logfmt_access.parse(text)) is not None:
            return ParsedLine("logfmt", pairs)
        if s3access.START.match(text):
            return BadLine("not an S3 server access log line")
        if _HAPROXY_HEADER.match(text):
            return BadLine("not an HAProxy log line")
        if _COMBINED_START.match(text):
            return BadLine("not a combined log line")
        return BadLine(NO_GRAMMAR)
    names = ("vhost", "host", "ident", "user", "time", "request", "status", "bytes")
    fields = {k: unescape(v) for k, v in zip(names, found.groups(), strict=False) if v is not None}
    after = found.group(9)
    if len(rest) >= 2 and rest[0].shape == rest[1].shape == "quoted":
        fields |= {"referer": unescape(rest[0].text), "agent": unescape(rest[1].text)}
        after = after[rest[1].end :]
    if after.strip():  # what follows, as written: `combined_tail` reads it
        fields["tail"] = after
    return ParsedLine("combined", fields)


def is_text_line(data: bytes) -> bool:
    """Whether a line is read by a text grammar rather than as JSON: not blank, not opening with
    `{`, nor with `[` and what a JSON array's first item starts with (Envoy's `[2024-09-19T`
    and a `[INFO]` are text; `[1, 2` and `[{"a"` JSON, valid or not)."""
    start = data.lstrip()
    if start[:1] == b"[":
        return _JSON_ARRAY.match(start) is None
    return start[:1] not in (b"{", b"")


def unescape(value: str) -> str:
    """nginx's `\\xHH` bytes and Apache's `\\"`, `\\\\`, `\\n`, `\\t`, as the bytes they stand
    for, read as UTF-8 (nginx escapes each byte of a non-ASCII character)."""
    if "\\" not in value:
        return value

    def one(m: re.Match[bytes]) -> bytes:
        if m.group(1) is not None:
            return bytes([int(m.group(1), 16)])
        return _ESCAPED.get(m.group(2), m.group(2))

    return _ESCAPE.sub(one, value.encode()).decode("utf-8", "replace")


def _given(value: str | None) -> str | None:
    return None if value in (None, "", "-") else value


def _request_line(w: Walker, value: str | None) -> bool:
    """`GET /a?b=1 HTTP/1.1` as the method, target (relative or absolute) and protocol; False
    when it is not one (a TLS handshake sent to a plain port, `-`)."""
    parts = (value or "").split(" ")
    if len(parts) not in (2, 3) or not _METHOD.fullmatch(parts[0]) or not parts[1]:
        return False
    w.add("request.method", parts[0], FieldKind.META)
    x.target(w, parts[1], None, None)
    x.meta(w, "request.http_version", parts[2] if len(parts) == 3 else None)
    return True


def combined_fields(w: Walker, line: dict[str, Any]) -> None:
    x.meta(w, "started_at", x.started_at(line.get("time")))
    w.add("client.ip", _given(line.get("host")), FieldKind.META)
    # `%u`: the user HTTP authentication named, an identity a policy may pseudonymize.
    x.consumer_name(w, _given(line.get("user")))
    w.add("combined.ident", _given(line.get("ident")), FieldKind.META)  # RFC 1413, rare
    _vhost(w, _given(line.get("vhost")))
    if not _request_line(w, line.get("request")):
        w.add("combined.request", _given(line.get("request")), FieldKind.TEXT)
    x.meta(w, "response.status", x.number(line.get("status")))
    x.meta(w, "response.content_size", x.number(line.get("bytes")))
    x.header(w, "request", "referer", line.get("referer"))
    x.header(w, "request", "user-agent", line.get("agent"))
    if "tail" in line:
        tail.walk(w, line["tail"], unescape)


def _vhost(w: Walker, value: str | None) -> None:
    """Apache's `%v` or `%v:%p` before the client: the server's name is the request's host;
    anything else there (an address) is judged by its content."""
    if value is None:
        return
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if _HOST_NAME.fullmatch(host) and (not port or port.isdigit()):
        w.add("request.host", host.lower(), FieldKind.META)
        x.meta(w, "combined.port", x.number(port) if port else None)
    else:
        w.add("combined.vhost", value, FieldKind.JSON)


def elb_fields(w: Walker, line: dict[str, Any]) -> None:
    """A Classic Load Balancer's line, read as an ALB's (its backend is the ALB's target)."""
    fields = {k: v for k, v in line.items() if k != "backend_processing_time"}
    fields["target_processing_time"] = line["backend_processing_time"]
    alb_fields(w, {**fields, "trace_id": "-"}, "elb")


def alb_fields(w: Walker, line: dict[str, Any], prefix: str = "alb") -> None:
    x.meta(w, "started_at", x.started_at(_given(line.get("request_creation_time"))))
    if "request_creation_time" not in line:
        x.meta(w, "started_at", x.started_at(line["time"]))
    spans = [x.number(line[k]) for k in _ALB_REQUIRED[5:8]]
    # -1: the request never reached a target or the connection closed; no latency then.
    if all(s is not None and s >= 0 for s in spans):
        x.meta(w, "time", round(sum(spans) * 1000.0, 3))  # type: ignore[arg-type]
        x.meta(w, "timings.wait", x.seconds_to_ms(line["target_processing_time"]))
    w.add("client.ip", _address(line["client"]), FieldKind.META)
    request = line["request"]
    if not _request_line(w, request):
        w.add(join(prefix, "request"), _given(request), FieldKind.TEXT)
    x.meta(w, "response.status", x.number(line["elb_status_code"]))
    x.meta(w, "request.body_size", x.number(line["received_bytes"]))
    x.meta(w, "response.content_size", x.number(line["sent_bytes"]))
    x.header(w, "request", "user-agent", line["user_agent"])
    x.header(w, "request", "x-amzn-trace-id", line["trace_id"])
    used = {"client", "request", "elb_status_code", "received_bytes", "sent_bytes"}
    used |= {"user_agent", "trace_id", *_ALB_REQUIRED[5:8]}
    for key, value in line.items():
        if key not in used and _given(value) is not None:
            w.add(join(prefix, key), value, FieldKind.META)


def _address(value: str) -> str | None:
    """`192.0.2.1:2817` or `[2001:db8::1]:2817` as its address."""
    if _given(value) is None:
        return None
    host = value.rsplit(":", 1)[0] if value.count(":") == 1 or "]:" in value else value
    return host.strip("[]") or None


def haproxy_fields(w: Walker, line: dict[str, Any]) -> None:
    try:
        accepted = datetime.strptime(line["accept_date"].partition(".")[0], "%d/%b/%Y:%H:%M:%S")
    except ValueError:  # `31/Feb/...`: a date no calendar has is no time
        pass
    else:
        x.meta(w, "started_at", accepted.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"))
    timers = [x.number(t) for t in line["timers"].split("/")]
    if timers[-1] is not None and timers[-1] >= 0:
        x.meta(w, "time", float(timers[-1]))  # Ta (Tt before 1.9), in ms
    if timers[3] is not None and timers[3] >= 0:
        x.meta(w, "timings.wait", float(timers[3]))  # Tr: the server's response time
    w.add("client.ip", line["client"], FieldKind.META)
    if not _request_line(w, line.get("request")):
        w.add("haproxy.request", _given(line.get("request")), FieldKind.TEXT)
    x.meta(w, "response.status", x.number(line["status"]))
    x.meta(w, "response.content_size", x.number(line["bytes"]))
    for side in ("request", "response"):
        if (cookie := _given(line[f"{side}_cookie"])) is not None:
            x.cookies(w, side, cookie)
        for i, value in enumerate(line.get(f"{side}_headers", "").split("|")):
            if value:  # names are the configuration's: judged by content
                w.add(f"haproxy.{side}_headers[{i}]", value, FieldKind.JSON)
    for key in ("frontend", "backend", "server", "termination", "connections", "queues"):
        w.add(join("haproxy", key), line[key], FieldKind.META)


def _s3_fields(w: Walker, line: dict[str, Any]) -> None:
    s3access.fields(w, line, unescape, _request_line)


def _logfmt_fields(w: Walker, line: dict[str, Any]) -> None:
    logfmt_access.fields(w, line, unescape)


_WALKS = {"combined": combined_fields, "alb": alb_fields, "elb": elb_fields}
_WALKS |= {"haproxy": haproxy_fields, "envoy": envoytext.fields}
_WALKS |= {"s3": _s3_fields, "logfmt": _logfmt_fields}
_OWN_TIME = frozenset(("combined", "alb", "elb", "haproxy", "envoy", "s3"))


def walk_line(w: Walker, record: ParsedLine) -> None:
    """A parsed line's fields, by its grammar (the `api` kind calls this for text lines), and
    its syslog header's: the header's time where the line has none of its own."""
    w.what = f"{record.grammar} log line"
    _WALKS[record.grammar](w, record)
    header = record.syslog
    if header is not None:
        if record.grammar not in _OWN_TIME and not _timed(record):
            x.meta(w, "started_at", x.started_at(header.time))
        w.add("syslog.host", header.host, FieldKind.JSON)
        w.add("syslog.app", header.app, FieldKind.JSON)


def _timed(record: ParsedLine) -> bool:
    return record.grammar == "logfmt" and logfmt_access.time_of(record) is not None
