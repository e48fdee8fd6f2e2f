"""Reversible tokens end to end: a run writes tokens keyed per (class, date), `datamin
reidentify` reads them back, and once disposal has deleted a period's key they are gone.

The values here are fresh fakes, not planted ones: `reidentify` prints values by design, and the
suite's leak scan holds every test's output to the planted values. Nothing reidentify prints is
written under an `out*` directory."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.errors import KeyConfigError
from datamin.leakscan import needles_for, scan_tree
from datamin.output.tokenkeys import TokenKeyStore, default_token_keys_path
from datamin.pipelines import batch
from datamin.policies.authoring.workbench import Workbench

runner = CliRunner()

POLICY = """\
version: 1
name: tokens
retention:
  default: short
  classes:
    short: 7d
    long: 30d
detection:
  ner: false
fields:
  - {path: customer_id, action: tokenize, column: customer}
  - {path: status, action: keep, column: status, retention: long}
"""

RECORDS = [
    {"timestamp": "2026-03-02T10:00:00Z", "customer_id": "cust-5551-test", "status": "open"},
    {"timestamp": "2026-03-02T11:30:00Z", "customer_id": "cust-5551-test", "status": "paid"},
    {"timestamp": "2026-03-02T12:00:00Z", "customer_id": "cust-5553-test", "status": "open"},
    {"timestamp": "2026-03-03T09:00:00Z", "customer_id": "cust-5552-test", "status": "open"},
]


class _Fake:
    def __init__(self, value: str) -> None:
        self.entity, self.value = "CUSTOMER_ID", value


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The policy, the input and a token key directory, all outside the output."""
    policy = tmp_path / "tokens.yaml"
    policy.write_text(POLICY)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return policy, source, tmp_path / "token-keys"


def tokens_by_day(out: Path) -> dict[str, list[str]]:
    table = ds.dataset(
        out / "data" / "retention=short", format="parquet", partitioning="hive"
    ).to_table()
    got: dict[str, list[str]] = {}
    for day, token in zip(
        table.column("date").to_pylist(), table.column("customer").to_pylist(), strict=True
    ):
        got.setdefault(str(day), []).append(token)
    return {day: sorted(tokens) for day, tokens in got.items()}


