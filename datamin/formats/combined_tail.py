"""What a combined log line carries after its user agent (or after its size, in Common Log
Format): the fields a server's `log_format` / `LogFormat` appends, each a token of one of the
shapes those write (a quoted string, a bracketed name, `key=value` with its value quoted or not,
a bare word or number, `-` for none). A line whose tail is not tokens of these shapes is of no
grammar (`textlogs`). What is known is read; the rest is kept, judged by its content.

Known, and read whatever the line's other tokens:

- X-Forwarded-For: the first quoted token that is a list of IP addresses, as nginx's stock
  `main` format (the `nginx.conf` packages ship: combined + `"$http_x_forwarded_for"`) and
  Apache's `\\"%{X-Forwarded-For}i\\"` log it; walked to `request.headers.x-forwarded-for`, as
  JSON gateways' is, so a policy generalizes it as it does `client.ip`.
- `key=value` tokens, named by their key: NGINX Amplify's `main_ext`
  (https://github.com/nginxinc/nginx-amplify-doc, `amplify-guide.md`: `rt=$request_time`,
  `ut="$upstream_response_time"`, `ua=`, `us=`, `ul=`, `cs=`) and keys named after nginx's
  variables (`request_time=`, `upstream_response_time=`, `http_x_forwarded_for=`,
  `request_id=`, `host=`). A time is read when it is written as nginx writes seconds, with
  milliseconds (`0.057`), a host when it is a DNS name.

Known as whole layouts, when the tail is exactly one of them:

- Traefik's Common Log Format (https://doc.traefik.io/traefik/observability/access-logs/):
  `<request count> "<router name>" "<server URL>" <duration>ms`, under Traefik's own names.
- ingress-nginx's default `upstreaminfo`
  (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/log-format/):
  `$request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name]
  $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id`,
  the upstream lists (`a, b` or `a : b` after a redirect) read as nginx writes them.

A bare number is no time: Apache's `%D` (microseconds), `%T` (seconds), `%I`/`%O` (bytes) and
nginx's `$request_time` or `$upstream_response_time` look alike once written. Every token not
read is kept under `combined.<key>` or `combined.extra[i]` (`i`: its place in the tail), scanned
as any JSON value: a policy drops it unless a rule keeps it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_KEY = r"[A-Za-z_][\w.-]*"
# One token after a single space: what a combined grammar's tail is made of. The shapes are
# told apart by their first characters, so a line that is not tokens fails in linear time.
TOKEN = rf'(?:{_QUOTED}|\[[^\]\r\n]*\][^\s"]*|{_KEY}={_QUOTED}|[^\s"\[][^\s"]*)'
_ONE = re.compile(
    r' (?:"((?:[^"\\]|\\.)*)"|\[([^\]\r\n]*)\]([^\s"]*)'
    rf'|({_KEY})="((?:[^"\\]|\\.)*)"|([^\s"\[][^\s"]*))'
)
_PAIR = re.compile(rf"({_KEY})=(.*)", re.DOTALL)
_ITEM = r"[^\s,]*[^\s,:]"
_LIST = rf"{_ITEM}(?:(?:, | : ){_ITEM})*"
_INGRESS = re.compile(
    rf" (\d+|-) (\d+\.\d+|-) \[([^\]\r\n]*)\] \[([^\]\r\n]*)\] ({_LIST}) ({_LIST}) ({_LIST})"
    rf" ({_LIST}) ([0-9a-f]{{32}}|-)[ \t]*\r?\n?\Z"
)
_DURATION_MS = re.compile(r"([0-9]+)ms")
_COUNT = re.compile(r"[0-9]+")
# A DNS name with a dot and a last label of letters (not an id, a hash, a version, an address),
# its port after it; and nginx's seconds with milliseconds (`0.057`; lists: `0.010, 0.200`).
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?::\d+)?")
_SECOND = re.compile(r"\d+\.\d{3}")
_SECONDS = re.compile(rf"{_SECOND.pattern}(?:(?:, | : ){_SECOND.pattern})*")
# Keys whose meaning is known: NGINX Amplify's abbreviations, nginx's variable names.
_PAIRS = {
    "rt": "time",
    "request_time": "time",
    "ut": "wait",
    "upstream_response_time": "wait",
    "http_x_forwarded_for": "forwarded",
    "request_id": "request_id",
    "host": "host",
    "http_host": "host",
}
_OWN = frozenset(("ident", "request", "extra", "vhost", "port"))  # the grammar's own paths


@dataclass(frozen=True)
class Token:
    """One token of a tail, as written (still escaped, without its quotes or brackets)."""

    text: str
    shape: str  # "quoted", "bracketed", "pair" or "bare"
    end: int  # where it ends in the tail
    key: str | None = None


def tokens(tail: str) -> list[Token] | None:
    """The tail's tokens, in order; None when it is not tokens."""
    out, at = [], 0
    end = len(tail.rstrip(" \t\r\n"))
    while at < end:
        m = _ONE.match(tail, at)
        if m is None:
            return None
        quoted, bracketed, suffix, key, pair, _ = m.groups()
        if quoted is not None:
            out.append(Token(quoted, "quoted", m.end()))
        elif bracketed is not None and not suffix:
            out.append(Token(bracketed, "bracketed", m.end()))
        elif key is not None:
            out.append(Token(pair, "pair", m.end(), key))
        else:
            word = m.group(0)[1:]  # a bare word, or `[2001:db8::1]:443`
            named = _PAIR.fullmatch(word)
            pair = Token(named[2], "pair", m.end(), named[1]) if named else None
            out.append(pair or Token(word, "bare", m.end()))
        at = m.end()
    return out


