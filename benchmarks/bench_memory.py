"""Peak memory of `datamin run` over growing `.jsonl.gz` archives: it must not grow with size.

    python -m benchmarks.bench_memory [--records 40000,320000]

Each size is a separate `datamin run` process over a gzip JSON-lines archive of Twilio-shaped
messages; its peak resident memory comes from `getrusage` of the child. A light policy (status,
direction, segments and price kept, bodies dropped) keeps NER out of it, so the figure is what
reading, minimizing and writing hold, not the time a model takes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POLICY = """\
version: 1
name: light
event_time: [date_created]
retention: {default: a, classes: {a: 30d}}
detection: {ner: false}
fields:
  - {path: status, action: keep, column: status}
  - {path: direction, action: keep, column: direction}
  - {path: num_segments, action: keep, column: segments, type: int64}
  - {path: price, action: keep, column: price, type: float64}
"""


def write_archive(path: Path, records: int) -> int:
    from datamin.sample import iter_messages

    pool = [m for m, _ in iter_messages(5, 500)]
    with gzip.open(path, "wb", compresslevel=1) as f:
        for i in range(records):
            f.write(json.dumps(pool[i % len(pool)]).encode() + b"\n")
    return path.stat().st_size


def peak_rss_mib(args: list[str]) -> tuple[float, float]:
    """Run a child and return (its peak RSS in MiB, seconds)."""
    started = time.perf_counter()
    script = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(r.returncode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="40000,320000")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATAMIN_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = Path(tempfile.mkdtemp(prefix="datamin-mem-"))
    (work / "light.yaml").write_text(POLICY)
    exe = str(Path(sys.executable).parent / "datamin")
    print(f"{'records':>9} {'archive MiB':>12} {'peak RSS MiB':>13} {'seconds':>8}")
    for n in (int(x) for x in args.records.split(",")):
        archive = work / f"messages-{n}.jsonl.gz"
        size = write_archive(archive, n)
        rss, seconds = peak_rss_mib(
            [
                exe,
                "run",
                "-i",
                str(archive),
                "-o",
                str(work / f"out-{n}"),
                "-p",
                str(work / "light.yaml"),
                "--no-progress",
            ]
        )
        audit = json.loads(next((work / f"out-{n}" / "_audit" / "runs").glob("*.json")).read_text())
        assert audit["records_in"] == n and audit["balanced"], audit
        print(f"{n:>9} {size / 2**20:>12.1f} {rss:>13.0f} {seconds:>8.1f}")


if __name__ == "__main__":
    main()
