"""The plain-Presidio baseline (`datamin.evaluation.presidio`) timed on generated HAR
entries, with what it leaks per entity.

    python -m benchmarks.baseline_presidio --entries 100 [--plain]

`--plain` times the issue's bare baseline instead (`analyze_plain`): the analyzer alone over
every string leaf, with no key as context and nothing replaced, so nothing is redacted and no
leaks are counted.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from typing import Any

from datamin.evaluation.presidio import (
    DEFAULT_MODEL,
    Engines,
    build_baseline,
    leaks_per_entity,
    redact_records_baseline,
)


def string_leaves(node: Any) -> Iterator[str]:
    """Every non-empty string of a JSON value, in document order (keys are not leaves)."""
    if isinstance(node, str):
        if node:
            yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from string_leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from string_leaves(value)


def analyze_plain(
    records: list[Any],
    engines: Engines,
    *,
    batch_size: int = 64,
    keys: tuple[str, ...] | None = None,
) -> int:
    """Plain Presidio as the issue defines it: `BatchAnalyzerEngine.analyze_iterator` over
    every string leaf of every record (spaCy batched), no context, no replacement; `keys`:
    only the leaves under these top-level keys (a message's `body`). Returns the number of
    findings, so the work cannot be skipped."""
    batch, _ = engines
    if keys is not None:
        records = [{k: r[k] for k in keys if k in r} for r in records]
    texts = [text for record in records for text in string_leaves(record)]
    results = batch.analyze_iterator(texts, language="en", batch_size=batch_size)
    return sum(len(found) for found in results)


def main(argv: list[str] | None = None) -> None:
    from datamin.sample import iter_har_entries

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--plain", action="store_true", help="no context, nothing replaced")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    engines = build_baseline(args.model)
    setup = time.perf_counter() - started
    pairs = list(iter_har_entries(args.seed, args.entries))
    records = [entry for entry, _ in pairs]
    started = time.perf_counter()
    if args.plain:
        found = analyze_plain(records, engines)
    else:
        outputs = redact_records_baseline(records, engines)
    elapsed = time.perf_counter() - started

    what = "plain Presidio, analysis only" if args.plain else "plain Presidio"
    print(f"{what} ({args.model}): {len(records)} HAR entries")
    print(
        f"  setup {setup:.1f} s, redaction {elapsed:.2f} s, {len(records) / elapsed:.1f} records/s"
    )
    if args.plain:
        print(f"  {found} findings, none replaced")
        return
    print("  leaked / planted values, by entity:")
    for entity, (leaked, planted) in leaks_per_entity(outputs, [p for _, p in pairs]).items():
        print(f"    {entity:<14} {leaked:>4} / {planted:<4}")


if __name__ == "__main__":
    main()
