"""Structure first: a record becomes fields, each with a path a policy can address.

A HAR entry is taken apart into its parts (method, URL path, query parameters, headers,
cookies, form and JSON bodies, status, timings), bodies are parsed out of the strings HAR keeps
them in. Any other JSON record is flattened by key; string values holding JSON documents or
whole forms are parsed too. Form and query keys are paths (`a[b][0]=v` is `a.b[0]`, see
`forms`); the value of a name/value pair carries the pair's name as its label (see `pairs`);
a message's party addresses carry their role. Limits are enforced while walking, so a deep or
huge record fails fast.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson

from datamin.core import strictjson
from datamin.core.forms import form_fields, looks_like_form, parse_form
from datamin.core.pairs import pair_label
from datamin.errors import InputError, LimitExceeded
from datamin.policies.model import Limits
from datamin.policies.paths import join, shape
from datamin.redactors.context import FieldKind, FieldRole

Scalar = str | int | float | bool


@dataclass(slots=True)
class Field:
    path: str
    value: Scalar
    kind: FieldKind
    # Content that is not text (an image, a corrupt gzip body): it cannot be scanned, so it is
    # never kept, whatever the policy says.
    binary: bool = False
    position: int = 0  # order in the record as read, for explain
    # The name of the name/value pair this is the value of (`{"name": "api_key", "value": x}`):
    # detectors read the value under it. Lower-cased, name-like, never a value.
    label: str | None = None
    role: FieldRole | None = None  # what the record's structure says the value is


_SCALARS = (str, int, float, bool)


class _Walker:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.fields: list[Field] = []
        # Read on every leaf of every record: kept at hand rather than looked up each time.
        self._max_string = limits.max_string_length
        self._max_fields = limits.max_fields

    def add(
        self,
        path: str,
        value: Any,
        kind: FieldKind,
        *,
        binary: bool = False,
        label: str | None = None,
        role: FieldRole | None = None,
    ) -> None:
        if value is None:
            return
        if isinstance(value, str):
            if len(value) > self._max_string:
                # No path: a key can be a secret (`{"AKIA...": ...}`); errors count by class.
                raise LimitExceeded("string longer than the limit")
        elif not isinstance(value, _SCALARS):
            raise InputError(f"unexpected {type(value).__name__} value")
        fields = self.fields
        fields.append(Field(path, value, kind, binary, len(fields), label, role))
        if len(fields) > self._max_fields:
            raise LimitExceeded("more fields than the limit")

    def json(
        self,
        path: str,
        value: Any,
        kind: FieldKind,
        depth: int = 0,
        label: str | None = None,
        role: FieldRole | None = None,
    ) -> None:
        """Flatten a JSON value; strings holding a JSON object or array, or a whole form
        (`a[b]=1&c=2`), are parsed in place. The value of a name/value pair gets its label."""
        if depth > self.limits.max_depth:
            raise LimitExceeded("nested deeper than the limit")
        if isinstance(value, dict):
            pair = pair_label(value)
            for k, v in value.items():
                own = pair[1] if pair is not None and k == pair[0] else None
                self.json(join(path, str(k)), v, kind, depth + 1, own, role)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.json(f"{path}[{i}]", v, kind, depth + 1, label, role)
        elif isinstance(value, str) and _looks_like_json(value):
            try:
                parsed = strictjson.loads(value)
            except orjson.JSONDecodeError:
                self.add(path, value, kind, label=label, role=role)
            else:
                self.json(path, parsed, FieldKind.JSON, depth + 1, label, role)
        elif isinstance(value, str) and path and looks_like_form(value):
            self.form(path, parse_form(value), FieldKind.FORM, depth + 1, role)
        else:
            self.add(path, value, kind, label=label, role=role)

    def form(
        self,
        prefix: str,
        params: list[tuple[str, str]],
        kind: FieldKind,
        depth: int,
        role: FieldRole | None = None,
    ) -> None:
        """Form or query parameters: bracket and dotted keys are paths (`a[b][0]` is
        `a.b[0]`), the value of a `name=..&value=..` pair gets its label."""
        if depth > self.limits.max_depth:
            raise LimitExceeded("nested deeper than the limit")
        for path, value, label in form_fields(prefix, params, self.limits.max_depth - depth):
            self.add(path, value, kind, label=label, role=role)


def _looks_like_json(text: str) -> bool:
    s = text.lstrip()[:1]
    return s in ("{", "[") and text.rstrip()[-1:] in ("}", "]")


def is_har_entry(record: dict[str, Any]) -> bool:
    request = record.get("request")
    return isinstance(request, dict) and "url" in request and "method" in request


_MESSAGE_TEXT = ("body", "text", "message", "content")
_MESSAGE_PARTY = ("from", "to", "sender", "recipient", "author", "user", "channel")
# A message's keys whose values are party addresses (a phone number, an e-mail, a handle),
# squashed (`from_number` -> `fromnumber`); everything under them carries the role.
_PARTY_ADDRESS = frozenset(
    "from to sender recipient msisdn originator destination replyto cc bcc fromnumber tonumber "
    "senderid senderaddress recipientaddress sendernumber recipientnumber".split()
)


def record_kind(record: Any, declared: str | None = None) -> str:
    """Which `sources` section of a policy applies: `har`, `messages` or `json`. `declared`:
    the kind the record's format vouched for (`har` for an entry of a HAR file); None: judged
    by the record's content."""
    if not isinstance(record, dict):
        return "json"
    if declared:
        return declared
    if is_har_entry(record):
        return "har"
    has_text = any(isinstance(record.get(k), str) for k in _MESSAGE_TEXT)
    if has_text and any(record.get(k) is not None for k in _MESSAGE_PARTY):
        return "messages"
    return "json"


