"""The bad-input corpus of issue 6: one small file per kind of input a run must survive.

Every file is built in code (binary, gzip and surrogate cases cannot be reviewed as committed
bytes) and holds planted values placed where they would leak if the bad record were passed
through raw, quoted in an error or logged. Some files mix good records among the bad, so a
partly readable file is tested too. Each `Case` says how many of its records a run must write
and how many it must quarantine; an unreadable file, or the unreadable rest of one, is one
quarantined record. The values are fake and appear nowhere else in the suite.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BOM = b"\xef\xbb\xbf"
BIG_INT = "9" * 5000  # past float range, and past Python's default int-to-str digit limit


@dataclass(frozen=True)
class Planted:
    """A planted value: its entity, the string, and the corpus file it sits in."""

    entity: str
    value: str = field(repr=False)
    where: str


class Values:
    """One case's planted values, distinct per case and recorded as they are used."""

    def __init__(self, n: int, name: str) -> None:
        self.n, self.name = n, name
        self.planted: list[Planted] = []

    def _plant(self, entity: str, value: str) -> str:
        self.planted.append(Planted(entity, value, self.name))
        return value

    @property
    def email(self) -> str:
        return self._plant("EMAIL_ADDRESS", f"bad-case-{self.n}@example.net")

    @property
    def phone(self) -> str:
        return self._plant("PHONE_NUMBER", f"+1 212 555 01{self.n:02d}")

    @property
    def key(self) -> str:
        return self._plant("API_KEY", f"sk_live_badcase{self.n:02d}Qx9Lm2Vn8Rt4Wp7Z")

    def good(self, i: int = 0) -> bytes:
        """A valid record (one JSONL line, no newline) whose email a run must redact."""
        email = self._plant("EMAIL_ADDRESS", f"good-{self.n}-{i}@example.net")
        return _dumps({"timestamp": "2026-03-05T10:00:00Z", "note": f"write to {email}"})

    def entry(self, i: int = 0, **patch: Any) -> dict[str, Any]:
        """A valid HAR entry; `patch` replaces top-level parts (a part set to ... is removed)."""
        email = self._plant("EMAIL_ADDRESS", f"good-{self.n}-h{i}@example.net")
        entry: dict[str, Any] = {
            "startedDateTime": "2026-03-02T09:00:00.000Z",
            "time": 12.5,
            "request": {
                "method": "GET",
                "url": "https://api.example.test/v1/orders?page=2",
                "httpVersion": "HTTP/1.1",
                "headers": [{"name": "X-Contact", "value": email}],
                "queryString": [{"name": "page", "value": "2"}],
                "cookies": [],
                "headersSize": -1,
                "bodySize": 0,
            },
            "response": {
                "status": 200,
                "statusText": "OK",
                "httpVersion": "HTTP/1.1",
                "headers": [],
                "cookies": [],
                "content": {
                    "size": 40,
                    "mimeType": "application/json",
                    "text": _dumps({"contact": email}).decode(),
                },
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": 40,
            },
            "timings": {"send": 1, "wait": 10, "receive": 1.5},
        }
        for part, value in patch.items():
            if value is ...:
                entry.pop(part, None)
            else:
                entry[part] = value
        return entry

    def request(self, **patch: Any) -> dict[str, Any]:
        """The good entry's request with some parts replaced."""
        return {**self.entry(99)["request"], **patch}

    def response(self, **patch: Any) -> dict[str, Any]:
        return {**self.entry(98)["response"], **patch}


@dataclass(frozen=True)
class Case:
    name: str  # the file name; its extension picks the reader
    build: Callable[[Values], bytes]
    written: int
    quarantined: int
    why: str
    # Where the code falls short of the issue, what goes wrong: the test is xfail(strict).
    defect: str | None = None


CASES: list[Case] = []


def case(
    name: str, *, written: int, quarantined: int, why: str, defect: str | None = None
) -> Callable[[Callable[[Values], bytes]], Callable[[Values], bytes]]:
    def register(build: Callable[[Values], bytes]) -> Callable[[Values], bytes]:
        CASES.append(Case(name, build, written, quarantined, why, defect))
        return build

    return register


