"""Identifiers whose shape Presidio's pattern reads only where the allocation rules hold: the
shape read whatever they say, the rules then raising the score (a validator may raise
confidence, never veto).

Presidio's UK National Insurance number pattern leaves out prefixes HMRC never allocates (`BG`,
`GB`, `ZZ`...) and suffixes past `D`, so `NI number: ZZ123456T` (the form test data and
generators write, Faker's among them) was no identifier even after its own words. Here the
shape is two letters, six digits and a letter: with a context word or under a field named for
it, it counts whether or not the rules hold (fail closed); alone, only where they hold. (Alone
and printed as HMRC prints one, `ZZ 12 34 56 T`, it was tried: Presidio's own tables call
`AA 12 34 56 H` and `FQ 00 00 00 C` no number, and they stay so.)
"""

from __future__ import annotations

import re

from datamin.redactors._presidio_adapter import Rule, no_check

_NINO = r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Za-z]\b"
# HMRC's allocation rules, as Presidio's pattern has them (on a value without spaces).
_ALLOCATED = re.compile(
    r"(?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", re.IGNORECASE
)
_NINO_WORDS = ("national insurance", "ni number", "nino", "ni no")


def _nino_check(value: str) -> bool:
    return _ALLOCATED.fullmatch(value.replace(" ", "")) is not None


def written_rules(regions: set[str]) -> list[Rule]:
    """The rules of the countries in `regions`."""
    if "GB" not in regions:
        return []
    return [Rule("UK_NINO", "GB", 0.5, _NINO, None, _NINO_WORDS, _nino_check, no_check, True)]
