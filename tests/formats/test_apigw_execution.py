"""AWS API Gateway execution logs exported from CloudWatch: the events of one request grouped
into one `api` record, walked into the canonical exchange, minimized by `api_logs`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord, Unreadable
from datamin.formats import apigw_execution, read_file, record_fields
from datamin.formats.registry import detect_format, record_kind_named, replay_format
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies.model import Limits
from tests.formats.gateway_cases import API_KEY, CASES, PLANTED, needles

FIXTURE = CASES / "aws_execution.jsonl"
NAME = "aws-apigateway-execution"
JWT = json.loads(PLANTED.read_text())[1]["value"]
A = "0f9e1c2d-5b6a-4c3d-8e7f-1a2b3c4d5e6f"  # POST /customers, completed last
B = "7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f"  # GET /customers/{customerId}, completed first
C = "a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d"  # PUT, a form body, status 500


def _read(path: Path = FIXTURE, limit: int = 1 << 20) -> list[Any]:
    return list(read_file(str(path), limit, format=NAME))


def _records() -> dict[str, dict[str, Any]]:
    out = {}
    for item in _read():
        record = orjson.loads(item.data)["aws_execution"]
        out[record["requestId"]] = record
    return out


def _fields(data: bytes) -> dict[str, Any]:
    kind = record_kind_named("api")
    assert kind is not None
    record = kind.parse(data)
    assert kind.problem(record) is None
    return {f.path: f.value for f in record_fields(record, Limits(), kind)}


def _by_id(request_id: str) -> bytes:
    return next(i.data for i in _read() if request_id.encode() in i.data)


def test_recognized_by_content_unless_the_name_says_json_lines() -> None:
    head = FIXTURE.read_bytes()
    assert detect_format("exported.log", head) == NAME
    assert detect_format("exported", head) == NAME
    # `.jsonl` names JSON lines: the format is then given by name (`--format`)
    assert detect_format(str(FIXTURE), head) == "jsonl"
    # other gateways' JSON lines and plain CloudWatch events are not this format
    assert detect_format("x.log", (CASES / "nginx.jsonl").read_bytes()) == "jsonl"
    plain = b'{"timestamp": 1, "message": "START RequestId: 1 Version: $LATEST"}\n'
    assert detect_format("x.log", plain) == "jsonl"


def test_interleaved_events_become_one_record_per_request() -> None:
    items = _read()
    assert all(isinstance(i, RawRecord) and i.kind == "api" for i in items)
    # emitted as each completes; indexed by the line of the request's first event
    assert [i.index for i in items] == [7, 1, 20]
    records = _records()
    assert list(records) == [B, A, C]
    assert records[A]["httpMethod"] == "POST"
    assert records[A]["status"] == 201
    assert records[A]["latencyMs"] == 87  # completed minus first event
    assert records[A]["integrationLatencyMs"] == 79
    assert records[B]["pathParameters"] == {"customerId": "8812731"}
    # a value holding `, ` stays one value: the next key has no space
    assert records[B]["requestHeaders"]["Accept"] == "application/json, text/plain"
    assert records[C]["status"] == 500
    assert records[C]["messages"] == [
        "Execution failed due to configuration error: Invalid endpoint address"
    ]
    # the raw bytes are the record itself: quarantine replays it as JSON
    raw = _by_id(A)
    suffix, data = replay_format("x", "api").replay(raw, "api")
    assert suffix in (".json", ".jsonl")
    assert orjson.loads(data) == orjson.loads(raw)


def test_a_request_maps_onto_the_canonical_exchange() -> None:
    fields = _fields(_by_id(A))
    expected = {
        "started_at": "2024-09-19T22:17:26.095000Z",
        "time": 87,
        "timings.wait": 79,
        "request.method": "POST",
        "request.scheme": "https",
        "request.host": "api.example.com",
        "request.path": "/customers",
        "request.query.email": "ann.lee@example.com",
        "request.query.api_key": API_KEY,
        "request.headers.content-type": "application/json",
        "request.headers.x-id-token": JWT,
        "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
        "request.content_type": "application/json",
        "request.body.name": "Maria Gonzalez",
        "request.body.password": "Hunter2-Correct-Horse",
        "response.status": 201,
        "response.content_type": "application/json",
        "response.body.token": JWT,
        "aws_execution.requestId": A,
        "aws_execution.endpointRequestBody.email": "ann.lee@example.com",  # parsed JSON
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    # API Gateway's own mask is a value like any other: the policy drops the header
    assert fields["request.headers.authorization"].endswith("abcd")
    assert set(fields["request.headers.authorization"][:-4]) == {"*"}
    # the route template, never its values
    b = _fields(_by_id(B))
    assert b["request.path"] == "/customers/{customerId}"
    assert b["aws_execution.pathParameters.customerId"] == "8812731"
    assert "request.body" not in b  # an empty body is none
    # a form body by its content type
    assert _fields(_by_id(C))["request.form.password"] == "Hunter2-Correct-Horse"


def test_an_unfinished_request_is_emitted_after_the_limit_or_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = FIXTURE.read_bytes().splitlines(keepends=True)
    # without C's last two events, C ends the file unfinished: emitted as it is
    cut = tmp_path / "cut.log"
    cut.write_bytes(b"".join(lines[:-2]))
    records = [orjson.loads(i.data)["aws_execution"] for i in _read(cut)]
    assert [r["requestId"] for r in records] == [B, A, C]
    assert "status" not in records[2]
    assert _fields(orjson.dumps({"aws_execution": records[2]}))["request.method"] == "PUT"
    # with a limit of 5 events, A (first event on line 1) goes out before it completes
    monkeypatch.setattr(apigw_execution, "PENDING_LIMIT", 5)
    items = _read()
    first = orjson.loads(items[0].data)["aws_execution"]
    assert (items[0].index, first["requestId"], "status" in first) == (1, A, False)


def test_a_line_that_is_no_event_is_quarantined_without_its_content(tmp_path: Path) -> None:
    lines = FIXTURE.read_bytes().splitlines(keepends=True)
    bad = tmp_path / "bad.log"
    secret = b"not an event ann.lee@example.com\n"
    no_id = b'{"timestamp": 1, "message": "ann.lee@example.com logged in"}\n'
    bad.write_bytes(b"".join([*lines[:3], secret, no_id, *lines[3:]]))
    items = _read(bad)
    unreadable = [i for i in items if isinstance(i, Unreadable)]
    assert [u.index for u in unreadable] == [4, 5]
    assert all("ann.lee" not in u.error for u in unreadable)
    assert len([i for i in items if isinstance(i, RawRecord)]) == 3


def test_a_request_over_the_record_limit_is_one_quarantined_record() -> None:
    items = _read(limit=400)
    over = [i for i in items if isinstance(i, Unreadable)]
    assert over and all(u.error.startswith("LimitExceeded") for u in over)


def test_text_lines_of_an_s3_export_read_the_same(tmp_path: Path) -> None:
    text = tmp_path / "000000.log"
    out = []
    for line in FIXTURE.read_bytes().splitlines():
        event = orjson.loads(line)
        when = event["timestamp"]
        stamp = f"2024-09-19T22:17:{26 + (when - 1726784246000) // 1000:02d}."
        out.append(f"{stamp}{when % 1000:03d}Z {event['message']}\n")
    text.write_text("".join(out))
    assert detect_format(str(text), text.read_bytes()) == NAME
    records = {
        orjson.loads(i.data)["aws_execution"]["requestId"]: orjson.loads(i.data)["aws_execution"]
        for i in read_file(str(text), 1 << 20)
    }
    assert records[A]["latencyMs"] == 87
    assert records[A]["startedAt"] == 1726784246095


@pytest.mark.parametrize("sniffed", [False, True])
def test_api_logs_minimizes_execution_logs(
    sniffed: bool, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    if sniffed:  # a name that says nothing: recognized by content
        source = tmp_path / "execution-export.log"
        shutil.copy(FIXTURE, source)
        result = batch.run([str(source)], out, api_logs_without_ner)
    else:
        result = batch.run([str(FIXTURE)], out, api_logs_without_ner, format=NAME)
    assert result.audit["records_quarantined"] == 0
    assert result.audit["records_written"] == 3
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    analytics = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(analytics) == 3
    for row in analytics:
        for column in ("method", "route", "status", "latency_ms"):
            assert row[column] is not None, column
    assert sorted(row["status"] for row in analytics) == [200, 201, 500]
    assert scan_tree(out, needles()) == []
