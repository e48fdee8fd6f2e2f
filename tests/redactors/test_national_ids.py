"""NationalIdDetector: Presidio's identifier breadth under our context, fail-closed and precision
rules, and the look-alikes it must leave alone. Every value here is made up for this file
(checksums computed, not copied)."""

from __future__ import annotations

import random
import string
from collections import defaultdict

import pytest
import re2

from datamin.redactors._presidio_adapter import load_rules, to_re2
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.entities import ENTITIES, Category
from datamin.redactors.national_ids import (
    _STRONG_CHECKS,
    _WEAK_CHECKS,
    TEXT_ONLY,
    NationalIdDetector,
)
from datamin.redactors.registry import DEFAULT_REGIONS, DetectorSettings, build_detectors

TEXT = FieldKind.TEXT
JSON = FieldKind.JSON
HEADER = FieldKind.HEADER
MIN_SCORE = 0.5  # what `redact_only` accepts

NHS = "4186091390"  # mod-11 check holds
AADHAAR = "532122330792"  # Verhoeff check holds
ABN = "36294348068"
SIN = "295761456"  # Luhn holds
ROUTING = "056741397"  # ABA check holds
BTC = "1L5n1nwReMKzE6wKn6p8WhXfstBVRd5NCN"  # base58check holds


@pytest.fixture(scope="module")
def detector() -> NationalIdDetector:
    return NationalIdDetector(DetectorSettings())


def accepted(
    detector: NationalIdDetector, text: str, path: str = "body", kind: FieldKind = TEXT
) -> list[tuple[str, str]]:
    """(entity, matched text) of the findings `redact_only` would act on."""
    found = detector.detect(text, FieldContext.of(path, kind))
    return sorted((f.entity, text[f.start : f.end]) for f in found if f.score >= MIN_SCORE)


# (text, field path, kind, entity, span)
POSITIVE = [
    # Field names say it: the value goes whatever the checksum thinks (fail closed).
    ("X12345678", "customer.passport_number", JSON, "US_PASSPORT", "X12345678"),
    ("123456789", "payment.routing_number", JSON, "ABA_ROUTING_NUMBER", "123456789"),  # bad check
    ("4000000000", "patient.nhs", JSON, "UK_NHS", "4000000000"),  # check fails, field says NHS
    (SIN, "applicant.sin", JSON, "CA_SIN", SIN),
    (AADHAAR, "kyc.aadhaarNumber", JSON, "IN_AADHAAR", AADHAAR),  # camelCase name
    ("00:1a:2b:3c:4d:5e", "device.mac_address", JSON, "MAC_ADDRESS", "00:1a:2b:3c:4d:5e"),
    # A shape no pattern knows, under a field named for the identifier (another country's
    # passport, a mistyped number): still that identifier.
    ("12AB34567", "traveller.passport_number", JSON, "US_PASSPORT", "12AB34567"),
    (" ZX 12 9 88 ", "employee.nino", JSON, "UK_NINO", "ZX 12 9 88"),
    # ... an Ethereum address (42 characters), a PAN card's number, a number plate.
    (
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "customer.eth_wallet",
        JSON,
        "CRYPTO",
        "0x52908400098527886E0F7030069857D2E4169EE7",
    ),
    ("ABCDE1234F", "kyc.pan_number", JSON, "IN_PAN", "ABCDE1234F"),
    ("ABC-1234", "vehicle.license_plate", JSON, "UK_VEHICLE_REGISTRATION", "ABC-1234"),
    # Context words nearby in text.
    ("my passport number is X12345678", "body", TEXT, "US_PASSPORT", "X12345678"),
    (f"NHS number {NHS} please", "body", TEXT, "UK_NHS", NHS),
    (f"Aadhaar: {AADHAAR}", "body", TEXT, "IN_AADHAAR", AADHAAR),
    (f"the routing number is {ROUTING}", "body", TEXT, "ABA_ROUTING_NUMBER", ROUTING),
    (f"your SIN {SIN} was updated", "body", TEXT, "CA_SIN", SIN),
    (f"ABN {ABN}", "body", TEXT, "AU_ABN", ABN),
    ("Vehicles AB51 ABC were seen", "body", TEXT, "UK_VEHICLE_REGISTRATION", "AB51 ABC"),
    # A context word and a failing checksum: still removed (validation never vetoes context).
    ("NHS number 4000000000", "body", TEXT, "UK_NHS", "4000000000"),
    # Strong shapes alone: a checksum that holds, or a specific capitalized format.
    (f"sent to {BTC} yesterday", "body", TEXT, "CRYPTO", BTC),
    ("gateway 00:1A:2B:3C:4D:5E is down", "body", TEXT, "MAC_ADDRESS", "00:1A:2B:3C:4D:5E"),
    ("ref 0012.3456.789a in the log", "body", TEXT, "MAC_ADDRESS", "0012.3456.789a"),  # Cisco
    (f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}", "body", TEXT, "UK_NHS", f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}"),
    ("holder S1234567D", "body", TEXT, "SG_NRIC_FIN", "S1234567D"),
    # A strong pattern whose own check has no opinion still counts, in capitals.
    ("holder DOEXX805125AB1CD", "body", TEXT, "UK_DRIVING_LICENCE", "DOEXX805125AB1CD"),
    # Digits in the identifier's own three groups: a strong grouped pattern, or a check.
    ("filed 912-70-1234 today", "body", TEXT, "US_ITIN", "912-70-1234"),
    (
        f"filed {SIN[:3]} {SIN[3:6]} {SIN[6:]} ok",
        "body",
        TEXT,
        "CA_SIN",
        f"{SIN[:3]} {SIN[3:6]} {SIN[6:]}",
    ),
    (
        f"{AADHAAR[:4]}:{AADHAAR[4:8]}:{AADHAAR[8:]}",
        "body",
        TEXT,
        "IN_AADHAAR",
        f"{AADHAAR[:4]}:{AADHAAR[4:8]}:{AADHAAR[8:]}",
    ),
    ("filed by ABCPE1234F", "body", TEXT, "IN_PAN", "ABCPE1234F"),
    # Beyond Presidio's recognizers, checked by python-stdnum: a word, or the field's name.
    ("meu CPF é 390.533.447-05", "body", TEXT, "BR_CPF", "390.533.447-05"),
    ("39053344705", "cliente.cpf", JSON, "BR_CPF", "39053344705"),
    ("CNPJ 16.727.230/0001-97", "body", TEXT, "BR_CNPJ", "16.727.230/0001-97"),
    ("CURP: BOXW310820HNERXN09", "body", TEXT, "MX_CURP", "BOXW310820HNERXN09"),
    ("GODE561231GR8", "facturacion.rfc", JSON, "MX_RFC", "GODE561231GR8"),
    ("IMEI 35686800-004141-20", "body", TEXT, "IMEI", "35686800-004141-20"),
    ("490154203237518", "device.imei", JSON, "IMEI", "490154203237518"),
    # A phone's advertising or vendor id (a UUID, or ANDROID_ID's 16 hex digits): one handset's
    (
        "6D92078A-8246-4BA4-AE5B-76104861E7DC",
        "idfa",
        JSON,
        "DEVICE_ID",
        "6D92078A-8246-4BA4-AE5B-76104861E7DC",
    ),
    (
        "38400000-8cf0-11bd-b23e-10b96e40000d",
        "context.device.advertisingId",
        JSON,
        "DEVICE_ID",
        "38400000-8cf0-11bd-b23e-10b96e40000d",
    ),
    ("9774d56d682e549c", "android_id", JSON, "DEVICE_ID", "9774d56d682e549c"),
    (
        "my advertising id is 38400000-8cf0-11bd-b23e-10b96e40000d",
        "body",
        TEXT,
        "DEVICE_ID",
        "38400000-8cf0-11bd-b23e-10b96e40000d",
    ),
    # A National Insurance number's shape after its words or under its field, though its prefix
    # is one HMRC never allocates (a validator may raise confidence, never veto).
    ("NI number: ZZ123456T", "body", TEXT, "UK_NINO", "ZZ123456T"),
    ("my national insurance number is QQ 12 34 56 E", "body", TEXT, "UK_NINO", "QQ 12 34 56 E"),
    ("ZZ 24 78 79 T", "customer.nino", JSON, "UK_NINO", "ZZ 24 78 79 T"),
]


