"""Identifiers in structured fields under `redact_only`, from sources `bench_structured_ids`
does not use: a second, dev-only corpus built at run time.

- Values: Faker's locale providers (MIT; `pip install 'datamin[eval]'`), seeded, every locale
  that has a provider of its own: its phone numbers and MSISDNs as the locale writes them,
  social security and identity numbers (CPF, CURP, RUT, NIE, PESEL, SNILS, Aadhaar, birth
  numbers...), tax ids (ITIN, EIN, RFC, PAN, NIP, CUIT), VAT numbers, passports, IBANs,
  BBANs and other account numbers (CLABE), ABA routing numbers, and card numbers of each
  brand Faker knows. Faker is the generator, not a data set: nothing is copied from it.
- Placements: the property names and nesting of Vonage, Okta, Lithic, Plaid, Modern
  Treasury, GoCardless, Checkout.com and Braintree (`benchmarks._structured_more_shapes` says
  where each came from and its licence), in JSON bodies, forms, query strings and JSON
  records of their own; each value twice, under two shapes of its kind.
- Look-alikes under the same sources' names (delivery receipts' timestamps and network codes,
  counts, last digits, types, references, amounts, BICs, postcodes) must come out intact.

Leaks and look-alikes are judged as `bench_structured_ids` judges them. There is no frozen
half: this corpus is for finding gaps, so list what it finds.

    python -m benchmarks.bench_structured_ids_more [--seed N] [--show N] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import logging
import pkgutil
import random
import sys
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import phonenumbers

from benchmarks._structured_more_shapes import LOOKALIKE_SHAPES, LOOKALIKE_VALUES, SHAPES
from benchmarks._structured_shapes import CC, NSN, TYPE, Shape, V
from benchmarks._structured_values import Planted
from benchmarks.bench_structured_ids import Case, _slots, measure, record

SEED = 20261208
PLACEMENTS = 2

# Faker methods of a locale's own providers that make a person's or a business's number:
# (category, the shapes' tag, the type a record names it by). Methods a locale lacks are
# skipped.
_ID_METHODS: dict[str, tuple[str, str, str]] = {
    "ssn": ("NATIONAL_ID", "national", "national_id"),
    "aadhaar_id": ("NATIONAL_ID", "national", "in_aadhaar"),
    "dni": ("NATIONAL_ID", "national", "ar_dni"),
    "cuil": ("NATIONAL_ID", "national", "ar_cuil"),
    "person_rut": ("NATIONAL_ID", "national", "cl_rut"),
    "nuip": ("NATIONAL_ID", "national", "co_nuip"),
    "natural_person_nit": ("TAX_ID", "tax", "co_nit"),
    "nie": ("NATIONAL_ID", "national", "es_nie"),
    "nif": ("TAX_ID", "tax", "es_nif"),
    "nuss": ("NATIONAL_ID", "national", "es_nuss"),
    "curp": ("NATIONAL_ID", "national", "mx_curp"),
    "rfc": ("TAX_ID", "tax", "mx_rfc"),
    "elector_code": ("NATIONAL_ID", "national", "mx_elector"),
    "cedula": ("NATIONAL_ID", "national", "ve_cedula"),
    "cpf": ("NATIONAL_ID", "national", "br_cpf"),
    "rg": ("NATIONAL_ID", "national", "br_rg"),
    "birth_number": ("NATIONAL_ID", "national", "birth_number"),
    "kvnr": ("NATIONAL_ID", "national", "de_kvnr"),
    "rvnr": ("NATIONAL_ID", "national", "de_rvnr"),
    "pesel": ("NATIONAL_ID", "national", "pl_pesel"),
    "identity_card_number": ("NATIONAL_ID", "national", "pl_id_card"),
    "nip": ("TAX_ID", "tax", "pl_nip"),
    "snils": ("NATIONAL_ID", "national", "ru_snils"),
    "individuals_inn": ("TAX_ID", "tax", "ru_inn"),
    "police_id": ("NATIONAL_ID", "national", "gr_police_id"),
    "tin": ("TAX_ID", "tax", "tin"),
    "sss": ("NATIONAL_ID", "national", "ph_sss"),
    "umid": ("NATIONAL_ID", "national", "ph_umid"),
    "philhealth": ("NATIONAL_ID", "national", "ph_philhealth"),
    "cie": ("NATIONAL_ID", "national", "it_cie"),
    "itin": ("TAX_ID", "tax", "us_itin"),
    "ein": ("TAX_ID", "tax", "us_ein"),
    "pan": ("TAX_ID", "tax", "in_pan"),
    "cuit": ("TAX_ID", "tax", "ar_cuit"),
    "vat_id": ("VAT", "vat", "eu_vat"),
    "passport_number": ("PASSPORT", "passport", "passport"),
}
_CARD_TYPES = (
    "visa16", "visa13", "visa19", "mastercard", "amex", "discover", "diners", "jcb15", "jcb16",
    "maestro",
)  # fmt: skip


def _own_locales(package: str) -> set[str]:
    """The locales that have a provider of their own in `faker.providers.<package>`."""
    from faker.config import AVAILABLE_LOCALES

    pk = importlib.import_module(f"faker.providers.{package}")
    return {m.name for m in pkgutil.iter_modules(pk.__path__)} & set(AVAILABLE_LOCALES)


def _own_methods(package: str, locale: str) -> set[str]:
    base = set(dir(importlib.import_module(f"faker.providers.{package}").Provider))
    mod = importlib.import_module(f"faker.providers.{package}.{locale}")
    return {m for m in dir(mod.Provider) if m not in base or m in ("ssn", "vat_id")}


def values(seed: int) -> Iterator[Planted]:
    """Every value the corpus plants, the same for one seed (Faker seeded per locale)."""
    from faker import Faker

    logging.getLogger("faker").setLevel(logging.ERROR)  # en_PH's accounts warn as they are made

    def fake(locale: str) -> Any:
        f = Faker(locale)
        f.seed_instance(f"{seed}:{locale}")
        return f

    for locale in sorted(_own_locales("phone_number")):
        f = fake(locale)
        region = locale.split("_")[-1]
        # The Philippines' providers name their numbers by kind (`mobile_number`, ...).
        make = getattr(f, "phone_number", None) or f.mobile_number
        for i in range(3):
            if phone := _phone(make(), locale, region, f"phone_number#{i}"):
                yield phone
        msisdn = getattr(importlib.import_module(f"faker.providers.phone_number.{locale}")
                         .Provider, "msisdn_formats", None)  # fmt: skip
        if msisdn and (phone := _phone(f.msisdn(), locale, region, "msisdn")):
            yield phone
    for package in ("ssn", "person", "company", "passport"):
        for locale in sorted(_own_locales(package)):
            f = fake(locale)
            for method in sorted(_own_methods(package, locale) & _ID_METHODS.keys()):
                category, tag, typ = _ID_METHODS[method]
                value = str(getattr(f, method)())
                yield Planted(category, f"{locale}:{method}", tag, {V: value}, (value,), typ)
    for locale in sorted(_own_locales("bank")):
        f = fake(locale)
        iban = f.iban()
        yield Planted("IBAN", locale, "compact", {V: iban}, (iban,), "iban")
        grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        yield Planted("IBAN", locale, "grouped", {V: grouped}, (iban,), "iban")
        bban = f.bban()
        yield Planted("BANK_ACCOUNT", locale, "bban", {V: bban}, (bban,), "other")
        for method in ("clabe", "checking_account"):
            if hasattr(f, method):
                v = getattr(f, method)()
                yield Planted("BANK_ACCOUNT", f"{locale}:{method}", "account", {V: v}, (v,))
    f = fake("en_US")
    for _ in range(8):
        aba = f.aba()
        yield Planted("ROUTING", "aba", "routing", {V: aba}, (aba,), "aba")
    for card_type in _CARD_TYPES:
        number = f.credit_card_number(card_type=card_type)
        yield Planted("CARD", card_type, "plain", {V: number}, (number,), "pan")
        if len(number) == 16:
            spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))
            yield Planted("CARD", card_type, "grouped", {V: spaced}, (number,), "pan")


def _phone(text: str, locale: str, region: str, method: str) -> Planted | None:
    """A locale's number as Faker writes it, and its parts where libphonenumber can split it;
    None for a service's short number (`998`, `1281`), which is nobody's."""
    if sum(c.isdigit() for c in text) < 7:
        return None
    parts = {V: text}
    try:
        n = phonenumbers.parse(text, region)
        if phonenumbers.is_possible_number(n):
            parts[CC] = str(n.country_code)
            parts[NSN] = phonenumbers.national_significant_number(n)
    except phonenumbers.NumberParseException:
        pass
    return Planted("PHONE", f"{locale}:{method}", "phone", parts, (text,), "phone_number")


_TAGS = {
    "PHONE": ("phone",), "CARD": ("card",), "IBAN": ("iban",), "BANK_ACCOUNT": ("account",),
    "ROUTING": ("routing",), "NATIONAL_ID": ("national", "any"), "TAX_ID": ("tax", "any"),
    "VAT": ("vat",), "PASSPORT": ("passport", "any"),
}  # fmt: skip


def _shapes_for(p: Planted) -> list[Shape]:
    shapes = [s for tags, s in SHAPES if set(tags) & set(_TAGS[p.category])]
    if NSN not in p.parts:
        shapes = [s for s in shapes if NSN not in _slots(s.template)]
    return shapes


def cases(seed: int = SEED) -> list[Case]:
    rng = random.Random(seed)
    out = []
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        # Some providers print a notice or warn of a deprecated locale as they make a value.
        warnings.simplefilter("ignore")
        planted = list(values(seed))
    for p in planted:
        shapes = _shapes_for(p)
        for shape in rng.sample(shapes, min(PLACEMENTS, len(shapes))):
            parts = {**p.parts, TYPE: p.typ or "other"}
            placed = p
            if NSN in _slots(shape.template):
                placed = Planted(p.category, p.detail, "split", p.parts, (p.parts[NSN],), p.typ)
            out.append(Case(placed, None, shape, record(shape, parts)))
    for kind, shape in LOOKALIKE_SHAPES:
        for value in LOOKALIKE_VALUES[kind]:
            out.append(Case(None, (kind, value), shape, record(shape, {V: value})))
    return out


def run(seed: int = SEED) -> list[dict[str, Any]]:
    return measure(cases(seed), lambda c: {"shape": c.shape.name, "source": c.shape.source})


def report(results: list[dict[str, Any]], show: int) -> str:
    planted = [r for r in results if r["kind"] == "planted"]
    looks = [r for r in results if r["kind"] == "lookalike"]
    lines = [
        f"== dev (more sources): {len(planted)} values, {len(looks)} look-alikes, "
        f"{len({r['shape'] for r in results})} shapes",
        f"{'category':<16} {'values':>7} {'leaked':>7} {'share':>7}",
    ]
    by: dict[str, list[bool]] = defaultdict(list)
    for r in planted:
        by[r["category"]].append(r["leaked"])
    for cat in sorted(by):
        n, k = len(by[cat]), sum(by[cat])
        lines.append(f"{cat:<16} {n:>7} {k:>7} {100 * k / n:>6.1f}%")
    k = sum(r["leaked"] for r in planted)
    lines.append(f"{'= all':<16} {len(planted):>7} {k:>7} {100 * k / max(1, len(planted)):>6.1f}%")
    by_source = Counter(r["source"] for r in planted if r["leaked"])
    lines.append("leaks by source: " + ", ".join(f"{s} {n}" for s, n in by_source.most_common()))
    lines.append(f"look-alikes changed: {sum(r['changed'] for r in looks)} of {len(looks)}")
    if show:
        lines.append("leaks (shape, detail, value):")
        lines += [f"  {r['shape']}  {r['detail']}  {r['value']!r}" for r in planted if r["leaked"]][
            :show
        ]
        lines.append("changed look-alikes:")
        lines += [f"  {r['shape']} {r['value']!r}" for r in looks if r["changed"]][:show]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, default=0, help="list this many leaks")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON here")
    args = parser.parse_args(argv)
    results = run(args.seed)
    print(report(results, args.show))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
