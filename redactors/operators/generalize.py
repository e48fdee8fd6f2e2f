"""generalize: keep the coarse shape of a value: a network instead of an address, an hour
instead of an instant, a route template instead of a URL full of ids.

A value that cannot be generalized (not an IP, not a timestamp) is dropped, never kept raw.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    "orgs",
    # A file's name says whose it is (`/files/Jane_Roe_CV.pdf`, `/avatars/ann.lee.png`), and a
    # tag or a label is whatever someone typed.
    "files",
    "documents",
    "docs",
    "uploads",
    "attachments",
    "downloads",
    "images",
    "photos",
    "avatars",
    "media",
    "tags",
    "labels",
)
# After these, two segments name one thing (GitHub's `repos/{owner}/{repo}`).
PAIRS = ("repos",)
# Words that follow a collection as an action on it, not as one of its members.
ACTIONS = ("me", "self", "current", "search", "count", "batch", "bulk", "new")
# File extensions a route keeps (`Messages.json`, `{id}.json`); a dot before anything else is
# part of the segment (`ann.lee`, `example.com`).
EXTENSIONS = frozenset(
    "json xml csv tsv txt html htm pdf png jpg jpeg gif svg webp ico zip gz tar js css "
    "yaml yml ics vcf atom rss md mp3 mp4 wav ogg webm".split()
)

_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_HEX = re.compile(r"^[0-9a-fA-F]{16,}$")
# An API version: `v1`, `v2beta`, `v1.1`, `v1alpha2`, or a dated one (`2010-04-01`).
_VERSION = re.compile(
    r"^[vV]\d{1,3}(?:\.\d{1,3}){0,2}(?:(?:alpha|beta|rc|preview|p)\d{0,3})?$|^\d{4}-\d{2}-\d{2}$"
)
# A provider SID: two capitals and 32 hex digits (Twilio's `AC...`, `SM...`, `MG...`).
_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
# A prefixed id: `cus_...`, `ch_...`, `pi_...`, `sub_test_...` and a base62 tail.
_PREFIXED = re.compile(r"^[a-z]{1,12}_(?:(?:test|live)_)?[A-Za-z0-9]{6,}$")
# Words: snake, kebab, camel or Pascal case, or a short acronym (`SIP`, `SMS`).
_WORDS = re.compile(r"^[A-Za-z][A-Za-z]*(?:[_\-][A-Za-z]+)*$")
_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_TEMPLATE_PARAM = re.compile(r"^\{([a-z][a-z0-9_]{0,39})\}$")


class TemplateParam(BaseModel):
    """What becomes of one parameter of a route template: a keyed pseudonym in a column, or
    nothing. A path parameter is an identifier by construction: it is never kept as it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["pseudonymize", "drop"]
    column: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$")
    retention: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$")
    entity: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{1,63}$")

    @model_validator(mode="before")
    @classmethod
    def _no_keep(cls, v: Any) -> Any:
        if isinstance(v, dict) and v.get("action") == "keep":
            raise ValueError("a path parameter is pseudonymized or dropped, never kept")
        return v

    @model_validator(mode="after")
    def _column(self) -> TemplateParam:
        if self.action == "pseudonymize" and self.column is None:
            raise ValueError("a pseudonymized path parameter needs a column")
        if self.action == "drop" and self.column is not None:
            raise ValueError("a dropped path parameter has no column")
        return self


class RouteTemplate(BaseModel):
    """`/users/{user_id}/orders`: a path of this shape becomes this route; each `{name}` matches
    one segment, and `params` say which become columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str = Field(pattern=r"^/", max_length=512)
    params: dict[str, TemplateParam] = {}

    @model_validator(mode="after")
    def _names(self) -> RouteTemplate:
        names = [m.group(1) for s in self.template.split("/") if (m := _TEMPLATE_PARAM.match(s))]
        if any(
            "{" in s or "}" in s for s in self.template.split("/") if not _TEMPLATE_PARAM.match(s)
        ):
            raise ValueError(f"{self.template}: a parameter is a whole segment, `{{name}}`")
        if len(set(names)) != len(names):
            raise ValueError(f"{self.template}: a parameter name is used twice")
        unknown = sorted(set(self.params) - set(names))
        if unknown:
            raise ValueError(f"{self.template}: no parameter {', '.join(unknown)} in the template")
        return self

    def match(self, path: str) -> dict[str, str] | None:
        """The parameters' segments (percent-decoded) when `path` has this template's shape."""
        want = self.template.split("/")
        got = path.split("/")
        if len(want) != len(got):
            return None
        found: dict[str, str] = {}
        for w, g in zip(want, got, strict=True):
            m = _TEMPLATE_PARAM.match(w)
            if m is not None:
                if not g:
                    return None
                found[m.group(1)] = unquote(g)
            elif w != g:
                return None
        return found


class GeneralizeParams(OperatorParams):
    action: Literal["generalize"] = "generalize"
    kind: Literal["ip", "timestamp", "url_path"]
    ipv4_prefix: int = Field(default=24, ge=0, le=32)
    ipv6_prefix: int = Field(default=48, ge=0, le=128)
    timestamp_to: Literal["day", "hour", "minute"] = "hour"
    # A path segment after one of these is an id whatever it looks like (`/users/ann-lee`),
    # unless it is an action on the collection (`/users/me`, `/customers/search`).
    id_after: tuple[str, ...] = COLLECTIONS
    # After one of these, the next two segments are ids (`/repos/{owner}/{repo}`).
    pair_after: tuple[str, ...] = PAIRS
    # Route templates tried first, in order (`kind: url_path` only): a path of one's shape
    # becomes it, and its parameters may become columns (pseudonymized, never kept).
    templates: tuple[RouteTemplate, ...] = ()

    @model_validator(mode="after")
    def _templates_for_paths(self) -> GeneralizeParams:
        if self.templates and self.kind != "url_path":
            raise ValueError("templates apply to `kind: url_path` only")
        return self


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
        prefix, path = split_path(value)
        for template in self.params.templates:
            if template.match(path) is not None:
                return prefix + template.template
        out = []
        ids_left = 0  # segments still to collapse after a collection (or a pair's two)
        for seg in path.split("/"):
            low = seg.lower()
            p = self.params
            # An action (`/users/me`) or a sub-collection (`/user/repos`) is not a member.
            named = low in ACTIONS or low in p.id_after or low in p.pair_after
            if ids_left and seg and not named:
                out.append(_identifier(seg))
                ids_left -= 1
                continue
            out.append(_segment(seg))
            ids_left = 2 if low in p.pair_after else 1 if low in p.id_after else 0
        return prefix + "/".join(out)

    def route_params(self, value: str) -> tuple[int, dict[str, str]]:
        """The first template `value`'s path matches (its index, -1 for none) and its
        parameters' segments by name."""
        _, path = split_path(value)
        for t, template in enumerate(self.params.templates):
            found = template.match(path)
            if found is not None:
                return t, found
        return -1, {}


