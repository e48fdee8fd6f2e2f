"""Name/value pairs: the value is read under the pair's name, and only a name is a label."""

from __future__ import annotations

import pytest

from datamin.core.pairs import column_labels, label_of, pair_label, pair_rows


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("api_key", "api_key"),
        ("Authorization", "authorization"),  # lower-cased
        ("X-Api-Key", "x-api-key"),
        ("API Key", "api_key"),  # words joined as a key would be
        ("First Name", "first_name"),
        ("config.token", "config.token"),
        ("_csrf", "_csrf"),
        # Labels in the language of the system's users (HR, CRM custom fields).
        ("Data de nascimento", "data_de_nascimento"),
        ("T.C. Kimlik No", "t.c._kimlik_no"),
        ("생년월일", "생년월일"),
        # Not names: data, which must never become a label.
        ("ann.lee@example.com", None),  # an e-mail
        ("+1 415 555 0123", None),  # a phone number
        ("4111111111111111", None),  # digits
        ("order 123456", None),  # a long digit run
        ("a" * 41, None),  # too long for a name
        ("one two three four five", None),  # a sentence
        ("", None),
        ("  ", None),
        ("https://x.example/a", None),
        (7, None),  # not a string
        (None, None),
    ],
)
def test_only_names_are_labels(name: object, label: str | None) -> None:
    assert label_of(name) == label


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"name": "token", "value": "x"}, ({"value"}, "token")),
        ({"key": "api_key", "value": "x"}, ({"value"}, "api_key")),
        ({"Key": "API_KEY", "Value": "x"}, ({"Value"}, "api_key")),
        ({"name": "token", "val": "x"}, ({"val"}, "token")),
        ({"field": "phone", "value": "x"}, ({"value"}, "phone")),
        ({"header": "Authorization", "value": "x"}, ({"value"}, "authorization")),
        ({"label": "Date of birth", "value": "x"}, ({"value"}, "date_of_birth")),  # Personio
        # Extra keys do not matter (HAR cookies, CI variables with flags).
        ({"key": "TOKEN", "value": "x", "masked": True}, ({"value"}, "token")),
        # `name` is tried before `key`; a name that is data falls back to the next.
        (
            {"name": "Ann Lee <ann@example.com>", "key": "email", "value": "x"},
            ({"value"}, "email"),
        ),
        # An audit log's change: both values are the field's.
        (
            {"field": "phone", "old_value": "x", "new_value": "y"},
            ({"old_value", "new_value"}, "phone"),
        ),
        ({"attributeName": "mobile", "newValue": "y"}, ({"newValue"}, "mobile")),
        ({"property": "phone", "value": "x"}, ({"value"}, "phone")),  # a CRM's property
        ({"type": "phone", "value": "x", "primary": True}, ({"value"}, "phone")),  # SCIM-like
        ({"title": "Phone", "value": "x", "short": True}, ({"value"}, "phone")),  # Slack
        ({"k": "ssn", "v": "x"}, ({"v"}, "ssn")),
        ({"name": "Phone", "values": ["x"]}, ({"values"}, "phone")),
        ({"op": "replace", "path": "/phone", "value": "x"}, ({"value"}, "phone")),  # JSON Patch
        # A form's question names its answer by what it asks for.
        ({"question": "What is your phone number?", "answer": "x"}, ({"answer"}, "phone_number")),
        ({"title": "Please enter your date of birth:", "value": "x"}, ({"value"}, "date_of_birth")),
        # A typed identifier: its value reads as the type joined to its own key.
        ({"type": "AADHAAR", "number": "x"}, ({"number"}, "aadhaar_number")),
        ({"idType": "PAN", "idValue": "x"}, ({"idValue"}, "pan_id_value")),
        (
            {"document_type": "passport", "document_id": "x"},
            ({"document_id"}, "passport_document_id"),
        ),
        ({"identifier_type": "ssn", "identifier": "x"}, ({"identifier"}, "ssn_identifier")),
        ({"tipo": "CPF", "chave": "x"}, ({"chave"}, "cpf_chave")),  # a Pix key
        ({"DOC_TYPE": "CPF", "NUMBER": "x", "country": "BR"}, ({"NUMBER"}, "cpf_number")),
        # `id` where the type names an identity document, and nothing else holds the value
        ({"kind": "aadhaar", "id": "x"}, ({"id"}, "aadhaar_number")),
        ({"type": "PASSPORT", "id": "x"}, ({"id"}, "passport_number")),
        ({"type": "national_id", "id": "x"}, ({"id"}, "national_id_number")),
        # An object's own word for its type (Stripe's `object`): a card's number.
        ({"object": "card", "number": "x", "exp_month": 12}, ({"number"}, "card_number")),
        ({"object": "invoice", "number": "x"}, ({"number"}, "invoice_number")),
        # A key typed by a sibling named after it (Modern Treasury's contact details and
        # account details): the type joined to the key, which keeps what the key says.
        (
            {"contact_identifier": "x", "contact_identifier_type": "phone_number"},
            ({"contact_identifier"}, "phone_number_contact_identifier"),
        ),
        (
            {"account_number": "x", "account_number_type": "clabe", "extra": 1},
            ({"account_number"}, "clabe_account_number"),
        ),
        (
            {"accountNumber": "x", "accountNumberType": "iban"},
            ({"accountNumber"}, "iban_accountnumber"),
        ),
        # Not pairs.
        ({"phone": "x", "phone_type": "home"}, None),  # which of its kind: `phone` says more
        ({"account_number": "x", "account_number_type": "other"}, None),
        ({"phone_type": "mobile", "status": "x"}, None),  # no key of its own to type
        ({"amount": 3, "amount_type": 7}, None),  # a type that is no name
        ({"routing_number": "x", "routingNumberType": "aba"}, None),  # spelled otherwise
        ({"object": "charge", "amount": 100}, None),  # no value its type names
        ({"type": "customer", "id_number": "x"}, None),  # its key says identity already
        ({"type": "users", "id": "x"}, None),  # JSON:API's resource
        ({"type": "phone-numbers", "id": "x"}, None),
        ({"type": "passport", "number": "x", "id": "y"}, ({"number"}, "passport_number")),
        ({"type": "work", "number": "x"}, None),  # which of its kind
        ({"type": "a", "kind": "b", "number": "x"}, None),  # which type is meant is unknown
        ({"type": "passport", "number": "x", "reference": "y"}, None),  # which value
        ({"name": "token"}, None),  # no value
        ({"value": "x", "unit": "ms"}, None),  # no name
        ({"name": "ann@example.com", "value": "x"}, None),  # the name is data
        ({"name": "token", "value": "x", "Value": "y"}, None),  # a repeated key
        ({"id": 3, "title": "x"}, None),
        ({"question": "How did you hear about us?", "answer": "x"}, None),  # asks for no field
        # Which of its kind, or a data type: its path's name says more (`phoneNumbers[0]`).
        ({"type": "work", "value": "x", "primary": True}, None),
        ({"label": "Home", "value": "x"}, None),
        ({"type": "string", "value": "x"}, None),
    ],
)
def test_pairs_in_mappings(item: dict[str, object], expected: tuple[set[str], str] | None) -> None:
    want = None if expected is None else (frozenset(expected[0]), expected[1])
    assert pair_label(item) == want


