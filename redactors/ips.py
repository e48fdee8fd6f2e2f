"""IP addresses: dotted quads and IPv6 in every written form (full, `::`-compressed, IPv4-mapped,
with a zone `%eth0` or a prefix `/32`), told apart from versions, clock times, MAC addresses and
code (`std::vector`, `Foo::Bar`, `a::b`) by what surrounds and composes them.

`ipaddress` has the last word on every candidate RE2 finds.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from string import ascii_uppercase

from datamin import quiet_re2
from datamin.redactors._measures import Measures
from datamin.redactors._validators import WORD, squash

IPV4 = quiet_re2.compile(r"\d+(?:\.\d+)+(?:/\d{1,3})?")  # a whole dotted run: `1.2.3.4.5` is one
IPV6 = quiet_re2.compile(
    r"(?:[0-9A-Fa-f]{1,4}:|::)(?:[0-9A-Fa-f]{0,4}:){0,7}"
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?"
    r"(?:%[0-9A-Za-z][0-9A-Za-z_.\-]{0,15})?(?:/\d{1,3})?"
)
# Words that make a lone `::` (the unspecified address) an address rather than punctuation.
_IP_CONTEXT = quiet_re2.compile(
    r"(?i)(?:\bip|ipv6|address|addr|src|dst|source|destination|bind|listen|host|gateway|"
    r"route|loopback|unspecified|local|peer|client|server)\W{0,3}$"
)


def ip_spans(text: str, name: str, *, ipv4: bool, ipv6: bool) -> Iterator[tuple[int, int]]:
    """Spans of IP addresses in `text`, a value under the field `name`."""
    key = squash(name)
    if "version" in key or key in ("useragent", "ua"):
        return
    v6: list[tuple[int, int]] = []
    if ipv6:
        for m in IPV6.finditer(text):
            span = _ipv6_span(text, *m.span())
            if span:
                v6.append(span)
                yield span
    if ipv4:
        measures: Measures | None = None  # found when first needed, once per text
        quoted = '"' in text or "'" in text
        for m in IPV4.finditer(text):
            start, end = m.span()
            candidate = text[start:end]
            address, _, prefix = candidate.partition("/")
            if prefix and (int(prefix) > 32 or not _alone_after(text, end)):
                end -= len(prefix) + 1
            inside_v6 = any(s <= start and end <= e for s, e in v6)  # `::ffff:192.0.2.1`
            glued = _glued_ipv4(text, start, start + len(address))
            if address.count(".") != 3 or inside_v6 or glued:
                continue
            if _parses(ipaddress.IPv4Address, address):
                if quoted:
                    measures = measures or Measures(text)
                    if measures.hold(start, end):
                        continue  # an SVG path's `9.4.7.6` is four numbers: `9.4 .7 .6`
                yield start, end


def _ipv6_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    candidate = text[start:end]
    address, _, prefix = candidate.partition("/")
    if prefix and (int(prefix) > 128 or not _alone_after(text, end)):
        end -= len(prefix) + 1
        candidate = address
    address, _, zone = address.partition("%")
    if address.endswith(":") and not address.endswith("::"):
        if zone or prefix:
            return None
        address, end = address[:-1], end - 1
    if start and (text[start - 1] in WORD or text[start - 1] == ":"):
        return None
    if end < len(text) and (
        text[end] in WORD
        or text[end] == ":"
        or (text[end] == "." and text[end + 1 : end + 2].isdigit())
    ):
        return None  # `::ffff:192.168.1` is a cut-off address, or something else
    groups = [g for g in address.split(":") if g]
    if not groups:  # `::` alone: the unspecified address, when words say an address
        if prefix or _IP_CONTEXT.search(text[max(0, start - 24) : start]):
            return (start, end) if _parses(ipaddress.IPv6Address, address) else None
        return None
    if len(groups) < 3 and "." not in address:
        # `fe80::1`, `::1`, `2001:db8::`: compressed forms. `a::b`, `dead::beef` and
        # `Foo::Bar` are code; an address this short has a digit.
        if "::" not in address or not any(c.isdigit() for c in address):
            return None
    if not _parses(ipaddress.IPv6Address, address):
        return None
    return start, end


def _alone_after(text: str, end: int) -> bool:
    """Nothing after a `/prefix` continues it (`/24` yes, `/24/` or `/24.5` no)."""
    if end >= len(text):
        return True
    after = text[end]
    return not (after in WORD or (after in "/.:" and end + 1 < len(text) and text[end + 1] in WORD))


def _glued_ipv4(text: str, start: int, end: int) -> bool:
    """True when the dotted quad is part of a word, a longer dotted run or a product version
    (`Chrome/120.0.0.0` in a user agent)."""
    if end < len(text) and text[end] in WORD:
        return True
    if start == 0:
        return False
    before = text[start - 1]
    if before in WORD or before == ".":
        return True
    if before == "/":
        head = text[max(0, start - 65) : start - 1]
        token = head[max(head.rfind(c) for c in " /;(\t\n") + 1 :]
        return bool(token) and token[0] in ascii_uppercase
    return False


def _parses(address: type[ipaddress.IPv4Address | ipaddress.IPv6Address], text: str) -> bool:
    try:
        address(text)
    except ValueError:  # its message holds the text: swallowed, never re-raised
        return False
    return True
