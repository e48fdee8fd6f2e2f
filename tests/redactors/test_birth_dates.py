"""Dates of birth in prose: a date after the words that say "born" goes; other dates stay."""

from __future__ import annotations

import pytest

from datamin.redactors.birth_dates import BirthDateDetector
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.engine import DetectionEngine

DETECTOR = BirthDateDetector()
BODY = FieldContext.of("body", FieldKind.TEXT)


def dates(text: str) -> list[str]:
    return [text[f.start : f.end] for f in DETECTOR.detect(text, BODY)]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Date of birth: 03/14/1987", "03/14/1987"),
        ("She was born on March 14, 1987 in Oslo", "March 14, 1987"),
        ("DOB 1987-03-14, MRN 5521", "1987-03-14"),
        ("Dob: 14th of March, 1987", "14th of March, 1987"),
        ("né le 14 mars 1987 à Lyon", "14 mars 1987"),
        ("geboren am 14.03.1987 in Köln", "14.03.1987"),
        ("fecha de nacimiento: 14/03/1987", "14/03/1987"),
        ("Doğum tarihi: 14.03.1987", "14.03.1987"),
        ("D.O.B 14-Mar-1985, ward 3", "14-Mar-1985"),  # the month's name between dashes
        ("b. 3/14/85 in Leeds", "3/14/85"),  # a note's `b.` before a whole date
        ("born in March 1985", "March 1985"),  # no day: a month and its year
    ],
)
def test_a_date_after_the_words_that_say_born(text: str, date: str) -> None:
    assert dates(text) == [date]


@pytest.mark.parametrize(
    "text",
    [
        "Created on 03/14/1987",  # a date, nobody's birth
        "Plan b. 2024 budget",  # `b.` counts only before a whole date
        "Born in the USA is on the playlist",
        "The release was born from 2 teams in March 2024",
        "born in 1987",  # a year alone is no date
        "I'm 38, born in '85",
        "Invoice date: 2026-12-07",
    ],
)
def test_other_dates_stay(text: str) -> None:
    assert dates(text) == []


def test_the_engine_runs_the_family_on_message_text() -> None:
    engine = DetectionEngine(ner_model=None)
    text = "Patient DOB 1987-03-14, seen today"
    found = engine.detect(text, BODY)
    assert any(f.entity == "DATE_OF_BIRTH" and text[f.start : f.end] == "1987-03-14" for f in found)
