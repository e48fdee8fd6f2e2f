"""Phone numbers across locales, with and without context, and the look-alikes that stay.

Numbers here are made up: fictional ranges (555, 7700 900xxx), test ranges, or ordinary
groupings with placeholder digits.
"""

from __future__ import annotations

import time

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datamin.redactors._phone_words import SAYS_PHONE, phone_hint
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.patterns import PatternDetector
from datamin.redactors.registry import DEFAULT_REGIONS, DetectorSettings

TEXT = FieldKind.TEXT
JSON = FieldKind.JSON
QUERY = FieldKind.QUERY
FORM = FieldKind.FORM

DETECTOR = PatternDetector()
REDACTED = 0.5  # what `redact_only` replaces


def phones(text: str, path: str = "body", kind: FieldKind = TEXT) -> list[tuple[str, float]]:
    found = DETECTOR.detect(text, FieldContext.of(path, kind))
    return [(text[f.start : f.end], f.score) for f in found if f.entity == "PHONE_NUMBER"]


# Free text, no context: valid in a default region and written as that region writes it.
# (text, the number)
NO_CONTEXT = [
    ("Le cabinet: 01.84.17.61.18", "01.84.17.61.18"),  # FR, dotted pairs
    ("joignable au 06 12 34 56 78", "06 12 34 56 78"),  # FR mobile
    ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),  # FR international
    ("Büro 030 1234 5678", "030 1234 5678"),  # DE Berlin
    ("+49 30 12345678", "+49 30 12345678"),  # DE international
    ("(71) 4233-6306", "(71) 4233-6306"),  # BR fixed line, area code in parentheses
    ("(11) 91234-5678", "(11) 91234-5678"),  # BR mobile, nine digits
    ("+55 11 91234-5678", "+55 11 91234-5678"),  # BR international
    ("+91 98765 43210", "+91 98765 43210"),  # IN mobile, 5-5
    ("098765 43210", "098765 43210"),  # IN mobile with trunk 0
    ("13812345678", "13812345678"),  # CN mobile, bare eleven digits
    ("+86 138 1234 5678", "+86 138 1234 5678"),  # CN international
    ("010 1234 5678", "010 1234 5678"),  # CN Beijing
    ("03-1234-5678", "03-1234-5678"),  # JP Tokyo
    ("090-1234-5678", "090-1234-5678"),  # JP mobile
    ("(02) 9876 5432", "(02) 9876 5432"),  # AU Sydney
    ("0412 345 678", "0412 345 678"),  # AU mobile
    ("+61 412 345 678", "+61 412 345 678"),  # AU international
    ("612 34 56 78", "612 34 56 78"),  # ES mobile, no trunk prefix in Spain
    ("912 34 56 78", "912 34 56 78"),  # ES Madrid
    ("+34 612 34 56 78", "+34 612 34 56 78"),  # ES international
    ("02 1234 5678", "02 1234 5678"),  # IT Milan: the leading 0 is part of the number
    ("347 123 4567", "347 123 4567"),  # IT mobile (also a valid US number)
    ("+39 347 123 4567", "+39 347 123 4567"),  # IT international
    ("55 1234 5678", "55 1234 5678"),  # MX Mexico City
    ("+52 55 1234 5678", "+52 55 1234 5678"),  # MX international
    ("0803 123 4567", "0803 123 4567"),  # NG mobile
    ("+234 803 123 4567", "+234 803 123 4567"),  # NG international
    ("020 7946 0958", "020 7946 0958"),  # GB London
    ("07700 900123", "07700 900123"),  # GB mobile (drama range)
    ("+44 7911 123456", "+44 7911 123456"),  # GB international
    ("(415) 555-0132", "(415) 555-0132"),  # US
    ("(415)555-0132", "(415)555-0132"),  # US, no space after the area code
    ("415-555-0132", "415-555-0132"),  # US dashed
    ("415.555.0132", "415.555.0132"),  # US dotted
    ("1-800-555-0199", "1-800-555-0199"),  # US toll-free with trunk 1
    ("+1-604-696-5272x565", "+1-604-696-5272x565"),  # CA with an extension
    ("+1 415 555 0132 ext. 12", "+1 415 555 0132 ext. 12"),  # spelled extension
    ("9469 9966", "9469 9966"),  # SG, eight digits in two fours
    ("010-1234-5678", "010-1234-5678"),  # KR mobile
    ("02-312-3456", "02-312-3456"),  # KR Seoul
    ("020 123 4567", "020 123 4567"),  # NL Amsterdam
    ("06 12345678", "06 12345678"),  # NL mobile
    ("082 123 4567", "082 123 4567"),  # ZA mobile
    ("0 532 123 45 67", "0 532 123 45 67"),  # TR mobile, trunk written apart
    ("0532 123 45 67", "0532 123 45 67"),  # TR mobile
    ("532 123 45 67", "532 123 45 67"),  # TR without trunk, grouped exactly as TR writes
    ("05321234567", "05321234567"),  # TR bare, with trunk
    ("0917 123 4567", "0917 123 4567"),  # PH mobile
    ("09171234567", "09171234567"),  # PH bare, with trunk
    ("0 (917) 123 4567", "0 (917) 123 4567"),  # PH, trunk before the parentheses
    ("+63 917 123 4567", "+63 917 123 4567"),  # PH international
    ("+90 (532) 123 45 67", "+90 (532) 123 45 67"),  # TR international, parentheses
    ("+7 912 345-67-89", "+7 912 345-67-89"),  # RU mobile
    ("8 (912) 345-67-89", "8 (912) 345-67-89"),  # RU with its trunk 8
    ("+380 44 123 4567", "+380 44 123 4567"),  # UA Kyiv
    ("+48 612 345 678", "+48 612 345 678"),  # PL
    ("+46 8 123 456 78", "+46 8 123 456 78"),  # SE Stockholm
    ("+41 44 668 18 00", "+41 44 668 18 00"),  # CH Zurich
    ("+43 1 234 5678", "+43 1 234 5678"),  # AT Vienna
    ("+32 2 555 12 12", "+32 2 555 12 12"),  # BE Brussels
    ("+351 912 345 678", "+351 912 345 678"),  # PT mobile
    ("+30 21 0123 4567", "+30 21 0123 4567"),  # GR Athens
    ("+353 1 234 5678", "+353 1 234 5678"),  # IE Dublin
    ("+358 9 1234 5678", "+358 9 1234 5678"),  # FI Helsinki
    ("+47 22 00 22 10", "+47 22 00 22 10"),  # NO Oslo
    ("+45 32 12 34 56", "+45 32 12 34 56"),  # DK
    ("+420 212 345 678", "+420 212 345 678"),  # CZ
    ("+54 9 11 2345-6789", "+54 9 11 2345-6789"),  # AR mobile
    ("+56 2 2123 4567", "+56 2 2123 4567"),  # CL Santiago
    ("+57 601 234 5678", "+57 601 234 5678"),  # CO Bogotá
    ("+51 1 234 5678", "+51 1 234 5678"),  # PE Lima
    ("+27 21 123 4567", "+27 21 123 4567"),  # ZA Cape Town
    ("+254 712 345678", "+254 712 345678"),  # KE mobile
    ("+20 10 1234 5678", "+20 10 1234 5678"),  # EG mobile
    ("+212 6 12 34 56 78", "+212 6 12 34 56 78"),  # MA mobile
    ("+971 50 123 4567", "+971 50 123 4567"),  # AE mobile
    ("+966 50 123 4567", "+966 50 123 4567"),  # SA mobile
    ("+972 54-321-4567", "+972 54-321-4567"),  # IL mobile
    ("+92 300 1234567", "+92 300 1234567"),  # PK mobile
    ("+880 1712-345678", "+880 1712-345678"),  # BD mobile
    ("+852 2123 4567", "+852 2123 4567"),  # HK
    ("+886 2 2345 6789", "+886 2 2345 6789"),  # TW Taipei
    ("+60 12-345 6789", "+60 12-345 6789"),  # MY mobile
    ("+66 81 234 5678", "+66 81 234 5678"),  # TH mobile
    ("+62 812-3456-789", "+62 812-3456-789"),  # ID mobile
    ("+84 91 234 56 78", "+84 91 234 56 78"),  # VN mobile
    ("+64 21 123 4567", "+64 21 123 4567"),  # NZ mobile
    ("+14155550123", "+14155550123"),  # E.164, bare
    # `+`, a calling code and a length the country uses: invalid only by an unassigned range.
    ("+44 7700 900123 is fictional", "+44 7700 900123"),
    ("+1-550-650-8082", "+1-550-650-8082"),  # NANP area code 550 is unassigned
    ("retornar no +55 93 9885-5358", "+55 93 9885-5358"),  # BR mobile missing its 9
    ("ring +44 20 7946 0958 2024", "+44 20 7946 0958"),  # a year after the number stays out
    ("numbers: 020 7946 0958, 030 1234 5678", "030 1234 5678"),  # the second of two
    # A trunk 0 before three groups: no amount starts with 0, so this is no thousands grouping.
    ("see 063 639 233 later", "063 639 233"),  # BA
    ("see 0 614 688 197 later", "0 614 688 197"),  # TH, its trunk set apart
    # `00`, the international prefix most of the world dials, is read as `+`.
    ("see 00421 2 5443 1111 later", "00421 2 5443 1111"),  # SK, Bratislava
]

