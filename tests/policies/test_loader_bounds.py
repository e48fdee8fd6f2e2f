"""A policy file over a resource bound is refused in one line, before it becomes Python objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from datamin.errors import PolicyError
from datamin.policies import loader
from datamin.policies.loader import check_policy, load_policy

HEAD = "version: 1\nname: t\nretention:\n  default: a\n  classes: {a: 7d}\n"


def laughs(levels: int = 9, refs: int = 9) -> str:
    """Nested anchors: `levels` x `refs` aliases that expand to refs**levels strings."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * refs)}]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * refs)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_by_its_node_count(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs())
    with pytest.raises(loader.PolicyTooLarge) as caught:
        load_policy(path)
    assert str(caught.value) == f"{path}: more than 100,000 YAML nodes"
    # `policy check` raises it too (exit 2), rather than listing it among a policy's problems.
    with pytest.raises(loader.PolicyTooLarge):
        check_policy(path)


def test_too_many_aliases(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    refs = ", ".join(["*x"] * 65)  # 65 aliases of a one-node anchor: few nodes, many aliases
    path.write_text(HEAD + f"anchor: &x s3cr3t-value\nmany: [{refs}]\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "more than 64 YAML aliases" in str(caught.value)
    assert "s3cr3t" not in str(caught.value)


def test_aliases_within_the_bound_still_load(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "version: 1\nname: t\nretention:\n  default: a\n  classes: &c {a: 7d}\n"
        "sources:\n  har:\n    retention: {default: a, classes: *c}\n"
    )
    errors = [e for e in check_policy(path) if isinstance(e, loader.PolicyTooLarge)]
    assert errors == []


def test_too_many_nodes_without_aliases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_NODES", 50)
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + "many: [" + ", ".join(str(i) for i in range(60)) + "]\n")
    with pytest.raises(loader.PolicyTooLarge, match="more than 50 YAML nodes"):
        load_policy(path)


def test_a_file_over_the_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + "# " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(loader.PolicyTooLarge, match="policy larger than 1024 KiB"):
        load_policy(path)


def test_deep_nesting_is_one_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + "deep: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(PolicyError):
        load_policy(path)


def test_an_extended_file_is_bounded_too(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(laughs(5, 12))
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + "extends: base.yaml\n")
    with pytest.raises(PolicyError, match=r"base\.yaml: more than"):
        load_policy(path)


@pytest.mark.parametrize("command", [["policy", "check"], ["run", "-i", "x", "-o", "y", "-p"]])
def test_the_cli_says_one_line_and_exits_2(tmp_path: Path, command: list[str]) -> None:
    """`run` loads the policy before anything else: no pipeline starts for a hostile policy."""
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs())
    done = subprocess.run(
        [sys.executable, "-m", "datamin.cli.app", *command, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "YAML nodes" in done.stderr
    assert not (tmp_path / "y").exists()


def test_a_yaml_error_does_not_quote_the_policy(tmp_path: Path) -> None:
    """The parser's message quotes what it stumbled on, which can be a value the policy names."""
    path = tmp_path / "p.yaml"
    path.write_text("version: 1\nname: *ana.souza.secret\n")
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert "ana.souza" not in str(raised.value) and "invalid YAML" in str(raised.value)
