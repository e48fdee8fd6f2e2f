"""Combined log lines with fields after the user agent (nginx's stock `main`, Apache's
`%D`/`%{X-Forwarded-For}i`/`%v:%p`, NGINX Amplify's `main_ext`, Traefik's CLF, ingress-nginx's
`upstreaminfo`): read by their documented shapes, what is known mapped, the rest kept to be
judged by content. An ordinary combined or common line reads exactly as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from tests.formats.gateway_cases import API_KEY, CASES, Planted, line_fields, needles, parsed_line

HEAD = '203.0.113.57 - - [19/Sep/2024:15:17:26 -0700] "GET /v1/orders HTTP/1.1" 200 12'
COMBINED = f'{HEAD} "-" "curl/8.5.0"'


def _line(name: str, n: int) -> bytes:
    return (CASES / name).read_bytes().splitlines(keepends=True)[n - 1]


# What an ordinary combined line gave before fields after it were read: its every path.
ORDINARY = {
    "started_at",
    "client.ip",
    "request.method",
    "request.url",
    "request.path",
    "request.http_version",
    "response.status",
    "response.content_size",
    "request.headers.user-agent",
}


@pytest.mark.parametrize(
    ("line", "paths"),
    [
        (COMBINED, ORDINARY),
        (HEAD, ORDINARY - {"request.headers.user-agent"}),  # common
        (f"{COMBINED}   \r\n", ORDINARY),  # trailing white space and CRLF
        (COMBINED.replace('"-"', '"https://a.example/"'), ORDINARY | {"request.headers.referer"}),
    ],
)
def test_an_ordinary_combined_line_reads_as_before(line: str, paths: set[str]) -> None:
    fields = line_fields(line)
    assert set(fields) == paths
    assert fields["client.ip"] == "203.0.113.57" and fields["response.status"] == 200


def test_nginx_main_keeps_the_forwarded_addresses_as_x_forwarded_for() -> None:
    fields = line_fields(_line("nginx_main.log", 1))
    assert fields["request.headers.x-forwarded-for"] == "203.0.113.57, 10.0.0.1"
    assert fields["client.ip"] == "10.0.0.2"  # the proxy that spoke to nginx
    assert fields["consumer.name"] == "ann.lee"
    assert "time" not in fields  # `main` has no request time
    assert not [p for p in fields if p.startswith("combined.")]
    last = line_fields(_line("nginx_main.log", 4))  # `"-"`: no forwarded address
    assert "request.headers.x-forwarded-for" not in last and not any("extra" in p for p in last)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # Debian's vhost_combined, `%v:%p %h %l %u %t ...`: the server's name is the host
        (1, {"request.host": "api.example.com", "combined.port": 443, "client.ip": "203.0.113.57"}),
        # `%D` then `"%{X-Forwarded-For}i"`: a bare number is no time, whatever its unit
        (
            2,
            {
                "combined.extra[0]": "51234",
                "time": None,
                "request.headers.x-forwarded-for": "203.0.113.57",
            },
        ),
        # NGINX Amplify's main_ext: rt= and ut= are seconds
        (
            4,
            {
                "time": 57.0,
                "timings.wait": 51.0,
                "request.headers.x-forwarded-for": "203.0.113.57",
                "combined.ua": "10.0.0.12:8080",
                "combined.us": "404",
                "combined.cs": None,  # `-`: nothing
            },
        ),
        # Apache's "Common Log Format with Virtual Host", `%v %h %l %u %t "%r" %>s %b`
        (5, {"request.host": "api.example.com", "client.ip": "198.51.100.23"}),
        # fields of no known meaning: kept where they were, to be judged by content
        (
            6,
            {
                "combined.extra[0]": "Maria Gonzalez",
                "combined.x-user": "ann.lee@example.com",
                "combined.extra[2]": "+1 415 555 0142",
                "request.headers.x-forwarded-for": None,
            },
        ),
    ],
)  # fmt: skip
def test_apache_and_nginx_variants(n: int, expected: dict[str, Any]) -> None:
    fields = line_fields(_line("combined_variants.log", n))
    for path, value in expected.items():
        assert fields.get(path) == value, path


def test_traefik_clf_gives_latency_and_its_router() -> None:
    fields = line_fields(_line("traefik.log", 1))
    expected = {
        "time": 57.0,  # `57ms`
        "traefik.RequestCount": 1,
        "traefik.RouterName": "crm@docker",
        "traefik.ServiceURL": "http://10.0.0.12:8080",
        "consumer.name": "ann.lee",
        "request.query.access_token": API_KEY,
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    unrouted = line_fields(_line("traefik.log", 4))  # no router matched: `"-" "-" 0ms`
    assert unrouted["time"] == 0.0 and unrouted["response.status"] == 404
    assert "traefik.RouterName" not in unrouted and "traefik.ServiceURL" not in unrouted


def test_ingress_nginx_upstreaminfo_reads_its_upstream_lists() -> None:
    fields = line_fields(_line("ingress_nginx.log", 2))
    expected = {
        "request.body_size": 390,  # $request_length, as nginx JSON logs' is read
        "time": 210.0,
        "timings.wait": 108.0,  # the last upstream tried, the one that answered
        "request.headers.x-request-id": "0b9c8d7e6f5a4b3c9d2e1f0a9b8c7d6e",
        "nginx.proxy_upstream_name": "default-crm-8080",
        "nginx.upstream_addr": "10.0.0.12:8080, 10.0.0.13:8080",
        "nginx.upstream_status": "502, 502",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path
    assert "nginx.proxy_alternative_upstream_name" not in fields  # `[]`
    # after an internal redirect nginx separates upstream groups with ` : `
    redirected = _line("ingress_nginx.log", 2).replace(b"0.100, 0.108", b"0.100 : 0.108")
    assert line_fields(redirected)["timings.wait"] == 108.0


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        # Apache's %T and %D, nginx's $request_time: a bare number says no unit, so no time
        (" 0", {"combined.extra[0]": "0", "time": None}),
        (" 0.057", {"combined.extra[0]": "0.057", "time": None}),
        (" 57ms", {"combined.extra[0]": "57ms", "time": None}),  # not Traefik's layout
        (' 1 "r@docker" "http://10.0.0.1" 57', {"time": None, "combined.extra[3]": "57"}),
        # an address with a port is an upstream's, not X-Forwarded-For
        (' "10.0.0.12:8080"', {"combined.extra[0]": "10.0.0.12:8080"}),
        (' "api.example.com"', {"combined.extra[0]": "api.example.com"}),
        # only the first list of addresses is X-Forwarded-For; a bare one is judged by content
        (
            ' "203.0.113.7" "198.51.100.9"',
            {
                "request.headers.x-forwarded-for": "203.0.113.7",
                "combined.extra[1]": "198.51.100.9",
            },
        ),
        (" 203.0.113.7", {"combined.extra[0]": "203.0.113.7"}),
        (' "2001:db8::1, 203.0.113.7"', {"request.headers.x-forwarded-for": "2001:db8::1, 203.0.113.7"}),  # noqa: E501
        # key=value: known keys read, others kept under their key, a key of the grammar's own
        # or a value of the wrong shape kept apart
        (" rt=abc", {"combined.rt": "abc", "time": None}),
        (' request_time="0.250"', {"time": 250.0}),
        (" upstream_response_time=0.010,", {"combined.upstream_response_time": "0.010,"}),
        (" request=evil", {"combined.extra[0]": "evil", "combined.request": None}),
        (" host=ann.lee@example.com", {"combined.host": "ann.lee@example.com"}),
        # a time is read as nginx writes seconds (`0.057`), a host when it is a DNS name: ids,
        # statuses, hashes, versions and addresses under those keys stay theirs
        (" rt=57", {"combined.rt": "57", "time": None}),
        (" ut=200", {"combined.ut": "200", "timings.wait": None}),
        (" host=cust-8812731", {"combined.host": "cust-8812731", "request.host": None}),
        (" host=1.2.3.4", {"combined.host": "1.2.3.4", "request.host": None}),
        (" host=TLSv1.3", {"combined.host": "TLSv1.3"}),
        (" host=API.example.com:8443", {"request.host": "api.example.com"}),
        (" request_id=5a3f0c1e", {"request.headers.x-request-id": "5a3f0c1e"}),
        (" http_x_forwarded_for=203.0.113.7", {"request.headers.x-forwarded-for": "203.0.113.7"}),
        # nginx escapes a quote in a value as \x22
        (' "a \\x22b\\x22"', {"combined.extra[0]": 'a "b"'}),
        # a bracketed field that is not ingress-nginx's layout
        (" [default-crm-8080] 0.057", {"combined.extra[0]": "default-crm-8080", "time": None}),
        (" [2001:db8::1]:8080", {"combined.extra[0]": "[2001:db8::1]:8080"}),
    ],
)  # fmt: skip
def test_fields_after_the_user_agent(tail: str, expected: dict[str, Any]) -> None:
    fields = line_fields(COMBINED + tail)
    for path, value in expected.items():
        assert fields.get(path) == value, path
    assert ORDINARY <= set(fields)  # what the combined line says is read as ever


@pytest.mark.parametrize(
    "tail",
    [
        ' "unterminated',  # a quote never closed
        ' "a"b',  # a quoted field with no space after it
        ' a"b',  # a stray quote in a bare field
        ' k="v"x',
        '\t"tab-separated"',
        '  "two spaces"',
    ],
)
def test_a_tail_of_no_documented_shape_is_refused_and_counted(
    tail: str, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    """Refused as a combined line (quarantined, so counted), never read in part."""
    kind, record = parsed_line(COMBINED + tail)
    assert kind.problem(record) == "not a combined log line"
    source = tmp_path / "access.log"
    source.write_text(f"{COMBINED}\n{COMBINED}{tail}\n{COMBINED}\n")
    audit = batch.run([str(source)], tmp_path / "out", api_logs_without_ner).audit
    assert (audit["records_in"], audit["records_written"]) == (3, 2)
    assert audit["records_quarantined"] == 1


def test_a_long_tail_that_fails_fails_fast() -> None:
    """The token shapes are told apart by their first characters: no backtracking blow-up."""
    import time

    line = COMBINED + ' k=v "q" [b]' * 2000 + ' "unterminated\n'
    started = time.process_time()
    kind, record = parsed_line(line)
    assert kind.problem(record) == "not a combined log line"
    # ingress-nginx's upstream lists, long and not quite its layout
    items = ", ".join(["10.0.0.1:80"] * 5000)
    assert "time" not in line_fields(f"{COMBINED} 1 0.1 [a] [b] {items} x : y")
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize("name", ["nginx_main.log", "combined_variants.log", "envoy.log"])
def test_forwarded_addresses_are_generalized_as_the_client_ip(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch.run([str(CASES / name)], out, bundled("api_logs"))
    debug = [
        row
        for part in sorted((out / "data").rglob("*.parquet"))
        if "retention=debug" in str(part)
        for row in pq.read_table(part).to_pylist()
    ]
    networks = [row["client_network"] for row in debug if row.get("client_network")]
    assert networks and all(n.startswith("203.0.113.0/24") for n in networks)
    assert scan_tree(out, needles(Planted("USER", "ann.lee"))) == []


def test_redact_only_keeps_every_field_of_these_formats_and_no_planted_value(
    tmp_path: Path,
) -> None:
    """Every field kept, scanned: what the tails add (X-Forwarded-For, `combined.extra[i]`,
    `combined.<key>`, Traefik's and ingress-nginx's own) leaves none of the planted values."""
    names = ("nginx_main.log", "combined_variants.log", "traefik.log", "envoy.log")
    files = [str(CASES / n) for n in (*names, "ingress_nginx.log")]
    audit = batch.run(files, tmp_path / "out", bundled("redact_only")).audit
    assert (audit["records_in"], audit["records_quarantined"]) == (22, 5)
    assert scan_tree(tmp_path / "out", needles(Planted("USER", "ann.lee"))) == []
