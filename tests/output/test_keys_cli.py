"""`datamin keys list` and `keys gc`: every token key store under the root with its output, and
only the stores whose output is gone deleted, after asking; kept, and said so, when in doubt;
no link followed. Outputs here are made as a tokenizing run makes them (`resolve_key_source`:
the output's id, its store claimed with the output's path), without running a pipeline."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datamin.cli.app import app
from datamin.cli.keys import EXAMPLE
from datamin.keys import resolve_key_source
from datamin.output.keystores import (
    EXISTS,
    GONE,
    OUTPUT_PATH,
    delete_store,
    judge,
    recorded_output,
)
from datamin.output.tokenkeys import OWNER, TokenKeyStore, token_keys_root
from tests.conftest import TEST_KEY

runner = CliRunner()


def make_output(out: Path, days: int = 1) -> Path:
    """An output with an id and its claimed store holding `days` keys of class short."""
    source, _ = resolve_key_source(None, out, tokenize=True)
    assert source.token_keys is not None
    store = TokenKeyStore(source.token_keys)
    for day in range(days):
        store.key_for("short", f"2026-03-{day + 1:02d}", create=True)
    return store.root


def cli(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["keys", *args], input=stdin)
    return result.exit_code, " ".join(result.stdout.split())


def key_hex(store: Path) -> list[str]:
    return [p.read_text().strip() for p in store.rglob("*.key")]


@pytest.fixture
def stores(tmp_path: Path) -> dict[str, Path]:
    """One store in each state `keys gc` must tell apart."""
    work = tmp_path / "work"
    made = {
        "live": make_output(work / "live", days=2),
        "gone": make_output(work / "gone", days=3),
        "renamed": make_output(work / "renamed"),
        "unmounted": make_output(work / "volume" / "out"),
        "replaced": make_output(work / "replaced"),
        "no-path": make_output(work / "no-path"),
    }
    shutil.rmtree(work / "gone")
    os.rename(work / "renamed", work / "renamed-2026")  # in the same directory: found beside
    shutil.rmtree(work / "volume")  # the directory that held it is gone too: in doubt
    shutil.rmtree(work / "replaced")
    make_output(work / "replaced")  # another output (a new id) at the same path
    (made["no-path"] / OUTPUT_PATH).unlink()  # claimed before paths were recorded
    legacy = token_keys_root() / "0123456789abcdef"  # named by a path's hash, no owner
    TokenKeyStore(legacy).init()
    TokenKeyStore(legacy).key_for("short", "2026-03-01", create=True)
    made["legacy"] = legacy
    outside = tmp_path / "outside-store"
    outside.mkdir()
    (token_keys_root() / "linked").symlink_to(outside)
    made["linked"] = token_keys_root() / "linked"
    return made


def test_the_example_is_one_short_line() -> None:
    assert "\n" not in EXAMPLE and len(EXAMPLE) <= 76 and EXAMPLE.startswith("datamin keys")


def test_list_shows_each_store_its_output_and_its_keys(
    stores: dict[str, Path], tmp_path: Path
) -> None:
    code, text = cli("list")
    assert code == 0
    work = tmp_path / "work"
    live_id = stores["live"].name
    assert "pseudonym key, environment variable: $DATAMIN_KEY (present)" in text
    default = Path(os.environ["XDG_CONFIG_HOME"]) / "datamin" / "key"
    assert f"pseudonym key, key file (default): {default} (absent)" in text
    assert f"token-key stores in {token_keys_root()}: 9" in text
    assert (
        f"{stores['live']} output id: {live_id} output: {work / 'live'} (exists) "
        "keys: short 2 day(s)"
    ) in text
    assert f"output: {work / 'gone'} (gone) keys: short 3 day(s)" in text
    assert f"(exists, now at {work / 'renamed-2026'})" in text
    assert f"output: {work / 'volume' / 'out'} (unknown: the directory that held its output" in text
    assert f"output: {work / 'replaced'} (unknown: {work / 'replaced'} holds another output" in text
    assert "output: not recorded (unknown: no output path recorded" in text
    assert f"{stores['legacy']} output id: not recorded output: not recorded (unknown: no" in text
    assert (
        f"{stores['linked']} output id: not recorded" in text and "a link, never followed" in text
    )
    # Paths, ids and counts: never a key, nor the pseudonym key.
    for store in stores.values():
        for secret in key_hex(store) if not store.is_symlink() else []:
            assert secret not in text
    assert TEST_KEY not in text

    result = runner.invoke(app, ["keys", "list", "--format", "json"])
    body = json.loads(result.stdout)
    by_store = {Path(s["store"]).name: s for s in body["stores"]}
    assert by_store[live_id]["output_exists"] is True
    assert by_store[stores["gone"].name]["output_exists"] is False
    assert by_store[stores["legacy"].name]["output_exists"] is None
    assert by_store[stores["gone"].name]["keys"] == {"short": 3}


def test_gc_dry_run_lists_and_deletes_nothing(stores: dict[str, Path]) -> None:
    before = sorted(p.name for p in token_keys_root().iterdir())
    code, text = cli("gc", "--dry-run")
    assert code == 0
    assert f"would delete {stores['gone']}: its output" in text and "is gone" in text
    assert "dry run: would delete 1 store(s); nothing deleted" in text
    assert "would keep 3 store(s) whose output exists" in text  # live, renamed, the new one
    assert f"would keep {stores['legacy']}: no output id recorded" in text
    assert "kept " not in text
    assert "deleted " + str(stores["gone"]) not in text
    assert sorted(p.name for p in token_keys_root().iterdir()) == before


def test_gc_asks_and_deletes_only_stores_whose_output_is_gone(stores: dict[str, Path]) -> None:
    code, text = cli("gc", stdin="n\n")
    assert code == 1 and "Delete 1 token-key store(s)?" in text and "nothing deleted" in text
    assert stores["gone"].is_dir()
    code, text = cli("gc")  # no answer at all (end of input): no
    assert code == 1 and stores["gone"].is_dir()

    code, text = cli("gc", "--yes")
    assert code == 0, text
    assert f"deleted {stores['gone']}: 3 key(s)" in text
    assert not stores["gone"].exists()
    for kept in ("live", "renamed", "unmounted", "replaced", "no-path", "legacy", "linked"):
        assert stores[kept].exists(), kept
    # Each store kept in doubt is named, with why.
    for doubt in ("unmounted", "replaced", "no-path", "legacy", "linked"):
        assert f"kept {stores[doubt]}: " in text, doubt
    assert not [p for p in token_keys_root().iterdir() if p.name.startswith(".")]
    code, text = cli("gc", "--yes")  # nothing left to do
    assert code == 0 and "whose output is gone" in text


def test_gc_never_follows_a_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    store = make_output(out)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "short").mkdir(parents=True)
    (elsewhere / "short" / "2026-03-09.key").write_text("not a key of this store\n")
    (store / "long").symlink_to(elsewhere / "short")  # a class directory that is a link
    (store / "short" / "2026-03-05.key").symlink_to(elsewhere / "short" / "2026-03-09.key")
    (token_keys_root() / "linked").symlink_to(elsewhere)
    shutil.rmtree(out)

    code, text = cli("gc", "--yes")
    assert code == 1
    assert f"partly deleted {store}: 1 key(s); links inside were left alone, in " in text
    [left] = [p for p in token_keys_root().iterdir() if p.name.startswith(f".gc-{store.name}")]
    assert sorted(p.name for p in left.rglob("*")) == ["2026-03-05.key", "long", "short"]
    assert (elsewhere / "short" / "2026-03-09.key").read_text() == "not a key of this store\n"
    assert (token_keys_root() / "linked").is_symlink()
    assert not (left / "short" / "2026-03-01.key").exists()  # its own key went
    assert not (left / OWNER).exists() and not store.exists()
    # What is left is offered again, and again only its links stay.
    code, text = cli("gc", "--yes")
    assert code == 1 and f"would delete {left}: left by an interrupted keys gc" in text
    assert (elsewhere / "short" / "2026-03-09.key").exists()


def test_an_output_moved_elsewhere_is_kept_once_used_at_its_new_path(tmp_path: Path) -> None:
    """Moved to another directory and not used since, an output looks gone (documented: run
    or dispose it at its new path first); a run or a dispose there records the new path."""
    out, moved = tmp_path / "a" / "out", tmp_path / "b" / "out"
    store = make_output(out)
    moved.parent.mkdir()
    os.rename(out, moved)
    assert judge(store).status == GONE
    assert cli("gc", "--dry-run")[1].count("would delete") == 2  # the store, and the summary

    code = runner.invoke(app, ["dispose", "-o", str(moved), "--now", "2026-03-02"]).exit_code
    assert code == 0
    assert recorded_output(store) == moved.resolve() and judge(store).status == EXISTS
    # and a tokenizing run moves the record too
    os.rename(moved, out)
    resolve_key_source(None, out, tokenize=True)
    assert recorded_output(store) == out.resolve()


def test_an_interrupted_gc_is_finished_unless_its_output_is_back(tmp_path: Path) -> None:
    gone, back = make_output(tmp_path / "gone"), make_output(tmp_path / "back")
    shutil.rmtree(tmp_path / "gone")
    hidden_gone = gone.with_name(f".gc-{gone.name}-0000aaaa")
    hidden_back = back.with_name(f".gc-{back.name}-0000bbbb")
    gone.rename(hidden_gone)
    back.rename(hidden_back)
    code, text = cli("gc", "--yes")
    assert code == 0, text
    assert not hidden_gone.exists()
    assert hidden_back.exists() and f"kept {hidden_back}: put aside by keys gc" in text


def test_a_store_is_kept_if_its_output_returns_before_the_delete(tmp_path: Path) -> None:
    out, away = tmp_path / "out", tmp_path / "away" / "out"
    store = make_output(out)
    away.parent.mkdir()
    os.rename(out, away)
    info = judge(store)
    assert info.status == GONE
    os.rename(away, out)  # back, between the listing and the deletion
    done = delete_store(info)
    assert done.reason == "no longer judged gone" and done.keys == 0
    assert TokenKeyStore(store).days("short") == ["2026-03-01"]
