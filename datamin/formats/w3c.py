"""W3C Extended Log File Format access logs (https://www.w3.org/TR/WD-logfile.html), as IIS
writes them (https://learn.microsoft.com/en-us/windows/win32/http/w3c-logging) and as Amazon
CloudFront writes its standard logs (https://docs.aws.amazon.com/AmazonCloudFront/latest/
DeveloperGuide/standard-logs-reference.html): directives first (`#Version:`, `#Software:`,
`#Fields:`), then one line per request whose values follow the `#Fields:` directive's names,
space-separated (IIS, which writes a value's spaces as `+`) or tab-separated (CloudFront, which
URL-encodes a value's spaces and controls). `-` is no value.

A data line is one `api` record that carries the field names it was written under (the last
`#Fields:` directive before it), so each line parses alone wherever a worker reads it: the
record is a JSON object of three strings, `w3c_fields`, `w3c_software` and `w3c_line`, which no
other gateway record has. A line before any `#Fields:` directive, or with more or fewer values
than it names, is quarantined with an error that quotes neither. Directives are no records.

Fields are mapped onto the canonical API exchange (`exchange`), so `api_logs` applies: the
date and time (UTC, as the format says), `cs-method`, `cs-uri-stem` with `cs-uri-query` (or
`cs-uri`), the host (`cs-host`, `cs(Host)`, CloudFront's `x-host-header`), `cs-protocol`,
`sc-status`, the byte counts, `time-taken` (seconds, but milliseconds in IIS's logs), `c-ip`,
`cs-username` (a login, scanned as a person's name), and every `cs(Header)` and `sc(Header)` as
that request or response header. The rest stays under `w3c.<name>`: fields the format
documents as protocol metadata as metadata, any other scanned as any JSON value is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any
from urllib.parse import unquote

import orjson

from datamin.core.records import Item, RawRecord
from datamin.core.structure import Walker
from datamin.errors import InputError
from datamin.formats import exchange as x
from datamin.formats.exchange import KIND, ApiExchange
from datamin.formats.jsonlines import JsonLines
from datamin.policies.paths import join
from datamin.redactors.context import FieldKind

_DIRECTIVES = (b"#Version:", b"#Software:", b"#Fields:", b"#Date:", b"#Start-Date:", b"#Remark:")
_KEYS = frozenset(("w3c_fields", "w3c_software", "w3c_line"))
# Fields IIS and CloudFront document as protocol metadata: no value of a person's in them.
_METADATA = frozenset(
    "s-ip s-port s-sitename s-computername sc-substatus sc-win32-status cs-version "
    "x-edge-location x-edge-request-id x-edge-result-type x-edge-response-result-type "
    "x-edge-detailed-result-type ssl-protocol ssl-cipher fle-status fle-encrypted-fields c-port "
    "time-to-first-byte sc-content-type sc-content-len sc-range-start sc-range-end "
    "cs-protocol-version".split()
)
_MAPPED = frozenset(
    "date time cs-method cs-uri-stem cs-uri-query cs-uri cs-host x-host-header cs-protocol "
    "sc-status sc-bytes cs-bytes time-taken c-ip cs-username x-forwarded-for".split()
)


class W3cFormat:
    """`--format w3c`: W3C extended log files (IIS, CloudFront), recognized by their directives."""

    name = "w3c"
    extensions: tuple[str, ...] = ()  # `.log` names other formats too: by content only
    kind = ApiExchange()

    def sniff(self, head: bytes) -> bool:
        return head.startswith(_DIRECTIVES)

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        fields = software = ""
        for item in JsonLines().read(path, stream, max_record_bytes):
            if not isinstance(item, RawRecord):
                yield item
                continue
            line = item.data.rstrip(b"\r\n")
            if line.startswith(b"#"):
                if line.startswith(b"#Fields:"):
                    fields = line[8:].decode("utf-8", "replace").strip()
                elif line.startswith(b"#Software:"):
                    software = line[10:].decode("utf-8", "replace").strip()
                continue
            record = {
                "w3c_fields": fields,
                "w3c_software": software,
                "w3c_line": line.decode("utf-8", "replace"),
            }
            yield replace(item, data=orjson.dumps(record), kind=KIND)

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return x.replay_api(raw)


def replayed(raw: bytes) -> bytes | None:
    """A quarantined W3C line written back as the log it came from, its directive first; None
    for any other record."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not (isinstance(record, dict) and W3cLog().matches(record)):
        return None
    return f"#Fields: {record['w3c_fields']}\n{record['w3c_line']}\n".encode()


