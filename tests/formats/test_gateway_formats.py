"""API gateway access logs (Kong, AWS API Gateway, Envoy/Istio, nginx JSON, Cloudflare) walked
into the canonical API exchange, the paths a HAR entry has, so `api_logs` applies unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord
from datamin.formats import kind_of, read_file, record_fields
from datamin.formats.exchange import ApiExchange, gateway_of, header_name, started_at
from datamin.leakscan import needles_for, scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from datamin.policies.model import Limits
from tests.formats.gateway_cases import CASES, Planted, needles

# file -> the gateway mapping its records must get
FORMATS = {
    "kong.jsonl": "kong",
    "aws_apigateway.jsonl": "aws-apigateway",
    "envoy.jsonl": "envoy",
    "nginx.jsonl": "nginx-json",
    "cloudflare.jsonl": "cloudflare",
}


def _records(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CASES / name).read_text().splitlines() if line]


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    return {f.path: f.value for f in record_fields(record, Limits())}


@pytest.mark.parametrize(("name", "gateway"), FORMATS.items())
def test_each_format_is_recognized_by_content_and_walked_into_the_canonical_paths(
    name: str, gateway: str
) -> None:
    for record in _records(name):
        assert kind_of(record).name == "api"
        assert gateway_of(record).name == gateway  # type: ignore[union-attr]
        fields = _fields(record)
        for path in ("started_at", "time", "request.method", "request.path", "response.status"):
            assert fields.get(path) is not None, (name, path)
        assert started_at(fields["started_at"]) == fields["started_at"]  # ISO 8601 already
        assert isinstance(fields["time"], int | float)
        assert isinstance(fields["response.status"], int)
        # the fixtures' hosts are all one API's; the query string is parsed the HAR way
        assert fields.get("request.host") in ("api.example.com", None)
        assert not any(p.startswith("request.query") and "@" in p for p in fields)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "kong.jsonl",
            {
                "request.url": "https://api.example.com:8443/v1/customers?email=ann.lee%40example.com",
                "request.query.email": "ann.lee@example.com",
                "request.headers.authorization": None,
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.body.customer.name": "Maria Gonzalez",
                "client.ip": "203.0.113.57",
                "consumer.id": "b3c8e0f6-2f3a-4a6d-9a2b-7c1d0e9f8a71",
                "consumer.name": "ann.lee",
                "kong.route.name": "customers",
                "kong.consumer.custom_id": "cust-8812731",
                "timings.wait": 171,
                "time": 173,
                "started_at": "2024-09-19T22:17:26.095000Z",
            },
        ),
        (
            "aws_apigateway.jsonl",
            {
                "aws.requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "aws.resourcePath": "/customers/{id}",
                "aws.authorizer.claims.email": "ann.lee@example.com",
                "request.headers.user-agent": "okhttp/4.12.0",
                "consumer.id": "8812731",
                "client.ip": "203.0.113.57",
                "response.content_size": 934,
                "timings.wait": 51,
            },
        ),
        (
            "envoy.jsonl",
            {
                "request.headers.x-forwarded-for": "203.0.113.57",
                "request.headers.x-request-id": "5a3f0c1e-7d9b-4e2a-b1c3-8f7e6d5c4b3a",
                "request.http_version": "HTTP/2",
                "client.ip": "203.0.113.57",
                "envoy.upstream_host": "10.0.0.12:8080",
                "envoy.response_flags": "-",
            },
        ),
        (
            "nginx.jsonl",
            {
                "request.headers.authorization": None,
                "request.headers.x-forwarded-for": "203.0.113.57",
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.body.password": "Hunter2-Correct-Horse",
                "request.scheme": "https",
                "time": 57.0,
                "timings.wait": 51.0,
                "nginx.upstream_addr": "10.0.0.12:8080",
            },
        ),
        (
            "cloudflare.jsonl",
            {
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "response.content_type": "application/json",
                "cloudflare.RayID": "8c5f3a1b2d4e6f70",
                "time": 57.0,
            },
        ),
    ],
)
def test_the_first_record_of_each_format_maps_these_fields(
    name: str, expected: dict[str, Any]
) -> None:
    fields = _fields(_records(name)[0])
    for path, value in expected.items():
        if value is None:  # present, its value not spelled here (a credential)
            assert path in fields, path
        else:
            assert fields.get(path) == value, path


def test_headers_as_an_object_or_a_list_and_a_har_entry_give_the_same_paths() -> None:
    kong = _records("kong.jsonl")[0]
    har = {
        "startedDateTime": "2024-09-19T22:17:26.095Z",
        "time": 173,
        "request": {
            "method": "POST",
            "url": kong["request"]["url"],
            "headers": [
                {"name": k.title(), "value": v} for k, v in kong["request"]["headers"].items()
            ],
        },
        "response": {"status": 201, "headers": [], "content": {"size": 934}},
    }
    shared = ("request.host", "request.path", "request.query.email")
    shared += ("request.headers.authorization",)
    kong_fields, har_fields = _fields(kong), _fields(har)
    assert kind_of(har).name == "har"
    for path in shared:
        assert kong_fields[path] == har_fields[path], path


@pytest.mark.parametrize(
    "record",
    [
        # a message: text and a party, no gateway's keys
        {"from": "+14155550142", "to": "+14155550143", "body": "hi", "status": "sent"},
        # any JSON with a status and a request id is not an AWS record without a method
        {"requestId": "r-1", "status": 200, "message": "ok"},
        # a HAR entry (name/value lists, no `latencies`)
        {"request": {"method": "GET", "url": "https://a.example/x", "headers": []}},
        # a job record with a start time and a method name: no response code
        {"start_time": "2024-01-01T00:00:00Z", "method": "fit", "duration": 3},
        # an event with a status and a time but no request
        {"status": "200", "time_iso8601": "2024-01-01T00:00:00Z", "event": "deploy"},
        # a sentence in `request` is not a request line
        {"request": "Get me the report", "status": "ok", "remote_addr": "x"},
        {},
    ],
)
def test_a_record_of_no_gateway_is_not_claimed(record: dict[str, Any]) -> None:
    assert gateway_of(record) is None
    assert kind_of(record).name != "api"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (1726784246095, "2024-09-19T22:17:26.095000Z"),  # Kong, AWS: epoch milliseconds
        (1726784246, "2024-09-19T22:17:26Z"),  # Cloudflare `unix`
        (1726784246095000000, "2024-09-19T22:17:26.095000Z"),  # Cloudflare `unixnano`
        ("1726784246.095", "2024-09-19T22:17:26.095000Z"),  # nginx `$msec`
        ("19/Sep/2024:22:17:26 +0000", "2024-09-19T22:17:26Z"),  # nginx, AWS `requestTime`
        ("19/Sep/2024:15:17:26 -0700", "2024-09-19T22:17:26Z"),
        ("2024-09-19T22:17:26+00:00", "2024-09-19T22:17:26Z"),
        ("-", None),
        ("not a time", None),
        (True, None),
    ],
)
def test_event_times_become_iso_8601(value: Any, iso: str | None) -> None:
    assert started_at(value) == iso


def test_a_format_chosen_by_name_declares_its_records_api_exchanges(tmp_path: Path) -> None:
    items = list(read_file(str(CASES / "kong.jsonl"), 1 << 20, format="kong"))
    assert [i.kind for i in items if isinstance(i, RawRecord)] == ["api", "api"]
    kind = ApiExchange()
    assert kind.problem(kind.parse(items[0].data)) is None  # type: ignore[union-attr]
    # a record that is not one is refused, to be quarantined, not walked as any JSON
    assert kind.problem({"from": "a", "body": "b"}) == "not an API gateway access log record"
    # by content alone the same file is JSON lines whose records are recognized as `api`
    assert all(i.kind is None for i in read_file(str(CASES / "kong.jsonl"), 1 << 20))


@pytest.mark.parametrize("name", FORMATS)
def test_api_logs_minimizes_each_format(
    name: str, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    result = batch.run([str(CASES / name)], out, api_logs_without_ner)
    audit = result.audit
    lines = len(_records(name))
    assert audit["records_quarantined"] == 0
    assert audit["records_written"] == lines
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    analytics = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(analytics) == lines
    for row in analytics:
        for column in ("method", "route", "status", "latency_ms", "hour"):
            assert row[column] is not None, column
        assert "@" not in row["route"]
    assert scan_tree(out, needles()) == []


def test_nginx_remote_user_is_the_consumer_as_a_combined_logs_user() -> None:
    record = {**_records("nginx.jsonl")[0], "remote_user": "ann.lee"}
    fields = _fields(record)
    assert fields["consumer.name"] == "ann.lee" and "nginx.remote_user" not in fields
    assert "consumer.name" not in _fields(_records("nginx.jsonl")[0])  # `-`: nobody


def test_the_consumer_a_caller_signed_in_as_is_a_persons_name_field() -> None:
    """A login names a person as often as an app: `redact_only` scans it as a name field
    (fail closed) where `api_logs` pseudonymizes it; the consumer's id stays protocol."""
    from datamin.redactors.context import FieldContext, FieldKind
    from datamin.redactors.engine import DetectionEngine

    record = {**_records("nginx.jsonl")[0], "remote_user": "ann.lee"}
    kinds = {f.path: f.kind for f in record_fields(record, Limits())}
    assert kinds["consumer.name"] is FieldKind.JSON
    engine = DetectionEngine(ner_model=None)
    found = engine.detect("ann.lee", FieldContext.of("consumer.name", FieldKind.JSON))
    assert [f.entity for f in found] == ["PERSON"]