# With context a phone's shape is enough, valid or not.
# (text, field path, kind, the number)
CONTEXT = [
    ("call me on 555-0123", "body", TEXT, "555-0123"),  # seven digits after "call"
    ("whatsapp +1 555 010 9999", "body", TEXT, "+1 555 010 9999"),  # fictional, invalid
    ("tel: 12345678", "body", TEXT, "12345678"),  # "tel:" says phone
    ("Phone: 5321234567", "body", TEXT, "5321234567"),  # bare ten digits, but "Phone:"
    ("Tél. 01 23 45 67 89", "body", TEXT, "01 23 45 67 89"),  # French word
    ("Telefon: 0151 23456789", "body", TEXT, "0151 23456789"),  # German grouping of a mobile
    ("Telefone (21) 3456-7890", "body", TEXT, "(21) 3456-7890"),  # Portuguese word
    ("mi teléfono es 612345678", "body", TEXT, "612345678"),  # Spanish word, bare
    ("fax 0044 20 7946 0000", "body", TEXT, "0044 20 7946 0000"),  # 00 international prefix
    ("My mobile is 9171234567", "body", TEXT, "9171234567"),  # bare ten digits, "mobile"
    ("text me at 4155550123", "body", TEXT, "4155550123"),
    ("Numero: 9171234567", "body", TEXT, "9171234567"),  # Italian/Tagalog word
    ("Sam called about #36166370, call back on 3288024241", "body", TEXT, "3288024241"),
    ("+1 555 010 0000", "request.body.phone", JSON, "+1 555 010 0000"),  # invalid, named phone
    ("5550100", "request.query.phone", QUERY, "5550100"),  # `phone=` query parameter
    ("4915112345678", "request.body.msisdn", JSON, "4915112345678"),  # not a Visa card here
    ("+15005550006", "request.body.from", JSON, "+15005550006"),  # a message's sender
    ("+15005550009", "request.body.to", FORM, "+15005550009"),  # a message's recipient
    ("whatsapp:+14155238886", "request.body.to", JSON, "+14155238886"),  # channel prefix
    ("+44 7700 900000", "request.body.sender", JSON, "+44 7700 900000"),
    ("+1 201 555 0000", "request.body.recipient", JSON, "+1 201 555 0000"),
    ("555 0199", "request.body.phonenumber", JSON, "555 0199"),  # camelCase `phoneNumber`
    ("0000 111111", "request.body.mobile_no", JSON, "0000 111111"),  # a placeholder, named
    ("1234567890", "request.body.tel", JSON, "1234567890"),
    ("1234567890", "request.body.telno", JSON, "1234567890"),
    ("(555) 010-0000", "request.body.fax", JSON, "(555) 010-0000"),
    ("555-010-0000", "request.body.cell", JSON, "555-010-0000"),
    ("+1 555 010 0000", "request.body.whatsapp", JSON, "+1 555 010 0000"),
    ("+1 555 010 0000", "request.body.customer_phone_number", JSON, "+1 555 010 0000"),
    ("5550100000", "request.form.cellnumber", FORM, "5550100000"),
    ("+99 123 4567", "request.body.phone", JSON, "+99 123 4567"),  # no such country: still
    # Longer than E.164's fifteen digits, under a phone's name: mistyped, still a phone.
    ("+1211992213193020", "data[0].phoneNumber", JSON, "+1211992213193020"),
    ("call +44 7700 900123", "body", TEXT, "+44 7700 900123"),  # fictional range: invalid
    # call-back words of other languages
    ("Rückruf unter 03714 064229", "body", TEXT, "03714 064229"),
    ("hat angerufen: 00710734960", "body", TEXT, "00710734960"),
    ("rappeler au 0233756437", "body", TEXT, "0233756437"),
    ("Room 12, call 415-555-0132", "body", TEXT, "415-555-0132"),  # after a number, apart
    ("Als er iets is, bel me op (007)-7583992.", "body", TEXT, "(007)-7583992"),
    ("chiamami al 333 12 34 5", "body", TEXT, "333 12 34 5"),
    # a word after the number, where the language puts it (Turkish: "call me at number ...")
    ("Sorun olursa beni 246 2 266 numaras\u0131ndan aray\u0131n.", "body", TEXT, "246 2 266"),
    ("0532 123 45 67 numaral\u0131 telefondan", "body", TEXT, "0532 123 45 67"),
    # a name/value pair's name that holds a phone when the value has a phone's shape
    ("9887427227", "settings.on_call", JSON, "9887427227"),
    ("01765 75407", "settings.emergency", JSON, "01765 75407"),
    # "num" as people shorten "number" in chat
    ("my new num is 9175550143", "body", TEXT, "9175550143"),
    # spelled digit by digit, in words or lone digits, to get past a filter or read out
    (
        "my cell is five five five, two one two, four four eight nine",
        "body",
        TEXT,
        "five five five, two one two, four four eight nine",
    ),
    ("call 4 1 5 5 5 5 0 1 9 9 tonight", "body", TEXT, "4 1 5 5 5 5 0 1 9 9"),
    (
        "ring me on oh seven seven double oh nine zero zero four six one",
        "body",
        JSON,
        "oh seven seven double oh nine zero zero four six one",
    ),
]


