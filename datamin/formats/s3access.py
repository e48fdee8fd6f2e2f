"""Amazon S3 server access logs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/
LogFormat.html): space-separated fields, the time bracketed, the request line, referer and user
agent quoted, in this order; the fields after `host_id` came later (older logs end there) and
more may follow:

    bucket_owner bucket [time] remote_ip requester request_id operation key "request_uri"
    http_status error_code bytes_sent object_size total_time turn_around_time "referer"
    "user_agent" version_id host_id signature_version cipher_suite authentication_type
    host_header tls_version access_point_arn acl_required

`total_time` (ms) is the request's latency, `turn_around_time` (ms) S3's own. The requester
(an IAM ARN naming a user, a canonical id) is the caller's login; the object's key is judged by
its content, as any JSON value.
"""

from __future__ import annotations

import re
from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_Q = r'"((?:[^"\\]|\\.)*)"'
S3 = re.compile(
    r"([0-9a-f]{64}|-) ([a-z0-9][a-z0-9.-]{1,62}|-) \[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]"
    rf" (\S+) (\S+) (\S+) ([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+|-) (\S+) (?:{_Q}|-)"
    rf" (\d{{3}}|-) (\S+) (\d+|-) (\d+|-) (\d+|-) (\d+|-) (?:{_Q}|-) (?:{_Q}|-) (\S+)"
    r"((?: \S+)*)[ \t]*\r?\n?\Z"
)
START = re.compile(r"(?:[0-9a-f]{64}|-) \S+ \[\d\d/\w{3}/\d{4}:")
_FIELDS = (
    "bucket_owner bucket time remote_ip requester request_id operation key request_uri"
    " http_status error_code bytes_sent object_size total_time turn_around_time referer"
    " user_agent version_id"
).split()
_LATER = (
    "host_id signature_version cipher_suite authentication_type host_header tls_version"
    " access_point_arn acl_required"
).split()
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}")


def parse(text: str) -> dict[str, str] | None:
    """An S3 server access log line's fields by their documented names, `-` left out."""
    found = S3.match(text)
    if found is None:
        return None
    groups = found.groups()
    fields = dict(zip(_FIELDS, groups[:-1], strict=True))
    for i, value in enumerate(groups[-1].split()):
        fields[_LATER[i] if i < len(_LATER) else f"field_{len(_FIELDS) + i + 1}"] = value
    return {k: v for k, v in fields.items() if v not in (None, "", "-")}


def fields(w: Walker, line: dict[str, Any], unescape: Any, request_line: Any) -> None:
    x.meta(w, "started_at", x.started_at(line.get("time")))
    w.add("client.ip", line.get("remote_ip"), FieldKind.META)
    _requester(w, line.get("requester"))
    host = line.get("host_header")
    if host is not None and _HOST.fullmatch(host.lower()):
        w.add("request.host", host.lower(), FieldKind.META)
    request = unescape(line["request_uri"]) if "request_uri" in line else None
    if request is not None and not request_line(w, request):
        w.add("s3.request_uri", request, FieldKind.TEXT)
    x.meta(w, "response.status", x.number(line.get("http_status")))
    x.meta(w, "response.content_size", x.number(line.get("bytes_sent")))
    x.meta(w, "time", x.number(line.get("total_time")))
    x.meta(w, "timings.wait", x.number(line.get("turn_around_time")))
    x.header(w, "request", "referer", unescape(line["referer"]) if "referer" in line else None)
    agent = unescape(line["user_agent"]) if "user_agent" in line else None
    x.header(w, "request", "user-agent", agent)
    x.header(w, "response", "x-amz-request-id", line.get("request_id"))
    used = {"time", "remote_ip", "requester", "host_header", "request_uri", "http_status"}
    used |= {"bytes_sent", "total_time", "turn_around_time", "referer", "user_agent", "request_id"}
    for key in _CODES:
        x.meta(w, join("s3", key), line.get(key))
    for key, value in line.items():
        if key not in used and key not in _CODES:
            w.add(join("s3", key), value, FieldKind.JSON)


# Fields of a fixed vocabulary: `REST.GET.OBJECT`, `NoSuchKey`, `SigV4`, `AuthHeader`...
_CODES = (
    "operation",
    "error_code",
    "signature_version",
    "cipher_suite",
    "authentication_type",
    "tls_version",
)


# `arn:aws:iam::123456789012:user/path/name`, `arn:aws:sts::123456789012:assumed-role/role/session`
_ARN = re.compile(r"arn:aws[\w-]*:(?:iam|sts)::(\d{12}):([\w-]+)/(?:.*/)?([^/]+)")


def _requester(w: Walker, value: str | None) -> None:
    """The caller: an IAM or STS ARN's last part is the login (a user's name, an assumed
    role's session, often a person's e-mail), read as the caller's name; its account and its
    type (`user`, `assumed-role`) are protocol fields. Anything else (a canonical id, a
    service's name) is the caller's name as written."""
    found = _ARN.fullmatch(value or "")
    if found is None:
        x.consumer_name(w, value)
        return
    account, kind, name = found.groups()
    x.consumer_name(w, name)
    w.add("s3.requester_account", account, FieldKind.META)
    w.add("s3.requester_type", kind, FieldKind.META)
