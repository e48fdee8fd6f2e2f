"""Date arithmetic that cannot fail on the dates an input or an output brings.

A partition's date comes from a record (`date=9999-12-15`), a run id or an audit record, and a
retention from a policy (`999999999d`); their sum can lie past the year 9999, where Python's
`datetime` raises `OverflowError`. Every end of retention is computed here and saturates
instead: a moment past the last one `datetime` holds is as good as never, and must compare as
such, so one far-off partition cannot stop a run's commit, a report, or the disposal of every
other partition of the output.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

LATEST = datetime.max.replace(tzinfo=UTC)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def saturating_add(start: date | datetime, length: timedelta) -> datetime:
    """`start + length` as an aware datetime (a date: its midnight, UTC); LATEST or EARLIEST
    where the sum is out of `datetime`'s range."""
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    elif start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    try:
        return start + length
    except OverflowError:
        return LATEST if length > timedelta(0) else EARLIEST


def saturating_day(start: date, length: timedelta) -> date:
    """`start + length` in whole days, as `date + timedelta` counts them (hours are ignored);
    `date.max` or `date.min` where the sum is out of range."""
    try:
        return start + length
    except OverflowError:
        return date.max if length > timedelta(0) else date.min
