"""Identity numbers and phones of many locales, as Faker (MIT) makes them: which survive.

    python -m benchmarks.bench_locales [--per-locale 30] [--locales cs_CZ,ja_JP,...] [--show]

For each locale, Faker's `ssn()` (a national identity or tax number: a French NIR, a Czech
birth number, a Taiwanese id...), `phone_number()`, `passport_number()`, `iban()` and
`license_plate()` are read by datamin's structured detection (`redact_only`'s score threshold,
no NER) in three placements:

- named: under a field that says what it holds (`customer.national_id`, `customer.phone`);
- text: in a sentence that says it (`Hi, my ID number is ..., thanks`, `my phone is ...`);
- neutral: a value on its own under a field that says nothing (`data.value`).

A value survives when any of its letters or digits is left uncovered. Named and text are where
fail-closed rules apply and the target is none; neutral is where a value counts alone only by a
check that few random numbers pass, so many survive by design (order numbers share the shapes).
Faker's values are often invalid (unissued prefixes, failing check digits): that is the point.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

LOCALES = (
    "cs_CZ ro_RO hu_HU el_GR he_IL ja_JP zh_TW ko_KR th_TH vi_VN id_ID ar_SA ru_RU uk_UA pt_PT "
    "es_AR es_CL es_CO nl_BE de_AT de_CH fr_CH sv_SE no_NO da_DK fi_FI pl_PL tr_TR en_IN en_PH "
    "en_NZ en_IE it_IT zh_CN fr_FR de_DE es_ES es_MX pt_BR en_GB en_US en_CA en_AU"
).split()
MIN_SCORE = 0.5  # redact_only's threshold
PLACES = ("named", "text", "neutral")
# Faker's method for each kind, the field that names it, and a sentence that says it.
METHODS = {
    "ssn": "ssn",
    "phone": "phone_number",
    "passport": "passport_number",
    "iban": "iban",
    "plate": "license_plate",
}
KEYS = {
    "ssn": "customer.national_id",
    "phone": "customer.phone",
    "passport": "traveler.passport_number",
    "iban": "payout.iban",
    "plate": "vehicle.license_plate",
}
SENTENCES = {
    "ssn": "Hi, my ID number is {}, thanks",
    "phone": "Hi, my phone is {}, thanks",
    "passport": "Hi, my passport number is {}, thanks",
    "iban": "Hi, my IBAN is {}, thanks",
    "plate": "Hi, my license plate is {}, thanks",
}


def survives(engine: object, text: str, start: int, end: int, path: str, kind: object) -> bool:
    from datamin.redactors.context import FieldContext

    found = [f for f in engine.detect(text, FieldContext.of(path, kind)) if f.score >= MIN_SCORE]
    covered = {i for f in found for i in range(f.start, f.end)}
    return any(text[i].isalnum() and i not in covered for i in range(start, end))


def values(locale: str, n: int) -> dict[str, list[str]]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(7)
    out: dict[str, list[str]] = {}
    for kind, method in METHODS.items():
        make = getattr(fake, method, None)
        if make is not None:
            out[kind] = [make() for _ in range(n)]
    return out


def run(locales: list[str], n: int) -> tuple[Counter[tuple[str, str, str]], dict]:
    from datamin.redactors.context import FieldKind
    from datamin.redactors.engine import DetectionEngine

    engine = DetectionEngine(ner_model=None)
    counts: Counter[tuple[str, str, str]] = Counter()
    left: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for locale in locales:
        for kind, made in values(locale, n).items():
            for value in made:
                sentence = SENTENCES[kind].format(value)
                start = sentence.index(value)
                cases = {
                    "named": (value, 0, len(value), KEYS[kind], FieldKind.JSON),
                    "text": (sentence, start, start + len(value), "body", FieldKind.TEXT),
                    "neutral": (value, 0, len(value), "data.value", FieldKind.JSON),
                }
                for place, (text, s, e, path, field_kind) in cases.items():
                    counts[kind, place, "values"] += 1
                    if survives(engine, text, s, e, path, field_kind):
                        counts[kind, place, "left"] += 1
                        left[kind, place, locale].append(value)
    return counts, left


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-locale", type=int, default=30)
    parser.add_argument("--locales", default=",".join(LOCALES))
    parser.add_argument("--show", action="store_true", help="print what survives (Faker's)")
    args = parser.parse_args(argv)
    locales = [loc for loc in args.locales.split(",") if loc]
    counts, left = run(locales, args.per_locale)
    print(f"{len(locales)} locales, {args.per_locale} values each; left = not wholly covered")
    print(f"{'':10}{'place':10}{'values':>8}{'left':>8}{'share':>9}")
    rates = {}
    for kind in METHODS:
        for place in PLACES:
            total, kept = counts[kind, place, "values"], counts[kind, place, "left"]
            rate = kept / total if total else 0.0
            rates[f"{kind}/{place}"] = rate
            print(f"{kind:10}{place:10}{total:>8}{kept:>8}{rate:>9.1%}")
    if args.show:
        for (kind, place, locale), vs in sorted(left.items()):
            print(f"  {kind} {place} {locale}: {len(vs)}, e.g. {vs[:3]}")
    return rates


if __name__ == "__main__":
    main()
