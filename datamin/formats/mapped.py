"""A policy's own JSON access log (`source.map`): the policy says at which dotted path each part
of the exchange sits, and the record is walked into the canonical paths (`exchange`), its other
values kept under `source.prefix`. Tried before every record kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from datamin.core import strictjson
from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.formats.exchange import (
    KIND,
    consumer_name,
    header_value,
    message,
    meta,
    number,
    query,
    query_object,
    rest,
    scalar_text,
    seconds_to_ms,
    started_at,
    target,
    url,
)
from datamin.redactors.context import FieldKind

if TYPE_CHECKING:
    from datamin.policies.model import Source


class MappedExchange:
    """Records of a policy's own JSON access log (`source.map`): a record with a string at the
    mapped `method` path is an `api` record; the mapped paths become the canonical ones and
    every other value stays under `source.prefix` (`raw.trace_id`)."""

    name = KIND

    def __init__(self, source: Source) -> None:
        self.map = source.map
        self.prefix = source.prefix

    def matches(self, record: dict[str, Any]) -> bool:
        return isinstance(_at(record, self.map.method), str)

    def parse(self, data: bytes) -> Any:
        return strictjson.loads(data)

    def problem(self, record: Any) -> str | None:
        if isinstance(record, dict) and self.matches(record):
            return None
        return f"no method at the policy's source.map.method ({self.map.method})"

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        m, used = self.map, set[str]()
        w.what = "source.map record"

        def get(path: str | None) -> Any:
            value = _at(record, path) if path else None
            if value is not None:
                used.add(str(path))
            return value

        meta(w, "started_at", started_at(get(m.started_at)))
        latency = (
            number(get(m.latency_ms)) if m.latency_ms else seconds_to_ms(get(m.latency_seconds))
        )
        meta(w, "time", latency)
        w.add("request.method", get(m.method), FieldKind.META)
        req_headers, explicit = get(m.request_headers), get(m.query)
        if isinstance(address := get(m.url), str) and address:
            query_string = url(w, address)
            params = query_object(explicit) if isinstance(explicit, dict) else []
            query(w, params or parse_form(explicit if isinstance(explicit, str) else query_string))
        else:
            path, host = get(m.path), get(m.host) or header_value(req_headers, "host")
            if isinstance(path, str) and isinstance(explicit, str) and explicit and "?" not in path:
                path = f"{path}?{explicit.removeprefix('?')}"
            target(w, path, _str(get(m.scheme)), _str(host))
            if isinstance(explicit, dict):
                query(w, query_object(explicit))
        message(w, "request", req_headers, get(m.request_size), get(m.request_body))
        meta(w, "response.status", number(get(m.status)))
        message(w, "response", get(m.response_headers), get(m.response_size), get(m.response_body))
        for path, key in ((m.client_ip, "client.ip"), (m.consumer_id, "consumer.id")):
            value = get(path)
            meta(w, key, scalar_text(value) if isinstance(value, str | int | float) else None)
        consumer_name(w, get(m.consumer_name))
        rest(w, self.prefix, _without(record, used), ())


def _at(record: Any, path: str) -> Any:
    """The value at a dotted path (`req.verb`, `hops.0.ip`), or None."""
    for key in path.split("."):
        if isinstance(record, dict):
            record = record.get(key)
        elif isinstance(record, list) and key.isdigit() and int(key) < len(record):
            record = record[int(key)]
        else:
            return None
    return record


def _without(record: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    """A copy of the record without the values at `paths` (objects only; a list whose item was
    taken stays whole); an object left empty goes too."""
    heads: dict[str, set[str]] = {}
    for path in paths:
        head, _, tail = path.partition(".")
        heads.setdefault(head, set()).add(tail)
    out: dict[str, Any] = {}
    for key, value in record.items():
        tails = heads.get(key)
        if tails is None:
            out[key] = value
        elif "" not in tails and isinstance(value, dict):
            if rest_of := _without(value, tails):
                out[key] = rest_of
        elif "" not in tails:
            out[key] = value
    return out


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
