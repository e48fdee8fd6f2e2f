"""The words around a value that say which identifier it is: an identifier's own context words
near it (`near`), a word that says "someone's number" before a value whose check holds
(`number_cued`), and words that make a number a thing's (`thing_before`: an order's, a
ticket's). Windows are bounded, and Python's `re` runs on them only."""

from __future__ import annotations

import re
from functools import lru_cache

from datamin import quiet_re2
from datamin.redactors._id_shapes import whole
from datamin.redactors._presidio_adapter import Rule
from datamin.redactors._validators import squash
from datamin.redactors.context import CONTAINER_NAMES, FieldContext, FieldKind, last_key

# A word in any script (`número`, `rodné`, `инн`), digits, `#`; `_` and punctuation part words.
# With the combining marks Python's `\w` leaves out (Indic and Thai vowel signs, accents written
# apart): `आधार` is one word, not `आध` and `र`.
TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f]|#)+")
# Scripts written without spaces between words (kana, CJK ideographs) and Hangul, whose
# particles join the word before them: a context word there is found inside a longer run
# (`マイナンバーは`, `주민등록번호는`).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_BEFORE, _AFTER = 64, 32  # context window in characters; the last 6 and first 3 words count

# In text, fewer words are too common: "registration" or "plate" before a plate-shaped value says
# plate, while a field named `registration` may hold anything.
GENERIC_TEXT = frozenset(
    "number num no nr id code card check save debit us united states canada the of my is "
    "personal national individual payer provider association document travel address".split()
)


def context_words(rule: Rule) -> tuple[str, ...]:
    """The context words `near` can accept, in the form the word prefilter looks for."""
    return tuple(
        w.rstrip("#") for w in rule.context if " " in w or (w not in GENERIC_TEXT and len(w) >= 2)
    )


def near(text: str, span: tuple[int, int], context: tuple[str, ...]) -> bool:
    """A context word among the few words before or after the span (bounded windows)."""
    if not context:
        return False
    before = text[max(0, span[0] - _BEFORE) : span[0]].lower()
    after = text[span[1] : span[1] + _AFTER].lower()
    words = TOKEN.findall(before)[-6:] + TOKEN.findall(after)[:3]
    if not words:
        return False
    joined = " ".join(words)
    for word in context:
        if _UNSPACED.search(word):
            if word in before or word in after:
                return True
        elif " " in word:
            if word in joined:
                return True
        elif word not in GENERIC_TEXT and any(w == word or w.rstrip("#s") == word for w in words):
            return True
    return False


# "My number is ...", "numer: ...", "ID ...": a word that says a number is someone's, in several
# languages. Not an identifier's own name (those are context words), so alone it does not
# count: with it, a number an identifier's check accepts does. Words that say the number is a
# thing's (an order's, a ticket's) veto it.
NUMBER_CUE = quiet_re2.compile(
    r"(?i)\b(?:number|no|nr|num|numer|número|numero|nummer|numéro|id|identity|identification|"
    r"identyfikacyjny|ausweis|identidad|identité|identità|personal|national|my)\b"
)
_NUMBER_WORDS = frozenset(
    "number no nr num numer número numero nummer numéro id identity identification "
    "identyfikacyjny ausweis identidad identité identità personal national my".split()
)
_THING_WORDS = frozenset(
    "order orders invoice tracking ticket ref reference transaction txn confirmation booking "
    "case receipt shipment parcel package serial sku item product batch lot build version "
    "request job issue pr commit phone tel mobile fax call account upc ean gtin barcode isbn "
    "awb waybill".split()
)


def number_cued(text: str, span: tuple[int, int], rule: Rule) -> bool:
    """A number-word among the three words before the span, no thing-word among the five, and
    the identifier's own check holding."""
    if not whole(text, span[0], span[1]):
        return False
    words = TOKEN.findall(text[max(0, span[0] - _BEFORE) : span[0]].lower())[-5:]
    if not any(w in _NUMBER_WORDS for w in words[-3:]) or thing_before(text, span):
        return False
    value = text[span[0] : span[1]]
    return rule.invalidate(value) is not True and rule.validate(value) is True


