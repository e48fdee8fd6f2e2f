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
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import re2
import regex

from datamin import quiet_re2
from datamin.redactors._re2_rewrite import to_re2

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


def load_rules(regions: tuple[str, ...]) -> list[Rule]:
    """Every pattern of every listed recognizer whose country is among `regions`, the
    identifiers Presidio lacks that python-stdnum checks (`_stdnum_ids`), and shapes Presidio
    reads only when valid, read whatever the check says (`_written_ids`). Read from the
    snapshot (`_presidio_snapshot`), so Presidio (and spaCy, which it imports) is imported
    only when a checksum is first asked for."""
    from datamin.redactors._presidio_snapshot import RECOGNIZER_ROWS
    from datamin.redactors._stdnum_ids import stdnum_rules
    from datamin.redactors._written_ids import written_rules

    wanted = set(regions)
    rules: list[Rule] = []
    for row in RECOGNIZER_ROWS:
        _add_rules(rules, row, wanted)
    return rules + stdnum_rules(wanted) + written_rules(wanted)


# A recognizer as the snapshot holds it: class, entity, its `global_regex_flags`, context
# words, whether it has a `validate_result` and an `invalidate_result` of its own, and its
# patterns (regex, score).
Row = tuple[str, str, int, tuple[str, ...], bool, bool, tuple[tuple[str, float], ...]]


def _add_rules(rules: list[Rule], row: Row, wanted: set[str]) -> None:
    """One recognizer's patterns as rules, when its country is wanted."""
    cls_name, entity, flags, context_words, validates, invalidates, patterns = row
    country = RECOGNIZERS[cls_name]
    if country is not None and country not in wanted:
        return
    inline = "".join(
        f for f, bit in (("i", regex.IGNORECASE), ("m", regex.MULTILINE)) if flags & bit
    )
    context = tuple(w.lower() for w in context_words)
    checked = validates
    validate = _Check(cls_name, "validate_result") if validates else no_check
    invalidate = _Check(cls_name, "invalidate_result") if invalidates else no_check
    if cls_name in _CHECKSUM_AS_INVALIDATE:
        checked, validate = True, _negated(invalidate)
    for pattern, score in patterns:
        source, widened = to_re2(pattern)
        full = f"(?{inline}){source}" if inline else source
        try:
            compiled = quiet_re2.compile(full)
        except re2.error:
            continue
        if widened and any(compiled.search(w) for w in _PLAIN_WORDS):
            continue  # without its lookarounds it matches any word: no shape left
        confirm = regex.compile(pattern, flags) if widened else None
        rules.append(
            Rule(entity, country, score, full, confirm, context, validate, invalidate, checked)
        )


class _Check:
    """A recognizer's own check (`validate_result` or `invalidate_result`), answering None
    where it raises. The recognizer is built from Presidio when first asked."""

    __slots__ = ("_bound", "cls_name", "method")

    def __init__(self, cls_name: str, method: str) -> None:
        self.cls_name = cls_name
        self.method = method
        self._bound: Callable[[str], Any] | None = None

    def __call__(self, value: str) -> bool | None:
        bound = self._bound
        if bound is None:
            bound = self._bound = getattr(_recognizer(self.cls_name), self.method)
        with contextlib.suppress(Exception):
            result = bound(value)
            return None if result is None else bool(result)
        return None


def _recognizer(cls_name: str) -> Any:
    """The recognizer of this class, built once per process."""
    found = _BUILT.get(cls_name)
    if found is not None:
        return found
    started = time.thread_time()
    try:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        from presidio_analyzer import predefined_recognizers

        with _unvalidated_patterns():
            found = _BUILT[cls_name] = getattr(predefined_recognizers, cls_name)()
        return found
    finally:
        _LOADING.seconds = loading_seconds() + time.thread_time() - started


_BUILT: dict[str, Any] = {}


# CPU seconds this thread spent building recognizers (the first importing Presidio, and with
# it spaCy): work done once per worker, which no record's time limit should pay for.
_LOADING = threading.local()


def loading_seconds() -> float:
    """This thread's seconds of building Presidio's recognizers so far."""
    return getattr(_LOADING, "seconds", 0.0)


def recognizers_built() -> int:
    """How many of Presidio's recognizers this process has built (each once)."""
    return len(_BUILT)


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


def snapshot_rows() -> list[Row]:
    """The rows of `_presidio_snapshot`, read from the installed presidio-analyzer: every
    recognizer of `RECOGNIZERS` this release has, in that order."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import PatternRecognizer, predefined_recognizers

    rows: list[Row] = []
    with _unvalidated_patterns():
        for cls_name in RECOGNIZERS:
            cls = getattr(predefined_recognizers, cls_name, None)
            if cls is None:  # not in this Presidio release
                continue
            recognizer = cls()
            rows.append(
                (
                    cls_name,
                    recognizer.supported_entities[0],
                    int(recognizer.global_regex_flags or 0),
                    tuple(recognizer.context or ()),
                    cls.validate_result is not PatternRecognizer.validate_result,
                    cls.invalidate_result is not PatternRecognizer.invalidate_result,
                    tuple((p.regex, float(p.score)) for p in recognizer.patterns),
                )
            )
    return rows


def snapshot_source() -> str:
    """The text of `_presidio_snapshot.py` for the installed presidio-analyzer."""
    from importlib.metadata import version

    lines = [
        '"""presidio-analyzer\'s predefined pattern recognizers as data: generated by',
        "`python -m datamin.redactors._presidio_adapter`, do not edit. `_presidio_adapter` reads",
        "it so that a worker need not import Presidio (and spaCy) to scan; a test fails when it",
        'no longer matches the installed release: run the module again then."""',
        "",
        "# fmt: off",
        "# ruff: noqa: E501, RUF001",
        f"PRESIDIO_VERSION = {version('presidio-analyzer')!r}",
        "RECOGNIZER_ROWS = (",
    ]
    for cls_name, entity, flags, context, validates, invalidates, patterns in snapshot_rows():
        head = (cls_name, entity, flags, context, validates, invalidates)
        lines.append(f"    ({', '.join(repr(v) for v in head)}, (")
        lines += [f"        ({p!r}, {score!r})," for p, score in patterns]
        lines.append("    )),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def _quiet(check: Callable[[str], Any]) -> Callable[[str], bool | None]:
    """A checksum that answers None instead of raising (some raise on odd input)."""

    def run(value: str) -> bool | None:
        with contextlib.suppress(Exception):
            result = check(value)
            return None if result is None else bool(result)
        return None

    return run


def no_check(_value: str) -> None:
    """A check that has nothing to say (a recognizer without one, or one too weak to count)."""
    return None


def _negated(invalidate: Callable[[str], bool | None]) -> Callable[[str], bool | None]:
    def run(value: str) -> bool | None:
        result = invalidate(value)
        return None if result is None else not result

    return run


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("_presidio_snapshot.py").write_text(snapshot_source(), "utf-8")
