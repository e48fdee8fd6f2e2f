"""Identifiers Presidio's predefined recognizers do not cover, with python-stdnum's checks (a
maintained library of number formats): Brazil's CPF and CNPJ, Mexico's CURP and RFC, a
phone's IMEI, a vehicle's VIN (a check of our own), and the personal numbers of France (NIR),
Belgium, Norway, Switzerland (AHV), China (resident identity card), the Netherlands (BSN),
Denmark (CPR), Czechia, Greece (AMKA), Argentina (CUIT/CUIL), Russia (INN), Austria, Israel,
Portugal (NIF), Japan (My Number), Chile (RUT), Malaysia (NRIC) and Indonesia (NIK). Each is a
`Rule` like those read from Presidio, so the national-id detector treats them alike: context
words in text, the field's own name, fail closed under that name."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from datamin.redactors._presidio_adapter import Rule, _quiet, no_check

# ISO 3779's transliteration of a VIN's letters and the weights of its positions (the check
# digit, ninth, weighs nothing): North America's check, which python-stdnum lacks.
_VIN_VALUES = dict(
    zip("ABCDEFGHJKLMNPRSTUVWXYZ", (*range(1, 9), *range(1, 6), 7, 9, *range(2, 10)), strict=True)
)
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _vin_check(value: str) -> bool | None:
    """True when a VIN's ninth character is its check digit; None otherwise, since VINs made
    outside North America need not carry one."""
    vin = value.upper()
    if len(vin) != 17:
        return None
    total = sum(
        (int(c) if c.isdigit() else _VIN_VALUES.get(c, 0)) * w
        for c, w in zip(vin, _VIN_WEIGHTS, strict=True)
    )
    digit = total % 11
    return True if vin[8] == ("X" if digit == 10 else str(digit)) else None


def _no_verdict(value: str) -> bool | None:
    return None


def _check(module: str) -> Callable[[str], bool | None]:
    """stdnum's `is_valid` for `module`, imported on first use, answering None where it raises
    (as Presidio's checks are wrapped); a check of our own where stdnum has none."""
    if module == "vin":
        return _vin_check
    if module == "":
        return _no_verdict
    found: list[Callable[[str], bool | None]] = []

    def validate(value: str) -> bool | None:
        if not found:
            found.append(_quiet(importlib.import_module(f"stdnum.{module}").is_valid))
        return found[0](value)

    return validate


# (entity, country, score, RE2 pattern, context words, stdnum module)
_SPECS: tuple[tuple[str, str | None, float, str, tuple[str, ...], str], ...] = (
    ("BR_CPF", "BR", 0.5, r"\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b", ("cpf",), "br.cpf"),
    (
        "BR_CNPJ",
        "BR",
        0.5,
        r"\b\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}\b",
        ("cnpj",),
        "br.cnpj",
    ),
    (
        "MX_CURP",
        "MX",
        0.6,
        r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{5}[0-9A-Z]\d\b",
        ("curp",),
        "mx.curp",
    ),
    ("MX_RFC", "MX", 0.4, r"\b[A-Z&Ñ]{3,4}\d{6}[A-Z0-9]{3}\b", ("rfc",), "mx.rfc"),
    # A vehicle's identification number (ISO 3779): 17 capitals and digits, never I, O or Q.
    (
        "VIN",
        None,
        0.3,
        r"\b[A-HJ-NPR-Z0-9]{17}\b",
        (
            "vin",
            "vehicle identification number",
            "chassis number",
            "fahrgestellnummer",
            "numéro de châssis",
            "número de chasis",
            "número de chassi",
            "telaio",
        ),
        "vin",
    ),
    # An Ethereum account (a wallet's, as every EVM chain writes one): `0x` and 40 hex digits,
    # a shape nothing else has (a transaction's hash has 64). Its mixed-case checksum needs
    # Keccak, which the standard library lacks: no check, the shape decides.
    ("CRYPTO", None, 0.9, r"\b0x[0-9a-fA-F]{40}\b", ("wallet", "ethereum", "eth"), ""),
    # A phone's advertising or vendor id (Apple's IDFA and IDFV, Google's GAID/AAID: a UUID;
    # Android's ANDROID_ID: 16 hex digits), which ad and analytics SDKs send with every event:
    # one handset's, so one person's. Named, or near its words; a UUID alone is any record's.
    (
        "DEVICE_ID",
        None,
        0.3,
        r"\b(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
        r"|[0-9a-f]{16})\b",
        (
            "idfa",
            "idfv",
            "gaid",
            "aaid",
            "adid",
            "advertising id",
            "advertising identifier",
            "android id",
            "ad id",
        ),
        "",
    ),
    # An IMEI (15 digits) or IMEISV (16), bare or grouped 2-6-6-1 or 8-6-2.
    ("IMEI", None, 0.3, r"\b\d{2}[ \-]?\d{6}[ \-]?\d{6}[ \-]?\d{1,2}\b", ("imei",), "imei"),
    # France's social security number: sex, year, month, department (Corsica's 2A, 2B), town,
    # order, and a key of two digits (mod 97): `1 84 12 76 451 089 46`.
    (
        "FR_NIR",
        "FR",
        0.5,
        r"\b[12378] ?\d{2} ?\d{2} ?(?:\d{2}|2[ABab]) ?\d{3} ?\d{3} ?\d{2}\b",
        ("nir", "insee", "sécurité sociale", "securite sociale", "sécu", "secu", "vitale"),
        "fr.nir",
    ),
    # Belgium's national register number: birth date, order and two check digits (mod 97).
    (
        "BE_NATIONAL_NUMBER",
        "BE",
        0.5,
        r"\b\d{2}\.?\d{2}\.?\d{2}[\- ]?\d{3}\.?\d{2}\b",
        ("rijksregisternummer", "rijksregister", "registre national", "numéro national", "insz"),
        "be.nn",
    ),
    # Norway's birth number: birth date, individual number, two check digits (mod 11).
    (
        "NO_FODSELSNUMMER",
        "NO",
        0.5,
        r"\b\d{6} ?\d{5}\b",
        ("fødselsnummer", "fodselsnummer", "personnummer", "fnr"),
        "no.fodselsnummer",
    ),
    # Switzerland's AHV/AVS number: 756, nine digits and an EAN-13 check digit.
    (
        "CH_AHV",
        "CH",
        0.5,
        r"\b756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}\b",
        ("ahv", "avs", "sozialversicherungsnummer", "numéro avs"),
        "ch.ssn",
    ),
    # China's resident identity card: region, birth date, order and an ISO 7064 check (or X).
    (
        "CN_RESIDENT_ID",
        "CN",
        0.5,
        r"\b\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b",
        ("身份证", "身份证号", "居民身份证", "resident identity", "id card"),
        "cn.ric",
    ),
    # The Netherlands' citizen service number: nine digits, the eleven test (one in eleven
    # random numbers passes it, so never alone).
    (
        "NL_BSN",
        "NL",
        0.3,
        r"\b\d{4}\.?\d{2}\.?\d{3}\b",
        ("bsn", "burgerservicenummer", "sofinummer", "sofi"),
        "nl.bsn",
    ),
    # Denmark's CPR number: birth date and a serial; its check digit is no longer required.
    (
        "DK_CPR",
        "DK",
        0.3,
        r"\b\d{6}-?\d{4}\b",
        ("cpr", "cpr-nummer", "cpr-nr", "personnummer"),
        "dk.cpr",
    ),
    # Czech birth number: birth date (women's month + 50), serial, the whole divisible by 11.
    (
        "CZ_BIRTH_NUMBER",
        "CZ",
        0.5,
        r"\b\d{2}[0-35-8]\d[0-3]\d/?\d{4}\b",
        ("rodné číslo", "rodne cislo", "rodného čísla", "birth number"),
        "cz.rc",
    ),
    # Greece's social security number: birth date, serial and a Luhn digit.
    ("GR_AMKA", "GR", 0.5, r"\b[0-3]\d[01]\d{3}\d{5}\b", ("αμκα", "amka"), "gr.amka"),
    # Argentina's tax and labour numbers: kind, the DNI, a mod-11 digit (`20-12345678-6`).
    (
        "AR_CUIT",
        "AR",
        0.5,
        r"\b(?:20|23|24|27|30|33|34)-?\d{8}-?\d\b",
        ("cuit", "cuil"),
        "ar.cuit",
    ),
    # Russia's taxpayer number of a person: twelve digits, two check digits.
    ("RU_INN", "RU", 0.5, r"\b\d{12}\b", ("инн", "inn", "налогоплательщика"), "ru.inn"),
    # Checks of one in ten or so: with their word or under their field only (`WEAK_CHECKS`).
    (
        "AT_SVNR",
        "AT",
        0.3,
        r"\b\d{4} ?\d{6}\b",
        ("sozialversicherungsnummer", "svnr", "sv-nummer", "versicherungsnummer"),
        "at.vnr",
    ),
    (
        "IL_ID",
        "IL",
        0.3,
        r"\b\d{9}\b",
        ("תעודת זהות", "ת.ז", "teudat zehut", "מספר זהות"),
        "il.idnr",
    ),
    ("PT_NIF", "PT", 0.3, r"\b\d{9}\b", ("nif", "contribuinte"), "pt.nif"),
    (
        "JP_MY_NUMBER",
        "JP",
        0.3,
        r"\b\d{4} ?\d{4} ?\d{4}\b",
        ("マイナンバー", "個人番号", "my number"),
        "jp.in_",
    ),
    ("CL_RUT", "CL", 0.3, r"\b\d{1,2}\.?\d{3}\.?\d{3}-?[\dkK]\b", ("rut", "run"), "cl.rut"),
    (
        "MY_NRIC",
        "MY",
        0.3,
        r"\b\d{6}-?\d{2}-?\d{4}\b",
        ("nric", "mykad", "kad pengenalan", "ic number"),
        "my.nric",
    ),
    ("ID_NIK", "ID", 0.3, r"\b\d{16}\b", ("nik", "ktp", "kependudukan"), "id.nik"),
)


def stdnum_rules(regions: set[str]) -> list[Rule]:
    """The rules of the countries in `regions` (and the country-less IMEI, VIN and Ethereum
    account)."""
    return [
        Rule(entity, country, score, pattern, None, context, _check(module), no_check, True)
        for entity, country, score, pattern, context, module in _SPECS
        if country is None or country in regions
    ]