@pytest.mark.parametrize(("text", "number"), NO_CONTEXT)
def test_finds_phones_in_free_text(text: str, number: str) -> None:
    assert any(found == number and score >= REDACTED for found, score in phones(text))


@pytest.mark.parametrize(("text", "path", "kind", "number"), CONTEXT)
def test_context_makes_a_phone_shape_enough(
    text: str, path: str, kind: FieldKind, number: str
) -> None:
    assert any(found == number and score >= REDACTED for found, score in phones(text, path, kind))


# (text, field path, kind): no phone must come of these.
NEGATIVE = [
    # the last groups of one number written in groups are no phone of their own
    ("51 824 753 5564", "body", TEXT),
    ("1234 5678 9012", "body", TEXT),
    # Turkish "numbered" after an order's number, not "call"
    ("Merhaba, 22483017 numaral\u0131 sipari\u015fim h\u00e2l\u00e2 gelmedi.", "body", TEXT),
    # Thousands in groups are an amount, not a phone; a zero-padded id is bare, not `00` + code.
    ("total 12 345 678 units", "body", TEXT),
    ("id 004212584287346 ok", "body", TEXT),
    # Neutral fields never hold a phone, whatever the value looks like.
    ("4155550123", "request.query.id", QUERY),
    ("4155550123", "request.body.order_id", JSON),
    ("415-555-0123", "request.body.sku", JSON),
    ("+14155550123", "request.body.invoice_number", JSON),  # `invoice`
    ("0412 345 678", "request.body.user_ids", JSON),  # `ids`
    ("030 1234 5678", "request.body.total", JSON),
    ("020 7946 0958", "request.body.serial", JSON),
    ("4155550123", "request.body.created_time", JSON),
    ("4155550123", "request.body.nonce", JSON),
    ("4155550123", "request.body.content_length", JSON),
    ("4155550123", "request.body.automobile", JSON),  # `mobile` inside another word
    ("4155550123", "request.body.hotel", JSON),  # `tel` inside another word
    ("1234567", "request.body.cancellation_code", JSON),  # `cell` inside another word
    ("4155550123", "response.status", FieldKind.META),  # technical part
    ("12345", "request.body.to", JSON),  # `to` holds a phone only when phone-shaped
    ("Bob", "request.body.from", JSON),
    ("2024-01-15", "request.body.from", JSON),  # a date range's start, not a phone
    # Bare digit runs: ids, epoch seconds and milliseconds.
    ("user 4155550123 logged in", "body", TEXT),
    ("ts 1705312200 ok", "body", TEXT),  # epoch seconds
    ("ts 1705312200123 ok", "body", TEXT),  # epoch milliseconds
    ("order 0000000029 shipped", "body", TEXT),  # zero-padded id
    ("20240115103000", "body", TEXT),  # compact timestamp
    ("12345678901", "body", TEXT),  # placeholder, valid nowhere as written
    ("1048576 bytes", "body", TEXT),
    ("population 8336817", "body", TEXT),
    # Dates, times and timestamps.
    ("2024-01-15T10:30:00Z", "body", TEXT),
    ("2024-01-15T10:30:00.123-05:00", "body", TEXT),
    ("15.01.2024", "body", TEXT),
    ("2024/01/15", "body", TEXT),
    ("01/15/2024", "body", TEXT),
    ("15/01/2024 10:30", "body", TEXT),
    ("2024 01 15", "body", TEXT),
    ("00:12:34.567", "body", TEXT),
    ("Mon, 15 Jan 2024 10:30:00 GMT", "body", TEXT),
    ("between 2024-01-15 and 2024-02-15", "body", TEXT),
    # Versions, prices, quantities, measures.
    ("version 10.15.7", "body", TEXT),
    ("build 1.2.3.4567", "body", TEXT),
    ("$1,299.00", "body", TEXT),
    ("1 299,00 €", "body", TEXT),
    ("total 12345678.90", "body", TEXT),
    ("qty 12 x 3", "body", TEXT),
    ("1920x1080", "body", TEXT),
    ("Revenue grew 12.5% to 3,456,789 in Q3 2024", "body", TEXT),
    ("lat -33.8688 lon 151.2093", "body", TEXT),
    ("48.8566, 2.3522", "body", TEXT),
    ("1.5 2.5 3.5 4.5 5.5", "body", TEXT),
    ("page 12 of 345", "body", TEXT),
    ("5 x 2 = 10 + 3 = 13 - 4 = 9", "body", TEXT),
    # A phone word earlier, but a reference word or `#` right before the number.
    ("Sam called about #36166370, call back later", "body", TEXT),
    ("Léa a appelé pour la commande 98337974", "body", TEXT),
    ("Paulo ligou sobre o pedido 33120053", "body", TEXT),
    ("phone support re: ticket 48213377", "body", TEXT),
    # Phone words inside other words say nothing; a span of years is no number.
    ("during 12345678 runs", "body", TEXT),
    ("the string 12345678", "body", TEXT),
    ("recall 12345678", "body", TEXT),
    ("call me about 2024-2025", "body", TEXT),
    # Lists of small numbers.
    ("10 20 30 40 50 60 70", "body", TEXT),
    ("1 2 3 4 5 6 7 8 9", "body", TEXT),
    ("between 10 and 20 of 30 items 40 50", "body", TEXT),
    ("12 345 678 rows", "body", TEXT),  # thousands grouped by spaces
    # Postal codes.
    ("94107", "body", TEXT),
    ("SW1A 1AA", "body", TEXT),
    ("75008 Paris", "body", TEXT),
    ("10115 Berlin", "body", TEXT),
    ("São Paulo, SP 01310-100", "body", TEXT),  # BR CEP
    ("Tokyo 100-0001", "body", TEXT),  # JP postal code
    # References, order and invoice numbers, codes.
    ("Order #12345678", "body", TEXT),
    ("ORD-2024-000123", "body", TEXT),
    ("INV-20240115-0042", "body", TEXT),
    ("SKU-88412-BLK", "body", TEXT),
    ("978-3-16-148410-0", "body", TEXT),  # ISBN-13
    ("ISBN 0-306-40615-2", "body", TEXT),
    ("tracking 1Z999AA10123456784", "body", TEXT),
    ("see RFC 7231 section 6.5.1", "body", TEXT),
    ("HTTP/1.1 200", "body", TEXT),
    ("port 8080 pid 12345", "body", TEXT),
    ("0x7fff5fbff8a8", "body", TEXT),
    ("3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f", "body", TEXT),  # UUID
    ("sha 9c1185a5c5e9fc54612808977ee8f548b2258d31", "body", TEXT),
    ("Call 911", "body", TEXT),  # too short to be a subscriber number
    ("SMbd4a2e1f0c3b5a7d9e8f6a1b2c3d4e5f", "request.body.MessageSid", FORM),
    # Other identifiers' digit groups: their middle is not a phone.
    ("BE71 0961 2345 6760", "body", TEXT),  # IBAN, checksum fails
    ("IL62 0108 0000 0009 9999 990", "body", TEXT),
    ("EE38 2200 2210  014 5686", "body", TEXT),  # IBAN typed with a double space
    ("GT82 TRAJ 0102 0000 0012 1002 9690", "body", TEXT),
    ("be71-0961-2345-6760", "body", TEXT),  # lower case, dashed
    ("046 454 286", "body", TEXT),  # CA SIN grouping: Israeli only as `04-645-4286`
    ("999 999 999", "body", TEXT),  # one digit repeated: a placeholder
    ("111 111 111", "body", TEXT),
    ("078-05-1120", "body", TEXT),  # SSN grouping
    ("078 05 1120", "body", TEXT),
    ("/v1/ssn/078-05-1120", "request.path", FieldKind.URL_PATH),
    ("1234 5678 9012 3456", "body", TEXT),  # card grouping, Luhn fails
    ("4111 1111 1111 1111", "body", TEXT),  # a card, not a phone
    ("4111111111111111", "body", TEXT),
    ("+4111111111111111", "body", TEXT),  # too long for E.164
    ("0102 0000 0012 1002 9690", "body", TEXT),  # account grouping
    ("192.168.100.123", "body", TEXT),  # IP address
    ("ORDER123-4567-8901", "body", TEXT),  # glued to a word
    ("x415-555-0123", "body", TEXT),
    ("415-555-0123y", "body", TEXT),
    ("id_4155550123", "body", TEXT),
    ("v2.415.555.0123", "body", TEXT),  # part of a dotted token
    ("ABC-415-555-0123", "body", TEXT),  # a code with a phone's digits
    ("123-456-7890", "body", TEXT),  # no NANP area code starts with 1
    ("000-000-0000", "body", TEXT),
    ("0151 23456789", "body", TEXT),  # DE mobile, but not grouped as libphonenumber writes it
    ("score 98 76 54", "body", TEXT),  # six digits
    ("room 1204, floor 12", "body", TEXT),
    ("from 9 to 5, 7 days", "body", TEXT),
    ("ids: 1001, 1002, 1003, 1004", "body", TEXT),
    ("1-2-3-4-5-6-7-8", "body", TEXT),
    ("9.99 19.99 29.99", "body", TEXT),
    ("+15%", "body", TEXT),
    ("+ 1234", "body", TEXT),
    ("temperature +23.5 C", "body", TEXT),
    ("+12345678", "body", TEXT),  # `+`, a calling code, but too few digits for a shape
    ("window.__DATA__ = [1705312200, 1705312260]", "body", FieldKind.CODE),
    # what a call was about is a reference, not the number to call back
    ("Sam called about 51390436, call back later", "body", TEXT),
    ("ligou sobre 51390436 hoje", "body", TEXT),
    # digits spelled one by one with no phone word near them, or too few to be a number
    ("one two three four five six seven, here we go", "body", TEXT),
    ("step 1 2 3 4 5 6 7 of the setup", "body", TEXT),
    ("call me: one two three four", "body", TEXT),
    # A parcel's tracking number: groups of four and a shorter last, longer than any phone.
    ("USPS tracking number 9400 1111 2222 3333 4444 55", "body", TEXT),
    ("Tracking: 9405 5036 9930 0123 4567 89 via USPS", "body", TEXT),
    # A year and a zero-led sequence: a case's or an invoice's reference.
    ("see case 2024-00871 for details", "body", TEXT),
    ("ref 2022-01553 closed", "body", TEXT),
]


