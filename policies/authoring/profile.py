"""What a sample holds, path by path: how many values, in how many records, of which types, and
which entities detection found in them. `datamin policy init` drafts a policy from it.

The sample is read and decided exactly as `policy explain` reads and decides it: the workbench,
with a policy of its own that scans every field, so the paths are the paths rules match and the
entities are what the compiled detectors find. A path is kept as its shape (`datamin.policies.
paths.shape`): positions erased, a key that is not a name shown as `*`, so a key that is itself
personal data never reaches a profile. Values are read only to tell their type; none is kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

import yaml

from datamin.core.jwt_claims import CLAIMS, SOURCES
from datamin.core.trace import RecordTrace
from datamin.policies.authoring.workbench import Workbench
from datamin.policies.loader import LoadedPolicy
from datamin.policies.model import Policy
from datamin.policies.paths import shape
from datamin.timeparse import parse_timestamp

# A value of this many words or more is prose: names and places hide in it.
_PROSE_WORDS = 4
# Findings at or above their threshold; `overlapped` lost only to a wider span.
_ACCEPTED = ("replaced", "overlapped")
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?")


@dataclass
class PathProfile:
    """One path as the sample holds it."""

    path: str  # a pattern: positions erased (`items[].sku`), odd keys as `*`
    values: int = 0
    records: int = 0
    kinds: Counter[str] = field(default_factory=Counter)  # record kind -> values
    types: Counter[str] = field(default_factory=Counter)  # value type -> values
    entities: Counter[str] = field(default_factory=Counter)  # entity -> values holding one

    @property
    def only(self) -> set[str]:
        """The types its values have, `binary` aside (binary content is never written)."""
        return set(self.types) - {"binary", "none"}

    def types_text(self) -> str:
        """`string`, or `int64 48, float64 12` when they differ."""
        if len(self.types) == 1:
            return next(iter(self.types))
        return ", ".join(f"{t} {n}" for t, n in self.types.most_common())

    def entities_text(self) -> str:
        """`BEARER_TOKEN 25, JWT 11`: values each entity was found in, most first."""
        ranked = sorted(self.entities.items(), key=lambda x: (-x[1], x[0]))
        return ", ".join(f"{e} {n}" for e, n in ranked)

    def summary(self) -> str:
        """`29 values in 29 records (har); string; BEARER_TOKEN 25, JWT 11`: counts, types and
        entity names, never a value."""
        kinds = ", ".join(k for k, _ in self.kinds.most_common())
        found = self.entities_text() or "no entities found"
        counts = f"{_counted(self.values, 'value')} in {_counted(self.records, 'record')} ({kinds})"
        return f"{counts}; {self.types_text()}; {found}"


@dataclass(frozen=True)
class SampleProfile:
    records: int
    kinds: Counter[str]  # records per kind
    quarantined: Counter[str]  # records per error class (never content)
    paths: tuple[PathProfile, ...]  # in the order first seen
    ner: bool  # whether names and places in free text were looked for


def profiling_policy(*, ner: bool) -> LoadedPolicy:
    """A policy that keeps and scans every field, and names the identity claims of bearer JWTs
    so they are profiled too (a claim is derived only where a rule names it)."""
    claims = [f"{prefix}.{name}" for prefix in SOURCES.values() for name in CLAIMS]
    doc = {
        "version": 1,
        "name": "profile",
        "default_action": "scan",
        "retention": {"default": "sample", "classes": {"sample": "1d"}},
        "detection": {"ner": ner},
        "fields": [{"path": path, "action": "scan"} for path in claims],
    }
    raw = yaml.safe_dump(doc, sort_keys=False).encode()
    policy = Policy.model_validate(doc)
    return LoadedPolicy(policy, hashlib.sha256(raw).hexdigest(), "<profile>", raw)


def profile_sample(
    patterns: list[str],
    *,
    ner: bool = False,
    ner_model: str | None = None,
    limit: int | None = None,
) -> SampleProfile:
    """Read up to `limit` records of the files the patterns match and profile every path.
    Raises `InputError` for a pattern that matches nothing."""
    bench = Workbench(profiling_policy(ner=ner), ner_model=ner_model)
    items = bench.read(patterns, limit)
    return profile_traces([e.trace for e in bench.explain(items)], ner=ner)


def profile_traces(traces: list[RecordTrace], *, ner: bool) -> SampleProfile:
    """Paths, counts, types and entities over traces of the profiling policy."""
    paths: dict[str, PathProfile] = {}
    kinds: Counter[str] = Counter()
    quarantined: Counter[str] = Counter()
    for t in traces:
        if t.outcome == "quarantined":
            quarantined[t.error or "unreadable"] += 1
            continue
        kinds[t.kind] += 1
        seen: set[str] = set()
        for f in t.fields:
            pattern = shape(f.path)
            p = paths.get(pattern)
            if p is None:
                p = paths[pattern] = PathProfile(pattern)
            p.values += 1
            p.kinds[t.kind] += 1
            if pattern not in seen:
                seen.add(pattern)
                p.records += 1
            found = {x.entity for x in f.findings if x.status in _ACCEPTED}
            p.entities.update(found)
            p.types[_type_of(f.value, f.reason, bool(found))] += 1
    return SampleProfile(sum(kinds.values()), kinds, quarantined, tuple(paths.values()), ner)


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _type_of(value: str | None, reason: str, found: bool) -> str:
    """A value's type as a column would hold it: `int64`, `float64`, `bool`, `timestamp` (a
    date with a time of day), `date`, `text` (prose), `string`, or `binary`."""
    if value is None:
        return "binary" if reason == "binary content" else "none"
    if found:  # the value as stored has its findings replaced: text or a string
        return "text" if len(value.split()) >= _PROSE_WORDS else "string"
    if value in ("true", "false"):
        return "bool"
    if _INT.fullmatch(value):
        return "int64"
    if _FLOAT.fullmatch(value):
        return "float64"
    if parse_timestamp(value) is not None:
        return "timestamp" if ":" in value else "date"
    if len(value.split()) >= _PROSE_WORDS:
        return "text"
    return "string"
