"""The raw quarantine store: what goes in comes back only under its own key, an entry cannot be
moved, reordered, dropped or altered unnoticed, the key stays apart from the output and the
master key, and no planted value is readable in the file's bytes."""

from __future__ import annotations

import json
import pickle
import shutil
import stat
import struct
from collections.abc import Iterator
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datamin.errors import InputError, KeyConfigError
from datamin.keys import KeySource, create_key_file
from datamin.leakscan import needles_for, scan_tree
from datamin.output.rawquarantine import (
    KEY_LABEL,
    MAGIC,
    RAW_DIR,
    RawEntry,
    RawKey,
    RawKeySource,
    create_raw_key_file,
    raw_file_path,
    read_raw_file,
    resolve_raw_key,
    write_raw_file,
)

RUN = "20261101T120000Z-a1b2c3"
OTHER_RUN = "20261102T120000Z-d4e5f6"
CASES = Path(__file__).parents[1] / "pipelines" / "cases"


class _Planted:
    def __init__(self, entity: str, value: str) -> None:
        self.entity, self.value = entity, value


PLANTED = [
    _Planted(p["entity"], p["value"]) for p in json.loads((CASES / "planted.json").read_text())
]


def planted_entries() -> list[RawEntry]:
    """Records as a quarantine would keep them: JSONL lines and a HAR entry holding every
    planted value, a binary blob, and one entry whose bytes could not be read at all."""
    out = [
        RawEntry("logs/a.jsonl", i, "InputError: invalid JSON", json.dumps({"v": p.value}).encode())
        for i, p in enumerate(PLANTED, 1)
    ]
    har = {"request": {"headers": [{"name": "Cookie", "value": PLANTED[2].value}]}}
    out.append(RawEntry("traffic.har", 4, "LimitExceeded: depth", json.dumps(har).encode(), "har"))
    out.append(RawEntry("blob.json", 0, "InputError: invalid JSON document", bytes(range(256))))
    out.append(RawEntry("big.jsonl", 9, "LimitExceeded: record larger than the limit", b""))
    return out


@pytest.fixture
def key(key_file: Path) -> RawKey:
    return RawKeySource(str(key_file)).load()


def other_key(tmp_path: Path) -> RawKey:
    path = tmp_path / "keys" / "other.key"
    create_raw_key_file(path)
    return RawKeySource(str(path)).load()


def write(
    out: Path, key: RawKey, entries: list[RawEntry], run: str = RUN, name: str = "p1"
) -> Path:
    return Path(write_raw_file(str(out), run, name, key, entries))


# -- round trip ------------------------------------------------------------------------------


def test_round_trip(tmp_path: Path, key: RawKey) -> None:
    out = tmp_path / "out"
    entries = planted_entries()
    path = write(out, key, entries)
    assert path == out / RAW_DIR / RUN / "p1.dmq"
    assert str(path) == raw_file_path(str(out), RUN, "p1")
    assert list(read_raw_file(str(path), key)) == entries
    assert [p.name for p in path.parent.iterdir()] == ["p1.dmq"]  # no temporary file left
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # An empty store file is a valid one.
    assert list(read_raw_file(str(write(out, key, [], name="p2")), key)) == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.builds(
            RawEntry,
            st.text(min_size=1, max_size=40),
            st.integers(min_value=0, max_value=2**40),
            st.text(max_size=40),
            st.binary(max_size=300),
            st.sampled_from([None, "har", "csv"]),  # by content, the flag byte, named in meta
        ),
        max_size=6,
    )
)
def test_any_entries_come_back_as_written(
    tmp_path: Path, key: RawKey, entries: list[RawEntry]
) -> None:
    path = write(tmp_path / "prop", key, entries)
    assert list(read_raw_file(str(path), key)) == entries
    path.unlink()