@pytest.mark.parametrize(("text", "path", "kind"), NEGATIVE)
def test_look_alikes_are_not_phones(text: str, path: str, kind: FieldKind) -> None:
    assert [p for p in phones(text, path, kind) if p[1] >= REDACTED] == []


def test_a_validators_yes_scores_higher_than_a_shape_without_context() -> None:
    assert phones("+14155550123") == [("+14155550123", 0.95)]  # valid international
    assert phones("415-555-0123") == [("415-555-0123", 0.6)]  # national, nothing around
    assert phones("phone: 415-555-0123") == [("415-555-0123", 0.85)]  # context word
    assert phones("415-555-0123", "request.body.phone", JSON) == [("415-555-0123", 0.85)]


def test_regions_narrow_what_national_numbers_are_read() -> None:
    french = PatternDetector(DetectorSettings(regions=("FR",)))
    broad = PatternDetector(DetectorSettings())
    ctx = FieldContext.of("body", TEXT)
    # A bare Australian mobile counts by validity alone, and Australia is not a policy region.
    assert french.detect("see 0412345678 now", ctx) == []
    assert broad.detect("see 0412345678 now", ctx)
    # Written in groups in a sentence it is a phone's grammar anywhere, at a lower score than
    # a valid one; as all a message says, only a numbering plan makes it a phone.
    assert [f.score for f in french.detect("see 0412 345 678 now", ctx)] == [0.55]
    assert french.detect("0412 345 678", ctx) == []
    assert broad.detect("0412 345 678", ctx)
    assert [f.score for f in broad.detect("0412 345 678", ctx)] == [0.6]
    assert french.detect("06 12 34 56 78", ctx)


