"""Validated patterns for structured identifiers: email addresses, phone numbers, payment cards,
US SSNs, IBANs and IP addresses.

RE2 finds candidates in linear time; each candidate is then checked the way the identifier itself
is defined (Luhn and issuer prefix, IBAN checksum, libphonenumber metadata, `ipaddress`), because
a shape alone also matches order numbers, versions and timestamps. Context lowers the bar and
never raises it: a value of an identifier's shape under a field named for it, or after words that
name it, is a finding even where the validator says no (fail closed); a validator's yes is what
scores a value that has no context. Phones, cards and IPs live in their own modules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate
from string import ascii_uppercase

from phonenumbers import SUPPORTED_REGIONS
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.us import ssn as stdnum_ssn

from datamin import quiet_re2
from datamin.redactors._id_words import answer
from datamin.redactors._obfuscated import (
    BARE_SCORE,
    BARE_SIGN,
    BRACKET_SIGN,
    BRACKETED_SCORE,
    ObfuscatedEmails,
    known_tld,
    mail_word_in,
    says_mail,
)
from datamin.redactors._phone_words import (
    SAYS_PHONE,
    names_the_number,
    part_of_phone,
    phone_hint,
)
from datamin.redactors._spelled_phones import SIGN as SPELLED_SIGN
from datamin.redactors._spelled_phones import spelled_numbers
from datamin.redactors._validators import (
    placeholder_digits,
    re2_safe,
    sign_set,
    squash,
    stands_alone,
)
from datamin.redactors.cards import card_hint, card_spans, card_tail, id_name
from datamin.redactors.context import (
    FieldContext,
    FieldKind,
    FieldRole,
    key_tokens,
    parent_name,
    written_name,
)
from datamin.redactors.findings import Finding
from datamin.redactors.ips import ip_spans
from datamin.redactors.phones import PhoneFinder, international_number
from datamin.redactors.registry import DetectorSettings

__all__ = ["PatternDetector"]

# The prefilter: the cheapest sign of each family, all tried in one RE2 set pass, so a value like
# `application/json` or a UUID costs one call and no family scan.
_EMAIL_SIGN, _PLUS_SIGN, _DIGITS_SIGN, _IPV4_SIGN, _IPV6_SIGN, _IBAN_SIGN = range(6)
_CARD_SIGN, _SSN_SIGN, _AT_BRACKET_SIGN, _AT_WORD_SIGN, _SPELLED_SIGN = 6, 7, 8, 9, 10
_SIGNS = (
    r"[\p{L}\p{N}_.%+\-'\"](?:@|%40)[\p{L}\p{N}]",  # `"` ends a quoted local part
    r"\+[ ]?\d",
    r"\d[ .\-/()]?\d[ .\-/()]?\d",  # `06 12 34 56 78` has no three digits in a row
    r"\d\.\d+\.\d+\.\d",
    r"[0-9A-Fa-f]*:[0-9A-Fa-f]*:",
    r"[A-Za-z]{2}\d\d",
    # Every card holds four digits and four more, joined or grouped (dates and times do not).
    r"\d\d\d\d[ .\-]?\d\d\d\d",
    r"\d\d\d[ \-.]?\d\d[ \-.]?\d\d\d\d",  # an SSN's 3-2-4
    BRACKET_SIGN,  # `jane [at] example [dot] com`
    BARE_SIGN,  # `jane at example dot com`, read only near a mail word
    SPELLED_SIGN,  # `five five five, two one two, ...`
)

# `%40` is an encoded `@`, as in query strings and URLs that were not decoded.
# Local parts and domain labels may be internationalized (`josé@bücher.de`); the TLD is ASCII,
# or its punycode form (`xn--p1ai`). A local part may be quoted (`"john smith"@example.com`,
# RFC 5321), on one line.
_EMAIL = (
    r"(\"[^\"\r\n]{1,64}\"|[\p{L}\p{N}._%+\-']+)(?:@|%40)"
    r"((?:[\p{L}\p{N}\-]+\.)+(?:xn--[a-z0-9]{2,20}|[A-Za-z]{2,24}))\b"
)
# A whole value with no space and one `@` between two non-empty sides.
_LOOSE_ADDRESS = quiet_re2.compile(r"[^\s@]{1,256}@[^\s@]{1,512}")
_SSN = r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4}"
_LOOSE_SSN = r"\d{3}[ \-.]?\d{2}[ \-.]?\d{4}"
# Any case, grouped by spaces or dashes (`de89-3704-...`, `no93 8601 1117 947`).
_IBAN = r"[A-Za-z]{2}\d{2}(?:[ \-]{0,2}[A-Za-z0-9]){11,30}"
_IBAN_CONTEXT = quiet_re2.compile(
    r"(?i)(?:iban|account|acct|konto|rekening|compte|cuenta|conta|bank)"
)
# ... and an account's words abroad (`cuenta_bancaria`, `compte_bancaire`, `conto_corrente`,
# `numer_konta`, `hesap_no`, `口座番号`, `расчетный_счет`; `rib` only as a word of the name).
_IBAN_NAMES = (
    "iban", "bban", "accountnumber", "accountno", "bankaccount", "konto", "cuenta", "compte",
    "conto", "contabancaria", "numeroconta", "contacorrente", "rekening", "konta", "hesap",
    "bankverbindung", "口座", "账号", "賬號", "계좌", "счет", "счёт",
)  # fmt: skip

# Image variants like `logo@2x.png` have the shape of an address; these are not mail domains.
_FILE_SUFFIXES = frozenset(
    "png jpg jpeg gif svg webp avif bmp ico tif tiff css js mjs map json html htm xml pdf txt "
    "woff woff2 ttf otf eot mp3 mp4 webm wasm".split()
)
# An address saved as a file's name (`jane@example.com.pdf`, a multipart `filename=`): the
# extension is cut off and what is left is judged as an address. Some are also TLDs (`.zip`,
# `.mov`): `jane@example.zip` stays an address, `jane@example.com.zip` is one with an extension.
_EXTENSIONS = _FILE_SUFFIXES | frozenset(
    "csv tsv doc docx xls xlsx ppt pptx odt ods odp rtf md log zip gz tgz tar rar 7z bz2 xz "
    "eml msg ics vcf heic mov wav avi mkv key pages numbers epub".split()
)
# Where a number may be spelled digit by digit: prose, a message's or a logged one.
_PROSE = (FieldKind.TEXT, FieldKind.JSON)
_SSN_NAMES = frozenset(
    "ssn socialsecurity socialsecuritynumber socialsecurityno ssnumber taxid taxidnumber "
    "taxpayerid tin itin ssnno ssnum ssno socsec socsecno socsecnum socsecnumber".split()
)


class PatternDetector:
    """Built once per worker; stateless; thread-safe."""

    name = "patterns"
    entities = frozenset(
        ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS")
    )
    scores = {
        "EMAIL_ADDRESS": (BARE_SCORE, BRACKETED_SCORE, 0.95),
        "PHONE_NUMBER": (0.6, 0.85, 0.95),
        "CREDIT_CARD": (0.85, 0.95, 1.0),
        "US_SSN": (0.6, 0.9, 0.95),
        "IBAN_CODE": (0.85, 1.0),
        "IP_ADDRESS": (0.95,),
    }

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._signs = sign_set(_SIGNS)
        self._email = quiet_re2.compile(_EMAIL)
        self._ssn = quiet_re2.compile(_SSN)
        self._loose_ssn = quiet_re2.compile(_LOOSE_SSN)
        self._iban = quiet_re2.compile(_IBAN)
        self._said_iban = quiet_re2.compile(
            r"(?i:\biban\b)[^\p{L}\p{N}\n]{0,4}(?:(?:is|ist|est|es|:)\s+)?"
            r"([A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){8,30})\b"
        )
        self._named_iban = quiet_re2.compile(r"[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){8,30}")
        self._iban_lengths = _iban_lengths()
        self._phones = PhoneFinder(self.settings.regions)
        self._obfuscated = ObfuscatedEmails()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 3:  # `::1` is the shortest value any family can take
            return []
        try:
            signs = self._signs.Match(text)
        except UnicodeEncodeError:  # a lone surrogate; offsets survive the replacement
            text = re2_safe(text)
            signs = self._signs.Match(text)
        if not signs:
            return []
        found: list[Finding] = []
        shapes: list[tuple[int, int]] = []  # identifier shapes no phone may be made from
        if _EMAIL_SIGN in signs and not _is_message_id(ctx.name, text):
            found.extend(self._emails(text))
        if (
            not found
            and ctx.kind is not FieldKind.TEXT
            and "@" in text
            and says_mail(ctx.name)
            and not _is_message_id(ctx.name, text)
        ):
            found.extend(self._named_address(text))
        if _AT_BRACKET_SIGN in signs or _AT_WORD_SIGN in signs:
            found.extend(self._obfuscated_emails(text, ctx, _AT_BRACKET_SIGN in signs))
        if _IBAN_SIGN in signs:
            found.extend(self._ibans(text, ctx, shapes))
        party = ctx.role is FieldRole.PARTY
        # The name as its path writes it, so a camelCase key's words count (`smsNumber`).
        name = written_name(ctx.path, ctx.name)
        hint = phone_hint(name, text, party=party) if ctx.kind is not FieldKind.META else -1
        if hint == 0 and part_of_phone(name, parent := parent_name(ctx.path)):
            name, hint = parent, SAYS_PHONE  # `phone.subscriber_number`: the phone's
        if _DIGITS_SIGN in signs and (hint <= 0 or card_hint(name)):
            named = card_hint(name)
            if _CARD_SIGN in signs:
                # Under an id's name a run of digits is the id's own; a card written in its
                # groups (`4111 1111 1111 1111`) is a card there too.
                grouped_only = not named and id_name(ctx.name)
                taken = _Spans(shapes)
                cards = [
                    self._finding("CREDIT_CARD", s, e, score)
                    for s, e, score in card_spans(text, named)
                    if not taken.overlaps(s, e) and not (grouped_only and text[s:e].isdigit())
                ]
                found.extend(cards)
                # The expiry and security code written after a card are the card's.
                found.extend(
                    self._finding("CREDIT_CARD", s, e, card.score)
                    for card in cards
                    for s, e in card_tail(text, card.end)
                )
            if _SSN_SIGN in signs:
                found.extend(self._ssns(text, ctx, answer(ctx), _is_ssn_name(name)))
        if _IPV4_SIGN in signs or _IPV6_SIGN in signs:
            found.extend(
                self._finding("IP_ADDRESS", s, e, 0.95)
                for s, e in ip_spans(
                    text, ctx.name, ipv4=_IPV4_SIGN in signs, ipv6=_IPV6_SIGN in signs
                )
            )
        if (_PLUS_SIGN in signs or _DIGITS_SIGN in signs) and hint >= 0:
            taken = _Spans(shapes + [(f.start, f.end) for f in found])
            message = ctx.kind is FieldKind.TEXT
            number_field = hint == SAYS_PHONE and names_the_number(name)
            found.extend(
                self._phone_findings(text, hint, taken, message, answer(ctx), number_field)
            )
        elif _PLUS_SIGN in signs and not found and id_name(ctx.name):
            # Under an id's name a number is the id's own, but one written for the world, `+`
            # and all, is a phone that a system keys people by (Kong's `custom_id`, a user's
            # `external_id`), as a card in its groups is a card there.
            value = text.strip()
            if international_number(value):
                start = text.index(value)
                found.append(self._finding("PHONE_NUMBER", start, start + len(value), 0.9))
        if (_SPELLED_SIGN in signs or _DIGITS_SIGN in signs) and hint >= 0 and ctx.kind in _PROSE:
            taken = _Spans([(f.start, f.end) for f in found])
            found.extend(
                self._finding("PHONE_NUMBER", s, e, 0.85)
                for s, e in spelled_numbers(text)
                if not taken.overlaps(s, e)
            )
        return found

    def _finding(self, entity: str, start: int, end: int, score: float) -> Finding:
        return Finding(entity, start, end, score, self.name)

    def _emails(self, text: str) -> Iterator[Finding]:
        for m in self._email.finditer(text):
            start, end = m.span()
            local = text[start : m.end(1)]
            stripped = local.lstrip(".'")  # a quote or dot before the address is not in it
            start += len(local) - len(stripped)
            local = stripped
            domain = text[m.start(2) : end]
            labels = domain.split(".")
            if len(labels) > 2 and labels[-1].lower() in _EXTENSIONS and known_tld(labels[-2]):
                end -= len(labels[-1]) + 1
                domain = domain[: -len(labels[-1]) - 1]
                labels.pop()
            if (
                not 1 <= len(local) <= 64
                or len(domain) > 253
                or labels[-1].lower() in _FILE_SUFFIXES
                or any(len(label) > 63 or label[0] == "-" or label[-1] == "-" for label in labels)
                or (start and text[start - 1] == ":" and _is_url_password(text, start))
            ):
                continue
            yield self._finding("EMAIL_ADDRESS", start, end, 0.95)

    def _named_address(self, text: str) -> list[Finding]:
        """Under a field named for mail, a whole value with something on either side of an `@`
        is an address, whatever RFC 5322 or the TLD list think of it (fail closed)."""
        value = text.strip()
        if _LOOSE_ADDRESS.fullmatch(value) is None:
            return []
        start = text.index(value)
        return [self._finding("EMAIL_ADDRESS", start, start + len(value), 0.9)]

    def _obfuscated_emails(
        self, text: str, ctx: FieldContext, bracketed: bool
    ) -> Iterator[Finding]:
        """`[at]`/`[dot]` forms anywhere; bare `at`/`dot` words only near a mail word (prose
        has " at " everywhere: without a mail word in the value or its name, no scan)."""
        if _is_message_id_name(ctx.name):
            return
        named = says_mail(ctx.name)
        # An `@` after a bare `dot` (`jane dot doe@example.com`) speaks for itself, and so do
        # `AT` and `DOT` in capitals (`tom_h AT proton DOT me`).
        shouted = " AT " in text and " DOT " in text
        if not (bracketed or named or shouted or "@" in text or mail_word_in(text)):
            return
        for start, end, score in self._obfuscated.find(text, named):
            yield self._finding("EMAIL_ADDRESS", start, end, score)

    def _ssns(self, text: str, ctx: FieldContext, answer: bool, named: bool) -> Iterator[Finding]:
        """`answer`: all the value says speaks for itself (`datamin.redactors._id_words.answer`);
        `named`: the field's name says SSN."""
        pattern = self._loose_ssn if named else self._ssn
        for m in pattern.finditer(text):
            start, end = m.span()
            candidate = text[start:end]
            digits = candidate.replace(" ", "").replace("-", "").replace(".", "")
            if not stands_alone(text, start, end):
                continue
            if stdnum_ssn.is_valid(digits):
                # Dashes are how SSNs are written; spaces and dots also group other numbers.
                score = 0.95 if "-" in candidate else 0.9 if named else 0.6
                yield self._finding("US_SSN", start, end, score)
            elif named:
                # Under a field named for it, an SSN's shape is one whatever the check says
                # (fail closed: `078-05-1120`, voided after it was printed in a wallet ad,
                # is still someone's number on the form).
                yield self._finding("US_SSN", start, end, 0.85)
            elif answer and "-" in candidate and (start, end) == (0, len(text.rstrip())):
                # All a form's answer says, written as SSNs are and nothing else is (`909-37-
                # 8657`, a number the SSA never issues): someone's number, mistyped or made up.
                if not placeholder_digits(digits):
                    yield self._finding("US_SSN", start, end, 0.6)

    def _ibans(
        self, text: str, ctx: FieldContext, shapes: list[tuple[int, int]]
    ) -> Iterator[Finding]:
        """IBANs in any case, by checksum; by shape alone where a name or a word says IBAN. Every
        IBAN shape, valid or not, goes to `shapes`: its groups are not phones or cards."""
        named = _is_iban_name(ctx.name)
        value = text.strip()
        if (
            named
            and self._named_iban.fullmatch(value)
            and value[:2].upper() not in self._iban_lengths
        ) or (ctx.kind is not FieldKind.TEXT and answer(ctx) and _iban_answer(value)):
            # A country with no IBAN (`TH831516204661`, as generators make them), the whole of
            # a field named IBAN: an account number all the same (fail closed). So is a whole
            # value that speaks for itself (`settings.value`, a form's answer) written as an
            # IBAN, whatever its length or checksum (`GB12FMOW5112532870465`).
            start = text.index(value)
            shapes.append((start, start + len(value)))
            yield self._finding("IBAN_CODE", start, start + len(value), 0.85)
            return
        for m in self._said_iban.finditer(text) if "iban" in text.lower() else ():
            # After the word, the shape of an IBAN from a country that has none (`my IBAN is
            # TH83 1516 2046 61`): an account number all the same (fail closed).
            start, end = m.span(1)
            if m.group(1)[:2] not in self._iban_lengths:
                shapes.append((start, end))
                yield self._finding("IBAN_CODE", start, end, 0.85)
        for m in self._iban.finditer(text):
            start = m.start()
            candidate = text[start : m.end()]
            length = self._iban_lengths.get(candidate[:2].upper(), 0)
            # The candidate can run on into a following code (`... 00 BIC COBADEFF`); the
            # country's IBAN length says where it really ends.
            end, kept = start, 0
            for char in candidate:
                if kept == length:
                    break
                end += 1
                kept += char not in " -"
            letters = "".join(c for c in text[start:end] if c.isalpha())
            if not length or (start and text[start - 1].isalnum()):
                continue
            shapes.append((start, m.end()))
            said = named or _IBAN_CONTEXT.search(text[max(0, start - 32) : start]) is not None
            if kept < length or not stands_alone(text, start, end, joiners=""):
                # Under an IBAN word or name, an IBAN's shape of the wrong length is a typo or
                # a made-up number: still an account number (fail closed).
                whole = start + len(candidate.rstrip(" -"))
                if said and stands_alone(text, start, whole, joiners=""):
                    yield self._finding("IBAN_CODE", start, whole, 0.85)
                continue
            compact = text[start:end].replace(" ", "").replace("-", "").upper()
            one_case = letters.isupper() or letters.islower()  # `LV80 bANK ...` is neither
            if one_case and stdnum_iban.is_valid(compact, check_country=False):
                yield self._finding("IBAN_CODE", start, end, 1.0)
            elif said:
                yield self._finding("IBAN_CODE", start, end, 0.85)  # fail closed

    def _phone_findings(
        self,
        text: str,
        hint: int,
        taken: _Spans,
        message: bool,
        answer: bool,
        number_field: bool = False,
    ) -> Iterator[Finding]:
        """Phone numbers not inside a card, SSN, IBAN, address or email already found; under a
        phone-named field (`hint` 1) no card is looked for, so none can hide one."""
        spans = self._phones.find(
            text,
            hint,
            taken.overlaps,
            message=message,
            answer=answer,
            number_field=number_field,
        )
        for start, end, score in spans:
            yield self._finding("PHONE_NUMBER", start, end, score)