def test_a_har_entry_is_stored_as_before_and_other_kinds_by_name(
    tmp_path: Path, key: RawKey
) -> None:
    """Kind `har` is the flag byte files have always had (no `kind` in the metadata), so older
    readers and files agree; a kind another format declares is named in the metadata."""
    entries = [
        RawEntry("t.har", 0, "InputError: x", b"{}", "har"),
        RawEntry("t.csv", 1, "InputError: x", b"{}", "csv"),
        RawEntry("t.jsonl", 2, "InputError: x", b"{}"),
    ]
    path = write(tmp_path / "kinds", key, entries)
    data = path.read_bytes()
    assert data.count(b'"kind"') == 1 and b'"kind":"csv"' in data
    assert [e.kind for e in read_raw_file(str(path), key)] == ["har", "csv", None]


def test_a_failing_writer_leaves_nothing(tmp_path: Path, key: RawKey) -> None:
    out = tmp_path / "out"

    def entries() -> Iterator[RawEntry]:
        yield planted_entries()[0]
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        write_raw_file(str(out), RUN, "p1", key, entries())
    assert not [p for p in (out / RAW_DIR / RUN).iterdir()]


def test_names_that_could_leave_the_store_are_refused(tmp_path: Path, key: RawKey) -> None:
    for run, name in [("../x", "p"), (RUN, "../p"), (RUN, ".hidden"), ("latest", "p"), (RUN, "")]:
        with pytest.raises(InputError):
            write(tmp_path / "out", key, [], run=run, name=name)


# -- keys ------------------------------------------------------------------------------------


def test_a_wrong_key_is_told_apart_and_names_only_the_file(tmp_path: Path, key: RawKey) -> None:
    path = write(tmp_path / "out", key, planted_entries())
    with pytest.raises(KeyConfigError) as exc:
        list(read_raw_file(str(path), other_key(tmp_path)))
    assert str(exc.value) == f"raw quarantine file {path} was not written under this key"


def test_key_file_is_new_private_and_never_overwritten(key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    before = key_file.read_bytes()
    with pytest.raises(KeyConfigError, match="exists"):
        create_raw_key_file(key_file)
    assert key_file.read_bytes() == before


def test_the_key_travels_as_a_path_never_as_bytes(key_file: Path, key: RawKey) -> None:
    source = pickle.loads(pickle.dumps(RawKeySource(str(key_file))))
    assert source.load().key_id == key.key_id
    with pytest.raises(TypeError, match="must not be pickled"):
        pickle.dumps(key)
    assert key_file.read_text().split()[-1] not in repr(key) + repr(source)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"datamin raw quarantine key v1\n" + b"ab" * 31 + b"\n",  # 31 bytes
        b"datamin raw quarantine key v1\n" + b"not hex!" * 8 + b"\n",
        b"ab" * 32 + b"\n",  # a master key file: no label
    ],
)
def test_a_malformed_key_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(KeyConfigError) as exc:
        RawKeySource(str(path)).load()
    assert str(exc.value).startswith(f"{path} is not a raw quarantine key file")


def test_a_key_inside_the_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inside = out / "_audit" / "raw.key"
    create_raw_key_file(inside)
    with pytest.raises(KeyConfigError, match="inside the output directory"):
        resolve_raw_key(inside, out)
    with pytest.raises(KeyConfigError, match="inside the output directory"):
        resolve_raw_key(tmp_path / "out" / ".." / "out" / "_audit" / "raw.key", str(out))