@pytest.mark.parametrize(
    ("label", "value"),
    [("Handynummer", "01846 54358"), ("Portable", "0246794305"), ("Telefoonnummer", "01846 54358")],
)
def test_a_pairs_label_in_another_language_says_phone(label: str, value: str) -> None:
    """`{"label": "Handynummer", "value": ...}`: the value is read under its label's name."""
    ctx = FieldContext("data.attributes.dynamic_7405.value", JSON, label.lower())
    assert [value[f.start : f.end] for f in DETECTOR.detect(value, ctx)] == [value]
    # Under a name that says it holds something else, the same digits stay.
    assert (
        DETECTOR.detect(value, FieldContext("data.order_reference", JSON, "order_reference")) == []
    )


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("phone", "", SAYS_PHONE),
        ("phonenumber", "", SAYS_PHONE),  # `phoneNumber`, lower-cased by the field context
        ("msisdn", "", SAYS_PHONE),
        ("mobile_no", "", SAYS_PHONE),
        ("tel", "", SAYS_PHONE),
        ("whatsapp", "", SAYS_PHONE),
        ("landline", "", SAYS_PHONE),
        ("caller_id", "", SAYS_PHONE),  # caller ID is the caller's number, though it ends in `id`
        ("home_landline_number", "", SAYS_PHONE),
        ("wa_id", "", SAYS_PHONE),  # WhatsApp's name for a user's number, though it ends in `id`
        ("cf_contact_number", "", SAYS_PHONE),
        ("celular", "", SAYS_PHONE),  # the word in the language a field is labelled in
        ("matkapuhelin", "", SAYS_PHONE),
        ("휴대전화", "", SAYS_PHONE),
        ("handynummer", "", SAYS_PHONE),  # compounds: German, Dutch, Swedish, French
        ("telefoonnummer", "", SAYS_PHONE),
        ("mobilnummer", "", SAYS_PHONE),
        ("portable", "", SAYS_PHONE),
        ("téléphone_fixe", "", SAYS_PHONE),
        ("телефон", "", SAYS_PHONE),
        ("κινητό", "", SAYS_PHONE),
        ("휴대폰", "", SAYS_PHONE),
        ("to", "+14155550123", 1),  # phone-shaped under a message's `to`
        ("to", "alice", 0),
        ("from_number", "+1 415 555 0123", 1),  # a party's number, phone-shaped
        ("callernumber", "1700 1234 ext. 12", 1),
        ("to_num", "ORD-123", 0),  # not phone-shaped: a reference
        ("to_no", "100000123456", 0),  # a transfer order's number as often
        ("ani", "", SAYS_PHONE),  # telephony's name for the caller's number
        ("smsNumber", "", SAYS_PHONE),  # camelCase: sms, number
        ("waNumber", "", SAYS_PHONE),
        ("hotelName", "", 0),  # `tel` inside a word is no word
        ("smsnumber", "", 0),  # lower case alone: no telling where its words end
        ("movil", "", SAYS_PHONE),  # `móvil` typed without its accent
        ("automovil", "", 0),  # a car
        ("mob_no", "", SAYS_PHONE),  # forms' abbreviations
        ("ph_no", "", SAYS_PHONE),
        ("phone_e164", "", SAYS_PHONE),
        ("e164", "", SAYS_PHONE),
        ("originator", "+14155550123", 1),  # an SMS gateway's sender, phone-shaped
        ("originator", "AcmeShop", 0),
        ("recipients", "447700900123", 1),  # a list of parties (MessageBird's recipients)
        ("destinations", "+447700900123", 1),
        ("recipients", "ann@example.org", 0),
        ("dnis", "", SAYS_PHONE),
        ("animation", "", 0),
        ("sms_count", "", -1),  # counted, dated or versioned: no phone
        ("smsCount", "", -1),
        ("phone_verified_at", "", -1),
        ("mobileAppVersion", "", -1),
        ("from", "whatsapp:+14155238886", 1),
        ("order_id", "4155550123", -1),
        ("sku", "", -1),
        ("account", "", 0),  # ends in `count`, but is its own word
        ("automobile", "", 0),
        ("hotel", "", 0),
        ("telemetry", "", 0),
        # Named by the way it is written (a number-lookup API's answer, Vonage's): the ways
        # are a phone's.
        ("international_format_number", "", SAYS_PHONE),
        ("national_format_number", "", SAYS_PHONE),
        ("nationalFormat", "", SAYS_PHONE),
        ("local_number", "", SAYS_PHONE),
        ("number_format", "", 0),  # no way of writing: a setting
        ("date_format_local", "", 0),  # a date's format, not a number's
        ("local_time", "", -1),
        # A count over a period is still a count (Plaid's `phone_change_count_90d`).
        ("phone_change_count_90d", "", -1),
        ("sms_count_24h", "", -1),
    ],
)
def test_field_names_say_phone(name: str, value: str, hint: int) -> None:
    assert phone_hint(name, value) == hint


def test_text_full_of_digits_stays_fast() -> None:
    # Every candidate is judged against the regions whose numbers have its length and pattern;
    # a page of phone-shaped groups stays within a generous bound (about 10x what it takes).
    text = " ".join(f"{i:03d} {i * 7 % 1000:03d} {i * 13 % 10000:04d}" for i in range(100))
    started = time.perf_counter()
    DETECTOR.detect(text, FieldContext.of("body", TEXT))
    assert time.perf_counter() - started < 2.0


