"""Presidio's breadth, measured: its own recognizer test tables run through datamin.

Presidio's analyzer tests (`presidio-analyzer/tests/test_*_recognizer.py`) hold, per recognizer,
parametrized tables of a text, how many entities it holds and where. This reads them with `ast`
from a checkout or bare mirror of microsoft/presidio at run time (nothing of it is kept here),
runs every text through datamin's structured detection as a message body (`body`, free text as
`datamin.core.structure` reads a message's text; no NER) and prints, per entity:

- positives caught: cases with an expected count above 0 whose every expected span is covered by
  findings of an identifier, credential or postcode scoring >= 0.5 (what `redact_only` replaces);
  a case caught under another entity name still counts, and is counted again as a name mismatch;
- negatives spared: cases with an expected count of 0 where nothing at all is replaced;
- negatives not named (`!named`): where nothing is reported under the table's own entity, which
  is what Presidio's tables test (a valid Australian company number in the Canadian SIN table's
  negatives is spared by Presidio's SIN recognizer and reported by its ACN one).

Names, places, nationalities, dates and URLs are left out (NER's and the policy's business), and
so are tables of recognizers whose language is not English.

    python -m benchmarks.bench_presidio_tables [--presidio-repo PATH] [--json] [--entity X]

`--entity X` prints the texts datamin gets wrong for one entity (`all`: for every one). They
are Presidio's public, fake test values: fine in a benchmark's output, never in our tests.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_REPO = "/work/.mirror/microsoft+presidio/repo"
TESTS_DIR = "presidio-analyzer/tests"
SOURCE_DIR = "presidio-analyzer/presidio_analyzer"
SKIPPED = frozenset({"PERSON", "LOCATION", "NRP", "DATE_TIME", "URL", "ORGANIZATION"})
MIN_SCORE = 0.5
_TEXT_ARGS = ("text", "iban", "input_text")
_SPAN_ARGS = ("expected_positions", "expected_position", "expected_res")


@dataclass(frozen=True)
class Case:
    entity: str
    source: str  # test file name
    text: str
    count: int
    spans: tuple[tuple[int, int], ...]


@dataclass
class Tally:
    positives: int = 0
    caught: int = 0
    mismatched: int = 0
    negatives: int = 0
    spared: int = 0
    unnamed: int = 0
    # With `--presidio`: negatives plain Presidio's own analyzer (every predefined recognizer)
    # leaves unchanged, and how many of those datamin leaves unchanged too.
    presidio_spared: int = 0
    also_spared: int = 0
    failures: list[tuple[str, Case]] = field(default_factory=list)


class Repo:
    """Files of a working tree or a bare git directory, read the same way."""

    def __init__(self, path: Path, marker: str = TESTS_DIR, suffix: str = ".py") -> None:
        self.path = path
        self.suffix = suffix  # `list` gives files whose names end so
        self.bare = not (path / marker).is_dir()

    def exists(self) -> bool:
        if not self.bare:
            return True
        probe = subprocess.run(
            ["git", "-C", str(self.path), "rev-parse", "--verify", "-q", "HEAD"],
            capture_output=True,
            check=False,
        )
        return probe.returncode == 0

    def list(self, directory: str) -> list[str]:
        if not self.bare:
            root = self.path / directory
            return sorted(str(p.relative_to(self.path)) for p in root.rglob(f"*{self.suffix}"))
        out = subprocess.run(
            ["git", "-C", str(self.path), "ls-tree", "-r", "--name-only", "HEAD", directory],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted(line for line in out.splitlines() if line.endswith(self.suffix))

    def read(self, name: str) -> str:
        if not self.bare:
            return (self.path / name).read_text()
        return subprocess.run(
            ["git", "-C", str(self.path), "show", f"HEAD:{name}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def recognizer_languages(repo: Repo) -> dict[str, str]:
    """Class name -> the default `supported_language` in Presidio's source."""
    languages: dict[str, str] = {}
    class_re = re.compile(r"^class (\w+)\(", re.M)
    lang_re = re.compile(r"supported_language: (?:str|Optional\[str\]) = \"(\w+)\"")
    for name in repo.list(SOURCE_DIR + "/predefined_recognizers"):
        source = repo.read(name)
        for m in class_re.finditer(source):
            following = source[m.end() : m.end() + 6000]
            nxt = class_re.search(following)
            body = following[: nxt.start()] if nxt else following
            lang = lang_re.search(body)
            languages[m.group(1)] = lang.group(1) if lang else "en"
    return languages