def record_fields(record: Any, limits: Limits) -> list[Field]:
    """The fields of one record: a HAR entry by its parts, anything else by its keys."""
    if not isinstance(record, dict):
        raise InputError(f"a record must be a JSON object, not {_json_type(record)}")
    walker = _Walker(limits)
    if is_har_entry(record):
        _har_entry(walker, record)
    elif record_kind(record) == "messages":
        for key, value in record.items():
            party = key.replace("_", "").replace("-", "").lower() in _PARTY_ADDRESS
            role = FieldRole.PARTY if party else None
            # A message's text is an unstructured body, read as one (a JSON or form string in
            # it is still parsed as such).
            kind = FieldKind.TEXT if key in _MESSAGE_TEXT else FieldKind.JSON
            walker.json(join("", str(key)), value, kind, 1, None, role)
    else:
        walker.json("", record, FieldKind.JSON)
    return walker.fields


def _json_type(value: Any) -> str:
    return {
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


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


def _har_entry(w: _Walker, entry: dict[str, Any]) -> None:
    for key, name in HAR_TOP.items():
        value = entry.get(key)
        _expect(value, (str, int, float), key)
        w.add(name, value, FieldKind.META)
    request = _expect(entry.get("request"), dict, "request", optional=False)
    response = _expect(entry.get("response"), dict, "response")
    _har_request(w, request)
    if response is not None:
        _har_response(w, response)
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
        _body(w, f"{base}.data", _expect(frame.get("data"), str, "websocket data"), "", None)
    for key, value in entry.items():
        # Browser extensions (`_initiator`, `_priority`...) can hold URLs and stack traces.
        if key.startswith("_") and key != "_webSocketMessages":
            w.json(join("ext", key.lstrip("_")), value, FieldKind.JSON)


def _har_request(w: _Walker, req: dict[str, Any]) -> None:
    method = _expect(req.get("method"), str, "request.method", optional=False)
    url = _expect(req.get("url"), str, "request.url", optional=False)
    w.add("request.method", method, FieldKind.META)
    w.add("request.url", url, FieldKind.URL)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise InputError("HAR entry: request.url is not a URL") from None
    w.add("request.scheme", parts.scheme or None, FieldKind.META)
    w.add("request.host", host, FieldKind.META)
    w.add("request.path", parts.path or "/", FieldKind.URL_PATH)
    if parts.username is not None or parts.password is not None:
        w.add("request.userinfo", parts.netloc.rsplit("@", 1)[0], FieldKind.URL)
    w.add("request.fragment", parts.fragment or None, FieldKind.URL)
    w.add(
        "request.http_version",
        _expect(req.get("httpVersion"), str, "request.httpVersion"),
        FieldKind.META,
    )
    query = _name_values(req.get("queryString"), "request.queryString")
    if not query and parts.query:
        query = parse_form(parts.query)
    w.form("request.query", query, FieldKind.QUERY, 1)
    headers = _name_values(req.get("headers"), "request.headers")
    for name, value in headers:
        w.add(join("request.headers", name.lower()), value, FieldKind.HEADER)
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
            _body(w, "request.body", text, mime, None)


def _har_response(w: _Walker, resp: dict[str, Any]) -> None:
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
    for name, value in _name_values(resp.get("headers"), "response.headers"):
        w.add(join("response.headers", name.lower()), value, FieldKind.HEADER)
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
            _body(w, "response.body", text, mime, encoding)


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


def _body(w: _Walker, path: str, text: str, mime: str, encoding: str | None) -> None:
    """A body as HAR stores it: maybe base64, maybe JSON, maybe a form, maybe free text."""
    if encoding is not None and encoding.lower() == "base64":
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"HAR entry: {shape(path)} is marked base64 but is not") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            w.add(path, len(raw), FieldKind.TEXT, binary=True)
            return
        if "\x00" in text:
            w.add(path, len(raw), FieldKind.TEXT, binary=True)
            return
    mime = mime.lower()
    if "json" in mime or _looks_like_json(text):
        try:
            parsed = strictjson.loads(text)
        except orjson.JSONDecodeError:
            pass
        else:
            w.json(path, parsed, FieldKind.JSON)
            return
    code = any(m in mime for m in ("css", "javascript", "ecmascript"))
    if "x-www-form-urlencoded" in mime or (not code and looks_like_form(text)):
        # Form fields are `request.form.*`, as HAR's own `params` are, whatever the mime says.
        w.form(path.replace(".body", ".form"), parse_form(text), FieldKind.FORM, 1)
        return
    # NER over a whole 250 kB stylesheet took seconds; it reads only code's string literals.
    w.add(path, text, FieldKind.CODE if code else FieldKind.TEXT)
