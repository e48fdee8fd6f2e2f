"""An output's identity: the id a run writes into it names its token key store, so moving the
output does not dodge crypto-shredding, a store of another output is refused, a tokenizing
output whose store is missing is never declared disposed, and an output from before ids adopts
the store named by its path.

As in tests/pipelines/test_reidentify.py the customer ids are fresh fakes (reidentify prints
values by design), and nothing it prints is written under an `out*` directory."""

from __future__ import annotations

import json
import os
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.errors import KeyConfigError, OutputError
from datamin.output import identity
from datamin.output.dispose import dispose, parse_now, verify
from datamin.output.layout import OutputLayout, output_id_file
from datamin.output.tokenkeys import (
    OWNER,
    TokenKeyStore,
    default_token_keys_path,
    legacy_token_keys_path,
    token_keys_root,
)
from datamin.pipelines import batch
from tests.pipelines.test_reidentify import POLICY  # tokenize customer_id, keep status

runner = CliRunner()

PLAIN = POLICY.replace("action: tokenize, column: customer", "action: drop")

RECORDS = [
    {"timestamp": "2026-03-02T10:00:00Z", "customer_id": "cust-7101-test", "status": "open"},
    {"timestamp": "2026-03-03T09:00:00Z", "customer_id": "cust-7102-test", "status": "paid"},
]
EXPIRED_FIRST_DAY = "2026-03-09T12:00Z"  # short/2026-03-02 (7d) has run out; 03-03 has not


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A tokenizing policy, a plain one and the input, all outside any output."""
    (tmp_path / "tokens.yaml").write_text(POLICY)
    (tmp_path / "plain.yaml").write_text(PLAIN)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return tmp_path / "tokens.yaml", tmp_path / "plain.yaml", source


def run(out: Path, policy: Path, source: Path, **kwargs: object) -> None:
    result = batch.run([str(source)], out, policy, **kwargs)  # type: ignore[arg-type]
    assert result.audit["records_written"] == len(RECORDS)


def tokens(out: Path) -> list[str]:
    """The tokens, by event date."""
    table = ds.dataset(
        out / "data" / "retention=short", format="parquet", partitioning="hive"
    ).to_table()
    rows = zip(table.column("date").to_pylist(), table.column("customer").to_pylist(), strict=True)
    return [token for _, token in sorted((str(d), t) for d, t in rows)]


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def id_of(out: Path) -> str:
    found = identity.read(OutputLayout(str(out)))
    assert found is not None
    return found


# -- the id -------------------------------------------------------------------------------


def test_a_run_gives_the_output_an_id_once_and_dispose_never_does(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out = tmp_path / "out"
    assert identity.read(OutputLayout(str(out))) is None
    run(out, policy, source)
    path = Path(output_id_file(OutputLayout(str(out))))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = id_of(out)
    assert len(first) == 32 and int(first, 16) >= 0
    run(out, policy, source)  # a second run keeps it
    assert id_of(out) == first
    assert not list((out / "_audit").glob(".*"))  # no temporary left behind

    # Without its id the output's store is not found: dispose says so (exit 1), reidentify
    # fails, and neither makes a new id.
    path.unlink()
    code, _, stderr = cli("dispose", "-o", str(out), "--now", "2026-03-04T00:00Z")
    assert code == 1 and "token key store" in stderr
    code, stdout, stderr = cli("reidentify", tokens(out)[0], "-o", str(out))
    assert code == 2 and stdout == "" and "does not exist" in stderr
    assert not path.exists()


def test_racing_first_runs_agree_on_one_id(tmp_path: Path) -> None:
    """Ids are created before the run's lock is taken by a tokenizing run: of several
    creators exactly one id wins, and every one of them returns it."""
    layout = OutputLayout(str(tmp_path / "out"))
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda _: identity.read_or_create(layout), range(32)))
    assert len(ids) == 1 and ids == {identity.read(layout)}
    assert sorted(os.listdir(tmp_path / "out" / "_audit")) == ["output.json"]


def test_a_malformed_or_linked_id_is_a_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    layout = OutputLayout(str(out))
    made = identity.read_or_create(layout)
    path = Path(output_id_file(layout))
    path.write_text('{"output_id": "not hex"}')
    with pytest.raises(OutputError, match="malformed") as bad:
        identity.read(layout)
    assert "\n" not in str(bad.value)
    # A link where the id should be is never followed, neither to read nor to create.
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"output_id": made}))
    path.unlink()
    path.symlink_to(elsewhere)
    for call in (identity.read, identity.read_or_create):
        with pytest.raises(OutputError, match="link"):
            call(layout)
    other = tmp_path / "other"
    (other / "real-audit").mkdir(parents=True)
    (other / "_audit").symlink_to(other / "real-audit")
    with pytest.raises(OutputError, match="link"):
        identity.read_or_create(OutputLayout(str(other)))
    assert os.listdir(other / "real-audit") == []


def test_a_policy_that_never_tokenizes_makes_no_store(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, plain, source = inputs
    out = tmp_path / "out"
    run(out, plain, source)
    assert len(id_of(out)) == 32  # an id all the same, should a later run tokenize
    assert not default_token_keys_path(out).exists()
    assert not token_keys_root().exists() or os.listdir(token_keys_root()) == []
    # and, with nothing tokenized, none is expected
    assert verify(out, parse_now(EXPIRED_FIRST_DAY)) == []


# -- moving the output --------------------------------------------------------------------


def test_moving_the_output_does_not_dodge_shredding(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out, moved = tmp_path / "out", tmp_path / "moved_out"
    run(out, policy, source)
    store = token_keys_root() / id_of(out)
    assert TokenKeyStore(store).owner() == id_of(out)
    assert TokenKeyStore(store).days("short") == ["2026-03-02", "2026-03-03"]
    first, second = tokens(out)

    os.rename(out, moved)
    assert default_token_keys_path(moved) == store  # found by its id, not its path

    code, stdout, stderr = cli("dispose", "-o", str(moved), "--now", EXPIRED_FIRST_DAY)
    assert code == 0, stderr
    assert "token keys deleted: 1" in stdout and "verified: yes" in stdout
    assert TokenKeyStore(store).days("short") == ["2026-03-03"]
    assert cli("dispose", "-o", str(moved), "--verify", "--now", EXPIRED_FIRST_DAY)[0] == 0

    # the disposed period's tokens are gone, by the new path and by the store itself
    for where in (["-o", str(moved)], ["--token-keys", str(store)]):
        code, stdout, _ = cli("reidentify", first, second, *where)
        assert code == 1
        assert stdout.splitlines() == [
            f"{first}\t(unrecoverable: key disposed)",
            f"{second}\tcust-7102-test",  # the period still kept reads back
        ]
    # by the old path there is no output, and nothing is read
    code, stdout, stderr = cli("reidentify", first, "-o", str(out))
    assert code == 2 and stdout == "" and "not a datamin output" in stderr


# -- a store that is missing or another output's ----------------------------------------------


def test_a_tokenizing_output_without_its_store_is_never_declared_disposed(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out = tmp_path / "out"
    run(out, policy, source)
    shutil.rmtree(default_token_keys_path(out))

    code, stdout, stderr = cli("dispose", "-o", str(out), "--now", EXPIRED_FIRST_DAY)
    assert code == 1 and "verified: NO" in stdout
    [line] = [s for s in stderr.splitlines() if "token key store" in s]
    assert "missing" in line and "tokenized" in line
    code, stdout, stderr = cli("dispose", "-o", str(out), "--verify", "--now", EXPIRED_FIRST_DAY)
    assert code == 1 and "1 problem(s)" in stdout and "token key store" in stderr
    # Expired data still went: only the claim that shredding is done is refused.
    assert not (out / "data" / "retention=short" / "date=2026-03-02").exists()
    # A run given a store of its own (and dispose given it too) is whole again.
    keys = tmp_path / "keys"
    run(out, policy, source, token_keys=keys)
    report = dispose(out, parse_now(EXPIRED_FIRST_DAY), token_keys=keys)
    assert report.verified and report.token_keys_deleted == ["short/2026-03-02"]


def test_a_store_of_another_output_is_refused(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    mine, theirs = tmp_path / "out-mine", tmp_path / "out-theirs"
    run(mine, policy, source)
    their_keys = tmp_path / "their-keys"
    run(theirs, policy, source, token_keys=their_keys)
    assert TokenKeyStore(their_keys).owner() == id_of(theirs) != id_of(mine)

    with pytest.raises(KeyConfigError, match="belongs to another output"):
        batch.run([str(source)], mine, policy, token_keys=their_keys)
    with pytest.raises(KeyConfigError, match="belongs to another output"):
        dispose(mine, parse_now(EXPIRED_FIRST_DAY), token_keys=their_keys)
    assert TokenKeyStore(their_keys).days("short") == ["2026-03-02", "2026-03-03"]  # untouched
    for command in (
        ["dispose", "-o", str(mine), "--token-keys", str(their_keys)],
        ["reidentify", tokens(theirs)[0], "-o", str(mine), "--token-keys", str(their_keys)],
    ):
        code, stdout, stderr = cli(*command)
        assert code == 2 and "cust-" not in stdout
        assert stderr.strip().splitlines() == [
            f"error: token key directory {their_keys} belongs to another output (its id differs)"
        ]
    # A default store that records another id (copied or renamed into place) is refused too.
    (token_keys_root() / id_of(mine)).rename(token_keys_root() / id_of(theirs))
    with pytest.raises(KeyConfigError, match="belongs to another output"):
        verify(theirs, parse_now(EXPIRED_FIRST_DAY))


# -- outputs from before ids ----------------------------------------------------------------


def test_an_output_from_before_ids_adopts_its_path_named_store(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    policy, _, source = inputs
    out = tmp_path / "out"
    run(out, policy, source)
    first, second = tokens(out)
    # What an earlier version left: no id, a store named by a hash of the path, no owner.
    legacy = legacy_token_keys_path(out)
    store = token_keys_root() / id_of(out)
    Path(output_id_file(OutputLayout(str(out)))).unlink()
    (store / OWNER).unlink()
    store.rename(legacy)
    assert default_token_keys_path(out) == legacy  # dispose and reidentify still find it
    code, stdout, _ = cli("reidentify", first, "-o", str(out))
    assert (code, stdout) == (0, f"{first}\tcust-7101-test\n")

    run(out, policy, source)  # the next run gives it an id and adopts the store
    adopted = token_keys_root() / id_of(out)
    assert adopted != store and not legacy.exists()
    assert TokenKeyStore(adopted).owner() == id_of(out)
    assert tokens(out) == [first, second]  # the same keys: the same tokens

    code, stdout, _ = cli("dispose", "-o", str(out), "--now", EXPIRED_FIRST_DAY)
    assert code == 0 and "token keys deleted: 1" in stdout
    code, stdout, _ = cli("reidentify", first, "-o", str(out))
    assert (code, stdout) == (1, f"{first}\t(unrecoverable: key disposed)\n")
