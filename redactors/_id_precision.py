"""When an identifier-shaped value counts with no context word nearby and no field name: the
precision half of `datamin.redactors.national_ids`. Order numbers, ids, SKUs, plates and dates
share the shapes of many countries' identifiers, so what may count alone is decided per
identifier (by how many random numbers its check accepts, measured, not assumed; by whether every
shape it has is also an ordinary code's; postcodes only in free text) and per value, by how it is
written (digits in the identifier's groups, letters in capitals). Nothing here runs a checksum:
these are the cheap tests, taken first.
"""

from __future__ import annotations

import re

from datamin.redactors._id_shapes import has_letter, lower_word
from datamin.redactors._presidio_adapter import Rule

STRONG = 0.5  # Presidio's base score from which a pattern may count alone
CHECKED = 0.3  # ... and with a check of its own that holds
# Postcodes: read in free text only, where a sentence gives one as someone's ("send it to
# postcode EC2A 1NT") or a message is nothing else. Under a structured field they are places a
# policy keeps or generalizes like a city (`datamin.redactors.by_field`), so no field name makes
# one.
TEXT_ONLY = frozenset(("UK_POSTCODE", "CA_POSTAL_CODE", "DE_PLZ"))
# Identifiers whose every shape is also an ordinary code (plates, account and licence numbers):
# they count only with a context word or a field name.
ALWAYS_CONTEXT = frozenset(
    "US_BANK_NUMBER US_DRIVER_LICENSE US_PASSPORT UK_VEHICLE_REGISTRATION "
    "IN_VEHICLE_REGISTRATION NG_VEHICLE_REGISTRATION DE_KFZ TR_LICENSE_PLATE ZA_LICENSE_PLATE "
    "ZA_DRIVER_LICENSE IMEI VIN".split()
)
# Checks that accept more than one number in seven of some length (measured on random digits
# in tests/redactors/test_national_ids.py) or restate their pattern: no check at all, so these
# identifiers never raise a score by one and never count as a message of their own.
WEAK_CHECKS = frozenset(
    "ZA_INCOME_TAX_NUMBER ZA_TRAFFIC_REGISTER_NUMBER SE_ORGANISATIONSNUMMER KR_DRIVER_LICENSE "
    # Denmark's CPR number has needed no check digit since 2007: what is checked is a date; an
    # IMEISV (an IMEI's 16-digit form) has no check digit at all.
    "ZA_DRIVER_LICENSE DK_CPR IMEI "
    # python-stdnum's checks of one in ten or so (eleven-proof, Luhn, mod 11) on the lengths
    # order numbers and ids have (9 to 16 digits): these count by their word or field only.
    # So does a Czech birth number: ten digits divisible by eleven with a date in them, which
    # one Unix time in thirty-five of early 2026 is (`1771234567`).
    "NL_BSN AT_SVNR IL_ID PT_NIF JP_MY_NUMBER CL_RUT MY_NRIC ID_NIK CZ_BIRTH_NUMBER "
    # A VIN's check digit: one random value in eleven.
    "VIN".split()
)
# Checks that accept fewer than one random number in forty of any length (measured in the same
# test): two check digits, or a check digit and a birth date. A bare number in prose that one of
# them accepts is that identifier, with no word needed; other checks, one in ten or so, need one.
STRONG_CHECKS = frozenset(
    "AU_ABN PL_PESEL SE_PERSONNUMMER TR_NATIONAL_ID KR_RRN KR_FRN ZA_ID_NUMBER FR_NIR "
    "BE_NATIONAL_NUMBER NO_FODSELSNUMMER CH_AHV CN_RESIDENT_ID GR_AMKA AR_CUIT RU_INN".split()
)
# Read in prose like those, though their check is one in ten: an Aadhaar is twelve digits
# starting 2-9 and passing Verhoeff, a length few other bare numbers have in a sentence (a
# thing's word before them still vetoes: `tracking 123456789012`, `UPC ...`). Presidio reads
# them so too.
BARE_IN_PROSE = STRONG_CHECKS | {"IN_AADHAAR"}
# Identifiers whose pattern is a birth date, a sex digit and a separator of their own (Korea's
# `YYMMDD-SXXXXXX`): written so, the pattern is the check, as for numbers issued since Korea
# dropped the check digit in October 2020, which no checksum can accept.
DATED_SHAPES = frozenset(("KR_RRN", "KR_FRN"))
_DIGIT_GROUP = re.compile(r"\d+")  # on a matched value: bounded


def may_stand_alone(rule: Rule, value: str) -> bool:
    """Whether `value` could count with no word nearby and no field name: the cheap half of
    the decision, taken before any checksum runs.

    Digits alone are order numbers and ids as often as anything: only a number written in the
    identifier's groups speaks for itself. A value with letters needs a check
    of its own or a strong pattern, and capitals (identifiers are written so; hex such as a MAC
    is written in either case)."""
    if rule.entity in ALWAYS_CONTEXT:
        return False
    if rule.entity in TEXT_ONLY:
        return written_postcode(rule, value)
    if value.isdigit():
        return False
    if not has_letter(value):
        # Digits count alone only written in three groups or more (`943 476 5919`; two groups
        # are a date and a serial as often): nine digits or more under a strong grouped pattern
        # (`911-70-1234`), ten or more with a check of the identifier's own.
        if len(_DIGIT_GROUP.findall(value)) < 3:
            return False
        digits = sum(c.isdigit() for c in value)
        return (rule.checked and digits >= 10) or (rule.score >= STRONG and digits >= 9)
    if rule.checked and rule.score >= CHECKED:
        return True
    return rule.score >= STRONG and not lower_word(value)


def may_count_alone(rule: Rule) -> bool:
    return rule.entity not in ALWAYS_CONTEXT and (
        rule.checked or rule.score >= STRONG or rule.entity in TEXT_ONLY
    )


def written_postcode(rule: Rule, value: str) -> bool:
    """A postcode as addresses write it: in capitals, its two halves apart (`SW1A 1AA`,
    `K1A 0B1`); squashed or in lower case it is as likely some code."""
    return rule.entity in TEXT_ONLY and " " in value and value.isupper()