# libphonenumber's own example numbers, written as libphonenumber writes them, for every default
# region: what people copy from a country's own conventions must be found without context.
# Argentina writes mobiles nationally with a `15` inserted (`011 15-2345-6789`), a form the
# national number's digits do not hold; it is found with context only.
_EXAMPLE_KINDS = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
_WRITTEN = (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
EXAMPLES = [
    phonenumbers.format_number(number, style)
    for region in DEFAULT_REGIONS
    for kind in _EXAMPLE_KINDS
    if (number := phonenumbers.example_number_for_type(region, kind)) is not None
    for style in _WRITTEN
    if not (region == "AR" and kind == _EXAMPLE_KINDS[0] and style == _WRITTEN[0])
]


@pytest.mark.parametrize("number", EXAMPLES)
def test_every_regions_example_numbers_are_found_as_written(number: str) -> None:
    text = f"reach the office at {number} today"
    assert any(found == number and score >= REDACTED for found, score in phones(text))


@st.composite
def look_alikes(draw: st.DrawFn) -> str:
    """Values that share a phone's digits and separators and are none: timestamps, dates,
    epoch seconds and milliseconds, versions, prices, order and invoice references."""
    n = draw(st.integers(min_value=0, max_value=10**6))
    kind = draw(st.sampled_from(range(8)))
    year, month, day = 1990 + n % 40, 1 + n % 12, 1 + n % 28
    hour, minute, second = n % 24, n % 60, (n // 60) % 60
    return [
        f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{n % 1000:03d}Z",
        f"{day:02d}.{month:02d}.{year} {hour:02d}:{minute:02d}",
        f"{1_500_000_000 + n * 97}",  # epoch seconds
        f"{1_500_000_000_000 + n * 9_973}",  # epoch milliseconds
        f"{n % 30}.{n % 17}.{n % 113}",  # version
        f"{n // 100}.{n % 100:02d} EUR",  # price
        f"ORD-{year}-{n:06d}",
        f"INV-{year}{month:02d}{day:02d}-{n % 10_000:04d}",
    ][kind]


@settings(deadline=None, max_examples=300)
@given(value=look_alikes(), before=st.sampled_from(["", "at ", "total: ", "ref "]))
def test_generated_look_alikes_are_not_phones(value: str, before: str) -> None:
    assert [p for p in phones(before + value) if p[1] >= REDACTED] == []


@pytest.mark.parametrize(
    ("text", "path", "kind", "expected"),
    [
        # North American grouping is a phone's grammar even where no exchange is assigned: as
        # the whole of a neutral field, with an extension, or after a `1-`/`001-`.
        ("809.030.1739", "settings[3].value", JSON, "809.030.1739"),
        ("(212) 010-4477", "contact.line", JSON, "(212) 010-4477"),
        ("001-259-994-4329x4023", "settings[3].value", JSON, "001-259-994-4329x4023"),
        ("write 1-809-030-1739 down", "body", TEXT, "1-809-030-1739"),
        ("reach 809-030-1739 x12 later", "body", TEXT, "809-030-1739 x12"),
        # Any locale's grouping is a phone's grammar, assigned or not.
        ("see 809-030-1739 today", "body", TEXT, "809-030-1739"),
        ("Ring 0754-323 19 tomorrow", "body", TEXT, "0754-323 19"),
        ("Bureau (0115) 496 0703", "body", TEXT, "(0115) 496 0703"),
        ("Звоните 8 (246) 281-9482", "body", TEXT, "8 (246) 281-9482"),  # a trunk before
        ("Ligue 61 0308-2462 hoje", "body", TEXT, "61 0308-2462"),  # an area code before
        # `+` and ten digits or more in groups, all a field holds: a phone, assigned or not
        ("+74(7)3899905130", "settings[3].value", JSON, "+74(7)3899905130"),
        ("+67 9 3989 421950", "config.data", JSON, "+67 9 3989 421950"),
        # What looks like a share or a decimal may still be a phone. A `%` alone is a
        # wildcard, not an escape; digits around one dot, all a field holds, are one in Italy
        # (`348.1234567`); a price beside it is no row of measures; a round line, said.
        ("WHERE phone LIKE '%4155550100%'", "db.statement", TEXT, "4155550100"),
        ("x LIKE '%+1 415 555 0100%'", "db.statement", TEXT, "+1 415 555 0100"),
        ("348.1234567", "data.value", JSON, "348.1234567"),
        ("Prezzo 19.99 - Mario 348.1234567", "body", TEXT, "348.1234567"),
        ("Tel.: (11) 3071.0000", "body", TEXT, "(11) 3071.0000"),
    ],
)
def test_grouped_grammar_is_a_phone(text: str, path: str, kind: FieldKind, expected: str) -> None:
    assert [p for p, score in phones(text, path, kind) if score >= 0.5] == [expected]


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("123-456-7890", "settings[3].value", JSON),  # no area code starts with 1
        ("paid 12 345 678 today", "body", TEXT),  # thousands, written with spaces
        ("due 2026-11-04 12", "body", TEXT),  # a date and an hour
        ("809.030.1739", "items[0].order_id", JSON),  # an id's name says it is none
        ("809-030-173901", "settings.value", JSON),  # no phone group has six digits
    ],
)
def test_north_american_grammar_needs_its_shape_and_place(
    text: str, path: str, kind: FieldKind
) -> None:
    assert [p for p, score in phones(text, path, kind) if score >= 0.5] == []


@pytest.mark.parametrize(
    ("name", "value", "found"),
    [
        # A message's party address, phone-shaped, is a phone whatever its key ends in.
        ("sender_id", "4155550000", True),
        ("from_number", "15550000000", True),
        # A party that is a handle or a name is not.
        ("sender_id", "ACME", False),
        ("sender_id", "support-bot", False),
    ],
)
def test_a_party_address_of_a_phones_shape_is_one(name: str, value: str, found: bool) -> None:
    from datamin.redactors.context import FieldRole

    ctx = FieldContext(path=f"sender.{name}", kind=JSON, name=name, role=FieldRole.PARTY)
    hits = [f for f in DETECTOR.detect(value, ctx) if f.entity == "PHONE_NUMBER"]
    assert bool(hits) is found


@pytest.mark.parametrize(
    ("value", "found"),
    [
        # A trunk 0 and an area code closed by a slash is a phone as all a field holds, its
        # range assigned or not; a two-digit code before an unbroken run may be a reference.
        ("05/ 324 03 83", True),
        ("06-28/038 5280", True),
        ("0664/123 45 67", True),
        ("04/123456", False),
        ("01/2024", False),
        ("15/01/2024", False),
    ],
)
def test_a_slashed_area_code_is_a_phones_writing(value: str, found: bool) -> None:
    got = phones(value, "ticket.custom_fields.value", JSON)
    assert (got == [(value, 0.55)]) if found else got == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("012-3456-7890に電話してください", "012-3456-7890"),  # "call ... please"
        ("0123-45-6789로 전화 주세요", "0123-45-6789"),
    ],
)
def test_a_call_word_after_the_number_in_japanese_and_korean(text: str, number: str) -> None:
    # The word glued after the number (a particle, then "phone call") says phone: the score of
    # a phone word, above what the number's grammar alone gives.
    assert (number, 0.85) in phones(text)
    assert (number, 0.85) not in phones(number + "です")


@pytest.mark.parametrize(
    ("path", "value", "found"),
    [
        # Luxembourg's numbers, and small exchanges', have six digits: all a field named phone
        # holds, in groups, they are one.
        ("customer.phone", "75 34 91", True),
        ("cf_contact_number", "4 792 51", True),
        # Bare, too: the whole number of a six-digit plan (Greenland's), or the subscriber's
        # part of a number whose country and area codes have fields of their own (Xero's
        # `Phones[].PhoneNumber` beside `PhoneAreaCode`); an extension may follow.
        ("customer.phone", "951121", True),
        ("Phones[0].PhoneNumber", "305678", True),
        ("phone.number", "012945", True),
        ("contacts[0].phones[0].value", "321000", True),
        # Plaid's `phone_numbers[].data`, beside `primary` and `type`: the phone's own data.
        ("identity.phone_numbers[0].data", "321000", True),
        ("international_format_number", "95 28 64", True),  # named by how it is written
        ("homephone", "951 121 ext. 12", True),
        ("customer.phone", "951-121", True),
        ("customer.phone", "12.05.24", False),  # a date's grouping
        ("customer.phone", "12-05-24", False),
        ("customer.phone", "75.12.34", True),  # New Caledonia's pairs: no day 75, no month 34
        ("contact.mobile", "90 1234", True),  # Tuvalu's
        ("employee.phone", "3 81234 ext. 12", True),  # Norfolk Island's
        ("customer.phone", "123456", True),  # as `1234567890` is under a phone's name
        # A code sent to the phone, its extension, an id: not the number.
        ("customer.phone_code", "951121", False),
        ("user.phoneVerificationCode", "951121", False),
        ("mobile_otp", "951121", False),
        ("phone_extension", "951121", False),
        ("cell_id", "951121", False),
        ("phone_number_count", "951121", False),
        ("phone_verified_at", "240115", False),
        ("mobile_app_version", "951121", False),  # the app's, not the number
        ("fax_enabled", "951121", False),
        ("phone_numbers[0].type", "951121", False),  # the data's kind, not the data
        ("accounts[0].data", "951121", False),  # data of what no name says is a phone
        ("shift.to", "12 30 00", False),  # `to` says phone only of a phone's length
        ("ticket.notes", "75 34 91", False),
    ],
)
def test_six_digits_are_a_phone_only_in_a_phone_field(path: str, value: str, found: bool) -> None:
    assert (phones(value, path, JSON) == [(value, 0.85)]) is found


