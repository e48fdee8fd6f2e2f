"""Files recognized by content (standard input, `.log`, no extension): JSON lines whose first
line is cut short or too long to judge are still read line by line, and JSON documents are still
read whole. Reading JSON lines as one document loses every line in one quarantined record."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import detect_format, read_file

LINES = [json.dumps({"status": 200, "remote_addr": "10.0.0.1", "n": i}) for i in range(50)]
LONG = json.dumps({"status": 200, "pad": "x" * 70_000})  # past the 64 KiB head


def items(path: Path, limit: int = 4 << 20) -> list[RawRecord | Unreadable]:
    return list(read_file(str(path), limit))


def summary(found: list[RawRecord | Unreadable]) -> list[tuple[str, int]]:
    return [(type(i).__name__, i.index) for i in found]


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        # JSON lines, whatever their first line: the lines after it say so.
        (b'{"status": 200, "remo\n{"n": 1}\n{"n": 2}\n', "jsonl"),  # cut short
        (b'dr": "10.0.0.1"}\n{"n": 1}\n{"n": 2}\n', "jsonl"),  # a line's tail (rotation)
        (b'{"status": 2\n{"n": 1}\n{"n": 2', "jsonl"),  # the head ends inside a line
        (b'{"status": 2\n\n{"n": 1}\r\n', "jsonl"),  # blank lines, CRLF
        # Documents: their inner lines are members and brackets.
        (b'{\n  "a": 1,\n  "b": {"c": 2}\n}\n', "json"),
        (b'{"items": [\n  {"a": 1}\n]}\n', "json"),
        (b'{"items": [\n  {"a": 1},\n  {"b": 2}\n]}', "json"),
        (b'[\n{"a": 1}\n]', "json"),
        (b'{"status": 2\n{"n": 1}\n]}', "json"),  # its last line is no object's start
        (b'{"status": 200, "pad": "xxxx', "json"),  # one line, past the head: decided on reading
    ],
)
def test_format_by_content(head: bytes, fmt: str) -> None:
    assert detect_format("gw.log", head) == fmt


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("gw.log", LINES[0][:40]),  # cut short
        ("gw", LINES[0][:40]),
        ("gw.log", LONG),  # valid, longer than the head
        ("gw.log", LONG[:-10]),  # longer than the head and cut short
        ("gw.log.gz", LONG[:-10]),
        ("gw.json", LINES[0][:40]),  # JSON lines named as a document
    ],
)
def test_every_line_is_a_record_however_the_first_one_is(
    tmp_path: Path, name: str, first: str
) -> None:
    data = "\n".join([first, *LINES[1:]]).encode() + b"\n"
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    found = items(path)
    assert summary(found) == [("RawRecord", n) for n in range(1, 51)]
    assert found[0].data.rstrip(b"\n") == first.encode()  # type: ignore[union-attr]
    assert [orjson.loads(i.data)["n"] for i in found[1:]] == list(range(1, 50))  # type: ignore[union-attr]


def test_a_long_first_line_over_the_record_limit_is_one_record_too_large(tmp_path: Path) -> None:
    path = tmp_path / "gw.log"
    path.write_bytes("\n".join([LONG, "", *LINES[1:3]]).encode())
    found = items(path, limit=65_536)
    assert summary(found) == [("Unreadable", 1), ("RawRecord", 3), ("RawRecord", 4)]
    assert found[0].error.startswith("LimitExceeded")  # type: ignore[union-attr]


def test_a_one_line_document_past_the_head_is_still_one_document(tmp_path: Path) -> None:
    path = tmp_path / "doc"
    path.write_bytes(LONG.encode() + b"\n\n")
    assert [(type(i), i.index) for i in items(path)] == [(RawRecord, 1)]


def test_a_compact_har_log_past_the_head_still_gives_its_entries(tmp_path: Path) -> None:
    entry = {"request": {"method": "GET", "url": "https://x.test/" + "p" * 2_000}}
    path = tmp_path / "capture"
    path.write_bytes(json.dumps({"log": {"version": "1.2", "entries": [entry] * 40}}).encode())
    found = items(path)
    assert len(found) == 40 and all(isinstance(i, RawRecord) and i.kind == "har" for i in found)


def test_a_one_line_document_cut_short_past_the_head_is_one_quarantined_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "doc.log"
    path.write_bytes(LONG[:-10].encode())
    found = items(path)
    assert [(type(i), i.error) for i in found] == [  # type: ignore[union-attr]
        (Unreadable, "InputError: invalid JSON document")
    ]


@pytest.mark.parametrize(("name", "lead"), [("capture.json", b"\n"), ("capture", b"\r\n\r\n")])
def test_blank_lines_before_a_compact_har_log_are_passed(
    tmp_path: Path, name: str, lead: bytes
) -> None:
    # The first line is the first that holds anything: not an empty record, with the log read
    # after it as a JSON line (a review found the 40 entries gone and one record made up).
    entry = {"request": {"method": "GET", "url": "https://x.test/" + "p" * 2_000}}
    path = tmp_path / name
    path.write_bytes(
        lead + json.dumps({"log": {"version": "1.2", "entries": [entry] * 40}}).encode()
    )
    found = items(path)
    assert len(found) == 40 and all(isinstance(i, RawRecord) and i.kind == "har" for i in found)


def test_blank_lines_before_long_lines_count_in_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gw.log"
    path.write_bytes(b"\n\n" + "\n".join([LONG, *LINES[1:3]]).encode() + b"\n")
    assert summary(items(path)) == [("RawRecord", 3), ("RawRecord", 4), ("RawRecord", 5)]


def test_a_gzip_cut_after_a_whole_long_first_line_keeps_that_line(tmp_path: Path) -> None:
    # What follows the first line is unreadable, not the line itself.
    path = tmp_path / "gw.log.gz"
    path.write_bytes(gzip.compress(LONG.encode() + b"\n") + gzip.compress(b'{"n": 1}\n')[:6])
    assert summary(items(path)) == [("RawRecord", 1), ("Unreadable", 2)]
