"""Findings declared rather than detected: a policy's own patterns (`detection.patterns`, RE2)
and deny lists (`detection.deny`), and the names and places a record itself gives away, each
found wherever it occurs in a kept field."""

from __future__ import annotations

import re
from typing import Any

import re2

from datamin import quiet_re2
from datamin.redactors._name_words import NOT_NAME_WORDS, PARTICLE_ALTERNATION, TITLE_WORDS
from datamin.redactors._validators import DIGITS, LETTERS
from datamin.redactors.entities import CREDENTIALS
from datamin.redactors.findings import Finding

POLICY, DENY = "policy", "deny"  # the detector names of what a policy declares
AUTHORED = frozenset((POLICY, DENY))


_CONTEXT_WINDOW = 64  # characters either side where a context word counts


def pattern_findings(
    text: str, patterns: tuple[tuple[str, Any, float, tuple[str, ...]], ...], name: str = ""
) -> list[Finding]:
    """Every match of the policy's own patterns (a group named `v`, when the pattern has one,
    is the finding). A pattern with context words scores as Presidio's context enhancer
    scores it where one of them is near the match or in the field's name (`name`): 0.35
    more, and at least 0.4."""
    found = []
    for entity, regex, score, context in patterns:
        group = regex.groupindex.get("v", 0)  # pyre2's spans take a group's number
        for m in regex.finditer(text):
            start, end = m.span(group)
            if end <= start:
                continue
            said = score
            if context and _context_near(text, start, end, name, context):
                said = max(min(score + 0.35, 1.0), 0.4)
            found.append(Finding(entity, start, end, said, POLICY))
    return found


def _context_near(text: str, start: int, end: int, name: str, context: tuple[str, ...]) -> bool:
    lowered = name.lower()
    if any(word in lowered for word in context):
        return True
    near = text[max(0, start - _CONTEXT_WINDOW) : end + _CONTEXT_WINDOW].lower()
    return any(word in near for word in context)


def deny_findings(text: str, deny: list[tuple[str, str]]) -> list[Finding]:
    """Every occurrence of a deny-listed value, as a certain finding of its entity."""
    found = []
    for entity, value in deny:
        start = text.find(value)
        while start >= 0:
            found.append(Finding(entity, start, start + len(value), 1.0, DENY))
            start = text.find(value, start + len(value))
    return found


# What a record gives away once counts wherever it recurs in the record: a name under
# `customer.name` is a name in the record's notes too, where no cue or model may see it.
RECURRING = frozenset(("PERSON", "LOCATION"))
_MIN_TERM, _MAX_TERM = 4, 100
# ... and so does a credential (`CREDENTIALS`), as written: a password under `password` in a
# log line, a token of the `Authorization` header in a note, a key written twice in one config
# text. (Not identifiers: one that a weak context took in one field, an id read as a phone in a
# log line, would go from every field that holds it.)
_MIN_SECRET, _MAX_SECRET = 8, 16384
_SECRET_SIGNS = frozenset("-_./+=~!@#$%^&*:")


