"""JSON access logs of cloud load balancers and proxies (Google Cloud Logging's request entries,
Caddy, Traefik, Azure Application Gateway, Front Door and API Management): each recognized by
keys only its records have together, and walked into the canonical exchange with its latency in
ms. Before these readers their records were generic JSON, and `api_logs` kept nothing of
them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord
from datamin.formats import kind_of, read_file
from datamin.formats.exchange import gateway_of, gateways
from datamin.formats.gcplogging import duration_ms
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from tests.formats.gateway_cases import (
    CASES,
    Planted,
    check_summaries,
    jsonl_records,
    needles,
    other_records,
    record_paths,
)

# file -> its gateway
NEW = {
    "gcp.jsonl": "gcp-logging",
    "caddy.jsonl": "caddy",
    "traefik.jsonl": "traefik",
    "azure_appgw.jsonl": "azure-appgw",
    "azure_frontdoor.jsonl": "azure-frontdoor",
    "azure_apim.jsonl": "azure-apim",
}
LOGIN = Planted("USER", "ann.lee")  # Caddy's `user_id`, Traefik's `ClientUsername`


@pytest.mark.parametrize(("name", "gateway"), NEW.items())
def test_each_record_is_its_gateways_alone(name: str, gateway: str) -> None:
    for record in jsonl_records(CASES / name):
        assert [g.name for g in gateways() if g.matches(record)] == [gateway]
        assert kind_of(record).name == "api"


@pytest.mark.parametrize("gateway", NEW.values())
def test_no_record_of_another_shape_is_claimed(gateway: str) -> None:
    """The other gateways' records, messages and HAR entries are not this gateway's."""
    mine = next(g for g in gateways() if g.name == gateway)
    # (The Azure wrapper's records are its own gateways' again: left out for those.)
    others = other_records(NEW)
    if gateway.startswith("azure-"):
        others = [(name, r) for name, r in others if name != "azure_records.json"]
    claimed = [name for name, record in others if mine.matches(record)]
    assert claimed == []


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        (
            "gcp.jsonl",
            [
                # a load balancer's entry: latency "0.057329s"
                ("GET", "api.example.com", "/v1/customers/8812731", 200, 57.329, 22),
                # Cloud Run's, latency as a Duration object {seconds, nanos}
                ("POST", "api.example.com", "/v1/sessions", 401, 1203.417, 22),
                # Cloud Endpoints' ESP, its request in `jsonPayload` (ms), no host
                ("GET", None, "/v1/orders/8812731", 200, 40, 22),
            ],
        ),
        (
            "caddy.jsonl",
            [
                # `duration_format seconds` (the default): a float, 0.057329123 s
                ("POST", "api.example.com", "/v1/customers", 201, 57.329123, 22),
                # `duration_format nano`: an integer, 40123456 ns; `ts` in RFC 3339
                ("GET", "api.example.com", "/v1/orders/8812731", 200, 40.123456, 22),
            ],
        ),
        (
            "traefik.jsonl",
            [
                # `Duration` in nanoseconds: 57342000
                ("GET", "api.example.com", "/v1/customers", 200, 57.342, 22),
                ("POST", "api.example.com", "/v1/sessions", 401, 1.203417, 22),
            ],
        ),
        (
            "azure_appgw.jsonl",
            [
                # v2: `timeTaken` 0.057 s
                ("POST", "api.example.com", "/v1/customers", 201, 57.0, 22),
                # v1 (its own parameters in `requestQuery`): `timeTaken` 40 ms; the client's
                # host is `originalHost`, `host` the backend's
                ("GET", "api.example.com", "/v1/orders/8812731", 200, 40, 22),
            ],
        ),
        (
            "azure_frontdoor.jsonl",
            [
                # Standard/Premium, `timeTaken` "0.057" s
                ("GET", "api.example.com", "/v1/customers/8812731", 200, 57.0, 22),
                # classic Front Door, "0.012" s
                ("POST", "api.example.com", "/v1/sessions", 401, 12.0, 22),
            ],
        ),
        (
            "azure_apim.jsonl",
            [
                # `durationMs`
                ("POST", "api.example.com", "/sales/v1/customers", 201, 57, 22),
                ("GET", "api.example.com", "/sales/v1/orders/8812731", 401, 12, 22),
            ],
        ),
    ],
)
def test_method_host_route_status_latency_and_hour(name: str, rows: list[tuple[Any, ...]]) -> None:
    check_summaries(name, rows)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "gcp.jsonl",
            {
                "request.query.email": "ann.lee@example.com",
                "request.headers.user-agent": "okhttp/4.12.0",
                "request.headers.referer": None,
                "request.http_version": "HTTP/1.1",
                "request.body_size": 412,
                "response.content_size": 934,
                "client.ip": "203.0.113.57",  # `remoteIp` without its port
                "gcp.httpRequest.serverIp": "10.0.0.12",
                "gcp.httpRequest.cacheHit": False,
                "gcp.resource.type": "http_load_balancer",
                "gcp.trace": None,
            },
        ),
        (
            "caddy.jsonl",
            {
                "request.scheme": "https",  # a `tls` object: the request came over TLS
                "request.headers.authorization": None,
                "request.headers.cookie": "theme=dark; session=s3cr3t-Sess10n-Valu3-77aa",
                "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
                "request.content_type": "application/json",
                "request.body_size": 412,
                "response.headers.set-cookie": None,
                "response.content_type": "application/json",
                "response.content_size": 934,
                "client.ip": "203.0.113.57",  # `client_ip`, not the proxy's `remote_ip`
                "caddy.request.remote_ip": "10.0.0.5",
                "consumer.name": "ann.lee",
                "caddy.request.tls.server_name": "api.example.com",
                "caddy.logger": "http.log.access.log0",
            },
        ),
        (
            "traefik.jsonl",
            {
                "request.query.email": "ann.lee@example.com",
                "request.headers.authorization": None,
                "request.cookies.connect%2Esid": "s3cr3t-Sess10n-Valu3-77aa",
                "request.headers.user-agent": "curl/8.5.0",
                "response.headers.set-cookie": None,
                "response.content_type": "application/json",
                "traefik.origin.headers.set-cookie": None,
                "timings.wait": 51.234,  # `OriginDuration` in ns
                "client.ip": "203.0.113.57",
                "traefik.RouterName": "customers@docker",
                "traefik.OriginStatus": 200,
            },
        ),
        (
            "azure_appgw.jsonl",
            {
                "request.query.email": "ann.lee@example.com",
                "request.headers.user-agent": "okhttp/4.12.0",
                "request.headers.x-request-id": "592d1649f75a8d480a3c4dc6a975309d",
                "request.body_size": 412,
                "response.content_size": 934,
                "response.content_type": "application/json",
                "timings.wait": 51.0,  # `serverResponseLatency` in s
                "client.ip": "203.0.113.57",
                "azure.properties.serverRouted": "10.0.0.12:443",
                "azure.listenerName": "https-listener",
                "azure.category": "ApplicationGatewayAccessLog",
            },
        ),
        (
            "azure_frontdoor.jsonl",
            {
                "request.url": "https://api.example.com:443/v1/customers/8812731?email=ann.lee%40example.com",
                "request.query.email": "ann.lee@example.com",
                "request.headers.referer": None,
                "request.headers.x-request-id": "20240919T221726Z-r1a2b3c4d5e6f7g8h9k0m1n2p3",
                "request.body_size": 512,
                "response.content_size": 934,
                "timings.wait": 51.0,  # `timeToFirstByte` in s
                "client.ip": "203.0.113.57",
                "azure.properties.originUrl": None,
                "azure.properties.pop": "SEA",
            },
        ),
        (
            "azure_apim.jsonl",
            {
                "request.query.email": "ann.lee@example.com",
                "request.headers.authorization": None,
                "request.headers.ocp-apim-subscription-key": None,
                "request.headers.x-request-id": "7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f",
                "request.content_type": "application/json",
                "request.body.customer.name": "Maria Gonzalez",
                "request.body.password": "Hunter2-Correct-Horse",
                "response.headers.set-cookie": None,
                "timings.wait": 51,  # `backendTime` in ms
                "client.ip": "203.0.113.57",  # `callerIpAddress`
                "consumer.id": "1",  # `userId`: the user entity the subscription is for
                "azure.properties.backendUrl": None,
                "azure.properties.apimSubscriptionId": "crm-mobile-app",
                "azure.properties.backendRequestHeaders.Authorization": None,
            },
        ),
    ],
)
def test_the_first_record_maps_theserecord_paths(name: str, expected: dict[str, Any]) -> None:
    fields = record_paths(jsonl_records(CASES / name)[0])
    for path, value in expected.items():
        if value is None:
            assert path in fields, path
        else:
            assert fields.get(path) == value, path


def test_an_endpoints_api_key_stays_under_its_own_name() -> None:
    """ESP logs the caller's API key in `jsonPayload.api_key`: kept under `gcp.` by its name,
    for the credential detector to judge and `api_logs` to drop."""
    fields = record_paths(jsonl_records(CASES / "gcp.jsonl")[2])
    assert fields["gcp.jsonPayload.api_key"] == "gwk_live_7Qx9PlantedApiKey4411"
    assert "gcp.jsonPayload.http_method" not in fields  # mapped, not repeated


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("0.057s", 57.0),  # a Duration in JSON: seconds with an `s`
        ("3s", 3000.0),
        ("0.000012345s", 0.012),
        ({"seconds": "1", "nanos": 203417000}, 1203.417),  # its object form
        ({"nanos": 5000000}, 5.0),
        (57, None),  # a bare number says no unit: not guessed
        ("57ms", None),  # not a protobuf Duration
        ("", None),
    ],
)
def test_a_gcp_latency_is_a_protobuf_duration(value: Any, ms: float | None) -> None:
    assert duration_ms(value) == ms


def test_an_http_request_object_of_another_meaning_is_not_a_log_entry() -> None:
    gcp = next(g for g in gateways() if g.name == "gcp-logging")
    # a method without a URL or a status; an ESP payload outside a LogEntry
    assert not gcp.matches({"httpRequest": {"requestMethod": "GET"}})
    assert not gcp.matches({"jsonPayload": {"http_method": "GET", "http_response_code": 200}})
    assert gateway_of({"httpRequest": "GET /", "status": 200}) is None


@pytest.mark.parametrize(("name", "gateway"), NEW.items())
def test_format_by_name_vouches_for_itsjsonl_records(name: str, gateway: str) -> None:
    items = list(read_file(str(CASES / name), 1 << 20, format=gateway))
    assert {i.kind for i in items if isinstance(i, RawRecord)} == {"api"}


@pytest.mark.parametrize("name", NEW)
def test_api_logs_keeps_hour_method_host_route_status_latency(
    name: str, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    audit = batch.run([str(CASES / name)], out, api_logs_without_ner).audit
    lines = len(jsonl_records(CASES / name))
    assert audit["records_quarantined"] == 0 and audit["records_written"] == lines
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    rows = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(rows) == lines
    for row in rows:
        for column in ("hour", "method", "route", "status", "latency_ms"):
            assert row[column] is not None, (name, column)
    assert any(row["host"] == "api.example.com" for row in rows)
    assert scan_tree(out, needles(LOGIN)) == []


def test_redact_only_leaves_nothing_planted(tmp_path: Path) -> None:
    """One run of the bundled `redact_only` (its names found by NER) over every new format."""
    from datamin.policies import bundled

    out = tmp_path / "out"
    inputs = [str(CASES / name) for name in NEW]
    audit = batch.run(inputs, out, bundled("redact_only")).audit
    assert audit["records_quarantined"] == 0 and audit["balanced"]
    assert audit["records_written"] == sum(len(jsonl_records(CASES / n)) for n in NEW)
    assert scan_tree(out, needles(LOGIN)) == []


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        (0.057329123, 57.329123),  # `duration_format seconds`, the default: a float
        (40123456, 40.123456),  # `nano`: an integer of nanoseconds
        (0, 0.0),
        ("6.31ms", 6.31),  # `string`: Go's Duration.String()
        ("1m32.05s", 92050.0),
        ("850µs", 0.85),
        ("1h0m0.5s", 3600500.0),
        ("12ns", 0.000012),
        ("fast", None),
        ("", None),
        (True, None),
        (None, None),
    ],
)
def test_a_caddy_duration_in_each_duration_format(value: Any, ms: float | None) -> None:
    from datamin.formats.caddy import duration_ms as caddy_ms

    assert caddy_ms(value) == (pytest.approx(ms) if ms is not None else None)


def test_an_application_gateway_record_of_no_known_sku_gets_no_latency() -> None:
    """`timeTaken` is seconds on v2 and milliseconds on v1: a record with neither's marks is
    given no latency rather than one a thousand times off; its `timeTaken` stays under
    `azure.`."""
    v2 = jsonl_records(CASES / "azure_appgw.jsonl")[0]
    props = {k: v2["properties"][k] for k in ("httpMethod", "requestUri", "httpStatus")}
    fields = record_paths({**v2, "properties": {**props, "timeTaken": 0.057}})
    assert "time" not in fields and fields["azure.properties.timeTaken"] == 0.057
    assert fields["response.status"] == 201
    # v1's own parameters are not the client's query
    v1 = record_paths(jsonl_records(CASES / "azure_appgw.jsonl")[1])
    assert [p for p in v1 if p.startswith("request.query.")] == ["request.query.apikey"]
    assert v1["azure.gateway.SERVER-ROUTED"] == "10.0.0.13"


def test_traefik_gives_no_origin_wait_when_no_origin_answered() -> None:
    """`OriginStatus` 0: a middleware answered (here, a 401); its `OriginDuration` 0 is no
    origin's time."""
    fields = record_paths(jsonl_records(CASES / "traefik.jsonl")[1])
    assert fields["response.status"] == 401 and "timings.wait" not in fields
    assert fields["consumer.name"] == "ann.lee"  # `ClientUsername`, `-` being nobody
    assert "consumer.name" not in record_paths(jsonl_records(CASES / "traefik.jsonl")[0])
    assert fields["client.ip"] == "2001:db8::57"
    assert not any("RequestLine" in p for p in fields)  # its parts say it, its query with it
