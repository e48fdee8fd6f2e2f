"""RunConfig: the one place a minimizer is built, over engines a process shares only while they
are held and only within one scope (a run)."""

from __future__ import annotations

import gc
import pickle
import weakref
from datetime import date
from pathlib import Path

import pytest

from datamin.core.config import RunConfig
from datamin.keys import KeyRing, KeySource
from datamin.policies import bundled
from datamin.policies.loader import load_policy

DAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    return load_policy(bundled("api_logs"))


def test_engines_are_shared_within_a_scope_and_not_across(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "key"
    key.write_bytes(b"a key file of thirty-two bytes or more, for the test")
    first = RunConfig(loaded, KeySource(path=str(key)), DAY, ner=False, scope="run-1")
    held = first.engines()
    assert first.engines() is held  # the run's other steps get the same engines
    # Another run in this process reads the key file afresh: a key rotated between two runs
    # is never served from the first run's engines.
    key.write_bytes(b"another key file of thirty-two bytes or more, rotated")
    second = RunConfig(loaded, KeySource(path=str(key)), DAY, ner=False, scope="run-2")
    assert second.engines() is not held
    assert second.engines().keys.mac("t", b"x") != held.keys.mac("t", b"x")


def test_engines_go_when_nothing_holds_them(loaded) -> None:  # type: ignore[no-untyped-def]
    """A run's engines (its compiled policy, its token ciphers) do not outlive the run."""
    config = RunConfig(loaded, KeyRing(b"k" * 32), DAY, ner=False, scope="gone")
    engines = config.engines()
    watch = weakref.ref(engines)
    del engines
    gc.collect()
    assert watch() is None


def test_a_run_configuration_travels_to_workers_without_its_secret(  # type: ignore[no-untyped-def]
    loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "a secret of thirty-two bytes or more for workers"
    monkeypatch.setenv("DATAMIN_TEST_KEY", secret)
    config = RunConfig(loaded, KeySource(env="DATAMIN_TEST_KEY"), DAY, scope="run-1")
    config.engines()  # loaded here: still not part of what is shipped
    data = pickle.dumps(config)
    assert secret.encode() not in data  # the variable's name travels, never its value
    assert pickle.loads(data) == config


def test_the_minimizer_it_builds_minimizes(loaded) -> None:  # type: ignore[no-untyped-def]
    config = RunConfig(loaded, KeyRing(b"k" * 32), DAY, ner=False)
    minimizer = config.minimizer()
    assert minimizer.run_date == DAY.isoformat()
    assert config.minimizer() is not minimizer  # each has its own statistics and caches
