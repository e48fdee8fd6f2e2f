"""`policy check` on a cases file checks it as cases (its structure, and that the policy it is
for loads) rather than as a policy, so a glob of a policy directory checks clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.policies import BUNDLED_DIR, bundled
from datamin.policies.authoring.cases import SUFFIX, is_cases_file, load_cases

runner = CliRunner()
CASE = "cases:\n  - name: one\n    record: {a: x}\n    expect: {outcome: written}\n"


def check(*paths: Path) -> tuple[int, list[str], list[str]]:
    result = runner.invoke(app, ["policy", "check", *map(str, paths)])
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def test_a_glob_of_the_bundled_policies_checks_clean() -> None:
    files = sorted(BUNDLED_DIR.glob("*.yaml"))  # what `policies/*.yaml` expands to
    assert any(p.name.endswith(SUFFIX) for p in files)
    code, out, err = check(*files)
    assert (code, err) == (0, [])
    for path in files:
        if path.name.endswith(SUFFIX):
            n = len(load_cases(path)[0].cases)
            assert f"{path}: ok (cases file, {n} cases)" in out
        else:
            assert f"{path}: ok" in out


def test_a_mistake_in_a_cases_file_is_reported_as_cases(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(bundled("redact_only").read_text())
    path = tmp_path / f"p{SUFFIX}"
    path.write_text(CASE.replace("outcome: written", "outcom: written"))
    code, out, err = check(path)
    assert code == 1 and out == []
    assert err == [
        f"{path}:4: cases[0].expect.outcom: unknown key 'outcom' (did you mean 'outcome'?)"
    ]


def test_a_cases_file_without_cases_says_so(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(bundled("redact_only").read_text())
    path = tmp_path / f"p{SUFFIX}"
    path.write_text("cases: []\n")
    assert check(path) == (1, [], [f"{path}:1: cases: expected at least 1 item"])


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (None, "policy: no policy file 'p.yaml' beside these cases"),
        (
            "version: 1\nname: p\n",
            "policy: 'p.yaml' does not load (1 problem; datamin policy check",
        ),
    ],
)
def test_the_policy_the_cases_are_for_must_load(
    tmp_path: Path, policy: str | None, message: str
) -> None:
    if policy is not None:
        (tmp_path / "p.yaml").write_text(policy)
    path = tmp_path / f"p{SUFFIX}"
    path.write_text(CASE)
    code, _, err = check(path)
    assert code == 1 and len(err) == 1 and err[0].startswith(f"{path}:") and message in err[0]


def test_a_cases_file_is_known_by_its_content_too(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(bundled("redact_only").read_text())
    named = tmp_path / "regressions.yaml"
    named.write_text("policy: p.yaml\n" + CASE)
    assert is_cases_file(named) and not is_cases_file(tmp_path / "p.yaml")
    assert check(named) == (0, [f"{named}: ok (cases file, 1 case)"], [])
    # Without a `.cases.yaml` name, the file says which policy it is for.
    named.write_text(CASE)
    code, _, err = check(named)
    assert code == 1 and err == [
        f"{named}:1: name the policy these cases are for (policy: x.yaml), or the file x{SUFFIX}"
    ]
