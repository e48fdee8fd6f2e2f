"""Payment cards, IBANs and US SSNs: validated without context, shape enough with it.

Card numbers are issuers' public test numbers or Luhn-completed placeholders; IBANs are the
registry's published examples.
"""

from __future__ import annotations

import pytest

import datamin
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.patterns import PatternDetector

TEXT = FieldKind.TEXT
JSON = FieldKind.JSON
FORM = FieldKind.FORM

DETECTOR = PatternDetector()
REDACTED = 0.5


def found(text: str, entity: str, path: str = "body", kind: FieldKind = TEXT) -> list[str]:
    """What `redact_only` would replace as `entity`."""
    findings = DETECTOR.detect(text, FieldContext.of(path, kind))
    return [text[f.start : f.end] for f in findings if f.entity == entity and f.score >= REDACTED]


# (text, field path, kind, entity, the identifier)
POSITIVE = [
    # Near card words a card's shape is one even when Luhn fails: a validator never vetoes
    # context (fail closed).
    ("card 1234567890123", "body", TEXT, "CREDIT_CARD", "1234567890123"),
    ("my credit card number is 36168002586008", "body", TEXT, "CREDIT_CARD", "36168002586008"),
    ("cc 123456789012 exp 04/29", "body", TEXT, "CREDIT_CARD", "123456789012"),
    # Cards without context: issuer prefix, its length, Luhn.
    ("4012-8888-8888-1881", "body", TEXT, "CREDIT_CARD", "4012-8888-8888-1881"),  # dashed
    ("4012888888881881 4012-8888-8888-1881", "body", TEXT, "CREDIT_CARD", "4012-8888-8888-1881"),
    ("4012888888881881 4012 8888 8888 1881", "body", TEXT, "CREDIT_CARD", "4012 8888 8888 1881"),
    ("4111111111119", "body", TEXT, "CREDIT_CARD", "4111111111119"),  # 13-digit Visa
    ("3782 822463 10005", "body", TEXT, "CREDIT_CARD", "3782 822463 10005"),  # Amex 4-6-5
    ("3530111333300000", "body", TEXT, "CREDIT_CARD", "3530111333300000"),  # JCB
    ("6011 1111 1111 1117 exp 12/29", "body", TEXT, "CREDIT_CARD", "6011 1111 1111 1117"),
    ("122000000000003", "body", TEXT, "CREDIT_CARD", "122000000000003"),  # UATP (1, 15), alone
    ("paid 8100000000000002", "body", TEXT, "CREDIT_CARD", "8100000000000002"),  # RuPay: 81, 16
    # Cards near card words: Luhn is enough, whatever the prefix and length.
    ("my credit card: 122000000000003", "body", TEXT, "CREDIT_CARD", "122000000000003"),
    ("cc 501971701010379", "body", TEXT, "CREDIT_CARD", "501971701010379"),  # 15-digit Maestro
    ("Hipercard 606282678627664", "body", TEXT, "CREDIT_CARD", "606282678627664"),  # no issuer
    ("card no. 86990000000009", "body", TEXT, "CREDIT_CARD", "86990000000009"),  # 14 digits
    ("Visa ending 497010123456781", "body", TEXT, "CREDIT_CARD", "497010123456781"),  # 15 Visa
    ("Tarjeta 12345678901237", "body", TEXT, "CREDIT_CARD", "12345678901237"),  # Spanish word
    ("Carte bancaire 620000000000000005", "body", TEXT, "CREDIT_CARD", "620000000000000005"),
    ("carta di credito 122000000000003", "body", TEXT, "CREDIT_CARD", "122000000000003"),
    ("kaartnummer 122000000000003", "body", TEXT, "CREDIT_CARD", "122000000000003"),  # Dutch
    ("信用卡号 122000000000003", "body", TEXT, "CREDIT_CARD", "122000000000003"),  # Chinese
    # Under a card-named field a card's shape is enough, even when Luhn fails.
    ("1234 5678 9012 3456", "request.body.card_number", JSON, "CREDIT_CARD", "1234 5678 9012 3456"),
    ("1234567890123456", "request.body.cc", FORM, "CREDIT_CARD", "1234567890123456"),
    ("122000000000003", "request.body.pan", JSON, "CREDIT_CARD", "122000000000003"),
    ("5500000000000004", "request.body.cardnumber", JSON, "CREDIT_CARD", "5500000000000004"),
    ("4111111111111112", "request.body.creditcard", JSON, "CREDIT_CARD", "4111111111111112"),
    # A list of cards: each one's number is a card's (`cards[0].number`).
    ("6063292325349061", "request.body.cards[0].number", JSON, "CREDIT_CARD", "6063292325349061"),
    ("6063292325349061", "request.form.cards[0][number]", FORM, "CREDIT_CARD", "6063292325349061"),
    # camelCase keys of short words: `ccNum`, `panValue`.
    ("6063292325349068", "request.body.ccNum", JSON, "CREDIT_CARD", "6063292325349068"),
    ("6063292325349068", "request.body.payment.panValue", JSON, "CREDIT_CARD", "6063292325349068"),
    # 17 and 18 digits grouped in fours end in a short group (UnionPay, Maestro, Discover).
    ("6204-9931-5296-0702-9", "request.body.card_no", JSON, "CREDIT_CARD", "6204-9931-5296-0702-9"),
    ("6222 0548 1776 3981 88", "request.body.pan", JSON, "CREDIT_CARD", "6222 0548 1776 3981 88"),
    ("card 6222054817763981 88", "body", TEXT, "CREDIT_CARD", "6222054817763981"),
    # Under an id's name a card written in its groups is a card (a hostile-input review's).
    ("4111 1111 1111 1111", "request.body.order_id", JSON, "CREDIT_CARD", "4111 1111 1111 1111"),
    ("4111-1111-1111-1111", "request.body.id", JSON, "CREDIT_CARD", "4111-1111-1111-1111"),
    ("4111 1111 1111 1111", "request.body.card_id", JSON, "CREDIT_CARD", "4111 1111 1111 1111"),
    # IBANs in any case, grouped by spaces or dashes, of every registry length.
    ("de89 3704 0044 0532 0130 00", "body", TEXT, "IBAN_CODE", "de89 3704 0044 0532 0130 00"),
    ("DE89-3704-0044-0532-0130-00", "body", TEXT, "IBAN_CODE", "DE89-3704-0044-0532-0130-00"),
    ("NO93 8601 1117 947", "body", TEXT, "IBAN_CODE", "NO93 8601 1117 947"),  # Norway: 15
    ("BE68539007547034", "body", TEXT, "IBAN_CODE", "BE68539007547034"),  # national check aside
    ("gb82west12345698765432", "body", TEXT, "IBAN_CODE", "gb82west12345698765432"),
    (
        "pay FR1420041010050500013M02606 now",
        "body",
        TEXT,
        "IBAN_CODE",
        "FR1420041010050500013M02606",
    ),
    # With an IBAN word or field the shape is enough: a typo in a real IBAN is still one.
    ("IBAN: DE89 3704 0044 0532 0130 01", "body", TEXT, "IBAN_CODE", "DE89 3704 0044 0532 0130 01"),
    ("account DE89370400440532013001", "body", TEXT, "IBAN_CODE", "DE89370400440532013001"),
    ("GB82WEST12345698765431", "request.body.iban", JSON, "IBAN_CODE", "GB82WEST12345698765431"),
    # SSNs: dashes anywhere; spaces or dots score lower but still above the bar.
    ("SSN 536-22-1234 on file", "body", TEXT, "US_SSN", "536-22-1234"),
    ("078.05.1123", "body", TEXT, "US_SSN", "078.05.1123"),
    ("abc 078 05 1123 abc", "body", TEXT, "US_SSN", "078 05 1123"),
    ("536221234", "request.body.ssn", JSON, "US_SSN", "536221234"),
    ("536221234", "request.body.ssn9", JSON, "US_SSN", "536221234"),  # DocuSign's full SSN
]


