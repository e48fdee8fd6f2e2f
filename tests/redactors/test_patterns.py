"""PatternDetector: validated structured identifiers, and the look-alikes it must leave alone."""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.entities import ENTITIES
from datamin.redactors.patterns import PatternDetector, _Spans

TEXT = FieldKind.TEXT
JSON = FieldKind.JSON
QUERY = FieldKind.QUERY
META = FieldKind.META
HEADER = FieldKind.HEADER

UUID = "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
TWILIO_MESSAGE_SID = "SM" + "0123456789abcdef" * 2

DETECTOR = PatternDetector()


def spans(text: str, path: str = "body", kind: FieldKind = TEXT) -> list[tuple[str, str]]:
    """(entity, matched text) for each finding, in order."""
    findings = DETECTOR.detect(text, FieldContext.of(path, kind))
    return [(f.entity, text[f.start : f.end]) for f in findings]


def entities(text: str, path: str = "body", kind: FieldKind = TEXT) -> set[str]:
    return {entity for entity, _ in spans(text, path, kind)}


# (text, field path, kind, entity, expected span)
POSITIVE = [
    # Email addresses
    # Someone's address in angle brackets under an id is still theirs.
    ("<ann.lee@example.com>", "user_id", JSON, "EMAIL_ADDRESS", "ann.lee@example.com"),
    ("contact jane.doe@example.com today", "body", TEXT, "EMAIL_ADDRESS", "jane.doe@example.com"),
    (
        "first.last+tag@sub.example.co.uk",
        "body",
        TEXT,
        "EMAIL_ADDRESS",
        "first.last+tag@sub.example.co.uk",
    ),
    ("Bob@Example.COM", "request.body.email", JSON, "EMAIL_ADDRESS", "Bob@Example.COM"),  # case
    ("mailto:alice@example.org", "body", TEXT, "EMAIL_ADDRESS", "alice@example.org"),  # scheme
    ('{"email":"bob@example.com"}', "body", TEXT, "EMAIL_ADDRESS", "bob@example.com"),  # in JSON
    ("'j.o'neil@example.ie'", "body", TEXT, "EMAIL_ADDRESS", "j.o'neil@example.ie"),  # quote
    ("an jörg@bücher.de", "body", TEXT, "EMAIL_ADDRESS", "jörg@bücher.de"),  # internationalized
    # URL-encoded `@` in a query string nobody decoded.
    (
        "https://x.test/?email=jane.doe%40example.com",
        "request.url",
        FieldKind.URL,
        "EMAIL_ADDRESS",
        "jane.doe%40example.com",
    ),
    # Phone numbers
    ("+14155550123", "request.body.to", JSON, "PHONE_NUMBER", "+14155550123"),  # E.164
    ("ring +44 20 7946 0958", "body", TEXT, "PHONE_NUMBER", "+44 20 7946 0958"),  # grouped E.164
    ("+44 20 7946 0958 2024", "body", TEXT, "PHONE_NUMBER", "+44 20 7946 0958"),  # a year after
    ("+1 (415) 555-0123", "body", TEXT, "PHONE_NUMBER", "+1 (415) 555-0123"),
    ("call me at (415) 555-0123", "body", TEXT, "PHONE_NUMBER", "(415) 555-0123"),
    ("415-555-0123", "body", TEXT, "PHONE_NUMBER", "415-555-0123"),
    ("415.555.0123", "body", TEXT, "PHONE_NUMBER", "415.555.0123"),
    ("1-800-555-0199", "body", TEXT, "PHONE_NUMBER", "1-800-555-0199"),  # trunk prefix
    # national numbers behind a trunk 0, valid in one of the regions tried (UK, Germany)
    ("My new number is 020 7946 0096 and", "body", TEXT, "PHONE_NUMBER", "020 7946 0096"),
    ("call 030 1234 5678 now", "body", TEXT, "PHONE_NUMBER", "030 1234 5678"),
    ("4155550123", "request.body.customer.phone", JSON, "PHONE_NUMBER", "4155550123"),  # by name
    ("4155550123", "request.query.mobile_number", QUERY, "PHONE_NUMBER", "4155550123"),
    # `date` inside `candidate`, `count` inside `account`: words inside words say nothing.
    ("(415) 555-0123", "request.body.candidate_contact", JSON, "PHONE_NUMBER", "(415) 555-0123"),
    ("+14155550123", "request.body.account", JSON, "PHONE_NUMBER", "+14155550123"),
    # Payment cards
    ("4111 1111 1111 1111", "body", TEXT, "CREDIT_CARD", "4111 1111 1111 1111"),  # Visa
    ("4111-1111-1111-1111", "body", TEXT, "CREDIT_CARD", "4111-1111-1111-1111"),
    ("4111.1111.1111.1111", "body", TEXT, "CREDIT_CARD", "4111.1111.1111.1111"),
    ("card:4111111111111111 exp 12/25", "body", TEXT, "CREDIT_CARD", "4111111111111111"),
    ("5500 0000 0000 0004", "body", TEXT, "CREDIT_CARD", "5500 0000 0000 0004"),  # Mastercard
    ("2223003122003222", "body", TEXT, "CREDIT_CARD", "2223003122003222"),  # Mastercard 2-series
    ("3782 822463 10005", "body", TEXT, "CREDIT_CARD", "3782 822463 10005"),  # Amex 4-6-5
    ("6011 1111 1111 1117", "body", TEXT, "CREDIT_CARD", "6011 1111 1111 1117"),  # Discover
    # A CVV typed after the number is not part of it, and does not hide it.
    ("4111 1111 1111 1111 123", "body", TEXT, "CREDIT_CARD", "4111 1111 1111 1111"),
    # US SSNs
    ("SSN 536-22-1234 on file", "body", TEXT, "US_SSN", "536-22-1234"),
    ("123456789", "request.body.ssn", JSON, "US_SSN", "123456789"),  # bare, the name says so
    ("123 45 6789", "request.body.tax_id", JSON, "US_SSN", "123 45 6789"),
    ("536221234", "request.body.social_security_number", JSON, "US_SSN", "536221234"),
    ("536221234", "applicant.soc_sec_no", JSON, "US_SSN", "536221234"),  # abbreviated
    # Under its own name an SSN's shape is one, though the check refuses it (fail closed).
    ("078-05-1120", "request.body.social_security_number", JSON, "US_SSN", "078-05-1120"),
    # So is all a form's answer or a container's value written as SSNs are (9xx: never issued).
    ("909-37-8657", "ticket.custom_fields[1].value", JSON, "US_SSN", "909-37-8657"),
    ("909-37-8657", "data.value", JSON, "US_SSN", "909-37-8657"),
    # IBANs
    ("DE89 3704 0044 0532 0130 00", "body", TEXT, "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    # under its name, an IBAN's shape from a country that has none (generators make them)
    ("TH831516204661", "payout.iban", JSON, "IBAN_CODE", "TH831516204661"),
    # ... and after the word in a sentence
    ("Hi, my IBAN is TH83 1516 2046 61, thanks", "body", TEXT, "IBAN_CODE", "TH83 1516 2046 61"),
    ("pay to GB82WEST12345698765432.", "body", TEXT, "IBAN_CODE", "GB82WEST12345698765432"),
    (
        "FR14 2004 1010 0505 0001 3M02 606",
        "body",
        TEXT,
        "IBAN_CODE",
        "FR14 2004 1010 0505 0001 3M02 606",
    ),
    ("NL91ABNA0417164300", "request.body.iban", JSON, "IBAN_CODE", "NL91ABNA0417164300"),
    # The registry length says where the IBAN ends when a BIC follows it.
    (
        "DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX",
        "body",
        TEXT,
        "IBAN_CODE",
        "DE89 3704 0044 0532 0130 00",
    ),
    # IP addresses
    ("client 192.168.1.10 connected", "body", TEXT, "IP_ADDRESS", "192.168.1.10"),
    ("8.8.8.8:53", "body", TEXT, "IP_ADDRESS", "8.8.8.8"),  # with a port
    ("http://10.0.0.1/admin", "request.url", FieldKind.URL, "IP_ADDRESS", "10.0.0.1"),
    (
        "203.0.113.7, 198.51.100.2",
        "request.headers.x-forwarded-for",
        HEADER,
        "IP_ADDRESS",
        "203.0.113.7",
    ),
    (
        "/ip/8.8.8.8",
        "request.url_path",
        FieldKind.URL_PATH,
        "IP_ADDRESS",
        "8.8.8.8",
    ),  # lowercase segment, not a product token
    ("2001:db8::8a2e:370:7334", "body", TEXT, "IP_ADDRESS", "2001:db8::8a2e:370:7334"),
    (
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "body",
        TEXT,
        "IP_ADDRESS",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ),
    ("[2001:db8::1]:443", "body", TEXT, "IP_ADDRESS", "2001:db8::1"),
    ("::ffff:192.0.2.1", "body", TEXT, "IP_ADDRESS", "::ffff:192.0.2.1"),  # IPv4-mapped, whole
    ("connecting from ::1", "body", TEXT, "IP_ADDRESS", "::1"),  # loopback, standing alone
]

# Under an id's name a number is the id's own, but not a phone written for the world, `+` and
# a valid number filling the value: a system keying people by their phone (Kong's consumer
# `custom_id` held a planted one, kept whole, in a gateway review).
PHONE_AS_ID = [
    ("+442079460958", "kong.consumer.custom_id"),
    ("+44 20 7946 0958", "request.body.external_id"),
    ("+1 (415) 555-0173", "request.body.user_id"),
    (" +33 1 23 45 67 89", "request.body.ids"),
    ("+14155550123", "request.body.order_id"),  # no order's id is written with a calling code
]


@pytest.mark.parametrize(("text", "path"), PHONE_AS_ID)
def test_a_phone_written_internationally_is_one_under_an_ids_name(text: str, path: str) -> None:
    assert ("PHONE_NUMBER", text.strip()) in spans(text, path, JSON)


# ... and what ids under those names look like stays: no `+`, no valid number, or more than one.
@pytest.mark.parametrize(
    "text",
    [
        "4155550123",  # bare digits: the id's own
        "+20240919",  # a `+` before a date-like id: no valid number
        "+12345678",
        "+442079460958x",  # glued to a letter: a token
        "+0530",  # an offset
        "cus_+442079460958",  # inside an id
        "+44 20 7946 0958, +44 20 7946 0959",  # a list is no one number
        "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f",
    ],
)
def test_an_ids_own_number_stays_under_its_name(text: str) -> None:
    assert "PHONE_NUMBER" not in entities(text, "request.body.customer_id", JSON)


@pytest.mark.parametrize(("text", "path", "kind", "entity", "expected"), POSITIVE)
def test_finds(text: str, path: str, kind: FieldKind, entity: str, expected: str) -> None:
    assert (entity, expected) in spans(text, path, kind)


@pytest.mark.parametrize(
    ("text", "path", "kind", "entity"),
    [
        # Emails
        ("logo@2x.png", "body", TEXT, "EMAIL_ADDRESS"),  # retina asset name
        ("user@localhost", "body", TEXT, "EMAIL_ADDRESS"),  # no TLD
        ("a@b.c", "body", TEXT, "EMAIL_ADDRESS"),  # one-letter TLD
        ("npm i lodash@4.17.21", "body", TEXT, "EMAIL_ADDRESS"),  # package@version
        ("foo@bar.123", "body", TEXT, "EMAIL_ADDRESS"),  # numeric TLD
        ("@@@@", "body", TEXT, "EMAIL_ADDRESS"),
        # A mail's Message-ID is made like an address and reaches no one.
        ("<CAF8x2Q@mail.gmail.com>", "request.body.message_id", JSON, "EMAIL_ADDRESS"),
        ("<a1b2@example.com>", "headers.In-Reply-To", FieldKind.HEADER, "EMAIL_ADDRESS"),
        # ...as a mail API returns it under its `id` (Mailgun's send response).
        ("<20260101123456.1a2b3c4d5e6f@mg.example.com>", "response.id", JSON, "EMAIL_ADDRESS"),
        # `hunter2@db.example.com` is a password and a host, the credential detector's business.
        ("https://bob:hunter2@db.example.com/x", "request.url", FieldKind.URL, "EMAIL_ADDRESS"),
        # Phones: the field name says it is not one
        ("415-555-0123", "request.body.order_id", JSON, "PHONE_NUMBER"),
        ("order 0000000029 shipped", "body", TEXT, "PHONE_NUMBER"),  # zero-padded id: no separator
        ("/v1/ssn/078-05-1120", "request.path", FieldKind.URL_PATH, "PHONE_NUMBER"),  # SSN shape
        ("+1415555", "request.body.order_id", JSON, "PHONE_NUMBER"),  # `+` and no valid number
        ("4155550123", "request.query.id", QUERY, "PHONE_NUMBER"),
        ("4155550123", "request.query.user_id", QUERY, "PHONE_NUMBER"),
        ("415-555-0123", "request.body.sku", JSON, "PHONE_NUMBER"),
        ("415-555-0123", "request.body.version", JSON, "PHONE_NUMBER"),
        ("415-555-0123", "request.body.timestamp", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.size", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.count", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.price", JSON, "PHONE_NUMBER"),
        # A ZIP+4 or a Brazilian CEP has a phone's groups; a postcode's key says what it is.
        ("35207-2837", "response.MailingPostalCode", JSON, "PHONE_NUMBER"),
        ("53900-8838", "request.form.billing_address.zip", FieldKind.FORM, "PHONE_NUMBER"),
        ("17172205620", "user.employeeNumber", JSON, "PHONE_NUMBER"),  # an HR system's number
        ("415.555.0123", "request.body.amount", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.latency", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "response.body.status", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.retry_count", JSON, "PHONE_NUMBER"),
        ("415.555.0123", "request.body.created_date", JSON, "PHONE_NUMBER"),
        ("4155550123", "response.bodySize", META, "PHONE_NUMBER"),  # technical field
        ("4155550123", "response.status", META, "PHONE_NUMBER"),
        # Phones: look-alikes anywhere
        ("4155550123", "body", TEXT, "PHONE_NUMBER"),  # a bare digit run is not enough
        ("1705312200123", "body", TEXT, "PHONE_NUMBER"),  # epoch milliseconds
        ("123-456-7890", "body", TEXT, "PHONE_NUMBER"),  # no NANP area code starts with 1
        (UUID, "body", TEXT, "PHONE_NUMBER"),
        ("ORD-2024-000123", "body", TEXT, "PHONE_NUMBER"),  # order number
        ("SKU-88412-BLK", "body", TEXT, "PHONE_NUMBER"),
        ("2024-01-15T10:30:00.123-05:00", "body", TEXT, "PHONE_NUMBER"),  # ISO timestamp
        ("2.31.0", "body", TEXT, "PHONE_NUMBER"),  # version
        ("192.168.100.123", "body", TEXT, "PHONE_NUMBER"),  # IP address
        ("4111 1111 1111 1111", "body", TEXT, "PHONE_NUMBER"),  # card number
        ("4111111111111111", "body", TEXT, "PHONE_NUMBER"),
        ("+4111111111111111", "body", TEXT, "PHONE_NUMBER"),  # too long for E.164
        ("19.99", "request.body.price", JSON, "PHONE_NUMBER"),
        (TWILIO_MESSAGE_SID, "request.body.MessageSid", FieldKind.FORM, "PHONE_NUMBER"),
        # Cards
        ("4111 1111 1111 1112", "body", TEXT, "CREDIT_CARD"),  # Luhn fails
        ("1234 5678 9012 3452", "body", TEXT, "CREDIT_CARD"),  # Luhn-valid, no issuer has 1
        ("0000 0000 0000 0000", "body", TEXT, "CREDIT_CARD"),  # Luhn-valid placeholder
        ("4111-1111 1111.1111", "body", TEXT, "CREDIT_CARD"),  # mixed separators
        ("41111111111111111111111", "body", TEXT, "CREDIT_CARD"),  # 23-digit run
        ("x4111111111111111", "body", TEXT, "CREDIT_CARD"),  # glued to a word
        ("1705312200123", "body", TEXT, "CREDIT_CARD"),  # epoch milliseconds
        ("378282246310006", "body", TEXT, "CREDIT_CARD"),  # Amex prefix, Luhn fails
        # SSNs
        ("000-12-3456", "body", TEXT, "US_SSN"),  # area 000
        ("666-12-3456", "body", TEXT, "US_SSN"),  # area 666
        ("912-34-5678", "body", TEXT, "US_SSN"),  # area 9xx
        ("123-00-4567", "body", TEXT, "US_SSN"),  # group 00
        ("123-45-0000", "body", TEXT, "US_SSN"),  # serial 0000
        ("078-05-1120", "body", TEXT, "US_SSN"),  # the Woolworth wallet number
        ("536221234", "body", TEXT, "US_SSN"),  # nine bare digits, no name to say so
        ("536221234", "request.body.classname", JSON, "US_SSN"),  # `ssn` inside a word
        ("ORD-536-22-12345", "body", TEXT, "US_SSN"),  # part of a longer code
        ("2024-01-15", "body", TEXT, "US_SSN"),
        ("909-37-8657", "order.reference", JSON, "US_SSN"),  # a name that says what it is
        ("000-00-0000", "data.value", JSON, "US_SSN"),  # a form's placeholder
        # IBANs
        ("DE89 3704 0044 0532 0130 01", "body", TEXT, "IBAN_CODE"),  # checksum fails
        ("XX89370400440532013000", "body", TEXT, "IBAN_CODE"),  # no such country
        ("XDE89370400440532013000", "body", TEXT, "IBAN_CODE"),  # glued to a letter
        ("SKU-88412-BLK", "body", TEXT, "IBAN_CODE"),
        # IPs
        ("1.2.3.4.5", "body", TEXT, "IP_ADDRESS"),  # a dotted version, not an address
        ("v1.2.3.4", "body", TEXT, "IP_ADDRESS"),
        ("1.2.3.4", "request.body.app_version", JSON, "IP_ADDRESS"),  # the name says version
        (USER_AGENT, "request.headers.user-agent", HEADER, "IP_ADDRESS"),
        (USER_AGENT, "body", TEXT, "IP_ADDRESS"),  # `Chrome/120.0.0.0` is a product version
        ("999.1.1.1", "body", TEXT, "IP_ADDRESS"),  # octet out of range
        ("01.02.03.04", "body", TEXT, "IP_ADDRESS"),  # leading zeros: dates, not addresses
        ("2.31.0", "body", TEXT, "IP_ADDRESS"),
        ("10:30:00", "body", TEXT, "IP_ADDRESS"),  # clock time
        ("std::vector<int>", "body", TEXT, "IP_ADDRESS"),
        ("a::b", "body", TEXT, "IP_ADDRESS"),  # C++ scope: an address this short has a digit
        ("00:1A:2B:3C:4D:5E", "body", TEXT, "IP_ADDRESS"),  # MAC address
        (UUID, "body", TEXT, "IP_ADDRESS"),
    ],
)
def test_leaves_alone(text: str, path: str, kind: FieldKind, entity: str) -> None:
    assert entity not in entities(text, path, kind)


@pytest.mark.parametrize(
    "text",
    [
        "GET",
        "application/json",
        "en-US,en;q=0.9",
        "gzip, deflate, br",
        "max-age=0",
        "no-cache",
        "keep-alive",
        UUID,
        USER_AGENT,
        "2024-01-15T10:30:00Z",
        "Mon, 15 Jan 2024 10:30:00 GMT",
        "ORD-2024-000123",
        "SKU-88412-BLK",
        "2.31.0",
        "19.99",
        TWILIO_MESSAGE_SID,
        "",
    ],
)
def test_ordinary_values_have_no_findings(text: str) -> None:
    assert spans(text, "request.headers.x-whatever", HEADER) == []


def test_scores_say_how_sure() -> None:
    def score(text: str, path: str = "body", kind: FieldKind = TEXT) -> float:
        (finding,) = DETECTOR.detect(text, FieldContext.of(path, kind))
        return finding.score

    assert score("+14155550123") >= 0.9  # validated international number
    assert score("415-555-0123") == 0.6  # national, nothing around it says phone
    assert score("phone: 415-555-0123") >= 0.8  # a context word nearby
    assert score("415-555-0123", "request.body.phone", JSON) >= 0.8  # the field name says phone
    assert score("4111 1111 1111 1111") == 1.0
    assert score("GB82WEST12345698765432") == 1.0


def test_every_finding_is_a_known_entity_from_this_detector() -> None:
    text = "jane@example.com +14155550123 4111111111111111 536-22-1234 10.0.0.1"
    findings = DETECTOR.detect(text, FieldContext.of("body", TEXT))
    assert len(findings) == 5
    assert all(f.entity in ENTITIES and f.detector == "patterns" for f in findings)


def test_lone_surrogate_keeps_offsets() -> None:
    # json.loads accepts "\ud800"; RE2 cannot encode it. Spans must still index the original.
    text = "\ud800 mail jane@example.com"
    assert spans(text) == [("EMAIL_ADDRESS", "jane@example.com")]


def test_non_ascii_text_keeps_character_offsets() -> None:
    text = "Grüße von José: josé.garcía@example.com oder jose@example.es, Tel. +34 612 34 56 78"
    assert ("EMAIL_ADDRESS", "josé.garcía@example.com") in spans(text)  # not `a@example.com`
    assert ("EMAIL_ADDRESS", "jose@example.es") in spans(text)
    assert ("PHONE_NUMBER", "+34 612 34 56 78") in spans(text)


# Property tests ---------------------------------------------------------------------------

FILLER = st.text(alphabet=string.ascii_letters + ",;:!?()", max_size=40)


@st.composite
def visa_numbers(draw: st.DrawFn) -> str:
    body = "4" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=14, max_size=14)))
    return body + luhn.calc_check_digit(body)


