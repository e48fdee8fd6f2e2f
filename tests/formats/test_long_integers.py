"""An integer past 64 bits (an id of 20 to 300-odd digits) is stored as written: orjson reads
one as the nearest double, and `1.2345678901234568e+29` was what the `fields` map held (its
digits lost, and not scanned as a number of digits is). One too long for a double is still
quarantined as invalid JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from datamin.core import strictjson
from datamin.core.values import as_text
from datamin.pipelines import batch

POLICY = """\
version: 1
name: numbers
event_time: [ts]
retention: {default: short, classes: {short: 3650d}}
fields:
  - {path: ts, action: keep, column: ts}
  - {path: n, action: keep}
  - {path: request.method, action: keep}
  - {path: request.url, action: drop}
  - {path: note, action: keep}
"""
# (as written, as stored): why each case
NUMBERS = [
    ("123456789012345678901234567890", "123456789012345678901234567890"),  # 30 digits
    ("18446744073709551616", "18446744073709551616"),  # 2**64: the first orjson gives up on
    ("18446744073709551615", "18446744073709551615"),  # 2**64 - 1: orjson's own integer
    ("-9223372036854775809", "-9223372036854775809"),  # below -2**63
    ("-" + "9" * 300, "-" + "9" * 300),  # within a double's range: read exact
    ("1e20", "1e+20"),  # a double written as one stays one
    ("2.5", "2.5"),
]


@pytest.mark.parametrize(("written", "stored"), NUMBERS)
def test_a_number_is_parsed_and_written_back_exactly(written: str, stored: str) -> None:
    record = strictjson.loads(f'{{"n": {written}, "m": [{written}]}}')
    assert as_text(record["n"]) == stored
    assert strictjson.dumps(record) == f'{{"n":{stored},"m":[{stored}]}}'.encode()
    assert strictjson.exact(f"[{written}]".encode()) == json.loads(f"[{written}]")


def test_an_integer_too_long_for_a_double_is_still_invalid_json() -> None:
    with pytest.raises(strictjson.orjson.JSONDecodeError):
        strictjson.loads('{"n": 1' + "0" * 400 + "}")


def test_every_reader_stores_a_long_integer_as_written(tmp_path: Path) -> None:
    """JSON lines and a `{"records": [...]}` wrapper line: each number as written in the
    `fields` map; one of 400 digits quarantined; the run balanced."""
    (tmp_path / "p.yaml").write_text(POLICY)
    ts = '"ts": "2026-03-01T10:00:00Z"'
    big, huge = NUMBERS[0][0], "1" + "0" * 400
    lines = [
        f'{{{ts}, "n": {big}}}',
        f'{{"records": [{{{ts}, "n": {NUMBERS[1][0]}}}, {{{ts}, "n": {NUMBERS[3][0]}}}]}}',
        f'{{{ts}, "n": {huge}}}',
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    audit = batch.run([str(tmp_path / "a.jsonl")], out, tmp_path / "p.yaml").audit
    assert (audit["records_in"], audit["records_written"], audit["records_quarantined"]) == (
        4,
        3,
        1,
    )
    assert audit["balanced"] is True
    rows = [
        dict(row["fields"])
        for part in sorted((out / "data").rglob("*.parquet"))
        for row in pq.read_table(part).to_pylist()
    ]
    assert sorted(r["n"] for r in rows) == sorted([big, NUMBERS[1][1], NUMBERS[3][1]])


@pytest.mark.parametrize("key", ["entries", "entr\\u0069es"], ids=["streamed", "in-skeleton"])
def test_a_har_entry_keeps_a_long_integer(tmp_path: Path, key: str) -> None:
    """Entries cut out of the document as it streams, and those left in its skeleton (their
    key written with an escape), are written back compactly: the number as it was."""
    from datamin.formats import read_file
    from datamin.formats.har_entry import HarEntry

    big = NUMBERS[0][0]
    entry = (
        '{"startedDateTime": "2026-03-01T10:00:00Z", "request": {"method": "GET", '
        f'"url": "https://x.test/"}}, "response": {{"status": 200, "n": {big}}}}}'
    )
    path = tmp_path / "x.har"
    path.write_text(f'{{"log": {{"version": "1.2", "{key}": [{entry}]}}}}')
    [item] = list(read_file(str(path), 1 << 20))
    assert f'"n":{big}'.encode() in item.data  # type: ignore[union-attr]
    assert HarEntry().parse(item.data)["response"]["n"] == int(big)  # type: ignore[union-attr]