@pytest.mark.parametrize("name", ["kong.jsonl", "har"])
def test_a_urls_user_and_password_are_fields_of_their_own(name: str) -> None:
    """`admin:secret` under one name that says neither was kept whole; the password under its
    own name is a password whatever it looks like."""
    from datamin.redactors.context import FieldContext
    from datamin.redactors.engine import DetectionEngine

    url = "https://admin:hostilePw7781@db.example.com/x"
    if name == "har":
        record = {
            "startedDateTime": "2024-09-19T22:17:26.095Z",
            "request": {"method": "GET", "url": url, "headers": []},
            "response": {"status": 200, "headers": []},
        }
    else:
        record = _records(name)[0]
        record = {**record, "request": {**record["request"], "url": url}}
    fields = {f.path: f for f in record_fields(record, Limits())}
    assert fields["request.userinfo"].value == "admin"
    password = fields["request.password"]
    assert password.value == "hostilePw7781"
    found = DetectionEngine(ner_model=None).detect(
        password.value, FieldContext.of(password.path, password.kind)
    )
    assert [(f.entity, f.start, f.end) for f in found if f.score >= 0.5] == [("PASSWORD", 0, 13)]
    # Elsewhere only in the URL, where the credentials detector reads userinfo as such.
    holding = {p for p, f in fields.items() if "hostilePw7781" in str(f.value)}
    assert holding == {"request.url", "request.password"}