def walk(w: Walker, raw: str, unescape: Callable[[str], str]) -> None:
    """The fields of a tail as written (tokens, as `tokens` reads them); `unescape` is the
    grammar's reading of an escaped value."""
    ingress = _INGRESS.match(raw)  # its lists span tokens: matched as written
    if ingress is not None:
        _ingress(w, [unescape(v) for v in ingress.groups()])
        return
    tail = tokens(raw) or []
    if _traefik(w, tail, unescape):
        return
    forwarded = timed = waited = hosted = False
    named: set[str] = set()
    for i, token in enumerate(tail):
        value = unescape(token.text)
        if value in ("", "-"):
            continue
        meaning = _PAIRS.get(token.key) if token.key is not None else None
        if (
            not forwarded
            and (meaning == "forwarded" or token.shape == "quoted")
            and _forwarded(value)
        ):
            x.header(w, "request", "x-forwarded-for", value)
            forwarded = True
        elif meaning == "time" and not timed and _SECOND.fullmatch(value):
            x.meta(w, "time", x.seconds_to_ms(value))
            timed = True
        elif meaning == "wait" and not waited and _SECONDS.fullmatch(value):
            x.meta(w, "timings.wait", x.seconds_to_ms(_last(value)))
            waited = True
        elif meaning == "request_id":
            x.header(w, "request", "x-request-id", value)
        elif meaning == "host" and not hosted and _HOST.fullmatch(value):
            w.add("request.host", value.rsplit(":", 1)[0].lower(), FieldKind.META)
            hosted = True
        elif token.key is not None and token.key not in _OWN and token.key not in named:
            w.add(join("combined", token.key), value, FieldKind.JSON)
            named.add(token.key)
        else:
            w.add(f"combined.extra[{i}]", value, FieldKind.JSON)


def _traefik(w: Walker, tail: list[Token], unescape: Callable[[str], str]) -> bool:
    """`<count> "<router>" "<server URL>" <n>ms`: Traefik's CLF after the user agent."""
    shapes = [t.shape for t in tail]
    if shapes != ["bare", "quoted", "quoted", "bare"] or not _COUNT.fullmatch(tail[0].text):
        return False
    duration = _DURATION_MS.fullmatch(tail[3].text)
    if duration is None:
        return False
    x.meta(w, "time", float(duration.group(1)))
    x.meta(w, "traefik.RequestCount", int(tail[0].text))
    for name, token in (("RouterName", tail[1]), ("ServiceURL", tail[2])):
        value = unescape(token.text)
        if value not in ("", "-"):
            w.add(join("traefik", name), value, FieldKind.JSON)
    return True


def _ingress(w: Walker, values: list[str]) -> None:
    length, seconds, upstream, alternative, addr, size, took, status, request_id = values
    x.meta(w, "request.body_size", x.number(length))  # as `nginxjson` reads $request_length
    x.meta(w, "time", x.seconds_to_ms(seconds) if seconds != "-" else None)
    x.meta(w, "timings.wait", x.seconds_to_ms(_last(took)) if took != "-" else None)
    x.header(w, "request", "x-request-id", request_id)
    named = {
        "proxy_upstream_name": upstream,
        "proxy_alternative_upstream_name": alternative,
        "upstream_addr": addr,
        "upstream_response_length": size,
        "upstream_status": status,
    }
    for key, value in named.items():
        if value not in ("", "-"):
            w.add(join("nginx", key), value, FieldKind.JSON)


def _forwarded(value: str) -> bool:
    """A list of IP addresses, as X-Forwarded-For holds (`203.0.113.7, 10.0.0.2`)."""
    try:
        for part in value.split(","):
            ipaddress.ip_address(part.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _last(value: str) -> str:
    """nginx's upstream lists (`0.010, 0.200`, `0.010 : 0.200` after a redirect): the last
    upstream's, the one that answered."""
    return re.split(r", | : ", value)[-1].strip()
