"""The HAR entry, as a record kind: how a HAR 1.2 entry is recognized, checked and taken
apart into fields (method, URL parts, query parameters, headers, cookies, form and JSON bodies,
status, timings, WebSocket frames, browser extensions' `_` keys)."""

from __future__ import annotations

from typing import Any

from datamin.core import strictjson
from datamin.core.forms import parse_form
from datamin.core.structure import Walker
from datamin.errors import InputError
from datamin.formats import exchange
from datamin.policies.paths import join, shape
from datamin.redactors.context import FieldKind


def is_har_entry(record: dict[str, Any]) -> bool:
    request = record.get("request")
    return isinstance(request, dict) and "url" in request and "method" in request


class HarEntry:
    """A HAR entry. From a HAR file it was checked with its document and written out again by
    orjson, so it parses without a second strict pass; elsewhere it is known by its content."""

    name = "har"

    def matches(self, record: dict[str, Any]) -> bool:
        return is_har_entry(record)

    def parse(self, data: bytes) -> Any:
        return strictjson.exact(data)  # judged with its document

    def problem(self, record: Any) -> str | None:
        if isinstance(record, dict) and is_har_entry(record):
            return None
        return "HAR entry without a request method and URL"

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        w.what = "HAR entry"
        _entry(w, record)


def _expect(value: Any, typ: type | tuple[type, ...], where: str, *, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, typ) or (
        isinstance(value, bool) and typ in (int, float, (int, float))
    ):
        raise InputError(f"HAR entry: {shape(where)} has the wrong type")
    return value


HAR_TOP = {
    "startedDateTime": "started_at",
    "time": "time",
    "serverIPAddress": "server_ip",
    "connection": "connection",
    "pageref": "page_ref",
}


def _entry(w: Walker, entry: dict[str, Any]) -> None:
    for key, name in HAR_TOP.items():
        value = entry.get(key)
        _expect(value, (str, int, float), key)
        w.add(name, value, FieldKind.META)
    request = _expect(entry.get("request"), dict, "request", optional=False)
    response = _expect(entry.get("response"), dict, "response")
    _request(w, request)
    if response is not None:
        _response(w, response)
    timings = _expect(entry.get("timings"), dict, "timings")
    for name, value in (timings or {}).items():
        _expect(value, (int, float), "timings.*")  # the name is the capture's, maybe data
        w.add(join("timings", name), value, FieldKind.META)
    frames = _expect(entry.get("_webSocketMessages"), list, "_webSocketMessages")
    for i, frame in enumerate(frames or []):
        frame = _expect(frame, dict, "_webSocketMessages[]", optional=False)
        base = f"websocket.messages[{i}]"
        w.add(f"{base}.type", _expect(frame.get("type"), str, "websocket type"), FieldKind.META)
        w.add(
            f"{base}.time",
            _expect(frame.get("time"), (int, float), "websocket time"),
            FieldKind.META,
        )
        w.add(
            f"{base}.opcode", _expect(frame.get("opcode"), int, "websocket opcode"), FieldKind.META
        )
        w.body(f"{base}.data", _expect(frame.get("data"), str, "websocket data"), "", None)
    for key, value in entry.items():
        # Browser extensions (`_initiator`, `_priority`...) can hold URLs and stack traces.
        if key.startswith("_") and key != "_webSocketMessages":
            w.json(join("ext", key.lstrip("_")), value, FieldKind.JSON)


def _request(w: Walker, req: dict[str, Any]) -> None:
    method = _expect(req.get("method"), str, "request.method", optional=False)
    url = _expect(req.get("url"), str, "request.url", optional=False)
    w.add("request.method", method, FieldKind.META)
    query_string = exchange.url(w, url)
    w.add(
        "request.http_version",
        _expect(req.get("httpVersion"), str, "request.httpVersion"),
        FieldKind.META,
    )
    query = _name_values(req.get("queryString"), "request.queryString")
    if not query and query_string:
        query = parse_form(query_string)
    exchange.query(w, query)
    headers = _name_values(req.get("headers"), "request.headers")
    exchange.headers(w, "request", headers, with_cookies=False)
    for name, value in _name_values(req.get("cookies"), "request.cookies"):
        w.add(join("request.cookies", name), value, FieldKind.COOKIE)
    for key, name in (("headersSize", "headers_size"), ("bodySize", "body_size")):
        w.add(
            f"request.{name}", _expect(req.get(key), (int, float), f"request.{key}"), FieldKind.META
        )
    post = _expect(req.get("postData"), dict, "request.postData")
    if post:
        mime = _expect(post.get("mimeType"), str, "request.postData.mimeType") or ""
        w.add("request.content_type", mime or None, FieldKind.META)
        params = _name_values(post.get("params"), "request.postData.params")
        text = _expect(post.get("text"), str, "request.postData.text")
        if params:
            w.form("request.form", params, FieldKind.FORM, 1)
        elif text is not None:
            w.body("request.body", text, mime, None)


def _response(w: Walker, resp: dict[str, Any]) -> None:
    w.add("response.status", _expect(resp.get("status"), int, "response.status"), FieldKind.META)
    w.add(
        "response.status_text",
        _expect(resp.get("statusText"), str, "response.statusText"),
        FieldKind.META,
    )
    w.add(
        "response.http_version",
        _expect(resp.get("httpVersion"), str, "response.httpVersion"),
        FieldKind.META,
    )
    exchange.headers(w, "response", _name_values(resp.get("headers"), "response.headers"))
    for name, value in _name_values(resp.get("cookies"), "response.cookies"):
        w.add(join("response.cookies", name), value, FieldKind.COOKIE)
    redirect = _expect(resp.get("redirectURL"), str, "response.redirectURL")
    w.add("response.redirect_url", redirect or None, FieldKind.URL)
    for key, name in (("headersSize", "headers_size"), ("bodySize", "body_size")):
        w.add(
            f"response.{name}",
            _expect(resp.get(key), (int, float), f"response.{key}"),
            FieldKind.META,
        )
    content = _expect(resp.get("content"), dict, "response.content")
    if content:
        mime = _expect(content.get("mimeType"), str, "response.content.mimeType") or ""
        w.add("response.content_type", mime or None, FieldKind.META)
        w.add(
            "response.content_size",
            _expect(content.get("size"), (int, float), "response.content.size"),
            FieldKind.META,
        )
        encoding = _expect(content.get("encoding"), str, "response.content.encoding")
        text = _expect(content.get("text"), str, "response.content.text")
        if text:
            w.body("response.body", text, mime, encoding)


def _name_values(items: Any, where: str) -> list[tuple[str, str]]:
    """HAR's `[{name, value}, ...]` lists (headers, cookies, query strings, form params)."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError(f"HAR entry: {shape(where)} is not a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(f"HAR entry: {shape(where)} has an item without a name")
        value = item.get("value")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InputError(f"HAR entry: {shape(where)} has a non-string value")
        out.append((item["name"], value))
    return out
