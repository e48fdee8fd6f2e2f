"""Parts of a value read as fields of their own, each under the name the value gives it: a URL
path's segments, a log line's `key=value` pairs and a whole URL's query values. The engine hands
in its `detect` (memoized, so a part seen before costs a lookup) and, for JSON in a query, its
decoded views."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from urllib.parse import unquote_plus

from datamin.redactors._phone_words import phone_hint
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.decode import DecodedView
from datamin.redactors.findings import Finding
from datamin.redactors.json_values import json_leaves
from datamin.redactors.url_parts import (
    OAUTH_CODE,
    QUERY_OR_FRAGMENT,
    oauth_code,
    param_name,
    param_path,
    path_start,
    segment_context,
)

Detect = Callable[[str, FieldContext], list[Finding]]
View = Callable[[str, FieldContext], DecodedView | None]


def segment_findings(
    text: str, ctx: FieldContext, found: list[Finding], detect: Detect
) -> list[Finding]:
    """A URL path is structure, as its query is: each segment is read as the value of a
    field named by the segment before it (`/v2/PhoneNumbers/+14159929960`, `/phones/07700
    900461`), where, read as words of one string, `/` would glue the number to its name.
    Only segments an identifier could fill (six digits or more, an `@`) are read, and
    those after a collection of people (`/users/jane.roe`: `url_parts.segment_context`)."""
    start = path_start(text, ctx.kind)
    if start < 0:
        return []
    more: list[Finding] = []
    name = ""
    at = start
    for segment in QUERY_OR_FRAGMENT.split(text[start:], maxsplit=1)[0].split("/"):
        sub = segment_context(ctx.path, name, segment)
        if sub is not None:
            for f in detect(segment, sub):
                s, e = f.start + at, f.end + at
                if not any(g.start < e and s < g.end for g in found):
                    more.append(Finding(f.entity, s, e, f.score, f.detector))
        name = unquote_plus(segment).lower() if len(segment) <= 60 else ""
        at += len(segment) + 1
    return more


def logged_pairs(
    text: str, ctx: FieldContext, detect: Detect
) -> tuple[list[Finding], list[tuple[int, int]]]:
    """A log line's `key=value` and `key="quoted value"` pairs (logfmt, and what most
    loggers print): each value is read as the field its key names, so
    `document_number=285-92-1164` and `holder="Ana Souza"` are judged as in a record."""
    found: list[Finding] = []
    spans: list[tuple[int, int]] = []
    pairs = list(_LOGGED_PAIR.finditer(text))
    oauth = oauth_code(m.group(1).lower() for m in pairs)
    for m in pairs:
        key = m.group(1)
        quoted = m.group(2) is not None
        start = m.start(2) if quoted else m.start(3)
        value = m.group(2) if quoted else m.group(3)
        said = OAUTH_CODE if oauth and key.lower() == "code" else key.lower()
        sub = FieldContext(f"{ctx.path}.{key}", FieldKind.JSON, said)
        found += shifted(detect(value, sub), start)
        if phone_hint(sub.name, value) < 0:
            spans.append((start, start + len(value)))
    if "N=" in text or "n=" in text:
        sub = FieldContext(f"{ctx.path}.cn", FieldKind.JSON, "cn")
        for m in _COMMON_NAME.finditer(text):
            found += shifted(detect(m.group(1), sub), m.start(1))
    if "form-data" in text:
        # A multipart body that did not split into parts (its boundary misnamed, cut short):
        # each part's value still read under the name its headers give it.
        for m in _FORM_PART.finditer(text):
            name = m.group(1)
            sub = FieldContext(f"{ctx.path}.{param_path(name)}", FieldKind.FORM, param_name(name))
            found += shifted(detect(m.group(2), sub), m.start(2))
    return found, spans


# Query parameters of URLs in one text or JSON value read by name, at most: past that the value
# is read as text, in linear time (each by name costs a detection, and a URL field's own query,
# thousands of parameters long, is bounded by the record's time limit instead).
TEXT_URL_PARAMS = 1000
# A URL or an absolute path with a query, written in text: after a blank, a quote or a bracket.
_URL_IN_TEXT = re.compile(r"(?:https?://|(?<![^\s\"'(<\[])/)[^\s\"'<>?]*\?[^\s\"'<>]*=[^\s\"'<>]*")


def text_url_findings(
    text: str, ctx: FieldContext, found: list[Finding], detect: Detect, view: View
) -> list[Finding]:
    """The query values of each URL written in a line of text (`redirected to
    https://app/cb?code=...&state=...`, a request line's `GET /cb?code=...`), each under its
    own name as a URL field's are, where no finding of `found` covers them already."""
    more: list[Finding] = []
    covers: Callable[[int, int], bool] | None = None
    budget = TEXT_URL_PARAMS  # the text itself is read whole by every family already
    for m in _URL_IN_TEXT.finditer(text):
        url = m.group()
        budget -= url.count("&") + 1
        if budget < 0:
            break  # a text of thousands of parameters: read as text, in linear time
        for f in query_findings(url, url.index("?"), ctx, detect, view):
            start, end = f.start + m.start(), f.end + m.start()
            covers = covers or _covering(found)
            if not covers(start, end):
                more.append(Finding(f.entity, start, end, f.score, f.detector))
    return more


def _covering(found: list[Finding]) -> Callable[[int, int], bool]:
    """Whether a finding of `found` holds a span: a binary search over their starts, each with
    the furthest end of those starting before it (a text may hold thousands)."""
    spans = sorted((f.start, f.end) for f in found)
    starts = [s for s, _ in spans]
    furthest = list(accumulate((e for _, e in spans), max))

    def covers(start: int, end: int) -> bool:
        i = bisect_right(starts, start) - 1
        return i >= 0 and furthest[i] >= end

    return covers


def query_findings(
    url: str, query: int, ctx: FieldContext, detect: Detect, view: View
) -> list[Finding]:
    """The findings in each value of a whole URL's query (starting at `url[query]`, the
    `?`), read under its own name (`?customer[phone]=...` is a phone field)."""
    end = url.find("#", query)
    found: list[Finding] = []
    at = query + 1
    parts = url[query + 1 : end if end >= 0 else len(url)].split("&")
    oauth = oauth_code(param_name(part.partition("=")[0]) for part in parts)
    for part in parts:
        name, eq, value = part.partition("=")
        if _WRITTEN_LIKE_DATA.search(name):
            # A name that is data (`?jane@example.org=1`, a map of addresses flattened into a
            # query): read as a neutral parameter's value, as a record's keys are.
            found += shifted(
                detect(name, FieldContext.of(f"{ctx.path}.query", FieldKind.QUERY)), at
            )
        if eq and value:
            start = at + len(name) + 1
            # The parameter's own path (`request.url.query.customer.name`), so families that
            # read a key's parent as well as its name (a person's `name`) see both.
            said = param_name(name)
            sub = FieldContext(
                f"{ctx.path}.query.{param_path(name)}",
                FieldKind.QUERY,
                OAUTH_CODE if oauth and said == "code" else said,
            )
            # A raw URL's `+` is a form-encoded space; one character for one, so the
            # spans found index the URL as written. JSON in it is read leaf by leaf.
            text = value.replace("+", " ")
            found += shifted(detect(text, sub), start)
            found += shifted(json_leaves(text, sub, detect, view), start)
        at += len(part) + 1
    return found


# A parameter's name holding an `@` (plain or encoded) or a run of digits: an address's, a
# number's or a token's make-up rather than a name's; names of words and brackets are not read.
_WRITTEN_LIKE_DATA = re.compile(r"@|%40|\d{4}")


def shifted(findings: list[Finding], by: int) -> list[Finding]:
    """Findings in a part of a value, moved to where the part starts in the value."""
    return [Finding(f.entity, f.start + by, f.end + by, f.score, f.detector) for f in findings]


# `key=value` in a log line: a key of a name's make-up after a space or the line's start, a
# value quoted, or up to the next space or delimiter and on over the short groups of digits and
# capitals that numbers are printed in unquoted (`+33 4 72 35 38 46`, `AB 123456 C`). Not a
# URL's query (`?a=1&b=2`, read as a URL) nor code's `==`. Also `key: "value"`, quoted, as
# GraphQL's arguments, YAML and Ruby write one (`updateUser(name: "Ana Souza")`).
_LOGGED_PAIR = re.compile(
    r"(?:(?<=^)|(?<=[\s,;(\[{]))([A-Za-z_][A-Za-z0-9_.\-]{1,40})(?:=|:[ \t]*(?=\"))"
    r"(?:\"((?:[^\"\\\n]|\\.){1,200})\""
    r"|([^\s\"=,;&)\]}][^\s,;&)\]}]{0,199}(?: [0-9A-Z()+\-./]{1,6}(?=[\s,;]|$))*))"
)
# A multipart part written in text: its Content-Disposition's name, its other headers, a blank
# line, then its value's first line.
_FORM_PART = re.compile(
    r"(?im)^content-disposition:[^\n]*?\bname=\"([^\"\r\n]{1,100})\"[^\n]*\n"
    r"(?:[^\r\n]+\r?\n){0,4}?\r?\n([^\r\n]{1,2000})"
)
# A directory's or a calendar's common name (`CN=Lynn Mitchell,OU=Users`, `ATTENDEE;CN=...:`),
# spaces and all, up to its delimiter.
_COMMON_NAME = re.compile(r"(?:(?<=^)|(?<=[\s,;:(\[{/]))(?i:cn)=((?:[^,;:=+\n\\\"]|\\.){2,80})")
