"""W3C extended log files (IIS, CloudFront standard logs): recognized by their directives, each
line read under the `#Fields:` directive before it, walked into the canonical API exchange."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pyarrow.dataset as ds
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.core.records import RawRecord
from datamin.errors import InputError
from datamin.formats import read_file, record_fields
from datamin.formats.registry import detect_format, record_kind_named, replay_format
from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies.model import Limits
from tests.formats.gateway_cases import API_KEY, CASES, Planted, needles

BAD = {"iis.log": [7], "cloudfront.log": [5]}  # lines whose values do not match #Fields
GOOD = {"iis.log": [5, 6, 9], "cloudfront.log": [3, 4]}
FIELD_NAMES = (
    "date time cs-method cs-uri-stem cs-uri-query cs-uri c-ip cs-username sc-status sc-bytes "
    "time-taken cs(User-Agent) cs(Cookie) sc(Set-Cookie) x-host-header cs-protocol s-port "
    "x-custom"
).split()


def _records(name: str) -> dict[int, RawRecord]:
    return {i.index: i for i in read_file(str(CASES / name), 1 << 20) if isinstance(i, RawRecord)}


def _fields(record: RawRecord) -> dict[str, Any]:
    kind = record_kind_named("api")
    assert kind is not None
    parsed = kind.parse(record.data)
    assert kind.problem(parsed) is None
    return {f.path: f.value for f in record_fields(parsed, Limits(), kind)}


@pytest.mark.parametrize("name", ["iis.log", "cloudfront.log"])
def test_a_file_is_recognized_by_its_directives_and_they_are_no_records(name: str) -> None:
    assert detect_format(str(CASES / name), (CASES / name).read_bytes()) == "w3c"
    records = _records(name)
    assert sorted(records) == sorted(GOOD[name] + BAD[name])
    assert all(r.kind == "api" for r in records.values())
    # a combined log is still one: the directives say W3C, nothing else does
    assert detect_format("access.log", (CASES / "combined.log").read_bytes()) == "combined"


def test_an_iis_line_maps_these_fields() -> None:
    fields = _fields(_records("iis.log")[5])
    expected = {
        "started_at": "2024-09-19T22:17:26Z",  # W3C times are UTC
        "time": 52.0,  # IIS writes time-taken in milliseconds
        "request.method": "GET",
        "request.path": "/v1/customers",
        "request.query.email": "ann.lee@example.com",
        "request.query.access_token": API_KEY,
        "response.status": 200,
        "client.ip": "203.0.113.57",
        "consumer.name": "CONTOSO\\ann.lee",  # a login: scanned as a person's name
        # IIS writes a value's spaces as `+`
        "request.headers.user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
        "w3c.s-port": "443",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path


def test_a_later_fields_directive_holds_for_the_lines_after_it() -> None:
    fields = _fields(_records("iis.log")[9])
    assert fields["request.method"] == "DELETE"
    assert fields["response.status"] == 204
    assert "client.ip" not in fields


def test_a_cloudfront_line_maps_these_fields() -> None:
    fields = _fields(_records("cloudfront.log")[3])
    expected = {
        "started_at": "2024-09-19T22:17:26Z",
        "time": 52.0,  # seconds, as the W3C format says
        "request.scheme": "https",
        "request.host": "api.example.com",  # the Host the viewer sent, not the distribution's
        "request.path": "/v1/customers",
        # CloudFront encodes the query once more as it logs it: read as it was sent
        "request.query.email": "ann.lee@example.com",
        "request.query.phone": "+1 415 555 0142",
        "response.content_size": 934,
        "request.body_size": 412,
        "request.headers.user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
        "request.cookies.session": "s3cr3t-Sess10n-Valu3-77aa",
        "w3c.x-edge-location": "SEA19-C1",
    }
    for path, value in expected.items():
        assert fields.get(path) == value, path


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        # a line read before any #Fields directive
        ({"w3c_fields": "", "w3c_software": "", "w3c_line": "2024-09-19 GET /"}, "before its"),
        ({"w3c_fields": "date time", "w3c_software": "", "w3c_line": "a b c"}, "do not match"),
    ],
)
def test_a_line_that_cannot_be_read_is_refused_without_its_content(
    record: dict[str, str], problem: str
) -> None:
    kind = record_kind_named("api")
    assert kind is not None
    with pytest.raises(Exception, match=problem) as raised:
        record_fields(kind.parse(orjson.dumps(record)), Limits(), kind)
    assert record["w3c_line"] not in str(raised.value)


def test_a_quarantined_line_replays_as_the_log_it_came_from() -> None:
    line = _records("iis.log")[7]
    suffix, text = replay_format("x.log", "api").replay(line.data, "api")
    assert suffix == ".log" and text.startswith(b"#Fields: date time s-ip")
    assert text.splitlines()[1].startswith(b"2024-09-19 22:17:28")


@pytest.mark.parametrize("name", ["iis.log", "cloudfront.log"])
def test_api_logs_minimizes_each_w3c_file(
    name: str, tmp_path: Path, api_logs_without_ner: Path
) -> None:
    out = tmp_path / "out"
    audit = batch.run([str(CASES / name)], out, api_logs_without_ner).audit
    assert audit["records_in"] == len(GOOD[name]) + len(BAD[name])
    assert audit["records_quarantined"] == len(BAD[name])
    assert audit["records_written"] == len(GOOD[name])
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table()
    analytics = table.filter(ds.field("retention") == "analytics").to_pylist()
    assert len(analytics) == len(GOOD[name])
    for row in analytics:
        for column in ("method", "route", "status", "hour"):
            assert row[column] is not None, column
    assert scan_tree(out, needles(Planted("USER", "ann.lee"))) == []


_TOKEN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=30
)


@settings(deadline=None, max_examples=300)
@given(
    fields=st.lists(st.tuples(st.sampled_from(FIELD_NAMES), _TOKEN), min_size=1, max_size=12),
    tabbed=st.booleans(),
    extra=st.integers(min_value=-1, max_value=1),
)
def test_any_line_under_any_fields_is_read_or_refused(
    fields: list[tuple[str, str]], tabbed: bool, extra: int
) -> None:
    # Whatever a line's values are (or however many), it maps or is refused with an
    # InputError that quotes none of them: never another error.
    names = [n for n, _ in fields]
    values = [v for _, v in fields] + ["x"] * max(extra, 0)
    values = values[: len(values) + min(extra, 0)] if extra < 0 else values
    line = ("\t" if tabbed else " ").join(values)
    kind = record_kind_named("api")
    assert kind is not None
    record = {"w3c_fields": " ".join(names), "w3c_software": "", "w3c_line": line}
    try:
        record_fields(kind.parse(orjson.dumps(record)), Limits(), kind)
    except InputError as exc:
        assert not any(len(v) > 3 and v in str(exc) for v in values)
