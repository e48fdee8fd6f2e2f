"""datamin against plain Presidio on the same generated API traffic, in one run.

    python -m benchmarks.bench_throughput [--entries 3000] [--baseline-entries 300]

Both run on one core (the process pins itself to CPU 0 and BLAS to one thread). The baseline is
the issue's: Presidio's BatchAnalyzerEngine over every string leaf of each record with its key as
context, every finding replaced; its engines are built before the clock starts. datamin is timed
end to end (`datamin run` as a library call: pipeline start-up, reading, writing Parquet and the
audit included) with each bundled policy. Plain Presidio manages a few records a second, so it
runs on the first `--baseline-entries` of the corpus; both are then compared for leaks on that
same subset: the share of distinct planted values that survive, in any form, anywhere in what
each leaves (datamin's whole output tree; the baseline's redacted records).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from datamin.leakscan import needles_for, scan_tree  # noqa: E402
from datamin.redactors.entities import ENTITIES, Category  # noqa: E402

GROUPS = {
    "credentials": {Category.CREDENTIAL},
    "identifiers": {Category.IDENTIFIER},
    "names+places": {Category.PERSON, Category.LOCATION},
}


def distinct_planted(planted_lists: list[list[Any]]) -> list[Any]:
    seen: dict[str, Any] = {}
    for values in planted_lists:
        for p in values:
            seen.setdefault(p.value, p)
    return list(seen.values())


def leaked(root: Path, planted: list[Any]) -> Counter[str]:
    """Distinct planted values found under `root`, counted by entity."""
    needles: list[tuple[str, str]] = []
    owner: list[int] = []
    for i, p in enumerate(planted):
        for needle in needles_for([p]):
            needles.append(needle)
            owner.append(i)
    found = {owner[leak.needle_index] for leak in scan_tree(root, needles)}
    return Counter(planted[i].entity for i in found)


def by_group(counts: Counter[str], planted: list[Any]) -> dict[str, str]:
    totals = Counter(p.entity for p in planted)
    out = {}
    for group, categories in GROUPS.items():
        entities = [e for e in totals if ENTITIES[e] in categories]
        n, total = sum(counts[e] for e in entities), sum(totals[e] for e in entities)
        out[group] = f"{n}/{total} ({100 * n / total:.1f}%)" if total else "-"
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=3000, help="corpus size for datamin")
    parser.add_argument("--baseline-entries", type=int, default=300, help="subset both compare on")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--policies", default="api_logs,redact_only")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from datamin import safelog
    from datamin.evaluation.presidio import build_baseline, redact_records_baseline
    from datamin.pipelines import batch
    from datamin.policies import bundled
    from datamin.sample import iter_har_entries, write_har

    safelog.configure()
    os.environ.setdefault("DATAMIN_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = Path(tempfile.mkdtemp(prefix="datamin-bench-"))
    generated = list(iter_har_entries(args.seed, args.entries))
    entries = [e for e, _ in generated]
    k = min(args.baseline_entries, args.entries)
    subset_planted = distinct_planted([p for _, p in generated[:k]])
    write_har(work / "corpus.har", entries)
    write_har(work / "subset.har", entries[:k])
    print(
        f"corpus: {args.entries} HAR entries (seed {args.seed}); compared subset: first {k}, "
        f"{len(subset_planted)} distinct planted values; one core: {not args.all_cores}"
    )

    results: dict[str, Any] = {"entries": args.entries, "baseline_entries": k, "rows": []}
    started = time.perf_counter()
    engines = build_baseline()
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    redacted = redact_records_baseline(entries[:k], engines)
    base_s = time.perf_counter() - started
    base_rate = k / base_s
    (work / "baseline").mkdir()
    (work / "baseline" / "redacted.json").write_text(json.dumps(redacted, ensure_ascii=False))
    base_leaks = leaked(work / "baseline", subset_planted)
    results["rows"].append(
        {
            "name": "presidio (baseline)",
            "records": k,
            "seconds": base_s,
            "records_per_s": base_rate,
            "engine_build_s": build_s,
            "leaks": by_group(base_leaks, subset_planted),
            "leaks_by_entity": dict(base_leaks),
        }
    )

    for policy in args.policies.split(","):
        started = time.perf_counter()
        run = batch.run([str(work / "corpus.har")], work / f"out-{policy}", bundled(policy))
        seconds = time.perf_counter() - started
        assert run.audit["records_in"] == args.entries and run.audit["balanced"]
        batch.run([str(work / "subset.har")], work / f"subset-{policy}", bundled(policy))
        leaks = leaked(work / f"subset-{policy}", subset_planted)
        results["rows"].append(
            {
                "name": f"datamin {policy}",
                "records": args.entries,
                "seconds": seconds,
                "records_per_s": args.entries / seconds,
                "leaks": by_group(leaks, subset_planted),
                "leaks_by_entity": dict(leaks),
            }
        )

    print(
        f"\n{'':22} {'records':>8} {'seconds':>8} {'rec/s':>8} {'x base':>7}   "
        f"{'credentials':>16} {'identifiers':>16} {'names+places':>16}"
    )
    for row in results["rows"]:
        ratio = row["records_per_s"] / base_rate
        leaks = row["leaks"]
        print(
            f"{row['name']:22} {row['records']:>8} {row['seconds']:>8.1f} "
            f"{row['records_per_s']:>8.1f} {ratio:>6.1f}x   {leaks['credentials']:>16} "
            f"{leaks['identifiers']:>16} {leaks['names+places']:>16}"
        )
        row["ratio"] = ratio
    print(
        "\nleaks: distinct planted values of the compared subset surviving anywhere in the output"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
