"""The Presidio-tables benchmark's tally: positives caught, negatives spared, and with a
Presidio verdict, the negatives plain Presidio spares that datamin spares too. Synthetic cases:
the real tables are read from a mirror at run time, which the suite does not need."""

from __future__ import annotations

from benchmarks.bench_presidio_tables import Case, run

PHONE = "call me on +1 415 555 0132 today"


def test_negatives_are_counted_against_what_plain_presidio_spares() -> None:
    cases = [
        Case("PHONE_NUMBER", "t.py", PHONE, 1, ((11, 26),)),
        Case("PHONE_NUMBER", "t.py", PHONE, 0, ()),  # a "negative" datamin changes
        Case("PHONE_NUMBER", "t.py", "nothing to see here", 0, ()),
        Case("PHONE_NUMBER", "t.py", "order 12345678 shipped", 0, ()),
        Case("PHONE_NUMBER", "t.py", "ring +1 415 555 0132", 0, ()),  # Presidio spares it
    ]
    said_by_presidio = {PHONE, "order 12345678 shipped"}
    tally = run(cases, presidio=lambda text: text in said_by_presidio)["PHONE_NUMBER"]
    assert (tally.positives, tally.caught) == (1, 1)
    assert (tally.negatives, tally.spared) == (4, 2)
    # Presidio spares two; datamin spares "nothing to see here" and changes the number.
    assert (tally.presidio_spared, tally.also_spared) == (2, 1)
    assert run(cases)["PHONE_NUMBER"].presidio_spared == 0  # no verdict asked for