def thing_before(text: str, span: tuple[int, int]) -> bool:
    """A word that makes the number a thing's (an order's, a ticket's) among the five before."""
    words = TOKEN.findall(text[max(0, span[0] - _BEFORE) : span[0]].lower())[-5:]
    return any(w in _THING_WORDS for w in words)


# Spellings people write that Presidio's context lists lack.
EXTRA_CONTEXT: dict[str, tuple[str, ...]] = {
    # ... and Aadhaar's name in the scripts of India's languages: Hindi and Marathi, Bengali,
    # Gujarati, Punjabi, Odia, Tamil, Telugu, Kannada, Malayalam, Urdu.
    "IN_AADHAAR": (
        "aadhar",
        "adhaar",
        "adhar",
        "आधार",
        "আধার",
        "આધાર",
        "ਆਧਾਰ",
        "ଆଧାର",
        "ஆதார்",
        "ఆధార్",
        "ಆಧಾರ್",
        "ആധാർ",
        "آدھار",
    ),
}
# Field names that say "a person's identity, tax or document number" without saying which
# country's: the whole key, or its end after a person's word (`customer_national_id`,
# `holderIdNumber`). Not `payment_id_number`: a thing's number.
_IDENTITY_KEYS = frozenset(
    "nationalid nationalidnumber nationalidentifier nationalidentity nationalidentitynumber "
    "nationalnumber idnumber idno idnr idnum idcard idcardnumber idcardno identitynumber "
    "identityno identitycard identitycardnumber identitydocumentnumber identificationnumber "
    "identificationno citizenid citizennumber citizenshipnumber personalid personalidnumber "
    "personalnumber personalcode personalidentitycode personalidentificationnumber govtid "
    "govid governmentid governmentidnumber taxnumber taxno taxpayernumber "
    "taxidentificationnumber documentnumber documentno docnumber docno nid nin dni cnic "
    # The same in the languages fields are labelled in: tr, fi, nl/be, ko, ja, zh, sv/no/da,
    # pl, pt/br, es/mx, it, de.
    "tckimlikno kimlikno tckn henkilötunnus henkilotunnus hetu rijksregisternummer "
    "burgerservicenummer bsn 주민등록번호 マイナンバー 個人番号 身份证号 身份证号码 "
    "personnummer fødselsnummer fodselsnummer cprnummer pesel cpf curp codicefiscale "
    "steuerid steueridentifikationsnummer numerodocumento númerodocumento "
    "numerodeidentificacion numerosecuritesociale numérodesécuritésociale securitesociale "
    "sécuritésociale nir juminbeonho juminbunho jumindeungnokbeonho mynumber kojinbango "
    "sotu "
    # ... and: cs/sk, ro, bg, hu, el, ru/uk, he, ar, id/ms, es/latam, pt, fr, de/at/ch, nl, da,
    # is, et, lt, lv, zh, ja, th, vi (each written as a field's whole name, squashed).
    "rodnecislo rodnéčíslo cnp egn személyiszám szemelyiszam tajszám tajszam adóazonosítójel "
    "αμκα αφμ амка инн снилс іпн рнокпп תעודתזהות מספרזהות رقمالهوية noktp nokp mykad nif nie "
    "cuit cuil cedula cédula numerocedula númerodecédula rut ruc curp nss cartaodecidadao "
    "cartãodecidadão numerofiscal numérofiscal sozialversicherungsnummer svnr ausweisnummer "
    "personalausweisnummer ahvnummer avsnumber sofinummer kennitala isikukood asmenskodas "
    "personaskods 居民身份证号码 公民身份号码 เลขประจำตัวประชาชน cmnd cccd "
    # Spain's social security user number, Colombia's personal identification number, the
    # Czech and Slovak birth number by its English name.
    "nuss nuip birthnumber "
    # KYC's words: a proof of identity (India's `POI`), a KYC number.
    "idproof idproofnumber idproofno proofofidentity proofofidentitynumber poinumber poino "
    "kycnumber kycno kycdocumentnumber "
    # ... and countries' numbers by their own names: Nigeria's bank verification number, Kenya's
    # tax PIN, Colombia's NIT, Indonesia's NPWP, Poland's NIP, Hong Kong's, the Emirates' and
    # the Gulf's identity cards (not `qid`: Wikidata's item), Ireland's PPSN, Croatia's OIB,
    # Serbia's JMBG, Turkey's tax number, Morocco's CIN; a travel document; a patient's medical
    # record and health plan.
    "bvn bvnnumber krapin nit npwp nip hkid hkidnumber hkidno emiratesid emiratesidnumber "
    "emiratesidno iqama iqamanumber iqamano iqamaid qatarid civilid civilidnumber ppsn "
    "ppsnumber oib jmbg vkn cin traveldocument traveldocumentnumber traveldocumentno mrn "
    "medicalrecordnumber medicalrecordno healthinsurancenumber insurancememberid "
    "insurancepolicynumber healthplanid chavepix pixkey "
    # A passport's, an identity card's, a social security's and a tax number's names in the
    # languages fields are labelled in: fr, es, pt, it, nl, pl, tr, de/sv, ja, zh, ko.
    "passeport numeropasseport numéropasseport pasaporte numeropasaporte passaporte "
    "numeropassaporte passaporto numeropassaporto paspoort paspoortnummer paszport "
    "numerpaszportu pasaport pasaportno pasaportnumarasi 旅券番号 旅券 パスポート番号 "
    "パスポート 护照号码 护照号 护照 여권번호 여권 reisepassnummer passnummer passnr "
    "documentoidentidad documentodeidentidad numeroseguridadsocial numerodeseguridadsocial rg "
    "numerorg dowod dowodosobisty numerdowodu numerdowoduosobistego kimliknumarasi vergino "
    "vergikimlikno vergikimliknumarasi "
    # A social security or insurance number, whichever country's (Adyen's
    # `socialSecurityNumber` holds Brazil's CPF and the Nordic personal numbers too); a tax
    # registration; an identity document's record, and a record of tax details.
    "ssn ssnumber socialsecurity socialsecuritynumber socialsecurityno socialsecuritynum "
    "socialinsurance socialinsurancenumber socialinsuranceno taxregistrationnumber "
    "taxregistrationno taxregno vatregistrationnumber vatregistrationno vatregno iddocument "
    "iddocuments iddoc identitydocument identitydocuments taxinformation taxinfo "
    # The US employer identification number: a sole proprietor's is the person's own.
    "employeridentificationnumber employeridentificationno fein "
    # The value of an identifier in a naming system (`datamin.core.pairs`'s label for HL7
    # FHIR's `{"system": ..., "value": ...}`): a patient's, a member's, a practitioner's.
    "identifiervalue "
    # Numbers a school, an airline, a travel programme or an insurer gives one person: a
    # student's number (Ed-Fi's `studentUniqueId`, FERPA's student ID), a known traveller's
    # and a redress number (TSA), a frequent flyer's or a loyalty member's number, an
    # insurance card's id, a subscriber's (a health plan's, a carrier's). Not an employee's
    # number: a directory's own id for its staff (Okta's `employeeNumber`), kept as ids are.
    "studentnumber studentno studentuniqueid statestudentid studentidnumber "
    "matriculationnumber matrikelnummer knowntravelernumber knowntravellernumber ktn "
    "redressnumber redressno frequentflyernumber frequentflyerno frequentflyerid ffnumber "
    "ffpnumber ffp loyaltynumber loyaltyno loyaltyid loyaltymembernumber loyaltyaccountnumber "
    "loyaltyprogram loyaltyprograms membershipnumber membershipno insuranceid insurancenumber "
    "insuranceno subscriberid subscribernumber subscriberno".split()
)
# Whole names of a person's number that no other word makes a thing's, found at the end of a
# key whatever comes before them (`shopperSocialSecurityNumber`, `primaryPassportNumber`).
_PERSONAL_ENDINGS = (
    "socialsecuritynumber", "socialsecurityno", "socialinsurancenumber", "socialinsuranceno",
    "nationalinsurancenumber", "nationalidnumber", "nationalidentitynumber", "passportnumber",
    "passportno", "identitycardnumber", "idcardnumber", "driverslicensenumber",
    "driverlicensenumber", "drivinglicencenumber", "drivinglicensenumber",
    # A person's identity number after whose country or kind it is (GoCardless's
    # `swedish_identity_number`, `danish_identity_number`): only people have an identity.
    "identitynumber", "identityno", "identitynr", "identitycardno",
    # ... and a person's number from an airline or a travel programme (`guestLoyaltyNumber`,
    # `primaryFrequentFlyerNumber`).
    "frequentflyernumber", "loyaltynumber", "knowntravelernumber",
    "knowntravellernumber", "redressnumber", "studentnumber",
)  # fmt: skip
# Prefixes that custom-field systems put before a field's own name (`cf_national_id`,
# `custom_tax_number`, `x_id_number`).
_CUSTOM_PREFIXES = ("customfield", "custom", "cf", "x")
_PERSON_PREFIXES = (
    "customer", "user", "holder", "owner", "applicant", "patient", "employee", "member", "client",
    "person", "contact", "buyer", "seller", "sender", "recipient", "beneficiary", "driver",
    "guest", "student", "tenant", "borrower", "payer", "payee", "cardholder", "account",
    "individual", "director", "shareholder", "traveler", "traveller", "passenger", "my",
    "billing", "shipping",  # WooCommerce's `_billing_national_id`: the party billed
    # ... or who issued it, or what checked it: `govt_id_number`, `kyc_id_number`.
    "govt", "government", "official", "legal", "civil", "kyc",
)  # fmt: skip


