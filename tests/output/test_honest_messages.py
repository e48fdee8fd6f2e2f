"""Messages that say what happened: a dry run says "would" for all it lists; `reidentify` tells
apart an output without a token key store, a key the store never had and a key the output's
disposals deleted; and a policy that never tokenizes leaves no store, in a run or a stream.

As in tests/output/test_output_identity.py the customer ids are fresh fakes (reidentify prints
values by design), and nothing it prints is written under an `out*` directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.output.keystores import recorded_output
from datamin.output.reidentify import disposed_keys
from datamin.output.tokenkeys import TokenKeyStore, token_keys_root
from datamin.pipelines import batch
from datamin.stream import StreamSettings, stream
from tests.output.test_output_identity import cli, id_of, tokens
from tests.pipelines.test_reidentify import POLICY  # tokenize customer_id, keep status

runner = CliRunner()

PLAIN = POLICY.replace("action: tokenize, column: customer", "action: drop")
RECORDS = [
    {"timestamp": "2026-03-02T10:00:00Z", "customer_id": "cust-8101-test", "status": "open"},
    {"timestamp": "2026-03-03T09:00:00Z", "customer_id": "cust-8102-test", "status": "paid"},
]
EXPIRED_FIRST_DAY = "2026-03-09T12:00Z"  # short/2026-03-02 (7d) has run out; 03-03 has not
DISPOSED = "(unrecoverable: key disposed)"
NO_KEY = "(unrecoverable: no key for this class and day in the store)"


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A tokenizing policy, a plain one and the input, all outside any output."""
    (tmp_path / "tokens.yaml").write_text(POLICY)
    (tmp_path / "plain.yaml").write_text(PLAIN)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return tmp_path / "tokens.yaml", tmp_path / "plain.yaml", source


def run(out: Path, policy: Path, source: Path) -> None:
    result = batch.run([str(source)], out, policy)
    assert result.audit["records_written"] == len(RECORDS)


# -- dispose --dry-run -----------------------------------------------------------------------


def test_a_dry_run_says_would_for_everything_it_lists(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out = tmp_path / "out"
    run(out, policy, source)
    store = TokenKeyStore(token_keys_root() / id_of(out))

    code, stdout, _ = cli("dispose", "-o", str(out), "--now", EXPIRED_FIRST_DAY, "--dry-run")
    assert code == 0
    text = " ".join(stdout.split())  # the table's title wraps where the path is long
    assert "(dry run): would delete" in text
    assert "would delete 1 token key(s)" in text and "would keep 3 partition(s)" in text
    # Nothing is said to be done: no "deleted: 1", "disposed: 0", "removed: 0", ...
    for done in ("deleted:", "disposed:", "removed:", "completed:", "committed:", "kept:"):
        assert done not in text
    assert "verified" not in text
    assert store.days("short") == ["2026-03-02", "2026-03-03"]  # and indeed nothing was

    code, stdout, _ = cli("dispose", "-o", str(out), "--now", EXPIRED_FIRST_DAY)
    assert code == 0 and "token keys deleted: 1" in stdout and "would delete" not in stdout


# -- reidentify: no store, no key, a key disposed ----------------------------------------------


def test_an_output_without_a_store_is_said_to_have_none(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The wrong --output (one that never tokenized): not "key disposed", and exit 2."""
    policy, plain, source = inputs
    out, other = tmp_path / "out", tmp_path / "out-plain"
    run(out, policy, source)
    run(other, plain, source)
    code, stdout, stderr = cli("reidentify", tokens(out)[0], "-o", str(other))
    assert (code, stdout) == (2, "")
    expected = token_keys_root() / id_of(other)
    assert " ".join(stderr.split()) == (
        f"error: no token-key store for this output ({expected} does not exist)"
    )


def test_a_key_the_store_never_had_is_not_called_disposed(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, plain, source = inputs
    out, other = tmp_path / "out", tmp_path / "out-plain"
    run(out, policy, source)
    run(other, plain, source)
    first, second = tokens(out)
    # An empty store, as versions before this one made for every output.
    old = TokenKeyStore(token_keys_root() / id_of(other))
    old.init()
    old.claim(id_of(other))
    code, stdout, _ = cli("reidentify", first, "-o", str(other))
    assert (code, stdout) == (1, f"{first}\t{NO_KEY}\n")

    # A key deleted by hand, not by a disposal: no record says it was disposed of.
    TokenKeyStore(token_keys_root() / id_of(out)).delete("short", "2026-03-03")
    code, stdout, _ = cli("reidentify", second, "-o", str(out))
    assert (code, stdout) == (1, f"{second}\t{NO_KEY}\n")


def test_a_key_a_disposal_deleted_is_called_disposed_by_output_and_by_store(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out = tmp_path / "out"
    run(out, policy, source)
    first, second = tokens(out)
    store = token_keys_root() / id_of(out)
    assert recorded_output(store) == out.resolve()  # claimed with its path
    assert cli("dispose", "-o", str(out), "--now", EXPIRED_FIRST_DAY)[0] == 0

    expected = f"{first}\t{DISPOSED}\n{second}\tcust-8102-test\n"
    assert cli("reidentify", first, second, "-o", str(out))[:2] == (1, expected)
    # The store alone: its recorded output's audits say so, also once renamed beside it.
    assert cli("reidentify", first, second, "--token-keys", str(store))[:2] == (1, expected)
    os.rename(out, tmp_path / "out-renamed")
    assert cli("reidentify", first, second, "--token-keys", str(store))[:2] == (1, expected)


def test_disposed_keys_are_read_from_records_and_unfinished_intents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    disposals = out / "_audit" / "disposals"
    disposals.mkdir(parents=True)
    (disposals / "20260309T000000Z-aaaaaa.json").write_text(
        json.dumps({"token_keys_deleted": ["short/2026-03-02", "../x/2026-03-02", "short/x"]})
    )
    # A dispose killed after deleting keys and before its record: its intent names them.
    (disposals / "20260310T000000Z-bbbbbb.intent.json").write_text(
        json.dumps({"plan": {"token_keys": ["long/2026-03-03"]}})
    )
    (disposals / "20260311T000000Z-cccccc.json").write_text("{not json")
    # A link is never followed, even to what looks like a record.
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"token_keys_deleted": ["short/2026-03-04"]}))
    (disposals / "20260312T000000Z-dddddd.json").symlink_to(outside)
    assert disposed_keys(out) == {("short", "2026-03-02"), ("long", "2026-03-03")}

    # The whole directory as a link: nothing read through it.
    (out / "_audit" / "disposals").rename(tmp_path / "real-disposals")
    (out / "_audit" / "disposals").symlink_to(tmp_path / "real-disposals")
    assert disposed_keys(out) == frozenset()
    assert disposed_keys(tmp_path / "absent") == frozenset()


# -- no store without a tokenize rule ----------------------------------------------------------


def test_a_run_and_a_stream_that_never_tokenize_make_no_store(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, plain, source = inputs
    code, _, stderr = cli("run", "-i", str(source), "-o", str(tmp_path / "out"), "-p", str(plain))
    assert code == 0, stderr
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.jsonl").write_text(source.read_text())
    settings = StreamSettings(batch_size=10, max_wait=0.1, until_idle=0.3)
    stream(f"dir:{logs}", tmp_path / "out-stream", plain, settings=settings)
    for out in ("out", "out-stream"):
        assert len(id_of(tmp_path / out)) == 32  # outputs all the same
    assert not token_keys_root().exists()
    code, stdout, _ = cli("keys", "list")
    assert code == 0 and f"token-key stores in {token_keys_root()}: none" in stdout
