"""Structure first: a record becomes fields, each with a path a policy can address.

Each record kind (`datamin.formats.kinds`: a HAR entry, a message, any JSON object) walks its
record with a `Walker`: a HAR entry by its parts, bodies parsed out of the strings it keeps
them in (`Walker.body`); anything else flattened by key. String values holding JSON documents
or whole forms are parsed too. Form and query keys are paths (`a[b][0]=v` is `a.b[0]`, see
`forms`); the value of a name/value pair carries the pair's name as its label (see `pairs`);
a message's party addresses carry their role. Limits are enforced while walking, so a deep or
huge record fails fast.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from datamin.core import strictjson
from datamin.core.csvbody import csv_table
from datamin.core.forms import form_fields, looks_like_form, looks_like_query, parse_form
from datamin.core.jcard import property_labels
from datamin.core.multipart import Part, boundary_of, parts_of
from datamin.core.pairs import column_labels, pair_label, pair_rows
from datamin.core.xmlbody import looks_like_xml, xml_fields
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


class Walker:
    """Collects a record's fields as a record kind walks it, enforcing the limits as it goes."""

    def __init__(self, limits: Limits, what: str = "record") -> None:
        self.limits = limits
        self.what = what  # what errors call the record: `HAR entry`
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
            table = column_labels(value)
            person = _is_person_object(value)
            for k, v in value.items():
                if table is not None and k == table[0]:
                    rows = join(path, str(k))
                    self._cells(rows, v, kind, depth + 1, [table[1]] * len(v), role)
                    continue
                own = pair[1] if pair is not None and k in pair[0] else None
                mine = FieldRole.PERSON_NAME if person and k.lower() in _NAME_KEYS else role
                self.json(join(path, str(k)), v, kind, depth + 1, own, mine)
        elif isinstance(value, list):
            prop = property_labels(value)
            rows = pair_rows(value) if prop is None else None
            if rows is not None:
                self._cells(path, value, kind, depth, [[None, r] for r in rows], role)
                return
            for i, v in enumerate(value):
                if prop is None or i < 3:
                    self.json(f"{path}[{i}]", v, kind, depth + 1, label, role)
                elif isinstance(v, list) and prop[1]:
                    # A structured value (`n`, `adr`): each component under its own name.
                    for j, part in enumerate(v):
                        own = prop[1][j] if j < len(prop[1]) else prop[0]
                        self.json(f"{path}[{i}][{j}]", part, kind, depth + 2, own, role)
                else:
                    self.json(f"{path}[{i}]", v, kind, depth + 1, prop[0], role)
        elif isinstance(value, str) and _looks_like_json(value):
            try:
                parsed = strictjson.loads(value)
            except orjson.JSONDecodeError:
                self.add(path, value, kind, label=label, role=role)
            else:
                self.json(path, parsed, FieldKind.JSON, depth + 1, label, role)
        elif isinstance(value, str) and path and looks_like_form(value):
            self.form(path, parse_form(value), FieldKind.FORM, depth + 1, role)
        elif isinstance(value, str) and path and looks_like_query(value):
            self.form(path, parse_form(value[1:]), FieldKind.QUERY, depth + 1, role)
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
        `a.b[0]`), the value of a `name=..&value=..` pair gets its label, and a value holding a
        JSON object or array is parsed in place, as a JSON string is (`?where={"name": ...}`,
        Slack's `payload={...}`)."""
        if depth > self.limits.max_depth:
            raise LimitExceeded("nested deeper than the limit")
        for path, value, label in form_fields(prefix, params, self.limits.max_depth - depth):
            if _looks_like_json(value):
                self.json(path, value, kind, depth, label, role)
            else:
                self.add(path, value, kind, label=label, role=role)

    def _multipart(self, prefix: str, parts: list[Part]) -> None:
        """A multipart body's fields as a form's; a file's name and content under its field."""
        fields = [(p.name, p.value) for p in parts if p.filename is None]
        self.form(prefix, fields, FieldKind.FORM, 1)
        for p in parts:
            if p.filename is None:
                continue
            at = join(prefix, p.name)
            self.add(join(at, "filename"), p.filename, FieldKind.FORM)
            if p.content_type.startswith(("image/", "audio/", "video/", "application/octet")):
                self.add(join(at, "content"), len(p.value), FieldKind.TEXT, binary=True)
            else:
                self.body(join(at, "content"), p.value, p.content_type, None)

    def _cells(
        self,
        path: str,
        rows: list[Any],
        kind: FieldKind,
        depth: int,
        labels: Sequence[Sequence[str | None]],
        role: FieldRole | None,
    ) -> None:
        """Rows of cells, each cell under its own label (a header row's name, a column's)."""
        for i, (row, names) in enumerate(zip(rows, labels, strict=True)):
            for j, cell in enumerate(row):
                self.json(f"{path}[{i}][{j}]", cell, kind, depth + 2, names[j], role)

    def body(self, path: str, text: str, mime: str, encoding: str | None) -> None:
        """A body as API logs store it: maybe base64, maybe JSON, maybe a form, maybe text."""
        if encoding is not None and encoding.lower() == "base64":
            try:
                raw = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise InputError(
                    f"{self.what}: {shape(path)} is marked base64 but is not"
                ) from None
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.add(path, len(raw), FieldKind.TEXT, binary=True)
                return
            if "\x00" in text:
                self.add(path, len(raw), FieldKind.TEXT, binary=True)
                return
        boundary = boundary_of(mime, text)  # as written: a boundary's case is its own
        parts = parts_of(text, boundary) if boundary else None
        if parts is not None:
            self._multipart(path.replace(".body", ".form"), parts)
            return
        mime = mime.lower()
        if "javascript" in mime and (padded := _JSONP.fullmatch(text)) is not None:
            text = padded.group(1)  # JSONP: `callback({...});`, the JSON its function is given
        if "json" in mime or _looks_like_json(text):
            try:
                parsed = strictjson.loads(text)
            except orjson.JSONDecodeError:
                lines = _json_lines(text)
                if lines is not None:  # NDJSON: Elasticsearch's `_bulk`, log shippers
                    for i, line in enumerate(lines):
                        self.json(f"{path}[{i}]", line, FieldKind.JSON, 1)
                    return
            else:
                self.json(path, parsed, FieldKind.JSON)
                return
        if looks_like_xml(text, mime):
            found = xml_fields(text, path, self.limits.max_depth, self.limits.max_fields)
            if found is not None:
                for at, value in found:
                    self.add(at, value, FieldKind.JSON)
                return
        if "csv" in mime:
            table = csv_table(text, self.limits.max_fields)
            if table is not None:
                names, rows = table
                self._cells(path, rows, FieldKind.JSON, 0, [names] * len(rows), None)
                return
        code = any(m in mime for m in ("css", "javascript", "ecmascript"))
        if "x-www-form-urlencoded" in mime or (not code and looks_like_form(text)):
            # Form fields are `request.form.*`, as HAR's own `params` are, whatever the mime.
            self.form(path.replace(".body", ".form"), parse_form(text), FieldKind.FORM, 1)
            return
        # NER over a whole 250 kB stylesheet took seconds; it reads only code's string literals.
        self.add(path, text, FieldKind.CODE if code else FieldKind.TEXT)


def _json_lines(text: str) -> list[Any] | None:
    """The documents of a body of JSON lines (two or more objects or arrays, one a line, blank
    lines aside); None when any line is not one."""
    docs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not _looks_like_json(line):
            return None
        try:
            docs.append(strictjson.loads(line))
        except orjson.JSONDecodeError:
            return None
    return docs if len(docs) >= 2 else None


_JSONP = re.compile(r"\s*[A-Za-z_$][\w$.]*\s*\(\s*([\[{].*[\]}])\s*\)\s*;?\s*", re.DOTALL)


def _looks_like_json(text: str) -> bool:
    s = text.lstrip()[:1]
    return s in ("{", "[") and text.rstrip()[-1:] in ("}", "]")


def json_type(value: Any) -> str:
    return {
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# An object's own word for what it is, and the words that make it a person.
_TYPE_KEYS = ("type", "object", "kind", "objectClassName", "@type", "resourceType")
_PERSON_TYPES = frozenset(
    "contact user customer lead person member employee patient individual visitor "
    "prospect attendee participant guest".split()
)
_NAME_KEYS = frozenset(("name", "display_name", "displayname", "full_name", "fullname"))


# Keys of a person's given and family names, squashed (`first_name`, `FirstName`, `givenName`).
_GIVEN_KEYS = frozenset(("firstname", "givenname", "forename"))
_FAMILY_KEYS = frozenset(("lastname", "familyname", "surname"))


def _is_person_object(value: dict[str, Any]) -> bool:
    """An object that says it is a person: its own type (`"type": "contact"`, Salesforce's
    `attributes.type`), or a given and a family name beside its `name`. Asked of every object
    a record holds: one pass over its keys decides for most that it has no name to judge."""
    if not any(k.lower() in _NAME_KEYS for k in value):
        return False
    attributes = value.get("attributes")
    typed = (value, attributes) if isinstance(attributes, dict) else (value,)
    for holder in typed:
        for key in _TYPE_KEYS:
            kind = holder.get(key)
            if isinstance(kind, str) and kind.lower() in _PERSON_TYPES:
                return True
    squashed = {k.lower().replace("_", "").replace("-", "") for k in value}
    return not squashed.isdisjoint(_GIVEN_KEYS) and not squashed.isdisjoint(_FAMILY_KEYS)
