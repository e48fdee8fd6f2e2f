"""National, tax, health, travel, bank and device identifiers: Presidio's breadth, our rules.

The patterns, context words and checksums are Presidio's predefined recognizers', read through
`datamin.redactors._presidio_adapter`; what counts is decided here:

- where the value sits: under a field named for the identifier (`passport_number`, `nhs`,
  `aadhaar`, `routing`) a value of its shape is that identifier even when the checksum doubts it
  (fail closed; the names are read in `_id_fields`);
- the words before and after it in text (Presidio's context words, read in a window of a few
  words, since its context enhancer needs spaCy artifacts this path does not have);
- the checksum: a yes raises the score where nothing else speaks;
- precision: a shape that ordinary ids also have (a bare run of digits, a weak pattern, a
  lower-case code) counts only with a context word or field name, never alone, so order
  numbers, ids and SKUs survive (`_id_precision`).

All patterns are RE2 and sit in one RE2 set, so an ordinary value costs one scan.
"""

from __future__ import annotations

import re
from dataclasses import replace

import re2

from datamin import quiet_re2
from datamin.redactors._id_fields import ENTITIES, IDENTITY_FIELD, field_words, named_entities
from datamin.redactors._id_precision import (
    BARE_IN_PROSE,
    CHECKED,
    DATED_SHAPES,
    STRONG,
    STRONG_CHECKS,
    TEXT_ONLY,
    WEAK_CHECKS,
    may_count_alone,
    may_stand_alone,
    written_postcode,
)
from datamin.redactors._id_shapes import (
    LONG_RUN_CHARS,
    UUID,
    blank_long_runs,
    digits_only,
    has_grouped_number,
    has_letter,
    lower_word,
    whole,
)
from datamin.redactors._id_words import (
    EXTRA_CONTEXT,
    NUMBER_CUE,
    PROSE_IDENTITY,
    context_words,
    named_by_record,
    near,
    number_cued,
    on_its_own,
    thing_before,
)
from datamin.redactors._plates import PLATES, may_say_plate, plate_like, said_plates
from datamin.redactors._presidio_adapter import Rule, load_rules, no_check
from datamin.redactors._sort_codes import accounts_beside_sort_codes
from datamin.redactors._validators import SignSet, placeholder_digits, re2_safe, sign_set
from datamin.redactors.context import (
    FieldContext,
    FieldKind,
    last_key,
    parent_name,
    written_name,
)
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

FIELD_SCORE = 0.95  # shape under a field named for the identifier (or a sentence's word for it)
CONTEXT_SCORE = 0.85  # shape with a context word nearby
DOUBTED_SCORE = 0.5  # shape with a context word, checksum says no: still removed (fail closed)
VALID_SCORE = 1.0  # a letter-bearing value whose checksum holds
GROUPED_SCORE = 0.6  # a digit value written in groups whose checksum holds
LONE_SCORE = 0.6  # a free text that is one identifier-shaped token and nothing else
CUED_SCORE = 0.55  # after a generic "number" word, the identifier's check holding

# The measured check tables, under the names tests/redactors/test_national_ids.py reads them by.
_STRONG_CHECKS, _WEAK_CHECKS = STRONG_CHECKS, WEAK_CHECKS
# A whole value made like an identifier; matched on a stripped field value (bounded below).
# (Up to 64 characters: a wallet address is 42 and more.)
# (A check digit in brackets closes Hong Kong's: `A123456(3)`.)
# Letters of any script: Greece's identity cards are numbered in Greek capitals.
_ID_LIKE = quiet_re2.compile(r"[\p{L}0-9][\p{L}0-9 \-./]{3,62}(?:[\p{L}0-9]|\([0-9A]\))")
_AMOUNT = quiet_re2.compile(r"\d+[.,]\d{1,2}")
_TECHNICAL = (FieldKind.HEADER, FieldKind.COOKIE, FieldKind.META)
# A field's whole value written as one number in groups, its joiners mixed as some countries'
# identifiers are (`017.745.125-48`, a CPF): grouped as much as `943 476 5919` is.
_WHOLE_GROUPED = quiet_re2.compile(r"\d{2,6}(?:[.\-/ ]\d{1,6}){2,5}")
# Where a sentence may say whose number follows: message bodies and strings in JSON.
_PROSE = (FieldKind.TEXT, FieldKind.JSON)
_PROSE_IDENTITY = quiet_re2.compile(PROSE_IDENTITY)


