"""A secret scanner's own test cases, run through datamin: gitleaks' rules and their examples.

gitleaks (MIT, https://github.com/gitleaks/gitleaks) ships one rule per token family in
`config/gitleaks.toml` (a Go RE2 regex, keywords, an entropy floor and the capture group holding
the secret) and, in `cmd/generate/config/rules/*.go`, the examples each rule is tested with:
literal tokens marked `gitleaks:allow`, and lines it generates from the token's pattern in the
shapes of configuration and code (`adafruitToken = "..."`, `ADAFRUIT_TOKEN=...`, YAML, JSON).
This reads both from a checkout or bare mirror at run time (nothing of it is kept here), makes
the generated tokens with `rstr` from a fixed seed, and asks, per placement, whether datamin's
detection (no NER) covers the secret with findings scoring >= 0.5 (what `redact_only` replaces):

- `log`: the example line inside a log message (`message`, free text);
- `config`: the example line as a value of its own (a JSON leaf named `line`);
- `neutral`: the secret alone in a field whose name says nothing (`data.value`);
- `named`: the secret under its family's name (`adafruit_token`).

Only secrets that gitleaks itself reports are counted (its regex finds them in the line, their
entropy reaches the rule's floor). Rules without a regex (paths only) are left out.

    python -m benchmarks.bench_secret_rules [--gitleaks-repo PATH] [--samples 3] [--seed 1]
        [--json] [--rule ID|all]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_presidio_tables import Repo
from datamin.redactors.generic_tokens import entropy  # Shannon's, bits a character, as gitleaks'

DEFAULT_REPO = "/work/.mirror/gitleaks+gitleaks/repo"
RULES_TOML = "config/gitleaks.toml"
RULES_GO = "cmd/generate/config/rules"
MIN_SCORE = 0.5
PLACEMENTS = ("log", "config", "neutral", "named")
# The shapes gitleaks' `GenerateSampleSecrets` writes a token in (a few of each kind).
LINES = (
    '{i}Token = "{s}"',
    "{I}_TOKEN={s}",
    "{i}_token: '{s}'",
    '{{"{i}_token": "{s}"}}',
    'var {i}Token string = "{s}"',
    '  "{i}Token" => "{s}"',
    'System.setProperty("{I}_TOKEN", "{s}")',
    '{I}_TOKEN := "{s}"',
)
_GO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')


@dataclass(frozen=True)
class Example:
    rule: str
    line: str
    secret: str
    identifier: str


def _secret_of(rule: dict, match) -> str:  # type: ignore[no-untyped-def]
    group = rule.get("secretGroup")
    if group is None:
        group = next((g for g in range(1, match.re.groups + 1) if match.group(g)), 0)
    return match.group(group) or ""


def _reported(rule: dict, compiled, line: str, secret: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether gitleaks' rule reports `secret` in `line` (regex and entropy floor)."""
    for match in compiled.finditer(line):
        if _secret_of(rule, match) == secret:
            return entropy(secret) >= rule.get("entropy", 0)
    return False


def generated(rules: list[dict], samples: int, seed: int) -> list[Example]:
    import re2
    import rstr

    gen = rstr.Rstr(random.Random(seed))
    out: list[Example] = []
    for index, rule in enumerate(rules):
        try:
            compiled = re2.compile(rule["regex"])
        except re2.error:
            continue
        identifier = re.sub(r"[^a-z0-9]", "", (rule.get("keywords") or [rule["id"]])[0].lower())
        made = 0
        for attempt in range(samples * 20):
            if made == samples:
                break
            try:
                sample = gen.xeger(rule["regex"].replace("\\z", "\\Z"))
            except (ValueError, re.error, IndexError, OverflowError):
                break
            match = compiled.search(sample)
            if not match:
                continue
            secret = _secret_of(rule, match)
            if len(secret) < 8 or any(c in secret for c in "\n\r\t\x0b\x0c \"'`"):
                continue
            shape = LINES[(index + attempt) % len(LINES)]
            line = shape.format(i=identifier, I=identifier.upper(), s=secret)
            if not _reported(rule, compiled, line, secret):
                line = sample.strip()  # the rule needs its own context: its sampled match
                if not _reported(rule, compiled, line, secret):
                    continue
            out.append(Example(rule["id"], line, secret, identifier))
            made += 1
    return out


