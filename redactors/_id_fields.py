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
