"""Identifiers Presidio's predefined recognizers do not cover, with python-stdnum's checks (a
maintained library of number formats): Brazil's CPF and CNPJ, Mexico's CURP and RFC, and a
phone's IMEI. Each is a `Rule` like those read from Presidio, so the national-id detector
treats them alike: context words in text, the field's own name, fail closed under that name."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from datamin.redactors._presidio_adapter import Rule, _quiet


def _check(module: str) -> Callable[[str], bool | None]:
    """stdnum's `is_valid` for `module`, imported on first use, answering None where it raises
    (as Presidio's checks are wrapped)."""
    found: list[Callable[[str], bool | None]] = []

    def validate(value: str) -> bool | None:
        if not found:
            found.append(_quiet(importlib.import_module(f"stdnum.{module}").is_valid))
        return found[0](value)

    return validate


def _none(_: str) -> bool | None:
    return None


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
    # An IMEI (15 digits) or IMEISV (16), bare or grouped 2-6-6-1 or 8-6-2.
    ("IMEI", None, 0.3, r"\b\d{2}[ \-]?\d{6}[ \-]?\d{6}[ \-]?\d{1,2}\b", ("imei",), "imei"),
)


def stdnum_rules(regions: set[str]) -> list[Rule]:
    """The rules of the countries in `regions` (and the country-less IMEI)."""
    return [
        Rule(entity, country, score, pattern, None, context, _check(module), _none, True)
        for entity, country, score, pattern, context, module in _SPECS
        if country is None or country in regions
    ]
