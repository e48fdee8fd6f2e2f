"""Bounded resources (issue 13): hostile policies and inputs cost bounded time, memory and disk.

    python -m benchmarks.bench_bounds [--har-mib 100] [--bad-lines 1000000] [--skip-har-run]

1. A "billion laughs" policy (9 levels x 9 aliases): wall time of `datamin policy check` and of
   `datamin run --policy` (a subprocess each; must be a one-line error, exit 2, < 1 s).
2. A ~2 KB `.jsonl.gz` of a million bad lines through `datamin run`: the quarantine directory's
   size (< 1 MB) and the run's peak RSS (< 300 MB), from `getrusage` of the child.
3. A ~100 MB HAR: peak RSS of reading it (`read_file`, every entry) and of `datamin run` over it
   with a light policy (no NER) (< 500 MB).
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

LIGHT = """\
version: 1
name: light
event_time: [started_at]
retention: {default: a, classes: {a: 30d}}
detection: {ner: false}
fields:
  - {path: request.method, action: keep, column: method}
  - {path: response.status, action: keep, column: status, type: int64}
  - {path: time, action: keep, column: latency_ms, type: float64}
"""
READ_ALL = (
    "import sys; from datamin.formats import read_file;"
    "n = sum(1 for _ in read_file(sys.argv[1], 4 << 20)); print(n)"
)


def laughs() -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * 9)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def child(args: list[str]) -> tuple[float, float, int, str]:
    """Run a child; (its peak RSS in MiB, seconds, exit code, stderr)."""
    script = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
        "sys.stderr.buffer.write(r.stderr);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    rss, code = done.stdout.split()
    return int(rss) / 1024, seconds, int(code), done.stderr


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_har(path: Path, mib: int) -> int:
    from datamin.sample import iter_har_entries

    pool = [json.dumps(e, indent=1).encode() for e, _ in iter_har_entries(11, 400)]
    n, size = 0, 0
    with path.open("wb") as f:
        f.write(b'{"log": {"version": "1.2", "creator": {"name": "bench"}, "entries": [\n')
        while size < mib << 20:
            entry = pool[n % len(pool)]
            f.write((b",\n" if n else b"") + entry)
            size += len(entry) + 2
            n += 1
        f.write(b"\n]}}\n")
    return n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--har-mib", type=int, default=100)
    parser.add_argument("--bad-lines", type=int, default=1_000_000)
    parser.add_argument("--skip-har-run", action="store_true", help="read the HAR only")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATAMIN_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = Path(tempfile.mkdtemp(prefix="datamin-bounds-"))
    exe = str(Path(sys.executable).parent / "datamin")
    (work / "light.yaml").write_text(LIGHT)

    bomb = work / "laughs.yaml"
    bomb.write_text(laughs())
    for label, cmd in [
        ("policy check", [exe, "policy", "check", str(bomb)]),
        ("run --policy", [exe, "run", "-i", "x", "-o", str(work / "o0"), "-p", str(bomb)]),
    ]:
        rss, seconds, code, err = child(cmd)
        lines = err.strip().splitlines()
        print(f"billion laughs, {label}: {seconds:.2f} s, exit {code}, {len(lines)} line(s), "
              f"peak RSS {rss:.0f} MiB: {lines[-1] if lines else ''}")  # fmt: skip

    bad = work / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(b"x\n" * args.bad_lines, 9))
    out = work / "out-bad"
    rss, seconds, code, err = child(
        [exe, "run", "-i", str(bad), "-o", str(out), "-p", str(work / "light.yaml"),
         "--no-progress"]
    )  # fmt: skip
    audit = json.loads(next((out / "_audit" / "runs").glob("*.json")).read_text())
    print(
        f"{args.bad_lines:,} bad lines in {bad.stat().st_size:,} B gzip: exit {code}, "
        f"{seconds:.1f} s, peak RSS {rss:.0f} MiB, "
        f"quarantine {dir_bytes(out / '_quarantine'):,} B, "
        f"records_quarantined {audit['records_quarantined']:,}, balanced {audit['balanced']}"
    )

    har = work / "big.har"
    entries = write_har(har, args.har_mib)
    size = har.stat().st_size / 2**20
    rss, seconds, code, err = child([sys.executable, "-c", READ_ALL, str(har)])
    print(f"HAR {size:.0f} MiB, {entries:,} entries, read_file: exit {code}, {seconds:.1f} s, "
          f"peak RSS {rss:.0f} MiB")  # fmt: skip
    if not args.skip_har_run:
        out = work / "out-har"
        rss, seconds, code, err = child(
            [exe, "run", "-i", str(har), "-o", str(out), "-p", str(work / "light.yaml"),
             "--no-progress"]
        )  # fmt: skip
        audit = json.loads(next((out / "_audit" / "runs").glob("*.json")).read_text())
        print(
            f"HAR {size:.0f} MiB, datamin run: exit {code}, {seconds:.1f} s, peak RSS "
            f"{rss:.0f} MiB, records_in {audit['records_in']:,}, balanced {audit['balanced']}"
        )
    print(f"(work files in {work})")


if __name__ == "__main__":
    main()
