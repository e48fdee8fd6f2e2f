"""The plain-Presidio baseline (`datamin.evaluation.presidio`) timed on generated HAR
entries, with what it leaks per entity.

    python -m benchmarks.baseline_presidio --entries 100
"""

from __future__ import annotations

import argparse
import time

from datamin.evaluation.presidio import (
    DEFAULT_MODEL,
    build_baseline,
    leaks_per_entity,
    redact_records_baseline,
)


def main(argv: list[str] | None = None) -> None:
    from datamin.sample import iter_har_entries

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    engines = build_baseline(args.model)
    setup = time.perf_counter() - started
    pairs = list(iter_har_entries(args.seed, args.entries))
    records = [entry for entry, _ in pairs]
    started = time.perf_counter()
    outputs = redact_records_baseline(records, engines)
    elapsed = time.perf_counter() - started

    print(f"plain Presidio ({args.model}): {len(records)} HAR entries")
    print(
        f"  setup {setup:.1f} s, redaction {elapsed:.2f} s, {len(records) / elapsed:.1f} records/s"
    )
    print("  leaked / planted values, by entity:")
    for entity, (leaked, planted) in leaks_per_entity(outputs, [p for _, p in pairs]).items():
        print(f"    {entity:<14} {leaked:>4} / {planted:<4}")


if __name__ == "__main__":
    main()