class _Spans:
    """Spans already taken, asked whether a span overlaps one: sorted by start, with the
    furthest end reached so far, so each question is a binary search (a value of 160 kB holds
    thousands of addresses or numbers, each asked about: a scan per question was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end)  # the spans that start before `end`
        return i > 0 and self._reach[i - 1] > start


# A mail's Message-ID and its references (`<CAF...@mail.gmail.com>`) are made like addresses
# and reach no one.
_MESSAGE_ID_NAMES = frozenset(("messageid", "inreplyto", "references", "msgid"))


@lru_cache(maxsize=1024)
def _is_message_id_name(name: str) -> bool:
    return squash(name) in _MESSAGE_ID_NAMES


def _is_message_id(name: str, text: str) -> bool:
    """A message's id: under a name that says so, or a whole `<local@domain>` (RFC 5322's
    msg-id, as mail APIs return it: `{"id": "<2024...@mg.example.com>"}`) under a name
    ending in `id` whose local part is a machine's (sixteen characters, six digits or more),
    not someone's address in angle brackets."""
    if _is_message_id_name(name):
        return True
    if not squash(name).endswith("id"):
        return False
    m = _MSG_ID.fullmatch(text.strip())
    return m is not None and len(m.group(1)) >= 16 and sum(c.isdigit() for c in m.group(1)) >= 6