@pytest.mark.parametrize(("text", "path", "kind", "entity", "span"), POSITIVE)
def test_identifier_found(
    detector: NationalIdDetector, text: str, path: str, kind: FieldKind, entity: str, span: str
) -> None:
    assert (entity, span) in accepted(detector, text, path, kind)


# (text, field path, kind): nothing here may be replaced.
LOOK_ALIKES = [
    # Bare digit runs are order numbers, ids and timestamps far more often than identifiers,
    # even when a 1-in-10 checksum happens to hold.
    ("Order 123456789 shipped", "body", TEXT),
    (f"ref {ROUTING} confirmed", "body", TEXT),  # a valid ABA check, no word says routing
    (f"ticket {NHS} closed", "body", TEXT),  # a valid NHS check, no word says NHS
    (AADHAAR, "order.id", JSON),  # 12 digits under a neutral name (an AWS account id looks so)
    # A CPF's and an IMEI's checks hold for 1 number in 100 and 1 in 10: alone, no word, no name.
    ("invoice 390.533.447-05 paid", "body", TEXT),
    ("490154203237518", "order.number", JSON),
    ("build 35686800-004141-20 passed", "body", TEXT),
    ("1234567890", "order_id", JSON),
    (SIN, "items.0.sku", JSON),
    ("1701684000", "created", JSON),  # epoch seconds
    ("1701684000123", "ts", JSON),  # epoch milliseconds
    ("2023-12-04T10:20:30.123Z", "timestamp", JSON),
    ("3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f", "request_id", JSON),
    ("application/json; charset=utf-8", "content-type", HEADER),
    ('W/"5e1b-1a2b3c4d"', "etag", HEADER),
    ("da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha1", JSON),
    ("Total: $1,299.00 (EUR 1.199,00)", "body", TEXT),
    ("version 10.4.2 build 20231204", "body", TEXT),
    ("SKU ABC-12345 and part X1234567 in stock", "body", TEXT),  # codes with no identifier word
    ("ZZ 054391 T", "body", TEXT),  # unallocated, alone in a message: not read
    ("part XY123456Z in stock", "body", TEXT),
    ("invoice INV-2023-000123 paid", "body", TEXT),
    ("abcde1234f is the promo code", "body", TEXT),  # lower case: a code, not a PAN
    ("AB51 ABC", "label", JSON),  # plate-shaped, nothing says plate
    ("call 020 7946 0958 or 415 555 0132", "body", TEXT),  # phones are another family's
    ("123456789012", "account_id", JSON),  # an account id is no bank account number
    # Fields about an identifier, not holding one.
    ("1234.50", "wallet_balance", JSON),
    ("2031-05-01", "passport_expiry_date", JSON),
    ("verified", "nhs_status", JSON),
    ("19.99", "passport", JSON),  # an amount is no identifier, whatever its field
    ("4012888888881881", "card.pan", JSON),  # a card's PAN, the card family's business
    ("serial 20231104-1234 and 123456-7890", "body", TEXT),  # two groups: a date and a serial
    ("at 2026-04-11 17:42:09 from 192.168.100.200", "body", TEXT),
    ("ref ORD-2026-118734-5521 and INV/2023/000123/99", "body", TEXT),  # glued to a code
    ("amount 1.234.567,89 and 12:30:45:123456", "body", TEXT),
    # Groups inside a longer number are not an identifier of their own.
    ("GB82 WEST 1234 5698 7654 32", "body", TEXT),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0", "user-agent", HEADER),
    # a UUID is any record's without an advertising id's name or words
    ("6D92078A-8246-4BA4-AE5B-76104861E7DC", "request_id", JSON),
    ("order 6D92078A-8246-4BA4-AE5B-76104861E7DC shipped", "body", TEXT),
    ("9774d56d682e549c", "commit", JSON),
]