@pytest.mark.parametrize(
    "said",
    [
        "मेरा नंबर {} है",  # hi: my number
        "আমার ফোন {}",  # bn: my phone
        "اتصل بي على {}",  # ar: call me on
        "شماره تلفن {}",  # fa: phone number
        "手机号 {}",  # zh: mobile number
        "携帯 {}",  # ja: mobile
        "звоните {}",  # ru: call
        "тел. {}",  # ru: tel.
        "SĐT {}",  # vi: phone number
        "hubungi {}",  # id: contact
        "κινητό {}",  # el: mobile
        "נייד {}",  # he: mobile
        "commande passée, numéro {}",
    ],
)
def test_phone_words_before_a_number_in_many_languages(said: str) -> None:
    # Ten bare digits, in no region's range: only the words say phone.
    assert phones(said.format("5850837783")) == [("5850837783", 0.85)]


@pytest.mark.parametrize(
    "said",
    [
        "номер заказа {}",  # ru: number of the order
        "订单号码 {}",  # zh: order number
        "注文番号 {}",  # ja: order number
        "주문번호 {}",  # ko: order number
        "ऑर्डर नंबर {}",  # hi: order number
        "commande numéro {}",
        "Nomor pesanan {}",  # id: order number
    ],
)
def test_a_reference_word_beside_a_number_word_makes_it_a_reference(said: str) -> None:
    assert phones(said.format("5850837783")) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # Unassigned ranges, written as nobody's region writes them: only the words after the
        # number say phone.
        ("6963608377 is my cell", "6963608377"),
        ("call me back, 3420837783 is my new number", "3420837783"),
        ("0412 3456 789 (mobile)", "0412 3456 789"),
        ("9850837783 - work phone", "9850837783"),
        ("026360837 est mon numéro", "026360837"),
        ("5850837783 ist meine Handynummer", "5850837783"),
    ],
)
def test_a_phone_word_after_the_number_says_phone(text: str, number: str) -> None:
    assert (number, 0.85) in phones(text)
    assert phones(number) == []  # alone, nothing says so


@pytest.mark.parametrize(
    "text",
    [
        "order 6963608377 is my phone order",  # a reference word before it wins
        "ticket #3420837783 (mobile app)",
        "6963608377 is the number of rows",  # "number" says phone only as someone's
        "6963608377 is my order number",
    ],
)
def test_words_after_a_number_that_do_not_make_it_a_phone(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(
    ("value", "phone"),
    [
        # All a custom field's answer holds: a number a region assigns after its trunk 0 is a
        # phone however it is grouped.
        ("0258366947", True),  # French, written without its pairs
        ("02888 152604", True),  # Northern Irish, its area code split off its own way
        ("12345678901", False),  # no trunk 0
        ("0312 345", False),  # too short to be anyone's
    ],
)
def test_a_custom_fields_answer_with_a_trunk_0_is_a_phone(value: str, phone: bool) -> None:
    for path in ("ticket.custom_fields[0].value", "data.value"):  # a container's value too
        assert bool(DETECTOR.detect(value, FieldContext.of(path, JSON))) is phone
    # Elsewhere the region's own grouping still decides: an id may start with 0.
    assert DETECTOR.detect(value, FieldContext.of("order.reference", JSON)) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # A word after a hyphen labels the number: a signature's `-Office`, `-Fax`.
        ("Hungary 34796\n082 490 1693-Office\\,+41 (0)69 979 80 58-Fax", "082 490 1693"),
        ("082 490 1693-Office\\,+41 (0)69 979 80 58-Fax", "+41 (0)69 979 80 58"),
        ("tel 3660170548-Fax", "3660170548"),
    ],
)
def test_a_word_after_a_hyphen_labels_the_number(text: str, number: str) -> None:
    assert any(found == number and score >= REDACTED for found, score in phones(text))


@pytest.mark.parametrize("text", ["ORD-2024-000123", "ref 2024-000123-ab", "id 555-1234-A"])
def test_digits_or_a_short_code_after_a_hyphen_go_on_an_identifier(text: str) -> None:
    assert phones(text) == []


def test_a_number_after_the_number_signs_word_and_dot_is_read() -> None:
    # `No.` glued to the number (forms, scans): the dot joins no word to it.
    assert [found for found, _ in phones("Tel No.0612 345 678")] == ["0612 345 678"]
    assert phones("SKU.0612 345 678") == []  # a word's dot, not the number sign's


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Tel.415-555-0132", "415-555-0132"),
        ("Mob.07700 900123", "07700 900123"),
        ("Tlf.22 33 44 55", "22 33 44 55"),
        ("Kind regards, Ana | Fax.030 1234567", "030 1234567"),
    ],
)
def test_a_phones_abbreviated_label_glued_by_its_dot_is_read(text: str, number: str) -> None:
    # Signatures and business cards write `Tel.` and the number without a space.
    assert any(found == number and score >= REDACTED for found, score in phones(text))


@pytest.mark.parametrize("text", ["PH-2024-000123", "MOB-20231105-0042", "Ph.D. 2019-2023"])
def test_a_phones_label_before_a_dash_is_a_references_prefix(text: str) -> None:
    assert phones(text) == []


def test_a_number_with_one_dot_may_still_be_a_phone() -> None:
    # Armenia writes an area code and the number around one dot (`90.837783`): all a message
    # says, it is a phone, whatever a decimal looks like (a coordinate pair is the
    # coordinates family's, and is replaced either way).
    assert phones("90.837783") != []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("User Maria (phone +1 415 555 0100) logged in", "+1 415 555 0100"),
        ("(call 0115 496 0703)", "0115 496 0703"),
        ("call (0115) 496 0703 today", "(0115) 496 0703"),  # the area code's own
    ],
)
def test_a_sentences_closing_parenthesis_is_not_the_numbers(text: str, number: str) -> None:
    assert [found for found, _ in phones(text)] == [number]


@pytest.mark.parametrize(
    "text",
    [
        ".columns.is-mobile>.column.is-1{flex:none;width:8.33333333%}",  # a share, by `mobile`
        "layout: 12.000000 wide",  # a decimal a program formatted
    ],
)
def test_a_share_or_a_formatted_decimal_is_no_phone(text: str) -> None:
    assert phones(text) == []


