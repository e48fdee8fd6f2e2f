"""What stands around a street line (`datamin.redactors.addresses`): after it, up to two units
and a postcode with its city (`Apt 4B, 10623 Berlin`), or a unit and a city with its region
written with no comma (`Suite 215 NUNGATTA Australia`); before it, on its line, a building's
number or a unit (`28245 Puruntie 82`, `Apt. 675 62314 Mellemvej 32`)."""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors._name_cues import SIGNOFF_AT
from datamin.redactors._name_words import NOT_NAME_WORDS
from datamin.redactors._stop_words import STOP_WORDS
from datamin.redactors.findings import Finding

# The English words of a door's unit, in any case (`Apt. 4`, `Suite 501`, `Ste 12`).
DOOR_WORD = r"(?i:apt|apartment|suite|ste|unit|flat)"
_UNIT = (
    # `>` before a unit: a quoted e-mail's line (`>228 Ringvej 144\n>Apt. 902`)
    r"(?:\s*,?\s*(?:>[ \t]*)?(?i:apartamento|apartment|apto|apt|suite|ste|unit|flat|floor|fl|"
    r"rm|piso|dpto|depto|dept|wohnung|whg|etage|bte|bo[iî]te|escalera|esc|puerta|interno|interior|int|scala|"
    r"sc|edificio|edif|bloco|bloque|casa|lote|studio|appartamento|appartement|app|lok|lokal|"
    r"mieszkanie|daire|lgh|lägenhet)\b\.?\s*#?\s*[\p{L}\d\-]{1,5}"
    r"|\s*,?\s*#\s?\d{1,5}[A-Za-z]?|,?\s*\d{1,2}\s?[º°ª]\s?[A-Za-z]?\b"
    # after a house number written with its dot (`Rákóczi út 13. Suite 104`), a numbered unit
    r"|\.,?[ \t]+" + DOOR_WORD + r"\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?\b"
    r"|\.,?[ \t]*#[ \t]?\d{1,5}[A-Za-z]?\b)"
)
_CITY = r"\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*(?:\s\p{Lu}\p{Ll}[\p{L}'\x{2019}\-]*){0,2}"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
_CA_POSTCODE = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
# A postcode before its city: `10623` (DE FR ES IT US), `01310-100` (BR), `1016 GV` (NL),
# `111 21` (SE), `00-590` (PL), `1010` (AT CH BE DK NO), `1000-001` (PT).
_POSTCODE_FIRST = r"(?:\d{5}(?:-\d{3})?|\d{4}\s?[A-Z]{2}|\d{3}\s\d{2}|\d{2}-\d{3}|\d{4}(?:-\d{3})?)"
_TAIL = (
    r"(?:,?\s+(?:"
    + _POSTCODE_FIRST
    + r"\s+"
    + _CITY
    + r"|"
    + _CITY
    + r",?\s+(?:[A-Z]{2}\s+)?(?:\d{5}(?:-\d{4})?\b|"
    + _UK_POSTCODE
    + r"|"
    + _CA_POSTCODE
    + r")|"
    + _UK_POSTCODE
    + r"))?"
)
# A flat's or suite's number after a street line, on its line or the next (`, Apt. 608`,
# `\n Suite 501`): what makes a name and a number with no type word someone's door.
DOOR_UNIT = (
    r"(?:[ \t]*,?[ \t]*\r?\n?[ \t>]*" + DOOR_WORD + r"\.?[ \t]*#?[ \t]*"
    r"\d{1,5}[A-Za-z]?\b)"
)
# Up to two units (`Edif. 863, Depto. 122`), then a postcode and city.
_EXTENSION = quiet_re2.compile(r"(?:" + _UNIT + r"){0,2}" + _TAIL)
_UNITS = quiet_re2.compile(r"(?:" + _UNIT + r"){1,2}")
# After a unit, on its line, the capitalized words of a city and region written with no comma
# or postcode (`Suite 215 NUNGATTA Australia`, `Apt. 050 Coalville South Africa`), up to the
# clause's end.
_CITY_RUN = quiet_re2.compile(
    r"[ \t]+\p{Lu}[\p{L}\p{M}'\x{2019}\-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'\x{2019}\-]*){0,3}"
)
# A building's number, or a unit and its number, written before a street line on its line
# (`28245 Puruntie 82`, `Apt. 675 62314 Mellemvej 32`, `224 4966 Bond Street`).
_BEFORE = quiet_re2.compile(
    r"(?:(?:" + DOOR_WORD + r"|(?i:rm))\.?\s*#?\s*[\p{L}\d\-]{1,5}[ \t]+)?"
    r"(?:\d{1,6}[ \t]+){1,2}$"
)


def extension(text: str, end: int) -> int:
    """How far a unit and a postcode with its city extend a street line ending at `end`, or a
    unit and the city written after it on its line. RE2 reads a bounded slice: given a
    position, its wrapper counts bytes from the text's start. A name that took a unit's word
    for one of its own (`Rue Ettatawer Apt. 409`) is followed by the unit's number."""
    rest = text[end : end + 160]
    if _UNIT_WORD_AT_END.search(text[max(0, end - 12) : end]):
        number = _UNIT_NUMBER.match(rest)
        if number is not None:
            return number.end() + _city_run(rest[number.end() :])
    m = _EXTENSION.match(rest)
    n = 0 if m is None else m.end()
    if n:
        unit_last = _UNITS.fullmatch(rest[:n]) is not None
    else:  # a form that holds its door's unit (`Allika 46\n Suite 501`)
        unit_last = _UNIT_AT_END.search(text[max(0, end - 24) : end]) is not None
    return n + (_city_run(rest[n:]) if unit_last else 0)


def _city_run(rest: str) -> int:
    """How far the city after a unit runs: a city and its region or country (two words at
    least: one alone is as often a sentence's first or a note, `Apt 4 Thanks`, `Apt 4
    Urgent!`), capitalized, ending a clause, none of them a small word, a day, a label's word
    or a gerund, and no sign-off (`Apt 4 Kind Regards`, `Apt 4 Monday Morning`)."""
    m = _CITY_RUN.match(rest)
    if m is None:
        return 0
    words = rest[: m.end()].split()
    if len(words) < 2 or SIGNOFF_AT.match(" ".join(words)) is not None:
        return 0
    for word in words:
        low = word.lower()
        if low in STOP_WORDS or low in NOT_NAME_WORDS or (len(low) > 5 and low.endswith("ing")):
            return 0
    after = rest[m.end() :].lstrip(" \t")
    return m.end() if not after or after[0] in ".,;:!?)\r\n" or after[0].islower() else 0


_UNIT_WORD_AT_END = quiet_re2.compile(r"\b" + DOOR_WORD + r"$")
_UNIT_AT_END = quiet_re2.compile(r"\b" + DOOR_WORD + r"\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?$")
_UNIT_NUMBER = quiet_re2.compile(r"\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?\b")


def with_what_precedes(text: str, found: Finding) -> Finding:
    """The finding from a building number or a unit written before it on its line, if any."""
    m = _BEFORE.search(text[max(0, found.start - 32) : found.start])
    if m is None or m.start() == m.end():
        return found
    start = found.start - (m.end() - m.start())
    if start > 0 and text[start - 1].isalnum():
        return found  # the number is the tail of a word or a longer number
    return Finding(found.entity, start, found.end, found.score, found.detector)
