"""Where a value sits. Structure is evidence: the same string means different things as an
Authorization header, a `sku` in a JSON body, or a sentence in a message body."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldKind(StrEnum):
    META = "meta"  # technical parts with a fixed meaning: method, status, sizes, timings
    URL = "url"  # a whole URL
    URL_PATH = "url_path"  # the path of a URL
    HEADER = "header"
    COOKIE = "cookie"
    QUERY = "query"  # a query-string parameter value
    FORM = "form"  # a form-encoded body parameter value
    JSON = "json"  # a leaf of a JSON document (a parsed body, or a generic record)
    TEXT = "text"  # an unstructured body: free text, HTML, or anything not parsed further
    CODE = "code"  # a stylesheet or script body: patterns scan it all, NER its string literals


@dataclass(frozen=True, slots=True)
class FieldContext:
    """`path` is the field's concrete path (`request.headers.authorization`,
    `request.body.customer.email`, `body`); `name` is its last key, lower-cased
    (`authorization`, `email`, `body`), the part most detectors look at."""

    path: str
    kind: FieldKind
    name: str = field(default="")

    @staticmethod
    def of(path: str, kind: FieldKind) -> FieldContext:
        last = path.rsplit(".", 1)[-1]
        if "[" in last:
            last = last.split("[", 1)[0] or last
        return FieldContext(path=path, kind=kind, name=last.lower())
