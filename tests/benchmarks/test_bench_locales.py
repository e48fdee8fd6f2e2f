"""The locale probe's fail-closed placements: Faker's identity numbers and phones of a few
locales, valid or not, leave nothing under a field that names them or in a sentence that says
what they are."""

from __future__ import annotations

from benchmarks.bench_locales import run


def test_named_fields_and_sentences_leave_no_faker_identity_or_phone() -> None:
    counts, left = run(["en_GB", "zh_TW", "hu_HU", "fr_FR"], 5)
    for kind in ("ssn", "phone"):
        for place in ("named", "text"):
            assert counts[kind, place, "values"] == 20
            assert counts[kind, place, "left"] == 0, sorted(
                (k, len(v)) for k, v in left.items() if k[:2] == (kind, place)
            )


def test_named_fields_leave_no_faker_passport_or_iban() -> None:
    """Under a field named for it, a passport or an IBAN of any locale's making goes, even from
    a country that has no IBAN (Faker makes `TH83...`)."""
    counts, left = run(["en_GB", "th_TH", "de_DE", "ja_JP"], 5)
    for kind in ("passport", "iban"):
        assert counts[kind, "named", "values"] == 20
        assert counts[kind, "named", "left"] == 0, left
