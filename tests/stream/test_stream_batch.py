"""A stream batch sets aside the rows already past their class's retention; a row whose end of
retention lies past the year 9999 is kept, not an OverflowError that fails the batch."""

from __future__ import annotations

from collections import Counter
from datetime import date

from datamin.core.minimize import Written
from datamin.core.stats import Stats
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.stream.batch import _unexpired
from tests.stream.conftest import POLICY  # classes short: 7d, long: 30d


def test_rows_past_retention_are_set_aside_and_far_off_ends_saturate() -> None:
    policy = CompiledPolicy(load_policy(POLICY), KeyRing(b"s" * 32))
    rows = {"short": {"body": "b"}, "long": {"n": 1}}
    written = [
        Written("s", 1, "a", "2026-11-20", dict(rows)),  # short is past (7d), long is not
        Written("s", 2, "b", "2026-12-07", dict(rows)),
        Written("s", 3, "c", "9999-12-30", dict(rows)),  # an end past datetime.max: kept
    ]
    stats = Stats(records_in=3, records_written=3, rows=Counter(short=3, long=3))
    kept, expired = _unexpired(policy, written, stats, date(2026, 12, 7))
    assert expired == 1 and [(w.index, sorted(w.rows)) for w in kept] == [
        (1, ["long"]),
        (2, ["long", "short"]),
        (3, ["long", "short"]),
    ]
    assert stats.rows == Counter(short=2, long=3) and stats.balanced()