def reidentify(*args: str, stdin: str | None = None) -> tuple[int, list[str], str]:
    result = runner.invoke(app, ["reidentify", *args], input=stdin)
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_reidentify_works_before_disposal_and_not_after(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, source, token_keys = setup
    out = tmp_path / "out"
    run = runner.invoke(
        app,
        [
            "run",
            "-i",
            str(source),
            "-o",
            str(out),
            "-p",
            str(policy),
            "--token-keys",
            str(token_keys),
            "--no-progress",
        ],
    )
    assert run.exit_code == 0, run.output

    # the output holds tokens, never the values; the keys are beside it, not in it
    needles = needles_for([_Fake(r["customer_id"]) for r in RECORDS])
    assert scan_tree(out, needles) == []
    assert not list(out.rglob("*.key"))
    assert TokenKeyStore(token_keys).days("short") == ["2026-03-02", "2026-03-03"]
    assert TokenKeyStore(token_keys).days("long") == []  # nothing tokenized there

    tokens = tokens_by_day(out)
    assert [len(t) for t in tokens.values()] == [3, 1]
    # deterministic within a period: the same customer's two records join on the token
    counts = Counter(tokens["2026-03-02"]).most_common()
    assert [n for _, n in counts] == [2, 1]
    token = counts[0][0]
    [later] = tokens["2026-03-03"]
    assert token.startswith("tok_short_20260302_") and later.startswith("tok_short_20260303_")

    # before disposal: the key holder reads the values back
    code, lines, _ = reidentify(token, later, "--token-keys", str(token_keys))
    assert code == 0
    assert lines == [f"{token}\tcust-5551-test", f"{later}\tcust-5552-test"]

    # from a file (not under out*) and from standard input, one token a line, blanks skipped
    listed = tmp_path / "tokens.txt"
    listed.write_text(f"{token}\n\n{later}\n")
    assert reidentify("--from-file", str(listed), "--token-keys", str(token_keys))[1] == lines
    code, piped, _ = reidentify(
        "--from-file", "-", "--token-keys", str(token_keys), stdin=f"{token}\n"
    )
    assert (code, piped) == (0, lines[:1])

    # `datamin dispose` as of 2026-03-09 12:00: short/2026-03-02 (7d) has expired, so its
    # partition goes and its key is deleted; short/2026-03-03 stays until the 10th
    gone = runner.invoke(
        app,
        ["dispose", "-o", str(out), "--now", "2026-03-09T12:00Z", "--token-keys", str(token_keys)],
    )
    assert gone.exit_code == 0, gone.output
    assert "token keys deleted: 1" in gone.output and "verified: yes" in gone.output
    assert TokenKeyStore(token_keys).days("short") == ["2026-03-03"]
    assert not (out / "data" / "retention=short" / "date=2026-03-02").exists()
    code, lines, _ = reidentify(token, later, "--token-keys", str(token_keys))
    assert code == 1
    assert lines == [
        f"{token}\t(unrecoverable: key disposed)",
        f"{later}\tcust-5552-test",  # another period's key is untouched
    ]

    # a re-run over the same input makes a new key for that period: old tokens stay unreadable
    rerun = batch.run([str(source)], out, policy, token_keys=token_keys)
    assert rerun.audit["records_written"] == len(RECORDS)
    new_first = tokens_by_day(out)["2026-03-02"]
    assert token not in new_first
    code, lines, _ = reidentify(token, "--token-keys", str(token_keys))
    assert code == 1
    assert lines == [f"{token}\t(unrecoverable: no key of its period authenticates it)"]


def test_a_malformed_token_is_a_one_line_error_that_does_not_quote_it(
    setup: tuple[Path, Path, Path],
) -> None:
    _, _, token_keys = setup
    TokenKeyStore(token_keys).init()
    code, lines, err = reidentify(
        "tok_short_20260302_" + "A" * 24, "cust-5551-test", "--token-keys", str(token_keys)
    )
    assert code == 2 and lines == []
    assert err.strip().splitlines() == [
        "error: argument 2 is not a datamin token (prefix_class_yyyymmdd_base64url)"
    ]
    assert "cust-5551-test" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give tokens"),
        (["--from-file", "absent.txt"], "cannot read absent.txt"),
    ],
)
def test_reidentify_usage_errors(
    setup: tuple[Path, Path, Path], args: list[str], message: str
) -> None:
    _, _, token_keys = setup
    TokenKeyStore(token_keys).init()
    code, lines, err = reidentify(*args, "--token-keys", str(token_keys))
    assert code == 2 and lines == [] and message in err


def test_reidentify_refuses_a_key_directory_that_does_not_exist(tmp_path: Path) -> None:
    """A mistyped --token-keys must not read as "every key disposed"."""
    code, lines, err = reidentify(
        "tok_short_20260302_" + "A" * 24, "--token-keys", str(tmp_path / "typo")
    )
    assert code == 2 and lines == [] and "does not exist" in err


def test_token_keys_inside_the_output_are_refused(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, source, _ = setup
    out = tmp_path / "out"
    with pytest.raises(KeyConfigError, match="inside the output directory"):
        batch.run([str(source)], out, policy, token_keys=out / "keys")
    assert not (out / "keys").exists()


def test_worker_processes_share_one_key_per_period(
    setup: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Two worker processes meet the same periods: every token of one value in one period is
    the same, so exactly one key was used."""
    policy, _, token_keys = setup
    inputs = []
    for i in range(4):
        source = tmp_path / f"in-{i}.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS * 5))
        inputs.append(str(source))
    out = tmp_path / "out"
    batch.run(inputs, out, policy, token_keys=token_keys, workers=2)
    tokens = tokens_by_day(out)
    assert len(set(tokens["2026-03-02"])) == 2 and len(set(tokens["2026-03-03"])) == 1
    assert sorted(p.name for p in (token_keys / "short").iterdir()) == [
        "2026-03-02.key",
        "2026-03-03.key",
    ]


def test_explaining_a_tokenizing_policy_never_touches_the_token_keys(
    setup: tuple[Path, Path, Path],
) -> None:
    policy, _, _ = setup
    [explained] = Workbench(policy).explain_records([RECORDS[0]])
    assert explained.written is not None
    token = explained.written.rows["short"]["customer"]
    assert token.startswith("tok_short_20260302_")
    assert not default_token_keys_path().exists()
