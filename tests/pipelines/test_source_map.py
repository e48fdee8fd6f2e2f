"""A JSON access log of a team's own shape, mapped by its policy (`source.map`) onto the canonical
API exchange: its records become `api` records, so `api_logs`' rules apply to them unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from pydantic import ValidationError

from datamin.formats import record_fields
from datamin.formats.mapped import MappedExchange
from datamin.leakscan import needles_for, scan_tree
from datamin.pipelines import batch
from datamin.policies.loader import load_policy
from datamin.policies.model import Limits, Source

PLANTED = Path(__file__).parent / "cases" / "planted.json"
P = {p["entity"]: p["value"] for p in json.loads(PLANTED.read_text())}

# An in-house gateway's log line: nothing in it is where any known format keeps it.
INHOUSE: dict[str, Any] = {
    "ts": "2024-09-19T22:17:26Z",
    "req": {
        "verb": "POST",
        "target": "/v2/customers/8812731/notes",
        "args": "email=" + P["EMAIL_ADDRESS"].replace("@", "%40"),
        "hdrs": {
            "Host": "api.example.com",
            "Authorization": "Bearer " + P["JWT"],
            "Cookie": "session=" + P["SESSION_ID"],
            "Content-Type": "application/json",
        },
        "payload": json.dumps(
            {
                "customer": {"name": P["PERSON"], "email": P["EMAIL_ADDRESS"]},
                "password": P["PASSWORD"],
            }
        ),
    },
    "res": {"code": "201", "dur_ms": 12.5},
    "peer": {"addr": P["IP_ADDRESS"]},
    "trace": {"id": "t-1", "caller": P["PHONE_NUMBER"]},  # unmapped: `raw.trace.*`, dropped
}

POLICY = """\
version: 1
extends: bundled:api_logs
name: inhouse_api
detection: {ner: false}
source:
  format: json
  map:
    method: req.verb
    path: req.target
    query: req.args
    host: req.hdrs.Host
    request_headers: req.hdrs
    request_body: req.payload
    status: res.code
    latency_ms: res.dur_ms
    started_at: ts
    client_ip: peer.addr
"""


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "inhouse.yaml"
    path.write_text(POLICY)
    return path


def _fields(policy: Path, record: dict[str, Any]) -> dict[str, Any]:
    source = load_policy(policy).policy.source
    assert source is not None
    return {f.path: f.value for f in record_fields(record, Limits(), MappedExchange(source))}


def test_mapped_paths_become_the_canonical_ones_and_the_rest_stays_under_raw(
    policy: Path,
) -> None:
    fields = _fields(policy, INHOUSE)
    assert fields["request.method"] == "POST"
    assert fields["request.path"] == "/v2/customers/8812731/notes"
    assert fields["request.host"] == "api.example.com"
    assert fields["request.query.email"] == P["EMAIL_ADDRESS"]  # the query string, parsed
    assert fields["request.headers.authorization"] == "Bearer " + P["JWT"]
    assert fields["request.cookies.session"] == P["SESSION_ID"]
    assert fields["request.body.customer.email"] == P["EMAIL_ADDRESS"]
    assert fields["response.status"] == 201  # "201": a number, as every format gives it
    assert fields["time"] == 12.5
    assert fields["started_at"] == "2024-09-19T22:17:26Z"
    assert fields["client.ip"] == P["IP_ADDRESS"]
    # what no mapping took, and only that, under `raw.`
    assert {p for p in fields if p.startswith("raw.")} == {"raw.trace.id", "raw.trace.caller"}


def test_a_url_mapped_whole_and_headers_as_a_list() -> None:
    source = Source.model_validate(
        {"map": {"method": "m", "url": "u", "request_headers": "h"}, "prefix": "mine"}
    )
    record = {
        "m": "GET",
        "u": "https://api.example.com/v1/x?id=3",
        "h": [{"name": "X-A", "value": "1"}],
        "k": 1,
    }
    fields = {f.path: f.value for f in record_fields(record, Limits(), MappedExchange(source))}
    assert fields["request.query.id"] == "3"
    assert fields["request.headers.x-a"] == "1"
    assert fields["mine.k"] == 1
    # a record without the mapped method is no mapped record
    assert not MappedExchange(source).matches({"u": "https://api.example.com/"})


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"url": "u"}, "method"),  # the method is what makes a record one of these
        ({"method": "m", "url": "u", "path": "p"}, "not both"),
        ({"method": "m", "latency_ms": "a", "latency_seconds": "b"}, "not both"),
        ({"method": "m..x"}, "pattern"),  # an empty key in a dotted path
        ({"method": "m", "verb": "v"}, "Extra inputs"),  # a typo is an error
    ],
)
def test_a_bad_mapping_is_refused(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Source.model_validate({"format": "json", "map": mapping})


def test_api_logs_applies_to_the_mapped_log(policy: Path, tmp_path: Path) -> None:
    second = {**INHOUSE, "req": {**INHOUSE["req"], "verb": "GET", "target": "/v2/orders"}}
    second["res"] = {"code": 404, "dur_ms": 3}
    inputs = tmp_path / "inhouse.log"  # neither the name nor the content says a format
    inputs.write_text("".join(json.dumps(r) + "\n" for r in (INHOUSE, second)))
    out = tmp_path / "out"
    audit = batch.run([str(inputs)], out, policy).audit
    assert (audit["records_written"], audit["records_quarantined"]) == (2, 0)
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    rows = table.filter(ds.field("retention") == "analytics").to_pylist()
    got = sorted((r["method"], r["route"], r["status"], r["latency_ms"]) for r in rows)
    assert got == [("GET", "/v2/orders", 404, 3.0), ("POST", "/v2/customers/{id}/notes", 201, 12.5)]
    assert all(r["customer"] and r["customer"] != P["EMAIL_ADDRESS"] for r in rows)
    planted = [type("P", (), {"entity": e, "value": v})() for e, v in P.items()]
    assert scan_tree(out, needles_for(planted)) == []
