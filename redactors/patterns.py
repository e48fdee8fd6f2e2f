"""Validated patterns for structured identifiers: email addresses, phone numbers, payment cards,
US SSNs, IBANs and IP addresses.

RE2 finds candidates in linear time; each candidate is then checked the way the identifier itself
is defined (Luhn and issuer prefix, IBAN checksum, libphonenumber metadata, `ipaddress`), because
a shape alone also matches order numbers, versions and timestamps.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from string import ascii_uppercase

import phonenumbers
import re2
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.us import ssn as stdnum_ssn

from redactors._validators import (
    DIGITS,
    WORD,
    is_card_number,
    re2_safe,
    sign_set,
    squash,
    stands_alone,
)
from redactors.context import FieldContext, FieldKind
from redactors.findings import Finding
from redactors.registry import DetectorSettings

# The prefilter: the cheapest sign of each family, all tried in one RE2 set pass, so a value like
# `application/json` or a UUID costs one call and no family scan.
_EMAIL_SIGN, _PLUS_SIGN, _DIGITS_SIGN, _IPV4_SIGN, _IPV6_SIGN, _IBAN_SIGN = range(6)
_SIGNS = (
    r"[\p{L}\p{N}_.%+\-'](?:@|%40)[\p{L}\p{N}]",
    r"\+\d",
    r"\d\d\d",
    r"\d\.\d+\.\d+\.\d",
    r"[0-9A-Fa-f]*:[0-9A-Fa-f]*:",
    r"[A-Z]{2}\d\d",
)

# `%40` is an encoded `@`, as in query strings and URLs that were not decoded.
# Local parts and domain labels may be internationalized (`josé@bücher.de`); the TLD is ASCII.
_EMAIL = r"([\p{L}\p{N}._%+\-']+)(?:@|%40)((?:[\p{L}\p{N}\-]+\.)+[A-Za-z]{2,24})\b"
_INTL_PHONE = r"\+\d(?:[ .\-()]{0,3}\d){6,16}"
_NATIONAL_PHONE = r"(?:1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
_BARE_PHONE = r"\+?\d{10,15}"
# National numbers behind a trunk 0 (`020 7946 0958`, `030 1234 5678`), with at least one
# separator so zero-padded ids (`0000000029`) are not candidates.
_TRUNK_PHONE = r"\(?0\d{1,4}\)?[ .\-]\d{2,4}(?:[ .\-]?\d{2,4}){1,2}"
_SSN_SHAPE = re2.compile(r"\d{3}-\d{2}-\d{4}")
# Regions tried for a trunk-0 number, in order; a number valid in any of them is a phone.
TRUNK_REGIONS = ("GB", "IE", "DE", "FR", "NL", "BE", "IT", "ES", "AU", "NZ")
_CARD_RUN = r"\d{13,}"  # a whole digit run; over 19 digits it is not a card
_GROUPED_CARD = (
    r"\d{4}(?:[ .\-]\d{4}){2}[ .\-]\d{1,4}(?:[ .\-]\d{3})?"  # 4-4-4-4 and its variants
    r"|\d{4}[ .\-]\d{6}[ .\-]\d{4,5}"  # American Express, Diners Club
)
_SSN = r"\d{3}-\d{2}-\d{4}"
_LOOSE_SSN = r"\d{3}[ \-]?\d{2}[ \-]?\d{4}"
_IBAN = r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}"
_IPV4 = r"\d+(?:\.\d+)+"  # a whole dotted run, so `1.2.3.4.5` is one candidate with five parts
_IPV6 = (  # starts with a hex group, or with `::` and one, so runs of colons are no candidate
    r"(?:[0-9A-Fa-f]{1,4}:|::[0-9A-Fa-f]{1,4}:?)(?:[0-9A-Fa-f]{0,4}:){0,6}"
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?"
)

# Image variants like `logo@2x.png` have the shape of an address; these are not mail domains.
_FILE_SUFFIXES = frozenset(
    "png jpg jpeg gif svg webp avif bmp ico tif tiff css js mjs map json html htm xml pdf txt "
    "woff woff2 ttf otf eot mp3 mp4 webm wasm".split()
)
_PHONE_WORDS = ("phone", "mobile", "msisdn", "cell", "fax", "whatsapp", "telephone")
_PHONE_TOKENS = frozenset(("tel", "sms"))
# Values under these names are counts, sizes, money, times and references, never phone numbers.
# Short words only count at the end of a name (`retry_count` yes, `account` no).
_NOT_PHONE_WORDS = (
    "sku",
    "version",
    "timestamp",
    "latency",
    "checksum",
    "quantity",
    "duration",
    "invoice",
    "nonce",
    "uuid",
    "guid",
    "price",
    "amount",
    "status",
    "bytes",
    "length",
    "offset",
    "size",
    "order",
)
_NOT_PHONE_ENDINGS = ("id", "ids", "count", "date", "time", "total", "serial")
_NOT_ENDINGS_AFTER_ALL = frozenset(("account", "candidate", "update"))
_CONTEXT_WORDS = ("phone", "call", "tel", "mobile", "cell", "sms", "text me", "whatsapp", "fax")
_SSN_NAMES = frozenset(
    "ssn socialsecurity socialsecuritynumber socialsecurityno ssnumber taxid taxidnumber "
    "taxpayerid tin itin".split()
)


class PatternDetector:
    """Built once per worker; stateless; thread-safe."""

    name = "patterns"
    entities = frozenset(
        ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS")
    )

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._signs = sign_set(_SIGNS)
        self._email = re2.compile(_EMAIL)
        self._intl_phone = re2.compile(_INTL_PHONE)
        self._national_phone = re2.compile(_NATIONAL_PHONE)
        self._bare_phone = re2.compile(_BARE_PHONE)
        self._trunk_phone = re2.compile(_TRUNK_PHONE)
        self._card_run = re2.compile(_CARD_RUN)
        self._grouped_card = re2.compile(_GROUPED_CARD)
        self._ssn = re2.compile(_SSN)
        self._loose_ssn = re2.compile(_LOOSE_SSN)
        self._iban = re2.compile(_IBAN)
        self._ipv4 = re2.compile(_IPV4)
        self._ipv6 = re2.compile(_IPV6)
        self._iban_lengths = _iban_lengths()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if len(text) < 6:  # shorter than the shortest address (`a@b.co`) any family can validate
            return []
        try:
            signs = self._signs.Match(text)
        except UnicodeEncodeError:  # a lone surrogate; offsets survive the replacement
            text = re2_safe(text)
            signs = self._signs.Match(text)
        if not signs:
            return []
        found: list[Finding] = []
        if _EMAIL_SIGN in signs:
            found.extend(self._emails(text))
        if _DIGITS_SIGN in signs:
            found.extend(self._cards(text))
            found.extend(self._ssns(text, ctx))
        if _IBAN_SIGN in signs:
            found.extend(self._ibans(text))
        if _IPV4_SIGN in signs or _IPV6_SIGN in signs:
            found.extend(self._ips(text, ctx, ipv4=_IPV4_SIGN in signs, ipv6=_IPV6_SIGN in signs))
        if _PLUS_SIGN in signs or _DIGITS_SIGN in signs:
            taken = [(f.start, f.end) for f in found]
            found.extend(self._phones(text, ctx, taken, national=_DIGITS_SIGN in signs))
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
            if (
                not 1 <= len(local) <= 64
                or len(domain) > 253
                or labels[-1].lower() in _FILE_SUFFIXES
                or any(len(label) > 63 or label[0] == "-" or label[-1] == "-" for label in labels)
                or (start and text[start - 1] == ":" and _is_url_password(text, start))
            ):
                continue
            yield self._finding("EMAIL_ADDRESS", start, end, 0.95)

    def _cards(self, text: str) -> Iterator[Finding]:
        for m in self._card_run.finditer(text):
            start, end = m.span()
            if (
                end - start <= 19
                and stands_alone(text, start, end)
                and is_card_number(text[start:end])
            ):
                yield self._finding("CREDIT_CARD", start, end, 0.95)
        for m in self._grouped_card.finditer(text):
            start, end = m.span()
            candidate = text[start:end]
            separators = {c for c in candidate if c not in DIGITS}
            if len(separators) > 1:
                continue
            # A grouped number followed by one more group (a CVV, a year) is tried without it.
            separator = separators.pop()
            for stop in (end, start + candidate.rfind(separator)):
                digits = text[start:stop].replace(separator, "")
                if stands_alone(text, start, stop) and is_card_number(digits):
                    yield self._finding("CREDIT_CARD", start, stop, 1.0)
                    break

    def _ssns(self, text: str, ctx: FieldContext) -> Iterator[Finding]:
        named = _is_ssn_name(ctx.name)
        pattern = self._loose_ssn if named else self._ssn
        for m in pattern.finditer(text):
            start, end = m.span()
            candidate = text[start:end]
            if stands_alone(text, start, end) and stdnum_ssn.is_valid(candidate.replace(" ", "")):
                yield self._finding("US_SSN", start, end, 0.95 if "-" in candidate else 0.9)

    def _ibans(self, text: str) -> Iterator[Finding]:
        for m in self._iban.finditer(text):
            start = m.start()
            candidate = text[start : m.end()]
            length = self._iban_lengths.get(candidate[:2], 0)
            # The candidate can run on into a following code (`... 00 BIC COBADEFF`); the
            # country's IBAN length says where it really ends.
            end, kept = start, 0
            for char in candidate:
                if kept == length:
                    break
                end += 1
                kept += char != " "
            if kept < length or not stands_alone(text, start, end, joiners=""):
                continue
            if stdnum_iban.is_valid(text[start:end]):
                yield self._finding("IBAN_CODE", start, end, 1.0)

    def _ips(self, text: str, ctx: FieldContext, *, ipv4: bool, ipv6: bool) -> Iterator[Finding]:
        name = squash(ctx.name)
        if "version" in name or name in ("useragent", "ua"):
            return
        v6: list[tuple[int, int]] = []
        if ipv6:
            for m in self._ipv6.finditer(text):
                start, end = m.span()
                candidate = text[start:end]
                if candidate.endswith(":") and not candidate.endswith("::"):
                    candidate, end = candidate[:-1], end - 1
                groups = [g for g in candidate.split(":") if g]
                # `::1`, `fe80::1` and `a::b` are too short to tell from code and clock times.
                if len(groups) < 3 and "." not in candidate:
                    continue
                if (start and text[start - 1] in WORD) or (end < len(text) and text[end] in WORD):
                    continue
                if _parses(ipaddress.IPv6Address, candidate):
                    v6.append((start, end))
                    yield self._finding("IP_ADDRESS", start, end, 0.95)
        if ipv4:
            for m in self._ipv4.finditer(text):
                start, end = m.span()
                candidate = text[start:end]
                inside_v6 = any(s <= start and end <= e for s, e in v6)  # `::ffff:192.0.2.1`
                if candidate.count(".") != 3 or inside_v6 or _glued_ipv4(text, start, end):
                    continue
                if _parses(ipaddress.IPv4Address, candidate):
                    yield self._finding("IP_ADDRESS", start, end, 0.95)

    def _phones(
        self, text: str, ctx: FieldContext, taken: list[tuple[int, int]], *, national: bool
    ) -> Iterator[Finding]:
        """Phone numbers not inside a card, SSN, IBAN, address or email already found."""
        hint = _phone_hint(ctx.name)
        if ctx.kind is FieldKind.META or hint < 0:
            return
        # International candidates sort before national ones at the same start.
        candidates: list[tuple[int, int, str | None, float]] = []
        if "+" in text:
            candidates += [(*m.span(), None, 0.95) for m in self._intl_phone.finditer(text)]
        if national:
            candidates += [(*m.span(), "US", 0.6) for m in self._national_phone.finditer(text)]
            candidates += [
                (*m.span(), "TRUNK", 0.6)
                for m in self._trunk_phone.finditer(text)
                if not _SSN_SHAPE.fullmatch(m.group())  # `078-05-1120` is an SSN's shape
            ]
            if hint > 0:
                candidates += [(*m.span(), "US", 0.85) for m in self._bare_phone.finditer(text)]
        candidates.sort(key=lambda c: (c[0], c[2] is not None))
        taken.sort()
        starts = [s for s, _ in taken]
        reach = list(accumulate((e for _, e in taken), max))  # furthest end among the first i

        def free(start: int, end: int) -> bool:
            i = bisect_left(starts, end)
            return i == 0 or reach[i - 1] <= start

        last_end = 0  # phones found do not overlap, and come in order
        for start, end, region, score in candidates:
            if start < last_end or (start and text[start - 1] in WORD):
                continue
            end = _valid_phone_end(text, start, end, region)
            if end and free(start, end):
                if region and (hint > 0 or _context_near(text, start)):
                    score = max(score, 0.85)
                last_end = end
                yield self._finding("PHONE_NUMBER", start, end, score)


def _valid_phone_end(text: str, start: int, end: int, region: str | None) -> int:
    """End of the valid number starting at `start`, dropping trailing groups that libphonenumber
    rejects (`+44 20 7946 0958 2024` is a number and a year); 0 when there is none."""
    for _ in range(4):
        candidate = text[start:end]
        if sum(c in DIGITS for c in candidate) < 8:
            return 0
        if stands_alone(text, start, end) and _is_phone(candidate, region):
            return end
        cut = max(candidate.rfind(c) for c in " .-(")
        if cut <= 1:
            return 0
        end = start + len(candidate[:cut].rstrip(" .-()"))
    return 0


def _is_phone(candidate: str, region: str | None) -> bool:
    """Valid per libphonenumber's metadata. A national candidate's shape is known (ten digits
    after an optional trunk 1), so it is built directly: parsing costs four times the check."""
    if region == "US":
        digits = "".join(c for c in candidate if c in DIGITS)
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if len(digits) != 10:
            return False
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
        return phonenumbers.is_valid_number(number)
    regions = TRUNK_REGIONS if region == "TRUNK" else (region,)
    for r in regions:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(candidate, r)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _phone_hint(name: str) -> int:
    """1 when the name says phone; -1 when it says id, count, money, time, version...; else 0."""
    key = squash(name)
    tokens = set(name.replace("-", "_").replace(".", "_").split("_"))
    if any(w in key for w in _PHONE_WORDS) or tokens & _PHONE_TOKENS:
        return 1
    if (key.endswith(_NOT_PHONE_ENDINGS) and key not in _NOT_ENDINGS_AFTER_ALL) or any(
        w in key for w in _NOT_PHONE_WORDS
    ):
        return -1
    return 0


def _context_near(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start].lower()
    return any(w in window for w in _CONTEXT_WORDS)


def _is_ssn_name(name: str) -> bool:
    tokens = name.replace("-", "_").replace(".", "_").split("_")
    return squash(name) in _SSN_NAMES or "ssn" in tokens


def _is_url_password(text: str, start: int) -> bool:
    """`pass@host` in `scheme://user:pass@host` is a password, the credential detector's to find."""
    head = text[max(0, start - 256) : start]
    if not head.endswith(":"):
        return False
    slashes = head.rfind("//")
    return slashes != -1 and not any(c in head[slashes + 2 :] for c in "/@ \t\n")


def _glued_ipv4(text: str, start: int, end: int) -> bool:
    """True when the dotted quad is part of a word, a longer dotted run or a product version
    (`Chrome/120.0.0.0` in a user agent)."""
    if end < len(text) and text[end] in WORD:
        return True
    if start == 0:
        return False
    before = text[start - 1]
    if before in WORD or before == ".":
        return True
    if before == "/":
        head = text[max(0, start - 65) : start - 1]
        token = head[max(head.rfind(c) for c in " /;(\t\n") + 1 :]
        return bool(token) and token[0] in ascii_uppercase
    return False


def _parses(address: type[ipaddress.IPv4Address | ipaddress.IPv6Address], text: str) -> bool:
    try:
        address(text)
    except ValueError:  # its message holds the text: swallowed, never re-raised
        return False
    return True


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