# A document a person identifies with, named by the record around it: Mercado Pago's
# `payer.identification.number`, Pagar.me's `customer.document`, `cliente.documento`. An
# identification names one wherever it stands; a document only as a person's (a document API's
# `document.number` is its own reference).
# (Open banking's account `SecondaryIdentification`, a building society's roll number, too.)
_IDENTIFICATION_KEYS = frozenset(
    "identification identificacion identificación secondaryidentification".split()
)
_DOCUMENT_KEYS = frozenset(("document", "documento", "documents", "documentos"))
# ... or a check of who someone is: a KYC provider's or an identity verification's documents.
_DOCUMENT_OWNERS = frozenset(
    (*_PERSON_PREFIXES, "cliente", "pagador", "titular", "comprador", "verification", "identity")
)


def identity_document(ctx: FieldContext) -> bool:
    """The field is a person's identity document by its own name and its owner's."""
    if ctx.name in _IDENTIFICATION_KEYS:
        return True
    if ctx.name not in _DOCUMENT_KEYS:
        return False
    keys = [last_key(k) for k in ctx.path.split(".")]
    keys = [k for k in keys if k and not k.isdigit()]
    if ctx.name not in keys:
        return False
    at = len(keys) - 1 - keys[::-1].index(ctx.name)
    return at > 0 and keys[at - 1] in _DOCUMENT_OWNERS


