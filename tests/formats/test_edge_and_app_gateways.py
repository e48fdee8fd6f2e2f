"""JSON logs of App Engine, AWS WAF, Tyk, Fastly and Akamai DataStream 2, each recognized by keys
only its records have together and walked into the canonical exchange. Before these readers
their records were generic JSON, of which `api_logs` kept nothing. Fixtures are written from
each vendor's documentation (`cases/gateway/README.md`); the modules' docstrings cite it."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord
from datamin.formats import kind_of, read_file, record_fields
from datamin.formats.exchange import gateways
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from datamin.policies.model import Limits
from tests.formats.gateway_cases import (
    CASES,
    Planted,
    check_summaries,
    jsonl_records,
    needles,
    other_records,
    record_paths,
)

NEW = {
    "gcp_appengine.jsonl": "gcp-appengine",
    "aws_waf.jsonl": "aws-waf",
    "tyk.jsonl": "tyk",
    "fastly.jsonl": "fastly",
    "akamai.jsonl": "akamai-datastream",
}
LOGIN = Planted("USER", "ann.lee")  # App Engine's `nickname`


def _first(name: str, n: int = 0) -> dict[str, Any]:
    return jsonl_records(CASES / name)[n]


def _raw_messages() -> list[Planted]:
    """Tyk's base64 wire messages as they are in the fixture: never to be kept as such."""
    tyk = _first("tyk.jsonl", 1)
    return [Planted("SECRET", tyk["raw_request"]), Planted("SECRET", tyk["raw_response"])]


@pytest.mark.parametrize(("name", "gateway"), NEW.items())
def test_each_record_is_its_gateways_alone(name: str, gateway: str) -> None:
    for record in jsonl_records(CASES / name):
        assert [g.name for g in gateways() if g.matches(record)] == [gateway]
        assert kind_of(record).name == "api"


@pytest.mark.parametrize("gateway", NEW.values())
def test_no_record_of_another_shape_is_claimed(gateway: str) -> None:
    """The other gateways' records, the Azure wrapper's, messages and HAR entries."""
    mine = next(g for g in gateways() if g.name == gateway)
    assert [name for name, record in other_records(NEW) if mine.matches(record)] == []


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        (
            "gcp_appengine.jsonl",
            [
                # `latency` a protobuf Duration, "0.057329s"
                ("GET", "api.example.com", "/v1/customers/8812731", 200, 57.329, 22),
                # `host` with its port
                ("POST", "crm-prod-4411.appspot.com", "/v1/sessions", 401, 1203.417, 23),
            ],
        ),
        (
            "aws_waf.jsonl",
            [
                # WAF logs no latency, and a status only for its own response
                ("GET", "api.example.com", "/v1/customers/8812731", None, None, 22),
                ("POST", "api.example.com", "/v1/sessions", 403, None, 23),  # responseCodeSent
            ],
        ),
        (
            "tyk.jsonl",
            [
                # `request_time` in ms; Tyk's `path`, after its listen path
                ("GET", "api.example.com", "/orders", 200, 57, 22),
                ("POST", "api.example.com", "/v1/sessions", 401, 1203, 23),
            ],
        ),
        (
            "fastly.jsonl",
            [
                # New Relic's default format: `time_elapsed` in µs, no status logged
                ("GET", "api.example.com", "/v1/customers/8812731", None, 57.329, 22),
                ("POST", "api.example.com", "/v1/sessions", 401, 1203.417, 23),
            ],
        ),
        (
            "akamai.jsonl",
            [
                # request end + turnaround + transfer times: 2 + 51 + 4 ms
                ("GET", "api.example.com", "/v1/customers/8812731", 200, 57, 22),
                ("POST", "api.example.com", "/v1/sessions", 401, 13, 23),
            ],
        ),
    ],
)
def test_method_host_route_status_latency_and_hour(name: str, rows: list[tuple[Any, ...]]) -> None:
    check_summaries(name, rows)


