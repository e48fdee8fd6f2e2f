"""People and places that structure and cues give away, where the small NER model misses them."""

from __future__ import annotations

import pytest

from redactors.by_field import FieldNameDetector
from redactors.context import FieldContext, FieldKind

DETECTOR = FieldNameDetector()
JSON, TEXT = FieldKind.JSON, FieldKind.TEXT


def found(text: str, path: str, kind: FieldKind) -> set[tuple[str, str]]:
    ctx = FieldContext.of(path, kind)
    return {(f.entity, text[f.start : f.end]) for f in DETECTOR.detect(text, ctx)}


@pytest.mark.parametrize(
    ("text", "path", "kind", "expected"),
    [
        # the field says what the value is
        ("Hannah Müller", "request.body.customer.name", JSON, ("PERSON", "Hannah Müller")),
        ("Hannah Müller", "orders[0].ship_to.name", JSON, ("PERSON", "Hannah Müller")),
        ("Amara Okafor", "request.body.account_holder", JSON, ("PERSON", "Amara Okafor")),
        ("742 Evergreen Terrace", "address.line1", JSON, ("LOCATION", "742 Evergreen Terrace")),
        ("1984-07-12", "request.body.customer.dob", JSON, ("DATE_OF_BIRTH", "1984-07-12")),
        ("12/07/1984", "form.date_of_birth", FieldKind.FORM, ("DATE_OF_BIRTH", "12/07/1984")),
        # street addresses by shape inside text
        ("ship to 742 Evergreen Terrace", "body", TEXT, ("LOCATION", "742 Evergreen Terrace")),
        # names after labels, verbs and greetings; letters of any script
        ("Please call Kwame Valdivia before delivery", "notes", JSON, ("PERSON", "Kwame Valdivia")),
        ("Leave it with Noémie Núñez if nobody answers", "notes", JSON, ("PERSON", "Noémie Núñez")),
        ("Name: Hannah Müller", "body", TEXT, ("PERSON", "Hannah Müller")),
        ("Hi Zoë Brennan, your order shipped", "body", TEXT, ("PERSON", "Zoë Brennan")),
        ("Thanks, Priya Whitfield", "body", TEXT, ("PERSON", "Priya Whitfield")),
        (
            "Hi, this is Tomasz Lindqvist. My new number",
            "body",
            TEXT,
            ("PERSON", "Tomasz Lindqvist"),
        ),
        ("Gift for Daniel Okafor, no invoice", "notes", JSON, ("PERSON", "Daniel Okafor")),
        ("My neighbor Amara Oyelaran will sign", "body", TEXT, ("PERSON", "Amara Oyelaran")),
        # a bare `name` of unknown owner that reads as a full name
        ("Zoë Brennan", "request.body.name", JSON, ("PERSON", "Zoë Brennan")),
        ("Ingrid Núñez", "response.body.results[0].name", JSON, ("PERSON", "Ingrid Núñez")),
    ],
)
def test_found(text: str, path: str, kind: FieldKind, expected: tuple[str, str]) -> None:
    assert expected in found(text, path, kind)


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("Trail Runner 2", "response.body.name", JSON),  # a product's name: parent is not a person
        ("Order for Trail Runner 2 shipped", "body", TEXT),  # "for" is not a person cue
        ("Call Center Hours apply", "body", TEXT),  # organisational words are not names
        ("Please call Support Team", "body", TEXT),
        ("please call john", "body", TEXT),  # lower case: left to NER, not guessed here
        ("deploy-bot", "request.body.name", JSON),  # a bare `name` that is not a full name
        ("Classic Tee", "response.body.product.name", JSON),  # a thing's name
        ("Trail Runner 2", "request.body.name", JSON),  # digits: not a person's name
        ("1984-07-12", "request.body.created_at", JSON),  # a date elsewhere is not a birth date
    ],
)
def test_not_found(text: str, path: str, kind: FieldKind) -> None:
    assert not any(entity in ("PERSON", "DATE_OF_BIRTH") for entity, _ in found(text, path, kind))
