"""policy check's warnings: a threshold no detector reaches makes its entity undetectable."""

from __future__ import annotations

from pathlib import Path

import pytest

from datamin.policies.lint import threshold_warnings
from datamin.policies.loader import load_policy
from datamin.redactors.registry import NER_SCORES, score_ceilings

POLICY = """\
version: 1
name: t
retention: {{default: a, classes: {{a: 7d}}}}
detection:
  ner: {ner}
  min_score: {min_score}
  thresholds: {thresholds}
  patterns: [{{entity: ORDER_NO, regex: 'ORD-[0-9]+', score: 0.6}}]
fields: []
"""


def warnings(tmp_path: Path, *, ner: bool = True, min_score: float = 0.5, **thresholds: float):
    path = tmp_path / "p.yaml"
    path.write_text(
        POLICY.format(ner=str(ner).lower(), min_score=min_score, thresholds=thresholds or {})
    )
    return {w.key: w.message for w in threshold_warnings(load_policy(path).policy)}


def test_ceilings_cover_every_entity_a_family_reports() -> None:
    from importlib import import_module

    from datamin.redactors.registry import FAMILIES

    ceilings = score_ceilings()
    for spec in FAMILIES:
        module, _, cls = spec.partition(":")
        for entity in getattr(import_module(module), cls).entities:
            assert 0 < ceilings[entity] <= 1.0, entity


def test_reachable_thresholds_warn_of_nothing(tmp_path: Path) -> None:
    ceilings = score_ceilings()
    assert warnings(tmp_path, EMAIL_ADDRESS=ceilings["EMAIL_ADDRESS"], ORDER_NO=0.6) == {}


def test_a_threshold_above_every_score_is_named(tmp_path: Path) -> None:
    found = warnings(tmp_path, ORDER_NO=0.7)
    assert set(found) == {"detection.thresholds.ORDER_NO"}
    assert "0.6" in found["detection.thresholds.ORDER_NO"]


def test_min_score_above_an_entity_names_it(tmp_path: Path) -> None:
    found = warnings(tmp_path, min_score=0.65)
    assert "ORDER_NO" in found["detection.min_score"]


def test_a_threshold_only_ner_reaches_is_dead_without_ner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Say NER scores PERSON higher than any structured family does.
    monkeypatch.setattr("datamin.redactors.registry.NER_SCORES", {"PERSON": (0.99,)})
    assert score_ceilings(ner=False)["PERSON"] < 0.99
    assert warnings(tmp_path, ner=True, PERSON=0.99) == {}
    assert "detection.thresholds.PERSON" in warnings(tmp_path, ner=False, PERSON=0.99)


def test_every_ner_entity_has_a_ceiling_with_ner() -> None:
    for entity, scores in NER_SCORES.items():
        assert score_ceilings()[entity] >= max(scores)


def test_stated_scores_are_the_ceiling(tmp_path: Path) -> None:
    # E-mail addresses are scored 0.95 by the patterns family: 0.99 can never be met.
    assert score_ceilings()["EMAIL_ADDRESS"] == 0.95
    assert "detection.thresholds.EMAIL_ADDRESS" in warnings(tmp_path, EMAIL_ADDRESS=0.99)


def test_policy_check_prints_warnings_and_passes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from datamin.cli.app import app

    path = tmp_path / "p.yaml"
    path.write_text(POLICY.format(ner="true", min_score=0.5, thresholds={"ORDER_NO": 0.95}))
    result = CliRunner().invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 0
    assert "detection.thresholds.ORDER_NO: warning" in result.output


def test_bundled_policies_and_examples_have_no_dead_threshold() -> None:
    from datamin.policies import bundled_policies

    for path in bundled_policies():
        assert threshold_warnings(load_policy(path).policy) == [], path.name
