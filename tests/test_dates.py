"""Ends of retention saturate: a partition dated near the year 9999 or a class kept for
999999999 days gives a moment that compares as never, not an OverflowError that stops a run's
commit, a report, or the disposal of every other partition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from datamin.dates import EARLIEST, LATEST, saturating_add, saturating_day
from datamin.timeparse import parse_timestamp

LONGEST = timedelta(days=999_999_999)  # the longest duration a policy can declare


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        # In range: the plain sum, a date counted from its midnight in UTC.
        (date(2020, 1, 1), timedelta(days=30), datetime(2020, 1, 31, tzinfo=UTC)),
        (datetime(2020, 1, 1, 12), timedelta(hours=12), datetime(2020, 1, 2, tzinfo=UTC)),
        # `date=9999-12-15` kept 30 days, any date kept the longest: past datetime.max.
        (date(9999, 12, 15), timedelta(days=30), LATEST),
        (date(2020, 1, 1), LONGEST, LATEST),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), timedelta(0), None),
        # Backwards (`compact --older-than` from now): before datetime.min.
        (datetime(2026, 1, 1, tzinfo=UTC), -LONGEST, EARLIEST),
    ],
)
def test_saturating_add(start: date, length: timedelta, expected: datetime | None) -> None:
    got = saturating_add(start, length)
    assert got == (expected if expected is not None else start)
    assert got.tzinfo is not None  # comparable with `now`, which is aware


def test_a_saturated_end_is_never_before_any_now() -> None:
    ends = [
        saturating_add(date(9999, 12, 15), timedelta(days=30)),
        saturating_add(date.min, LONGEST),
    ]
    assert all(not end < datetime(9999, 12, 31, 23, 59, tzinfo=UTC) for end in ends)


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (date(2020, 1, 1), timedelta(days=7), date(2020, 1, 8)),
        (date(2020, 1, 1), timedelta(hours=12), date(2020, 1, 1)),  # as `date + timedelta`
        (date(9999, 12, 15), timedelta(days=30), date.max),
        (date(2020, 1, 1), -LONGEST, date.min),
    ],
)
def test_saturating_day(start: date, length: timedelta, expected: date) -> None:
    assert saturating_day(start, length) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Valid ISO 8601 whose UTC time is outside datetime's range: no event time, not a crash.
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:30:00+01:00",
        "Fri, 31 Dec 9999 23:59:59 -0100",
    ],
)
def test_a_timestamp_with_no_utc_date_is_no_timestamp(text: str) -> None:
    assert parse_timestamp(text) is None


def test_timestamps_at_the_edges_of_the_range_still_read() -> None:
    assert parse_timestamp("9999-12-31T23:00:00+05:00") == datetime(9999, 12, 31, 18, tzinfo=UTC)
    assert parse_timestamp("9999-12-15T00:00:00Z") == datetime(9999, 12, 15, tzinfo=UTC)
