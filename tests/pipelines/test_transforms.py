"""The composite transforms under Beam's TestPipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from datamin.core.config import RunConfig
from datamin.keys import KeySource
from datamin.pipelines.transforms import Minimize, ReadRecords
from datamin.policies import bundled
from datamin.policies.loader import load_policy

CASES = Path(__file__).parent / "cases"


def test_read_then_minimize_routes_every_record_once() -> None:
    files = [str(CASES / "traffic.har"), str(CASES / "bad-lines.jsonl"), str(CASES / "empty.jsonl")]
    with BeamTestPipeline() as p:
        records = p | ReadRecords(files, 1 << 20)
        config = RunConfig(
            load_policy(bundled("redact_only")), KeySource(env="DATAMIN_KEY"), date(2026, 11, 23)
        )
        out = records | Minimize(config)
        written = out.written | "WrittenKey" >> beam.Map(lambda w: (Path(w.source).name, w.index))
        quarantined = out.quarantine | "QuarantineKey" >> beam.Map(
            lambda q: (Path(q.source).name, q.index)
        )
        totals = (
            out.stats
            | "Totals"
            >> beam.Map(lambda s: (s.records_in, s.records_written, s.records_quarantined))
            | beam.CombineGlobally(
                lambda rows: tuple(map(sum, zip(*rows, strict=True))) if rows else (0, 0, 0)
            )
        )
        assert_that(
            written,
            equal_to(
                [
                    ("traffic.har", 1),
                    ("traffic.har", 2),
                    ("bad-lines.jsonl", 1),
                    ("bad-lines.jsonl", 5),
                ]
            ),
            label="written",
        )
        assert_that(
            quarantined,
            equal_to(
                [
                    ("bad-lines.jsonl", 2),
                    ("bad-lines.jsonl", 3),
                    ("bad-lines.jsonl", 4),
                    ("empty.jsonl", 0),
                ]
            ),
            label="quarantined",
        )
        assert_that(totals, equal_to([(8, 4, 4)]), label="totals")


def test_only_beams_worker_processes_stay_frozen_at_teardown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Beam SDK worker exits after teardown and skips the last walk over its heap; any other
    process (this one, the Python API's, a Dask worker) gets its collector back."""
    import importlib.machinery
    import sys
    import types

    from datamin.pipelines.transforms import WORKER_MAINS, _exits_after_pipeline

    assert not _exits_after_pipeline()
    for name in WORKER_MAINS:
        worker = types.ModuleType("__main__")
        worker.__spec__ = importlib.machinery.ModuleSpec(name, None)
        monkeypatch.setitem(sys.modules, "__main__", worker)
        assert _exits_after_pipeline()