# A payment scheme's record names the account it holds (Plaid's `numbers.ach[].account`,
# `numbers.bacs[].account`); a health plan's record names its member (`insurance.member_id`,
# `coverage.policy_number`, `payer.subscriber_id`).
_SCHEMES = frozenset("ach bacs eft wire sepa bank bankaccount bankdetails directdeposit".split())
_SCHEME_ACCOUNTS = frozenset("account acct accountno".split())
_HEALTH_PLANS = ("insurance", "coverage", "healthplan", "medicare", "medicaid")
_PLAN_MEMBERS = frozenset(
    "memberid membernumber memberno subscriberid subscribernumber policynumber policyno "
    "beneficiaryid".split()
)


_IDENTITY = frozenset(("NATIONAL_ID",))  # `_id_fields.IDENTITY_FIELD`
_BANK_ACCOUNT = frozenset(("US_BANK_NUMBER",))


_PLATE = frozenset(("UK_VEHICLE_REGISTRATION",))


def named_by_record(ctx: FieldContext, identity_fields: bool) -> frozenset[str]:
    """The identifier the record around a field says it holds, where its own name says none:
    a person's identity document, a health plan's member, a payment scheme's account, a
    vehicle's registration."""
    if not _may_be_named_by_record(ctx.name):
        return frozenset()  # nearly every field: settled once per name
    if identity_fields and (identity_document(ctx) or plan_member(ctx)):
        return _IDENTITY
    if squash(ctx.name) in _REGISTRATIONS:
        return _PLATE if vehicles_registration(ctx) else frozenset()
    return _BANK_ACCOUNT if scheme_account(ctx) else frozenset()