def test_a_cookie_header_logged_as_a_list_gives_each_cookie_its_own_name() -> None:
    """HTTP/2 sends a cookie a header, which Kong logs as a list: joined as HTTP/2 joins them
    (`; `), each cookie is a field under its own name. Joined with `, ` the session cookie was
    part of `theme`'s value, judged as `theme`, and kept (a gateway review)."""
    kong = _records("kong.jsonl")[0]
    headers = {**kong["request"]["headers"], "cookie": ["theme=dark", "JSESSIONID=A1b2C3d4"]}
    fields = _fields({**kong, "request": {**kong["request"], "headers": headers}})
    assert fields["request.headers.cookie"] == "theme=dark; JSESSIONID=A1b2C3d4"
    assert fields["request.cookies.theme"] == "dark"
    assert fields["request.cookies.JSESSIONID"] == "A1b2C3d4"
    # ... and a value joined with `, ` by whatever logged it splits the same way
    headers = {**kong["request"]["headers"], "cookie": "theme=dark, JSESSIONID=A1b2C3d4"}
    fields = _fields({**kong, "request": {**kong["request"], "headers": headers}})
    assert fields["request.cookies.theme"] == "dark"
    assert fields["request.cookies.JSESSIONID"] == "A1b2C3d4"
    # other repeated headers keep HTTP's `, `
    headers = {**kong["request"]["headers"], "accept": ["application/json", "text/plain"]}
    fields = _fields({**kong, "request": {**kong["request"], "headers": headers}})
    assert fields["request.headers.accept"] == "application/json, text/plain"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Content-Type", "content-type"),
        ("X-Request-ID", "x-request-id"),
        ("Sec-WebSocket-Key", "sec-websocket-key"),
        # no header has these names: kept as written, so a key as data is judged with its case
        ("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("Maria Lopez-Garcia", "Maria Lopez-Garcia"),
    ],
)
def test_a_header_name_is_lower_cased_only_when_it_is_one(name: str, stored: str) -> None:
    assert header_name(name) == stored


def test_a_long_header_name_is_judged_in_linear_time() -> None:
    import time

    started = time.perf_counter()
    assert header_name("a" * 100_000) == "a" * 100_000
    assert time.perf_counter() - started < 1.0  # a backtracking search took 41 s


def test_a_secret_or_a_name_sent_as_a_header_name_is_not_stored(tmp_path: Path) -> None:
    entry = {
        "startedDateTime": "2024-09-19T22:17:26Z",
        "time": 5,
        "request": {
            "method": "GET",
            "url": "https://api.example.com/v1/a",
            "headers": [
                {"name": "AKIAIOSFODNN7EXAMPLE", "value": "1"},
                {"name": "Maria Lopez-Garcia", "value": "2"},
            ],
        },
        "response": {"status": 200, "headers": []},
    }
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(entry) + "\n")
    batch.run([str(source)], tmp_path / "out", bundled("redact_only"))
    planted = [Planted("API_KEY", "AKIAIOSFODNN7EXAMPLE"), Planted("PERSON", "Maria Lopez-Garcia")]
    assert scan_tree(tmp_path / "out", needles_for(planted)) == []