def literal(repo: Repo, rules: list[dict]) -> list[Example]:
    """The tokens gitleaks' rule tests write out (`// gitleaks:allow`), each with the rule
    that reports it."""
    import re2

    compiled = [(r, re2.compile(r["regex"])) for r in rules if _compiles(r)]
    out: list[Example] = []
    seen: set[str] = set()
    for name in repo.list(RULES_GO):
        for raw in repo.read(name).splitlines():
            if "gitleaks:allow" not in raw:
                continue
            for m in _GO_STRING.finditer(raw):
                text = m.group(2) if m.group(2) is not None else _unquote(m.group(1))
                if text in seen:
                    continue
                for rule, rx in compiled:
                    match = rx.search(text)
                    if match and _reported(rule, rx, text, secret := _secret_of(rule, match)):
                        if len(secret) >= 8:
                            seen.add(text)
                            ident = re.sub(r"[^a-z0-9]", "", (rule.get("keywords") or [""])[0])
                            out.append(Example(rule["id"], text, secret, ident or "service"))
                        break
    return out


def _compiles(rule: dict) -> bool:
    import re2

    try:
        re2.compile(rule["regex"])
    except re2.error:
        return False
    return True


def _unquote(body: str) -> str:
    try:
        return json.loads(f'"{body}"')
    except json.JSONDecodeError:
        return body


def placements(ex: Example) -> dict[str, tuple[str, str, str]]:
    """Per placement: (path, field kind, value)."""
    return {
        "log": ("message", "text", f"2026-12-06T10:00:00Z INFO loaded settings: {ex.line}"),
        "config": ("line", "json", ex.line),
        "neutral": ("data.value", "json", ex.secret),
        "named": (f"config.{ex.identifier}_token", "json", ex.secret),
    }


def run(examples: list[Example]) -> tuple[dict[str, Counter], dict[str, list[Example]]]:
    from datamin.redactors.context import FieldContext, FieldKind
    from datamin.redactors.engine import DetectionEngine

    engine = DetectionEngine(ner_model=None)
    tally: dict[str, Counter] = defaultdict(Counter)
    missed: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        for place, (path, kind, value) in placements(ex).items():
            start = value.find(ex.secret)
            covered = [False] * len(ex.secret)
            for f in engine.detect(value, FieldContext.of(path, FieldKind(kind))):
                if f.score >= MIN_SCORE:
                    for i in range(max(start, f.start), min(start + len(ex.secret), f.end)):
                        covered[i - start] = True
            tally[place]["total"] += 1
            # A secret counts as removed when at most a quarter of it is left, at either end.
            if sum(covered) < 0.75 * len(covered):
                tally[place]["left"] += 1
                missed[place].append(ex)
    return tally, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gitleaks-repo", default=DEFAULT_REPO)
    parser.add_argument("--samples", type=int, default=3, help="generated tokens per rule")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rule", help="print the examples missed for one rule (or 'all')")
    args = parser.parse_args(argv)
    repo = Repo(Path(args.gitleaks_repo), marker=RULES_GO, suffix=".go")
    if not repo.exists():
        print(f"no gitleaks checkout at {args.gitleaks_repo}", file=sys.stderr)
        return 2
    rules = [r for r in tomllib.loads(repo.read(RULES_TOML))["rules"] if r.get("regex")]
    sets = {
        "generated": generated(rules, args.samples, args.seed),
        "literal": literal(repo, rules),
    }
    report: dict[str, dict[str, dict[str, int]]] = {}
    for name, examples in sets.items():
        tally, missed = run(examples)
        report[name] = {p: dict(tally[p]) for p in PLACEMENTS}
        if args.rule and not args.json:
            for place in PLACEMENTS:
                for ex in missed[place]:
                    if args.rule in ("all", ex.rule):
                        print(f"[{name}/{place}] {ex.rule}: {ex.line!r}")
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    rules_seen = {ex.rule for exs in sets.values() for ex in exs}
    print(f"gitleaks rules with examples: {len(rules_seen)} of {len(rules)}")
    for name, by_place in report.items():
        for place in PLACEMENTS:
            t = by_place[place]
            left, total = t.get("left", 0), t.get("total", 0)
            print(f"{name:9} {place:8} left {left:4}/{total:<4} {left / max(total, 1):6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
