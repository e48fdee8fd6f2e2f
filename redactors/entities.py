"""The entity catalogue: every kind of sensitive value datamin detects, with its category.

Names follow Presidio's where Presidio has the entity (EMAIL_ADDRESS, PHONE_NUMBER, ...), so
policies written for either read the same.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    CREDENTIAL = "credential"
    IDENTIFIER = "identifier"
    PERSON = "person"
    LOCATION = "location"


ENTITIES: dict[str, Category] = {
    # Credentials: never kept, never pseudonymized (a policy that tries is refused at compile time).
    "JWT": Category.CREDENTIAL,
    "API_KEY": Category.CREDENTIAL,  # well-known key formats (cloud, payment, source host, chat)
    "BEARER_TOKEN": Category.CREDENTIAL,
    "BASIC_AUTH": Category.CREDENTIAL,
    "PASSWORD": Category.CREDENTIAL,
    "PRIVATE_KEY": Category.CREDENTIAL,
    "SESSION_ID": Category.CREDENTIAL,  # session cookies and session parameters
    "SECRET": Category.CREDENTIAL,  # any value sitting where a credential sits (by field name)
    # Structured identifiers found by validated patterns.
    "EMAIL_ADDRESS": Category.IDENTIFIER,
    "PHONE_NUMBER": Category.IDENTIFIER,
    "CREDIT_CARD": Category.IDENTIFIER,
    "US_SSN": Category.IDENTIFIER,
    "IBAN_CODE": Category.IDENTIFIER,
    "IP_ADDRESS": Category.IDENTIFIER,
    "DATE_OF_BIRTH": Category.IDENTIFIER,  # by field name: a date is only personal by where it sits
    # National, tax, health, travel, bank and device identifiers (`datamin.redactors.national_ids`),
    # named as Presidio's predefined recognizers name them.
    **dict.fromkeys(
        (
            "CRYPTO MAC_ADDRESS ABA_ROUTING_NUMBER MEDICAL_LICENSE US_BANK_NUMBER US_ITIN "
            "US_DRIVER_LICENSE US_MBI US_NPI US_PASSPORT UK_DRIVING_LICENCE UK_NHS UK_NINO "
            "UK_PASSPORT UK_VEHICLE_REGISTRATION AU_ABN AU_ACN AU_MEDICARE AU_TFN CA_SIN "
            "IN_AADHAAR IN_GSTIN IN_PAN IN_PASSPORT IN_VEHICLE_REGISTRATION IN_VOTER SG_NRIC_FIN "
            "SG_UEN IT_DRIVER_LICENSE IT_FISCAL_CODE IT_IDENTITY_CARD IT_PASSPORT IT_VAT_CODE "
            "ES_NIE ES_NIF ES_PASSPORT PL_PESEL FI_PERSONAL_IDENTITY_CODE KR_BRN "
            "KR_DRIVER_LICENSE KR_FRN KR_PASSPORT KR_RRN TH_TNIN DE_ID_CARD DE_PASSPORT "
            "DE_TAX_ID DE_SOCIAL_SECURITY DE_HEALTH_INSURANCE SE_PERSONNUMMER "
            "SE_ORGANISATIONSNUMMER TR_NATIONAL_ID NG_NIN NG_VEHICLE_REGISTRATION PH_TIN "
            "PH_PASSPORT PH_UMID ZA_ID_NUMBER ZA_PASSPORT ZA_INCOME_TAX_NUMBER US_CLAIM_NUMBER "
            "US_HEALTH_INSURANCE_MEMBER_ID US_PRESCRIPTION_NUMBER US_PRIOR_AUTHORIZATION_NUMBER "
            "US_PROVIDER_TAX_ID US_REFERRAL_NUMBER DE_BSNR DE_FUEHRERSCHEIN DE_HANDELSREGISTER "
            "DE_KFZ DE_LANR DE_TAX_NUMBER DE_VAT_ID TR_LICENSE_PLATE ZA_COMPANY_REGISTRATION "
            "ZA_DRIVER_LICENSE ZA_LICENSE_PLATE ZA_TRAFFIC_REGISTER_NUMBER ZA_VAT_NUMBER "
            # Beyond Presidio's, checked by python-stdnum (`redactors/_stdnum_ids.py`).
            "BR_CPF BR_CNPJ MX_CURP MX_RFC IMEI VIN DEVICE_ID "
            "FR_NIR BE_NATIONAL_NUMBER NO_FODSELSNUMMER CH_AHV CN_RESIDENT_ID NL_BSN DK_CPR "
            "CZ_BIRTH_NUMBER GR_AMKA AR_CUIT RU_INN AT_SVNR IL_ID PT_NIF JP_MY_NUMBER CL_RUT "
            "MY_NRIC ID_NIK "
            # A person's identity number under a field that names one, no check recognizing it.
            "NATIONAL_ID"
        ).split(),
        Category.IDENTIFIER,
    ),
    # Postcodes: a place shared by a street or a few, read in free text only (under a structured
    # postcode field they are the policy's to keep or generalize, like a city).
    **dict.fromkeys(("UK_POSTCODE", "CA_POSTAL_CODE", "DE_PLZ"), Category.LOCATION),
    # Found by NER in free text.
    "PERSON": Category.PERSON,
    "LOCATION": Category.LOCATION,
}

CREDENTIALS: frozenset[str] = frozenset(e for e, c in ENTITIES.items() if c is Category.CREDENTIAL)


def is_known(entity: str) -> bool:
    return entity in ENTITIES