@pytest.mark.parametrize(
    ("name", "n", "expected"),
    [
        (
            "gcp_appengine.jsonl",
            0,
            {
                "request.query.email": "ann.lee@example.com",
                "request.query.api_key": None,
                "request.headers.referer": None,
                "request.headers.user-agent": "okhttp/4.12.0",
                "request.http_version": "HTTP/1.1",
                "response.content_size": 934,  # an int64: a string in JSON
                "client.ip": "203.0.113.57",
                # the application's log line, read as prose
                "gcp.protoPayload.line[0].logMessage": None,
                "gcp.protoPayload.appId": "s~crm-prod-4411",
                "gcp.resource.type": "gae_app",
                "gcp.httpRequest.status": 200,
            },
        ),
        ("gcp_appengine.jsonl", 1, {"consumer.name": "ann.lee", "client.ip": "2001:db8::57"}),
        (
            "aws_waf.jsonl",
            0,
            {
                "request.url": "https://api.example.com/v1/customers/8812731",
                "request.query.email": "ann.lee@example.com",  # `args`, the query apart
                "request.headers.authorization": None,
                "request.headers.x-api-key": None,
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.headers.x-request-id": "1-66ec9f36-0a1b2c3d4e5f6a7b8c9d0e1f",
                "client.ip": "203.0.113.57",
                "waf.action": "ALLOW",
                "waf.httpSourceName": "ALB",
                "waf.httpRequest.country": "US",
            },
        ),
        (
            "aws_waf.jsonl",
            1,
            {
                "request.query.password": "Hunter2-Correct-Horse' OR 1=1",
                "waf.terminatingRuleId": "AWS-AWSManagedRulesSQLiRuleSet",
                # the request's fragments a rule matched: never kept, a count only
                "waf.terminatingRuleMatchDetails[0].matchedData": 5,
                "waf.terminatingRuleMatchDetails[0].location": "QUERY_STRING",
            },
        ),
        (
            "tyk.jsonl",
            1,
            {
                # the request line's query, the wire request's headers and body
                "request.query.email": "ann.lee@example.com",
                "request.http_version": "HTTP/1.1",
                "request.headers.authorization": None,
                "request.headers.x-api-key": None,
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.content_type": "application/json",
                "request.body.password": "Hunter2-Correct-Horse",
                "request.body.name": "Maria Gonzalez",
                # the response's, its chunked body joined
                "response.headers.set-cookie": None,
                "response.body.error.contact": "+1 415 555 0142",
                "timings.wait": 1190,  # `latency.upstream`
                "client.ip": "203.0.113.57",
                "consumer.name": "Maria Gonzalez",  # the key's `alias`
                "tyk.api_name": "Sessions",
                "tyk.latency.total": 1203,
            },
        ),
        (
            "fastly.jsonl",
            0,
            {
                "request.scheme": "https",  # `is_tls`
                "request.query.api_key": None,
                "request.headers.referer": None,
                "client.ip": "203.0.113.57",
                "fastly.cache_status": "MISS",
                "fastly.geo_city": "san francisco",
            },
        ),
        (
            "fastly.jsonl",
            1,
            {
                "request.query.access_token": None,
                "request.http_version": "HTTP/2",
                "response.content_size": 112,
                "fastly.fastly_server": "cache-sjc10045-SJC",
            },
        ),
        (
            "akamai.jsonl",
            0,
            {
                "request.scheme": "https",
                "request.query.email": "ann.lee@example.com",
                # URL-encoded as DataStream writes them, decoded once
                "request.headers.user-agent": "okhttp/4.12.0 (Linux; Android 14)",
                "request.headers.referer": "https://app.example.com/account?name=Maria%20Gonzalez&phone=%2B1%20415%20555%200142",
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.headers.x-forwarded-for": "203.0.113.57",
                "response.content_type": "application/json",
                "timings.wait": 51,  # `turnAroundTimeMSec`
                "akamai.cp": "123456",
                "akamai.edgeIP": "23.50.51.173",
            },
        ),
        ("akamai.jsonl", 1, {"request.query.access_token": None, "akamai.customField": None}),
    ],
)
def test_the_record_maps_theserecord_paths(name: str, n: int, expected: dict[str, Any]) -> None:
    fields = record_paths(_first(name, n))
    for path, value in expected.items():
        if value is None:
            assert path in fields, path
        else:
            assert fields.get(path) == value, path


