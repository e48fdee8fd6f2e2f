"""Suite-wide fixtures: a fixed test key, an isolated config directory, and `shared/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from datamin import safelog

TEST_KEY = "datamin-test-key-0123456789abcdef0123456789abcdef"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _isolated_keys(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test runs with a known key and a private config dir, so no test creates a key in
    the real home directory."""
    monkeypatch.setenv("DATAMIN_KEY", TEST_KEY)
    monkeypatch.delenv("DATAMIN_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    safelog.quiet_third_party()


@pytest.fixture
def har_corpus() -> Path:
    """The real browser HAR captures in ../shared; absent in a user's fresh clone."""
    corpus = SHARED / "corpora" / "har"
    if not corpus.is_dir():
        pytest.skip("../shared/corpora/har is not present (it is only on project machines)")
    return corpus
