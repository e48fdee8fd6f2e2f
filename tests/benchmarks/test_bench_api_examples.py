"""The API-examples benchmark's oracle and collector, on tiny inline examples; the mirrors it
reads are not needed here (the one test that reads them skips when they are absent)."""

from __future__ import annotations

import pytest

from benchmarks.bench_api_examples import MIRRORS, api_files, half_of, leaves, oracle, payloads


@pytest.mark.parametrize(
    ("root", "keys", "value", "category"),
    [
        # schema.org / vCard / SCIM / WHATWG names, in the spellings APIs use
        ("", ["customer", "first_name"], "Ana", "person"),
        ("", ["shopperName", "lastName"], "Souza", "person"),
        ("", ["name", "givenName"], "Ana", "person"),  # SCIM's structured name
        ("", ["billing_details", "name"], "Ana Souza", "person"),  # a role's name
        ("", ["personalizations", "cc", "name"], "Ana Souza", "person"),  # RFC 5322 party
        ("", ["cardholder_name"], "Ana Souza", "person"),
        ("", ["BusinessLegalName"], "Owl, Inc.", "~thing name"),  # an organization's
        ("", ["FromBankAccount", "Name"], "Food Sales", "~thing name"),  # a bank account's
        ("", ["product", "name"], "Gold Plan", "~thing name"),
        # PostalAddress parts
        ("", ["address", "line2"], "274", "street"),
        ("", ["billingAddress", "houseNumberOrName"], "37C", "street"),
        ("", ["address", "city"], "Berlin", "city"),
        ("", ["address", "postal_code"], "10115", "postcode"),
        ("", ["email_address"], "x", None),  # not an address of a door, nor a valid e-mail
        # ContactPoint and birth date
        ("", ["contact", "telephone"], "+1 415 555 2671", "phone"),
        ("", ["receipt_email"], "a@example.org", "email"),
        ("", ["ownerDateOfBirth"], "1981-02-27", "dob"),
        # look-alikes
        ("", ["customer_id"], "cus_123", "~id"),
        ("", ["status"], "active", "~status"),
        ("", ["links", "href"], "https://api.example.org/v1/x", "~url"),
    ],
)
def test_oracle(root: str, keys: list[str], value: str, category: str | None) -> None:
    assert oracle(root, keys, value) == category


def test_payloads_from_examples_and_schemas() -> None:
    spec = """{
      "paths": {"/c": {"post": {"requestBody": {"content": {"application/json": {
        "example": {"name": "Ana Souza", "address": {"line1": "1 Main St"}}}}}}}},
      "components": {"schemas": {
        "Customer": {"properties": {"email": {"type": "string", "example": "a@example.org"},
                                    "address": {"$ref": "#/components/schemas/Address"}}},
        "Address": {"properties": {"line1": {"type": "string", "example": "1 Main St"}}}}}
    }"""
    found = list(payloads("v/api", "api.json", spec))
    records = [p.record for p in found]
    assert {"name": "Ana Souza", "address": {"line1": "1 Main St"}} in records
    assert {"email": "a@example.org", "address": {"line1": "1 Main St"}} in records
    paths = {path for p in found for path, _, _ in leaves(p.record)}
    assert "address.line1" in paths


def test_leaves_are_written_as_datamin_writes_paths() -> None:
    record = {"items": [{"name": "Tee"}], "a": {"b": "x"}, "n": 1}
    assert [p for p, _, _ in leaves(record)] == ["items[0].name", "a.b"]


def test_halves_are_stable() -> None:
    assert half_of("stripe/openapi/fixtures3.json") == half_of("stripe/openapi/fixtures3.json")
    assert {half_of(f"v/api{i}") for i in range(20)} == {"dev", "frozen"}


@pytest.mark.skipif(
    not (MIRRORS / "stripe+openapi" / "repo").exists(), reason="no mirror of stripe/openapi"
)
def test_reads_a_mirror() -> None:
    # Only the list of files is read here: the documents themselves take seconds.
    first = next(iter(api_files(MIRRORS)), None)
    assert first is not None