@lru_cache(maxsize=4096)
def _may_be_named_by_record(name: str) -> bool:
    return (
        name in _IDENTIFICATION_KEYS
        or name in _DOCUMENT_KEYS
        or name in _SCHEME_ACCOUNTS
        or squash(name) in _PLAN_MEMBERS
        or squash(name) in _REGISTRATIONS
    )


# A registration, under a vehicle (`vehicle.registration`, `car.reg`, `vehicles[0].rego`), is
# its plate; elsewhere it is a company's, a device's or a sign-up's.
_REGISTRATIONS = frozenset(
    "registration registrationnumber registrationno registrationmark regnumber regno reg rego "
    "regnr".split()
)
_VEHICLES = frozenset(
    "vehicle vehicles car cars auto autos truck trucks van vans motorcycle motorbike "
    "fahrzeug voertuig vehiculo vehículo veiculo veículo voiture".split()
)


def vehicles_registration(ctx: FieldContext) -> bool:
    """The field is a registration and one of the two keys above it names a vehicle."""
    owners = ctx.path.rsplit(".", 3)[:-1]
    return any(squash(last_key(owner)) in _VEHICLES for owner in owners[-2:])


# ... or a payment's party names it (`beneficiary.account`, `remitter.account`).
_ACCOUNT_PARTIES = frozenset("beneficiary payee payer creditor debtor remitter remittee".split())


def scheme_account(ctx: FieldContext) -> bool:
    """The field is the account a payment scheme's record or a payment's party holds."""
    if ctx.name not in _SCHEME_ACCOUNTS:
        return False
    keys = ctx.path.rsplit(".", 2)
    if len(keys) < 2:
        return False
    owner = squash(last_key(keys[-2]))
    return owner in _SCHEMES or owner in _ACCOUNT_PARTIES


def plan_member(ctx: FieldContext) -> bool:
    """The field is a member's or a policy's number in a health plan's record."""
    if squash(ctx.name) not in _PLAN_MEMBERS:
        return False
    owners = ctx.path.rsplit(".", 3)[:-1]
    return any(plan in owner.lower() for owner in owners for plan in _HEALTH_PLANS)


# Containers of fields a customer defined for themselves (Zendesk's and Freshdesk's
# `custom_fields`, Jira's `customfield_10010`, Intercom's `custom_attributes`): their values are
# whatever a form asked a person for, named only by a number.
_USER_DEFINED = frozenset(
    "customfields customattributes customdata customproperties customvalues userfields "
    "userdefinedfields extrafields additionalfields".split()
)


def user_defined_key(squashed: str) -> bool:
    """`custom_fields`, `customFields`, `customfield_10010`: a container of fields whose names
    are only numbers, lower-cased with separators removed."""
    return squashed in _USER_DEFINED or (
        squashed.startswith("customfield") and squashed[len("customfield") :].isdigit()
    )


