"""Vehicles' registrations: which entities are plates, a registration after the words that say
one follows (in any country's shape), and a value under a plate's field that reads as one. For
`datamin.redactors.national_ids`."""

from __future__ import annotations

from itertools import groupby

from datamin import quiet_re2
from datamin.redactors._id_shapes import has_letter
from datamin.redactors._id_words import PLATE_SAID
from datamin.redactors.findings import Finding

# Vehicles' registrations: letters and as few as one digit.
PLATES = frozenset(
    "UK_VEHICLE_REGISTRATION IN_VEHICLE_REGISTRATION NG_VEHICLE_REGISTRATION DE_KFZ "
    "TR_LICENSE_PLATE ZA_LICENSE_PLATE".split()
)
_PLATE_SAID = quiet_re2.compile(PLATE_SAID)


# Pieces of the plate words in `PLATE_SAID`, in both cases: a value without one costs no scan.
_PLATE_PIECES = ("late", "LATE", "ente", "ENTE", "eichen", "EICHEN", "child", "CHILD", "laka")


def may_say_plate(text: str) -> bool:
    return any(piece in text for piece in _PLATE_PIECES)


def said_plates(text: str, found: list[Finding], score: float) -> list[Finding]:
    """A registration after the words that say one follows, in any country's shape (fail
    closed): capitals and digits, one of each at least, four characters at least."""
    said = []
    for m in _PLATE_SAID.finditer(text):
        start, end = m.span(1)
        value = m.group(1)
        if sum(c.isalnum() for c in value) < 4 or not has_letter(value) or value.isalpha():
            continue
        if any(f.start <= start and end <= f.end for f in found):
            continue
        said.append(Finding("UK_VEHICLE_REGISTRATION", start, end, score, "national_ids"))
    return said


def plate_like(value: str) -> bool:
    """Letters in one case, in runs of four at most, and a digit: a registration (`ERK 141`),
    not a dish or a label (`Pasta 2`)."""
    letters = "".join(c for c in value if c.isalpha())
    runs = (len(list(run)) for letter, run in groupby(value, str.isalpha) if letter)
    return bool(letters) and (letters.isupper() or letters.islower()) and max(runs) <= 4
