"""IP addresses in every written form, and the clock times, MACs and code that look like them."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.patterns import PatternDetector

TEXT = FieldKind.TEXT
DETECTOR = PatternDetector()


def ips(text: str, path: str = "body", kind: FieldKind = TEXT) -> list[str]:
    findings = DETECTOR.detect(text, FieldContext.of(path, kind))
    return [text[f.start : f.end] for f in findings if f.entity == "IP_ADDRESS"]


# (text, the address as found)
POSITIVE = [
    ("::1", "::1"),  # loopback, the whole value
    ("my ip: ::1", "::1"),
    ("connecting from ::1", "::1"),
    ("fe80::1", "fe80::1"),  # link-local, compressed
    ("fe80::1%eth0", "fe80::1%eth0"),  # with its zone
    ("Gateway: fe80::1 on interface", "fe80::1"),
    ("Multicast ff02::1", "ff02::1"),
    ("2001:db8::/32", "2001:db8::/32"),  # with a prefix
    ("Prefix: 2001:db8::/32.", "2001:db8::/32"),  # sentence end
    ("2001:db8::/9999", "2001:db8::"),  # no such prefix length: the address alone
    ("::192.168.1.1", "::192.168.1.1"),  # IPv4-compatible, whole
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),  # IPv4-mapped, whole
    ("64:ff9b::192.0.2.0/96", "64:ff9b::192.0.2.0/96"),
    ("192.168.1.0/24", "192.168.1.0/24"),
    ("Route is 10.0.0.0/8.", "10.0.0.0/8"),
    ("0.0.0.0/0", "0.0.0.0/0"),
    ("Use local ipv6 ::", "::"),  # the unspecified address, named as an address
    ("src=:: dst=::1", "::"),
    ("::/0", "::/0"),  # the default route
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
    ("client 192.168.1.10 connected", "192.168.1.10"),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_finds(text: str, expected: str) -> None:
    assert expected in ips(text)


@pytest.mark.parametrize(
    "text",
    [
        "12:30:45",  # clock time
        "10:30",
        "00:12:34.567",  # duration
        "std::vector<int>",  # C++
        "a::b",  # hex letters, but code: an address this short has a digit
        "Foo::Bar::baz()",  # Ruby, Rust, C++ paths
        "dead::beef",
        "f :: Int -> Int",  # a Haskell signature: `::` with no word saying address
        "00:1A:2B:3C:4D:5E",  # MAC address
        "aa:bb:cc:dd:ee:ff",
        "::ffff:192.168.1",  # cut off
        "1.2.3.4.5",  # a dotted version
        "v1.2.3.4",
        "01.02.03.04",  # leading zeros
        "999.1.1.1",  # octet out of range
        "ratio 16:9",
        "2024-01-15T10:30:00.123-05:00",
        "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f",  # UUID
        "Chrome/120.0.0.0 Safari/537.36",  # product version
        "x::1",  # glued to a word
        "::1x",
        "Note:: see above",  # punctuation after a word
        # An SVG path's numbers, in a page and in a stylesheet's data URI (a real capture's).
        '<path d="M12 2C6.5 2 2 6.5 2 12c0 4.4 3.3 8.9-8.7 9.4.7.6 1.3 1.7 1.3 3.5v5.2"/>',
        "url(\"data:image/svg+xml,%3cpath fill='%23333' d='M32 13.4c-8.7 9.4.7.6 1.3'/%3e\")",
    ],
)
def test_leaves_alone(text: str) -> None:
    assert ips(text) == []


def test_an_address_in_markup_beside_a_drawing_is_still_one() -> None:
    page = '<svg viewBox="0 0 16 16"><path d="M1 2"/></svg><p>from 203.0.113.9</p>'
    assert ips(page) == ["203.0.113.9"]
    assert ips('<a title="from 203.0.113.9">') == ["203.0.113.9"]


def test_version_fields_hold_no_address() -> None:
    assert ips("1.2.3.4", "request.body.app_version", FieldKind.JSON) == []
