"""What the gateway fixtures plant (`cases/gateway/README.md`), as leak-scan needles: the suite's
values (`tests/pipelines/cases/planted.json`) and the fixtures' own API key, plus any a test adds
(a text log's login)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from datamin.leakscan import needles_for

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
