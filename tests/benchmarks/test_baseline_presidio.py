"""The plain-Presidio baseline redacts every string leaf and counts what survives."""

from __future__ import annotations

import copy

import pytest

from benchmarks.baseline_presidio import main
from datamin.evaluation.presidio import (
    Engines,
    build_baseline,
    leaks_per_entity,
    redact_records_baseline,
)
from datamin.sample import iter_har_entries


@pytest.fixture(scope="module")
def engines() -> Engines:
    return build_baseline()


def test_every_string_leaf_is_analyzed_and_findings_replaced(engines: Engines) -> None:
    record = {
        "customer": {"email": "quinn.harlow55@mail.example.com", "qty": 3},
        # a list of dicts: analyze_dict itself refuses these, HAR is full of them
        "headers": [{"name": "X-Forwarded-For", "value": "203.0.113.145"}],
        "notes": ["reach me at quinn.harlow55@mail.example.com", ""],
    }
    before = copy.deepcopy(record)
    [out] = redact_records_baseline([record], engines)
    assert out == {
        "customer": {"email": "<EMAIL_ADDRESS>", "qty": 3},
        "headers": [{"name": "X-Forwarded-For", "value": "<IP_ADDRESS>"}],
        "notes": ["reach me at <EMAIL_ADDRESS>", ""],
    }
    assert record == before  # the input is not modified


def test_leak_counts_see_everything_an_identity_pipeline_leaves() -> None:
    pairs = list(iter_har_entries(7, 12))
    counts = leaks_per_entity([e for e, _ in pairs], [p for _, p in pairs])
    assert counts and all(leaked == planted > 0 for leaked, planted in counts.values())


def test_main_reports_throughput_and_leaks(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--entries", "2"])
    out = capsys.readouterr().out
    assert "records/s" in out and "EMAIL_ADDRESS" in out
