"""`datamin policy init`: a draft policy from a sample that `policy check` accepts, that keeps the
operational columns, pseudonymizes who, drops credentials and the rest, and never writes or
prints a value of the sample (the draft, the table and the messages are scanned for every
planted value)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.cli.policy_init import EXAMPLE
from datamin.leakscan import needles_for, scan_text, scan_tree
from datamin.policies.authoring.draft import draft_policy, propose, table_text
from datamin.policies.authoring.profile import PathProfile, SampleProfile
from datamin.policies.loader import check_policy, policy_warnings
from datamin.sample import generate_sample

CASES = Path(__file__).parents[1] / "pipelines" / "cases"
runner = CliRunner()


@dataclass(frozen=True)
class Drafted:
    input: Path
    needles: list[tuple[str, str]]
    policy: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Drafted:
    """`policy init` once over the demo sample, as a user runs it."""
    root = tmp_path_factory.mktemp("init")
    manifest = generate_sample(root / "input", seed=7)
    policy = root / "draft.yaml"
    sample = str(root / "input" / "*" / "*")
    result = runner.invoke(app, ["policy", "init", "--from-sample", sample, "-o", str(policy)])
    assert result.exit_code == 0, result.exit_code
    return Drafted(
        root / "input", needles_for(manifest.planted), policy, result.stdout, result.stderr
    )


def rules(policy: Path) -> dict[str, dict[str, object]]:
    return {r["path"]: r for r in yaml.safe_load(policy.read_text())["fields"]}


def test_the_draft_passes_policy_check_and_holds_no_planted_value(drafted: Drafted) -> None:
    assert [str(e) for e in check_policy(drafted.policy)] == []
    assert policy_warnings(drafted.policy) == []
    result = runner.invoke(app, ["policy", "check", str(drafted.policy)])
    assert result.exit_code == 0 and "ok" in result.stdout
    for text in (drafted.policy.read_text(), drafted.stdout, drafted.stderr):
        assert scan_text(text, drafted.needles) == []


def test_the_draft_keeps_operations_pseudonymizes_who_and_drops_the_rest(drafted: Drafted) -> None:
    r = rules(drafted.policy)
    assert r["request.method"] == {
        "path": "request.method", "action": "keep", "column": "method", "retention": "analytics"
    }  # fmt: skip
    assert r["request.path"]["kind"] == "url_path" and r["request.path"]["column"] == "route"
    assert r["response.status"]["column"] == "status" and r["response.status"]["type"] == "int64"
    assert r["started_at"]["timestamp_to"] == "hour"
    assert r["request.headers.x-forwarded-for"]["kind"] == "ip"
    # who: keyed pseudonyms in the short class, with the entity detection found
    for path, entity in [
        ("from", "PHONE_NUMBER"),
        ("request.body.customer.email", "EMAIL_ADDRESS"),
    ]:
        assert r[path]["action"] == "pseudonymize" and r[path]["entity"] == entity
        assert r[path]["retention"] == "debug"
    assert r["request.jwt.sub"]["action"] == "pseudonymize"
    assert r["account_sid"]["action"] == "pseudonymize"  # an account's id: who, no credential
    # credentials by what was found in them or by name; sensitive values and free text dropped
    for path in [
        "request.headers.authorization", "request.cookies.session", "request.form.password",
        "request.headers.x-api-key", "request.body.payment.card_number",
        "request.body.ssn", "request.body.dob", "request.body.customer.name", "body",
        "request.body.notes", "request.headers.user-agent",
    ]:  # fmt: skip
        assert r[path]["action"] == "drop", path
    doc = yaml.safe_load(drafted.policy.read_text())
    assert doc["default_action"] == "drop"
    assert doc["retention"]["classes"] == {"debug": "7d", "analytics": "90d"}
    assert doc["event_time"][0] == "started_at"


def test_every_rule_has_its_counts_types_and_entities_above_it(drafted: Drafted) -> None:
    lines = drafted.policy.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - {path: ")]
    assert len(starts) == len(rules(drafted.policy)) > 100
    for i in starts:
        assert lines[i - 1].startswith("  # ") and " in " in lines[i - 1], lines[i]
    at = {lines[i].split(",")[0].removeprefix("  - {path: "): lines[i - 1] for i in starts}
    authorization = at["request.headers.authorization"]
    assert re.fullmatch(r"  # \d+ values in \d+ records \(har\); string; .*", authorization)
    assert "BEARER_TOKEN" in authorization and "JWT" in authorization
    assert re.fullmatch(r"  # (\d+) values .*\(messages\); string; PHONE_NUMBER \1", at["from"])


def test_the_table_lists_every_path_with_its_action(drafted: Drafted) -> None:
    header, *rows = drafted.stdout.splitlines()
    assert header.split() == ["path", "count", "types", "entities", "proposed"]
    assert len(rows) == len(rules(drafted.policy))
    by_path = {row.split()[0]: row for row in rows}
    assert by_path["request.method"].endswith("keep -> method (analytics)")
    assert by_path["request.headers.authorization"].endswith("drop (credential)")
    assert "wrote " in drafted.stderr and len(drafted.stderr.strip().splitlines()) == 1


def test_a_run_with_the_draft_leaks_nothing_and_keeps_method_route_status(
    drafted: Drafted, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["run", "-i", str(drafted.input / "*" / "*"), "-o", str(out), "-p", str(drafted.policy),
         "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.exit_code
    assert scan_tree(out, drafted.needles) == []
    analytics = list(out.glob("data/retention=analytics/date=*/*.parquet"))
    assert analytics
    table = pq.read_table(analytics[0])
    assert {"method", "route", "status", "hour"} <= set(table.column_names)
    debug = pq.read_table(next(out.glob("data/retention=debug/date=*/*.parquet")))
    assert "client_network" in debug.column_names


def test_an_existing_output_is_refused_unless_forced(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("mine\n")
    args = ["policy", "init", "--from-sample", str(CASES / "traffic.har"), "-o", str(policy)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--force" in result.stderr
    assert policy.read_text() == "mine\n"
    result = runner.invoke(app, [*args, "--force", "--quiet"])
    assert result.exit_code == 0 and result.output == ""
    assert check_policy(policy) == []


@pytest.mark.parametrize(
    ("sample", "said"),
    [("no/*.har", "no input matches"), (str(CASES / "empty.jsonl"), "nothing")],
    ids=["no match", "no field"],
)
def test_a_sample_to_draft_nothing_from_is_one_line_and_exit_2(
    tmp_path: Path, sample: str, said: str
) -> None:
    target = tmp_path / "policy.yaml"
    result = runner.invoke(
        app, ["policy", "init", "--from-sample", str(tmp_path / sample), "-o", str(target)]
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr
    assert not target.exists()


def test_the_example_is_a_short_command_line() -> None:
    assert EXAMPLE.startswith("datamin policy init --from-sample ") and len(EXAMPLE) <= 76
    result = runner.invoke(app, ["policy", "init", "--help"])
    assert result.exit_code == 0 and "--from-sample" in result.output


# -- the proposals, on profiles made by hand -----------------------------------------------------


def path(
    name: str, values: int = 10, types: dict[str, int] | None = None, **entities: int
) -> PathProfile:
    return PathProfile(
        name, values, values, Counter({"json": values}), Counter(types or {"string": values}),
        Counter(entities),
    )  # fmt: skip


def decided(*paths: PathProfile) -> dict[str, tuple[str, dict[str, object]]]:
    profile = SampleProfile(10, Counter({"json": 10}), Counter(), paths, ner=False)
    return {x.profile.path: (x.group, x.rule) for x in propose(profile)}


@pytest.mark.parametrize(
    ("profile", "group", "action"),
    [
        # a credential found decides, whatever the name says
        (path("status", SECRET=1), "credential", "drop"),
        (path("request.headers.x-auth-token"), "credential", "drop"),  # by name alone
        (path("status"), "operational", "keep"),
        # an e-mail in most values is who; in prose it is free text; in a few values, sensitive
        (path("contact", EMAIL_ADDRESS=8), "identity", "pseudonymize"),
        (path("note", types={"text": 10}, EMAIL_ADDRESS=10), "free text", "drop"),
        (path("contact", EMAIL_ADDRESS=2), "sensitive", "drop"),
        (path("client_addr", IP_ADDRESS=10), "identity", "generalize"),
        (path("version", IP_ADDRESS=1), "sensitive", "drop"),  # a version read as an address
        (path("account_id", types={"int64": 10}), "identity", "pseudonymize"),
        (path("orderId"), "identity", "pseudonymize"),
        (path("paid"), "not needed", "drop"),  # ends in `id`, is not one
        (path("created_at", types={"timestamp": 10}), "operational", "generalize"),
        # a date alone generalized to the hour is the date: a birthday stays one
        (path("signup", types={"date": 10}), "not needed", "drop"),
        (path("birthday", types={"timestamp": 10}), "sensitive", "drop"),
        (path("duration", types={"float64": 5, "int64": 5}), "operational", "keep"),
        (path("request.body.status"), "not needed", "drop"),  # payloads are not operations
        (path("response.body.*.name"), "pattern", "drop"),  # a key that was not a name
    ],
)
def test_each_path_is_decided_by_name_types_and_findings(
    profile: PathProfile, group: str, action: str
) -> None:
    got_group, rule = decided(profile)[profile.path]
    assert (got_group, rule["action"]) == (group, action)


def test_columns_are_unique_and_the_exchange_keeps_its_names() -> None:
    got = decided(
        path("status"),
        path("response.status", types={"int64": 10}),
        path("a.id"),
        path("b.id"),
        path("c.id"),
    )
    assert got["response.status"][1]["column"] == "status"
    assert got["status"][1]["column"] == "json_status"
    columns = [r["column"] for _, r in got.values()]
    assert len(set(columns)) == len(columns)


def test_odd_paths_are_quoted_and_patterns_come_last(tmp_path: Path) -> None:
    paths = (
        path("response.body.*.email", EMAIL_ADDRESS=10),
        path("response.body.*"),
        path("items[].on"),
        path("null"),
        path("response.body.user.email", EMAIL_ADDRESS=10),
    )
    profile = SampleProfile(10, Counter({"json": 10}), Counter(), paths, ner=False)
    draft = draft_policy(profile, "Odd Name!")
    target = tmp_path / "odd.yaml"
    target.write_text(draft.text)
    assert check_policy(target) == []
    doc = yaml.safe_load(draft.text)
    assert doc["name"] == "odd_name"
    listed = [r["path"] for r in doc["fields"]]
    assert set(listed) == {p.path for p in paths}
    assert listed[-2:] == ["response.body.*.email", "response.body.*"]
    assert "response.body.*" in table_text(draft.proposals)
