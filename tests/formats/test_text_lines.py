"""A text file no format claims is read as lines, each line one record: read by the access log
grammar it matches, as a record of one text field when it starts like none, or quarantined on
its own when it starts like a grammar and breaks it, as a JSON-lines file's bad lines are. A
3-line file was one quarantined record; a log whose first line a rotation cut lost every line.
Binary content and JSON documents stay one record each."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import read_file
from datamin.formats.registry import detect_format
from datamin.output.quarantine import quarantine_summary
from datamin.pipelines import batch
from datamin.policies import bundled
from tests.formats.gateway_cases import CASES

NO_FORMAT = "InputError: not a line of a known access log format"


def _run(tmp_path: Path, name: str, body: bytes, policy: Path) -> tuple[dict, dict[str, int]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / name
    source.write_bytes(body)
    out = tmp_path / "out"
    audit = batch.run([str(source)], out, policy).audit
    assert audit["records_in"] == (
        audit["records_written"] + audit["records_dropped"] + audit["records_quarantined"]
    )
    errors = dict(quarantine_summary(out)[0].by_error) if audit["records_quarantined"] else {}
    return audit, errors


def test_each_line_of_an_unknown_text_file_is_a_record(
    tmp_path: Path, api_logs_without_ner: Path
) -> None:
    body = b"this is a text file\n\nof three lines\nnone of them a log line\n"
    assert detect_format("notes", body) == "text"
    audit, errors = _run(tmp_path, "notes", body, api_logs_without_ner)
    # was (1, 0, 1), then (3, 0, 3): no rule of api_logs names a line of text
    assert (audit["records_in"], audit["records_dropped"], audit["records_quarantined"]) == (
        3,
        3,
        0,
    )
    assert errors == {}


def test_an_application_logs_lines_are_kept_redacted_with_their_time(tmp_path: Path) -> None:
    """`redact_only` keeps every line of a log no grammar reads, each as its `line` field,
    redacted as any text is; a line's leading ISO time is its event time."""
    body = (
        b"2024-09-19 22:17:26,095 INFO login ann.lee@example.com"
        b" token gwk_live_7Qx9PlantedApiKey4411\n"
        b"call Maria Gonzalez back at +1 415 555 0142\n"
        b'1.2.3.4 - - [19/Sep/2024:15:17:26 -0700] "GET /a 200 1\n'  # a combined line, cut
    )
    audit, errors = _run(tmp_path, "app.log", body, bundled("redact_only"))
    assert (audit["records_written"], audit["records_quarantined"]) == (2, 1)
    assert errors == {"InputError: not a combined log line": 1}
    rows = [
        dict(row["fields"])
        for part in sorted((tmp_path / "out" / "data").rglob("*.parquet"))
        for row in pq.read_table(part).to_pylist()
    ]
    timed = next(r for r in rows if "timestamp" in r)
    assert timed["timestamp"] == "2024-09-19T22:17:26.095000Z"
    assert timed["line"].startswith("2024-09-19 22:17:26,095 INFO login <EMAIL_ADDRESS> token <")
    assert any(r["line"].startswith("call <PERSON> back at <PHONE_NUMBER>") for r in rows)
    assert sorted(p.name for p in (tmp_path / "out" / "data").iterdir()) == ["retention=standard"]
    dates = sorted(p.name for p in (tmp_path / "out" / "data" / "retention=standard").iterdir())
    assert dates[0] == "date=2024-09-19"


