"""Numbers a record gives one person, named by a field's name or by the record around it
(`datamin.redactors._id_words`, `datamin.redactors._id_fields`), read by the identifier
detector: each is removed whatever its shape's check says, and the counts, statuses and a
company's numbers under like names are kept."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.national_ids import NationalIdDetector

DETECTOR = NationalIdDetector()
JSON = FieldKind.JSON


def entities(value: str, path: str, label: str | None = None) -> set[str]:
    ctx = FieldContext.of(path, JSON, label)
    return {f.entity for f in DETECTOR.detect(value, ctx) if (f.start, f.end) == (0, len(value))}


@pytest.mark.parametrize(
    ("value", "path"),
    [
        # A school's and a state's number for one student (Ed-Fi's `studentUniqueId` and
        # `stateStudentId`: a state's word inside the number's own name makes no status).
        ("604822", "studentUniqueId"),
        ("WA-88213045", "stateStudentId"),
        # A traveller's numbers: TSA's known traveller and redress numbers, a frequent flyer's
        # and a loyalty member's (Amadeus's `loyaltyPrograms[].id`, an NDC `ffp.number`).
        ("TT4829301", "passengers[0].knownTravelerNumber"),
        ("2837465", "passengers[0].redressNumber"),
        ("AI 2391847756", "guest.frequent_flyer_number"),
        ("2391847756", "passengers[0].ffp.number"),
        ("EBG419388271", "travelers[0].loyaltyPrograms[0].id"),
        ("MR-88014423", "guest.loyalty_id"),
        ("HX-4938271", "guest.primaryLoyaltyNumber"),
        # An insurance card's id and a subscriber's (FHIR's `Coverage.subscriberId`).
        ("XGH4471920", "extra.Insurance ID"),
        ("XGH4471920", "subscriberId"),
        # A payment's party's account (not only a scheme's: `numbers.ach[].account`), open
        # banking's secondary identification (a roll number).
        ("000123456789", "remitter.account"),
        ("7734019283", "beneficiary.account"),
        ("00021", "Data.Account[0].Account[0].SecondaryIdentification"),
        # A vehicle's registration, under the vehicle.
        ("8KVD214", "vehicle.registration"),
        ("WN68 XKL", "cars[0].reg"),
        # A SIM's and a handset's other numbers.
        ("310260417382915", "cdr.imsi"),
        ("8910042348144559361", "sims[0].iccid"),
        ("A10000009296F2", "device.meid"),
        ("3569380356438012", "imeisv"),
    ],
)
def test_a_persons_number_by_its_name_or_its_record(value: str, path: str) -> None:
    assert entities(value, path), (path, "kept")


def test_an_identifier_in_a_naming_system_by_its_label() -> None:
    # `datamin.core.pairs` labels FHIR's `{"system": <a hospital's URI>, "value": ...}`.
    assert entities("48291735", "identifier[1].value", "identifier_value")
    assert entities("MRN0048213", "identifier[2].value", "identifier_value")


@pytest.mark.parametrize(
    ("value", "path"),
    [
        # Counts, statuses and a company's numbers under like names.
        ("09876543", "company.registration_number"),  # no vehicle above it
        ("REG-48213", "event.registration"),  # a sign-up's
        ("12000", "guest.loyalty_points"),
        ("1200", "employee_count"),
        ("48213", "subscriber_count"),
        ("GOLD4821", "ffp.tier_status"),
        ("A1234567", "nhs_status"),
        ("acct_12345", "sender.account"),  # a message's sender's account, no payment's party
        ("2021", "vehicle.year"),
        # A directory's own id for its staff (Okta's `employeeNumber`), kept as ids are.
        ("1000234567", "profile.employeeNumber"),
    ],
)
def test_lookalikes_kept(value: str, path: str) -> None:
    assert entities(value, path) == set()
