"""Dates of birth in prose: a date is personal only by what it is, and words say that.

A field named `dob` or `birthDate` is read by `by_field`. In a sentence, a date right after the
words that say "born" (`Date of birth: 03/14/1987`, `born on March 14, 1987`, `DOB 1987-03-14`,
`né le 14 mars 1987`, `geboren am 14.03.1987`), in the languages of the default regions, is a
date of birth; every other date stays, as the policy's keepers need.
"""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors._validators import re2_safe, sign_set
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

_BORN = (
    r"date\s+of\s+birth|d\.?o\.?b\.?|birth\s*date|birthday|born(?:\s+on)?|"
    r"fecha\s+de\s+nacimiento|data\s+de\s+nascimento|date\s+de\s+naissance|n[ée]e?\s+le|"
    r"geboren(?:\s+am)?|geburtsdatum|geb\.|data\s+di\s+nascita|nat[oa]\s+il|geboortedatum|"
    r"geboren\s+op|f[öo]delsedatum|f[øo]dselsdato|syntym[äa]aika|do[ğg]um\s+tarihi|"
    r"data\s+urodzenia|urodzon[ya]"
)
# Numeric (`03/14/1987`, `14.03.1987`, `1987-03-14`) or with a month's name on either side of
# the day (`14 March 1987`, `14th of March, 1987`, `March 14, 1987`, `14 mars 1987`,
# `14-Mar-1985`); failing a day, a month and its year (`born in March 1985`). A year alone
# stays (`born in 1987`, `born in '85`): it is what a birth date is generalized to, as HIPAA's
# Safe Harbor keeps it.
_NUMERIC_DATE = r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}"
_DATE = (
    _NUMERIC_DATE + r"|\d{1,2}(?:st|nd|rd|th|er|\.)?(?:\s+(?:of|de))?\s+\p{L}{3,10}\.?,?\s+\d{4}"
    r"|\p{L}{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}-\p{L}{3,9}\.?-\d{2,4}"
    r"|\p{L}{3,10}\.?,?\s+(?:19|20)\d\d"
)
_SAID_BIRTH = quiet_re2.compile(
    r"(?i:\b(?:"
    + _BORN
    + r"))[ \t]*(?:is|was|:|-|=|\()?[ \t]*(?:(?:on|in)[ \t]+)?("
    + _DATE
    + r")\b"
)
# `b.` before a whole numeric date, as a short note writes "born" (`b. 3/14/85`).
_B_DOT = quiet_re2.compile(r"(?:^|[\s(,;])b\.[ \t]*(" + _NUMERIC_DATE + r")\b")
_SIGN = sign_set([r"(?i)\b(?:" + _BORN + r")", r"(?:^|[\s(,;])b\.[ \t]*\d"])


class BirthDateDetector:
    """Built once per worker; stateless; thread-safe."""

    name = "birth_dates"
    entities = frozenset(("DATE_OF_BIRTH",))
    scores = {"DATE_OF_BIRTH": (0.9,)}
    # Headers, cookies and URLs hold no sentences (and are half a request's values).
    skips = frozenset(
        (FieldKind.META, FieldKind.URL, FieldKind.URL_PATH, FieldKind.HEADER, FieldKind.COOKIE)
    )

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 10:
            return []
        safe = re2_safe(text)
        if not _SIGN.Match(safe):
            return []
        return [
            Finding("DATE_OF_BIRTH", *m.span(1), 0.9, self.name)
            for pattern in (_SAID_BIRTH, _B_DOT)
            for m in pattern.finditer(safe)
        ]
