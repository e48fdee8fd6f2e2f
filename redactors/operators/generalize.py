"""generalize: keep the coarse shape of a value: a network instead of an address, an hour
instead of an instant, a route template instead of a URL full of ids.

A value that cannot be generalized (not an IP, not a timestamp) is dropped, never kept raw.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from datamin.redactors.operators.base import Operator, OperatorContext, OperatorParams
from datamin.timeparse import parse_timestamp

COLLECTIONS = (
    "users",
    "user",
    "customers",
    "customer",
    "accounts",
    "account",
    "members",
    "profiles",
    "people",
    "persons",
    "contacts",
    "employees",
    "patients",
    "clients",
    "subscribers",
)

_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_HEX = re.compile(r"^[0-9a-fA-F]{16,}$")
_WORD = re.compile(r"^[a-z][a-z_\-]{0,31}$|^v[0-9]{1,2}$|^[A-Za-z][a-z]*(?:[A-Z][a-z]*){0,4}$")


class GeneralizeParams(OperatorParams):
    action: Literal["generalize"] = "generalize"
    kind: Literal["ip", "timestamp", "url_path"]
    ipv4_prefix: int = Field(default=24, ge=0, le=32)
    ipv6_prefix: int = Field(default=48, ge=0, le=128)
    timestamp_to: Literal["day", "hour", "minute"] = "hour"
    # A path segment after one of these is an id whatever it looks like (`/users/ann-lee`).
    id_after: tuple[str, ...] = COLLECTIONS


class Generalize(Operator):
    name = "generalize"
    params_model = GeneralizeParams
    params: GeneralizeParams

    @classmethod
    def check_span(cls, params: OperatorParams, entity: str) -> None:
        # A span is an address found in text; a timestamp or URL is a field's whole value.
        if isinstance(params, GeneralizeParams) and params.kind != "ip":
            raise ValueError(f"{entity}: only `kind: ip` generalizes a detected span")

    def apply(self, value: str, ctx: OperatorContext) -> str | None:
        kind = self.params.kind
        if kind == "ip":
            return self._ip(value)
        if kind == "timestamp":
            return self._timestamp(value)
        return self._url_path(value)

    def _ip(self, value: str) -> str | None:
        # X-Forwarded-For holds a list; each hop is generalized, any unreadable hop drops all.
        out = []
        for part in value.split(","):
            try:
                addr = ipaddress.ip_address(part.strip().strip("[]"))
            except ValueError:
                return None
            prefix = self.params.ipv4_prefix if addr.version == 4 else self.params.ipv6_prefix
            out.append(str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False)))
        return ", ".join(out)

    def _timestamp(self, value: str) -> str | None:
        ts = parse_timestamp(value)
        if ts is None:
            return None
        to = self.params.timestamp_to
        ts = ts.replace(second=0, microsecond=0)
        if to in ("hour", "day"):
            ts = ts.replace(minute=0)
        if to == "day":
            ts = ts.replace(hour=0)
        return ts.isoformat().replace("+00:00", "Z")

    def _url_path(self, value: str) -> str | None:
        prefix = ""
        if "://" in value:
            parts = urlsplit(value)
            prefix, value = f"{parts.scheme}://{parts.hostname or ''}", parts.path
        else:
            value = value.split("?", 1)[0].split("#", 1)[0]
        segments = value.split("/")
        out = []
        previous = ""
        for seg in segments:
            out.append(self._segment(seg, previous))
            previous = seg.lower()
        return prefix + "/".join(out)

    def _segment(self, seg: str, previous: str) -> str:
        if not seg:
            return seg
        if _UUID.match(seg):
            return "{uuid}"
        if previous in self.params.id_after:
            return "{id}"
        if seg.isdigit():
            return "{id}"
        if _HEX.match(seg):
            return "{hash}"
        if "@" in seg or "%40" in seg.lower():
            return "{email}"
        if _WORD.match(seg):
            return seg
        # Anything else (mixed digits, encodings, long tokens) may be an identifier.
        return "{id}"
