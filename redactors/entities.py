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
    # Found by NER in free text.
    "PERSON": Category.PERSON,
    "LOCATION": Category.LOCATION,
}

CREDENTIALS: frozenset[str] = frozenset(e for e, c in ENTITIES.items() if c is Category.CREDENTIAL)


def is_known(entity: str) -> bool:
    return entity in ENTITIES