def _fixture_entities(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "entities":
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Return) and stmt.value is not None:
                    try:
                        value = ast.literal_eval(stmt.value)
                    except ValueError:
                        return []
                    return [value] if isinstance(value, str) else list(value)
    return []


def _file_language(tree: ast.Module, languages: dict[str, str]) -> str:
    """The language the file's recognizer is built for: an explicit `supported_language=` in a
    call, else the class default of the first recognizer class it constructs."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "supported_language" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in languages:
                return languages[node.func.id]
    return "en"


def _spans(value: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, tuple | list):
        return ()
    if len(value) == 2 and all(isinstance(v, int) for v in value):
        return ((int(value[0]), int(value[1])),)  # type: ignore[arg-type]
    out = []
    for item in value:
        if (
            isinstance(item, tuple | list)
            and len(item) == 2
            and all(isinstance(v, int) for v in item)
        ):
            out.append((int(item[0]), int(item[1])))
    return tuple(out)


def cases_of(source: str, name: str, languages: dict[str, str]) -> list[Case]:
    tree = ast.parse(source)
    if _file_language(tree, languages) != "en":
        return []
    entities = _fixture_entities(tree)
    out: list[Case] = []
    if not entities and "entities" not in source:
        return out
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef):
            continue
        for deco in func.decorator_list:
            if not (
                isinstance(deco, ast.Call)
                and isinstance(deco.func, ast.Attribute)
                and deco.func.attr == "parametrize"
                and len(deco.args) >= 2
                and isinstance(deco.args[0], ast.Constant)
            ):
                continue
            argnames = [a.strip() for a in str(deco.args[0].value).split(",")]
            text_arg = next((a for a in _TEXT_ARGS if a in argnames), None)
            if text_arg is None or "expected_len" not in argnames:
                continue
            table = deco.args[1]
            if not isinstance(table, ast.List | ast.Tuple):
                continue
            for row in table.elts:
                try:
                    values = ast.literal_eval(row)
                except (ValueError, SyntaxError, TypeError):
                    continue
                if not isinstance(values, tuple) or len(values) != len(argnames):
                    continue
                args = dict(zip(argnames, values, strict=True))
                text, count = args[text_arg], args["expected_len"]
                if not isinstance(text, str) or not isinstance(count, int):
                    continue
                ents = args.get("entities") or args.get("entity") or entities
                entity = ents if isinstance(ents, str) else (ents[0] if ents else "")
                if not entity or entity in SKIPPED:
                    continue
                spans: tuple[tuple[int, int], ...] = ()
                for key in _SPAN_ARGS:
                    if key in args:
                        spans = _spans(args[key])
                        break
                if "expected_start" in args and "expected_end" in args:
                    spans = ((int(args["expected_start"]), int(args["expected_end"])),)
                out.append(Case(entity, name.rsplit("/", 1)[-1], text, count, spans))
    return out


def load_cases(repo: Repo) -> list[Case]:
    languages = recognizer_languages(repo)
    cases: list[Case] = []
    for name in repo.list(TESTS_DIR):
        base = name.rsplit("/", 1)[-1]
        if base.startswith("test_") and base.endswith("_recognizer.py"):
            cases.extend(cases_of(repo.read(name), name, languages))
    return cases


def presidio_changes() -> Callable[[str], bool]:
    """Whether plain Presidio (its default configuration, every predefined recognizer, the
    pinned model) would replace anything of a text: a finding of an entity these tables
    measure, scoring at least `MIN_SCORE`."""
    from datamin.evaluation.presidio import build_baseline

    batch, _ = build_baseline()
    analyzer = batch.analyzer_engine

    def changes(text: str) -> bool:
        found = analyzer.analyze(text, language="en")
        return any(r.score >= MIN_SCORE and r.entity_type not in SKIPPED for r in found)

    return changes


def run(cases: list[Case], presidio: Callable[[str], bool] | None = None) -> dict[str, Tally]:
    from datamin.redactors.context import FieldContext, FieldKind
    from datamin.redactors.engine import DetectionEngine
    from datamin.redactors.entities import ENTITIES, Category
    from datamin.redactors.findings import resolve_overlaps

    wanted = (Category.IDENTIFIER, Category.CREDENTIAL, Category.LOCATION)
    engine = DetectionEngine(ner_model=None)
    ctx = FieldContext.of("body", FieldKind.TEXT)
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        findings = resolve_overlaps(
            [
                f
                for f in engine.detect(case.text, ctx)
                if f.score >= MIN_SCORE and ENTITIES.get(f.entity) in wanted
            ]
        )
        tally = tallies[case.entity]
        if case.count == 0:
            tally.negatives += 1
            tally.unnamed += all(_named(f.entity) != _named(case.entity) for f in findings)
            if presidio is not None and not presidio(case.text):
                tally.presidio_spared += 1
                tally.also_spared += not findings
            if findings:
                tally.failures.append((_describe(findings), case))
            else:
                tally.spared += 1
            continue
        tally.positives += 1
        spans = case.spans or ((0, len(case.text)),)
        covering: list[str] = []
        caught = True
        for start, end in spans:
            while start < end and case.text[start].isspace():
                start += 1
            while end > start and case.text[end - 1].isspace():
                end -= 1
            over = [f for f in findings if f.start < end and start < f.end]
            covered = set()
            for f in over:
                covered.update(range(max(f.start, start), min(f.end, end)))
            # Without positions, any finding counts; with them, every character must go.
            if not over or (case.spans and len(covered) < end - start):
                caught = False
            covering.extend(f.entity for f in over)
        if caught:
            tally.caught += 1
            if case.entity not in covering:
                tally.mismatched += 1
                tally.failures.append(("caught as " + "/".join(sorted(set(covering))), case))
        else:
            tally.failures.append(("missed " + _describe(findings), case))
    return dict(tallies)


def _named(entity: str) -> str:
    """Presidio's country phone entities are datamin's PHONE_NUMBER."""
    return "PHONE_NUMBER" if entity.endswith(("_PHONE_NUMBER", "_MOBILE_NUMBER")) else entity


def _describe(findings: list) -> str:
    return ",".join(f"{f.entity}[{f.start}:{f.end}]" for f in findings) or "(nothing found)"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_table(tallies: dict[str, Tally]) -> None:
    header = (
        f"{'entity':32} {'caught':>10} {'':>6} {'spared':>10} {'':>6} {'!named':>6} {'name!=':>6}"
    )
    print(header)
    print("-" * len(header))
    total = Tally()
    for entity in sorted(tallies):
        t = tallies[entity]
        print(
            f"{entity:32} {t.caught:>4}/{t.positives:<5} {_pct(t.caught, t.positives):>6} "
            f"{t.spared:>4}/{t.negatives:<5} {_pct(t.spared, t.negatives):>6} "
            f"{_pct(t.unnamed, t.negatives):>6} {t.mismatched:>6}"
        )
        total.positives += t.positives
        total.caught += t.caught
        total.negatives += t.negatives
        total.spared += t.spared
        total.unnamed += t.unnamed
        total.mismatched += t.mismatched
        total.presidio_spared += t.presidio_spared
        total.also_spared += t.also_spared
    print("-" * len(header))
    print(
        f"{'total':32} {total.caught:>4}/{total.positives:<5} "
        f"{_pct(total.caught, total.positives):>6} {total.spared:>4}/{total.negatives:<5} "
        f"{_pct(total.spared, total.negatives):>6} {_pct(total.unnamed, total.negatives):>6} "
        f"{total.mismatched:>6}"
    )
    if total.presidio_spared:
        print(
            f"negatives plain Presidio leaves unchanged: {total.presidio_spared}; datamin leaves "
            f"{total.also_spared} of them unchanged "
            f"({_pct(total.also_spared, total.presidio_spared).strip()})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presidio-repo", default=DEFAULT_REPO)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--entity", help="print the texts datamin gets wrong for this entity (or `all`)"
    )
    parser.add_argument(
        "--presidio", action="store_true", help="also: the negatives plain Presidio changes"
    )
    args = parser.parse_args(argv)
    repo = Repo(Path(args.presidio_repo))
    if not Path(args.presidio_repo).exists() or not repo.exists():
        print(f"no Presidio checkout at {args.presidio_repo}; pass --presidio-repo PATH")
        return 0
    from datamin.safelog import quiet_third_party

    quiet_third_party()
    tallies = run(load_cases(repo), presidio_changes() if args.presidio else None)
    if args.json:
        print(
            json.dumps(
                {
                    e: {k: v for k, v in vars(t).items() if k != "failures"}
                    for e, t in sorted(tallies.items())
                },
                indent=1,
            )
        )
    else:
        print_table(tallies)
    if args.entity:
        chosen = tallies if args.entity == "all" else {args.entity: tallies.get(args.entity)}
        failures = [f for t in chosen.values() if t for f in t.failures]
        for why, case in failures:
            expected = "negative" if case.count == 0 else f"expects {case.spans or case.count}"
            print(f"\n[{case.source}] {expected}; datamin: {why}\n  {case.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
