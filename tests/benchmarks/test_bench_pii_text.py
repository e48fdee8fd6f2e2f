"""The PII-text benchmark's scoring on sentences written here: address pieces joined, a street
line judged without its city, postcodes kept apart, names needing every letter covered. (The
presidio-research dataset itself is read from a mirror at run time.)"""

from __future__ import annotations

from benchmarks.bench_pii_text import Sentence, _joined, tally

TEXT = "Ship to Ana Dias\n28245 Puruntie 82 Apt. 595\nOULU\nFinland 62488"


def test_address_pieces_join_and_a_lone_number_is_a_postcode() -> None:
    pieces = [
        ("PERSON", 8, 16),
        ("STREET_ADDRESS", 17, 22),  # 28245
        ("STREET_ADDRESS", 23, 34),  # Puruntie 82
        ("STREET_ADDRESS", 35, 43),  # Apt. 595
        ("STREET_ADDRESS", 57, 62),  # 62488, after the country
    ]
    joined = sorted(_joined(TEXT, pieces), key=lambda s: s[1])
    assert [(e, TEXT[a:b]) for e, a, b in joined] == [
        ("PERSON", "Ana Dias"),
        ("STREET_ADDRESS", "28245 Puruntie 82 Apt. 595"),
        ("ZIP_CODE", "62488"),
    ]


def test_a_value_is_left_unless_every_letter_is_covered() -> None:
    spans = tuple(_joined(TEXT, [("PERSON", 8, 16), ("STREET_ADDRESS", 17, 43)]))
    sentence = Sentence(TEXT, spans, "dev")
    # The whole street line found, the name's first word only.
    t = tally([sentence], [[(8, 11), (17, 43)]])["dev"]
    assert (t.seen["PERSON"], t.left["PERSON"]) == (1, 1)
    assert (t.seen["STREET_ADDRESS"], t.left["STREET_ADDRESS"]) == (1, 0)
    # A street line without its house number is left.
    t = tally([sentence], [[(8, 16), (23, 43)]])["dev"]
    assert (t.left["PERSON"], t.left["STREET_ADDRESS"]) == (0, 1)