@pytest.mark.parametrize(("text", "path", "kind"), LOOK_ALIKES)
def test_look_alike_survives(
    detector: NationalIdDetector, text: str, path: str, kind: FieldKind
) -> None:
    assert accepted(detector, text, path, kind) == []


def test_regions_select_countries() -> None:
    us_only = NationalIdDetector(DetectorSettings(regions=("US",)))
    assert accepted(us_only, NHS, "patient.nhs", JSON) == []  # a British identifier
    assert accepted(us_only, "X12345678", "passport", JSON) == [("US_PASSPORT", "X12345678")]
    # Country-free identifiers run whatever the regions.
    assert accepted(us_only, "00:1A:2B:3C:4D:5E", "body", TEXT) != []


def test_disabled_entity_is_not_reported() -> None:
    quiet = NationalIdDetector(DetectorSettings(disabled=frozenset({"UK_NHS"})))
    assert accepted(quiet, NHS, "patient.nhs", JSON) == []


def test_every_entity_is_catalogued_as_identifier_or_postcode() -> None:
    # Postcodes are places, the policy's to keep or generalize; every other entity identifies.
    for entity in NationalIdDetector.entities:
        expected = Category.LOCATION if entity in TEXT_ONLY else Category.IDENTIFIER
        assert ENTITIES[entity] is expected


@pytest.mark.parametrize(
    ("text", "path", "kind", "caught"),
    [
        # In a sentence that gives it as one, or as all a message says, a postcode goes.
        ("Send it to postcode EC2A 1NT please", "body", TEXT, True),
        ("M1 1AA", "body", TEXT, True),
        # Written as addresses write them (capitals, halves apart), a postcode is one in any
        # sentence; squashed or in lower case, only a postcode word says so.
        ("My address is SW1A 1AA in London", "body", TEXT, True),
        ("build m1 1aa passed", "body", TEXT, False),
        ("ref M11AA ok", "body", TEXT, False),
        # Under a structured field it is a place like a city: the policy decides, not detection.
        ("EC2A 1NT", "address.postcode", JSON, False),
        ("EC2A 1NT", "postal_code", JSON, False),
    ],
)
def test_postcodes_are_read_in_free_text_only(
    detector: NationalIdDetector, text: str, path: str, kind: FieldKind, caught: bool
) -> None:
    assert bool(accepted(detector, text, path, kind)) is caught


def test_weak_checks_accept_many_random_numbers() -> None:
    """The checks `_WEAK_CHECKS` sets aside accept one random number of some length in seven or
    more (or restate their pattern); the checks a lone number may count by, about one in nine
    or fewer (a check digit); `_STRONG_CHECKS`, fewer than one in forty. Measured, so the lists
    cannot drift from what the checks do."""
    rng = random.Random(7)
    numbers = {
        length: ["".join(rng.choice(string.digits) for _ in range(length)) for _ in range(2000)]
        for length in (9, 10, 11, 12, 13, 15, 16, 18)
    }
    rates: dict[tuple[str, int], float] = defaultdict(float)
    for rule in load_rules(DEFAULT_REGIONS):
        if not rule.checked:
            continue
        compiled = re2.compile(rule.pattern)
        for length, sample in numbers.items():
            passed = sum(
                compiled.fullmatch(v) is not None
                and rule.invalidate(v) is not True
                and rule.validate(v) is True
                for v in sample
            )
            rates[rule.entity, length] += passed / len(sample)
    weak = {entity for (entity, _), rate in rates.items() if rate > 1 / 7}
    assert weak <= _WEAK_CHECKS
    assert {"ZA_INCOME_TAX_NUMBER", "SE_ORGANISATIONSNUMMER", "KR_DRIVER_LICENSE"} <= weak
    # The strong ones, which a bare number in prose may count by, accept under one in forty.
    strong = {entity for (entity, _), rate in rates.items() if rate >= 1 / 40}
    assert _STRONG_CHECKS.isdisjoint(strong)


def test_family_is_registered() -> None:
    assert any(isinstance(d, NationalIdDetector) for d in build_detectors(DetectorSettings()))


@pytest.mark.parametrize(
    ("pattern", "expected", "widened"),
    [
        (r"\b\d{9}\b", r"\b\d{9}\b", False),  # nothing to rewrite
        (r"(?<!\d)\d{10}(?!\d)", r"\d{10}", True),  # lookarounds dropped
        (r"\b\d{3}([- ])\d{3}\1\d{3}\b", r"\b\d{3}([- ])\d{3}(?:[- ])\d{3}\b", True),  # backref
        (r"(?=[A-Z(])[A-Z]{2}(?>\d+)", r"[A-Z]{2}(?:\d+)", True),  # `(` in a class, atomic group
    ],
)
def test_to_re2(pattern: str, expected: str, widened: bool) -> None:
    assert to_re2(pattern) == (expected, widened)


