"""Envoy's default text access log, and Istio's, read into the same fields as their JSON form
(`envoy`), so one policy applies to both.

Envoy's default format string
(https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage,
"Default format string"):

    [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
    %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
    %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
    "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"

Istio's (1.8 on, `EnvoyTextLogFormatIstio18` in istio/istio) adds `%RESPONSE_CODE_DETAILS%
%CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%"` after the flags and
`%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS%
%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%` at the end. Envoy writes `-`
for a value it has not and does not escape what it copies: a quote inside a value makes a line
of no grammar. Each operator is given the key Istio's JSON format gives it, and the line is walked
as an Envoy JSON record is: duration as latency, upstream service time as wait, X-Forwarded-For,
user agent and request id as the request's headers, the authority as its host.
"""

from __future__ import annotations

import re
from typing import Any

from datamin.core.structure import Walker
from datamin.formats.envoy import EnvoyLog

_Q = r'"([^"\r\n]*)"'
ENVOY = re.compile(
    r"\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\]"
    rf" {_Q} (\d{{1,3}}|-) (\S+)(?: (\S+) (\S+) {_Q})?"
    rf" (\d+|-) (\d+|-) (\d+|-) (\d+|-) {_Q} {_Q} {_Q} {_Q} {_Q}"
    r"(?: (\S+) (\S+) (\S+) (\S+) (\S+) (\S+))?[ \t]*\r?\n?\Z"
)
# Where an Envoy line starts (its own logs too: `[2024-09-19 22:17:28.500][12][info]...`).
START = re.compile(r"\[\d{4}-\d\d-\d\d")
_KEYS = (
    "start_time request response_code response_flags response_code_details"
    " connection_termination_details upstream_transport_failure_reason bytes_received"
    " bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id"
    " authority upstream_host upstream_cluster upstream_local_address downstream_local_address"
    " downstream_remote_address requested_server_name route_name"
).split()
_METHOD = re.compile(r"[A-Z][A-Z_-]*")


def parse(text: str) -> dict[str, str] | None:
    """An Envoy access log line's values under Istio's JSON keys, `-` left out; None when the
    line is not one."""
    found = ENVOY.match(text)
    if found is None:
        return None
    values = dict(zip(_KEYS, found.groups(), strict=True))
    parts = (values["request"] or "").split(" ")
    if len(parts) == 3 and _METHOD.fullmatch(parts[0]) and parts[1] not in ("", "-"):
        del values["request"]
        values.update(method=parts[0], path=parts[1], protocol=parts[2])
    return {k: v for k, v in values.items() if v not in (None, "", "-", "- - -")}


def fields(w: Walker, line: dict[str, Any]) -> None:
    EnvoyLog().fields(w, dict(line))
