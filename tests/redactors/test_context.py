"""A field's context: its path, kind, the name detectors read, and what structure says it is."""

from __future__ import annotations

import pytest

from datamin.redactors.context import (
    FieldContext,
    FieldKind,
    FieldRole,
    key_tokens,
    written_name,
)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("request.headers.authorization", "authorization"),
        ("request.body.customer.Email", "email"),  # lower-cased
        ("request.body.items[2].sku", "sku"),  # positions dropped
        ("to[0]", "to"),
        ("body", "body"),
        ("request.form.a%2Eb", "a.b"),  # an escaped key is read as written
        ("request.form.a%5Bb", "a[b"),
        ("request.form.50%25", "50%"),
    ],
)
def test_name_is_the_last_key(path: str, name: str) -> None:
    assert FieldContext.of(path, FieldKind.JSON).name == name


def test_a_pair_label_is_the_name_and_the_path_stays() -> None:
    ctx = FieldContext.of("settings[3].value", FieldKind.JSON, label="api_key")
    assert ctx.name == "api_key" and ctx.path == "settings[3].value"
    assert FieldContext.of("x.value", FieldKind.FORM, label=None).name == "x"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        # A leaf that only says "the value of" takes its parent's name.
        ("contact.phoneNumbers[0].value", "phonenumbers"),
        ("customer.phone.number", "phone"),
        ("secret.value", "secret"),
        ("order.number", "order"),
        # A top-level generic key has no parent to speak for it.
        ("value", "value"),
        # Any other leaf speaks for itself.
        ("phone.extension", "extension"),
    ],
)
def test_a_generic_leaf_is_read_under_its_parent(path: str, name: str) -> None:
    assert FieldContext.of(path, FieldKind.JSON).name == name


def test_role_is_carried_and_contexts_compare_by_all_parts() -> None:
    party = FieldContext.of("from", FieldKind.JSON, role=FieldRole.PARTY)
    assert party.role is FieldRole.PARTY and party.name == "from"
    plain = FieldContext.of("from", FieldKind.JSON)
    assert plain.role is None
    assert party != plain and len({party, plain}) == 2  # memo keys keep them apart


def test_the_constructor_others_use_still_works() -> None:
    ctx = FieldContext(path="a.b", kind=FieldKind.JSON, name="b")
    assert ctx == FieldContext.of("a.b", FieldKind.JSON)
    assert FieldContext("a.b", FieldKind.JSON).name == ""


@pytest.mark.parametrize(
    ("path", "written", "tokens"),
    [
        # The name as the path writes it, so a camelCase key's words can be told apart.
        ("request.body.options.cpfNumber", "cpfNumber", {"cpf", "number"}),
        ("request.body.Phones[0].PhoneAreaCode", "PhoneAreaCode", {"phone", "area", "code"}),
        ("request.body.phone.number", "phone", {"phone"}),  # a generic leaf: its parent's
        ("request.body.SSNNumber", "SSNNumber", {"ssn", "number"}),
        ("request.form.mobile_no", "mobile_no", {"mobile", "no"}),
        ("request.body.téléphone_fixe", "téléphone_fixe", {"téléphone", "fixe"}),
        ("request.body.ssn9", "ssn9", {"ssn9", "ssn"}),  # a count glued to a word
        ("request.body.phone_e164", "phone_e164", {"phone", "e164"}),
    ],
)
def test_a_fields_name_as_written_and_its_words(path: str, written: str, tokens: set) -> None:
    ctx = FieldContext.of(path, FieldKind.JSON)
    assert written_name(ctx.path, ctx.name) == written
    assert key_tokens(written) == tokens


def test_a_pairs_label_is_its_name_as_written() -> None:
    ctx = FieldContext.of("request.body.settings[3].value", FieldKind.JSON, label="api_key")
    assert written_name(ctx.path, ctx.name) == "api_key"
