"""Records per second of `datamin run` with 1 and 2 (or more) local workers, whole process.

    python -m benchmarks.bench_scaling [--entries 10000] [--files 40] [--workers 1 2]
                                       [--policy redact_only] [--repeat 2] [--dask]

The corpus is generated API traffic (`datamin.sample`), written as `--files` JSON-lines files so
that Beam can spread files over workers (it parallelizes by file). Each configuration runs as
the `datamin` console script would (`--json` summary, wall clock around the whole process,
start-up included), alternating configurations so that a busy machine slows them alike. The
efficiency of N workers is (records/s with N) / (N x records/s with 1).

`--apart` also runs, for each N above 1, N independent `datamin run --workers 1` processes at
once, each on its share of the files: what N cores give when nothing at all is shared but the
machine (each process pays its own start-up), the bound that `--workers N` is measured against.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from subprocess import PIPE
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


def _command(corpus: Path, out: Path, policy: str, workers: int, dask: bool) -> list[str]:
    shutil.rmtree(out, ignore_errors=True)
    exe = Path(sys.executable).parent / "datamin"
    args = [str(exe), "run", "-i", str(corpus), "-o", str(out), "-p", policy, "--json"]
    args += ["--workers", str(workers)]
    if dask:
        args += ["--dask-address", "local"]
    return args


def _summary(args: list[str], proc: subprocess.Popen[str]) -> dict[str, Any]:
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {stderr.strip()[-300:]}")
    return json.loads(stdout)


def run_once(corpus: Path, out: Path, policy: str, workers: int, dask: bool) -> dict[str, Any]:
    args = _command(corpus, out, policy, workers, dask)
    started = time.monotonic()
    summary = _summary(args, subprocess.Popen(args, stdout=PIPE, stderr=PIPE, text=True))
    wall = time.monotonic() - started
    return {"wall": wall, "records": summary["records_in"], "files": summary["files_written"]}


def split_corpus(corpus: Path, parts: int, work: Path) -> list[Path]:
    """`parts` folders each holding every `parts`-th file of `corpus` (hard links)."""
    folders = [work / f"part-{parts}-{i}" for i in range(parts)]
    for i, folder in enumerate(folders):
        folder.mkdir(exist_ok=True)
        for path in sorted(corpus.iterdir())[i::parts]:
            if not (folder / path.name).exists():
                os.link(path, folder / path.name)
    return folders


def run_apart(folders: list[Path], work: Path, policy: str) -> dict[str, Any]:
    """One single-worker `datamin run` per folder, all at once; wall clock until the last ends."""
    commands = [_command(f, work / f"out-{f.name}", policy, 1, False) for f in folders]
    started = time.monotonic()
    procs = [(a, subprocess.Popen(a, stdout=PIPE, stderr=PIPE, text=True)) for a in commands]
    summaries = [_summary(a, p) for a, p in procs]
    wall = time.monotonic() - started
    return {
        "wall": wall,
        "records": sum(s["records_in"] for s in summaries),
        "files": sum(s["files_written"] for s in summaries),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--policy", default="redact_only")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dask", action="store_true", help="on a local Dask cluster")
    parser.add_argument("--apart", action="store_true", help="also N single-worker processes")
    args = parser.parse_args(argv)
    apart = [w for w in args.workers if w > 1] if args.apart else []
    with tempfile.TemporaryDirectory(prefix="datamin-scaling-") as tmp:
        work = Path(tmp)
        write_corpus(work / "in", args.entries, args.files)
        runs: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
        apart_runs: dict[int, list[dict[str, Any]]] = {w: [] for w in apart}
        for _ in range(args.repeat):
            for w in args.workers:
                runs[w].append(run_once(work / "in", work / "out", args.policy, w, args.dask))
                if w in apart_runs:
                    folders = split_corpus(work / "in", w, work)
                    apart_runs[w].append(run_apart(folders, work, args.policy))
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
    for w, rs in apart_runs.items():
        apart_rates = [r["records"] / r["wall"] for r in rs]
        rate = median(apart_rates)
        spread = ", ".join(f"{x:,.0f}" for x in apart_rates)
        print(
            f"  {w} processes apart: {rate:,.0f} records/s (runs: {spread}), x{rate / base:.2f}; "
            f"--workers {w} reaches {median(rates[w]) / rate:.0%} of it"
        )
        result[f"apart-{w}"] = {"records_per_s": apart_rates, "speedup": rate / base}
    return result


if __name__ == "__main__":
    main()
