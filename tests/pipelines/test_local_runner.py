"""A local run stays local: the runner datamin picks never reaches for the network (Beam's
DirectRunner tries Prism first, fetching its binary from GitHub when none is installed)."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

from datamin.pipelines import batch
from datamin.pipelines.local_runner import LOCAL_RUNNER
from datamin.policies import bundled
from datamin.sample import iter_har_entries, write_har


def test_the_default_runner_is_the_local_one_at_any_worker_count() -> None:
    for workers in (1, 2):
        options = batch.pipeline_options(workers, []).get_all_options()
        assert options["runner"] == LOCAL_RUNNER
    chosen = batch.pipeline_options(2, ["--runner=DirectRunner"]).get_all_options()
    assert chosen["runner"] == "DirectRunner" and chosen["direct_num_workers"] == 1


def test_a_run_looks_up_and_fetches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []

    def refuse(kind: str):
        def call(*args: object, **kwargs: object) -> None:
            attempts.append(kind)
            raise OSError("no network in this test")

        return call

    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    write_har(tmp_path / "in.har", [entry for entry, _ in iter_har_entries(5, 3)])
    result = batch.run([str(tmp_path / "in.har")], tmp_path / "out", bundled("api_logs"))
    assert result.audit["records_in"] == 3 and result.audit["balanced"] is True
    assert attempts == []