@pytest.mark.parametrize(("text", "path", "kind", "entity", "expected"), POSITIVE)
def test_finds(text: str, path: str, kind: FieldKind, entity: str, expected: str) -> None:
    assert expected in found(text, entity, path, kind)


# (text, field path, kind, entity): nothing of `entity` is replaced.
NEGATIVE = [
    # Cards
    ("order 122000000000003", "body", TEXT, "CREDIT_CARD"),  # Luhn alone, no card word
    ("1234 5678 9012 3452", "body", TEXT, "CREDIT_CARD"),  # Luhn-valid, no issuer has 1
    ("ts 1705312200123", "body", TEXT, "CREDIT_CARD"),  # epoch milliseconds
    ("4915112345678", "request.body.msisdn", JSON, "CREDIT_CARD"),  # a phone, Luhn by chance
    ("RS35 2600 0560 1001 6113 70", "body", TEXT, "CREDIT_CARD"),  # an IBAN's groups
    ("giftcard balance 100.00", "body", TEXT, "CREDIT_CARD"),
    ("card expires 12/2025 cvv 123", "body", TEXT, "CREDIT_CARD"),
    ("cards 0000 0000 0000 0000", "body", TEXT, "CREDIT_CARD"),  # placeholder zeros
    ("card 41111111111111111111111", "body", TEXT, "CREDIT_CARD"),  # 23 digits
    ("4111-1111 1111.1111", "body", TEXT, "CREDIT_CARD"),  # mixed separators
    ("2024 0115 1230 0000 42", "body", TEXT, "CREDIT_CARD"),  # grouped, no issuer, no card word
    ("card_4111111111111111", "body", TEXT, "CREDIT_CARD"),  # glued to a word
    ("12345", "request.body.card_number", JSON, "CREDIT_CARD"),  # too short for a card
    ("4111111111111111", "request.body.id", JSON, "CREDIT_CARD"),  # a record's key, Luhn or not
    ("4111111111111111", "request.body.orderIds[0]", JSON, "CREDIT_CARD"),
    ("1234567890123456", "request.body.discard", JSON, "CREDIT_CARD"),  # `card` inside a word
    ("6063292325349068", "request.body.panelId", JSON, "CREDIT_CARD"),  # `pan` inside a word
    ("6063292325349068", "request.body.discards[0]", JSON, "CREDIT_CARD"),
    # What is about a card, not its number: no card whatever the digits (bar Luhn and issuer).
    ("100000123456", "request.body.cardBrand", JSON, "CREDIT_CARD"),
    ("1718123456789", "request.body.cards_count", JSON, "CREDIT_CARD"),
    ("6063292325349068", "request.body.card_last4", JSON, "CREDIT_CARD"),
    ("100000123456", "request.body.card_id", JSON, "CREDIT_CARD"),  # a record's key
    ("8815421521541234", "request.body.cardId", JSON, "CREDIT_CARD"),
    # IBANs
    ("DE89 3704 0044 0532 0130 01", "body", TEXT, "IBAN_CODE"),  # checksum fails, no context
    ("LV80 bANK 0000 4351 9500 1", "body", TEXT, "IBAN_CODE"),  # mixed case
    ("XX89370400440532013000", "body", TEXT, "IBAN_CODE"),  # no such country
    ("XDE89370400440532013000", "body", TEXT, "IBAN_CODE"),  # glued to a letter
    ("DE89370400440532013000X", "body", TEXT, "IBAN_CODE"),  # glued after
    ("BE6853900754703", "body", TEXT, "IBAN_CODE"),  # one character short
    ("build target ES2022 with node18", "body", TEXT, "IBAN_CODE"),
    ("sha ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90", "body", TEXT, "IBAN_CODE"),
    ("SKU-88412-BLK", "body", TEXT, "IBAN_CODE"),
    ("de89 3704 0044 0532 0130 01", "body", TEXT, "IBAN_CODE"),
    # SSNs
    ("078 00 1123", "body", TEXT, "US_SSN"),  # group 00
    ("666-12-3456", "body", TEXT, "US_SSN"),  # area 666
    ("078-05-1120", "body", TEXT, "US_SSN"),  # the Woolworth wallet number
    ("536221234", "body", TEXT, "US_SSN"),  # nine bare digits without a name
    ("2024-01-15", "body", TEXT, "US_SSN"),
    ("078.05-1123", "body", TEXT, "US_SSN"),  # mixed separators
]


