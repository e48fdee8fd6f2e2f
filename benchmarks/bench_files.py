"""How many Parquet files `datamin run` writes, against the bound classes x dates x workers.

    python -m benchmarks.bench_files [--entries 1000] [--files 20] [--days 30] [--workers 1 2]
                                     [--policy api_logs] [--dask]

The corpus is generated HAR traffic (`datamin.sample`), its entries spread over `--days` days
and dealt round-robin into `--files` HAR files, so that every source holds every date: the
worst case for files named after one source (each source's rows of a class and date were a
file of their own). Per worker count, on a fresh output: the visible data files, their rows,
rows per file, and the bound (retention classes written x dates x workers). Then one source is
read again alone: the files it shares with the others are rewritten without its old rows, and
`dispose --verify`'s row check must be clean after both runs. Exits 1 if a bound is exceeded or
a check fails. NER is off (`--ner`: on), so the run measures the writer, not the model. `--dask`
runs the first run of each worker count on a local Dask cluster of that many single-threaded
workers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from datamin.output.layout import OutputLayout
from datamin.output.rowcheck import verify_rows
from datamin.pipelines import batch
from datamin.policies import bundled
from datamin.sample import write_har
from datamin.sample.records import build_entry
from datamin.sample.values import Fakes, Recorder, people

FIRST_DAY = datetime(2026, 3, 1, tzinfo=UTC)


def write_corpus(folder: Path, entries: int, files: int, days: int, seed: int = 17) -> None:
    """`entries` HAR entries over `days` days from March 1st 2026, dealt into `files` files."""
    folder.mkdir(parents=True, exist_ok=True)
    spread = tuple(FIRST_DAY + timedelta(days=d) for d in range(days))
    crowd = people(seed)
    fakes = Fakes(random.Random(f"bench-files:{seed}"), spread)
    dealt: list[list[dict[str, Any]]] = [[] for _ in range(files)]
    for i, when in enumerate(fakes.moments(entries)):
        dealt[i % files].append(build_entry(i, when, crowd, fakes, Recorder()))
    for n, part in enumerate(dealt):
        write_har(folder / f"traffic-{n:03d}.har", part)


def data_files(out: Path) -> list[Path]:
    return sorted(out.glob("data/retention=*/date=*/*.parquet"))


def measure(out: Path) -> dict[str, Any]:
    files = data_files(out)
    rows = [pq.read_metadata(f).num_rows for f in files]
    classes = {f.parent.parent.name for f in files}
    dates = {f.parent.name for f in files}
    return {
        "files": len(files),
        "rows": sum(rows),
        "rows_per_file": round(sum(rows) / len(files), 1) if files else 0,
        "classes": len(classes),
        "dates": len(dates),
        "per_partition": max(Counter(f.parent for f in files).values(), default=0),
    }


def _policy(name: str, ner: bool, folder: Path) -> Path:
    """A bundled policy, NER off unless `ner`; a policy file is taken as it is."""
    if Path(name).is_file():
        return Path(name)
    path = bundled(name)
    if ner:
        return path
    off = folder / f"{path.stem}-no-ner.yaml"
    off.write_text(
        f"version: 1\nextends: bundled:{path.stem}\nname: {path.stem}\ndetection: {{ner: false}}\n"
    )
    return off


@contextlib.contextmanager
def runner_args(dask: bool, workers: int) -> Iterator[tuple[list[str], int]]:
    """Beam options and the `workers` argument of `batch.run` for one worker count."""
    if not dask:
        yield [], workers
        return
    from datamin.pipelines.dask_runner import dask_beam_args, local_cluster

    with local_cluster(workers) as cluster:
        yield dask_beam_args(cluster.scheduler_address), 1


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--policy", default="api_logs")
    parser.add_argument("--ner", action="store_true")
    parser.add_argument("--dask", action="store_true", help="a local Dask cluster per count")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"corpus": vars(args), "runs": {}}
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-files-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        write_corpus(corpus, args.entries, args.files, args.days)
        policy = _policy(args.policy, args.ner, root)
        for workers in args.workers:
            out = root / f"out-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            with runner_args(args.dask, workers) as (beam_args, direct_workers):
                result = batch.run(
                    [str(corpus / "*.har")],
                    out,
                    policy,
                    workers=direct_workers,
                    beam_args=beam_args,
                )
            first = measure(out)
            first["audit_bytes"] = Path(result.audit_path).stat().st_size
            first["manifest_bytes"] = (
                (out / "_audit" / "manifests" / f"{result.run_id}.json").stat().st_size
            )
            bound = first["classes"] * first["dates"] * workers
            problems = verify_rows(OutputLayout(str(out)))
            # One source read again alone: its rows replaced, the others' kept in place.
            again = batch.run([str(sorted(corpus.glob("*.har"))[0])], out, policy)
            after = measure(out)
            problems += verify_rows(OutputLayout(str(out)))
            ok = first["files"] <= bound and after["rows"] == first["rows"] and not problems
            failed |= not ok
            results["runs"][str(workers)] = {
                **first,
                "bound": bound,
                "records_written": result.audit["records_written"],
                "one_source_again": {
                    **after,
                    "files_written": len(again.audit["files_written"]),
                    "files_rewritten": json.loads(Path(again.audit_path).read_text())[
                        "files_rewritten"
                    ],
                },
                "problems": problems[:5],
                "ok": ok,
            }
            print(
                f"workers {workers}: {first['files']} files (bound {bound} = "
                f"{first['classes']} classes x {first['dates']} dates x {workers}), "
                f"{first['rows']} rows, {first['rows_per_file']} per file; one source again: "
                f"{after['files']} files, {after['rows']} rows; "
                f"{'ok' if ok else 'FAILED'}",
                flush=True,
            )
    print(json.dumps(results, indent=2))
    if failed:
        sys.exit(1)
    return results


if __name__ == "__main__":
    main()
