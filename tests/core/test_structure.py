"""Structure first: HAR entries come apart into addressable parts, bodies included."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from datamin.errors import InputError, LimitExceeded
from datamin.formats.kinds import record_fields
from datamin.policies.model import Limits
from datamin.redactors.context import FieldKind, FieldRole

CASES = Path(__file__).parents[1] / "pipelines" / "cases"


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
    from datamin.redactors.ner_views import ner_view

    entry = entries()[0]
    entry["response"]["content"] = {"mimeType": mime, "text": "body { font: Roboto Mono; }"}
    assert fields_of(entry)["response.body"][1] == kind
    # Patterns scan code whole; NER reads only its string literals, at their own offsets.
    code = 'user = {name: "Maria Lopez"}; go(x)'
    view = ner_view(code, code=True)
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


# -- forms and queries are structure; pairs label their values ------------------------------


def har_with(query: str = "", **post: Any) -> dict[str, Any]:
    entry = entries()[0]
    entry["request"]["url"] = "https://api.shop.example/v1/x" + (f"?{query}" if query else "")
    entry["request"]["queryString"] = []
    if post:
        entry["request"]["postData"] = post
    return entry


def labels_of(record: Any) -> dict[str, str | None]:
    return {f.path: f.label for f in record_fields(record, Limits())}


@pytest.mark.parametrize(
    "post",
    [
        {"mimeType": "application/x-www-form-urlencoded", "text": "customer[address][line1]=x"},
        # HAR's own parsed parameters are read the same way.
        {
            "mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "customer[address][line1]", "value": "x"}],
        },
        # A body that is a whole form is one, whatever its mime type says.
        {"mimeType": "text/plain", "text": "customer[address][line1]=x"},
        {"mimeType": "", "text": "customer%5Baddress%5D%5Bline1%5D=x"},
    ],
)
def test_form_bodies_have_structured_paths(post: dict[str, Any]) -> None:
    f = fields_of(har_with(**post))
    assert f["request.form.customer.address.line1"] == ("x", FieldKind.FORM)
    assert "request.body" not in f


def test_query_strings_have_structured_paths_from_har_and_from_the_url() -> None:
    entry = har_with("filter[status]=open&ids[]=1&ids[]=2&page.size=5")
    f = fields_of(entry)
    assert f["request.query.filter.status"] == ("open", FieldKind.QUERY)
    assert f["request.query.ids[1]"] == ("2", FieldKind.QUERY)
    assert f["request.query.page.size"] == ("5", FieldKind.QUERY)
    entry["request"]["queryString"] = [{"name": "filter[status]", "value": "open"}]
    assert fields_of(entry)["request.query.filter.status"] == ("open", FieldKind.QUERY)


def test_a_body_of_json_lines_is_structure() -> None:
    text = '{"index": {"_id": "1"}}\n\n{"phone": "+14155550123", "n": 2}\n'
    f = fields_of(har_with(mimeType="application/x-ndjson", text=text))
    assert f["request.body[0].index._id"] == ("1", FieldKind.JSON)
    assert f["request.body[1].phone"] == ("+14155550123", FieldKind.JSON)
    # One line that is not JSON: the whole body is text, as before.
    f = fields_of(har_with(mimeType="application/x-ndjson", text='{"a": 1}\n{"b": 2}\nnot json'))
    assert f["request.body"][1] is FieldKind.TEXT


def test_plain_text_and_code_bodies_are_not_read_as_forms() -> None:
    f = fields_of(har_with(mimeType="text/plain", text="status=active"))
    assert f["request.body"] == ("status=active", FieldKind.TEXT)  # one plain pair: text
    f = fields_of(har_with(mimeType="application/javascript", text="a=1&b=2"))
    assert f["request.body"] == ("a=1&b=2", FieldKind.CODE)


def test_a_form_written_into_a_json_string_is_parsed_in_place() -> None:
    f = fields_of({"payload": "customer[email]=a%40b.example&customer[name]=Ann+Lee", "q": "a=b"})
    assert f["payload.customer.email"] == ("a@b.example", FieldKind.FORM)
    assert f["payload.customer.name"] == ("Ann Lee", FieldKind.FORM)
    assert f["q"] == ("a=b", FieldKind.JSON)  # `a=b` alone is a string


def test_json_in_a_form_or_query_value_is_parsed_in_place() -> None:
    # A query's JSON filter and Slack's form-encoded `payload`: each leaf under its own key.
    entry = {
        "request": {
            "method": "POST",
            "url": "https://api.example.com/v1/users",
            "queryString": [{"name": "where", "value": '{"ssn": "536228841", "tags": ["a"]}'}],
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "text": "payload=%7B%22user%22%3A%7B%22name%22%3A%22Ana%20Souza%22%7D%7D&t=%7Bx",
            },
        },
        "response": {"status": 200},
    }
    f = fields_of(entry)
    assert f["request.query.where.ssn"] == ("536228841", FieldKind.JSON)
    assert f["request.query.where.tags[0]"] == ("a", FieldKind.JSON)
    assert f["request.form.payload.user.name"] == ("Ana Souza", FieldKind.JSON)
    assert f["request.form.t"] == ("{x", FieldKind.FORM)  # a brace alone is no JSON


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ('callback({"user": {"name": "Ana Souza"}});', "response.body.user.name"),
        ('jQuery3_1.cb_2 ( [{"name": "Ana Souza"}] )', "response.body[0].name"),
    ],
)
def test_a_jsonp_body_is_the_json_its_function_is_given(body: str, path: str) -> None:
    entry = {
        "request": {"method": "GET", "url": "https://api.example.com/v1/me?callback=cb"},
        "response": {
            "status": 200,
            "content": {"mimeType": "application/javascript", "text": body},
        },
    }
    assert fields_of(entry)[path] == ("Ana Souza", FieldKind.JSON)


def test_script_that_is_no_jsonp_stays_text() -> None:
    entry = {
        "request": {"method": "GET", "url": "https://cdn.example.com/app.js"},
        "response": {
            "status": 200,
            "content": {"mimeType": "text/javascript", "text": "init({a: 1}); run();"},
        },
    }
    assert fields_of(entry)["response.body"][1] is FieldKind.CODE  # as any script is


def test_pairs_in_json_label_their_values_and_keep_their_paths() -> None:
    got = labels_of(
        {
            "settings": [{"name": "api_key", "value": "x"}, {"Key": "Token", "Value": "y"}],
            "headers": [{"header": "Authorization", "value": "Bearer z"}],
            "env": {"name": "DEBUG", "value": ["1", "2"]},
            "users": [{"name": "ann@example.com", "value": 3}],  # a name that is data
        }
    )
    assert got["settings[0].value"] == "api_key" and got["settings[0].name"] is None
    assert got["settings[1].Value"] == "token"
    assert got["headers[0].value"] == "authorization"
    assert got["env.value[1]"] == "debug"  # a list of values under one name
    assert got["users[0].value"] is None


def test_header_rows_and_result_sets_label_their_cells() -> None:
    got = labels_of(
        {
            "headers": [["Authorization", "Bearer z"], ["X-Phone", "x"]],
            "tables": [{"columns": [{"name": "Email"}, {"name": "Count"}], "rows": [["a", 2]]}],
        }
    )
    assert got["headers[0][1]"] == "authorization" and got["headers[0][0]"] is None
    assert got["headers[1][1]"] == "x-phone"
    assert got["tables[0].rows[0][0]"] == "email" and got["tables[0].rows[0][1]"] == "count"


def test_jcard_properties_label_their_values_and_components() -> None:
    # RDAP's registrant (RFC 9083) as a jCard (RFC 7095): the property name says what the
    # value is, and a structured value's position says which part it is.
    card = [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", "x"],
        ["n", {}, "text", ["fam", "given", "", "", ""]],
        ["adr", {"type": "home"}, "text", ["", "", "street", "city", "", "pc", "cc"]],
        ["tel", {"type": ["voice"]}, "uri", "tel:x"],
    ]
    got = labels_of({"entities": [{"vcardArray": ["vcard", card]}]})
    at = "entities[0].vcardArray[1]"
    assert got[f"{at}[1][3]"] == "full_name" and got[f"{at}[1][0]"] is None
    assert got[f"{at}[2][3][0]"] == "family_name" and got[f"{at}[2][3][1]"] == "given_name"
    assert got[f"{at}[3][3][2]"] == "street" and got[f"{at}[3][3][5]"] == "postal_code"
    assert got[f"{at}[4][3]"] == "phone" and got[f"{at}[0][3]"] == "version"
    # An array that only starts like one is not a property (no value type in third place).
    plain = labels_of({"row": ["fn", {}, "bold", "x"]})
    assert plain["row[3]"] is None


def test_an_objects_own_type_makes_its_name_a_persons() -> None:
    record = {
        "data": {
            "item": {"type": "contact", "name": "x", "location": {"type": "city", "name": "y"}},
            "owner": {"object": "customer", "display_name": "z"},
            "plan": {"object": "product", "name": "w"},
        }
    }
    roles = {f.path: f.role for f in record_fields(record, Limits())}
    assert roles["data.item.name"] is roles["data.owner.display_name"] is FieldRole.PERSON_NAME
    assert roles["data.item.location.name"] is None  # a place under the contact: its own type
    assert roles["data.plan.name"] is None and roles["data.item.type"] is None


def test_a_salesforce_type_or_a_given_and_family_name_make_an_objects_name_a_persons() -> None:
    record = {
        "records": [
            {"attributes": {"type": "Contact", "url": "/x"}, "Name": "a"},
            {"attributes": {"type": "Account"}, "Name": "b"},
            {"FirstName": "c", "LastName": "d", "Name": "c d"},
            {"given_name": "e", "family_name": "f", "display_name": "e f"},
            {"first_name": "g", "name": "h"},  # a given name alone says nothing of `name`
            {"links": {"first": "/p/1", "last": "/p/9"}, "name": "i"},
        ]
    }
    roles = {f.path: f.role for f in record_fields(record, Limits())}
    person = FieldRole.PERSON_NAME
    assert roles["records[0].Name"] is roles["records[2].Name"] is person
    assert roles["records[3].display_name"] is person
    assert roles["records[1].Name"] is roles["records[4].name"] is roles["records[5].name"] is None


def test_pairs_in_form_bodies_label_their_values() -> None:
    entry = har_with(mimeType="application/x-www-form-urlencoded", text="Key=API_KEY&Value=x")
    got = labels_of(entry)
    assert got["request.form.Value"] == "api_key" and got["request.form.Key"] is None


def test_a_message_party_address_carries_its_role() -> None:
    record = {
        "from": "+15550100199",
        "to": ["+15550100198"],
        "msisdn": "15550100197",
        "sender": {"number": "+15550100196"},
        "body": "call me on +15550100195",
        "status": "sent",
    }
    roles = {f.path: f.role for f in record_fields(record, Limits())}
    assert roles["from"] is roles["to[0]"] is roles["msisdn"] is FieldRole.PARTY
    assert roles["sender.number"] is FieldRole.PARTY  # everything under a party key
    assert roles["body"] is None and roles["status"] is None
    # Outside a message record `from`/`to` are often dates or ranges: no role.
    generic = {"from": "2026-01-01", "to": "2026-02-01", "count": 3}
    assert all(f.role is None for f in record_fields(generic, Limits()))


def test_a_message_text_is_read_as_free_text() -> None:
    # A message's body is prose, as a plain-text HTTP body is: the rules for free text (a
    # message that is one identifier, a "number" word, a bare number a strong check accepts)
    # apply to it; a JSON string in it is still structure.
    record = {"from": "+15550100199", "body": "121000358", "text": '{"a": "b"}', "id": "m1"}
    kinds = {f.path: f.kind for f in record_fields(record, Limits())}
    assert kinds["body"] is FieldKind.TEXT
    assert kinds["text.a"] is FieldKind.JSON and kinds["id"] is FieldKind.JSON
    # Outside a message record, a `body` key is a JSON leaf like any other.
    assert record_fields({"body": "x", "count": 3}, Limits())[0].kind is FieldKind.JSON


def test_form_nesting_counts_against_the_depth_limit() -> None:
    entry = har_with(mimeType="application/x-www-form-urlencoded", text="a" + "[b]" * 60 + "=v")
    with pytest.raises(LimitExceeded):
        record_fields(entry, Limits(max_depth=48))


# -- end to end: the same detection and rules as JSON ---------------------------------------


@pytest.fixture(scope="module")
def redact_only() -> Any:
    from datetime import date

    from datamin.core.minimize import Minimizer
    from datamin.keys import KeyRing
    from datamin.policies import bundled
    from datamin.policies.compiled import CompiledPolicy
    from datamin.policies.loader import load_policy
    from datamin.redactors.engine import DetectionEngine

    keys = KeyRing(b"s" * 32)
    policy = CompiledPolicy(load_policy(bundled("redact_only")), keys)
    # No NER: what is asserted here is structure's doing, not a model's.
    return Minimizer(policy, DetectionEngine(ner_model=None), keys, date(2026, 11, 23))


def stored(minimizer: Any, record: dict[str, Any], har: bool) -> dict[str, str]:
    import orjson

    from datamin.core.minimize import Written
    from datamin.core.records import RawRecord

    (out,) = minimizer.process([RawRecord("t", 0, orjson.dumps(record), "har" if har else None)])
    assert isinstance(out, Written), out
    return out.rows["standard"]["fields"]


def random_token(seed: int) -> str:
    import random
    import string

    return "".join(random.Random(seed).choices(string.ascii_letters + string.digits, k=32))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_forms_and_pairs_are_redacted_end_to_end(redact_only: Any, seed: int) -> None:
    secret = random_token(seed)
    form = (
        "address[line1]=12+Main+Street&address[line2]=Flat+4%2C+Kantstrasse+40"
        f"&customer[name]=Maria+Gonzalez&Key=API_KEY&Value={secret}&order[id]=ORD-2026-004512"
    )
    entry = har_with(mimeType="application/x-www-form-urlencoded", text=form)
    fields = stored(redact_only, entry, har=True)
    assert fields["request.form.address.line1"] == "<LOCATION>"
    assert fields["request.form.address.line2"] == "<LOCATION>"
    assert fields["request.form.customer.name"] == "<PERSON>"
    assert fields["request.form.Value"] == "<SECRET>"
    assert fields["request.form.order.id"] == "ORD-2026-004512"  # look-alikes survive
    record = {"settings": [{"name": "api_key", "value": secret}, {"name": "retries", "value": 3}]}
    fields = stored(redact_only, record, har=False)
    assert fields["settings[0].value"] == "<SECRET>"
    assert fields["settings[0].name"] == "api_key"  # the name stays, scanned as itself
    assert fields["settings[1].value"] == "3"


def test_an_xml_bodys_elements_are_redacted_by_their_names(redact_only: Any) -> None:
    body = (
        "<customer><id>C-17</id><name>Maria Gonzalez</name><phone>4155550123</phone>"
        "<address><line1>12 Main Street</line1></address></customer>"
    )
    fields = stored(redact_only, har_with(mimeType="application/xml", text=body), har=True)
    assert fields["request.body.customer.name"] == "<PERSON>"
    assert fields["request.body.customer.phone"] == "<PHONE_NUMBER>"
    assert fields["request.body.customer.address.line1"] == "<LOCATION>"
    assert fields["request.body.customer.id"] == "C-17"


def test_a_csv_bodys_cells_are_redacted_by_their_columns(redact_only: Any) -> None:
    body = "id,name,phone,status\n17,Maria Gonzalez,4155550123,active\n"
    fields = stored(redact_only, har_with(mimeType="text/csv", text=body), har=True)
    assert fields["request.body[0][1]"] == "<PERSON>"
    assert fields["request.body[0][2]"] == "<PHONE_NUMBER>"
    assert fields["request.body[0][0]"] == "17" and fields["request.body[0][3]"] == "active"


def test_an_audit_logs_changes_are_redacted_under_the_field_they_change(redact_only: Any) -> None:
    """A change names its field once and holds two values: both are read under that name,
    where alone (`new_value`) ten bare digits or nine are nobody's (an id, an epoch)."""
    record = {
        "changes": [
            {"field": "phone", "old_value": "4155550123", "new_value": "4155550124"},
            {"attributeName": "ssn", "newValue": "123456789"},
            {"op": "replace", "path": "/national_id", "value": "32659430"},
            {"field": "order_id", "new_value": "4155550125"},
        ]
    }
    fields = stored(redact_only, record, har=False)
    assert fields["changes[0].old_value"] == "<PHONE_NUMBER>"
    assert fields["changes[0].new_value"] == "<PHONE_NUMBER>"
    assert fields["changes[1].newValue"] not in ("123456789", None)
    assert fields["changes[2].value"] not in ("32659430", None)
    assert fields["changes[3].new_value"] == "4155550125"  # an order's id stays


