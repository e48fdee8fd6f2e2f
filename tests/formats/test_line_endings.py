"""Lines that end in a carriage return alone (classic Mac OS, some exporters) are lines: such a
file was read as one line, its records counted as one quarantined record. Files with LF or CRLF
line ends are read as they were, byte for byte."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from datamin.core.records import RawRecord
from datamin.formats import read_file, reading
from datamin.policies import bundled
from tests.formats.test_text_lines import _run

COMBINED = b'1.2.3.4 - - [19/Sep/2024:15:17:26 -0700] "GET /a%d HTTP/1.1" 200 17'
# (file name, its lines, the kind each record is read as)
FILES = [
    ("a.jsonl", [b'{"n": 1}', b'{"n": 2}', b'{"n": 3}'], None),  # JSON lines by name
    ("a.log", [b'{"n": 1}', b'{"n": 2}', b'{"n": 3}'], None),  # by content
    ("a.txt", [b"first note", b"second note", b"third note"], "json"),  # text fallback
    ("access.log", [COMBINED % n for n in range(3)], "api"),  # a text access log
]


def _items(tmp_path: Path, name: str, body: bytes, gz: bool) -> list:
    path = tmp_path / (name + ".gz" if gz else name)
    path.write_bytes(gzip.compress(body) if gz else body)
    return list(read_file(str(path), 1 << 20))


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize(("name", "lines", "kind"), FILES, ids=[f[0] for f in FILES])
@pytest.mark.parametrize("last", [b"\r", b""], ids=["ended", "unended"])
def test_lines_ended_by_a_carriage_return_are_each_a_record(
    tmp_path: Path, name: str, lines: list[bytes], kind: str | None, gz: bool, last: bytes
) -> None:
    found = _items(tmp_path, name, b"\r".join(lines) + last, gz)
    assert all(isinstance(i, RawRecord) for i in found)
    assert [i.index for i in found] == [1, 2, 3]
    assert [i.kind for i in found] == [kind] * 3
    assert all(b"\r" not in i.data for i in found)


@pytest.mark.parametrize("end", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(("name", "lines", "kind"), FILES, ids=[f[0] for f in FILES])
def test_lf_and_crlf_files_are_read_as_before(
    tmp_path: Path, name: str, lines: list[bytes], kind: str | None, end: bytes
) -> None:
    found = _items(tmp_path, name, b"".join(line + end for line in lines), gz=False)
    assert [i.index for i in found] == [1, 2, 3]
    if kind != "json":  # a text line's record is its `line` field, without the break
        assert [i.data for i in found] == [line + end for line in lines]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"a\rb\rc", b"a\nb\nc"),
        (b"a\r\nb\rc\r", b"a\nb\nc\n"),  # a CRLF after the head is one break
        (b"a\r\r\nb", b"a\n\nb"),  # a blank line, then a CRLF
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 3, 64])
def test_a_crlf_cut_across_reads_is_one_break(body: bytes, expected: bytes, chunk: int) -> None:
    source = io.BufferedReader(io.BytesIO(body), buffer_size=chunk)
    breaks = io.BufferedReader(reading._LineBreaks(source), buffer_size=chunk)
    assert breaks.read() == expected


@pytest.mark.parametrize(
    "head",
    [
        b'{"n": 1}\n{"n": 2}\r',  # LF ends its lines: a stray CR is content
        b'{"n": 1}\r',  # one line
        b"\x1f\x8b\x00\r\x05",  # binary
    ],
)
def test_only_a_head_with_carriage_returns_and_no_line_feed_is_split_on_them(head: bytes) -> None:
    assert not reading.cr_only(head)


def test_a_run_counts_each_line_and_balances(tmp_path: Path) -> None:
    body = b"2024-09-19 22:17:26 INFO started\rcall ann back\r" + COMBINED % 1 + b"\r"
    audit, errors = _run(tmp_path, "app.log", body, bundled("redact_only"))
    assert (audit["records_in"], audit["records_written"], errors) == (3, 3, {})