@pytest.mark.parametrize(("text", "path", "kind", "entity"), NEGATIVE)
def test_leaves_alone(text: str, path: str, kind: FieldKind, entity: str) -> None:
    assert found(text, entity, path, kind) == []


def test_validation_scores_above_context() -> None:
    def score(text: str, path: str = "body", kind: FieldKind = TEXT) -> float:
        return max(f.score for f in DETECTOR.detect(text, FieldContext.of(path, kind)))

    assert score("4111 1111 1111 1111") == 1.0  # issuer, length and Luhn
    assert score("card 122000000000003") == 0.85  # Luhn and a card word
    assert score("GB82WEST12345698765432") == 1.0  # checksum
    assert score("IBAN GB82WEST12345698765431") == 0.85  # shape and a word


@pytest.mark.parametrize(
    "path",
    [
        "pago.numero_tarjeta",
        "paiement.numéro_de_carte",
        "zahlung.Kartennummer",
        "pagamento.numero_carta",
        "pagamento.numero_cartao",
        "platnosc.numer_karty",
        "odeme.kart_numarasi",
        "betalning.kortnummer",
        "支払.カード番号",
        "支付.卡号",
    ],
)
def test_a_card_fields_name_in_other_languages_fails_closed(path: str) -> None:
    # Luhn fails, the field's name says card: the number goes (fail closed).
    value = "4863366809906892"
    found = DETECTOR.detect(value, FieldContext.of(path, FieldKind.JSON))
    assert any(f.entity == "CREDIT_CARD" and (f.start, f.end) == (0, 16) for f in found)