def split_path(value: str) -> tuple[str, str]:
    """(`scheme://host` or "", the path without query or fragment)."""
    if "://" in value:
        parts = urlsplit(value)
        return f"{parts.scheme}://{parts.hostname or ''}", parts.path
    return "", value.split("?", 1)[0].split("#", 1)[0]


def _identifier(seg: str) -> str:
    """A segment known to be an id by its place: still `{uuid}`/`{email}` when it is one, and
    its file extension kept (`/Accounts/{id}.json`)."""
    stem, ext = _extension(seg)
    kind = _segment(stem)
    if kind.startswith("{"):
        return kind + ext
    return "{id}" + ext


_PLACEHOLDER = re.compile(r"^\{[A-Za-z_][A-Za-z0-9_]{0,63}\}$")


def _segment(seg: str) -> str:
    """A segment as a route keeps it: itself when it is a version or a resource name, else
    the kind of identifier it is. Judged by shape, so it holds for APIs never seen before."""
    if not seg or _PLACEHOLDER.match(seg):
        return seg  # a route template's own parameter (`{customerId}`), as gateways log them
    if "@" in seg or "%40" in seg.lower():
        return "{email}"
    stem, ext = _extension(seg)
    if ext:
        return _segment(stem) + ext
    if _UUID.match(seg):
        return "{uuid}"
    if _VERSION.match(seg):
        return seg
    if seg.isdigit() or _SID.match(seg):
        return "{id}"
    if _HEX.match(seg):
        return "{hash}"
    if _PREFIXED.match(seg) and _mixed(seg.rsplit("_", 1)[1]):
        return "{id}"
    if _WORDS.match(seg) and _reads_as_words(seg):
        return seg
    if any(c.isdigit() for c in seg) and _short_code(seg):
        return seg  # `oauth2`, `sha256`, `ec2`: a name with a digit in it
    # Anything else (mixed ids, encodings, long tokens) may be an identifier.
    return "{id}"


def _extension(seg: str) -> tuple[str, str]:
    stem, dot, ext = seg.rpartition(".")
    if dot and stem and ext.lower() in EXTENSIONS:
        return stem, "." + ext
    return seg, ""


def _mixed(tail: str) -> bool:
    """A base62 id's tail: digits or capitals among its letters (`NffrFeUfNV2Hib`), not a
    lower-case word (`payment_methods`)."""
    return any(c.isdigit() or c.isupper() for c in tail)


def _reads_as_words(seg: str) -> bool:
    """Every part (split at `_`, `-` and case changes) is pronounceable and of word length:
    `IncomingPhoneNumbers`, `payment_methods`, `SIP`, not `xkQmvTzpLw` or `qzxrtplm`. An
    acronym of four letters at most reads in lower case too (`crm`, `sms`, `dns`, `pdf`,
    `grpc`)."""
    if len(seg) > 64:
        return False
    for piece in re.split(r"[_\-]", seg):
        for part in _PARTS.findall(piece) or [piece]:
            if part.isupper():
                if len(part) > 6:
                    return False
                continue
            if len(part) > 24:
                return False
            if not any(c in "aeiouyAEIOUY" for c in part) and not (
                part == piece and len(part) <= 4 and part.isalpha() and part.islower()
            ):
                return False  # `xkQmvTzpLw`'s pieces are no acronyms
    return True


def _short_code(seg: str) -> bool:
    """A short name with a digit (`oauth2`, `sha256`, `x509`, `ec2`, `b2b`): at most 7
    characters, at most 3 digits, letters first, lower case."""
    return (
        len(seg) <= 7
        and seg.isalnum()
        and seg.islower()
        and seg[0].isalpha()
        and sum(c.isdigit() for c in seg) <= 3
    )
