"""People and places that structure gives away: the key (and its parent) decides, in every
spelling of the key and every spelling of the path."""

from __future__ import annotations

import pytest

from redactors.by_field import FieldNameDetector, keys_of
from redactors.context import FieldContext, FieldKind

DETECTOR = FieldNameDetector()
JSON, FORM, QUERY, TEXT = FieldKind.JSON, FieldKind.FORM, FieldKind.QUERY, FieldKind.TEXT


def found(text: str, path: str, kind: FieldKind) -> set[str]:
    ctx = FieldContext.of(path, kind)
    return {f.entity for f in DETECTOR.detect(text, ctx) if (f.start, f.end) == (0, len(text))}


@pytest.mark.parametrize(
    ("text", "path", "kind", "entity"),
    [
        # names: the key says so, in any spelling
        ("Hannah Müller", "request.body.customer.name", JSON, "PERSON"),
        ("Hannah Müller", "orders[0].ship_to.name", JSON, "PERSON"),
        ("Amara Okafor", "request.body.account_holder", JSON, "PERSON"),
        ("Ana", "request.body.first_name", JSON, "PERSON"),
        ("Ana", "request.body.FirstName", JSON, "PERSON"),
        ("Ana", "request.body.given-name", JSON, "PERSON"),
        ("Souza", "request.body.name.family", JSON, "PERSON"),  # a structured name's part
        ("Ms. Barbara J Jensen III", "user.name.formatted", JSON, "PERSON"),  # SCIM's whole name
        ("Egon Spengler", "user.profile.real_name", JSON, "PERSON"),
        ("octocat", "repo.owner.login", JSON, "PERSON"),  # a person's handle under a person
        ("Kim Lee", "message.to_name", JSON, "PERSON"),  # a message party's name
        ("Ana Souza", "event.attendees[0]", JSON, "PERSON"),  # a list of people, item by item
        ("Ana Souza", "request.body.billing_details.name", JSON, "PERSON"),  # Stripe's shape
        ("Ana Souza", "request.body.recipient_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.contact.full_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.cardholder_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.account_holder_name", JSON, "PERSON"),
        ("Ana Souza", "request.body.emergencyContactName", JSON, "PERSON"),
        ("Ana Souza", "request.body.owner", JSON, "PERSON"),  # an owner that reads as a name
        ("Ana Souza", "request.body.customer", JSON, "PERSON"),  # a person's key, a full name
        ("Jane Doe", "request.body.payment.author", JSON, "PERSON"),
        # form bracket keys, as parsed (`customer[name]`), escaped, or turned into dots
        ("Ana Souza", "request.form.customer[name]", FORM, "PERSON"),
        ("Ana Souza", "request.form.customer%5Bname%5D", FORM, "PERSON"),
        ("Ana Souza", "request.form.customer.name", FORM, "PERSON"),
        ("Ana Souza", "request.query.customer.name", QUERY, "PERSON"),
        # a bare `name` of unknown owner that reads as a full name
        ("Zoë Brennan", "request.body.name", JSON, "PERSON"),
        ("Ingrid Núñez", "response.body.results[0].name", JSON, "PERSON"),
        # addresses: the street line in any spelling
        ("742 Evergreen Terrace", "address.line1", JSON, "LOCATION"),
        ("Kantstrasse 40", "request.form.address%5Bline1%5D", FORM, "LOCATION"),
        ("Kantstrasse 40", "request.form.address[line1]", FORM, "LOCATION"),
        ("Rua Igreja 25", "request.body.shipping.address.line1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.addr", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.street1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.address_line_1", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.postal_address", JSON, "LOCATION"),
        ("Rua Igreja 25", "request.body.shippingAddress", JSON, "LOCATION"),
        # birth dates only where the key says birth
        ("1984-07-12", "request.body.customer.dob", JSON, "DATE_OF_BIRTH"),
        ("12/07/1984", "form.date_of_birth", FORM, "DATE_OF_BIRTH"),
    ],
)
def test_found(text: str, path: str, kind: FieldKind, entity: str) -> None:
    assert entity in found(text, path, kind)


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("Trail Runner 2", "response.body.name", JSON),  # digits: not a person's name
        ("Classic Tee", "response.body.product.name", JSON),  # a thing's name
        ("Pro", "response.body.plan.name", JSON),
        ("Classic Tee", "response.body.product_name", JSON),
        ("deploy-bot", "request.body.name", JSON),  # a bare `name` that is not a full name
        ("octocat", "request.body.owner", JSON),  # an owner that is a handle
        ("read-only", "event.attendees[0]", JSON),  # an item of a people list that is no name
        ("2026-11-04T10:00:00Z", "user.last_login", JSON),  # a time, not a handle
        ("u_4411", "user.user_id", JSON),  # ids stay
        ("cus_9s6XKzkNRiz8i3", "request.body.customer", JSON),  # an id under a person's key
        ("Support Team", "request.body.assignee", JSON),  # a team, not a person
        ("API KEY", "request.body.user", JSON),  # capitals that are no name
        ("1984-07-12", "request.body.created_at", JSON),  # a date elsewhere is no birth date
        # `address` of something that is not a place
        ("a.b@example.org", "request.body.email_address", JSON),
        ("fe80::1", "request.body.remoteAddr", JSON),
        ("10.0.0.1", "request.body.ip_address", JSON),
        ("0xAbC123", "request.body.wallet_address", JSON),
        ("0.0.0.0", "server.bind_address", JSON),
        # cities, postcodes, states, countries: shared by thousands, kept even in an address
        ("Berlin", "response.body.store.city", JSON),
        ("Berlin", "request.body.address.city", JSON),
        ("10115", "request.body.shipping.address.zip", JSON),
        ("01310-100", "request.form.billing_address[postal_code]", FORM),
        ("10115", "request.query.zip", QUERY),
        ("US", "request.body.address.country", JSON),
        ("CA", "request.body.address.state", JSON),
        # structure is read from structured fields only
        ("Ana Souza", "body", TEXT),
    ],
)
def test_not_found(text: str, path: str, kind: FieldKind) -> None:
    assert found(text, path, kind) == set()


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("request.form.customer[name]", ["customer", "name"]),
        ("request.form.customer%5Bname%5D", ["customer", "name"]),
        ("orders[0].ship_to.name", ["orders", "ship_to", "name"]),
        ("a[b][c]", ["a", "b", "c"]),
    ],
)
def test_keys_of(path: str, keys: list[str]) -> None:
    assert keys_of(path)[-len(keys) :] == keys


@pytest.mark.parametrize(
    ("text", "path", "entity"),
    [
        # Keys written in other languages say the same as their English words.
        ("Lucía", "cliente.nombre", "PERSON"),
        ("Schmidt", "kunde.nachname", "PERSON"),
        ("Kerkstraat 5", "klant.adres", "LOCATION"),
        ("Storgatan 12", "kund.adress", "LOCATION"),
        ("Jonas", "kunde.name", "PERSON"),
        # ...and a thing's name stays a thing's in any of them.
        ("Camiseta Azul", "producto.nombre", None),
        ("Camiseta", "product.nome", None),
    ],
)
def test_keys_in_other_languages(text: str, path: str, entity: str | None) -> None:
    assert found(text, path, JSON) == ({entity} if entity else set())