@pytest.mark.parametrize(
    ("record", "path", "gone"),
    [
        # An object typed card by its own `object` key (Stripe's sources): its number is the
        # card's, whatever Luhn and the issuer tables say.
        ({"source": {"object": "card", "number": "6063 2923 2534 9068"}}, "source.number", True),
        ({"source": {"object": "card", "number": "676193838361"}}, "source.number", True),
        ({"source": {"type": "card", "number": "5060991965236984"}}, "source.number", True),
        # ... and a card scheme's, as Adyen types raw card data.
        (
            {"paymentMethod": {"type": "scheme", "number": "6063292325349061", "cvc": "737"}},
            "paymentMethod.number",
            True,
        ),
        # The number of an object typed otherwise stays.
        ({"source": {"object": "invoice", "number": "6063292325349068"}}, "source.number", False),
        ({"data": {"object": "order", "number": "100000123456"}}, "data.number", False),
    ],
)
def test_an_object_typed_card_holds_a_card_number(
    record: dict[str, object], path: str, gone: bool
) -> None:
    out = datamin.minimize(record, policy="redact_only", key=b"k" * 32, ner=False)
    fields = out["rows"]["standard"]["fields"]
    assert (fields[path] == "<CREDIT_CARD>") is gone


# What a sentence writes after a card is the card's: its expiry and its security code. A bare
# number is a code only after an expiry; after a card alone it may be anything.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4111 1111 1111 1111 exp 12/27 cvv 123", ["4111 1111 1111 1111", "12/27", "123"]),
        # grouped by dashes, then a group written otherwise: the card ends before it
        ("4111-1111-1111-1111 12/27 123", ["4111-1111-1111-1111", "12/27", "123"]),
        (
            "visa 4012888888881881, expiry 08/26, security code 7391",
            ["4012888888881881", "08/26", "7391"],
        ),
        ("amex 3782 822463 10005 exp 0527 cid 4821", ["3782 822463 10005", "0527", "4821"]),
        ("number 5555 5555 5555 4444 and the cvc is 937", ["5555 5555 5555 4444", "937"]),
        ("pay with 4111111111111111, valid thru 11/2028", ["4111111111111111", "11/2028"]),
    ],
)
def test_a_cards_expiry_and_code_go_with_it(text: str, expected: list[str]) -> None:
    assert found(text, "CREDIT_CARD") == expected


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1111 charged 3 times",  # a count after a card
        "card 4111 1111 1111 1111 on 12/27/2024 at 10:15",  # a full date is not an expiry
        "card 4111 1111 1111 1111 used for order 1234",  # a bare number without an expiry
    ],
)
def test_what_follows_a_card_is_not_always_its(text: str) -> None:
    assert found(text, "CREDIT_CARD") == ["4111 1111 1111 1111"]
