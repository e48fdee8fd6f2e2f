"""Which identifier a field's name says its value is (`datamin.redactors.national_ids`). Under
such a name a value of the identifier's shape is that identifier whatever its checksum says (fail
closed), so only specific words name one: the entity's own (`passport`, `nhs`, `aadhaar`), its
context words that no other identifier shares, squashed compounds (`routingnumber`), or a person's
identity number in general (`IDENTITY_FIELD`). Words too common to say which identifier is meant
(`number`, `card`, `pan`) name none, and a name that says the value is about the identifier
(`passport_expiry_date`, `wallet_balance`) names none either.
"""

from __future__ import annotations

import re

from datamin.redactors._id_precision import TEXT_ONLY
from datamin.redactors._id_words import TOKEN, country_typed, identity_key, whole_identity_key
from datamin.redactors._presidio_adapter import Rule

IDENTITY_FIELD = "NATIONAL_ID"  # a person's identity number, in a shape no check knows
# Words too common to say which identifier is meant: not context alone, not field names
# (`pan` in a payment is the card number, not India's tax id).
_GENERIC = frozenset(
    "number num no nr id code card check save debit account acct tax personal national identity "
    "identification registration document company business unique entity vehicle health "
    "insurance medical social security bank driver driving license licence travel member plate "
    "us united states canada the of my is provider individual payer association permit "
    "beneficiary address pan "
    # Presidio's context words that are a record's own subject as often as an identifier's: an
    # API's `invoices`, `billing`, `auth`, `run`, `certificate`, `register`, a car's fields.
    "invoice rechnung billing approval auth authorization prior referral referring specialty "
    "infusion medication pharmacy certificate carta register traffic income car auto reg mot "
    "run taxonomy resident fiscal birth crypto ethernet firma gesellschaft praxis rezept "
    "finanzamt rente fahrzeug zulassung logbook elettronica elettronico viaggio viaggiare "
    "estero italiano dogana espatrio riconoscimento seriennummer documento".split()
)

