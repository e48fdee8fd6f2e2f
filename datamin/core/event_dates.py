"""The date a record is filed under (`data/retention=<class>/date=<day>/`), which decides when
it is disposed of: that day plus its class's duration.

A record's event date (the first of its kind's `event_time` paths that holds a timestamp) is
trusted up to the day after the run's date: a day's allowance for a clock running ahead, or a
time zone ahead of UTC. A later one is not: a record dated 2126 would outlive its retention by a
century, and one dated 9999 would never go. Such a record is filed under the run's date, as a
record without an event time is, and counted as `event_time_future` (a count, no value).

Filed, not quarantined: nothing is wrong with its content, only with its clock, and under the
run's date it is kept exactly as long as anything the run wrote today, no longer. Quarantine
would lose a whole device's records to a skewed clock while keeping their keyed hashes for the
default class anyway. The run's date is a batch run's start, a `datamin stream` batch's time,
or a Beam window's start.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from datamin.core.stats import Stats
from datamin.core.structure import Field
from datamin.dates import saturating_day
from datamin.timeparse import parse_timestamp

# How far past the run's date an event date is still trusted (whole days: a partition's unit).
FUTURE_ALLOWANCE = timedelta(days=1)


class EventDates:
    """Chooses each record's date for one run date."""

    def __init__(self, run_date: str) -> None:
        self.run_date = run_date
        # ISO dates of four-digit years compare as text, as the days they name.
        self.latest = saturating_day(date.fromisoformat(run_date), FUTURE_ALLOWANCE).isoformat()

    def choose(self, fields: Sequence[Field], wanted: Sequence[str], stats: Stats) -> str:
        """The record's event date if it is to be trusted, else the run's date (counted)."""
        for path in wanted:
            for f in fields:
                if f.path == path:
                    ts = parse_timestamp(f.value)
                    if ts is None:
                        continue
                    day = ts.date().isoformat()
                    if day > self.latest:
                        stats.event_time_future += 1
                        return self.run_date
                    return day
        stats.event_time_missing += 1
        return self.run_date
