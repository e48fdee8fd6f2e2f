"""Structure first: HAR entries come apart into addressable parts, bodies included."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from datamin.errors import InputError, LimitExceeded
from pipelines.structure import record_fields
from policies.model import Limits
from redactors.context import FieldContext, FieldKind

CASES = Path(__file__).parent / "cases"


def entries() -> list[dict[str, Any]]:
    return json.loads((CASES / "traffic.har").read_text())["log"]["entries"]


def fields_of(record: Any, limits: Limits | None = None) -> dict[str, tuple[Any, FieldKind]]:
    return {f.path: (f.value, f.kind) for f in record_fields(record, limits or Limits())}


def test_a_har_entry_is_taken_apart() -> None:
    f = fields_of(entries()[0])
    assert f["request.method"] == ("POST", FieldKind.META)
    assert f["request.path"] == ("/v1/users/8812731/orders", FieldKind.URL_PATH)
    assert f["request.host"][0] == "api.shop.example"
    assert f["request.query.email"] == ("ann.lee@example.com", FieldKind.QUERY)
    assert f["request.headers.authorization"][1] is FieldKind.HEADER  # names lower-cased
    assert f["request.cookies.session"][1] is FieldKind.COOKIE
    assert f["request.body.customer.email"] == (
        "ann.lee@example.com",
        FieldKind.JSON,
    )  # JSON body parsed
    assert f["request.body.items[0].sku"] == ("SKU-88412-BLK", FieldKind.JSON)
    assert f["response.status"] == (201, FieldKind.META)
    assert f["response.body.order_id"][0] == "ORD-2026-004512"
    assert f["timings.wait"] == (40, FieldKind.META)
    assert f["started_at"][0] == "2026-03-02T09:15:00.000Z"


def test_form_bodies_become_form_fields() -> None:
    f = fields_of(entries()[1])
    assert f["request.form.password"] == ("Hunter2-Correct-Horse", FieldKind.FORM)
    assert f["request.form.username"][0] == "ann.lee@example.com"  # percent-decoding undone


def test_query_is_parsed_from_the_url_when_har_has_no_query_list() -> None:
    entry = entries()[0]
    entry["request"]["queryString"] = []
    assert fields_of(entry)["request.query.page"] == ("2", FieldKind.QUERY)


def test_base64_text_bodies_are_decoded_and_binary_ones_marked() -> None:
    entry = entries()[0]
    entry["response"]["content"] = {
        "mimeType": "application/json",
        "encoding": "base64",
        "text": base64.b64encode(b'{"email": "ann.lee@example.com"}').decode(),
    }
    assert fields_of(entry)["response.body.email"][0] == "ann.lee@example.com"
    entry["response"]["content"]["text"] = base64.b64encode(b"\x1f\x8b\x08\x00\xff\xfe").decode()
    binary = [f for f in record_fields(entry, Limits()) if f.path == "response.body"]
    assert len(binary) == 1 and binary[0].binary


@pytest.mark.parametrize(
    ("mime", "kind"),
    [
        ("text/css", FieldKind.CODE),
        ("application/javascript; charset=utf-8", FieldKind.CODE),
        ("text/html", FieldKind.TEXT),
        ("text/plain", FieldKind.TEXT),
    ],
)
def test_stylesheets_and_scripts_are_code_not_prose(mime: str, kind: FieldKind) -> None:
    from redactors.engine import _ner_view

    entry = entries()[0]
    entry["response"]["content"] = {"mimeType": mime, "text": "body { font: Roboto Mono; }"}
    assert fields_of(entry)["response.body"][1] == kind
    # Patterns scan code whole; NER reads only its string literals, at their own offsets.
    code = 'user = {name: "Maria Lopez"}; go(x)'
    view = _ner_view(code, FieldContext.of("response.body", FieldKind.CODE))
    assert view.strip() == '"Maria Lopez"' and len(view) == len(code)
    assert view.index('"Maria') == code.index('"Maria')


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda e: e["request"].__setitem__("headers", {"a": "b"}),
            "request.headers is not a list",
        ),
        (lambda e: e["response"].__setitem__("status", "200"), "response.status"),
        (
            lambda e: e["response"]["content"].update(encoding="base64", text="%%%not base64%%%"),
            "base64",
        ),
        (lambda e: e["request"].__setitem__("url", 7), "request.url"),
    ],
)
def test_malformed_har_parts_are_input_errors_naming_the_part(mutate: Any, message: str) -> None:
    entry = entries()[0]
    mutate(entry)
    with pytest.raises(InputError) as raised:
        record_fields(entry, Limits())
    assert message in str(raised.value)
    assert "ann.lee" not in str(raised.value) and "8812731" not in str(raised.value)


def test_generic_records_flatten_and_parse_json_inside_strings() -> None:
    f = fields_of(
        {"user": {"email": "a@b.example"}, "tags": ["x", "y"], "payload": '{"k": [1, {"z": true}]}'}
    )
    assert f["user.email"][0] == "a@b.example"
    assert f["tags[1]"][0] == "y"
    assert f["payload.k[1].z"][0] is True


def test_records_must_be_objects() -> None:
    for value in ([1, 2], "text", 3, None):
        with pytest.raises(InputError):
            record_fields(value, Limits())


def test_limits_stop_deep_and_wide_records() -> None:
    deep: Any = "x"
    for _ in range(60):
        deep = {"a": deep}
    with pytest.raises(LimitExceeded):
        record_fields(deep, Limits(max_depth=48))
    with pytest.raises(LimitExceeded):
        record_fields({f"k{i}": i for i in range(50)}, Limits(max_fields=10))
    with pytest.raises(LimitExceeded):
        record_fields({"s": "x" * 100}, Limits(max_string_length=64))


def test_limit_errors_carry_no_key_of_the_record() -> None:
    """Keys can be values (an email, or a secret shaped like a name: `AKIA...`), and the
    quarantine counts errors by class: the message names the limit only."""
    record = {"ann.lee@example.com": {"note": "x" * 100}, "AKIAQWERTYUIOPASDFGH": "y" * 100}
    with pytest.raises(LimitExceeded) as raised:
        record_fields(record, Limits(max_string_length=64))
    assert str(raised.value) == "string longer than the limit"


def test_every_shared_capture_structures(har_corpus: Path) -> None:
    for path in sorted(har_corpus.glob("*.har")):
        if path.name == "broken.har":
            continue
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
        for entry in doc["log"]["entries"]:
            fields = record_fields(entry, Limits())
            assert any(f.path == "request.method" for f in fields), path.name