def test_findings_hold_no_value(detector: NationalIdDetector) -> None:
    (finding,) = detector.detect(NHS, FieldContext.of("nhs", JSON))
    assert NHS not in repr(finding)


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        # A message that is one identifier-shaped token with letters: sent as that identifier.
        ("A12803456", True),  # a passport number's shape
        ("  AB1234567 ", True),
        # Digits written in the identifier's groups, its check holding.
        ("3222-7162-7", True),  # an ABA routing number, grouped
        # A bare run of nine digits or more, alone, counts when an identifier's check holds.
        ("121000358", True),  # an ABA routing number
        ("876 543 210", True),  # an Australian TFN in its groups
        # ... and not when no check holds, or only one that most numbers pass, or it is a
        # form's example.
        ("121000362", False),
        ("1234567890", False),  # a ZA income tax number's check holds for half of all numbers
        ("000000000", False),
        ("12345678", False),  # too short to be one alone
        # Plates and postcodes have no check: their shape is precise enough alone.
        ("AB51 ABC", True),
        ("M1 1AA", True),
        # A multi-line text is not one value.
        ("123 456\n789", False),
        # More than one token is a sentence: the ordinary rules apply.
        ("order A12803456 shipped", False),
        # Words, and the lone-token rule never runs in a neutral JSON field.
        ("Everything", False),
    ],
)
def test_a_text_that_is_one_identifier_token(
    detector: NationalIdDetector, text: str, caught: bool
) -> None:
    ctx = FieldContext.of("body", FieldKind.TEXT)
    assert bool(detector.detect(text, ctx)) is caught


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        # A word that says "someone's number", in several languages, and the check holding.
        ("Numer identyfikacyjny: 44051401359", True),  # a PESEL whose check holds
        ("my number is 44051401359, thanks", True),
        # The same check failing, or a word that says the number is a thing's: kept.
        ("Numer identyfikacyjny: 44051401358", False),
        ("order number 44051401359 shipped", False),
        ("ticket no 44051401359", False),
        # No number word: a check that one number in ten passes (a SIN's Luhn) is not enough
        # (twelve digits passing Aadhaar's are: see below) ...
        ("shipped 295761456 today", False),
        ("my number is 295761456, thanks", True),
        ("my number is 491837264519, thanks", True),
        # ... one that one number in fifty passes (a PESEL's birth date and check digit) is,
        # unless a thing's word owns the number.
        ("shipped 44051401359 today", True),
        ("shipped 44051401358 today", False),
        ("order 44051401359 shipped", False),
    ],
)
def test_a_number_word_lets_an_identifiers_check_decide(
    detector: NationalIdDetector, text: str, caught: bool
) -> None:
    found = detector.detect(text, FieldContext.of("body", FieldKind.TEXT))
    assert any(f.score >= 0.5 for f in found) is caught


def test_the_lone_token_rule_is_for_free_text_only(detector: NationalIdDetector) -> None:
    ctx = FieldContext.of("request.body.ref", FieldKind.JSON)
    assert detector.detect("A12803456", ctx) == []


