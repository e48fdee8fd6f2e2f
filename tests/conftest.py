"""Suite-wide fixtures: a fixed test key, an isolated config directory, and `shared/`."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from datamin import safelog
from datamin.leakscan import needles_for, scan_text, scan_tree

TEST_KEY = "datamin-test-key-0123456789abcdef0123456789abcdef"
pytest_plugins = ["pytester"]

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session", autouse=True)
def _isolated_keys_for_wider_fixtures(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The same for module- and session-scoped fixtures, which are built before any
    function-scoped one: an output a module fixture builds is written under the test key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAMIN_KEY", TEST_KEY)
        patch.delenv("DATAMIN_KEY_FILE", raising=False)
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("session-config")))
        yield


@pytest.fixture(autouse=True)
def _isolated_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
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


@pytest.fixture(scope="session")
def api_logs_without_ner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`api_logs` as bundled, name recognition off: for tests of what is read and which columns
    fill, not of what NER finds (and much faster)."""
    import yaml

    from datamin.policies import bundled

    doc = yaml.safe_load(bundled("api_logs").read_text())
    doc["detection"] = {**doc.get("detection", {}), "ner": False}
    path = tmp_path_factory.mktemp("policy") / "api_logs.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A new raw quarantine key file, outside any output directory."""
    from datamin.output.rawquarantine import create_raw_key_file

    path = tmp_path / "keys" / "raw.key"
    create_raw_key_file(path)
    return path


class _Planted:
    def __init__(self, entity: str, value: str) -> None:
        self.entity, self.value = entity, value


@cache
def planted_needles() -> list[tuple[str, str]]:
    """Every value planted anywhere in the suite's inputs: the fixtures' and the demo sample's."""
    from datamin.sample import generate_sample

    fixtures = json.loads(
        (Path(__file__).parent / "pipelines" / "cases" / "planted.json").read_text()
    )
    planted: list[Any] = [_Planted(p["entity"], p["value"]) for p in fixtures]
    with tempfile.TemporaryDirectory() as tmp:
        planted += generate_sample(Path(tmp), seed=7).planted
    return needles_for(planted)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """The suite's most important check: no test's captured output (stdout, stderr, log
    records) and no `out*` directory a test leaves under its tmp_path holds a planted value.
    A test that passed but leaked fails here."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.passed:
        return
    needles = planted_needles()
    text = "\n".join(content for _, content in report.sections)
    problems = [f"captured output holds planted needle #{i}" for i in scan_text(text, needles)]
    tmp = item.funcargs.get("tmp_path") if hasattr(item, "funcargs") else None
    if isinstance(tmp, Path):
        for out in sorted(tmp.glob("out*")):
            problems += [
                f"{out.name}/{leak.file} holds planted {leak.entity} #{leak.needle_index}"
                for leak in scan_tree(out, needles)
            ]
    if problems:
        # pytest prints a failed test's captured output: withhold it, it is the leak.
        report.sections = [(name, "(withheld by the leak scan)") for name, _ in report.sections]
        report.outcome = "failed"
        report.longrepr = "leak scan: " + "; ".join(problems[:20])
