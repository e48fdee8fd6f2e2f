"""Azure Monitor's resource logs as a diagnostic setting sends them to an event hub: one JSON
document `{"records": [...]}` of many records (the Stream Analytics query Microsoft gives for them
reads `GetArrayElements(e.records)`:
https://learn.microsoft.com/azure/azure-monitor/essentials/stream-monitoring-data-event-hubs,
https://learn.microsoft.com/azure/azure-monitor/essentials/resource-logs-schema). Each inner
record is one record, judged by its content: the Application Gateway, Front Door and API
Management readers claim theirs, and `records_in = written + dropped + quarantined` counts them
one by one. Before, the wrapper was one generic JSON record, of which `api_logs` kept nothing.

`cases/gateway/azure_records.json` holds the records of `azure_appgw.jsonl`,
`azure_frontdoor.jsonl` and `azure_apim.jsonl`, and one firewall log record (a category no
reader claims) planting the e-mail in its matched data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import orjson
import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import read_file
from datamin.formats.exchange import gateway_of
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from tests.formats.gateway_cases import CASES, needles

WRAPPED = CASES / "azure_records.json"
GATEWAYS = [
    "azure-appgw",
    "azure-appgw",
    None,  # ApplicationGatewayFirewallLog: no reader
    "azure-frontdoor",
    "azure-frontdoor",
    "azure-apim",
    "azure-apim",
]


def _inner() -> list[dict[str, Any]]:
    return json.loads(WRAPPED.read_text())["records"]


def _summary(path: Path) -> list[tuple[str, int]]:
    return [(type(i).__name__, i.index) for i in read_file(str(path), 1 << 20)]


def test_each_record_of_the_wrapper_is_one_record_of_its_gateway() -> None:
    found = list(read_file(str(WRAPPED), 1 << 20))
    assert all(isinstance(i, RawRecord) and i.kind is None for i in found)
    assert [i.index for i in found] == list(range(1, 8))
    records = [orjson.loads(i.data) for i in found]  # type: ignore[union-attr]
    assert records == _inner()
    assert [getattr(gateway_of(r), "name", None) for r in records] == GATEWAYS


# compact, on one line, under names that make it a document or JSON lines
@pytest.mark.parametrize("name", ["PT1H.json", "hub-message.log", "hub-message", "PT1H.json.gz"])
def test_the_wrapper_however_written_or_named(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = orjson.dumps({"records": _inner()}) + b"\n"
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert _summary(path) == [("RawRecord", n) for n in range(1, 8)]


def test_a_wrapper_line_past_the_head_is_its_records_too(tmp_path: Path) -> None:
    """A first line longer than the 64 KiB a format is judged by (an event hub message holds
    up to 1 MB), followed by more lines: each line's records, numbered on."""
    inner = [{**r, "pad": "x" * 12_000} for r in _inner()]
    line = orjson.dumps({"records": inner})
    path = tmp_path / "hub.log"
    path.write_bytes(line + b"\n" + line + b"\n")
    assert _summary(path) == [("RawRecord", n) for n in range(1, 15)]


def test_event_hub_messages_one_a_line_number_every_record_once(tmp_path: Path) -> None:
    """Lines keep their numbers until a wrapper's records take the numbers after them; no two
    records of a file have one number (`policy explain --index` picks one)."""
    wrapper = orjson.dumps({"records": _inner()[:3]})
    lines = [b'{"n": 1}', b"", wrapper, b'{"n": 2}', b'{"records": []}', wrapper]
    path = tmp_path / "hub.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert [i for _, i in _summary(path)] == [1, 3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    "doc",
    [
        {"records": _inner()[:2], "nextLink": "https://example.com/page/2"},  # other keys
        {"records": [1, 2]},  # not records
        {"value": {"records": _inner()[:2]}},  # not the top level's
    ],
)
def test_a_document_that_is_not_only_a_wrapper_of_objects_is_one_record(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    for name, data in (("d.json", json.dumps(doc, indent=2)), ("d.log", json.dumps(doc))):
        path = tmp_path / name
        path.write_text(data + "\n")
        found = list(read_file(str(path), 1 << 20))
        assert [(type(i).__name__, i.index) for i in found] == [("RawRecord", 1)], name
        assert orjson.loads(found[0].data) == doc  # type: ignore[union-attr]


def test_a_wrapper_with_a_key_twice_is_one_record_the_minimize_step_quarantines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"records": "x",\n "records": [{"a": 1}]}\n')
    assert _summary(path) == [("RawRecord", 1)]


def test_a_wrapper_cut_short_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    """As a HAR file cut short does: the records complete before the cut (inside the first API
    Management record) are read, the cut is one quarantined record."""
    data = json.dumps({"records": _inner()}, indent=2)
    path = tmp_path / "cut.json"
    path.write_text(data[: data.index('"GatewayLogs"')])
    found = list(read_file(str(path), 1 << 20))
    assert [(type(i).__name__, i.index) for i in found] == [
        *[("RawRecord", n) for n in range(1, 6)],
        ("Unreadable", 6),
    ]


def test_a_har_file_holding_a_wrapper_is_no_har(tmp_path: Path) -> None:
    path = tmp_path / "x.har"
    path.write_bytes(orjson.dumps({"records": _inner()}))
    (item,) = read_file(str(path), 1 << 20)
    assert isinstance(item, Unreadable) and "not a HAR" in item.error


def test_api_logs_keeps_each_gateway_record_and_counts_every_one(
    tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    audit = batch.run([str(WRAPPED)], out, api_logs_without_ner).audit
    assert audit["records_in"] == 7 and audit["balanced"]
    assert audit["records_written"] == 6 and audit["records_dropped"] == 1
    assert audit["records_quarantined"] == 0
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    rows = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(rows) == 6
    for row in rows:
        for column in ("hour", "method", "route", "status", "latency_ms"):
            assert row[column] is not None, column
        assert row["host"] == "api.example.com"
    assert scan_tree(out, needles()) == []


def test_redact_only_leaves_nothing_planted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    audit = batch.run([str(WRAPPED)], out, bundled("redact_only")).audit
    assert audit["records_in"] == 7 and audit["records_written"] == 7 and audit["balanced"]
    assert scan_tree(out, needles()) == []
