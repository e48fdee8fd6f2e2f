"""Presidio's predefined pattern recognizers, read as data for our own matcher.

presidio-analyzer ships one recognizer per national identifier: regexes with a base score,
context words and, for many, a checksum (`validate_result`, `invalidate_result`). We reuse those
and nothing else: its regexes are rewritten for RE2 (lookarounds dropped, back-references
replaced by the group they name) so a scan is linear; where the rewrite widened a pattern, a
candidate is confirmed by the original regex on a bounded window around it. Context and scoring
are ours (`datamin.redactors.national_ids`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import re2
import regex

from datamin import quiet_re2

# Recognizer class -> the country whose identifier it reads (None: any country). The entities
# datamin detects elsewhere (emails, phones, cards, IBANs, IPs, SSNs), dates, URLs and UUIDs are
# not here. Postcodes are, but read in free text only (`datamin.redactors.national_ids.TEXT_ONLY`).
RECOGNIZERS: dict[str, str | None] = {
    "CryptoRecognizer": None,
    "MacAddressRecognizer": None,
    "AbaRoutingRecognizer": "US",
    "MedicalLicenseRecognizer": "US",
    "UsBankRecognizer": "US",
    "UsItinRecognizer": "US",
    "UsLicenseRecognizer": "US",
    "UsMbiRecognizer": "US",
    "UsNpiRecognizer": "US",
    "UsPassportRecognizer": "US",
    "UsClaimNumberRecognizer": "US",
    "UsHealthInsuranceMemberIdRecognizer": "US",
    "UsPrescriptionNumberRecognizer": "US",
    "UsPriorAuthorizationNumberRecognizer": "US",
    "UsProviderTaxIdRecognizer": "US",
    "UsReferralNumberRecognizer": "US",
    "UkDrivingLicenceRecognizer": "GB",
    "NhsRecognizer": "GB",
    "UkNinoRecognizer": "GB",
    "UkPassportRecognizer": "GB",
    "UkVehicleRegistrationRecognizer": "GB",
    "UkPostcodeRecognizer": "GB",
    "AuAbnRecognizer": "AU",
    "AuAcnRecognizer": "AU",
    "AuMedicareRecognizer": "AU",
    "AuTfnRecognizer": "AU",
    "CaSinRecognizer": "CA",
    "CaPostalCodeRecognizer": "CA",
    "InAadhaarRecognizer": "IN",
    "InGstinRecognizer": "IN",
    "InPanRecognizer": "IN",
    "InPassportRecognizer": "IN",
    "InVehicleRegistrationRecognizer": "IN",
    "InVoterRecognizer": "IN",
    "SgFinRecognizer": "SG",
    "SgUenRecognizer": "SG",
    "ItDriverLicenseRecognizer": "IT",
    "ItFiscalCodeRecognizer": "IT",
    "ItIdentityCardRecognizer": "IT",
    "ItPassportRecognizer": "IT",
    "ItVatCodeRecognizer": "IT",
    "EsNieRecognizer": "ES",
    "EsNifRecognizer": "ES",
    "EsPassportRecognizer": "ES",
    "PlPeselRecognizer": "PL",
    "FiPersonalIdentityCodeRecognizer": "FI",
    "KrBrnRecognizer": "KR",
    "KrDriverLicenseRecognizer": "KR",
    "KrFrnRecognizer": "KR",
    "KrPassportRecognizer": "KR",
    "KrRrnRecognizer": "KR",
    "ThTninRecognizer": "TH",
    "DeIdCardRecognizer": "DE",
    "DePassportRecognizer": "DE",
    "DeTaxIdRecognizer": "DE",
    "DeSocialSecurityRecognizer": "DE",
    "DeHealthInsuranceRecognizer": "DE",
    "DeBsnrRecognizer": "DE",
    "DeFuehrerscheinRecognizer": "DE",
    "DeHandelsregisterRecognizer": "DE",
    "DeKfzRecognizer": "DE",
    "DeLanrRecognizer": "DE",
    "DePlzRecognizer": "DE",
    "DeTaxNumberRecognizer": "DE",
    "DeVatIdRecognizer": "DE",
    "SePersonnummerRecognizer": "SE",
    "SeOrganisationsnummerRecognizer": "SE",
    "TrNationalIdRecognizer": "TR",
    "TrLicensePlateRecognizer": "TR",
    "NgNinRecognizer": "NG",
    "NgVehicleRegistrationRecognizer": "NG",
    "PhTinRecognizer": "PH",
    "PhPassportRecognizer": "PH",
    "PhUmidRecognizer": "PH",
    "ZaIdNumberRecognizer": "ZA",
    "ZaPassportRecognizer": "ZA",
    "ZaIncomeTaxNumberRecognizer": "ZA",
    "ZaCompanyRegistrationRecognizer": "ZA",
    "ZaDriverLicenseRecognizer": "ZA",
    "ZaLicensePlateRecognizer": "ZA",
    "ZaTrafficRegisterNumberRecognizer": "ZA",
    "ZaVatNumberRecognizer": "ZA",
}

# Recognizers whose checksum is written as `invalidate_result` only (Luhn for a SIN, modulo 11
# for a Philippine TIN): its "not invalid" is their "valid".
_CHECKSUM_AS_INVALIDATE = frozenset(("CaSinRecognizer", "PhTinRecognizer"))
# Ordinary words a pattern must not match once its lookarounds are gone.
_PLAIN_WORDS = ("background", "information", "Everything")
_WINDOW = 48  # characters either side in which a widened candidate is confirmed


@dataclass(frozen=True, slots=True)
class Rule:
    """One Presidio pattern, runnable by RE2. `confirm` is set when the RE2 form is wider than
    the original (a lookaround or back-reference was dropped)."""

    entity: str
    country: str | None
    score: float
    pattern: str  # RE2 source, flags inlined
    confirm: Any  # a compiled `regex` pattern, or None
    context: tuple[str, ...]
    validate: Callable[[str], bool | None]
    invalidate: Callable[[str], bool | None]
    checked: bool  # the recognizer has a checksum or format check of its own

    def confirmed(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The original regex's span over `[start, end)`, looked for in a bounded window."""
        if self.confirm is None:
            return start, end
        lo = max(0, start - _WINDOW)
        window = text[lo : min(len(text), end + _WINDOW)]
        for m in self.confirm.finditer(window):
            s, e = m.start() + lo, m.end() + lo
            if s < end and start < e and e > s:
                return s, e
        return None