@pytest.mark.parametrize(
    ("path", "value", "entity"),
    [
        # A field that says "someone's identity number" without a country: the identifier
        # whose check holds, else the generic one (fail closed).
        ("customer.national_id", AADHAAR.replace(" ", ""), "IN_AADHAAR"),
        ("kyc.id_number", AADHAAR.replace(" ", ""), "IN_AADHAAR"),
        ("customer.document_number", "AB123456", "NATIONAL_ID"),
        ("applicant.govt_id", "123456789012", "NATIONAL_ID"),
        ("holder.personal_id", "850101-1234", "NATIONAL_ID"),
        ("guest.nid", "NI 1985 1234 X", "NATIONAL_ID"),
        ("payment.holderIdNumber", "1234 5678", "NATIONAL_ID"),  # camelCase, a person's prefix
        ("request.form.cf_national_id", "AB123456", "NATIONAL_ID"),  # a custom field's prefix
        ("employee.numero_securite_sociale", "1 84 12 75 108 123", "FR_NIR"),  # its language
        ("data.t.c._kimlik_no", "12345678901", "TR_NATIONAL_ID"),  # its own name says whose
        ("profile.주민등록번호", "850101-1234567", "NATIONAL_ID"),
        # Named in the languages of other default regions: a mistyped or foreign number too.
        ("osoba.rodne_cislo", "855302/000", "CZ_BIRTH_NUMBER"),
        ("клиент.ИНН", "77 0708 3893", "RU_INN"),
        ("cliente.cedula", "1.234.567-8", "NATIONAL_ID"),
        ("profil.isikukood", "EE 3800108571", "NATIONAL_ID"),
        # A person's identity document, named by the record around it (Mercado Pago, Pagar.me).
        ("payer.identification.number", "32659430", "NATIONAL_ID"),
        ("customer.document", "V-11123316", "NATIONAL_ID"),
        ("cliente.documento.numero", "1234 5678", "NATIONAL_ID"),
        ("order.meta._shipping_id_number", "1234 5678", "NATIONAL_ID"),  # the party shipped to
        # Who issued it, what checked it: KYC's proof of identity, in a shape no check accepts.
        ("kyc.poi_number", "898259791901", "NATIONAL_ID"),
        ("user.govt_id_number", "AB123456", "NATIONAL_ID"),
        # Countries' numbers by their own names.
        ("customer.bvn", "22574415988", "NATIONAL_ID"),  # Nigeria's bank verification number
        ("taxpayer.kra_pin", "A638829234Z", "NATIONAL_ID"),  # Kenya's tax PIN
        ("wajib_pajak.npwp", "76.727.045.5-785.963", "NATIONAL_ID"),  # Indonesia's tax number
        ("customer.emirates_id", "784-3531-5843838-6", "NATIONAL_ID"),
        ("employee.iqama_number", "2025592350", "NATIONAL_ID"),
        ("applicant.hkid", "A236757(3)", "NATIONAL_ID"),  # its check digit in brackets
        ("travel_document.number", "FW2432208", "NATIONAL_ID"),
        ("patient.mrn", "55371856", "NATIONAL_ID"),  # a medical record's number
        # A health plan's member, a payment scheme's account, by the record around them.
        ("insurance.member_id", "VPR679040210", "NATIONAL_ID"),
        ("coverage.policy_number", "ST35440755", "NATIONAL_ID"),
        ("numbers.ach[0].account", "3982597919", "US_BANK_NUMBER"),  # Plaid
        ("numbers.bacs[0].account", "72510273", "US_BANK_NUMBER"),
        ("beneficiary.clabe", "002119803649420555", "US_BANK_NUMBER"),  # Mexico's
        ("destination.cbu", "0170547499525255944610", "US_BANK_NUMBER"),  # Argentina's
        # A passport's and an identity card's names in other languages.
        ("cliente.numero_passeport", "822123032", "AU_TFN"),  # the check that holds names it
        ("osoba.numer_paszportu", "N72869249", "NATIONAL_ID"),
        ("yolcu.pasaport_no", "C10597887", "NATIONAL_ID"),
        ("会員.旅券番号", "N13374514", "NATIONAL_ID"),
        ("osoba.numer_dowodu", "99011185246", "PL_PESEL"),
        ("musteri.kimlik_numarasi", "40327798808", "TR_NATIONAL_ID"),
        # A social security or insurance number, whichever country's, after any prefix
        # (Adyen's `shopperSocialSecurityNumber`, an ITIN there).
        ("additionalData.shopperSocialSecurityNumber", "932788626", "NATIONAL_ID"),
        ("customer.social_insurance_number", "046454286", "NATIONAL_ID"),
        ("SocialSecurityNumber", "40286013550", "BR_CPF"),
        ("supplier.TaxRegistrationNumber", "BE0407191746", "NATIONAL_ID"),
        ("TenNinetyNineContact.EmployerIdentificationNumber", "123456789", "NATIONAL_ID"),
        # A document a verification or a KYC check holds, one or a list of them.
        ("verification.document.number", "D6232298", "NATIONAL_ID"),
        ("kyc.documents[0].number", "46323985307", "DE_TAX_ID"),
        # Few digits: a code of eight characters or more in one case (a German passport's,
        # Washington's driving licence's).
        ("customer.national_id", "LMW8XT36J", "NATIONAL_ID"),
        ("individual.id_number", "WDL1BYBXO2M7", "NATIONAL_ID"),
        ("customer.national_id", "WDLSF3SZSPSC", "NATIONAL_ID"),  # one digit
        ("traveler.passport_no", "lmw8xt36j", "US_PASSPORT"),  # its name says which
        # camelCase keys of short words: `cpfNumber` is a CPF's number (DocuSign's).
        ("recipientSignatureProviderOptions.cpfNumber", "38354602427", "BR_CPF"),
        ("applicant.bsnNummer", "111222333", "NL_BSN"),
        # An account's number in its usual abbreviations.
        ("payout.acct_no", "31606834", "US_BANK_NUMBER"),
        ("payee.AccNum", "536739395797", "US_BANK_NUMBER"),
        # A payment party's account, or an account only banks keep.
        ("transfer.payee_account", "31606834", "US_BANK_NUMBER"),
        ("debtor_account.number", "000123456789", "US_BANK_NUMBER"),
        ("customer.checking_account", "1234-567890-12", "US_BANK_NUMBER"),
        # A person's identity number after whose country it is (GoCardless's).
        ("customers.swedish_identity_number", "ZZ 731616 T", "NATIONAL_ID"),
        ("customers.danish_identity_number", "460322-1369794", "NATIONAL_ID"),
        # A leaf that says only "its parent's own" (Plaid's `taxpayer_id.id`, Braintree's
        # `tax_identifiers[].identifier`) holds what its parent names.
        ("taxpayer_id.id", "8541948080", "US_ITIN"),
        ("tax_identifiers[0].identifier", "DK01863326", "US_ITIN"),
        # Letters of another script: Greece's identity cards are numbered in Greek capitals.
        ("identification.number", "ΑΟ630973", "NATIONAL_ID"),  # noqa: RUF001
        # Seven characters, one digit inside: Azerbaijan's personal code.
        ("customer.national_id", "UVQ6YNV", "NATIONAL_ID"),
        # The domestic account an IBAN is made of, letters and all (Checkout.com's `bban`).
        ("instrument.bban", "XDDY653329152", "US_BANK_NUMBER"),
        ("instrument.bban", "50370968249237", "US_BANK_NUMBER"),
        # A country's code before its number's name, as payment APIs type tax ids (Stripe's
        # `co_nit`, `uy_ruc`), or a typed pair's label (`pl_nip_number`).
        ("co_nit_number", "8213590", "NATIONAL_ID"),
        ("uy_ruc", "213456780016", "NATIONAL_ID"),
        ("tax_id.pl_nip", "4963796851", "ZA_VAT_NUMBER"),  # the check that holds names it
        # Countries' numbers by their own names: Colombia's NUIP, the Czech birth number.
        ("persona.nuip", "1086342108", "NATIONAL_ID"),
        ("customer.birth_number", "190809/1097", "NATIONAL_ID"),
    ],
)
def test_an_identity_field_fails_closed(
    detector: NationalIdDetector, path: str, value: str, entity: str
) -> None:
    assert accepted(detector, value, path, JSON) == [(entity, value)]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("order.payment_id_number", "PAY-2024-0001"),  # a thing's number
        ("customer.national_id_ref", "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"),  # a record's UUID
        # ... under any identifier's name (Adyen's `bankAccountUUID`)
        ("bankAccountDetail.bankAccountUUID", "00000000-0000-0000-0000-000000000000"),
        ("holder.passport_ref", "3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f"),
        ("customer.national_id", "pending"),  # no digits: a status
        ("customer.national_id", "NOT PROVIDED 2"),  # words, one digit
        ("traveler.passport_number", "Pending12"),  # a word and a count, mixed case
        ("customer.national_id", "NOTPROVIDED"),  # no digit
        ("customer.national_id", "N/A 2"),
        ("customer.socialSecurityNumberLast4", "6789"),  # four digits of it
        ("customer.ssn_status", "VERIFIED12"),  # about the number
        ("customer.national_id", "VERIFIED12"),  # a word and a count: a status
        ("customer.national_id", "PENDING7"),
        ("customer.national_id", "ΕΚΚΡΕΜΕΙ"),  # noqa: RUF001 - a status in Greek, no digit
        # `id` under a parent that names no identifier, or an object's id under one that does.
        ("customer.id", "12345678"),
        ("order.identifier", "12345678"),
        ("taxpayer_id.id", "txi_1NuMB12eZvKYlo2CMecoWkZd"),
        # A country's code with what is about its number, or with no number's name at all.
        ("pl_nip_status", "12345678"),
        ("report.pl_count", "12345678"),
        ("node_nid", "12345678"),  # a word beside the name: no country's code
        ("customer.ssn_last4", "ORD-2024-000123"),  # a piece of it, whatever it holds
        ("payout.routing_outcome", "B20240115"),  # a check's outcome
        ("card.iban_fingerprint", "Xt5EWLLDS7FJjR1c2024"),
        ("customer.id_number", "12.50"),  # an amount
        # A document that is nobody's: an invoice's, a document API's own reference.
        ("invoice.document", "32659430"),
        ("document.number", "DOC-2024-0001"),
        ("items[0].document", "32659430"),
        # Words of Presidio's context lists that are an API's own subject as often.
        ("ci.run", "12345678"),
        ("order.invoice", "2024-000123"),
        ("payment.authorization", "4812-3390"),
        # A member's and an account's number elsewhere: a club's, a ledger's.
        ("club.member_id", "VPR679040210"),
        ("ledger.account", "3982597919"),
        ("transfer.payout_account_id", "acct_1032D82eZvKYlo2C"),  # an object's id
        ("customer.savings_account_rate", "0.0425"),
        ("report.payout_account_count", "12345678"),
    ],
)
def test_an_identity_field_keeps_what_no_one_is_numbered_by(
    detector: NationalIdDetector, path: str, value: str
) -> None:
    assert accepted(detector, value, path, JSON) == []


