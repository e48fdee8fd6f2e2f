"""A policy's cases in more than one file (`api_logs.gateways.cases.yaml` beside
`api_logs.cases.yaml`): each file found by `policy test`, run against the policy its name says,
and held to the same cap as the policy's own cases file."""

from __future__ import annotations

from pathlib import Path

import pytest

from datamin.policies import BUNDLED_DIR, bundled, bundled_policies
from datamin.policies.authoring.cases import SUFFIX, find_cases, load_cases

CASE = "cases:\n  - {name: a, record: {x: 1}, expect: {outcome: dropped}}\n"


@pytest.mark.parametrize(
    ("files", "cases_file", "policy"),
    [
        (["p.yaml"], "p.cases.yaml", "p.yaml"),
        (["p.yaml"], "p.gateways.cases.yaml", "p.yaml"),  # a further file of p's cases
        # a policy named with the whole stem wins: the name says that policy, not `p`
        (["p.yaml", "p.gateways.yaml"], "p.gateways.cases.yaml", "p.gateways.yaml"),
    ],
)
def test_a_cases_file_names_its_policy(
    tmp_path: Path, files: list[str], cases_file: str, policy: str
) -> None:
    for name in files:
        (tmp_path / name).write_text("version: 1\n")
    (tmp_path / cases_file).write_text(CASE)
    assert load_cases(tmp_path / cases_file)[1] == tmp_path / policy


def test_every_bundled_cases_file_is_a_bundled_policys_and_within_the_cap() -> None:
    policies = set(bundled_policies())
    files = find_cases([BUNDLED_DIR])
    assert BUNDLED_DIR / "api_logs.gateways.cases.yaml" in files
    for path in files:
        cases, policy = load_cases(path)
        assert policy in policies, path.name
        assert len(cases.cases) <= 12, path.name
    assert all(p.with_name(p.stem + SUFFIX) in files for p in policies)


@pytest.mark.parametrize(
    ("topic", "formats"),
    [
        (
            "gateways",
            (
                *("Kong", "AWS API Gateway", "Envoy", "nginx JSON", "Cloudflare"),
                *("execution log", "combined", "ALB", "Caddy", "Traefik"),
            ),
        ),
        ("cloud", ("Google Cloud Logging", "Application Gateway", "Front Door", "API Management")),
        (
            "textlogs",
            (
                "nginx `main`",
                "Traefik CLF",
                "Envoy default text",
                "ingress-nginx",
                "syslog relay",
                "Heroku router",
                "S3 server access",
            ),
        ),
    ],
)
def test_the_gateway_cases_cover_every_gateway_format_as_api_records(
    topic: str, formats: tuple[str, ...]
) -> None:
    cases, policy = load_cases(BUNDLED_DIR / f"api_logs.{topic}.cases.yaml")
    assert policy == bundled("api_logs")
    names = " ".join(c.name for c in cases.cases)
    for gateway in formats:
        assert gateway in names
    for case in cases.cases:
        assert case.expect.kind == "api" and case.expect.outcome == "written"
        for path in ("request.method", "request.path", "response.status"):
            assert not case.expect.fields[path].dropped, (case.name, path)
        assert case.expect.absent, case.name  # some credential must be absent
