"""Gateway shapes datamin has no reader for (Apigee) and variants of those it has
(Kong's Cookie headers as a list, an ALB's OAuth callback), each where a gateway review found a
planted value kept (`cases/gateway/unlisted/README.md`): nothing planted survives `redact_only`
or `api_logs`, and every record is accounted for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from datamin.leakscan import scan_tree
from datamin.pipelines import batch
from datamin.policies import bundled
from tests.formats.gateway_cases import CASES, Planted, needles

UNLISTED = CASES / "unlisted"
OAUTH_CODE = Planted("SECRET", "Q7mZp2LxR9vT4kWc8NbY3sHd6FgJ")  # `alb_oauth.log`'s code


def _without_ner(name: str, folder: Path) -> Path:
    doc = yaml.safe_load(bundled(name).read_text())
    doc["detection"] = {**doc.get("detection", {}), "ner": False}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.mark.parametrize("policy", ["redact_only", "api_logs"])
def test_nothing_planted_in_unlisted_gateway_shapes_survives(policy: str, tmp_path: Path) -> None:
    inputs = sorted(str(p) for p in UNLISTED.iterdir() if p.suffix in (".jsonl", ".log"))
    out = tmp_path / "out"
    audit = batch.run(inputs, out, _without_ner(policy, tmp_path)).audit
    assert audit["records_in"] == 3 and audit["records_quarantined"] == 0
    assert audit["balanced"]
    assert scan_tree(out, needles(OAUTH_CODE)) == []