def to_re2(pattern: str) -> tuple[str, bool]:
    """`pattern` with lookarounds dropped, atomic groups made plain and back-references replaced
    by the group they repeat; and whether anything was changed (the result is then wider)."""
    out: list[str] = []
    groups: list[str] = []  # source of each capturing group, by number - 1
    stack: list[tuple[int, bool]] = []  # (start in out, capturing)
    changed = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt.isdigit() and nxt != "0":
                number = int(nxt)
                out.append(f"(?:{groups[number - 1]})" if number <= len(groups) else "")
                changed = True
            else:
                out.append(pattern[i : i + 2])
            i += 2
        elif c == "[":
            j = _class_end(pattern, i)
            out.append(pattern[i:j])
            i = j
        elif c == "(":
            for opener in ("(?<=", "(?<!", "(?=", "(?!"):
                if pattern.startswith(opener, i):
                    i = _group_end(pattern, i)
                    changed = True
                    break
            else:
                if pattern.startswith("(?>", i):
                    out.append("(?:")
                    stack.append((len(out), False))
                    changed = True
                    i += 3
                    continue
                capturing = not pattern.startswith("(?", i) or pattern.startswith("(?P<", i)
                stack.append((len(out), capturing))
                out.append(c)
                i += 1
        elif c == ")":
            start, capturing = stack.pop() if stack else (len(out), False)
            out.append(c)
            if capturing:
                groups.append("".join(out[start + 1 : -1]))
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out), changed


def _class_end(pattern: str, i: int) -> int:
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(pattern, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def load_rules(regions: tuple[str, ...]) -> list[Rule]:
    """Every pattern of every listed recognizer whose country is among `regions`, and the
    identifiers Presidio lacks that python-stdnum checks (`_stdnum_ids`)."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import PatternRecognizer, predefined_recognizers

    wanted = set(regions)
    rules: list[Rule] = []
    with _unvalidated_patterns():
        for cls_name, country in RECOGNIZERS.items():
            _add_rules(rules, predefined_recognizers, PatternRecognizer, cls_name, country, wanted)
    from datamin.redactors._stdnum_ids import stdnum_rules

    return rules + stdnum_rules(wanted)


@contextlib.contextmanager
def _unvalidated_patterns() -> Iterator[None]:
    """Presidio compiles every pattern with `regex` as it builds a recognizer, to validate it
    (0.4 s of a worker's start); only the sources are read here, and RE2 compiles them."""
    from presidio_analyzer import pattern

    validate = pattern.Pattern._Pattern__validate_regex  # type: ignore[attr-defined]
    pattern.Pattern._Pattern__validate_regex = staticmethod(lambda _: None)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        pattern.Pattern._Pattern__validate_regex = staticmethod(validate)  # type: ignore[attr-defined]


def _add_rules(
    rules: list[Rule],
    predefined_recognizers: Any,
    pattern_recognizer: Any,
    cls_name: str,
    country: str | None,
    wanted: set[str],
) -> None:
    """One recognizer's patterns as rules, when its country is wanted and Presidio has it."""
    if country is not None and country not in wanted:
        return
    cls = getattr(predefined_recognizers, cls_name, None)
    if cls is None:  # not in this Presidio release
        return
    recognizer = cls()
    entity = recognizer.supported_entities[0]
    flags = recognizer.global_regex_flags or 0
    inline = "".join(
        f for f, bit in (("i", regex.IGNORECASE), ("m", regex.MULTILINE)) if flags & bit
    )
    context = tuple(w.lower() for w in recognizer.context or ())
    checked = cls.validate_result is not pattern_recognizer.validate_result
    validate = _quiet(recognizer.validate_result)
    invalidate = _quiet(recognizer.invalidate_result)
    if cls_name in _CHECKSUM_AS_INVALIDATE:
        checked, validate = True, _negated(invalidate)
    for p in recognizer.patterns:
        source, widened = to_re2(p.regex)
        full = f"(?{inline}){source}" if inline else source
        try:
            compiled = quiet_re2.compile(full)
        except re2.error:
            continue
        if widened and any(compiled.search(w) for w in _PLAIN_WORDS):
            continue  # without its lookarounds it matches any word: no shape left
        confirm = regex.compile(p.regex, flags) if widened else None
        rules.append(
            Rule(
                entity,
                country,
                float(p.score),
                full,
                confirm,
                context,
                validate,
                invalidate,
                checked,
            )
        )


def _quiet(check: Callable[[str], Any]) -> Callable[[str], bool | None]:
    """A checksum that answers None instead of raising (some raise on odd input)."""

    def run(value: str) -> bool | None:
        with contextlib.suppress(Exception):
            result = check(value)
            return None if result is None else bool(result)
        return None

    return run


def _negated(invalidate: Callable[[str], bool | None]) -> Callable[[str], bool | None]:
    def run(value: str) -> bool | None:
        result = invalidate(value)
        return None if result is None else not result

    return run
