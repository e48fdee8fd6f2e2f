"""The token key store: one key per (class, date), made once even under a race, deleted for
good, and no name that could lead outside its directory."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datamin.errors import KeyConfigError
from datamin.keys import KeySource, resolve_key_source
from datamin.output.tokenkeys import (
    KEY_BYTES,
    EphemeralTokenKeys,
    TokenKeyStore,
    default_token_keys_path,
)


@pytest.fixture
def store(tmp_path: Path) -> TokenKeyStore:
    s = TokenKeyStore(tmp_path / "token-keys")
    s.init()
    return s


def test_default_path_is_in_the_config_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "/somewhere/config")
    assert default_token_keys_path() == Path("/somewhere/config/datamin/token-keys")


def test_a_key_is_created_once_and_read_back(store: TokenKeyStore) -> None:
    assert store.key_for("short", "2026-03-02", create=False) is None
    key = store.key_for("short", "2026-03-02", create=True)
    assert key is not None and len(key) == KEY_BYTES
    assert store.key_for("short", "2026-03-02", create=True) == key
    assert store.key_for("short", "2026-03-02", create=False) == key
    # another date, another class: another key
    assert store.key_for("short", "2026-03-03", create=True) != key
    assert store.key_for("long", "2026-03-02", create=True) != key
    path = store.root / "short" / "2026-03-02.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert not list(store.root.rglob(".*.tmp"))  # the temporary file is gone
    assert store.days("short") == ["2026-03-02", "2026-03-03"]
    assert store.classes() == ["long", "short"]


def test_delete_removes_the_key_for_good(store: TokenKeyStore) -> None:
    key = store.key_for("short", "2026-03-02", create=True)
    assert store.delete("short", "2026-03-02") is True
    assert store.key_for("short", "2026-03-02", create=False) is None
    assert store.delete("short", "2026-03-02") is False  # already gone
    assert store.days("short") == []
    # a later run writing the same period gets a new key, not the old one back
    assert store.key_for("short", "2026-03-02", create=True) != key


def test_a_missing_class_lists_no_days(store: TokenKeyStore) -> None:
    assert store.days("never") == [] and store.delete("never", "2026-03-02") is False


def test_the_store_is_just_a_path(store: TokenKeyStore) -> None:
    again = pickle.loads(pickle.dumps(store))
    assert again == store and again.root == store.root


def test_a_worker_never_creates_the_root(tmp_path: Path) -> None:
    """Only the driver creates the directory: a worker on a machine without it must fail, not
    make keys nobody will find again."""
    store = TokenKeyStore(tmp_path / "absent")
    with pytest.raises(KeyConfigError, match="does not exist"):
        store.key_for("short", "2026-03-02", create=True)
    with pytest.raises(KeyConfigError, match="does not exist"):
        store.ensure_writable()
    assert not (tmp_path / "absent").exists()


@pytest.mark.parametrize(
    ("retention", "day"),
    [
        ("../short", "2026-03-02"),  # climbs out of the root
        ("short/x", "2026-03-02"),  # a second path component
        ("Short", "2026-03-02"),  # not a class name a policy may declare
        ("", "2026-03-02"),
        ("a" * 41, "2026-03-02"),  # longer than a class name may be
        ("short", "../../etc/passwd"),
        ("short", "20260302"),  # an ISO date, but not the form partitions use
        ("short", "2026-02-30"),  # not a date
        ("short", "2026-03-02/.."),
        ("short", "2026-03-02.key"),
    ],
)
def test_names_that_could_leave_the_root_are_refused(
    store: TokenKeyStore, retention: str, day: str
) -> None:
    for call in (
        lambda: store.key_for(retention, day, create=True),
        lambda: store.key_for(retention, day, create=False),
        lambda: store.delete(retention, day),
    ):
        with pytest.raises(KeyConfigError):
            call()
    assert [p.name for p in store.root.iterdir()] == []


def test_a_malformed_key_file_is_refused(store: TokenKeyStore) -> None:
    (store.root / "short").mkdir()
    (store.root / "short" / "2026-03-02.key").write_text("not hex\n")
    with pytest.raises(KeyConfigError, match="malformed"):
        store.key_for("short", "2026-03-02", create=True)


_RACER = """
import sys, time
from pathlib import Path
from datamin.output.tokenkeys import TokenKeyStore
root, go, days = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
store = TokenKeyStore(root)
for i in range(days):
    print(store.key_for("short", f"2026-01-{i + 1:02d}", create=True).hex())
"""


def test_two_processes_creating_the_same_keys_get_the_same_keys(
    store: TokenKeyStore, tmp_path: Path
) -> None:
    """Two workers that meet the same new dates at once: exactly one key per date wins, and
    both use it."""
    go = tmp_path / "go"
    days = 28
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(store.root), str(go), str(days)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(0.5)  # both are waiting
    go.touch()
    results = [r.communicate(timeout=60) for r in racers]
    assert [r.returncode for r in racers] == [0, 0], [e for _, e in results]
    first, second = (out.split() for out, _ in results)
    assert len(first) == days and first == second
    assert store.days("short") == [f"2026-01-{i + 1:02d}" for i in range(days)]
    assert [bytes.fromhex(k) for k in first] == [
        store.key_for("short", f"2026-01-{i + 1:02d}", create=False) for i in range(days)
    ]
    assert sorted(os.listdir(store.root / "short")) == [
        f"2026-01-{i + 1:02d}.key" for i in range(days)
    ]


def test_ephemeral_keys_live_in_memory() -> None:
    keys = EphemeralTokenKeys()
    assert keys.key_for("short", "2026-03-02", create=False) is None
    key = keys.key_for("short", "2026-03-02", create=True)
    assert key is not None and keys.key_for("short", "2026-03-02", create=False) == key
    with pytest.raises(TypeError):
        pickle.dumps(keys)


# -- the key source names the store --------------------------------------------------------


def test_resolve_names_the_default_store_and_creates_it(tmp_path: Path) -> None:
    source, _ = resolve_key_source(None, tmp_path / "out")
    own = default_token_keys_path(tmp_path / "out").resolve()
    assert source.token_keys == str(own) and own.is_dir()
    ring = source.load()
    assert ring.token_store == TokenKeyStore(own)
    # One store per output: disposing of one output never deletes another's keys.
    other, _ = resolve_key_source(None, tmp_path / "other")
    assert other.token_keys != source.token_keys
    assert Path(other.token_keys).parent == own.parent == default_token_keys_path().resolve()


def test_resolve_uses_the_given_store(tmp_path: Path) -> None:
    source, _ = resolve_key_source(None, tmp_path / "out", tmp_path / "tk")
    assert source.token_keys == str((tmp_path / "tk").resolve())
    assert (tmp_path / "tk").is_dir()
    assert stat.S_IMODE((tmp_path / "tk").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "inside",
    [
        "out",  # the output directory itself
        "out/keys",  # inside it: disposal or readers of the data would reach it
    ],
)
def test_a_store_inside_the_output_is_refused(tmp_path: Path, inside: str) -> None:
    with pytest.raises(KeyConfigError, match="inside the output directory"):
        resolve_key_source(None, tmp_path / "out", tmp_path / inside)
    assert not (tmp_path / "out").exists()  # refused before anything was created


def test_an_output_inside_the_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyConfigError, match="inside the token key directory"):
        resolve_key_source(None, tmp_path / "tk" / "out", tmp_path / "tk")


def test_a_key_source_without_a_store_loads_a_ring_without_one() -> None:
    ring = KeySource(env="DATAMIN_KEY").load()
    assert ring.token_store is None
