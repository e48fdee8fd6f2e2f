"""`datamin policy test`: each policy's cases file, run and compared.

A cases file sits next to its policy (`api_logs.yaml` beside `api_logs.cases.yaml`, or beside
`api_logs.<topic>.cases.yaml` when one policy's cases outgrow one file) and holds input records
with what must become of them: the outcome, fields stored or dropped (with value, retention
class, column, action), findings replaced per entity, and strings that must appear nowhere in
the output. Cases run with a fixed, public key, so a pseudonym is checked by pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from datamin.core.records import RawRecord
from datamin.core.trace import FieldTrace
from datamin.errors import PolicyError
from datamin.keys import KeyRing
from datamin.policies.authoring.workbench import Explained, Workbench
from datamin.policies.loader import (
    MAX_POLICY_BYTES,
    Lines,
    check_policy,
    line_map,
    parse_yaml,
    policy_errors,
)
from datamin.policies.model import Policy
from datamin.redactors.engine import DetectionEngine

SUFFIX = ".cases.yaml"
# Public on purpose: cases must give the same pseudonyms everywhere, and protect nothing.
TEST_KEYS = KeyRing(b"datamin policy cases: a public test key, never a real one")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpectedField(_Strict):
    """A field's fate. Given as a string, it is the stored `value`."""

    dropped: bool = False
    value: str | None = None  # the stored value, exactly
    matches: str | None = None  # or a regex the stored value must match whole

    @field_validator("matches")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error:
                raise ValueError("invalid regex") from None
        return v

    action: str | None = None
    retention: str | None = None
    column: str | None = None
    rule: str | None = None  # `fields[3]`, `sources.har.fields[0]`, `default_action`


class Expect(_Strict):
    outcome: Literal["written", "dropped", "quarantined"] | None = None
    kind: Literal["har", "api", "messages", "json"] | None = None
    fields: dict[str, ExpectedField] = {}
    # When true, no field other than those listed as stored may be stored.
    only_these_kept: bool = False
    findings: dict[str, int] = {}  # replaced findings per entity, exactly (others: any)
    absent: tuple[Annotated[str, Field(min_length=3)], ...] = ()  # never in any stored value


class Case(_Strict):
    name: str = Field(min_length=1)
    har: bool = False  # the record is an entry of a HAR file
    record: dict[str, Any] | None = None
    # Or a line of a text access log (combined, ALB), read as its format declares it: an `api`
    # record parsed by the line's grammar.
    line: str | None = Field(default=None, min_length=1)
    expect: Expect

    @model_validator(mode="after")
    def _one_input(self) -> Case:
        if (self.record is None) == (self.line is None):
            raise ValueError("a case has either a record or a line")
        return self

    def raw(self) -> tuple[bytes, str | None]:
        """The case's bytes and the kind its source declares."""
        if self.line is not None:
            return self.line.encode(), "api"
        return orjson.dumps(self.record), "har" if self.har else None


class CasesFile(_Strict):
    policy: str | None = None  # relative to the cases file; default: `<stem>.yaml` beside it
    cases: tuple[Case, ...] = Field(min_length=1)


@dataclass
class CaseResult:
    file: str
    policy: str
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def find_cases(paths: list[Path]) -> list[Path]:
    """Cases files among `paths` (files or directories searched recursively)."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(p.rglob(f"*{SUFFIX}"))
        else:
            found.append(p)
    return found


def load_cases(path: Path) -> tuple[CasesFile, Path]:
    """The cases and the policy they are for; `PolicyError` naming the line when malformed."""
    cases, policy, errors = read_cases(path)
    if errors:
        raise errors[0]
    assert cases is not None and policy is not None
    return cases, policy


def read_cases(path: Path) -> tuple[CasesFile | None, Path | None, list[PolicyError]]:
    """The cases and the policy they are for, or every problem of the file, one line each."""
    name = str(path)
    try:
        data, node = parse_yaml(path.read_bytes(), name, "cases")
    except OSError as exc:
        return None, None, [PolicyError(f"cannot read cases ({type(exc).__name__})", file=name)]
    except PolicyError as exc:
        return None, None, [exc]
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        for case in data["cases"]:
            expect = case.get("expect") if isinstance(case, dict) else None
            fields = expect.get("fields") if isinstance(expect, dict) else None
            if isinstance(fields, dict):
                for k, v in fields.items():
                    fields[k] = {"value": v} if isinstance(v, str) else v
    lines: Lines = {loc: (name, n, loc) for loc, n in line_map(node).items()}
    try:
        cases = CasesFile.model_validate(data)
    except ValidationError as exc:
        return None, None, policy_errors(exc, lines, name, CasesFile, data)
    if cases.policy is None and not path.name.endswith(SUFFIX):
        message = f"name the policy these cases are for (policy: x.yaml), or the file x{SUFFIX}"
        return None, None, [PolicyError(message, file=name, line=1)]
    return cases, path.parent / (cases.policy or _policy_name(path)), []


def is_cases_file(path: Path) -> bool:
    """A cases file by its name (`x.cases.yaml`) or by what it holds: `cases:` and none of a
    policy's keys."""
    if path.name.endswith(SUFFIX):
        return True
    try:
        with path.open("rb") as f:
            data, _ = parse_yaml(f.read(MAX_POLICY_BYTES + 1), str(path))
    except (OSError, PolicyError):
        return False
    policy_keys = {f.alias or n for n, f in Policy.model_fields.items()}
    return isinstance(data, dict) and "cases" in data and not policy_keys & set(data)