def on_its_own(ctx: FieldContext) -> bool:
    """Whether a value that is one identifier-shaped token speaks for itself here: a message
    body, a custom field's answer (`custom_fields[3].value`, `customfield_10010`), or the value
    of a container whose name says nothing of it (`data.value`, `settings.value`)."""
    if ctx.kind is FieldKind.TEXT:
        return True
    if ctx.kind in (FieldKind.HEADER, FieldKind.COOKIE, FieldKind.META):
        return False
    return _says_nothing(ctx.name)


def answer(ctx: FieldContext) -> bool:
    """A structured value that speaks for itself: a custom field's answer or a container's
    value (`on_its_own`, a message body aside)."""
    return ctx.kind is not FieldKind.TEXT and on_its_own(ctx)


@lru_cache(maxsize=4096)
def _says_nothing(name: str) -> bool:
    """A field's name that says nothing of its value (names repeat across records)."""
    squashed = "".join(c for c in name if c.isalnum())
    return user_defined_key(squashed) or squashed in CONTAINER_NAMES


def whole_identity_key(squashed: str) -> bool:
    """The whole key, squashed, is a person's number's own name (`statestudentid`)."""
    return squashed in _IDENTITY_KEYS


def identity_key(squashed: str) -> bool:
    """`national_id`, `idNumber`, `customer_document_number`: a person's identity number."""
    squashed = squashed.replace(".", "")  # `T.C. Kimlik No`
    for prefix in _CUSTOM_PREFIXES:
        if squashed.startswith(prefix) and len(squashed) > len(prefix):
            if _identity_key(squashed[len(prefix) :]):
                return True
    return _identity_key(squashed)


# What may stand beside a country's code and its identifier's name (`pl_nip_number`).
_NUMBER_WORDS = frozenset("number no num nr id value".split())


def country_typed(tokens: frozenset[str] | set[str]) -> bool:
    """A country's code and the name of one of its identity or tax numbers, as payment APIs
    type tax ids (Stripe's `co_nit`, `uy_ruc`; a typed pair's label, `pl_nip_number`): the
    number's name is a word of its own, and nothing else is said but "number"."""
    named = {t for t in tokens if len(t) >= 3 and t in _IDENTITY_KEYS}
    rest = tokens - named
    codes = {t for t in rest if len(t) == 2 and t.isascii() and t.isalpha()}
    return bool(named) and bool(codes) and rest - codes <= _NUMBER_WORDS


def _identity_key(squashed: str) -> bool:
    if squashed in _IDENTITY_KEYS or squashed.endswith(_PERSONAL_ENDINGS):
        return True
    for prefix in _PERSON_PREFIXES:
        if squashed.startswith(prefix) and squashed[len(prefix) :] in _IDENTITY_KEYS:
            return True
    return False


