"""Records per second of `datamin run` with 1 and 2 (or more) local workers, whole process.

    python -m benchmarks.bench_scaling [--entries 10000] [--files 40] [--workers 1 2]
                                       [--policy redact_only] [--repeat 2] [--dask]

The corpus is generated API traffic (`datamin.sample`), written as `--files` JSON-lines files so
that Beam can spread files over workers (it parallelizes by file). Each configuration runs as
the `datamin` console script would (`--json` summary, wall clock around the whole process,
start-up included), alternating configurations so that a busy machine slows them alike. The
efficiency of N workers is (records/s with N) / (N x records/s with 1).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from datamin.sample import iter_har_entries


def write_corpus(folder: Path, entries: int, files: int, seed: int = 11) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handles = [(folder / f"traffic-{i:03d}.jsonl").open("w") for i in range(files)]
    try:
        for i, (entry, _) in enumerate(iter_har_entries(seed, entries)):
            handles[i % files].write(json.dumps(entry) + "\n")
    finally:
        for h in handles:
            h.close()


def run_once(corpus: Path, out: Path, policy: str, workers: int, dask: bool) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    exe = Path(sys.executable).parent / "datamin"
    args = [str(exe), "run", "-i", str(corpus), "-o", str(out), "-p", policy, "--json"]
    args += ["--workers", str(workers)]
    if dask:
        args += ["--dask-address", "local"]
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    summary = json.loads(done.stdout)
    return {"wall": wall, "records": summary["records_in"], "files": summary["files_written"]}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--policy", default="redact_only")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dask", action="store_true", help="on a local Dask cluster")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="datamin-scaling-") as tmp:
        work = Path(tmp)
        write_corpus(work / "in", args.entries, args.files)
        runs: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
        for _ in range(args.repeat):
            for w in args.workers:
                runs[w].append(run_once(work / "in", work / "out", args.policy, w, args.dask))
    runner = "Dask (local cluster)" if args.dask else "DirectRunner"
    print(f"{args.entries:,} entries in {args.files} files, policy {args.policy}, {runner}")
    rates = {w: [r["records"] / r["wall"] for r in rs] for w, rs in runs.items()}
    base = median(rates[min(args.workers)])
    result = {}
    for w, rs in runs.items():
        rate = median(rates[w])
        eff = rate / (w / min(args.workers) * base)
        spread = ", ".join(f"{x:,.0f}" for x in rates[w])
        print(
            f"  workers {w}: {rate:,.0f} records/s (runs: {spread}), x{rate / base:.2f} of "
            f"{min(args.workers)} worker(s), efficiency {eff:.0%}, files {rs[-1]['files']}"
        )
        result[w] = {"records_per_s": rates[w], "speedup": rate / base, "files": rs[-1]["files"]}
    return result


if __name__ == "__main__":
    main()