class W3cLog:
    """The `api` kind's reading of one W3C line (`exchange.GATEWAYS`)."""

    name = "w3c"
    prefix = "w3c"

    def matches(self, record: dict[str, Any]) -> bool:
        return record.keys() == _KEYS and all(isinstance(v, str) for v in record.values())

    def fields(self, w: Walker, record: dict[str, Any]) -> None:
        names = record["w3c_fields"].split()
        line = record["w3c_line"]
        tabbed = "\t" in line
        values = line.split("\t") if tabbed else line.split(" ")
        if not names:
            raise InputError("a W3C log line before its #Fields directive")
        if len(values) != len(names):
            raise InputError("a W3C log line whose values do not match its #Fields directive")
        line_fields = {
            n.lower(): v for n, v in zip(names, values, strict=True) if v not in ("", "-")
        }
        w.what = "W3C log line"
        _walk(
            w,
            line_fields,
            tabbed,
            "internet information services" in record["w3c_software"].lower(),
        )


def _walk(w: Walker, f: dict[str, str], tabbed: bool, iis: bool) -> None:
    if "date" in f and "time" in f:
        x.meta(w, "started_at", x.started_at(f"{f['date']}T{f['time']}Z"))
    taken = x.number(f.get("time-taken"))
    if taken is not None:
        x.meta(w, "time", float(taken) if iis else round(taken * 1000.0, 3))
    x.meta(w, "request.method", f.get("cs-method"))
    host = f.get("x-host-header") or f.get("cs-host") or f.get("cs(host)")
    if "cs-uri" in f:
        x.target(w, f["cs-uri"], f.get("cs-protocol"), host)
    elif "cs-uri-stem" in f:
        # CloudFront encodes the target once more as it logs it (`%40` is logged `%2540`).
        stem, query = f["cs-uri-stem"], f.get("cs-uri-query")
        if tabbed:
            stem, query = unquote(stem), query and unquote(query)
        target = stem + (f"?{query}" if query else "")
        x.target(w, target, f.get("cs-protocol"), host)
    x.meta(w, "response.status", x.number(f.get("sc-status")))
    x.meta(w, "response.content_size", x.number(f.get("sc-bytes")))
    x.meta(w, "request.body_size", x.number(f.get("cs-bytes")))
    w.add("client.ip", f.get("c-ip"), FieldKind.META)
    x.consumer_name(w, f.get("cs-username"))
    x.header(w, "request", "x-forwarded-for", f.get("x-forwarded-for"))
    others: dict[str, str] = {}
    for name, value in f.items():
        if name in _MAPPED:
            continue
        header = _header(name)
        if header is not None:
            side, header_name = header
            x.header(w, side, header_name, _value(value, tabbed))
        elif name in _METADATA:
            w.add(join("w3c", name), value, FieldKind.META)
        else:
            others[name] = value
    x.rest(w, "w3c", others, ())


def _header(name: str) -> tuple[str, str] | None:
    """`cs(User-Agent)` is the request's `user-agent` header, `sc(Content-Type)` the response's."""
    if name.endswith(")") and name[:3] in ("cs(", "sc("):
        return ("request" if name[0] == "c" else "response"), name[3:-1]
    return None


def _value(value: str, tabbed: bool) -> str:
    """A header's value as it was sent: CloudFront URL-encodes it, IIS writes its spaces `+`."""
    return unquote(value) if tabbed else value.replace("+", " ")
