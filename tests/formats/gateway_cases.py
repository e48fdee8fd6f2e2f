"""What the gateway fixtures plant (`cases/gateway/README.md`), as leak-scan needles: the suite's
values (`tests/pipelines/cases/planted.json`) and the fixtures' own API key, plus any a test adds
(a text log's login); one line of a text log as a run reads it; and the suite's JSON records of
every shape, for the tests that a reader claims no other's."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from datamin.formats import record_fields
from datamin.formats.registry import record_kind_named
from datamin.leakscan import needles_for
from datamin.policies.model import Limits

CASES = Path(__file__).parent / "cases" / "gateway"
PIPELINE_CASES = Path(__file__).parents[1] / "pipelines" / "cases"
PLANTED = PIPELINE_CASES / "planted.json"
API_KEY = "gwk_live_7Qx9PlantedApiKey4411"  # the fixtures' own credential, beside planted.json's


@dataclass(frozen=True)
class Planted:
    entity: str
    value: str


def needles(*extra: Planted) -> list[tuple[str, str]]:
    planted = [Planted(p["entity"], p["value"]) for p in json.loads(PLANTED.read_text())]
    return needles_for([*planted, Planted("API_KEY", API_KEY), *extra])


def parsed_line(line: bytes | str) -> tuple[Any, Any]:
    """The api record kind and a text or JSON line it parsed."""
    kind = record_kind_named("api")
    assert kind is not None
    return kind, kind.parse(line.encode() if isinstance(line, str) else line)


def line_fields(line: bytes | str) -> dict[str, Any]:
    """A line's fields by path, as a run reads them; the line must be a readable record."""
    kind, record = parsed_line(line)
    assert kind.problem(record) is None
    return {f.path: f.value for f in record_fields(record, Limits(), kind)}


def record_paths(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON record's fields by path, as a run walks them."""
    return {f.path: f.value for f in record_fields(record, Limits())}


def check_summaries(name: str, rows: list[tuple[Any, ...]]) -> None:
    """Each record of a fixture gives its row's method, host, route, status, latency (ms) and
    hour; None where the format logs no such thing."""
    records = jsonl_records(CASES / name)
    assert len(records) == len(rows)
    for record, (method, host, path, status, ms, hour) in zip(records, rows, strict=True):
        fields = record_paths(record)
        assert fields["request.method"] == method
        assert fields.get("request.host") == host
        assert fields["request.path"] == path
        assert fields.get("response.status") == status
        assert fields.get("time") == (pytest.approx(ms) if ms is not None else None)
        assert fields["started_at"][11:13] == f"{hour:02d}"


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def other_records(mine: Collection[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every JSON record of the suite's shapes but those of the files named `mine`: the gateway
    fixtures (and the Azure wrapper's records), the unlisted shapes, the messages corpus and
    HAR entries, each with its file's name."""
    out = []
    for path in sorted([*CASES.glob("*.jsonl"), *(CASES / "unlisted").glob("*.jsonl")]):
        if path.name not in mine:
            out += [(path.name, r) for r in jsonl_records(path)]
    wrapped = json.loads((CASES / "azure_records.json").read_text())["records"]
    out += [("azure_records.json", r) for r in wrapped]
    out += [("messages.jsonl", r) for r in jsonl_records(PIPELINE_CASES / "messages.jsonl")]
    har = json.loads((PIPELINE_CASES / "traffic.har").read_text())
    out += [("traffic.har", e) for e in har["log"]["entries"]]
    return out