def test_identity_fields_can_be_disabled() -> None:
    quiet = NationalIdDetector(DetectorSettings(disabled=frozenset({"NATIONAL_ID"})))
    assert accepted(quiet, "AB123456", "customer.document_number", JSON) == []


def test_aadhaar_is_read_under_its_common_spellings(detector: NationalIdDetector) -> None:
    bare = AADHAAR.replace(" ", "")
    for text in (f"Aadhar: {bare}", f"adhaar no {bare}", f"my adhar {bare}"):
        assert ("IN_AADHAAR", bare) in accepted(detector, text)


def test_aadhaar_is_read_after_its_hindi_name_whatever_its_check(
    detector: NationalIdDetector,
) -> None:
    """`आधार` is one word although Python's `\\w` leaves its vowel signs out; after it, twelve
    digits are an Aadhaar number even when Verhoeff's check fails (fail closed)."""
    mistyped = "898259791901"  # Verhoeff's check fails
    assert ("IN_AADHAAR", mistyped) in accepted(detector, f"मेरा आधार संख्या {mistyped} है")
    # ... and in the scripts of India's other languages (Tamil, Bengali, Urdu).
    for said in ("ஆதார் எண்", "আধার নম্বর", "آدھار نمبر"):
        assert ("IN_AADHAAR", mistyped) in accepted(detector, f"{said} {mistyped}")


def test_a_bare_aadhaar_in_prose_counts_unless_a_things_word_owns_it(
    detector: NationalIdDetector,
) -> None:
    # Twelve digits starting 2-9 that pass Verhoeff, in a sentence, as Presidio reads them.
    assert accepted(detector, f"please verify {AADHAAR} today") == [("IN_AADHAAR", AADHAAR)]
    for thing in ("tracking", "UPC", "order", "invoice"):
        assert accepted(detector, f"{thing} {AADHAAR} shipped") == []
    # The check still decides: one digit off and it is some number.
    off = AADHAAR[:-1] + str((int(AADHAAR[-1]) + 1) % 10)
    assert accepted(detector, f"please verify {off} today") == []


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        # A sentence that calls the number someone's identity number, in its own language:
        # the identifier whose check holds, else the generic one (fail closed).
        ("Mijn rijksregisternummer is 76020735179, als u dat nodig hebt.", "76020735179",
         "BE_NATIONAL_NUMBER"),
        ("マイナンバーは461152138145です。", "461152138145", "JP_MY_NUMBER"),
        # Capitals that begin the number are the number's, not a word before it.
        ("Hi, my ID number is ZZ260181T, thanks", "ZZ260181T", "NATIONAL_ID"),
        ("My national id is K160181599.", "K160181599", "NATIONAL_ID"),
        ("My national insurance number is ZZ 01 66 13 T.", "ZZ 01 66 13 T", "UK_NINO"),
        ("주민등록번호는 340029-1442881입니다.", "340029-1442881", "NATIONAL_ID"),
        ("Henkilötunnukseni on 140586-7404, jos sitä tarvitaan.", "140586-7404",
         "FI_PERSONAL_IDENTITY_CODE"),
        ("Meine Steuer-ID lautet 43251879550.", "43251879550", "DE_TAX_ID"),
        # documents and records a person holds, in a shape no recognizer knows
        ("My driver's license is D1234-5678-9012.", "D1234-5678-9012", "NATIONAL_ID"),
        ("Patient MRN 00482913 admitted", "00482913", "NATIONAL_ID"),
        ("Führerschein B072RRE2I55 liegt vor", "B072RRE2I55", "NATIONAL_ID"),
        # a label ending its line, the number on the next (a chat tool's or a form's fields)
        ("*National ID:*\n32659430", "32659430", "NATIONAL_ID"),
        ("Employee ID:\n> 00482913", "00482913", "NATIONAL_ID"),
        # a log's key written with `_` or `-` between the words
        ("national_id 32659430 already registered", "32659430", "NATIONAL_ID"),
        # countries' numbers by their own names, Hong Kong's check digit in brackets
        ("My BVN is 22574415988", "22574415988", "NATIONAL_ID"),
        ("Emirates ID 784-3531-5843838-6 expired", "784-3531-5843838-6", "NATIONAL_ID"),
        ("HKID A236757(3) on file", "A236757(3)", "NATIONAL_ID"),
        ("KRA PIN A638829234Z", "A638829234Z", "NATIONAL_ID"),
        ("Numer paszportu: AB1234567", "AB1234567", "NATIONAL_ID"),
        ("护照号码 E12345678", "E12345678", "NATIONAL_ID"),
    ],
)  # fmt: skip
def test_a_sentence_that_says_identity_number(
    detector: NationalIdDetector, text: str, value: str, entity: str
) -> None:
    ctx = FieldContext.of("message.body", FieldKind.TEXT)
    assert [(f.entity, text[f.start : f.end]) for f in detector.detect(text, ctx)] == [
        (entity, value)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Das Paket ist nie angekommen, Bestellung 12345678",  # a long word ends the cue
        "Ticket id number 12345678",  # a thing's number
        "the ssn field was renamed in v2",  # no number
        "SSN check took 12.50 ms",  # an amount
        "the license number field is required",  # no number
        "order id 12345678 shipped with passport photos",  # the number before the word
        "Invoice No.12345678 paid",  # the number sign after a thing's word
    ],
)
def test_identity_words_do_not_take_other_numbers(detector: NationalIdDetector, text: str) -> None:
    assert detector.detect(text, FieldContext.of("message.body", FieldKind.TEXT)) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("SSN NO.078-05-1120", "078-05-1120"),
        ("AADHAAR NO.383378876239", "383378876239"),
        ("Passport No.K1234567", "K1234567"),
        ("PAN NO.ABCDE1234F", "ABCDE1234F"),
    ],
)
def test_a_value_after_the_number_signs_word_and_its_dot_stands_alone(
    detector: NationalIdDetector, text: str, value: str
) -> None:
    # Forms and scanned documents write `No.` glued to the number; the dot joins no name.
    ctx = FieldContext.of("message.body", FieldKind.TEXT)
    assert [text[f.start : f.end] for f in detector.detect(text, ctx)] == [value]