def test_header_like_rows_label_their_second_item() -> None:
    assert pair_rows([["Authorization", "Bearer x"], ["phone", "+1 415"]]) == [
        "authorization",
        "phone",
    ]
    assert pair_rows([["2024-01-01", 5], ["2024-01-02", 7]]) is None  # a series: no names
    assert pair_rows([[1.5, 2.5]]) is None  # coordinates
    assert pair_rows([["a", "b", "c"]]) is None  # not pairs


def test_a_result_sets_columns_label_its_cells() -> None:
    # Azure Monitor's query API: columns as objects, rows as arrays.
    table = {"columns": [{"name": "Email", "type": "string"}, {"name": "n"}], "rows": [["x", 1]]}
    assert column_labels(table) == ("rows", ["email", "n"])
    assert column_labels({"columns": ["id", "phone"], "data": [[1, "x"], [2, "y"]]}) == (
        "data",
        ["id", "phone"],
    )
    assert column_labels({"columns": ["id", "phone"], "rows": [[1]]}) is None  # ragged
    assert column_labels({"rows": [[1, 2]]}) is None  # no columns


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # A field's data (`{"field": "phone", "data": ..}`).
        ({"field": "first_name", "data": "x"}, ({"data"}, "first_name")),
        ({"key": "ssn", "data": "x"}, ({"data"}, "ssn")),
        # A form input's own id names it where its type is a data type (`text`, `date`).
        ({"id": "fname", "type": "text", "value": "x"}, ({"value"}, "fname")),
        ({"id": "dob", "type": "date", "value": "x"}, ({"value"}, "dob")),
        ({"id": 27642, "value": "x"}, None),  # a help desk's custom field: a number
        ({"id": "phone", "name": "Contact", "value": "x"}, ({"value"}, "contact")),
        # Plaid's `{"data": .., "primary": .., "type": "home"}`: which of its kind.
        ({"data": "x", "primary": False, "type": "home"}, None),
        # An identifier in a naming system (HL7 FHIR's `Identifier`): the system's document
        # when its URI or OID names one, an identifier's value whatever else it names.
        ({"system": "http://hl7.org/fhir/sid/us-ssn", "value": "x"}, ({"value"}, "ssn")),
        ({"system": "http://hospital.example.org/mrn", "value": "x"}, ({"value"}, "mrn")),
        ({"system": "urn:oid:2.16.840.1.113883.4.1", "value": "x"}, ({"value"}, "ssn")),
        (
            {"system": "urn:oid:2.16.840.1.113883.4.3.25", "value": "x", "use": "official"},
            ({"value"}, "drivers_license_number"),
        ),
        (
            {"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "x", "type": {"text": "MR"}},
            ({"value"}, "identifier_value"),
        ),
        (
            {"system": "http://hl7.org/fhir/sid/us-npi", "value": "x"},
            ({"value"}, "identifier_value"),
        ),
        (
            {"system": "http://benefitsinc.com/certificate", "value": "x"},
            ({"value"}, "identifier_value"),
        ),
        # Not identifiers: a system that names no person's (a SKU's namespace, a code host),
        # a contact point's kind (its path's `telecom` says more), a quantity's unit system, a
        # number.
        ({"system": "http://acme.org/sku", "value": "x"}, None),
        ({"system": "https://github.com", "value": "x"}, None),
        ({"system": "urn:ietf:rfc:3986", "value": "x"}, None),
        ({"system": "phone", "value": "x", "use": "home"}, None),
        ({"system": "http://unitsofmeasure.org", "value": "6.3", "code": "mmol/L"}, None),
        ({"system": "http://x.org/ids", "value": 42}, None),
        # A reference to a person's resource: its display is the person's name.
        ({"reference": "Patient/pat-1", "display": "x"}, ({"display"}, "patient_name")),
        (
            {"reference": "https://fhir.example.org/r4/Practitioner/7", "display": "x"},
            ({"display"}, "practitioner_name"),
        ),
        ({"reference": "RelatedPerson/rp-2", "display": "x"}, ({"display"}, "person_name")),
        ({"reference": "Organization/o1", "display": "x"}, None),
        ({"reference": "Location/l1", "display": "x"}, None),
    ],
)
def test_pairs_of_structured_records(
    item: dict[str, object], expected: tuple[set[str], str] | None
) -> None:
    want = None if expected is None else (frozenset(expected[0]), expected[1])
    assert pair_label(item) == want