def test_the_master_key_is_refused_as_the_raw_key(tmp_path: Path, key_file: Path) -> None:
    # The raw key file given as the master key too (by --key-file): same content, refused.
    ring = KeySource(path=str(key_file)).load()
    with pytest.raises(KeyConfigError, match="holds the master key"):
        resolve_raw_key(key_file, tmp_path / "out", ring)
    with pytest.raises(KeyConfigError, match="holds the master key"):
        resolve_raw_key(key_file, tmp_path / "out", key_file.read_bytes().strip())
    # The master key file named as the raw key: not a raw key file at all.
    master = tmp_path / "keys" / "master"
    create_key_file(master)
    with pytest.raises(KeyConfigError, match="not a raw quarantine key file"):
        resolve_raw_key(master, tmp_path / "out", KeySource(path=str(master)).load())
    # The master key's hex (as `create_key_file` writes it) copied into a raw key file, in
    # either case: the same secret, refused.
    hex_line = master.read_text().strip()
    for text in (hex_line, hex_line.upper()):
        copied = tmp_path / "keys" / f"copied-{text[:2]}.key"
        copied.write_text(f"{KEY_LABEL}\n{text}\n")
        with pytest.raises(KeyConfigError, match="holds the master key"):
            resolve_raw_key(copied, tmp_path / "out", KeySource(path=str(master)).load())
    # A key of its own passes, against a ring or raw bytes.
    assert resolve_raw_key(key_file, tmp_path / "out", KeySource(path=str(master)).load())
    assert resolve_raw_key(key_file, tmp_path / "out", master.read_bytes().strip())


# -- tampering -------------------------------------------------------------------------------


def _spans(data: bytes) -> tuple[int, list[tuple[int, int]], int]:
    """The end of the header, each entry's (start, end), and where the end record starts."""
    pos = len(MAGIC) + 1 + 8
    for _ in range(2):
        (n,) = struct.unpack(">H", data[pos : pos + 2])
        pos += 2 + n
    header_end, spans = pos, []
    while data[pos : pos + 1] == b"E":
        start = pos
        (meta,) = struct.unpack(">I", data[pos + 1 : pos + 5])
        pos += 5 + meta + 12
        (sealed,) = struct.unpack(">I", data[pos : pos + 4])
        pos += 4 + sealed
        spans.append((start, pos))
    return header_end, spans, pos


def _damaged(path: Path, key: RawKey) -> None:
    with pytest.raises(InputError) as exc:
        list(read_raw_file(str(path), key))
    assert str(exc.value) == f"raw quarantine file {path} is damaged or was altered"


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        "ciphertext",
        "nonce",
        "meta index",
        "meta error class",
        "run id in header",
        "end record count",
        "end tag",
        "truncated mid-entry",
        "end record removed",
        "last entry removed",
        "entries reordered",
        "entry duplicated",
        "trailing bytes",
    ],
)
def test_tampering_is_detected(tmp_path: Path, key: RawKey, tamper: str) -> None:
    path = write(tmp_path / "out", key, planted_entries())
    data = path.read_bytes()
    _, spans, end = _spans(data)
    (s0, e0), (s1, e1) = spans[0], spans[1]
    meta0 = data.index(b'"index":1', s0)
    changed = {
        "ciphertext": lambda: _flip(data, e0 - 20),
        "nonce": lambda: _flip(data, data.index(b"}", s0) + 1),
        "meta index": lambda: data[:meta0] + b'"index":2' + data[meta0 + 9 :],
        "meta error class": lambda: data.replace(
            b"InputError: invalid JSON", b"InputError: invalid JSOn", 1
        ),
        "run id in header": lambda: data.replace(RUN.encode(), OTHER_RUN.encode(), 1),
        "end record count": lambda: _flip(data, end + 8),
        "end tag": lambda: _flip(data, len(data) - 1),
        "truncated mid-entry": lambda: data[: e1 - 3],
        "end record removed": lambda: data[:end],
        "last entry removed": lambda: data[: spans[-1][0]] + data[end:],
        "entries reordered": lambda: data[:s0] + data[s1:e1] + data[s0:e0] + data[e1:],
        "entry duplicated": lambda: data[:e0] + data[s0:e0] + data[e0:],
        "trailing bytes": lambda: data + b"\x00",
    }[tamper]()
    assert changed != data
    path.write_bytes(changed)
    _damaged(path, key)