def test_a_whole_field_value_in_mixed_groups_speaks_for_itself(
    detector: NationalIdDetector,
) -> None:
    # A CPF as Brazil writes it, in a field that says nothing (a ticket's custom field):
    # its check holds, its groups are the identifier's own.
    ctx = FieldContext.of("ticket.custom_fields[0].value", JSON)
    assert [f.entity for f in detector.detect("017.745.125-48", ctx)] == ["BR_CPF"]
    assert detector.detect("017.745.125-49", ctx) == []  # its check fails: some other number
    assert detector.detect("2026-04-11 17", ctx) == []  # a date and an hour


@pytest.mark.parametrize(
    ("path", "value", "entity"),
    [
        ("ticket.custom_fields[2].value", "44051401458", "PL_PESEL"),  # date and check hold
        ("ticket.custom_fields[2].value", "10000000146", "TR_NATIONAL_ID"),  # two check digits
        # The value of a container whose name says nothing of it is read the same way.
        ("data.attributes.value", "44051401458", "PL_PESEL"),
        ("settings.value", "320000196306030168", "CN_RESIDENT_ID"),
        ("fields.customfield_10010", "850101-1234566", "KR_RRN"),  # Jira, check digit holds
        # Issued since October 2020: no check digit, the date, sex digit and dash are the shape.
        ("ticket.custom_fields[2].value", "330818-1170994", "KR_RRN"),
        # Letters and digits in an identifier's shape, with no check or one that fails: a form's
        # answer is the identifier, mistyped or made up (a test NI number).
        ("ticket.custom_fields[1].value", "ZZ 054391 T", "UK_NINO"),
        ("ticket.custom_fields[1].value", "ZZ 24 92 46 T", "UK_NINO"),
        ("ticket.custom_fields[1].value", "A12803456", "ZA_PASSPORT"),
    ],
)
def test_a_custom_fields_whole_value_in_an_identifiers_shape_is_one(
    detector: NationalIdDetector, path: str, value: str, entity: str
) -> None:
    ctx = FieldContext.of(path, JSON)
    assert [(f.entity, value[f.start : f.end]) for f in detector.detect(value, ctx)] == [
        (entity, value)
    ]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("ticket.custom_fields[2].value", "12345678901"),  # no check holds: an order number
        ("ticket.custom_fields[2].value", "ORD-98070372"),  # a reference: its prefix and dash
        ("ticket.custom_fields[2].value", "3308181170994"),  # no dash, no check digit
        ("ticket.custom_fields[2].value", "650700-2138954"),  # day 00: no date
        ("data.order_number", "44051401458"),  # a name that says what else it is
        ("order.id", "10000000146"),
    ],
)
def test_other_whole_values_stay(detector: NationalIdDetector, path: str, value: str) -> None:
    assert detector.detect(value, FieldContext.of(path, JSON)) == []


@pytest.mark.parametrize(
    ("text", "path", "kind", "expected"),
    [
        # Personal numbers python-stdnum checks beyond Presidio's: a custom field's whole value
        # whose strong check holds (France's NIR, mod 97) ...
        ("273104410982428", "ticket.custom_fields[3].value", JSON, ("FR_NIR", "273104410982428")),
        # ... one bare in prose (Norway, two check digits; China's card, date and check) ...
        ("Fødselsnummer: 15108695088.", "body", TEXT, ("NO_FODSELSNUMMER", "15108695088")),
        ("已登记 11010519491231002X 谢谢", "body", TEXT, ("CN_RESIDENT_ID", "11010519491231002X")),
        ("Send it to 7569217076985 please", "body", TEXT, ("CH_AHV", "7569217076985")),
        # ... and a check of one in eleven only with its word (the Dutch BSN) or its field.
        ("Mijn BSN is 111222333.", "body", TEXT, ("NL_BSN", "111222333")),
        ("111222333", "client.bsn", JSON, ("NL_BSN", "111222333")),
        ("Mit CPR-nummer er 211062-5629", "body", TEXT, ("DK_CPR", "211062-5629")),
        # Greece's AMKA and Argentina's CUIT by their strong checks, in prose or a custom field;
        # a Czech birth number and a Portuguese NIF by their words.
        ("Αριθμός 01018500007 ενημερώθηκε", "body", TEXT, ("GR_AMKA", "01018500007")),
        ("20-12345670-0", "ticket.custom_fields[1].value", JSON, ("AR_CUIT", "20-12345670-0")),
        ("Rodné číslo: 855302/0003", "body", TEXT, ("CZ_BIRTH_NUMBER", "855302/0003")),
        ("O meu NIF é 123456789", "body", TEXT, ("PT_NIF", "123456789")),
    ],
)
def test_stdnum_personal_numbers(
    detector: NationalIdDetector, text: str, path: str, kind: FieldKind, expected: tuple[str, str]
) -> None:
    assert expected in accepted(detector, text, path, kind)


