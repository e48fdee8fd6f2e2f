"""The snapshot of Presidio's pattern recognizers is what the installed presidio-analyzer
holds, and the checks read lazily from it answer as the recognizers do."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from datamin.redactors import _presidio_adapter as adapter
from datamin.redactors._presidio_snapshot import PRESIDIO_VERSION, RECOGNIZER_ROWS


def test_the_snapshot_is_the_installed_presidios() -> None:
    """Fails after presidio-analyzer changes: `python -m datamin.redactors._presidio_adapter`
    writes the snapshot anew (then read the difference: new patterns are new detections)."""
    written = Path(adapter.__file__).with_name("_presidio_snapshot.py").read_text("utf-8")
    assert written == adapter.snapshot_source()


def test_every_listed_recognizer_this_release_has_is_in_the_snapshot() -> None:
    from importlib.metadata import version

    from presidio_analyzer import predefined_recognizers

    assert version("presidio-analyzer") == PRESIDIO_VERSION
    present = [n for n in adapter.RECOGNIZERS if hasattr(predefined_recognizers, n)]
    assert [row[0] for row in RECOGNIZER_ROWS] == present


def _values(rng: random.Random) -> list[str]:
    digits = ["".join(rng.choice("0123456789") for _ in range(n)) for n in range(5, 14)]
    mixed = [
        "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(n))
        for n in (7, 9, 11)
    ]
    return [*digits, *mixed, "", "x", "911-70-1234", "AB123456C", "943 476 5919"]


@pytest.mark.parametrize("row", RECOGNIZER_ROWS, ids=lambda row: row[0])
def test_a_lazy_check_answers_as_its_recognizer(row: adapter.Row) -> None:
    from presidio_analyzer import predefined_recognizers

    name, _, _, _, validates, invalidates, _ = row
    recognizer = getattr(predefined_recognizers, name)()
    rng = random.Random(name)
    for method, own in (("validate_result", validates), ("invalidate_result", invalidates)):
        check = adapter._Check(name, method) if own else adapter.no_check
        for value in _values(rng) * 3:
            try:
                expected = getattr(recognizer, method)(value)
                expected = None if expected is None else bool(expected)
            except Exception:  # a check that raises answers None
                expected = None
            assert check(value) == expected, (method, value)