@settings(deadline=None)
@given(number=visa_numbers(), before=FILLER, after=FILLER, grouped=st.booleans())
def test_any_luhn_valid_visa_in_text_is_found(
    number: str, before: str, after: str, grouped: bool
) -> None:
    if grouped:
        number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert ("CREDIT_CARD", number) in spans(f"{before} {number} {after}")


# File suffixes are refused as TLDs (`logo@2x.png`); a random TLD must not be one.
FILES = frozenset(
    "png jpg jpeg gif svg webp avif bmp ico tif tiff css js mjs map json html htm "
    "xml pdf txt woff woff2 ttf otf eot mp3 mp4 webm wasm".split()
)
LABEL = st.from_regex(r"[a-z0-9]([a-z0-9\-]{0,10}[a-z0-9])?", fullmatch=True)


@st.composite
def emails(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9_+\-]|\.[A-Za-z0-9]){0,20}", fullmatch=True))
    labels = draw(st.lists(LABEL, min_size=1, max_size=3))
    tld = draw(st.from_regex(r"[a-z]{2,10}", fullmatch=True).filter(lambda t: t not in FILES))
    return f"{local}@{'.'.join(labels)}.{tld}"


@settings(deadline=None)
@given(address=emails(), before=FILLER, after=FILLER)
def test_any_wellformed_email_in_text_is_found(address: str, before: str, after: str) -> None:
    assert ("EMAIL_ADDRESS", address) in spans(f"{before} {address} {after}")


