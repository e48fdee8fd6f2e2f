"""Two more secret scanners' own test cases, run through datamin: detect-secrets and trufflehog.

- Yelp's detect-secrets (Apache-2.0, https://github.com/Yelp/detect-secrets): its plugins' tests
  (`tests/plugins/*_test.py`) hold tables of lines a plugin must or must not flag, and the
  keyword plugin's tables give the secret of each line. Read with `ast`: parametrize lists and
  module-level `*_TEST_CASES` lists whose items evaluate without detect-secrets installed.
- trufflehog (AGPL-3.0, https://github.com/trufflesecurity/trufflehog): each detector's
  `*_test.go` has a table of `input` texts and the secrets (`want`) the detector must report.
  Read with a small evaluator of Go's string literals, `+` and `fmt.Sprintf`; a case counts
  when every secret it wants is written in its input as it is (a detector that reports a
  secret joined to its user, `user:secret`, is counted only where that joint is written).

Nothing of either is kept here: both are read at run time from a checkout or a bare mirror.
Every positive case's input runs through datamin's structured detection (no NER) twice: as a
log message (`message`, free text) and as a value of its own (a JSON leaf named `line`). A
secret counts as removed when findings scoring >= 0.5 (what `redact_only` replaces) cover
three quarters of it or more, as in `bench_secret_rules`. trufflehog's detectors are split by
a hash of their name into a dev half (its misses may be read: `--show`) and a frozen half
(figures only).

    python -m benchmarks.bench_scanner_tests [--detect-secrets-repo PATH]
        [--trufflehog-repo PATH] [--show N] [--json]
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_presidio_tables import Repo

DETECT_SECRETS = "/work/.mirror/Yelp+detect-secrets/repo"
TRUFFLEHOG = "/work/.mirror/trufflesecurity+trufflehog/repo"
MIN_SCORE = 0.5
PLACEMENTS = {"log": ("message", "text"), "config": ("line", "json")}


@dataclass(frozen=True)
class Case:
    source: str  # "detect-secrets" or "trufflehog"
    half: str  # "dev" or "frozen"
    rule: str  # the plugin's or the detector's test file
    text: str
    secrets: tuple[str, ...]  # each written in `text`


# detect-secrets -----------------------------------------------------------------------------


def detect_secrets_cases(repo: Repo) -> Iterator[Case]:
    for name in repo.list("tests/plugins"):
        if not name.endswith("_test.py"):
            continue
        tree = ast.parse(repo.read(name))
        env: dict = {"base64": base64}
        for node in tree.body:  # its constants and imports, where they run without the plugin
            if isinstance(node, ast.Assign | ast.Import | ast.ImportFrom):
                try:
                    exec(compile(ast.Module([node], []), name, "exec"), env)
                except Exception:  # a constant built from the plugin itself
                    continue
        rule = Path(name).stem
        for text, secret in _tables(tree, env):
            secret = secret or _longest_token(text)
            if secret and secret in text:
                yield Case("detect-secrets", "dev", rule, text, (secret,))


def _tables(tree: ast.Module, env: dict) -> Iterator[tuple[str, str | None]]:
    """(line, its secret if the table says it) for every line a table says is flagged."""
    for name, value in env.items():
        if name.endswith("TEST_CASES") and isinstance(value, list):
            for item in value:
                if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
                    yield item[0], item[1]
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize"):
                continue
            try:
                names = ast.literal_eval(deco.args[0])
                rows = eval(compile(ast.Expression(deco.args[1]), "table", "eval"), env)
            except Exception:  # a table built from the plugin itself
                continue
            names = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)]
            flagged = "len(output) == 1" in ast.unparse(node)
            for row in rows:
                values = dict(zip(names, row if len(names) > 1 else (row,), strict=False))
                text = values.get("line") or values.get("payload")
                flag = values.get("should_flag", flagged)
                if isinstance(text, str) and flag is True:
                    yield text, None


def _longest_token(line: str) -> str:
    """The secret of a line whose table does not say it: a URL's password; else the value a
    line ends by assigning (`X-JFrog-Art-Api: AKC...`, `//registry.npmjs.org/:_authToken=npm_...`,
    `artif-key:AP6...`), not the longer name before it; else its longest run between quotes,
    spaces, assignment signs and `@`, a URL's longest path segment for a URL."""
    userinfo = re.search(r"://[^:/@\s]+:([^@\s]+)@", line)
    if userinfo:
        return userinfo.group(1)
    assigned = re.search(r"(?:=|:(?!//))\s*[\"'`]?([^\s\"'`=:,;<>()]{8,})[\"'`]?;?\s*$", line)
    if assigned:
        return assigned.group(1)
    pieces = [p for p in re.split(r"[\s\"'`=,;<>()@]+|:(?!//)", line) if p]
    longest = max(pieces, key=len) if pieces else ""
    if "://" in longest:
        return max(longest.split("://", 1)[1].split("/")[1:] or [longest], key=len)
    return longest


# trufflehog ---------------------------------------------------------------------------------

_GO_TOKEN = re.compile(
    r"""\s*(?:(?P<raw>`[^`]*`)|(?P<str>"(?:[^"\\\n]|\\.)*")|(?P<num>\d+)"""
    r"""|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<op>[(),+{}]))"""
)
_GO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def trufflehog_cases(repo: Repo) -> Iterator[Case]:
    for name in repo.list("pkg/detectors"):
        if not name.endswith("_test.go") or "integration" in name:
            continue
        source = repo.read(name)
        consts: dict[str, object] = {}
        for m in re.finditer(r"(?m)^\s*([A-Za-z_]\w*)\s*(?:string\s*)?=\s*", source):
            try:
                consts[m.group(1)] = _GoExpr(source, m.end(), consts).value()
            except ValueError:
                continue
        rule = name.removeprefix("pkg/detectors/").removesuffix("_test.go").replace("/", "_")
        half = "dev" if hashlib.sha256(rule.encode()).digest()[0] % 2 == 0 else "frozen"
        for text, wants in _go_cases(source, consts):
            secrets = tuple(dict.fromkeys(w for w in wants if w and w in text))
            if secrets:
                yield Case("trufflehog", half, rule, text, secrets)


