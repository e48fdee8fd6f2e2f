"""Access log lines written as `key=value` pairs (logfmt), a request's method, path and status
among them: Heroku's router log
(https://devcenter.heroku.com/articles/http-routing#heroku-router-log-format):

    at=info method=GET path="/users?id=3" host=myapp.herokuapp.com request_id=8601b555-...
    fwd="203.0.113.7" dyno=web.1 connect=0ms service=27ms status=200 bytes=1548 protocol=https

and any router or application that logs requests so (`method=`, `path=` or `uri=` or `url=`,
`status=`). Pairs are read as `combined_tail` reads a tail's. Known keys go where a JSON
gateway's fields go: the target and host make the URL, `fwd` is X-Forwarded-For, a duration
with its unit is a latency (Heroku's `service` is the application's time, `connect` the
router's, their sum the request's). Every other pair is kept under `logfmt.<key>`, judged by
its content. A bare number is no duration (its unit is the configuration's).
"""

from __future__ import annotations

import re
from typing import Any

from datamin.core.structure import Walker
from datamin.formats import combined_tail
from datamin.formats import exchange as x
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_METHOD = re.compile(r"[A-Z][A-Z_-]*")
_STATUS = re.compile(r"[1-5]\d\d")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s)")
_TO_MS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1000.0}
_TARGETS = ("path", "uri", "url", "request_uri")
_TIMES = ("duration", "latency", "elapsed", "request_time", "took")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
_USED = frozenset(
    ("method", "status", "host", "fwd", "request_id", "bytes", "connect", "service", "protocol")
)


def parse(text: str) -> dict[str, str] | None:
    """A logfmt line's pairs, when they hold a request's method, target and status; else None."""
    if "method=" not in text or "status=" not in text:
        return None  # not tokenized: most lines of no grammar are no pairs at all
    tokens = combined_tail.tokens(" " + text.rstrip("\r\n"))
    if not tokens or any(t.key is None for t in tokens):
        return None
    pairs: dict[str, str] = {}
    for token in tokens:
        if token.key is not None and token.key not in pairs:
            pairs[token.key] = token.text
    target = next((k for k in _TARGETS if k in pairs), None)
    if (
        target is None
        or not _METHOD.fullmatch(pairs.get("method", ""))
        or not _STATUS.fullmatch(pairs.get("status", ""))
    ):
        return None
    return pairs


def fields(w: Walker, line: dict[str, Any], unescape: Any) -> None:
    values = {k: unescape(v) for k, v in line.items()}
    stamp = time_of(values)
    x.meta(w, "started_at", x.started_at(values[stamp]) if stamp is not None else None)
    w.add("request.method", values["method"], FieldKind.META)
    host = values.get("host")
    host = host.lower() if host is not None and _HOST.fullmatch(host) else None
    scheme = values.get("protocol") if values.get("protocol") in ("http", "https") else None
    target = next(k for k in _TARGETS if k in values)
    x.target(w, values[target], scheme, host)
    x.meta(w, "response.status", x.number(values["status"]))
    x.meta(w, "response.content_size", x.number(values.get("bytes")))
    x.header(w, "request", "x-forwarded-for", values.get("fwd"))
    x.header(w, "request", "x-request-id", values.get("request_id"))
    connect, service = _ms(values.get("connect")), _ms(values.get("service"))
    timed = [k for k in _TIMES if _ms(values.get(k)) is not None]
    if timed:
        x.meta(w, "time", _ms(values[timed[0]]))
    elif service is not None:
        x.meta(w, "time", round(service + (connect or 0.0), 3))
    x.meta(w, "timings.wait", service)
    x.meta(w, "timings.connect", connect)
    used = _USED | {target} | set(timed[:1]) | {stamp}
    for key, value in values.items():
        if key not in used and value not in ("", "-"):
            w.add(join("logfmt", key), value, FieldKind.JSON)
    for key in ("connect", "service"):  # kept as written when no unit said what they are
        if key in values and _ms(values[key]) is None and values[key] not in ("", "-"):
            w.add(join("logfmt", key), values[key], FieldKind.JSON)


def time_of(pairs: dict[str, Any]) -> str | None:
    """The key of the line's own time (`time=`, `ts=`, `timestamp=`), when it reads as one."""
    for key in ("time", "ts", "timestamp"):
        if x.started_at(pairs.get(key)) is not None:
            return key
    return None


def _ms(value: str | None) -> float | None:
    """`27ms`, `0.5s`, `1200us` in milliseconds; None for anything else."""
    found = _DURATION.fullmatch(value or "")
    if found is None:
        return None
    return round(float(found.group(1)) * _TO_MS[found.group(2)], 3)
