"""HAR read incrementally: the same records as parsing the whole document, in any chunking; a
document that is not sound is still quarantined whole, one cut short keeps the entries before the
cut; memory holds one entry, not the file."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import harstream, read_file

CASES = Path(__file__).parents[1] / "pipelines" / "cases"


def whole_document_records(path: Path) -> list[bytes]:
    """What reading the document whole gives: each entry of log.entries, rewritten compactly."""
    doc = json.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    return [orjson.dumps(e) for e in doc["log"]["entries"]]


def items(path: Path, limit: int = 4 << 20) -> list[RawRecord | Unreadable]:
    return list(read_file(str(path), limit))


def fixtures() -> list[Path]:
    shared = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "har"
    found = [CASES / "traffic.har", CASES / "traffic-bom.har"]
    if shared.is_dir():
        found += [p for p in sorted(shared.glob("*.har")) if p.name != "broken.har"]
    return found


@pytest.mark.parametrize("chunk", [7, 4096, 1 << 20])
@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.name)
def test_same_records_as_the_whole_document(
    path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harstream, "CHUNK", chunk)  # entries and strings cut across reads
    found = items(path)
    assert all(isinstance(i, RawRecord) and i.kind == "har" for i in found)
    assert [i.data for i in found] == whole_document_records(path)  # type: ignore[union-attr]
    assert [i.index for i in found] == list(range(1, len(found) + 1))  # from 1, as lines are


def test_compressed_and_pretty_printed(tmp_path: Path) -> None:
    doc = json.loads((CASES / "traffic.har").read_bytes())
    doc["log"]["pages"] = [{"title": 'a "quoted" ] } [ { title'}]
    doc = {"before": {"entries": [1, 2]}, **doc, "after": "]}"}
    path = tmp_path / "x.har.gz"
    path.write_bytes(gzip.compress(json.dumps(doc, indent=3).encode()))
    found = items(path)
    assert [i.data for i in found] == [orjson.dumps(e) for e in doc["log"]["entries"]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tail", "error"),
    [
        (b"]}}garbage", "InputError: invalid JSON document"),
        (b",]}}", "InputError: invalid JSON document"),  # a trailing comma
        (b']}, "log": {}}', "DuplicateKey: a key appears twice in the HAR document"),
        # Brackets left open by what follows the document, or closed by the wrong bracket, are
        # faults, not a cut (a review found the entries kept and the rest called cut short).
        (b']}} {"x": 1', "InputError: invalid JSON document"),
        (b'], "pages": [ {"x": ] ', "InputError: invalid JSON document"),
    ],
)
def test_a_malformed_tail_quarantines_the_whole_file(
    tmp_path: Path, tail: bytes, error: str
) -> None:
    """Nothing before the fault is trusted: one quarantined record, not some entries and then
    an error (a HAR is one document)."""
    raw = (CASES / "traffic.har").read_bytes()
    entries = json.loads(raw)["log"]["entries"]
    body = b'{"log": {"version": "1.2", "entries": [' + b",".join(map(orjson.dumps, entries))
    path = tmp_path / "tail.har"
    path.write_bytes(body + tail)
    found = items(path)
    assert [(type(i), i.index, i.error) for i in found] == [(Unreadable, 0, error)]  # type: ignore[union-attr]
    assert found[0].raw == body + tail  # small: its keyed hash still matches a replay


def _two_entries_then(rest: bytes) -> bytes:
    good = [
        orjson.dumps({"request": {"method": "GET", "url": f"https://x.test/{i}"}}) for i in (1, 2)
    ]
    return b'{"log": {"version": "1.2", "entries": [' + b", ".join(good) + rest


@pytest.mark.parametrize(
    ("rest", "error"),
    [
        (b', {"request": {"method": "GET", "url": "https://x', "file ends inside an array item"),
        (b", ", "invalid JSON (array separators)"),  # cut after a comma
        (b"]", "file ends before the JSON document does"),  # the log's braces lost
        (b'], "pages": [{"title": "a', "file ends before the JSON document does"),
    ],
)
def test_a_document_cut_short_keeps_the_entries_before_the_cut(
    tmp_path: Path, rest: bytes, error: str
) -> None:
    """As a JSON array or JSON lines do: what was complete before the cut is read, and the cut
    is one quarantined record after them (not the file as one record, its entries lost)."""
    path = tmp_path / "cut.har"
    path.write_bytes(_two_entries_then(rest))
    found = items(path)
    assert [(type(i), i.index) for i in found] == [
        (RawRecord, 1),
        (RawRecord, 2),
        (Unreadable, 3),
    ]
    assert error in found[2].error  # type: ignore[union-attr]
    assert [orjson.loads(i.data)["request"]["url"] for i in found[:2]] == [  # type: ignore[union-attr]
        "https://x.test/1",
        "https://x.test/2",
    ]


def test_a_compressed_capture_cut_short_keeps_its_complete_entries(tmp_path: Path) -> None:
    doc = json.loads((CASES / "traffic.har").read_bytes())
    doc["log"]["entries"] *= 20
    packed = gzip.compress(json.dumps(doc).encode(), mtime=0)
    path = tmp_path / "cut.har.gz"
    path.write_bytes(packed[: len(packed) * 95 // 100])
    found = items(path)
    assert 0 < len(found) - 1 < 40 and all(isinstance(i, RawRecord) for i in found[:-1])
    assert isinstance(found[-1], Unreadable) and found[-1].index == len(found)
    assert "unreadable from here on" in found[-1].error


@pytest.mark.parametrize(
    "start",
    [
        b'{"x\\"log": {"entries": [',  # a look-alike key: not the log
        b'{"log": {"version": "1.2", "version": "1.1", "entries": [',  # which log, which version?
        b'{"log": {"entries": [{"a": 1}], "entries": [',  # a second entries list
    ],
)
def test_a_cut_document_that_is_no_sound_log_before_its_entries_is_refused_whole(
    tmp_path: Path, start: bytes
) -> None:
    path = tmp_path / "cut.har"
    path.write_bytes(start + b'{"a": 1}, {"b": 2}, {"c": ')
    found = items(path)
    assert [(type(i), i.index) for i in found] == [(Unreadable, 0)]


def test_one_bad_entry_and_an_oversized_one(tmp_path: Path) -> None:
    good = orjson.dumps({"request": {"method": "GET", "url": "https://x.test/"}})
    twice = b'{"comment": "a", "comment": "b"}'
    big = orjson.dumps({"comment": "x" * 5000})
    path = tmp_path / "x.har"
    path.write_bytes(b'{"log": {"entries": [' + b", ".join([good, twice, big, good]) + b"]}}")
    found = items(path, limit=2048)
    assert [(type(i).__name__, i.index) for i in found] == [
        ("RawRecord", 1),
        ("Unreadable", 2),
        ("Unreadable", 3),
        ("RawRecord", 4),
    ]
    assert found[1].error.startswith("DuplicateKey") and found[2].error.startswith("LimitExceeded")  # type: ignore[union-attr]


def test_entries_under_a_key_written_with_an_escape_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "x.har"
    path.write_bytes(b'{"log": {"entr\\u0069es": [{"a": 1}, {"b": 2}]}}')
    assert [i.data for i in items(path)] == [b'{"a":1}', b'{"b":2}']  # type: ignore[union-attr]


def test_a_lookalike_key_does_not_pass_for_the_log(tmp_path: Path) -> None:
    """`"x\\"log": {"entries": [...]}` looks like the log to a byte scanner: refused whole."""
    path = tmp_path / "x.har"
    path.write_bytes(b'{"x\\"log": {"entries": [{"a": 1}]}, "log": {"entries": []}}')
    found = items(path)
    assert [(type(i), i.error) for i in found] == [
        (Unreadable, "InputError: ambiguous HAR document")
    ]  # type: ignore[union-attr]


def test_a_single_document_that_is_not_a_har_log_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"log": {"entries": "no"}, "note": "[{"}')
    assert [(type(i), i.data) for i in items(path)] == [(RawRecord, path.read_bytes())]  # type: ignore[union-attr]


def test_memory_holds_an_entry_not_the_document(tmp_path: Path) -> None:
    """The skeleton bound stops a document whose non-entry part is huge (without holding it);
    entries themselves go to the spill, not to a list."""
    path = tmp_path / "x.har"
    path.write_bytes(b'{"log": {"pages": ["' + b"p" * 50_000 + b'"], "entries": []}}')
    found = items(path, limit=4096)
    assert [(type(i), i.error) for i in found] == [
        (Unreadable, "LimitExceeded: record larger than the limit")
    ]  # type: ignore[union-attr]


def test_what_waits_in_the_spill_is_sealed_not_text() -> None:
    """Entries wait for the document's verdict in a temporary file once past the spool size:
    that file holds ciphertext under a key only the reading process has."""
    import io

    from datamin.formats.harstream import DUPLICATED, RECORD, Spill

    file = io.BytesIO()
    spill = Spill(file)
    entry = b'{"request":{"url":"https://x.test/?email=ana.souza@example.com"}}'
    spill.put(RECORD, entry)
    spill.put(DUPLICATED)
    spill.put(RECORD, entry)
    assert b"ana.souza" not in file.getvalue() and b"request" not in file.getvalue()
    assert list(spill.records(3)) == [(RECORD, entry), (DUPLICATED, b""), (RECORD, entry)]


def _nested(depth: int, shape: str, leaf: object) -> object:
    """`leaf` inside `depth` containers, an array or an object by `shape` ('a', 'o') in turn;
    strings holding brackets beside each level."""
    value = leaf
    for i in range(depth):
        value = [value, "]", []] if shape[i % len(shape)] == "a" else {"k]{": value, "e": {}}
    return value


@settings(max_examples=40, deadline=None)
@given(
    depths=st.lists(st.integers(0, 12), min_size=1, max_size=4),
    shape=st.text(alphabet="ao", min_size=1, max_size=3),
    wrapper=st.booleans(),
    chunk=st.integers(1, 61),
)
def test_deep_skeletons_and_entries_read_as_the_whole_document(
    tmp_path_factory: pytest.TempPathFactory,
    depths: list[int],
    shape: str,
    wrapper: bool,
    chunk: int,
) -> None:
    # Brackets past the depth where keys are looked for are passed in runs; what is around the
    # entries (pages, creator) and the entries themselves still come out as parsed whole.
    entries = [
        {"request": {"method": "GET", "url": "https://x.test/"}, "deep": _nested(d, shape, i)}
        for i, d in enumerate(depths)
    ]
    if wrapper:
        doc: object = {"records": entries}
    else:
        pages = _nested(max(depths), shape[::-1], "[p]")
        doc = {
            "log": {
                "version": "1.2",
                "pages": [pages, []],
                "creator": {"x": [[[]]]},
                "entries": entries,
            }
        }
    path = tmp_path_factory.mktemp("deep") / ("x.json" if wrapper else "x.har")
    path.write_bytes(json.dumps(doc).encode())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(harstream, "CHUNK", chunk)
        found = items(path)
    assert [getattr(i, "data", i) for i in found] == [orjson.dumps(e) for e in entries]


class _Counting:
    """A pattern that counts its `match` calls: the scanner's steps."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern, self.calls = pattern, 0

    def match(self, data: bytes, pos: int = 0) -> re.Match[bytes] | None:
        self.calls += 1
        return self.pattern.match(data, pos)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        # Nested deeper and deeper, never closed: the skeleton limit ends it.
        (b"[" * 300_000, "LimitExceeded: record larger than the limit"),
        # Nested, then closed: one document too large to judge.
        (b"[" * 100_000 + b"]" * 100_000, "LimitExceeded: record larger than the limit"),
        # Pairs at the top, and as the values of an object: never a log.
        (b"[]" * 100_000, "LimitExceeded: record larger than the limit"),
        (b'{"a": ' + b"[] {}" * 50_000 + b"}", "LimitExceeded: record larger than the limit"),
        # Within the limit: judged, and refused as no JSON document.
        (b'{"log": {"pages": ' + b"[]" * 10_000 + b"}}", "InputError: invalid JSON document"),
        # Deeper than any parser goes (orjson: 1024 levels).
        (b'{"log": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", "InputError: invalid JSON document"),
    ],
    ids=["open", "closed", "pairs", "pairs-in-object", "pairs-in-log", "nested-log"],
)
def test_a_document_of_brackets_is_passed_in_runs_not_bracket_by_bracket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: bytes, error: str | None
) -> None:
    """A bracket took a copy of the skeleton's last 4 KiB and a step of its own: a 6 MB file of
    brackets took 7-9 s to become its one quarantined record."""
    counting = _Counting(harstream._SKIP)
    monkeypatch.setattr(harstream, "_SKIP", counting)
    path = tmp_path / "x.har"  # read as one document, whatever it opens with
    path.write_bytes(body)
    [found] = items(path, limit=150_000)
    assert getattr(found, "error", None) == error
    assert counting.calls < 1_000  # one step per bracket was a step per byte here