def test_a_typed_value_is_read_under_its_collections_name(redact_only: Any) -> None:
    """SCIM's `{"type": "work", "value": ...}`: `work` says which phone, not that it is one;
    `phoneNumbers` does, and a number a region writes without groups is still a phone there."""
    record = {"phoneNumbers": [{"type": "work", "value": "08489250", "primary": True}]}
    fields = stored(redact_only, record, har=False)
    assert fields["phoneNumbers[0].value"] == "<PHONE_NUMBER>"


def test_a_typed_identifier_is_read_as_its_type_names_it(redact_only: Any) -> None:
    """KYC and payment APIs name a document's kind beside its number: twelve bare digits whose
    Aadhaar check fails are nobody's alone, and an Aadhaar number as the record types them."""
    record = {
        "documents": [
            {"type": "AADHAAR", "number": "460754303523"},
            {"id_type": "SSN", "id_value": "123456789"},
            {"type": "invoice", "number": "460754303524"},
            {"kind": "aadhaar", "id": "840562241541"},  # `id` under a document's type
            {"type": "users", "id": "840562241542"},  # JSON:API's resource keeps its id
        ],
        # A type that names no identifier leaves the number to its record's name.
        "travel_document": {"type": "visa", "number": "FW2432208"},
    }
    fields = stored(redact_only, record, har=False)
    assert fields["travel_document.number"] not in ("FW2432208", None)
    assert fields["documents[0].number"] == "<IN_AADHAAR>"
    assert fields["documents[1].id_value"] not in ("123456789", None)
    assert fields["documents[2].number"] == "460754303524"  # an invoice's number stays
    assert fields["documents[3].id"] == "<IN_AADHAAR>"
    assert fields["documents[4].id"] == "840562241542"


def test_a_query_string_logged_in_a_field_of_its_own_is_structure(redact_only: Any) -> None:
    """Access logs write a request's query with its `?` into one field: each parameter is
    read under its own name, as the query of a URL is."""
    record = {"queryString": "?ssn=536-22-8841&name=Maria%20Gonzalez&page=2"}
    fields = stored(redact_only, record, har=False)
    assert fields["queryString.ssn"] not in ("536-22-8841", None)
    assert fields["queryString.name"] == "<PERSON>"
    assert fields["queryString.page"] == "2"


def test_a_coordinate_written_as_a_json_number_is_scanned(redact_only: Any) -> None:
    """Decimals of three places or more are read as text, as long integers are (a card, a
    phone): a latitude is a position to a hundred metres. Short decimals stay numbers."""
    record = {"pickup": {"lat": 40.712812, "lng": -74.006012}, "fare": 12.5, "score": 0.98765}
    fields = stored(redact_only, record, har=False)
    assert fields["pickup.lat"] == fields["pickup.lng"] == "<LOCATION>"
    assert fields["fare"] == "12.5" and fields["score"] == "0.98765"