def test_a_log_whose_first_line_was_cut_keeps_its_other_lines(
    tmp_path: Path, api_logs_without_ner: Path
) -> None:
    """A rotation or a `tail -c` cuts the first line: the file is no grammar's by its first line,
    and was one quarantined record; each line is now read by its own grammar."""
    for name in ("combined.log", "nginx_main.log", "traefik.log", "envoy.log"):
        lines = (CASES / name).read_bytes().splitlines(keepends=True)
        body = lines[0][40:] + b"".join(lines[1:])
        assert detect_format("access.log", body) in ("text", "envoy-text"), name
        audit, _ = _run(tmp_path / name, "access.log", body, api_logs_without_ner)
        assert audit["records_in"] == len(lines), name
        # the cut line and the fixture's third line: of no grammar (dropped: api_logs names no
        # line of text) or broken (quarantined)
        assert audit["records_quarantined"] + audit["records_dropped"] == 2, name
        assert audit["records_written"] == len(lines) - 2, name


def test_lines_of_mixed_formats_are_each_read_by_their_own(tmp_path: Path) -> None:
    combined = (CASES / "combined.log").read_bytes().splitlines(keepends=True)[0]
    envoy = (CASES / "envoy.log").read_bytes().splitlines(keepends=True)[0]
    json_line = b'{"note": "a JSON object line is read as JSON lines are"}\n'
    body = b"a heading that is no log line\n" + combined + envoy + json_line + b"[INFO] x\n"
    assert detect_format("mixed", body) == "text"
    (tmp_path / "mixed").write_bytes(body)
    items = list(read_file(str(tmp_path / "mixed"), 1 << 20))
    assert all(isinstance(i, RawRecord) for i in items)
    # the heading and `[INFO] x` start like no grammar: a line of text each
    assert [i.kind for i in items] == ["json", "api", "api", None, "json"]  # type: ignore[union-attr]
    audit, errors = _run(tmp_path, "mixed", body, bundled("redact_only"))
    assert (audit["records_in"], audit["records_written"]) == (5, 5)
    assert errors == {}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (random.Random(7).randbytes(3000), "binary garbage, newlines among its bytes"),
        (b"\x80" + b"binary\nwith\nlines\n" * 3, "not UTF-8"),
        (b"text\x00with\nNUL\nbytes\n", "a NUL byte: binary"),
        (b'{\n  "note": "pretty-printed JSON",\n  "cut": ', "a JSON document, cut short"),
        (b'"one JSON string"\n', "a JSON value: a document"),
        (gzip.compress(b"a\nb\nc\n", mtime=0), "gzip of text: lines, once decompressed"),
    ],
    ids=["binary", "not-utf8", "nul", "json-document", "json-value", "gzip-text"],
)
def test_what_is_not_text_lines_stays_as_it_was(
    body: bytes, why: str, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    """Binary content has no lines to count, and a JSON document's lines are not records: one
    record each, as before. Decompressed text is text."""
    audit, _ = _run(tmp_path, "unknown", body, api_logs_without_ner)
    expected = 3 if body[:2] == b"\x1f\x8b" else 1
    assert audit["records_in"] == expected, why


def test_a_long_line_and_a_blank_file_are_counted_as_ever(tmp_path: Path) -> None:
    body = b"short line\n" + b"x" * 5000 + b"\nlast\n"
    (tmp_path / "t").write_bytes(body)
    items = list(read_file(str(tmp_path / "t"), 1000))
    assert [type(i) for i in items] == [RawRecord, Unreadable, RawRecord]
    assert [i.index for i in items] == [1, 2, 3]
    (tmp_path / "blank").write_bytes(b"\n  \n")
    [blank] = read_file(str(tmp_path / "blank"), 1000)
    assert isinstance(blank, Unreadable) and blank.error == "InputError: empty file"


def test_text_can_be_chosen_by_name(tmp_path: Path) -> None:
    """`--format text`: lines, whatever the file's name says."""
    combined = (CASES / "combined.log").read_bytes()
    (tmp_path / "a.jsonl").write_bytes(combined)
    items = list(read_file(str(tmp_path / "a.jsonl"), 1 << 20, format="text"))
    # the fixture's third line starts like no grammar: a line of text
    assert [i.kind for i in items] == ["api", "api", "json", "api"]  # type: ignore[union-attr]