def _go_cases(source: str, consts: dict[str, object]) -> Iterator[tuple[str, list[str]]]:
    for m in re.finditer(r"\binput:\s*", source):
        expr = _GoExpr(source, m.end(), consts)
        try:
            text = expr.value()
            opened = re.compile(r"\s*,\s*want:\s*\[\]string\{").match(source, expr.at)
            if not opened or not isinstance(text, str):
                continue
            expr.at = opened.end()
            yield text, [w for w in expr.items("}") if isinstance(w, str)]
        except ValueError:
            continue


class _GoExpr:
    """Go's string literals, names of constants, `+`, `fmt.Sprintf` and `strings.Repeat`."""

    def __init__(self, source: str, at: int, consts: dict[str, object]) -> None:
        self.source, self.at, self.consts = source, at, consts

    def _next(self) -> re.Match[str]:
        m = _GO_TOKEN.match(self.source, self.at)
        if m is None:
            raise ValueError("no token")
        self.at = m.end()
        return m

    def _peek(self, op: str) -> bool:
        m = _GO_TOKEN.match(self.source, self.at)
        return m is not None and m.group("op") == op

    def value(self) -> object:
        out = self._term()
        while self._peek("+"):
            self._next()
            out = out + self._term()  # type: ignore[operator]
        return out

    def items(self, close: str) -> list[object]:
        out = []
        while not self._peek(close):
            out.append(self.value())
            if self._peek(","):
                self._next()
        self._next()
        return out

    def _term(self) -> object:
        m = self._next()
        if m.group("raw"):
            return m.group("raw")[1:-1]
        if m.group("str"):
            return re.sub(
                r"\\(.)", lambda e: _GO_ESCAPES.get(e.group(1), e.group(1)), m["str"][1:-1]
            )
        if m.group("num"):
            return int(m.group("num"))
        name = m.group("name")
        if name and self._peek("("):
            self._next()
            return _go_call(name, self.items(")"))
        if name in self.consts:
            return self.consts[name]
        raise ValueError("not a literal")


def _go_call(name: str, args: list[object]) -> object:
    if name == "fmt.Sprintf" and args and isinstance(args[0], str):
        rest = iter(str(a) for a in args[1:])
        return re.sub(
            r"%[-+# 0-9.]*[svdq%]", lambda m: "%" if m[0] == "%%" else next(rest), args[0]
        )
    if name == "strings.Repeat" and isinstance(args[0], str) and isinstance(args[1], int):
        return args[0] * args[1]
    raise ValueError("a call not evaluated")


# Measuring ----------------------------------------------------------------------------------


def measure(cases: list[Case]) -> tuple[dict[tuple[str, str, str], Counter], list[Case]]:
    """Per (source, half, placement): secrets seen and left; and the dev cases that leak."""
    from datamin.redactors.context import FieldContext, FieldKind
    from datamin.redactors.engine import DetectionEngine

    engine = DetectionEngine(ner_model=None)
    tally: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    leaking: list[Case] = []
    for case in cases:
        for place, (path, kind) in PLACEMENTS.items():
            found = [
                f
                for f in engine.detect(case.text, FieldContext.of(path, FieldKind(kind)))
                if f.score >= MIN_SCORE
            ]
            for secret in case.secrets:
                at = case.text.find(secret)
                end = at + len(secret)
                covered = len({i for f in found for i in range(max(at, f.start), min(end, f.end))})
                key = (case.source, case.half, place)
                tally[key]["total"] += 1
                if covered < 0.75 * len(secret):
                    tally[key]["left"] += 1
                    if place == "log" and case.half == "dev":
                        leaking.append(case)
    return tally, leaking


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detect-secrets-repo", type=Path, default=Path(DETECT_SECRETS))
    parser.add_argument("--trufflehog-repo", type=Path, default=Path(TRUFFLEHOG))
    parser.add_argument("--show", type=int, default=0, help="dev cases that leak, to list")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    cases: list[Case] = []
    for path, marker, suffix, read in (
        (args.detect_secrets_repo, "tests/plugins", ".py", detect_secrets_cases),
        (args.trufflehog_repo, "pkg/detectors", ".go", trufflehog_cases),
    ):
        repo = Repo(path, marker=marker, suffix=suffix)
        if not repo.exists():
            print(f"no checkout or mirror at {path}: skipped", file=sys.stderr)
            continue
        cases += read(repo)
    if not cases:
        return 1
    tally, leaking = measure(cases)
    if args.json:
        print(json.dumps({"/".join(k): dict(v) for k, v in sorted(tally.items())}, indent=1))
        return 0
    rules = Counter(c.source for c in {(c.source, c.rule): c for c in cases}.values())
    for source, n in sorted(rules.items()):
        print(f"{source}: {n} rules' tests")
    for (source, half, place), n in sorted(tally.items()):
        share = 100 * n["left"] / n["total"]
        print(f"{source:15} {half:7} {place:7} left {n['left']:4}/{n['total']:<5} {share:5.1f}%")
    for case in leaking[: args.show]:
        print(f"--- {case.source} {case.rule}: {case.text.strip()[:200]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
