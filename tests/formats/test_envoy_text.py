"""Envoy's default text access log (and Istio's) read into the paths its JSON form gives, so one
policy applies to both; recognized by its first line, before JSON (its lines open with `[`)."""

from __future__ import annotations

import pytest

from datamin.formats import read_file
from datamin.formats.registry import detect_format, replay_format
from tests.formats.gateway_cases import API_KEY, CASES, line_fields, parsed_line

FIRST = (CASES / "envoy.log").read_bytes().splitlines(keepends=True)[0]


def _lines() -> list[bytes]:
    return (CASES / "envoy.log").read_bytes().splitlines(keepends=True)


def test_the_default_format_maps_these_fields() -> None:
    fields = line_fields(FIRST)
    expected = {
        "started_at": "2024-09-19T22:17:26.095000Z",
        "request.method": "GET",
        "request.host": "api.example.com",  # :authority
        "request.path": "/v1/customers/8812731",
        "request.query.access_token": API_KEY,
        "request.http_version": "HTTP/2",
        "response.status": 200,
        "request.body_size": 0,
        "response.content_size": 934,
        "time": 57,  # %DURATION%, ms
        "timings.wait": 51,  # x-envoy-upstream-service-time
        "request.headers.x-forwarded-for": "203.0.113.57",
        "request.headers.user-agent": "okhttp/4.12.0",
        "request.headers.x-request-id": "5a3f0c1e-7d9b-4e2a-b1c3-8f7e6d5c4b3a",
        "envoy.upstream_host": "10.0.0.12:8080",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    assert "envoy.response_flags" not in fields  # `-`: none
    second = line_fields(_lines()[1])  # no upstream service time: `-`
    assert "timings.wait" not in second and second["response.status"] == 401


def test_a_text_line_and_its_json_form_give_the_same_fields() -> None:
    """Istio's JSON keys for the same operators: the same paths, the same values."""
    import orjson

    record = {
        "start_time": "2024-09-19T22:17:26.095Z",
        "method": "GET",
        "path": f"/v1/customers/8812731?email=ann.lee%40example.com&access_token={API_KEY}",
        "protocol": "HTTP/2",
        "response_code": "200",
        "bytes_received": "0",
        "bytes_sent": "934",
        "duration": "57",
        "upstream_service_time": "51",
        "x_forwarded_for": "203.0.113.57",
        "user_agent": "okhttp/4.12.0",
        "request_id": "5a3f0c1e-7d9b-4e2a-b1c3-8f7e6d5c4b3a",
        "authority": "api.example.com",
        "upstream_host": "10.0.0.12:8080",
    }
    assert line_fields(FIRST) == line_fields(orjson.dumps(record))


def test_istios_format_adds_the_downstream_address_as_the_client() -> None:
    fields = line_fields(_lines()[3])
    expected = {
        "client.ip": "203.0.113.57",  # %DOWNSTREAM_REMOTE_ADDRESS% without its port
        "response.status": 503,
        "time": 3,
        "envoy.response_flags": "UF",
        "envoy.response_code_details": "upstream_reset_before_response_started{connection_failure}",
        "envoy.upstream_cluster": "outbound|8080||crm.default.svc.cluster.local",
        "envoy.route_name": "default",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    assert "timings.wait" not in fields


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        # Envoy's own log (`[%Y-%m-%d %T.%e][%t][%l][%n] %v`)
        (_lines()[2], "not an Envoy access log line"),
        # Envoy does not escape a quote it copies: the line is of no grammar
        (FIRST.replace(b'"okhttp/4.12.0"', b'"ok"http"'), "not an Envoy access log line"),
        (FIRST.replace(b" 200 ", b" 2000 "), "not an Envoy access log line"),
        (FIRST.rstrip(b"\n") + b' "one more"\n', "not an Envoy access log line"),
    ],
)
def test_a_line_of_no_envoy_grammar_is_refused(line: bytes, problem: str) -> None:
    kind, record = parsed_line(line)
    assert kind.problem(record) == problem


def test_a_tcp_proxys_line_and_a_reset_before_a_response() -> None:
    """A TCP proxy logs `"- - -"` and no response code; a client gone before the response, 0."""
    tcp = b'[2024-09-19T22:17:26.095Z] "- - -" 0 - 120 431 9 - "-" "-" "-" "-" "10.0.0.12:5432"\n'
    fields = line_fields(tcp)
    assert "request.method" not in fields and "request.path" not in fields
    assert fields["response.status"] == 0 and fields["time"] == 9


def test_recognized_by_its_first_line_or_after_envoys_own_log() -> None:
    lines = _lines()
    assert detect_format("envoy.log", b"".join(lines)) == "envoy-text"
    assert detect_format("x", lines[2] + lines[0]) == "envoy-text"  # its own log first
    assert detect_format("x", b"[1, 2]\n") == "json"  # JSON arrays stay JSON
    assert detect_format("x", b'[{"a": 1}]') == "json"
    assert detect_format("x", lines[2]) == "json"  # no access log line at all: as before
    items = list(read_file(str(CASES / "envoy.log"), 1 << 20))
    assert [i.kind for i in items] == ["api"] * 4  # type: ignore[union-attr]
    named = list(read_file(str(CASES / "envoy.log"), 1 << 20, format="envoy-text"))
    assert [i.kind for i in named] == ["api"] * 4  # type: ignore[union-attr]


def test_a_quarantined_envoy_line_replays_as_a_log_line() -> None:
    assert replay_format("x.log", "api").replay(FIRST, "api") == (".log", FIRST)
    assert replay_format("x.log", "api").replay(b"[1, 2]", "api")[0] == ".jsonl"