@pytest.mark.parametrize(
    ("text", "path", "kind"),
    [
        ("273104410982427", "ticket.custom_fields[3].value", JSON),  # the NIR's key fails
        ("Order 111222333 shipped", "body", TEXT),  # eleven-proof, but no word says BSN
        ("Ref 15108695089.", "body", TEXT),  # a birth number's check digit fails
        ("1306925440", "body", TEXT),  # a Danish CPR's check is a date: alone it says nothing
        # A Unix time of 2026 that a Czech birth number's check accepts (one in thirty-five do):
        # without the word, a time.
        ("event at 1771234509 processed", "body", TEXT),
        ("123456789", "body", TEXT),  # a NIF's check, one in eleven: alone it says nothing
    ],
)
def test_stdnum_look_alikes_stay(
    detector: NationalIdDetector, text: str, path: str, kind: FieldKind
) -> None:
    assert accepted(detector, text, path, kind) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        # Under its name, a value a pattern reads only part of is the identifier whole.
        ("employee.ssn", "610708-1418557"),
        ("employee.ssn", "33021119610815185X"),
        # A plate needs one digit only, its letters in one case.
        ("vehicle.license_plate", "ERK 141"),
        ("car.plate", "7ND84"),
        ("car.kennzeichen", "QW-5574"),
    ],
)
def test_a_named_fields_whole_value_goes(
    detector: NationalIdDetector, path: str, value: str
) -> None:
    ctx = FieldContext.of(path, JSON)
    covered = {i for f in detector.detect(value, ctx) for i in range(f.start, f.end)}
    assert all(i in covered for i, c in enumerate(value) if c.isalnum())


@pytest.mark.parametrize("value", ["Pasta 2", "Plate 1"])
def test_a_dish_is_no_plate(detector: NationalIdDetector, value: str) -> None:
    assert detector.detect(value, FieldContext.of("menu.plate", JSON)) == []


@pytest.mark.parametrize("path", ["email.template_id", "payTemplateEarningID", "templateNumber"])
def test_a_plates_word_inside_another_names_none(detector: NationalIdDetector, path: str) -> None:
    assert detector.detect("ERK 141", FieldContext.of(path, JSON)) == []


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Hi, my license plate is ERK 141, thanks", "ERK 141"),
        ("the number plate was 7ND84.", "7ND84"),
        ("Kennzeichen: M-AB 1234 bitte", "M-AB 1234"),
    ],
)
def test_a_plate_after_its_words(detector: NationalIdDetector, text: str, plate: str) -> None:
    spans = {text[f.start : f.end] for f in detector.detect(text, FieldContext.of("body", TEXT))}
    assert plate in spans


@pytest.mark.parametrize(
    "text",
    [
        "Please check the license plate recognition logs",  # no plate after the words
        "license plate is REQUIRED",  # no digit
        "Kennzeichen 2024 bitte",  # no letter: a year
    ],
)
def test_no_plate_without_one(detector: NationalIdDetector, text: str) -> None:
    assert detector.detect(text, FieldContext.of("body", TEXT)) == []


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        # A vehicle's identification number after its name, its check digit right or not
        # (outside North America a VIN carries none).
        ("VIN 1HGCM82633A004352 reported stolen", "1HGCM82633A004352", "VIN"),
        ("chassis number WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001", "VIN"),
        # An Ethereum account where a sentence says so.
        ("send ETH to 0x742d35Cc6634C0532925a3b844Bc454e4438f44e", None, "CRYPTO"),
    ],
)
def test_a_vehicles_and_a_wallets_number_after_their_words(
    detector: NationalIdDetector, text: str, value: str | None, entity: str
) -> None:
    value = value or text.split()[-1]
    found = detector.detect(text, FieldContext.of("message.body", FieldKind.TEXT))
    assert (entity, value) in [(f.entity, text[f.start : f.end]) for f in found]


def test_a_vin_and_a_wallet_are_found_by_their_field_and_kept_elsewhere(
    detector: NationalIdDetector,
) -> None:
    assert accepted(detector, "WVWZZZ1JZXW000001", "vehicle.vin", JSON) == [
        ("VIN", "WVWZZZ1JZXW000001")
    ]
    assert accepted(detector, "1HGCM82633A004352", "order.ref", JSON) == []
    body = FieldContext.of("message.body", FieldKind.TEXT)
    # A transaction's hash is 64 hex digits: no account.
    tx = "tx 0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b mined"
    assert detector.detect(tx, body) == []
    assert detector.detect("build 1HGCM82633A004352 passed", body) == []


@pytest.mark.parametrize(
    ("text", "account"),
    [
        # A sort code in its dashed pairs says the digits beside it are its account, whatever
        # word stands between (`acc`, `a/c`) and in either order.
        ("sort code 40-47-84 acc 31926819", "31926819"),
        ("sc 20-32-06 a/c 43567812", "43567812"),
        ("pay 55779911 / 20-00-00 today", "55779911"),
        ("account 55779911, sort code 20-00-00", "55779911"),
    ],
)
def test_an_account_beside_its_sort_code(
    detector: NationalIdDetector, text: str, account: str
) -> None:
    assert ("US_BANK_NUMBER", account) in accepted(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "sort code 20-00-00 order 12345678",  # an order's number: another word between
        "dates 2024-01-01 12345678",  # a date is no sort code
        "call 01 23 45 67890123 now",  # pairs in spaces are as often a phone's
    ],
)
def test_digits_near_no_sort_code_stay(detector: NationalIdDetector, text: str) -> None:
    assert not any(e == "US_BANK_NUMBER" for e, _ in accepted(detector, text))
