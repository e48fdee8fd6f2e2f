"""The policy examples in the docs are real: every YAML block in README.md and
policies/README.md is checked as a policy (or, for a cases block, as a cases file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from datamin.policies.authoring.cases import CasesFile, load_cases
from datamin.policies.loader import check_policy, policy_warnings

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "policies" / "README.md"]


def yaml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in DOCS:
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.S)):
            blocks.append((f"{doc.relative_to(ROOT)}#{i}", block))
    return blocks


def test_the_docs_have_examples() -> None:
    assert len(yaml_blocks()) >= 4


@pytest.mark.parametrize(("where", "block"), yaml_blocks(), ids=[w for w, _ in yaml_blocks()])
def test_every_yaml_example_is_valid(tmp_path: Path, where: str, block: str) -> None:
    if "cases:" in block:
        path = tmp_path / "x.cases.yaml"
        path.write_text(block)
        (tmp_path / "x.yaml").write_text("")  # the policy is not what this block shows
        cases, _ = load_cases(path)
        assert isinstance(cases, CasesFile)
        return
    path = tmp_path / "p.yaml"
    path.write_text(block)
    assert yaml.safe_load(block)["version"] == 1
    assert [str(e) for e in check_policy(path)] == []
    # Honest examples: no threshold above what the detectors score.
    assert policy_warnings(path) == []
