"""Text access logs (NCSA combined/common as Apache and nginx write them, AWS ALB) parsed by
their documented grammar and walked into the canonical API exchange, so `api_logs` applies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from datamin.core.records import RawRecord
from datamin.formats import read_file
from datamin.formats.registry import detect_format, replay_format
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from tests.formats.gateway_cases import API_KEY, CASES, Planted, line_fields, needles, parsed_line

# unread lines
BAD = {"combined.log": [3], "alb.log": [3], "elb.log": [3], "haproxy.log": [3]}
BAD |= {"nginx_main.log": [3], "combined_variants.log": [3], "traefik.log": [3]}
BAD |= {"ingress_nginx.log": [3], "envoy.log": [3]}
BAD |= {"syslog_nginx.log": [3], "heroku.log": [3], "s3.log": [3]}


def _lines(name: str) -> list[bytes]:
    return (CASES / name).read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("combined.log", "combined"),
        ("alb.log", "alb"),
        ("elb.log", "elb"),
        ("haproxy.log", "haproxy"),
        # combined with fields after it: nginx's stock `main`, Apache's, Traefik's, ingress-nginx's
        ("nginx_main.log", "combined"),
        ("combined_variants.log", "combined"),
        ("traefik.log", "combined"),
        ("ingress_nginx.log", "combined"),
        ("envoy.log", "envoy-text"),  # sniffed before JSON: its lines open with `[`
        # behind a syslog relay's header (RFC 3164, RFC 5424, an ISO time): read as the line
        ("syslog_nginx.log", "combined"),
        ("heroku.log", "logfmt"),
        ("s3.log", "s3"),
    ],
)
def test_each_file_is_recognized_by_its_first_line(name: str, fmt: str) -> None:
    assert detect_format(str(CASES / name), (CASES / name).read_bytes()) == fmt
    # the same name of a file of JSON lines is still JSON lines: `.log` says nothing
    nginx = (CASES / "nginx.jsonl").read_bytes()
    assert detect_format("access.log", nginx) == "jsonl"
    items = list(read_file(str(CASES / name), 1 << 20))
    assert [i.index for i in items] == list(range(1, len(_lines(name)) + 1))
    assert all(isinstance(i, RawRecord) and i.kind == "api" for i in items)


def test_the_first_combined_line_maps_these_fields() -> None:
    fields = line_fields(_lines("combined.log")[0])
    assert fields == {
        "started_at": "2024-09-19T22:17:26Z",
        "client.ip": "203.0.113.57",
        "consumer.name": "ann.lee",  # %u, an identity: a policy may pseudonymize it
        "request.method": "GET",
        "request.url": f"/v1/customers?email=ann.lee%40example.com&access_token={API_KEY}",
        "request.path": "/v1/customers",
        "request.query.email": "ann.lee@example.com",
        "request.query.access_token": API_KEY,
        "request.http_version": "HTTP/1.1",
        "response.status": 200,
        "response.content_size": 934,
        "request.headers.referer": (
            "https://app.example.com/account?name=Maria%20Gonzalez&phone=%2B1%20415%20555%200142"
        ),
        # nginx writes a quote in a field as \x22
        "request.headers.user-agent": 'Mozilla/5.0 (X11; Linux x86_64) "quoted"',
    }
    # combined has no latency field: `time` is never there
    assert all(
        "time" not in line_fields(line)
        for i, line in enumerate(_lines("combined.log"), 1)
        if i not in BAD["combined.log"]
    )


def test_the_first_alb_line_maps_these_fields() -> None:
    fields = line_fields(_lines("alb.log")[0])
    expected = {
        "started_at": "2024-09-19T22:17:26.095000Z",  # request_creation_time
        "time": 52.0,  # the three processing times, in ms
        "timings.wait": 51.0,  # target_processing_time
        "client.ip": "203.0.113.57",
        "request.method": "POST",
        "request.scheme": "https",
        "request.host": "api.example.com",
        "request.path": "/v1/customers",
        "request.query.email": "ann.lee@example.com",
        "response.status": 201,
        "request.body_size": 412,
        "response.content_size": 934,
        "request.headers.user-agent": "okhttp/4.12.0",
        "request.headers.x-amzn-trace-id": "Root=1-58337262-36d228ad5d99923122bbe354",
        "alb.target": "10.0.0.12:8080",
        "alb.target_status_code": "201",
        "alb.domain_name": "api.example.com",
        "alb.matched_rule_priority": "1",
        "alb.actions_executed": "forward",
        "alb.conn_trace_id": "TID_1234abcd5678ef90",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    assert "alb.redirect_url" not in fields  # `-` is no value
    # a line ending at domain_name (the later fields are optional) has its time from `time`
    second = line_fields(_lines("alb.log")[1])
    assert second["started_at"] == "2024-09-19T22:17:27.186641Z"
    assert second["request.query.session"]


def test_a_classic_load_balancer_line_maps_as_an_albs() -> None:
    fields = line_fields(_lines("elb.log")[0])
    expected = {
        "started_at": "2024-09-19T22:17:26.095000Z",
        "time": 51.178,  # the three processing times, in ms
        "timings.wait": 51.048,  # the backend's
        "request.host": "api.example.com",
        "request.query.email": "ann.lee@example.com",
        "response.status": 200,
        "elb.backend": "10.0.0.12:8080",  # its own names, under its own prefix
        "elb.backend_status_code": "200",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    unsent = line_fields(_lines("elb.log")[3])  # never reached a backend: -1 times, no latency
    assert unsent["response.status"] == 504 and "time" not in unsent


def test_the_first_haproxy_line_maps_these_fields() -> None:
    fields = line_fields(_lines("haproxy.log")[0])
    expected = {
        "started_at": "2024-09-19T22:17:26Z",  # the accept date, which has no zone: UTC
        "time": 52.0,  # Ta
        "timings.wait": 51.0,  # Tr
        "client.ip": "203.0.113.57",
        "request.method": "GET",
        "request.path": "/v1/customers",
        "request.query.email": "ann.lee@example.com",
        "response.status": 200,
        "response.content_size": 934,
        "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",  # a captured cookie
        # captured headers, whose names only the configuration knows: judged by content
        "haproxy.request_headers[2]": "ann.lee@example.com",
        "haproxy.backend": "be_api",
        "haproxy.termination": "----",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    # logged raw (no syslog header), and a request HAProxy could not parse
    assert line_fields(_lines("haproxy.log")[1])["request.method"] == "POST"
    impossible = _lines("haproxy.log")[1].replace(b"19/Sep/2024", b"31/Feb/2024")
    assert "started_at" not in line_fields(impossible)  # a date no calendar has is no time
    refused = line_fields(_lines("haproxy.log")[3])
    assert refused["response.status"] == 400 and "request.method" not in refused
    assert "time" in refused and "timings.wait" not in refused  # Tr is -1: no response


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        # starts like no grammar: said so, not taken for a broken combined line
        (b"this line is not an access log line\n", "not a line of a known access log format"),
        # a request line cut short: the quote is never closed
        (b'1.2.3.4 - - [19/Sep/2024:15:17:26 -0700] "GET /a 200 1\n', "not a combined log line"),
        # status is three digits
        (
            b'1.2.3.4 - - [19/Sep/2024:15:17:26 -0700] "GET / HTTP/1.1" 20 1\n',
            "not a combined log line",
        ),
        (b"https 2024-09-19T22:17:28Z not enough fields\n", "not an ALB access log line"),
        (b"Sep 19 22:17:28 lb1 haproxy[2231]: Proxy fe started.\n", "not an HAProxy log line"),
        (b"2024-09-19T22:17:28Z lb too few\n", "not a Classic Load Balancer access log line"),
    ],
)
def test_a_line_of_no_grammar_is_refused_without_its_content(line: bytes, problem: str) -> None:
    kind, record = parsed_line(line)
    assert kind.problem(record) == problem


@pytest.mark.parametrize(
    ("line", "paths"),
    [
        # common: no referer, no user agent
        (
            b'1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326\n',
            {"consumer.name": "bob", "request.path": "/a.gif", "response.status": 200},
        ),
        # Apache escapes a quote as \" and a backslash as \\
        (
            b'1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" '
            b'"a \\"b\\" \\\\c"',
            {"request.headers.user-agent": 'a "b" \\c'},
        ),
        # a TLS handshake sent to a plain port: no request line, no method
        (
            b'1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "\\x16\\x03\\x01" 400 157 "-" "-"\n',
            {"response.status": 400, "request.method": None},
        ),
        # nginx's escape of a non-ASCII character, byte by byte
        (
            b'1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "caf\\xC3\\xA9"',
            {"request.headers.user-agent": "caf\u00e9"},
        ),
    ],
)
def test_combined_variants(line: bytes, paths: dict[str, Any]) -> None:
    fields = line_fields(line)
    for path, value in paths.items():
        assert fields.get(path) == value, path


def test_the_api_kind_still_reads_json_gateway_records() -> None:
    nginx = (CASES / "nginx.jsonl").read_bytes().splitlines()[0]
    assert line_fields(nginx)["request.method"] == "POST"


def test_a_quarantined_line_replays_as_a_log_line_and_json_as_json() -> None:
    line = _lines("combined.log")[2]
    assert replay_format("x.log", "api").replay(line, "api") == (".log", line)
    nginx = (CASES / "nginx.jsonl").read_bytes().splitlines()[0]
    assert replay_format("x.jsonl", "api").replay(nginx, "api") == (".jsonl", nginx)


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        # combined has no latency field: latency_ms stays null there
        ("combined.log", ("method", "route", "status", "hour")),
        ("alb.log", ("method", "route", "status", "latency_ms", "hour")),
        ("elb.log", ("method", "route", "status", "hour")),
        # HAProxy logs a request it could not parse (`<BADREQ>`) too: no method, no route
        ("haproxy.log", ("status", "latency_ms", "hour")),
        # nginx's `main` has no latency field either; its X-Forwarded-For is the client's
        ("nginx_main.log", ("method", "route", "status", "hour")),
        ("combined_variants.log", ("method", "route", "status", "hour")),
        ("traefik.log", ("method", "route", "status", "latency_ms", "hour")),
        ("ingress_nginx.log", ("method", "route", "status", "latency_ms", "hour")),
        ("envoy.log", ("method", "host", "route", "status", "latency_ms", "hour")),
        ("syslog_nginx.log", ("method", "route", "status", "hour")),
        ("heroku.log", ("method", "host", "route", "status", "latency_ms", "hour")),
        ("s3.log", ("method", "route", "status", "latency_ms", "hour")),
    ],
)
def test_api_logs_minimizes_each_text_format(
    name: str, columns: tuple[str, ...], tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    result = batch.run([str(CASES / name)], out, api_logs_without_ner)
    audit = result.audit
    good = len(_lines(name)) - len(BAD[name])
    assert audit["records_quarantined"] == len(BAD[name])
    assert audit["records_written"] == good
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    analytics = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(analytics) == good
    for row in analytics:
        for column in columns:
            assert row[column] is not None, column
        assert "@" not in (row["route"] or "")
    if name in ("combined.log", "nginx_main.log"):
        assert all(row.get("latency_ms") is None for row in analytics)
    if name == "haproxy.log":
        assert [row["method"] for row in analytics].count(None) == 1
    assert scan_tree(out, needles(Planted("USER", "ann.lee"))) == []


def test_a_syslog_header_is_read_off_and_the_line_read_by_its_grammar() -> None:
    lines = _lines("syslog_nginx.log")
    bsd, rfc5424, iso = (line_fields(lines[i]) for i in (0, 1, 3))
    # the line's own time wins over the header's (a BSD header has no year)
    assert bsd["started_at"] == "2024-09-19T22:17:26Z"
    assert bsd["consumer.name"] == "ann.lee" and bsd["request.method"] == "GET"
    assert bsd["syslog.host"] == "web01" and bsd["syslog.app"] == "nginx"
    assert rfc5424["request.path"] == "/v1/sessions" and rfc5424["syslog.app"] == "nginx"
    assert iso["response.status"] == 404 and iso["syslog.app"] == "nginx"
    kind, record = parsed_line(lines[2])  # a header, then no grammar: refused as such
    assert kind.problem(record) == "not a line of a known access log format"


def test_a_heroku_router_line_maps_these_fields() -> None:
    fields = line_fields(_lines("heroku.log")[0])
    assert fields["started_at"] == "2024-09-19T22:17:26.095243Z"  # the header's: none of its own
    assert fields["request.method"] == "GET"
    assert fields["request.host"] == "crm-demo.herokuapp.com"
    assert fields["request.scheme"] == "https"
    assert fields["request.path"] == "/v1/customers"
    assert fields["request.query.email"] == "ann.lee@example.com"
    assert fields["response.status"] == 200 and fields["response.content_size"] == 934
    assert fields["time"] == 58.0  # connect + service
    assert fields["timings.wait"] == 57.0 and fields["timings.connect"] == 1.0
    assert fields["request.headers.x-forwarded-for"] == "203.0.113.57"
    assert fields["request.headers.x-request-id"] == "5a3f0c1e-7d9b-4e2a-b1c3-8f7e6d5c4b3a"
    assert fields["logfmt.dyno"] == "web.1" and fields["logfmt.at"] == "info"
    error = line_fields(_lines("heroku.log")[1])
    assert error["logfmt.code"] == "H12" and error["time"] == 30000.0
    relayed = line_fields(_lines("heroku.log")[3])  # an RFC 5424 drain's header
    assert (
        relayed["started_at"] == "2024-09-19T22:17:30.104512Z" and relayed["syslog.app"] == "heroku"
    )


@pytest.mark.parametrize(
    ("line", "paths"),
    [
        # a duration with its unit is a latency; a bare number's unit is unknown
        (b"method=GET path=/a status=200 duration=1.5s", {"time": 1500.0}),
        (b"method=GET path=/a status=200 duration=15", {"time": None, "logfmt.duration": "15"}),
        (b"time=2024-09-19T22:17:26Z method=GET uri=/a status=200", {"request.path": "/a"}),
    ],
)
def test_logfmt_variants(line: bytes, paths: dict[str, Any]) -> None:
    fields = line_fields(line)
    for path, value in paths.items():
        assert fields.get(path) == value, path


@pytest.mark.parametrize(
    "line",
    [
        b"method=GET path=/a",  # no status: a request's log, not an access log's
        b"at=info msg=started status=ok method=GET path=/a",  # status is no HTTP status
        b"level=info method=get path=/a status=200",  # a method is upper case
    ],
)
def test_pairs_without_a_request_and_its_status_are_no_access_line(line: bytes) -> None:
    kind, record = parsed_line(line)
    assert kind.problem(record) == "not a line of a known access log format"


def test_an_s3_line_maps_these_fields() -> None:
    first, older, assumed = (line_fields(_lines("s3.log")[i]) for i in (0, 1, 3))
    assert first["started_at"] == "2024-09-19T22:17:26Z"
    assert first["request.method"] == "GET"
    assert first["request.host"] == "crm-exports.s3.us-west-1.amazonaws.com"
    assert first["request.path"] == "/crm-exports/exports/Maria%20Gonzalez/contacts.csv"
    assert first["response.status"] == 200 and first["time"] == 57 and first["timings.wait"] == 51
    # an IAM ARN: its last part is the login, its account and type protocol fields
    assert first["consumer.name"] == "ann.lee@example.com"
    assert first["s3.requester_account"] == "123456789012"
    assert first["s3.key"] == "exports/Maria%20Gonzalez/contacts.csv"  # judged by its content
    assert first["s3.operation"] == "REST.GET.OBJECT"
    # older logs end at host_id; `-` is no value
    assert older["s3.error_code"] == "AccessDenied" and "consumer.name" not in older
    assert "request.host" not in older and older["response.status"] == 403
    assert assumed["consumer.name"] == "ann.lee"  # an assumed role's session
    assert assumed["s3.requester_type"] == "assumed-role"


def test_redact_only_keeps_the_new_grammars_lines_and_no_planted_value(tmp_path: Path) -> None:
    """Every field of a syslog-relayed, a Heroku router and an S3 line kept and scanned: the
    logins in an ARN, an object's key naming a person and the relay's header leave nothing
    planted."""
    files = [str(CASES / n) for n in ("syslog_nginx.log", "heroku.log", "s3.log")]
    audit = batch.run(files, tmp_path / "out", bundled("redact_only")).audit
    assert (audit["records_in"], audit["records_written"], audit["records_quarantined"]) == (
        12,
        9,
        3,
    )
    assert scan_tree(tmp_path / "out", needles(Planted("USER", "ann.lee"))) == []
