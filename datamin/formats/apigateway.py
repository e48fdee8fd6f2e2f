"""AWS API Gateway access logs in JSON (REST and HTTP APIs), keys named after the `$context`
variables they log, as AWS's examples do: https://docs.aws.amazon.com/apigateway/latest/
developerguide/api-gateway-variables-for-access-logging.html (REST) and .../http-api-logging-
variables.html (HTTP): `requestId`, `ip` (`$context.identity.sourceIp`), `requestTime` (Common Log
Format) or `requestTimeEpoch` (ms), `httpMethod`, `routeKey` / `resourcePath`, `path`, `status`,
`protocol`, `responseLength`, `responseLatency` / `integrationLatency` (ms), `domainName`, and
`identity.*` / `authorizer.*` (dotted keys or nested objects alike).
"""

from __future__ import annotations

from typing import Any

from datamin.core.structure import Walker
from datamin.formats import exchange as x
from datamin.formats.exchange import GatewayLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_CONSUMER_ID = (
    "authorizer.claims.sub",
    "authorizer.jwt.claims.sub",
    "authorizer.principalId",
    "identity.cognitoIdentityId",
    "identity.user",
    "identity.caller",
)
_CONSUMER_NAME = (
    "authorizer.claims.username",
    "authorizer.claims.cognito:username",
    "authorizer.jwt.claims.username",
)


class ApiGatewayLog:
    name = "aws-apigateway"
    prefix = "aws"

    def matches(self, record: dict[str, Any]) -> bool:
        return (
            "requestId" in record
            and "status" in record
            and ("httpMethod" in record or "routeKey" in record)
        )

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        tree = _nest(record)
        taken: dict[str, Any] = {}

        def get(*names: str) -> Any:
            for name in names:
                value = _lookup(tree, name)
                if value is not None and value not in ("", "-"):
                    taken[name] = True
                    return value
            return None

        when = x.started_at(get("requestTimeEpoch")) or x.started_at(get("requestTime"))
        x.meta(w, "started_at", when)
        x.meta(w, "time", x.number(get("responseLatency", "latency")))
        route_key = tree.get("routeKey")
        method = get("httpMethod", "method")
        if method is None and isinstance(route_key, str) and " " in route_key:
            method = route_key.split(" ", 1)[0]  # HTTP APIs: `GET /pets/{id}`
        x.meta(w, "request.method", method)
        path = get("path")
        if path is None:
            # Without `$context.path` the route is the best path there is (not `$default`).
            resource = tree.get("resourcePath")  # kept under `aws.` too
            if resource is None and isinstance(route_key, str) and " /" in route_key:
                resource = route_key.split(" ", 1)[1]
            path = resource
        host = get("domainName")
        x.target(w, path, "https", host)
        x.meta(w, "request.http_version", get("protocol"))
        x.header(w, "request", "user-agent", get("identity.userAgent", "userAgent"))
        x.meta(w, "response.status", x.number(get("status")))
        x.meta(w, "response.content_size", x.number(get("responseLength")))
        x.meta(w, "timings.wait", x.number(get("integrationLatency")))
        w.add("client.ip", get("ip", "sourceIp", "identity.sourceIp"), FieldKind.META)
        w.add("consumer.id", get(*_CONSUMER_ID), FieldKind.META)
        x.consumer_name(w, get(*_CONSUMER_NAME))
        _rest(w, "aws", tree, set(taken))


def _nest(record: dict[str, Any]) -> dict[str, Any]:
    """`{"identity.sourceIp": v}` and `{"identity": {"sourceIp": v}}` as one tree."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        parts = str(key).split(".") if "." in str(key) else [str(key)]
        node = out
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
            node[parts[-1]].update(value)
        else:
            node[parts[-1]] = value
    return out


def _lookup(tree: dict[str, Any], name: str) -> Any:
    node: Any = tree
    for part in _split(name):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _split(name: str) -> list[str]:
    # `cognito:username` is one claim; only dots separate.
    return name.split(".")


def _rest(w: Walker, prefix: str, tree: dict[str, Any], taken: set[str], at: str = "") -> None:
    """What no mapping took, under `aws.` by its `$context` name (`aws.authorizer.claims.email`)."""
    for key, value in tree.items():
        name = f"{at}.{key}" if at else key
        if name in taken:
            continue
        path = join(prefix, key)
        if isinstance(value, dict):
            _rest(w, path, value, taken, name)
        else:
            w.json(path, value, FieldKind.JSON)


class ApiGatewayFormat(GatewayLines):
    """`--format aws-apigateway`: JSON lines of API Gateway access log records."""

    name = "aws-apigateway"