# Words in a sentence that say "my identity number", in the languages of the default regions,
# as written in prose (stems: `Henkilötunnukseni` is "my henkilötunnus"). The number after one
# is someone's identifier, whatever its country's check says of it (fail closed).
_PROSE_IDENTITY_WORDS = (
    "national id", "national identity", "id number", "identity number", "identity card",
    "id card number", "social security", "ssn", "national insurance", "tax id", "taxpayer id",
    "personal number", "personal id", "document number", "aadhaar", "aadhar", "nric",
    "rijksregisternummer", "burgerservicenummer", "bsn", "henkilötunnu", "personnummer",
    "fødselsnummer", "cpr-nummer", "pesel", "cpf", "tc kimlik", "t.c. kimlik", "kimlik no",
    "kimlik numara", "sécurité sociale", "securite sociale", "numéro d'identification",
    "steuer-id", "steuerid", "steuer-identifikationsnummer", "steueridentifikationsnummer",
    "identifikationsnummer", "personalausweisnummer", "codice fiscale", "dni", "curp",
    "cédula", "cedula", "número de documento", "numero de documento", "documento de identidad",
    "número de identificación", "マイナンバー", "個人番号", "주민등록번호", "주민번호", "身份证",
    # Documents and records a person holds: passports, driving licences, medical records,
    # member, patient, student and employee numbers.
    "passport", "reisepass", "pasaporte", "passaporto", "passeport", "paspoort", "passaporte",
    "paszport", "pasaport", "旅券", "パスポート", "护照", "여권",
    "driver's license", "drivers license", "driver license", "driver's licence",
    "driving licence", "driving license", "license number", "licence number", "führerschein",
    "permis de conduire", "licencia de conducir", "carteira de motorista", "rijbewijs",
    "patente di guida", "medical record number", "medical record no", "mrn", "health card",
    "member id", "patient id", "student id", "employee id", "employee number",
    # Countries' numbers by their own names (as in `_IDENTITY_KEYS`).
    "bvn", "bank verification number", "kra pin", "npwp", "emirates id", "iqama", "hkid",
    "cnic", "nit", "nin", "national identification number", "ppsn", "pps number", "oib", "jmbg",
)  # fmt: skip
# The same words squashed (`aadhaar`, `passport`, `driverslicense`): a document's name.
_DOCUMENTS = frozenset("".join(c for c in w if c.isalnum()) for w in _PROSE_IDENTITY_WORDS)


def names_a_document(word: str) -> bool:
    """Whether `word` (`AADHAAR`, `Passport`, `national_id`, `drivers-license`) names a person's
    identity document or number."""
    squashed = "".join(c for c in word.lower() if c.isalnum())
    return squashed in _DOCUMENTS or identity_key(squashed)


# The word (starting a word), then at most three short words (`is`, `on`, `lautet`, `は`, `는`,
# an inflection's ending; never capitals, which begin the number: `ZZ260181T`, `K160181599`),
# then a number of an identifier's make-up: capitals and digits,
# joined by `-./ `, six digits or more (counted by the caller). A longer word between them
# (`nie angekommen, Bestellung 12345678`) ends the cue. Words may be joined by `_` or `-` as a
# log's keys are (`national_id 32659430 already registered`). A label's colon may end its line, the
# number on the next (`*National ID:*\n32659430`, as chat tools and e-mail forms print fields).
PROSE_IDENTITY = (
    r"(?:^|[^\p{L}\p{N}])(?i:"
    + "|".join(w.replace(".", r"\.").replace(" ", r"[\s_\-]+") for w in _PROSE_IDENTITY_WORDS)
    + r")(?:[^\d\n\p{L}]{0,3}:[^\d\n\p{L}]{0,3}\r?\n[ \t>*_]{0,4}|[^\d\n\p{L}]{0,4}"
    + r"(?:(?i:no|nos|nr|num|number)\.?[^\d\n\p{L}]{0,4})?"  # in any case: `AADHAAR NO.3833`
    + r"(?:[\p{Ll}\p{Lo}\p{Lm}]{1,6}[^\d\n\p{L}]{0,4}){0,3})"
    + r"([A-Z]{0,3} ?\d[\dA-Z\-./ ]{4,24}[\dA-Z](?:\([0-9A]\))?)"
)

# Words that say a vehicle's registration follows (`my license plate is ERK 141`, `kenteken:
# 12-ABC-3`, `Kennzeichen M-AB 123`), then the plate: up to four groups of capitals and digits.
PLATE_SAID = (
    r"(?i:\b(?:licen[cs]e\s+plate|number\s+plate|plate\s+number|registration\s+plate|"
    r"kenteken|kennzeichen|nummernschild|plaque\s+d['\x{2019}]immatriculation|plaka))"
    r"[^\p{L}\p{N}\n]{0,4}(?:(?:is|ist|est|es|on|er|är|was|:)\s+)?"
    r"([A-Z0-9]{1,8}(?:[ \-][A-Z0-9]{1,4}){0,3})\b"
)
