"""The extension point is real: a format nobody in datamin wrote (CSV with a header line) is one
new module and one registration line, and then it is recognized, read, minimized, run end to
end and written back for replay like the built-in ones."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pyarrow.dataset as ds
import pytest

from datamin.core.minimize import Minimizer, Written
from datamin.core.records import RawRecord, Unreadable
from datamin.errors import InputError
from datamin.formats import detect_format, read_file, registry, replay_format
from datamin.keys import KeyRing
from datamin.pipelines import batch
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.engine import DetectionEngine

# The whole addition: this module, as a user would write it (no import of datamin internals
# other than the record types).
TOY_MODULE = '''
"""CSV with a header line: each row a JSON object of header -> value."""

import csv
import io

import orjson

from datamin.core.records import RawRecord, Unreadable


class Csv:
    name = "csv"
    extensions = (".csv",)
    kind = None  # rows are judged by their content (a message, or any JSON object)

    def sniff(self, head):
        first = head.split(b"\\n", 1)[0]
        return b"," in first and not first.startswith((b"{", b"["))

    def read(self, path, stream, max_record_bytes):
        lines = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        rows = csv.reader(lines)
        header = next(rows)
        for row in rows:
            if len(row) != len(header):
                yield Unreadable(path, rows.line_num, "InputError: row and header differ")
                continue
            data = orjson.dumps(dict(zip(header, row)))
            if len(data) > max_record_bytes:
                yield Unreadable(path, rows.line_num, "LimitExceeded: record larger than the limit")
            else:
                yield RawRecord(path, rows.line_num, data)

    def replay(self, raw, kind):
        return ".jsonl", raw  # the row as read, as one JSON line: it reads the same
'''
REGISTRATION = "toy_csv:Csv"  # the one line a new format adds to registry.FORMATS

PHONE = "+14155550123"
ROWS = (
    "sid,date_created,direction,status,from,to,body\n"
    f"SM01,2026-03-02T10:00:00Z,outbound-api,delivered,{PHONE},+14155550124,Your code is 1234\n"
    "SM02,2026-03-02T10:05:00Z,inbound,received,+14155550124,+14155550125,Thanks!\n"
    "SM03,only,three\n"
)


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The toy module on the path and registered; the registry as it was afterwards."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "toy_csv.py").write_text(textwrap.dedent(TOY_MODULE))
    monkeypatch.syspath_prepend(str(code))
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, REGISTRATION))
    registry._load.cache_clear()  # formats are loaded once per list: load this test's module
    data = tmp_path / "data"
    data.mkdir()
    yield data
    sys.modules.pop("toy_csv", None)
    registry._load.cache_clear()


def messages_policy(tmp_path: Path) -> Path:
    """The bundled messages policy without NER (fast; names are not what this test is about)."""
    from datamin.policies import bundled

    text = bundled("messages").read_text()
    path = tmp_path / "messages.yaml"
    path.write_text(text + "\ndetection:\n  ner: false\n")
    return path


def test_the_new_format_is_recognized_by_extension_and_by_content(toy: Path) -> None:
    assert detect_format("x.csv", b"{") == "csv"
    assert detect_format("x.csv.gz", b"") == "csv"
    assert detect_format("export.txt", b"a,b\n1,2\n") == "csv"  # unknown extension: sniffed
    # The built-in formats keep their claims.
    assert detect_format("export.txt", b'{"a": 1}\n') == "jsonl"
    assert detect_format("export.txt", b"[1, 2]") == "json"


def test_rows_are_records_and_a_bad_row_is_one_unreadable(toy: Path) -> None:
    (toy / "m.csv").write_text(ROWS)
    items = list(read_file(str(toy / "m.csv"), 1 << 20))
    assert [type(i) for i in items] == [RawRecord, RawRecord, Unreadable]
    assert [i.index for i in items] == [2, 3, 4]  # line numbers
    first = items[0]
    assert isinstance(first, RawRecord) and first.kind is None
    assert orjson.loads(first.data)["from"] == PHONE


def test_a_format_can_be_chosen_by_name(toy: Path) -> None:
    (toy / "m.log").write_text(ROWS)
    assert len(list(read_file(str(toy / "m.log"), 1 << 20, format="csv"))) == 3
    with pytest.raises(InputError, match="unknown input format 'xml'"):
        read_file(str(toy / "m.log"), 1 << 20, format="xml")


def test_its_records_are_minimized_by_the_policy_of_their_kind(toy: Path) -> None:
    (toy / "m.csv").write_text(ROWS)
    keys = KeyRing(b"t" * 32)
    policy = CompiledPolicy(load_policy(messages_policy(toy)), keys)
    m = Minimizer(policy, DetectionEngine(ner_model=None), keys, date(2026, 11, 23))
    records = [i for i in read_file(str(toy / "m.csv"), 1 << 20) if isinstance(i, RawRecord)]
    out = m.process(records)
    assert all(isinstance(o, Written) for o in out)
    analytics = out[0].rows["analytics"]  # type: ignore[union-attr]
    assert analytics["status"] == "delivered" and analytics["direction"] == "outbound-api"
    assert analytics["sender"].startswith("psn_")  # a message's party, pseudonymized


def test_datamin_run_reads_it_and_its_replay_form_reads_back(toy: Path) -> None:
    (toy / "m.csv").write_text(ROWS)
    out = toy / "out"
    result = batch.run([str(toy / "m.csv")], out, messages_policy(toy))
    assert (result.audit["records_in"], result.audit["records_written"]) == (3, 2)
    assert result.audit["records_quarantined"] == 1  # the short row
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    assert sorted(table.column("status").drop_null().to_pylist()) == ["delivered", "received"]
    assert PHONE not in str(table.to_pylist())
    # A quarantined row's replay form is the format's own, and reads back as the same record.
    raw = orjson.dumps({"sid": "SM09", "body": "x"})
    suffix, body = replay_format(str(toy / "m.csv"), None).replay(raw, None)
    (toy / f"replay{suffix}").write_bytes(body)
    [again] = read_file(str(toy / f"replay{suffix}"), 1 << 20)
    assert isinstance(again, RawRecord) and again.data == raw


def test_a_plug_in_registers_at_run_time(toy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`register()` is the same line for code outside datamin; names stay unique."""
    monkeypatch.setattr(registry, "FORMATS", registry.FORMATS[:3])  # the built-in ones
    monkeypatch.setattr(registry, "_added", [])
    assert "csv" not in [f.name for f in registry.formats()]
    registry.register(REGISTRATION)
    assert [f.name for f in registry.formats()][-1] == "csv"
    registry.register(REGISTRATION)
    with pytest.raises(ValueError, match="two input formats have one name"):
        registry.formats()


def test_a_record_kind_without_a_policy_section_is_refused_at_load(
    toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kind is a policy's `sources` section: one no policy can have would fail every record
    mid-run, so the registry refuses it when the formats load."""
    import toy_csv

    class Kind:
        name = "rows"

    monkeypatch.setattr(toy_csv.Csv, "kind", Kind())
    with pytest.raises(ValueError, match="no policy section for kind 'rows'"):
        registry.formats()
