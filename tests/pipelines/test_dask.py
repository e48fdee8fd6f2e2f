"""The batch pipeline on a real distributed engine: Beam on a Dask `distributed` cluster of two
single-threaded worker processes on this machine (loopback only), against the DirectRunner on
the same input; and a worker process killed mid-bundle, whose work Dask runs again elsewhere."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask[distributed] is not installed (pip install -e '.[dask]')"
)

from datamin.output.layout import OutputLayout  # noqa: E402
from datamin.output.manifest import file_index  # noqa: E402
from datamin.output.rowcheck import verify_rows  # noqa: E402
from datamin.pipelines import batch  # noqa: E402
from datamin.pipelines.dask_runner import dask_beam_args, local_cluster  # noqa: E402
from datamin.policies import bundled  # noqa: E402
from datamin.sample import generate_sample  # noqa: E402

# The demo's two jobs, as `datamin demo` runs them: (input folder, policy).
DEMO_JOBS = {"api": ("traffic", "api_logs"), "messages": ("messages", "messages")}
COUNTS = ("records_in", "records_written", "records_dropped", "records_quarantined", "balanced")


@dataclass(frozen=True)
class Setup:
    """One sample, one key, and what the DirectRunner made of each job, for the whole module.
    The key is a file (not the suite's environment variable, which is set per test) so that
    workers started once for the module read the same key as the driver."""

    root: Path
    key_file: Path
    direct: dict[str, tuple[dict[str, Any], dict[str, int], Counter[tuple[str, str]]]]

    def run(self, out: Path, job: str, beam_args: list[str]) -> dict[str, Any]:
        folder, policy = DEMO_JOBS[job]
        result = batch.run(
            [str(self.root / "sample" / folder / "*")],
            out,
            bundled(policy),
            key_file=self.key_file,
            token_keys=self.root / "token-keys",
            beam_args=beam_args,
        )
        return {key: result.audit[key] for key in COUNTS}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    root = tmp_path_factory.mktemp("dask")
    generate_sample(root / "sample", seed=7)
    key_file = root / "key"
    key_file.write_text("dask-test-key-0123456789abcdef0123456789abcdef\n")
    key_file.chmod(0o600)
    made = Setup(root, key_file, {})
    for job in DEMO_JOBS:
        out = root / f"direct-{job}"
        made.direct[job] = (made.run(out, job, []), rows_per_class(out), rows_by_source(out))
    return made


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes with one thread each, on 127.0.0.1; no dashboard."""
    with local_cluster(2) as c:
        yield c


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    """A client of the cluster for the test itself; the run makes its own. Both workers are up
    (again, after a test that killed one) before the test starts."""
    with distributed.Client(cluster, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=60)
        yield c


def rows_per_class(out: Path) -> dict[str, int]:
    table = ds.dataset(out / "data", format="parquet", partitioning="hive").to_table(
        columns=["retention"]
    )
    return dict(Counter(table.column("retention").to_pylist()))


def rows_by_source(out: Path) -> Counter[tuple[str, str]]:
    """Rows of each (partition, source) in the visible files, as their manifests record them
    (files hold several sources' rows); every visible file holds the rows its manifest says."""
    assert verify_rows(OutputLayout(str(out))) == []
    index = file_index(OutputLayout(str(out)))
    found: Counter[tuple[str, str]] = Counter()
    for path in out.glob("data/retention=*/date=*/*.parquet"):
        rel = path.relative_to(out)
        for source, rows in index.files[str(rel)].segments:
            found[(str(rel.parent), source)] += rows or 0
    return found


def test_demo_on_dask_matches_the_direct_runner(
    tmp_path: Path, setup: Setup, cluster: Any, client: Any
) -> None:
    for job in DEMO_JOBS:
        out = tmp_path / f"out-{job}"
        on_dask = setup.run(out, job, dask_beam_args(cluster.scheduler_address))
        counts, rows, names = setup.direct[job]
        assert on_dask == counts
        assert on_dask["balanced"] is True and on_dask["records_in"] > 0
        assert rows_per_class(out) == rows
        # The same rows of each source in each partition (the files may differ).
        assert rows_by_source(out) == names


def test_many_sources_share_a_file_per_worker(tmp_path: Path, cluster: Any, client: Any) -> None:
    """Input files are dealt to the cluster's worker threads, one bundle each, so a (class,
    date) partition holds at most a file per worker, however many sources wrote to it (a
    bundle per input file made a file per source, class and date)."""
    from benchmarks.bench_files import _policy, write_corpus

    write_corpus(tmp_path / "corpus", entries=120, files=12, days=3)
    out = tmp_path / "out"
    result = batch.run(
        [str(tmp_path / "corpus" / "*.har")],
        out,
        _policy("api_logs", False, tmp_path),
        beam_args=dask_beam_args(cluster.scheduler_address),
    )
    assert result.audit["balanced"] is True and result.audit["records_in"] == 120
    sources = rows_by_source(out)
    assert max(Counter(part for part, _ in sources).values()) >= 6
    files = Counter(p.parent for p in out.glob("data/retention=*/date=*/*.parquet"))
    assert files and max(files.values()) <= 2


class KillOnce(distributed.WorkerPlugin):
    """Installed in every worker process: the first worker to reach the fault point dies there
    with `os._exit` (no clean-up, no exception), once for the whole cluster (an exclusively
    created marker file). Test-only; the pipeline's code is untouched."""

    def __init__(self, marker: str, point: str) -> None:
        self.marker = marker
        self.point = point

    def _first(self) -> bool:
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def setup(self, worker: Any) -> None:
        from apache_beam.io.filesystems import FileSystems

        from datamin.pipelines.parquet_sink import PartitionWriter

        plugin = self
        if self.point == "writing":
            # While a bundle writes: its files are open as hidden temporaries, 5 records in.
            add = self._original = PartitionWriter.add

            def add_or_die(writer: Any, source_key: str, index: int, *rest: Any) -> Any:
                if index == 5 and plugin._first():
                    os._exit(17)
                return add(writer, source_key, index, *rest)

            PartitionWriter.add = add_or_die  # type: ignore[method-assign]
        else:
            # Between two renames in finish_bundle: one Parquet file of the bundle is in place.
            rename = self._original = FileSystems.rename

            def rename_then_die(sources: list[str], destinations: list[str]) -> Any:
                done = rename(sources, destinations)
                if "/data/retention=" in destinations[0] and plugin._first():
                    os._exit(17)
                return done

            FileSystems.rename = rename_then_die  # type: ignore[method-assign]

    def teardown(self, worker: Any) -> None:
        from apache_beam.io.filesystems import FileSystems

        from datamin.pipelines.parquet_sink import PartitionWriter

        if self.point == "writing":
            PartitionWriter.add = self._original  # type: ignore[method-assign]
        else:
            FileSystems.rename = self._original  # type: ignore[method-assign]


@pytest.mark.parametrize("point", ["writing", "committing"])
def test_worker_killed_mid_bundle_neither_loses_nor_duplicates(
    tmp_path: Path, setup: Setup, cluster: Any, client: Any, point: str
) -> None:
    marker = tmp_path / "killed"
    client.register_plugin(KillOnce(str(marker), point), name="kill-once")
    try:
        on_dask = setup.run(tmp_path / "out", "api", dask_beam_args(cluster.scheduler_address))
    finally:
        client.unregister_worker_plugin("kill-once")
    assert marker.exists()  # a worker process did die mid-bundle
    counts, rows, names = setup.direct["api"]
    assert on_dask == counts and on_dask["balanced"] is True
    # Every record exactly once per class: the direct run's rows and files, nothing beside.
    assert rows_per_class(tmp_path / "out") == rows
    assert rows_by_source(tmp_path / "out") == names
    assert not list((tmp_path / "out").rglob(".*.tmp"))  # the dead attempt's temporaries