def record_terms(spans: list[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased term -> entity, for the (entity, text) of the names and places a record's
    accepted findings replace: each whole, and each word of a person's name that is no common
    English word (`Tomasz` of `Tomasz Lindqvist`, not `Will` of `Will Smith`)."""
    from datamin.redactors._stop_words import STOP_WORDS

    terms: dict[str, str] = {}
    for entity, span in spans:
        span = span.strip()
        if entity not in RECURRING or not _MIN_TERM <= len(span) <= _MAX_TERM:
            continue
        terms.setdefault(span.lower(), entity)
        if entity == "PERSON":
            for word in span.split():
                word = word.strip(".,;:'\"()")
                low = word.lower()
                if len(word) >= _MIN_TERM and word.isalpha() and low not in STOP_WORDS:
                    if low not in TITLE_WORDS:  # taken with the name: `Miss` of `Miss Ada Quinn`
                        terms.setdefault(low, entity)
    return terms


# A value made of nothing but capitalized words and a surname's particles, two to six of them.
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}'\x{2019}\-]+"
_NAME_VALUE = quiet_re2.compile(
    _NAME_WORD + r"(?:\s+(?:(?:" + PARTICLE_ALTERNATION + r")\s+)*" + _NAME_WORD + r"){1,5}"
)


def secret_terms(found: list[tuple[str, str, float]]) -> dict[str, tuple[str, float]]:
    """Value -> (entity, score), for the (entity, text, score) of the credentials a record's
    accepted findings replace, each as written: only a token (no blank: not an error message
    under `password`), no word (a letter, and a digit or a sign: `Sunshine2024`, not
    `password`), long enough to name nothing else, and neither a URL, a placeholder nor a date
    that a credential's key may hold (`token_uri`, `YOUR_API_KEY`, `${DB_PASSWORD}`)."""
    terms: dict[str, tuple[str, float]] = {}
    for entity, span, score in found:
        span = span.strip()
        if entity not in CREDENTIALS or not _MIN_SECRET <= len(span) <= _MAX_SECRET:
            continue
        if _BLANK.search(span) or _NOT_SECRET.search(span) or not _no_word(span):
            continue
        if span not in terms or terms[span][1] < score:
            terms[span] = (entity, score)
    return terms


# A credential its place or family names (a key's name, a header, a provider's prefix), not one
# judged by its look alone (a random-looking cookie may be a device's or a request's id).
_NAMED_SECRET = 0.85


def token_terms(terms: dict[str, tuple[str, float]]) -> dict[str, tuple[str, float]]:
    """Of a record's credential terms, the tokens a program made (sixteen characters or more,
    letters and digits mixed, eight different characters at least) that the record names a
    credential: found as written in any of its values, ids and tags too (Tyk's `key-<key>` tag,
    Apigee's `client_id` that is the request's `apikey`), where a person's password, a word and
    a digit, could be an id's twin by chance."""
    return {
        term: found
        for term, found in terms.items()
        if found[1] >= _NAMED_SECRET and _made_by_a_program(term)
    }


def _made_by_a_program(term: str) -> bool:
    """`looks_random`'s test in set operations (its entropy's Counter cost a record 60 us): as
    long, a digit, four letters, and eight characters at least that differ."""
    if len(term) < 16:
        return False
    chars = set(term)
    return len(chars) >= 8 and not chars.isdisjoint(DIGITS) and len(chars & LETTERS) >= 4


def _no_word(term: str) -> bool:
    return any(c.isalpha() for c in term) and any(c.isdigit() or c in _SECRET_SIGNS for c in term)


_BLANK = re.compile(r"\s")
_NOT_SECRET = re.compile(r"://|\$\{|\{\{|[<>]|(?i:your[_\-])|(?i:x{4})|\*{4}|^\d{4}-\d\d-\d\d")
_MANY_TERMS = 16


def secret_pattern(terms: dict[str, tuple[str, float]]) -> quiet_re2.Regexp | None:
    """Many terms as one RE2 alternation, read in one pass over each value (longest first, so
    the longer of two that overlap wins); compiled for one record, not kept (the next record's
    terms differ). None for a few terms, which `str.find` reads faster, or where RE2 cannot
    hold the pattern."""
    if len(terms) <= _MANY_TERMS:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    try:
        return quiet_re2.Regexp("|".join(re2.escape(t) for t in ordered), quiet_re2.options())
    except re2.error:
        return None


def secret_findings(
    text: str, terms: dict[str, tuple[str, float]], pattern: quiet_re2.Regexp | None = None
) -> list[Finding]:
    """Every occurrence of a record's credentials in one of its values, exactly as written
    and not inside a longer run of letters and digits, at the score they were found with;
    `pattern`: the terms' `secret_pattern`, if they have one."""
    if pattern is not None:
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    else:
        spans = []
        for term in terms:
            start = text.find(term)
            while start >= 0:
                spans.append((start, start + len(term)))
                start = text.find(term, start + len(term))
    found = []
    for start, end in spans:
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            entity, score = terms[text[start:end]]
            found.append(Finding(entity, start, end, score, "record"))
    return found


def term_findings(text: str, terms: dict[str, str]) -> list[Finding]:
    """Every whole-word occurrence, in any case, of a record's terms in one of its texts; and
    a value that is nothing but a name's words, one of them a person's the record gives
    elsewhere, whole: `Luiz Felipe Casa Grande` where `last_name` says `Casa Grande`."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: offsets would drift
        low = text
    found = []
    for term, entity in terms.items():
        start = low.find(term)
        while start >= 0:
            end = start + len(term)
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                found.append(Finding(entity, start, end, 0.9, "record"))
            start = low.find(term, end)
    if any(f.entity == "PERSON" for f in found):
        found += _whole_name(text)
    return found


def _whole_name(text: str) -> list[Finding]:
    from datamin.redactors.names import phrase_word

    name = text.strip()
    if len(name) > _MAX_TERM or _NAME_VALUE.fullmatch(name) is None:
        return []
    if any(w.lower() in NOT_NAME_WORDS for w in name.split()):
        return []  # `Casa Grande Support Team`: a desk that bears the name
    if any(phrase_word(w) for w in name.split()):
        return []
    start = text.index(name)
    return [Finding("PERSON", start, start + len(name), 0.9, "record")]