# Every entity the family can report (Presidio's names), whatever the regions.
ENTITIES = frozenset(
    "CRYPTO MAC_ADDRESS ABA_ROUTING_NUMBER MEDICAL_LICENSE US_BANK_NUMBER US_ITIN "
    "US_DRIVER_LICENSE US_MBI US_NPI US_PASSPORT UK_DRIVING_LICENCE UK_NHS UK_NINO UK_PASSPORT "
    "UK_VEHICLE_REGISTRATION AU_ABN AU_ACN AU_MEDICARE AU_TFN CA_SIN IN_AADHAAR IN_GSTIN IN_PAN "
    "IN_PASSPORT IN_VEHICLE_REGISTRATION IN_VOTER SG_NRIC_FIN SG_UEN IT_DRIVER_LICENSE "
    "IT_FISCAL_CODE IT_IDENTITY_CARD IT_PASSPORT IT_VAT_CODE ES_NIE ES_NIF ES_PASSPORT PL_PESEL "
    "FI_PERSONAL_IDENTITY_CODE KR_BRN KR_DRIVER_LICENSE KR_FRN KR_PASSPORT KR_RRN TH_TNIN "
    "DE_ID_CARD DE_PASSPORT DE_TAX_ID DE_SOCIAL_SECURITY DE_HEALTH_INSURANCE SE_PERSONNUMMER "
    "SE_ORGANISATIONSNUMMER TR_NATIONAL_ID NG_NIN NG_VEHICLE_REGISTRATION PH_TIN PH_PASSPORT "
    "PH_UMID ZA_ID_NUMBER ZA_PASSPORT ZA_INCOME_TAX_NUMBER US_CLAIM_NUMBER "
    "US_HEALTH_INSURANCE_MEMBER_ID US_PRESCRIPTION_NUMBER US_PRIOR_AUTHORIZATION_NUMBER "
    "US_PROVIDER_TAX_ID US_REFERRAL_NUMBER DE_BSNR DE_FUEHRERSCHEIN DE_HANDELSREGISTER DE_KFZ "
    "DE_LANR DE_TAX_NUMBER DE_VAT_ID TR_LICENSE_PLATE ZA_COMPANY_REGISTRATION ZA_DRIVER_LICENSE "
    "ZA_LICENSE_PLATE ZA_TRAFFIC_REGISTER_NUMBER ZA_VAT_NUMBER UK_POSTCODE CA_POSTAL_CODE "
    "DE_PLZ "
    # Beyond Presidio's, checked by python-stdnum (`_stdnum_ids`).
    "BR_CPF BR_CNPJ MX_CURP MX_RFC IMEI VIN DEVICE_ID FR_NIR BE_NATIONAL_NUMBER NO_FODSELSNUMMER "
    "CH_AHV "
    "CN_RESIDENT_ID NL_BSN DK_CPR CZ_BIRTH_NUMBER GR_AMKA AR_CUIT RU_INN AT_SVNR IL_ID PT_NIF "
    "JP_MY_NUMBER CL_RUT MY_NRIC ID_NIK "
    # A person's identity, tax or document number under a field that says so, in a shape no
    # country's check above recognized (fail closed).
    "NATIONAL_ID".split()
)
# Words of a field name that say its value is about the identifier, not the identifier.
_NOT_ID_FIELDS = frozenset(
    "balance amount count total price qty quantity size status type date time expiry expires "
    "issued version currency fee rate limit url name country state verified valid "
    # ... or a piece of it, a check's outcome, a digest of it (`ssn_last4`, `routing_outcome`,
    # `iban_fingerprint`, `tax_id_provided`).
    "last last4 first6 suffix prefix outcome result reason fingerprint hash masked mask "
    "provided required format".split()
)
_PAYMENT_PARTIES = (
    "beneficiary", "payee", "payer", "creditor", "debtor", "remitter", "payout", "settlement",
    "checking", "savings", "deposit",
)  # fmt: skip
# Field words the context lists lack; tokens of a field name, or squashed compounds.
_EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    # ... and Mexico's CLABE, Argentina's CBU and CVU: an account's number by its own name.
    "US_BANK_NUMBER": (
        *("bankaccount", "clabe", "cbu", "cvu"),
        # The domestic account an IBAN is made of (Checkout.com's `bban`), letters and all.
        "bban",
        # An account's number in every usual abbreviation (`acct_no`, `acc_number`, `AccountNum`).
        *(a + n for a in ("account", "acct", "acc") for n in ("number", "no", "num", "nr", "nbr")),
        # The account of a payment's party, or of a kind only banks keep (`payee_account`,
        # `debtorAccount.number`, `checking_account`; a demand deposit account's `dda`).
        *(p + a for p in _PAYMENT_PARTIES for a in ("account", "acct")),
        "dda",
        "ddanumber",
    ),
    "US_DRIVER_LICENSE": ("driverlicense", "driverslicense", "dl", "dlnumber", "licensenumber"),
    "UK_DRIVING_LICENCE": ("drivinglicence", "driverlicence", "licencenumber"),
    "ABA_ROUTING_NUMBER": ("routingnumber", "routing", "aba"),
    "UK_NINO": ("nationalinsurance", "ninumber", "nino"),
    "MAC_ADDRESS": ("macaddress", "mac", "bssid", "hwaddr", "hwaddress"),
    "CRYPTO": ("wallet", "btc", "bitcoin", "walletaddress", "ethereum", "ethaddress"),
    "IN_PAN": ("pannumber", "panno", "pancard"),  # `pan` alone is a card's number
    "UK_VEHICLE_REGISTRATION": (
        "licenseplate",
        "licenceplate",
        "numberplate",
        "plateno",
        "plate",
        "platenumber",
        "kenteken",
        "nummernschild",
        "plaka",
    ),
    "SG_NRIC_FIN": ("nric", "fin"),
    # A phone's other numbers: its IMEI with the software's version, a CDMA phone's MEID, its
    # SIM's subscriber (IMSI) and card (ICCID) numbers. Each names one handset or subscriber,
    # as an IMEI does (there is no entity of their own).
    "IMEI": ("imeisv", "meid", "imsi", "iccid", "simserial", "simserialnumber"),
}
# Words that name an identifier as a word of the field's name only, never inside a longer
# one (`template_id` holds `plate`).
_WORDS_ONLY = frozenset(("plate", "platenumber", "plaka"))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def field_words(rules: list[Rule]) -> dict[str, frozenset[str]]:
    """Per entity, the words a field name holds when it is that identifier: the entity name's
    own words, its specific single context words, and its multi-word context words squashed."""
    words: dict[str, set[str]] = {}
    for rule in rules:
        if rule.entity in TEXT_ONLY:
            continue
        bag = words.setdefault(rule.entity, set(_EXTRA_FIELDS.get(rule.entity, ())))
        parts = rule.entity.lower().split("_")
        bag.update(p for p in parts[1:] if len(p) >= 3 and p not in _GENERIC)
        for word in rule.context:
            tokens = TOKEN.findall(word.replace("#", " "))
            if len(tokens) == 1 and len(tokens[0]) >= 3 and tokens[0] not in _GENERIC:
                bag.add(tokens[0])
            elif len(tokens) > 1 and not all(t in _GENERIC for t in tokens):
                bag.add("".join(tokens))
    return {e: frozenset(w) for e, w in words.items()}


def named_entities(
    name: str, words_of: dict[str, frozenset[str]], identity_fields: bool
) -> frozenset[str]:
    """Entities the field's name says its value is, by each entity's words (`field_words`);
    `identity_fields`: whether a name for an identity number in general gives `IDENTITY_FIELD`."""
    tokens = set(TOKEN.findall(_CAMEL.sub("_", name).lower()))
    squashed = "".join(c for c in name.lower() if c.isalnum())
    found = frozenset(
        entity
        for entity, words in words_of.items()
        if any(
            w in tokens or (len(w) >= 5 and w not in _WORDS_ONLY and w in squashed) for w in words
        )
    )
    if not found and identity_fields and (identity_key(squashed) or country_typed(tokens)):
        found = frozenset((IDENTITY_FIELD,))
    if found and not tokens.isdisjoint(_NOT_ID_FIELDS) and not whole_identity_key(squashed):
        # `wallet_balance`, `passport_expiry_date`, `nhs_status`; not a number's own whole
        # name that holds such a word (Ed-Fi's `stateStudentId`: a state's number for a student).
        found = frozenset()
    return found