class NationalIdDetector:
    """Built once per worker from the settings' regions; stateless; thread-safe."""

    name = "national_ids"
    entities = ENTITIES
    scores = {
        e: (DOUBTED_SCORE, CUED_SCORE, GROUPED_SCORE, CONTEXT_SCORE, FIELD_SCORE, 1.0)
        for e in ENTITIES
    }

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._rules = [
            replace(
                r,
                validate=no_check if r.entity in WEAK_CHECKS else r.validate,
                checked=r.checked and r.entity not in WEAK_CHECKS,
                context=r.context + EXTRA_CONTEXT.get(r.entity, ()),
            )
            for r in load_rules(self.settings.regions)
            if r.entity not in self.settings.disabled
        ]
        self._identity_fields = IDENTITY_FIELD not in self.settings.disabled
        self._plates = "UK_VEHICLE_REGISTRATION" not in self.settings.disabled
        self._bank = "US_BANK_NUMBER" not in self.settings.disabled
        self._set = SignSet((r.pattern for r in self._rules), chunk=16)
        self._compiled = [quiet_re2.compile(r.pattern) for r in self._rules]
        # Rules that can count with no word nearby; the others run only when one of their
        # context words is in the value (one more RE2 set scan) or the field names them.
        self._alone = [may_count_alone(r) for r in self._rules]
        self._text_only = [r.entity in TEXT_ONLY for r in self._rules]
        self._strong = [r.entity in BARE_IN_PROSE for r in self._rules]
        self.digits_only = [digits_only(r.pattern) for r in self._rules]
        words = sorted({w for r in self._rules for w in context_words(r)})
        self._words = words
        self._word_set = sign_set(
            "(?i)" + r"\s+".join(re2.escape(part) for part in w.split()) for w in words
        )
        self._rule_words = [
            frozenset(words.index(w) for w in context_words(r)) for r in self._rules
        ]
        self._field_words = field_words(self._rules)
        self._field_memo: dict[str, frozenset[str]] = {}

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        found = self._detect(text, ctx)
        if ctx.kind in _PROSE and self._identity_fields and len(text) >= 8:
            found += self._said_identity(text, found)
        if ctx.kind in _PROSE and self._plates and len(text) >= 12 and may_say_plate(text):
            found += said_plates(text, found, CONTEXT_SCORE)
        if ctx.kind in _PROSE and self._bank and len(text) >= 15:
            found += [
                Finding("US_BANK_NUMBER", start, end, CONTEXT_SCORE, self.name)
                for start, end in accounts_beside_sort_codes(text)
                if not any(f.start <= start and end <= f.end for f in found)
            ]
        return found

    def _said_identity(self, text: str, found: list[Finding]) -> list[Finding]:
        """A number a sentence calls someone's identity number (`Mijn rijksregisternummer is
        76020735179`, `주민등록번호는 340029-1442881입니다`): the identifier whose check holds,
        else the generic one, as under a field of that name."""
        if not any(c.isdigit() for c in text):
            return []
        said = []
        for m in _PROSE_IDENTITY.finditer(text):
            start, end = m.start(1), m.end(1)
            value = m.group(1).rstrip(" -./")
            end = start + len(value)
            if sum(c.isdigit() for c in value) < 6 or _AMOUNT.fullmatch(value):
                continue
            if any(f.start <= start and end <= f.end for f in found):
                continue
            if thing_before(text, (m.start(), m.start())):
                continue  # `ticket id number 12345678`: a thing's number
            entity = self._checked_entity(value)
            said.append(Finding(entity, start, end, FIELD_SCORE, self.name))
        return said

    def _detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 5 or not self._rules:
            return []
        if ctx.kind in _TECHNICAL:
            # Headers, cookies and protocol fields hold dates, ids, tokens and versions in a
            # grammar of their own, never a person's national number unless the name says so.
            named = self._named_entities(ctx)
            return self._by_field_alone(text, named) if named else []
        if text.isdigit() or UUID.fullmatch(text) is not None:
            # A bare run of digits counts alone only as a whole message that an identifier's
            # check accepts, a UUID never: a field named for an identifier speaks for them.
            # (The pattern set costs tens of microseconds on each new value of these, the
            # commonest of all.)
            named = self._named_entities(ctx)
            if named:
                return self._by_field_alone(text, named)
            if on_its_own(ctx) and text.isdigit() and 9 <= len(text) <= 40:
                return self._lone_value(text, self._set.Match(text) or [], ctx)
            return []
        if len(text) > LONG_RUN_CHARS:
            text = blank_long_runs(text)
        try:
            hits = self._set.Match(text)
        except UnicodeEncodeError:
            text = re2_safe(text)
            hits = self._set.Match(text)
        named = self._named_entities(ctx)
        if not hits:
            return self._by_field_alone(text, named) if named else []
        if not named and on_its_own(ctx):
            lone = self._lone_value(text, hits, ctx)
            if lone:
                return lone
        bare = text.isdigit()  # one run of digits (a count, an id, a timestamp) never speaks alone
        present: frozenset[int] | None = None
        grouped: bool | None = None
        cue: bool | None = None
        best: dict[tuple[int, int], tuple[tuple[bool, float], Finding]] = {}
        for index in sorted(hits):
            rule = self._rules[index]
            if self._text_only[index] and ctx.kind is not FieldKind.TEXT:
                continue
            by_field = rule.entity in named
            worded = False
            if not by_field and self._rule_words[index]:
                if present is None:
                    present = self._present(text)
                worded = not present.isdisjoint(self._rule_words[index])
            cued = False  # only a generic "number" word is near: the identifier's check decides
            prose_strong = self._strong[index] and ctx.kind is FieldKind.TEXT
            if not (by_field or worded):
                if cue is None:
                    cue = ctx.kind is FieldKind.TEXT and NUMBER_CUE.search(text) is not None
                cued = cue and rule.checked
                if (not self._alone[index] or bare) and not cued:
                    continue
                if self.digits_only[index] and not cued and not prose_strong:
                    if grouped is None:
                        grouped = has_grouped_number(text) or _whole_grouped(text, ctx)
                    if not grouped:
                        continue
            for m in self._compiled[index].finditer(text):
                if not (by_field or worded or cued or prose_strong) and not may_stand_alone(
                    rule, m.group()
                ):
                    continue  # decided before any checksum or confirmation runs
                span = rule.confirmed(text, m.start(), m.end())
                if span is None:
                    continue
                score = self._score(rule, text, span, by_field, worded)
                if score is None and cued and number_cued(text, span, rule):
                    score = CUED_SCORE
                if score is None:
                    continue
                # The identifier its own word or field names takes the span, whatever another
                # country's check says of the same digits; then the higher score.
                rank = (by_field or worded, score)
                held = best.get(span)
                if held is None or rank > held[0]:
                    best[span] = (rank, Finding(rule.entity, span[0], span[1], score, self.name))
        found = [finding for _, finding in best.values()]
        if named and not any(f.start == 0 and f.end >= len(text.rstrip()) for f in found):
            # Under its name, a value a pattern reads only part of (`610708-1418` of a Korean
            # number under `ssn`) is the identifier whole, in a shape no pattern knows.
            return found + self._by_field_alone(text, named)
        return found

    def _lone_value(self, text: str, hits: list[int], ctx: FieldContext) -> list[Finding]:
        """A free text that is nothing but one identifier-shaped value (a message that is just
        `A12803456`, `AB51 ABC` or `876 543 210`) is that identifier: its sender sent it as one,
        and no sentence says it is an order number. So is a custom field's whole value (a
        form's answer named only by a number): what a help desk's form asks for is as often a
        passport or an NI number as an order reference, and references are mostly written with
        their prefix and dash (`ORD-98070372`), which no identifier's pattern reads whole.

        A value with letters counts; in a message, not when the identifier's check fails (a
        one-word message is a reference as often), in a form's answer even then: a field filled
        in with an identifier's shape holds one, mistyped or made up (`ZZ 24 92 46 T`, a test
        NI number). Digits, bare or in groups, count from nine on when the identifier's own
        check holds: a check that fails vetoes, and so does having none (a bank account is any
        8 to 17 digits) or one that most numbers pass, since alone nothing else says
        identifier; a form's example (`000000000`) is nobody's. A check that holds picks the
        name."""
        value = text.strip()
        if not 5 <= len(value) <= 40 or "\n" in value or "  " in value:
            return []
        held = []
        for i in sorted(hits):
            rule = self._rules[i]
            if rule.entity in WEAK_CHECKS:
                continue
            if self._compiled[i].fullmatch(value) is None or rule.invalidate(value) is True:
                continue
            valid = rule.validate(value)
            if not has_letter(value):
                digits = "".join(c for c in value if c.isdigit())
                if valid is None and rule.entity in DATED_SHAPES and "-" in value:
                    valid = True
                if valid is not True or len(digits) < 9 or placeholder_digits(digits):
                    continue
            elif valid is False and ctx.kind is FieldKind.TEXT:
                continue
            held.append((valid is not True, rule))
        if not held:
            return []
        rule = min(held, key=lambda h: h[0])[1]
        start = text.index(value)
        return [Finding(rule.entity, start, start + len(value), LONE_SCORE, self.name)]

    def _by_field_alone(self, text: str, named: frozenset[str]) -> list[Finding]:
        """Under a field named for an identifier, a value with an identifier's make-up (letters
        and digits, four digits at least, no decimal amount) is that identifier even in a shape
        no pattern knows: another country's passport, a mistyped number (fail closed). A
        plate needs one digit only (`ERK 141`, `7ND84`)."""
        m = _ID_LIKE.fullmatch(text.strip())
        least = 1 if named <= PLATES and plate_like(text.strip()) else 4
        if m is None or _AMOUNT.fullmatch(m.group()):
            return []
        value = m.group()
        if sum(c.isdigit() for c in value) < least and not _coded(value):
            return []
        if UUID.fullmatch(value) is not None and "DEVICE_ID" not in named:
            return []  # a record's reference (`bankAccountUUID`), not anyone's number
        start = text.index(value)
        if IDENTITY_FIELD in named:
            entity = self._checked_entity(value)
        else:
            entity = next(r.entity for r in self._rules if r.entity in named)
        return [Finding(entity, start, start + len(value), FIELD_SCORE, self.name)]

    def _checked_entity(self, value: str) -> str:
        """The identifier whose pattern takes all of `value` and whose check holds; else the
        generic one a field's name said."""
        for rule, compiled in zip(self._rules, self._compiled, strict=True):
            if (
                rule.checked
                and rule.entity not in TEXT_ONLY
                and compiled.fullmatch(value) is not None
                and rule.invalidate(value) is not True
                and rule.validate(value) is True
            ):
                return rule.entity
        return IDENTITY_FIELD

    def _present(self, text: str) -> frozenset[int]:
        """Which context words (by index) occur anywhere in the value: one RE2 set scan."""
        return frozenset(self._word_set.Match(text) or ())

    def _score(
        self, rule: Rule, text: str, span: tuple[int, int], by_field: bool, worded: bool
    ) -> float | None:
        if by_field:
            return FIELD_SCORE
        if not whole(text, span[0], span[1]):
            return None  # a piece of a longer code or number (an IBAN's groups, a version)
        value = text[span[0] : span[1]]
        invalid = rule.invalidate(value) is True
        valid = None if invalid else rule.validate(value)
        if worded and near(text, span, rule.context):
            return DOUBTED_SCORE if invalid or valid is False else CONTEXT_SCORE
        if invalid or valid is False:
            return None
        if value.isdigit() and rule.entity in BARE_IN_PROSE:
            # Bare digits that a strong check accepts, unless a thing's word owns them.
            return GROUPED_SCORE if valid is True and not thing_before(text, span) else None
        if not may_stand_alone(rule, value):
            return None
        if valid is True and (rule.score >= CHECKED or not any(c.isalpha() for c in value)):
            return GROUPED_SCORE if value.isascii() and not has_letter(value) else VALID_SCORE
        if written_postcode(rule, value):
            return GROUPED_SCORE
        if rule.score < STRONG or lower_word(value):
            return None  # no check spoke: only a strong pattern, in capitals, counts
        return rule.score

    def _named_entities(self, ctx: FieldContext) -> frozenset[str]:
        """Entities the field's name says its value is (or its owner's: `payer.identification`,
        `customer.document`)."""
        name = ctx.name
        if not name:
            return frozenset()
        # `cpfNumber`: its words, cpf and number
        found = self._named_by(written_name(ctx.path, name))
        if (
            not found
            and name not in ctx.path  # a name from the path itself: no label to look past
            and (own := FieldContext.of(ctx.path, ctx.kind).name) != name
            and own
        ):
            # A pair's label that names no identifier leaves the value to its path's names
            # (`{"travel_document": {"type": "visa", "number": ...}}`).
            found = self._named_entities(FieldContext(ctx.path, ctx.kind, own))
        if not found and name in _ITS_OWN_LEAVES and last_key(ctx.path) == name:
            # A leaf that only says "its parent's own" (Plaid's `taxpayer_id.id`, Braintree's
            # `tax_identifiers[].identifier`) holds what its parent names.
            found = self._named_by(parent) if (parent := parent_name(ctx.path)) else found
        return found or named_by_record(ctx, self._identity_fields)

    def _named_by(self, written: str) -> frozenset[str]:
        """Entities a name as written says (memoized: names repeat across records)."""
        found = self._field_memo.get(written)
        if found is None:
            found = named_entities(written, self._field_words, self._identity_fields)
            if len(self._field_memo) < 10_000:
                self._field_memo[written] = found
        return found


