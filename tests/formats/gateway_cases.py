"""What the gateway fixtures plant (`cases/gateway/README.md`), as leak-scan needles: the suite's
values (`tests/pipelines/cases/planted.json`) and the fixtures' own API key, plus any a test adds
(a text log's login); and one line of a text log as a run reads it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datamin.formats import record_fields
from datamin.formats.registry import record_kind_named
from datamin.leakscan import needles_for
from datamin.policies.model import Limits

CASES = Path(__file__).parent / "cases" / "gateway"
PLANTED = Path(__file__).parents[1] / "pipelines" / "cases" / "planted.json"
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
