"""AWS WAF web ACL traffic logs, as WAF delivers them to CloudWatch Logs, S3 or Firehose (JSON
lines, one request each), documented at
https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html (and
`logging-examples.html`): `timestamp` (ms), `formatVersion`, `webaclId`, `action`,
`terminatingRuleId`, `terminatingRuleType`, `terminatingRuleMatchDetails` (with the request's
`matchedData`), `httpSourceName` (`CF`, `ALB`, `APIGW`, `APPSYNC`...), `httpSourceId`,
`ruleGroupList`, `rateBasedRuleList`, `nonTerminatingMatchingRules`, `labels`,
`responseCodeSent` (a custom response's status), `requestHeadersInserted`, `requestBodySize`,
`ja3Fingerprint`, and `httpRequest`: `clientIp`, `country`, `headers` (a `[{name, value}]`
list), `uri` (the path), `args` (the query string), `httpVersion`, `httpMethod`, `requestId`,
`fragment`, `scheme`, `host`.

WAF sees the request, not the response: a record has no latency, and a status only when WAF
answered with a custom response (`responseCodeSent`). A rule's `matchedData` is a list of
fragments of the request (`["password", "=", "..."]`), out of the context a detector judges a
value by: never kept (a binary field, its count only), the request's own fields say it whole.
"""

from __future__ import annotations

import copy
from typing import Any

from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_HTTP_MAPPED = (
    "clientIp",
    "headers",
    "uri",
    "args",
    "httpVersion",
    "httpMethod",
    "requestId",
    "fragment",
    "scheme",
    "host",
)


class AwsWafLog:
    name = "aws-waf"
    prefix = "waf"

    def matches(self, record: dict[str, Any]) -> bool:
        # `httpRequest` with WAF's own names beside the web ACL's verdict.
        http = record.get("httpRequest")
        return (
            isinstance(http, dict)
            and isinstance(http.get("httpMethod"), str)
            and "clientIp" in http
            and ("webaclId" in record or "terminatingRuleId" in record)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        http: dict[str, Any] = record["httpRequest"]
        heads = http.get("headers")
        x.meta(w, "started_at", x.started_at(record.get("timestamp")))
        x.meta(w, "request.method", http.get("httpMethod"))
        host = http.get("host") or x.header_value(heads, "host")
        scheme = http.get("scheme") if isinstance(http.get("scheme"), str) else None
        uri = http.get("uri")
        x.target(w, uri if isinstance(uri, str) else None, scheme, x.without_port(host))
        # The query is logged apart: its own, whatever the URI held.
        args = http.get("args")
        if isinstance(args, str) and args:
            x.query(w, parse_form(args))
        fragment = http.get("fragment")
        if isinstance(fragment, str) and fragment:
            w.add("request.fragment", fragment, FieldKind.URL)
        x.meta(w, "request.http_version", http.get("httpVersion"))
        x.headers(w, "request", heads)
        x.meta(w, "request.body_size", x.number(record.get("requestBodySize")))
        x.header(w, "request", "x-request-id", http.get("requestId"))
        x.meta(w, "response.status", x.number(record.get("responseCodeSent")))
        w.add("client.ip", x.without_port(http.get("clientIp")), FieldKind.META)
        # The verdict and its rules under `waf.`: `waf.action`, `waf.terminatingRuleId`, the
        # matched data (the request's own values, judged by content), `waf.httpRequest.country`.
        x.rest(w, "waf.httpRequest", http, _HTTP_MAPPED)
        rest = copy.deepcopy(record)
        for path, tokens in _matched_data(rest, "waf"):
            w.add(path, tokens, FieldKind.TEXT, binary=True)
        x.rest(w, "waf", rest, ("httpRequest", "timestamp", "requestBodySize", "responseCodeSent"))


def _matched_data(value: Any, path: str) -> list[tuple[str, int]]:
    """Every `matchedData` in the record taken out of it (it is a copy): each one's path and
    how many fragments it held."""
    found: list[tuple[str, int]] = []
    if isinstance(value, dict):
        for key in list(value):
            at = join(path, str(key))
            if key == "matchedData":
                data = value.pop(key)
                found.append((at, len(data) if isinstance(data, list) else 1))
            else:
                found += _matched_data(value[key], at)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _matched_data(item, f"{path}[{i}]")
    return found


class AwsWafFormat(GatewayLines):
    """`--format aws-waf`: JSON lines of AWS WAF web ACL traffic log records."""

    name = "aws-waf"