@settings(deadline=None, max_examples=300)
@given(text=st.text(max_size=300), kind=st.sampled_from(list(FieldKind)))
def test_any_text_gives_wellformed_findings(text: str, kind: FieldKind) -> None:
    for f in DETECTOR.detect(text, FieldContext.of("request.body.x", kind)):
        assert 0 <= f.start < f.end <= len(text)
        assert 0.0 < f.score <= 1.0
        assert f.entity in ENTITIES


# Linear time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a." * 25_000,
        "." * 50_000,
        "@" * 50_000,
        "a@" * 25_000,
        "1." * 25_000,
        "1" * 50_000,
        ":" * 50_000,
        "-" * 50_000,
        "a" * 49_999 + "@",
        "1-" * 25_000,
    ],
    ids=["a.a.", "dots", "ats", "a@a@", "1.1.", "digits", "colons", "dashes", "long-local", "1-1-"],
)
def test_pathological_input_takes_linear_time(text: str) -> None:
    # A guard against catastrophic backtracking, not a benchmark: the bound is 10x the budget.
    started = time.perf_counter()
    DETECTOR.detect(text, FieldContext.of("body", TEXT))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("value", "path", "kind", "found"),
    [
        # The whole of a value in a container that says nothing, written as an IBAN: one,
        # whatever its length or checksum (Faker's `en_IN` and `th_TH` make these).
        ("GB12FMOW5112532870465", "settings.value", FieldKind.JSON, True),
        ("PH78 5055 6130 4451 6691", "data.value", FieldKind.JSON, True),
        ("TH494153776020", "config.value", FieldKind.JSON, True),
        # Not a country's code, not capitals, or in a message whose check must hold.
        ("AB12CDEF34567890", "settings.value", FieldKind.JSON, False),
        ("gb12fmow5112532870465", "settings.value", FieldKind.JSON, False),
        ("GB12FMOW5112532870465", "body", FieldKind.TEXT, False),
        ("GB12FMOW5112532870465", "request.body.sku", FieldKind.JSON, False),
    ],
)
def test_an_iban_written_as_one_in_a_field_that_says_nothing(
    value: str, path: str, kind: FieldKind, found: bool
) -> None:
    entities = [f.entity for f in DETECTOR.detect(value, FieldContext.of(path, kind))]
    assert ("IBAN_CODE" in entities) is found


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("pago.cuenta_bancaria", True),
        ("facture.compte_bancaire", True),
        ("fornitore.conto_corrente", True),
        ("przelew.numer_konta", True),
        ("odeme.hesap_no", True),
        ("振込.口座番号", True),
        ("платеж.расчетный_счет", True),
        ("facture.rib", True),  # France's relevé d'identité bancaire, as a word of the name
        ("product.attribute", False),  # `rib` inside a word is no account
    ],
)
def test_an_account_fields_name_in_other_languages_fails_closed(path: str, found: bool) -> None:
    # A German IBAN's shape whose check fails, under a name that says bank account.
    value = "DE74325489166074140365"
    entities = [f.entity for f in DETECTOR.detect(value, FieldContext.of(path, FieldKind.JSON))]
    assert ("IBAN_CODE" in entities) is found


_SPAN = st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1]))


@given(st.lists(_SPAN, max_size=30), _SPAN)
def test_taken_spans_answer_overlap_as_a_scan_would(spans: list, probe: tuple) -> None:
    # A binary search over spans sorted by start, with the furthest end so far, answers what
    # a scan over every span answers.
    start, end = probe
    expected = any(s < end and start < e for s, e in spans)
    assert _Spans(spans).overlaps(start, end) is expected


def test_a_value_of_thousands_of_addresses_keeps_each() -> None:
    # Each address is asked whether it overlaps the others: all are found, none lost.
    text = "10.0.0.1 " * 2000
    found = DETECTOR.detect(text, FieldContext.of("s", FieldKind.JSON))
    assert sum(f.entity == "IP_ADDRESS" for f in found) == 2000