_MSG_ID = quiet_re2.compile(r"<([^<>@\s]+)@[^<>@\s]+>")


@lru_cache(maxsize=1024)
def _is_iban_name(name: str) -> bool:
    return any(w in squash(name) for w in _IBAN_NAMES) or "rib" in name.replace("-", "_").split("_")


@lru_cache(maxsize=1024)
def _is_ssn_name(name: str) -> bool:
    return squash(name) in _SSN_NAMES or "ssn" in key_tokens(name)


def _is_url_password(text: str, start: int) -> bool:
    """`pass@host` in `scheme://user:pass@host` is a password, the credential detector's to find."""
    head = text[max(0, start - 256) : start]
    if not head.endswith(":"):
        return False
    slashes = head.rfind("//")
    return slashes != -1 and not any(c in head[slashes + 2 :] for c in "/@ \t\n")


def _iban_lengths() -> dict[str, int]:
    """Country code -> IBAN length, from python-stdnum's IBAN registry (`8!n10!n` -> 4 + 18)."""
    registry = numdb.get("iban")
    lengths = {}
    for a in ascii_uppercase:
        for b in ascii_uppercase:
            bban = registry.info(a + b)[0][1].get("bban")
            if bban:
                lengths[a + b] = 4 + sum(int(part.lstrip("acn")) for part in bban.split("!")[:-1])
    return lengths


_IBAN_WRITTEN = re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?")


def _iban_answer(value: str) -> bool:
    """An IBAN as written (capitals, two check digits, groups of four, a country's code), the
    whole of a value: in a field that says nothing else, it is one whatever its check says."""
    return _IBAN_WRITTEN.fullmatch(value) is not None and value[:2] in SUPPORTED_REGIONS
