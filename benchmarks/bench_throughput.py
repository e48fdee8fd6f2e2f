"""datamin against plain Presidio on the same generated API traffic, in one run.

    python -m benchmarks.bench_throughput [--entries 3000] [--baseline-entries 300]
        [--corpus api|messages] [--plain-baseline] [--whole-process] [--repeat N]

Both run on one core (the process pins itself to CPU 0 and BLAS to one thread). The baseline is
the issue's: Presidio's BatchAnalyzerEngine over every string leaf of each record with its key as
context, every finding replaced; its engines are built before the clock starts. datamin is timed
end to end (`datamin run` as a library call: pipeline start-up, reading, writing Parquet and the
audit included) with each bundled policy. Plain Presidio manages a few records a second, so it
runs on the first `--baseline-entries` of the corpus; both are then compared for leaks on that
same subset: the share of distinct planted values that survive, in any form, anywhere in what
each leaves (datamin's whole output tree; the baseline's redacted records).

`--plain-baseline` times the bare baseline instead (`baseline_presidio.analyze_plain`: the
analyzer over every string leaf, no key as context, nothing replaced; it redacts nothing, so
it has no leak figures). `--whole-process` times datamin as a process of its own
(`datamin run -i corpus -o out -p policy`, interpreter start-up and imports included), on the
same core. `--corpus messages` uses generated message records (JSONL, `messages` policy by
default) instead of HAR entries; `--baseline-keys body` gives the plain baseline only their
bodies. `--repeat N` times the baseline and each policy N times,
alternately, and gives each round's ratio: on a shared machine compare within a round.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
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
# `datamin run` as its console script starts it.
CLI = "import sys; from datamin.cli.app import main; sys.argv[0] = 'datamin'; sys.exit(main())"


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


def by_group(counts: Counter[str] | None, planted: list[Any]) -> dict[str, str]:
    totals = Counter(p.entity for p in planted)
    out = {}
    for group, categories in GROUPS.items():
        entities = [e for e in totals if ENTITIES[e] in categories]
        total = sum(totals[e] for e in entities)
        if counts is None:
            out[group] = "-"
            continue
        n = sum(counts[e] for e in entities)
        out[group] = f"{n}/{total} ({100 * n / total:.1f}%)" if total else "-"
    return out


def write_corpus(kind: str, seed: int, n: int, k: int, work: Path) -> tuple[Path, Path, list]:
    """The corpus and its first `k` records as files, and the records with their plants."""
    from datamin.sample import iter_har_entries, iter_messages, write_har

    if kind == "api":
        generated = list(iter_har_entries(seed, n))
        records = [e for e, _ in generated]
        write_har(work / "corpus.har", records)
        write_har(work / "subset.har", records[:k])
        return work / "corpus.har", work / "subset.har", generated
    generated = list(iter_messages(seed, n))
    for name, part in (("corpus", generated), ("subset", generated[:k])):
        lines = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m, _ in part)
        (work / f"{name}.jsonl").write_text(lines, encoding="utf-8")
    return work / "corpus.jsonl", work / "subset.jsonl", generated


def run_process(corpus: Path, out: Path, policy: str) -> float:
    """Seconds of `datamin run` as a process of its own, start-up included."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CLI, "run", "-i", str(corpus), "-o", str(out), "-p", policy, "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=3000, help="corpus size for datamin")
    parser.add_argument("--baseline-entries", type=int, default=300, help="subset both compare on")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--corpus", choices=("api", "messages"), default="api")
    parser.add_argument("--policies", default=None, help="default: api_logs,redact_only|messages")
    parser.add_argument("--plain-baseline", action="store_true", help="no context, no replacing")
    parser.add_argument("--whole-process", action="store_true", help="time `datamin run` itself")
    parser.add_argument(
        "--baseline-keys", default=None, help="plain baseline: only these top-level keys (body)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="alternating rounds")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    policies = args.policies or ("api_logs,redact_only" if args.corpus == "api" else "messages")
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from benchmarks.baseline_presidio import analyze_plain
    from datamin import safelog
    from datamin.evaluation.presidio import build_baseline, redact_records_baseline
    from datamin.pipelines import batch
    from datamin.policies import bundled

    safelog.configure()
    os.environ.setdefault("DATAMIN_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = Path(tempfile.mkdtemp(prefix="datamin-bench-"))
    k = min(args.baseline_entries, args.entries)
    corpus, subset, generated = write_corpus(args.corpus, args.seed, args.entries, k, work)
    records = [r for r, _ in generated]
    subset_planted = distinct_planted([p for _, p in generated[:k]])
    baseline_name = "presidio (plain)" if args.plain_baseline else "presidio (baseline)"
    print(
        f"corpus: {args.entries} {args.corpus} records (seed {args.seed}); compared subset: "
        f"first {k}, {len(subset_planted)} distinct planted values; one core: "
        f"{not args.all_cores}; baseline: {baseline_name}; datamin timed "
        f"{'as a whole process' if args.whole_process else 'as a library call'}"
    )

    started = time.perf_counter()
    engines = build_baseline()
    build_s = time.perf_counter() - started
    rounds: list[dict[str, float]] = []
    redacted: list[Any] = []
    for i in range(args.repeat):
        rates: dict[str, float] = {}
        started = time.perf_counter()
        if args.plain_baseline:
            keys = tuple(args.baseline_keys.split(",")) if args.baseline_keys else None
            analyze_plain(records[:k], engines, keys=keys)
        else:
            redacted = redact_records_baseline(records[:k], engines)
        rates[baseline_name] = k / (time.perf_counter() - started)
        for policy in policies.split(","):
            out = work / f"out-{policy}-{i}"
            if args.whole_process:
                seconds = run_process(corpus, out, policy)
            else:
                started = time.perf_counter()
                run = batch.run([str(corpus)], out, bundled(policy))
                seconds = time.perf_counter() - started
                assert run.audit["records_in"] == args.entries and run.audit["balanced"]
            rates[f"datamin {policy}"] = args.entries / seconds
        rounds.append(rates)
        base = rates[baseline_name]
        print(
            f"round {i + 1}: "
            + ", ".join(f"{n} {r:.1f}/s ({r / base:.1f}x)" for n, r in rates.items())
        )

    base_leaks = None
    if not args.plain_baseline:
        (work / "baseline").mkdir()
        (work / "baseline" / "redacted.json").write_text(json.dumps(redacted, ensure_ascii=False))
        base_leaks = leaked(work / "baseline", subset_planted)
    rows: list[dict[str, Any]] = [
        {"name": baseline_name, "records": k, "engine_build_s": build_s, "counts": base_leaks}
    ]
    for policy in policies.split(","):
        batch.run([str(subset)], work / f"subset-{policy}", bundled(policy))
        counts = leaked(work / f"subset-{policy}", subset_planted)
        rows.append({"name": f"datamin {policy}", "records": args.entries, "counts": counts})

    print(
        f"\n{'':22} {'records':>8} {'rec/s':>14} {'x base':>12}   "
        f"{'credentials':>16} {'identifiers':>16} {'names+places':>16}"
    )
    for row in rows:
        rates = [r[row["name"]] for r in rounds]
        ratios = [r[row["name"]] / r[baseline_name] for r in rounds]
        row.update(
            records_per_s=rates,
            ratio=ratios,
            leaks=by_group(row["counts"], subset_planted),
            leaks_by_entity=dict(row.pop("counts") or {}),
        )
        leaks = row["leaks"]
        print(
            f"{row['name']:22} {row['records']:>8} {_span(rates, '.1f'):>14} "
            f"{_span(ratios, '.1f') + 'x':>12}   {leaks['credentials']:>16} "
            f"{leaks['identifiers']:>16} {leaks['names+places']:>16}"
        )
    print(
        "\nrec/s and x base: lowest-highest of the rounds, each ratio within its round; leaks: "
        "distinct planted values of the compared subset surviving anywhere in the output"
    )
    results = {
        "entries": args.entries,
        "baseline_entries": k,
        "corpus": args.corpus,
        "plain_baseline": args.plain_baseline,
        "whole_process": args.whole_process,
        "rows": rows,
    }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


def _span(values: list[float], fmt: str) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:{fmt}}" if f"{lo:{fmt}}" == f"{hi:{fmt}}" else f"{lo:{fmt}}-{hi:{fmt}}"


if __name__ == "__main__":
    main()