def test_a_percent_escape_after_a_number_does_not_make_it_a_share() -> None:
    assert [found for found, _ in phones("mobile 0612 345 678%20")] == ["0612 345 678"]


@pytest.mark.parametrize(
    "text",
    [
        # An SVG's box and points in a page and in a CSS data URI; colours before their stops.
        "url(\"data:image/svg+xml,%3csvg width='40' viewBox='12 12 40 40'%3e%3c/svg%3e\")",
        '<svg viewBox="0 0 1024 1024"><polygon points="10 20 300 400 500 600"/></svg>',
        "background-image:linear-gradient(141deg,#1f191a 0%,#363636 71%,#46403f 100%)",
        "progress{background:linear-gradient(to right,#363636 30%,#ededed 30%)}",
        '<path d="M1 1' + " L2 3" * 40 + ' M12 12 40 40 Z"/>',  # far into a long path
    ],
)
def test_measures_in_markup_and_colours_are_no_phones(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ('<input name="phone" value="06 12 34 56 78">', "06 12 34 56 78"),
        ('<a href="#top">Call 06 12 34 56 78</a>', "06 12 34 56 78"),
        # After `#`: no colour's stop follows (a review's cases, each kept by a first version).
        ("Phone #650-253-0000", "650-253-0000"),
        ("my number is #612 34 56 78", "612 34 56 78"),
        ("Mob#347 123 4567", "347 123 4567"),
        ("Ana Souza#+33 6 12 34 56 78#Paris", "+33 6 12 34 56 78"),
        # A measure's name whose value holds more than measures, or that is no measure's.
        ('level=info d="+33 6 12 34 56 78" msg=sent', "+33 6 12 34 56 78"),
        ('<g transform="Ana +49 30 12345678">', "+49 30 12345678"),
        ('y="Ana Souza, +33 6 12 34 56 78"', "+33 6 12 34 56 78"),
        ("WHERE r = '+33 6 12 34 56 78'", "+33 6 12 34 56 78"),
        ("let x = '06 12 34 56 78';", "06 12 34 56 78"),
        ('var d = "06 12 34 56 78";', "06 12 34 56 78"),  # code, not a tag's attribute
        ('<a points="06 12 34 56 78">x</a>', "06 12 34 56 78"),  # points come in pairs
        ('<a cx="06 12 34 56 78">x</a>', "06 12 34 56 78"),  # a coordinate is one number
    ],
)
def test_a_phone_in_markup_is_still_one(text: str, number: str) -> None:
    assert [found for found, _ in phones(text)] == [number]


def test_a_measures_name_says_no_phone_of_measures() -> None:
    assert phone_hint("cx", "74.7095305") == -1
    assert phone_hint("viewBox", "0 0 1024 1024") == -1
    assert phone_hint("mobile", "74.7095305") == SAYS_PHONE
    # Not a measure's value, or not a measure's name (`fx` is a fax's, `d` any record's key).
    assert phone_hint("points", "+33 6 12 34 56 78") == 0
    assert phone_hint("viewBox", "+44 20 7946 0958") == 0  # no drawing writes a `+`
    assert phone_hint("cx", "06 12 34 56 78") == 0
    for name in ("fx", "d", "x", "r", "rx"):
        assert phone_hint(name, "06 12 34 56 78") >= 0


def test_decimals_in_a_row_are_measures_not_phones() -> None:
    svg = 'transform="translate(52.284850, 49.123400)" cx="53.8419608" cy="47.5238"'
    assert phones(svg) == []
    assert phones("97.887623") != []  # alone, as Armenia writes a number
    assert len(phones("Call 97.887623 or 94.709005")) == 2  # a word says phone


@pytest.mark.parametrize(
    ("path", "kind", "value", "found"),
    [
        # An SSN's 3-2-4 grouping is also a phone's in some countries (Bolivia's toll-free
        # `800 17 1234`): under a phone's name it is one, an extension after it or not.
        ("shipping.phone", JSON, "800 17 1234", True),
        ("customer.mobile", JSON, "800-17-1234 ext. 12", True),
        ("request.form.phone_number", FORM, "800.17.1234", True),
        ("body", TEXT, "800 17 1234", False),  # no phone's word: an SSN's grouping
        ("request.body.ref", JSON, "800-17-1234", False),
        ("request.body.phone_verified_at", JSON, "2024-01-15", False),  # a date stays a date
        # A date's shape whose groups are no day and month, under a phone's name: a phone
        # (Haiti's `98 90 1234`), not without one.
        ("request.body.phone", JSON, "98 90 1234", True),
        ("request.body.sms_number", JSON, "80 01 2345 ext. 12", True),
        ("request.body.phone", JSON, "15 01 2024", False),
        ("body", TEXT, "98 90 1234", False),
    ],
)
def test_a_dates_or_an_ssns_grouping_under_a_phones_name_is_a_phone(
    path: str, kind: FieldKind, value: str, found: bool
) -> None:
    assert bool(phones(value, path, kind)) is found


@pytest.mark.parametrize(
    "value",
    ["1234567.89", "9876543.21", "2345678.90", "12345678.5"],
)
def test_an_amount_with_cents_is_not_a_phone(value: str) -> None:
    # A balance of a million and more, in cents after one point: no region writes a phone so,
    # though some assign its nine digits.
    assert phones(value, "request.body.balance", JSON) == []
    assert phones(f"balance {value} EUR") == []
    assert phones(value, "request.body.phone", JSON) != []  # a phone's name still says phone


@pytest.mark.parametrize(
    ("path", "value", "found"),
    [
        # A phone's part in a leaf of its own under the phone's name: the subscriber's number
        # beside its country and area codes.
        ("request.body.phone.subscriber_number", "79460958", True),
        ("request.body.telephone.local_number", "79460958", True),
        ("request.body.contact.phone.localNumber", "7946 0958", True),
        ("request.body.phone.sn", "794609", True),
        # Not a number's part, or not under a phone.
        ("request.body.phone.serial_number", "351234567890123", False),  # the device's
        ("request.body.phone.created", "1718123456", False),
        ("request.body.order.line_number", "100000123456", False),
    ],
)
def test_a_phones_part_under_its_name_is_a_phone(path: str, value: str, found: bool) -> None:
    assert bool(phones(value, path, JSON)) is found


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # A phone's word makes a year's shape a phone's again (fail closed).
        ("call me on 2024-05871", "2024-05871"),
    ],
)
def test_a_phone_word_keeps_a_year_shaped_number(text: str, number: str) -> None:
    assert any(text[s:e] == number or number in text[s:e] for s, e in spans_of(text))


def spans_of(text: str) -> list[tuple[int, int]]:
    found = DETECTOR.detect(text, FieldContext.of("body", TEXT))
    return [(f.start, f.end) for f in found if f.entity == "PHONE_NUMBER" and f.score >= REDACTED]