def test_tyk_keeps_no_raw_message_and_reads_mongodb_names() -> None:
    """The base64 messages are decoded, never kept as such; a record as Tyk's MongoDB pump
    stores it (`responsecode`, `rawrequest`, `{"$date": ...}`) reads the same."""
    record = _first("tyk.jsonl", 1)
    fields = record_paths(record)
    assert not any(p.startswith(("tyk.raw_", "tyk.rawre")) for p in fields)
    mongo = {k.replace("_", ""): v for k, v in record.items()}
    mongo["timestamp"] = {"$date": record["timestamp"]}
    assert [g.name for g in gateways() if g.matches(mongo)] == ["tyk"]
    again = record_paths(mongo)
    for path in ("started_at", "request.query.email", "request.body.password", "response.status"):
        assert again[path] == fields[path], path


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("raw", "binary"),
    [
        ("not base64 at all!", "tyk.raw_request"),  # kept as text, it would be the request
        (_b64(b"\x00\x01binary, no HTTP message"), "tyk.raw_request"),
        (_b64(b"hello=world&email=ann.lee%40example.com"), "tyk.raw_request"),  # no request line
        # an HTTP message whose body is compressed: its headers read, the body's size only
        (
            _b64(
                b"POST /v1/x HTTP/1.1\r\nContent-Encoding: gzip\r\n\r\n"
                + gzip.compress(b'{"password": "Hunter2-Correct-Horse"}')
            ),
            "tyk.raw_request.body",
        ),
    ],
)
def test_a_raw_request_that_is_no_http_message_is_never_kept(raw: str, binary: str) -> None:
    record = {**_first("tyk.jsonl", 1), "raw_request": raw}
    found = record_fields(record, Limits())
    assert [f.path for f in found if f.binary] == [binary]
    assert not any(f.value == raw for f in found)
    assert not any(f.path.startswith(("request.body.", "request.form.")) for f in found)


@pytest.mark.parametrize(("name", "gateway"), NEW.items())
def test_format_by_name_vouches_for_its_records(name: str, gateway: str) -> None:
    items = list(read_file(str(CASES / name), 1 << 20, format=gateway))
    assert {i.kind for i in items if isinstance(i, RawRecord)} == {"api"}


def test_api_logs_keeps_hour_method_host_route_and_what_each_logs(
    tmp_path: Path, api_logs_without_ner: Path
) -> None:
    """One run over every new format: each record is written, with hour, method, host and
    route, and status and latency wherever the format logs them; nothing planted is left."""
    out = tmp_path / "out"
    inputs = [str(CASES / name) for name in NEW]
    audit = batch.run(inputs, out, api_logs_without_ner).audit
    assert audit["records_in"] == 10 and audit["records_quarantined"] == 0 and audit["balanced"]
    assert audit["records_written"] == 10
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    rows = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(rows) == 10
    for row in rows:
        for column in ("hour", "method", "route", "host"):
            assert row[column] is not None, column
    assert sum(row["status"] is not None for row in rows) == 8  # WAF's first, Fastly's first
    assert sum(row["latency_ms"] is not None for row in rows) == 8  # not WAF's
    assert scan_tree(out, needles(LOGIN, *_raw_messages())) == []


def test_redact_only_leaves_nothing_planted(tmp_path: Path) -> None:
    """One run of the bundled `redact_only` (its names found by NER) over every new format."""
    out = tmp_path / "out"
    inputs = [str(CASES / name) for name in NEW]
    audit = batch.run(inputs, out, bundled("redact_only")).audit
    assert audit["records_quarantined"] == 0 and audit["balanced"]
    assert audit["records_written"] == 10
    assert scan_tree(out, needles(LOGIN, *_raw_messages())) == []


def test_a_waf_rules_matched_data_is_never_kept() -> None:
    """`matchedData` holds fragments of the request (the password alone, out of its
    `password=` context): a binary field, whatever the policy says."""
    found = record_fields(_first("aws_waf.jsonl", 1), Limits())
    assert [f.path for f in found if f.binary] == ["waf.terminatingRuleMatchDetails[0].matchedData"]