def test_an_entry_moved_to_another_file_or_run_is_detected(tmp_path: Path, key: RawKey) -> None:
    out = tmp_path / "out"
    entries = planted_entries()
    a = write(out, key, entries[:3], name="pa")
    b = write(out, key, entries[3:6], name="pb")
    c = write(out, key, entries[:3], run=OTHER_RUN, name="pa")
    da, db, dc = a.read_bytes(), b.read_bytes(), c.read_bytes()
    (_, sa, _), (_, sb, _), (_, sc, _) = _spans(da), _spans(db), _spans(dc)
    # The first entry of file A in place of the first entry of file B (same run).
    b.write_bytes(db[: sb[0][0]] + da[sa[0][0] : sa[0][1]] + db[sb[0][1] :])
    _damaged(b, key)
    # The same position of the same file name, but from another run.
    a.write_bytes(da[: sa[0][0]] + dc[sc[0][0] : sc[0][1]] + da[sa[0][1] :])
    _damaged(a, key)
    # A whole file moved to another run, or renamed: authentic, but not where it was written.
    moved = out / RAW_DIR / OTHER_RUN / "pc.dmq"
    shutil.copy(c, moved)
    _damaged(moved, key)
    shutil.copy(c, out / RAW_DIR / RUN / "pa.dmq")
    _damaged(out / RAW_DIR / RUN / "pa.dmq", key)
    assert len(list(read_raw_file(str(c), key))) == 3  # the original still reads


def test_a_file_that_is_not_a_store_file(tmp_path: Path, key: RawKey) -> None:
    folder = tmp_path / "out" / RAW_DIR / RUN
    folder.mkdir(parents=True)
    (folder / "x.dmq").write_bytes(b'{"a": 1}\n')
    with pytest.raises(InputError, match="not a datamin raw quarantine file"):
        list(read_raw_file(str(folder / "x.dmq"), key))
    (folder / "x.txt").write_bytes(b"")
    with pytest.raises(InputError, match="not in a raw quarantine store"):
        list(read_raw_file(str(folder / "x.txt"), key))


# -- nothing readable ------------------------------------------------------------------------


def test_no_planted_value_is_readable_in_the_file(tmp_path: Path, key: RawKey) -> None:
    out = tmp_path / "out"
    path = write(out, key, planted_entries())
    assert scan_tree(out, needles_for(PLANTED)) == []
    # In the clear: the header and, per entry, source, index and error class; nothing else.
    data = path.read_bytes()
    _, spans, _ = _spans(data)
    for (start, _), entry in zip(spans, planted_entries(), strict=True):
        (n,) = struct.unpack(">I", data[start + 1 : start + 5])
        meta = json.loads(data[start + 5 : start + 5 + n])
        assert meta == {"source": entry.source, "index": entry.index, "error": entry.error}


# -- from inside Beam ------------------------------------------------------------------------


class _WriteRaw(beam.DoFn):
    """What the pipeline's writer does: carry the key's path, load the key in setup()."""

    def __init__(self, output: str, source: RawKeySource) -> None:
        self.output, self.source = output, source

    def setup(self) -> None:
        self.key = self.source.load()

    def process(self, batch: list[tuple[str, int, str, bytes]]) -> Iterator[str]:
        entries = [RawEntry(*e) for e in batch]
        yield write_raw_file(self.output, RUN, f"part-{len(entries)}", self.key, entries)


def test_writable_from_a_beam_dofn(tmp_path: Path, key_file: Path, key: RawKey) -> None:
    out = tmp_path / "out"
    rows = [(e.source, e.index, e.error, e.raw) for e in planted_entries()[:3]]
    with BeamTestPipeline() as p:
        _ = p | beam.Create([rows]) | beam.ParDo(_WriteRaw(str(out), RawKeySource(str(key_file))))
    back = list(read_raw_file(str(out / RAW_DIR / RUN / "part-3.dmq"), key))
    assert [(e.source, e.index, e.error, e.raw) for e in back] == rows