def write_bad_corpus(directory: Path) -> list[Planted]:
    """Write every case's file into `directory`; return every value planted in them."""
    directory.mkdir(parents=True, exist_ok=True)
    planted: list[Planted] = []
    for n, c in enumerate(CASES, start=1):
        values = Values(n, c.name)
        (directory / c.name).write_bytes(c.build(values))
        planted += values.planted
    return planted


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def _lines(*lines: bytes) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def _garbage(v: Values, size: int = 300) -> bytes:
    """Random bytes with no newline, the planted values in the middle; never valid JSON."""
    rng = random.Random(v.n)
    noise = rng.randbytes(size).replace(b"\n", b"\x85")
    middle = f" {v.email} {v.key} ".encode()
    return b"\x80" + noise[: size // 2] + middle + noise[size // 2 :]


def _har(*entries: Any) -> bytes:
    return _dumps({"log": {"version": "1.2", "creator": {"name": "t"}, "entries": list(entries)}})


# -- JSON lines ------------------------------------------------------------------------------


@case("jsonl-invalid-line.jsonl", written=2, quarantined=1, why="a bad line between good ones")
def _(v: Values) -> bytes:
    return _lines(v.good(0), f'{{"note": "{v.email}", "key": {v.key}}}'.encode(), v.good(1))


@case("jsonl-truncated.jsonl", written=2, quarantined=1, why="the last line is cut short")
def _(v: Values) -> bytes:
    return _lines(v.good(0), v.good(1)) + f'{{"note": "{v.email} and {v.phone}'.encode()


@case("lines-first-cut.log", written=2, quarantined=1, why="a first line cut short, by content")
def _(v: Values) -> bytes:
    return _lines(f'{{"note": "{v.email}", "n'.encode(), v.good(0), v.good(1))


@case("lines-first-long", written=2, quarantined=1, why="a first line past the 64 KiB head, cut")
def _(v: Values) -> bytes:
    return _lines(f'{{"note": "{v.email} {"x" * 70_000}'.encode(), v.good(0), v.good(1))


@case("jsonl-invalid-utf8.jsonl", written=2, quarantined=1, why="bytes that are not UTF-8")
def _(v: Values) -> bytes:
    bad = b'{"note": "\xff\xfe ' + v.email.encode() + b' \xc3\x28"}'
    return _lines(v.good(0), bad, v.good(1))


@case("jsonl-surrogate-escape.jsonl", written=1, quarantined=1, why="a lone \\ud800 escape")
def _(v: Values) -> bytes:
    return _lines(f'{{"note": "\\ud800 {v.email}"}}'.encode(), v.good())


@case("jsonl-surrogate-bytes.jsonl", written=1, quarantined=1, why="a surrogate as UTF-8 bytes")
def _(v: Values) -> bytes:
    return _lines(b'{"note": "\xed\xa0\x80 ' + v.email.encode() + b'"}', v.good())


@case("jsonl-nul-raw.jsonl", written=1, quarantined=2, why="raw NUL bytes, in a string and alone")
def _(v: Values) -> bytes:
    in_string = f'{{"note": "{v.email}\x00{v.key}"}}'.encode()
    return _lines(in_string, b"\x00" * 8 + v.phone.encode() + b"\x00" * 8, v.good())


@case("jsonl-nul-escaped.jsonl", written=1, quarantined=0, why="\\u0000 is valid JSON: redacted")
def _(v: Values) -> bytes:
    return _lines(f'{{"note": "{v.email}\\u0000{v.key}"}}'.encode())


@case("jsonl-nonstandard.jsonl", written=1, quarantined=5, why="NaN, Infinity, huge numbers")
def _(v: Values) -> bytes:
    bad = [
        f'{{"n": NaN, "note": "{v.email}"}}',
        f'{{"n": Infinity, "note": "{v.email}"}}',
        f'{{"n": -Infinity, "note": "{v.key}"}}',
        f'{{"n": {BIG_INT}, "note": "{v.email}"}}',
        f'{{"n": 1e400, "note": "{v.phone}"}}',
    ]
    return _lines(*(b.encode() for b in bad), v.good())


@case("jsonl-not-objects.jsonl", written=1, quarantined=6, why="records that are not objects")
def _(v: Values) -> bytes:
    bad = [
        _dumps([{"note": v.email}]),
        _dumps(v.email),
        _dumps(f"{v.key} {v.phone}"),
        b"12125550100",
        b"null",
        b"true",
    ]
    return _lines(*bad, v.good())


@case(
    "jsonl-duplicate-keys.jsonl",
    written=1,
    quarantined=1,
    why="a key twice: which value is the record's is ambiguous",
)
def _(v: Values) -> bytes:
    return _lines(f'{{"note": "{v.email}", "note": "hello"}}'.encode(), v.good())


@case("jsonl-binary.jsonl", written=1, quarantined=3, why="binary garbage lines around a good one")
def _(v: Values) -> bytes:
    return _lines(_garbage(v), _garbage(v, 120), v.good(), _garbage(v, 40))


@case("jsonl-utf16.jsonl", written=0, quarantined=3, why="UTF-16: every line is bytes, not JSON")
def _(v: Values) -> bytes:
    # Lines split at the newline's first byte; the last "line" is the newline's NUL byte.
    text = f'{{"note": "{v.email}"}}\n{{"note": "{v.key}"}}\n'
    return b"\xff\xfe" + text.encode("utf-16-le")


@case("zeros.jsonl", written=0, quarantined=1, why="NUL bytes, no newline at all")
def _(v: Values) -> bytes:
    return b"\x00" * 256 + v.email.encode() + b"\x00" * 256


# -- JSON documents and arrays -----------------------------------------------------------------


@case("json-truncated.json", written=0, quarantined=1, why="a document cut short")
def _(v: Values) -> bytes:
    return f'{{"note": "{v.email}", "key": "{v.key}", "more": [1, 2'.encode()


@case("json-array-truncated.json", written=2, quarantined=1, why="an array cut mid-item")
def _(v: Values) -> bytes:
    return b"[" + v.good(0) + b", " + v.good(1) + f', {{"note": "{v.email}'.encode()


@case("json-array-nan.json", written=2, quarantined=1, why="NaN in one item: the items after it")
def _(v: Values) -> bytes:
    return b"[" + v.good(0) + f', {{"n": NaN, "note": "{v.email}"}}, '.encode() + v.good(1) + b"]"


@case(
    "json-array-surrogate.json",
    written=1,
    quarantined=1,
    why="a lone surrogate escape in an array item",
)
def _(v: Values) -> bytes:
    return b"[" + f'{{"note": "\\ud800 {v.email}"}}, '.encode() + v.good() + b"]"


@case(
    "json-array-not-objects.json", written=1, quarantined=4, why="array items that are not objects"
)
def _(v: Values) -> bytes:
    items = [v.email, 12125550100, None, [{"note": v.key}]]
    return b"[" + b", ".join([*(_dumps(i) for i in items), v.good()]) + b"]"


@case("json-array-duplicate-keys.json", written=2, quarantined=1, why="an item with a key twice")
def _(v: Values) -> bytes:
    twice = f'{{"note": "{v.email}", "note": "fine"}}'.encode()
    return b"[" + v.good(0) + b", " + twice + b", " + v.good(1) + b"]"


@case("json-array-trailing.json", written=1, quarantined=1, why="data after the array's end")
def _(v: Values) -> bytes:
    return b"[" + v.good(0) + f'] {{"note": "{v.email}"}}'.encode()


@case("json-scalar.json", written=0, quarantined=1, why="a document that is a string")
def _(v: Values) -> bytes:
    return _dumps(f"{v.email} {v.key}")


@case("json-null.json", written=0, quarantined=1, why="a document that is null")
def _(v: Values) -> bytes:
    return b"null\n"


@case("json-big-int.json", written=0, quarantined=1, why="an integer with 5000 digits")
def _(v: Values) -> bytes:
    return f'{{"n": {BIG_INT}, "note": "{v.email}"}}'.encode()


@case("json-utf16.json", written=0, quarantined=1, why="a UTF-16 document")
def _(v: Values) -> bytes:
    return b"\xff\xfe" + f'{{"note": "{v.email}"}}'.encode("utf-16-le")


@case("garbage.bin", written=0, quarantined=1, why="binary garbage, unknown extension")
def _(v: Values) -> bytes:
    return _garbage(v, 2000)


@case(
    "garbage-array.json",
    written=0,
    quarantined=2,
    why="an array bracket, then garbage (no commas): the garbage, and the array never closes",
)
def _(v: Values) -> bytes:
    return b"[" + bytes(b for b in _garbage(v) if b not in b',[]{}"')


# -- gzip ------------------------------------------------------------------------------------


@case("gzip-corrupt.jsonl.gz", written=0, quarantined=1, why="gzip magic, then garbage")
def _(v: Values) -> bytes:
    return b"\x1f\x8b\x08\x00" + _garbage(v)


@case(
    "gzip-truncated-small.jsonl.gz",
    written=27,
    quarantined=1,
    why="cut mid-member: the lines decoded before the cut are read, the rest is one record",
)
def _(v: Values) -> bytes:
    first = gzip.compress(_lines(v.good(0), v.good(1)), mtime=0)
    return first + _gzip_cut([f'{{"note": "{v.email} {i}"}}'.encode() for i in range(50)], 25)


@case(
    "gzip-truncated-large.jsonl.gz",
    written=27,
    quarantined=1,
    why="cut after 2 MiB of blank lines: the lines decoded before the cut are read",
)
def _(v: Values) -> bytes:
    padding = (b" " * 1023 + b"\n") * 2048  # blank lines are no records
    first = gzip.compress(_lines(v.good(0), v.good(1)) + padding, mtime=0)
    return first + _gzip_cut([f'{{"note": "{v.email} {i}"}}'.encode() for i in range(50)], 25)


def _gzip_cut(lines: list[bytes], keep: int) -> bytes:
    """A gzip member of `lines` cut short right after the first `keep` of them: each line is
    flushed whole, so exactly those decode before the stream ends too soon."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = b""
    for line in lines[:keep]:
        out += compressor.compress(line + b"\n") + compressor.flush(zlib.Z_FULL_FLUSH)
    return out


@case(
    "gzip-bad-crc.jsonl.gz",
    written=2,
    quarantined=2,
    why="a CRC that fails at the end: the lines are read, the failure is one record more",
)
def _(v: Values) -> bytes:
    data = gzip.compress(_lines(v.good(0), f'{{"note": {v.email}}}'.encode(), v.good(1)), mtime=0)
    crc = bytes(b ^ 0xFF for b in data[-8:-4])
    return data[:-8] + crc + data[-4:]


@case("gzip-garbage.jsonl.gz", written=0, quarantined=1, why="valid gzip of binary garbage")
def _(v: Values) -> bytes:
    return gzip.compress(_garbage(v), mtime=0)


@case("gzip-empty.jsonl.gz", written=0, quarantined=1, why="valid gzip of nothing")
def _(v: Values) -> bytes:
    return gzip.compress(b"", mtime=0)


# -- HAR -------------------------------------------------------------------------------------


@case("har-truncated.har", written=0, quarantined=1, why="a HAR document cut short")
def _(v: Values) -> bytes:
    data = _har(v.entry(0, comment=v.email), v.entry(1))
    return data[: data.index(v.email.encode()) + 5]


@case("har-truncated-late.har", written=2, quarantined=1, why="cut in its third entry")
def _(v: Values) -> bytes:
    data = _har(v.entry(0), v.entry(1), v.entry(2, comment=v.email))
    return data[: data.index(v.email.encode()) + 5]


@case("har-invalid-utf8.har", written=0, quarantined=1, why="one bad byte spoils the document")
def _(v: Values) -> bytes:
    return _har(v.entry(0, comment=v.email)).replace(b"OK", b"O\xff")


@case("har-duplicate-key.har", written=2, quarantined=1, why="one entry has a key twice")
def _(v: Values) -> bytes:
    entry = _dumps(v.entry(1, comment="x"))
    twice = entry.replace(b'"comment": "x"', f'"comment": "{v.email}", "comment": "x"'.encode())
    return _har(v.entry(0), "ENTRY", v.entry(2)).replace(b'"ENTRY"', twice)


@case("har-duplicate-log.har", written=0, quarantined=1, why="two `entries` lists: which one?")
def _(v: Values) -> bytes:
    hidden = _dumps([v.entry(0, comment=v.email)])
    return _har(v.entry(1)).replace(b'"entries": ', b'"entries": ' + hidden + b', "entries": ')


@case("har-deep-duplicate.har", written=0, quarantined=1, why="a key twice, 990 levels deep")
def _(v: Values) -> bytes:
    deep = "[" * 990 + "]" * 990
    entry = _dumps(v.entry(0, comment=v.email)).decode()
    return f'{{"log": {{"entries": [{entry[:-1]}, "d": {deep}, "a": 1, "a": 2}}]}}}}'.encode()


@case("har-not-a-log.har", written=0, quarantined=1, why="log.entries is an object, not a list")
def _(v: Values) -> bytes:
    return _dumps({"log": {"entries": {"0": v.entry(0, comment=v.email)}}})


@case("har-entries-null.har", written=0, quarantined=1, why="log.entries is null")
def _(v: Values) -> bytes:
    return _dumps({"log": {"entries": None, "comment": v.email, "pages": [v.key]}})


@case("har-array.har", written=0, quarantined=1, why="a HAR file that is an array")
def _(v: Values) -> bytes:
    return _dumps([v.entry(0, comment=v.email)])


@case("har-missing-parts.har", written=1, quarantined=7, why="entries missing or null parts")
def _(v: Values) -> bytes:
    return _har(
        v.entry(0, request=..., comment=v.email),
        v.entry(1, request=None, comment=v.key),
        v.entry(2, request={"method": "GET", "headers": [{"name": "a", "value": v.email}]}),
        v.entry(3, request=v.request(url=None, comment=v.phone)),
        f"GET https://{v.email}/",
        None,
        12125550100,
        v.entry(4),
    )


@case("har-headers-object.har", written=1, quarantined=1, why="headers as an object")
def _(v: Values) -> bytes:
    bad = v.request(headers={"Authorization": f"Bearer {v.key}", "X-Contact": v.email})
    return _har(v.entry(0), v.entry(1, request=bad))


@case("har-status-string.har", written=1, quarantined=1, why="response.status as a string")
def _(v: Values) -> bytes:
    bad = v.response(status="200", statusText=v.email)
    return _har(v.entry(0, response=bad), v.entry(1))


@case("har-bad-base64.har", written=1, quarantined=1, why="a body marked base64 that is not")
def _(v: Values) -> bytes:
    content = {"size": 10, "mimeType": "text/plain", "encoding": "base64", "text": f"{v.email}!"}
    return _har(v.entry(0, response=v.response(content=content)), v.entry(1))


@case("har-binary-body.har", written=1, quarantined=0, why="base64 of non-UTF-8 bytes: dropped")
def _(v: Values) -> bytes:
    body = base64.b64encode(b"\xff\xfe\x00" + v.email.encode() + b"\x00\xff").decode()
    content = {"size": 10, "mimeType": "image/png", "encoding": "base64", "text": body}
    return _har(v.entry(0, response=v.response(content=content)))


@case("har-wrong-types.har", written=1, quarantined=10, why="one wrongly typed part per entry")
def _(v: Values) -> bytes:
    request, response = v.request, v.response
    return _har(
        v.entry(0, request=request(url=12125550100, comment=v.email)),
        v.entry(1, request=request(headers=[{"name": "X-Key", "value": 7, "c": v.key}])),
        v.entry(2, request=request(headers=[{"value": v.key}])),
        v.entry(3, request=request(cookies=f"session={v.key}")),
        v.entry(4, request=request(queryString={"email": v.email})),
        v.entry(5, request=request(postData=f"email={v.email}")),
        v.entry(6, response=response(content=[v.email])),
        v.entry(7, timings=f"{v.phone}"),
        v.entry(8, startedDateTime={"by": v.email}),
        v.entry(9, response=response(headers=[f"X-Contact: {v.email}"])),
        v.entry(10),
    )


# -- empty and blank -------------------------------------------------------------------------
# Nothing to plant in an empty file; each still counts as one quarantined record.


@case("empty.jsonl", written=0, quarantined=1, why="zero bytes")
def _(v: Values) -> bytes:
    return b""


@case("blank.jsonl", written=0, quarantined=1, why="whitespace only")
def _(v: Values) -> bytes:
    return b"  \n\n\t \r\n"


@case("empty.har", written=0, quarantined=1, why="an empty HAR file")
def _(v: Values) -> bytes:
    return b""


@case("blank.json", written=0, quarantined=1, why="whitespace only")
def _(v: Values) -> bytes:
    return b"\n   \n"


@case(
    "bom-only.jsonl",
    written=0,
    quarantined=1,
    why="a byte-order mark and a newline: blank, so one quarantined record (it was once read"
    " as content, and the file vanished from the accounting)",
)
def _(v: Values) -> bytes:
    return BOM + b"\n"