# Leaves that say only "the identifier of its parent"; `value` and `number` are read so for
# every family (`FieldContext.of`).
_ITS_OWN_LEAVES = frozenset(("id", "identifier"))


def _coded(value: str) -> bool:
    """Seven letters and digits or more in one case, a digit at least, as one code
    (`LMW8XT36J`, a German passport; `WDLSF3SZSPSC`, Washington's licence; `UVQ6YNV`,
    Azerbaijan's personal code): a document's number of few digits, not a word or a status
    (`pending`, `NOT PROVIDED`), nor a word and a count (`VERIFIED12`)."""
    compact = value.replace("-", "")  # one token: words with a space are a status's
    letters = "".join(c for c in compact if c.isalpha())
    return (
        len(compact) >= 7
        and compact.isalnum()
        and compact.isascii()
        and any(c.isdigit() for c in compact)
        and (letters.isupper() or letters.islower())
        and _WORD_AND_COUNT.fullmatch(compact) is None
    )


_WORD_AND_COUNT = re.compile(r"[A-Za-z]+\d{1,3}")


def _whole_grouped(text: str, ctx: FieldContext) -> bool:
    """A structured field's whole value is one number in groups, whatever its joiners."""
    return ctx.kind is not FieldKind.TEXT and _WHOLE_GROUPED.fullmatch(text.strip()) is not None