def check_cases(path: Path) -> tuple[int, list[PolicyError]]:
    """What `policy check` says of a cases file: how many cases it holds, or every problem of
    its structure, or that the policy it is for does not load. (Running the cases is
    `policy test`'s job.)"""
    cases, policy, errors = read_cases(path)
    if errors:
        return 0, errors
    assert cases is not None and policy is not None
    if not policy.is_file():
        message = f"policy: no policy file '{policy.name}' beside these cases"
        return 0, [PolicyError(message, file=str(path), line=_line_of_policy_key(path))]
    try:
        problems = len(check_policy(policy))
    except PolicyError:
        problems = 1
    if problems:
        message = (
            f"policy: '{policy.name}' does not load ({problems} problem"
            f"{'s' if problems != 1 else ''}; datamin policy check {policy})"
        )
        return 0, [PolicyError(message, file=str(path), line=_line_of_policy_key(path))]
    return len(cases.cases), []


def _line_of_policy_key(path: Path) -> int | None:
    try:
        _, node = parse_yaml(path.read_bytes(), str(path), "cases")
    except (OSError, PolicyError):
        return None
    return line_map(node).get(("policy",))


def _policy_name(path: Path) -> str:
    """The policy a cases file is for by its name: `x.cases.yaml` -> `x.yaml`, and, where no
    `x.topic.yaml` exists, `x.topic.cases.yaml` -> `x.yaml` (a further file of `x`'s cases)."""
    stem = path.name.removesuffix(SUFFIX)
    if "." in stem and not (path.parent / f"{stem}.yaml").exists():
        stem = stem.partition(".")[0]
    return stem + ".yaml"


def run_cases(
    path: Path, *, ner_model: str | None = None, engine: DetectionEngine | None = None
) -> list[CaseResult]:
    cases, policy_path = load_cases(path)
    wb = Workbench(policy_path, ner_model=ner_model, keys=TEST_KEYS, engine=engine)
    items = [RawRecord(f"{path.name}:{c.name}", i, *c.raw()) for i, c in enumerate(cases.cases)]
    results = []
    for case, explained in zip(cases.cases, wb.explain(items), strict=True):
        result = CaseResult(str(path), str(policy_path), case.name)
        result.problems = compare(case.expect, explained)
        results.append(result)
    return results


def compare(expect: Expect, e: Explained) -> list[str]:
    """What differs from the expectation; [] when the case passes. Messages show stored values
    only in their displayable form."""
    t = e.trace
    problems = []
    if expect.outcome and t.outcome != expect.outcome:
        problems.append(f"outcome: expected {expect.outcome}, got {t.outcome} {t.error or ''}")
    if expect.kind and t.kind != expect.kind:
        problems.append(f"kind: expected {expect.kind}, got {t.kind}")
    by_path: dict[str, list[FieldTrace]] = {}
    for f in t.fields:
        by_path.setdefault(f.path, []).append(f)
    for path, want in expect.fields.items():
        problems += [f"{path}: {p}" for p in _compare_field(want, by_path.get(path, []))]
    if expect.only_these_kept:
        listed = {p for p, w in expect.fields.items() if not w.dropped}
        extra = sorted({f.path for f in t.fields if f.outcome != "dropped"} - listed)
        if extra:
            problems.append(f"stored but not expected: {', '.join(extra)}")
    replaced = Counter(x.entity for f in t.fields for x in f.findings if x.replaced)
    for entity, n in expect.findings.items():
        if replaced[entity] != n:
            problems.append(f"findings {entity}: expected {n}, got {replaced[entity]}")
    # Paths are stored too, as keys of the `fields` map.
    stored = [s for f in t.fields if f.outcome != "dropped" for s in (f.value or "", f.path)]
    for i, needle in enumerate(expect.absent):
        if any(needle in v for v in stored):
            problems.append(f"absent[{i}] is stored")
    return problems


def _compare_field(want: ExpectedField, got: list[FieldTrace]) -> list[str]:
    if not got:
        return ["not in the record"]
    stored = [f for f in got if f.outcome != "dropped"]
    if want.dropped:
        if stored:
            return [f"expected dropped, stored ({stored[0].action})"]
        return _compare_how(want, got[0])
    if not stored:
        return [f"expected stored, dropped ({got[0].reason})"]
    f = stored[0]
    problems = _compare_how(want, f)
    if want.value is not None and f.value != want.value:
        problems.append(f"value: expected {want.value!r}, got {f.shown!r}")
    if want.matches is not None and not re.fullmatch(want.matches, f.value or ""):
        problems.append(f"value: expected to match {want.matches!r}, got {f.shown!r}")
    return problems


def _compare_how(want: ExpectedField, f: FieldTrace) -> list[str]:
    problems = []
    for name in ("rule", "action", "retention", "column"):
        expected = getattr(want, name)
        if expected is not None and getattr(f, name) != expected:
            problems.append(f"{name}: expected {expected}, got {getattr(f, name)}")
    return problems
